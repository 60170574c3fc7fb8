import type { RequestHandler } from 'express';
import { sendProblem } from './problem.js';

/**
 * How long a request may go without an answer before it gets 503. Requests normally answer in well under a second
 * (a list over 10,000 records on the embedded database, the slowest measured, in ~6 s); this is a safety net, not a
 * budget.
 *
 * Why it exists: mongodb driver 7.8 waits for a socket's `drain` event without a timeout when a write does not go
 * through at once. If the database stops at that moment (the outage test sees it now and then, with a raw `write
 * EPIPE` on a neighbouring operation), the event never comes and the operation never settles — `socketTimeoutMS`
 * covers only reads, and `timeoutMS` is ignored by this driver version. Without the net such a request hung for good.
 */
export const REQUEST_DEADLINE_MS = 60_000;

/** Uploads are exempt: a slow link may take longer than the deadline just to send the file. */
const UPLOAD = /^(multipart\/|application\/(octet-stream|pdf|vnd\.|msword)|image\/)/;

export function requestDeadline(ms = REQUEST_DEADLINE_MS): RequestHandler {
  return (req, res, next) => {
    if (UPLOAD.test(req.headers['content-type'] ?? '')) return next();
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      req.log?.error({ deadlineMs: ms }, 'no answer within the request deadline');
      res.setHeader('Retry-After', '10');
      sendProblem(res, 503, 'request_timeout', '処理に時間がかかりすぎたため中断しました。データベースの状態を確認のうえ、しばらくしてから再度お試しください。');
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}
