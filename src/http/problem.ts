import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { AppError, type FieldError } from './errors.js';
import { isDatabaseUnavailable } from '../db/connect.js';
import { isDuplicateKey } from '../db/errors.js';

const TITLES: Record<number, string> = {
  400: '入力内容に誤りがあります',
  401: 'サインインが必要です',
  403: '権限がありません',
  404: '見つかりません',
  405: '許可されていない操作です',
  409: '競合しています',
  413: '送信されたデータが大きすぎます',
  415: '対応していない形式です',
  422: '内容を受け付けられません',
  429: 'リクエストが多すぎます',
  500: 'サーバー内部でエラーが発生しました',
  503: 'サービスを一時的に利用できません',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

export function problemType(code: string): string {
  return `urn:itaku:problem:${code}`;
}

export function sendProblem(res: Response, status: number, code: string, detail: string, errors?: FieldError[], extra?: Record<string, unknown>): void {
  const body: Problem = { type: problemType(code), title: TITLES[status] ?? 'エラー', status, detail, code, ...extra };
  if (errors?.length) body.errors = errors;
  res.status(status).type('application/problem+json').send(JSON.stringify(body));
}

export function zodFieldErrors(err: ZodError, prefix = ''): FieldError[] {
  return err.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}


/** Unknown routes answer problem+json, like everything else. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, 404, 'not_found', `${req.method} ${req.path.replace(/[^\x20-\x7e]/g, '?').slice(0, 200)} はありません`);
};

/**
 * Maps errors to RFC 9457 bodies by type. Anything unexpected is a 500 `internal_error`, logged with its stack and
 * never sent. A database outage is a 503, never an auth error or a 500.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) {
    req.log?.error({ err }, 'error after headers were sent');
    // A response already complete (e.g. answered by the request deadline) is left alone; a half-sent one is cut.
    if (!res.writableEnded) res.destroy();
    return;
  }
  if (err instanceof AppError) {
    if (err.status >= 500) req.log?.error({ err }, err.message);
    if (err.status === 429 && err.extra?.retryAfter) res.setHeader('Retry-After', String(err.extra.retryAfter));
    const { retryAfter: _r, ...extra } = err.extra ?? {};
    sendProblem(res, err.status, err.code, err.message, err.details, extra);
    return;
  }
  if (err instanceof ZodError) {
    sendProblem(res, 400, 'validation_failed', '入力内容に誤りがあります', zodFieldErrors(err));
    return;
  }
  const type = (err as { type?: string }).type;
  const status = (err as { status?: number }).status;
  if (type === 'entity.parse.failed') {
    sendProblem(res, 400, 'malformed_json', 'JSON として読み取れません。形式を確認してください。');
    return;
  }
  if (type === 'entity.too.large') {
    sendProblem(res, 413, 'payload_too_large', '送信されたデータが上限を超えています');
    return;
  }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    sendProblem(res, 415, 'unsupported_encoding', '文字コードまたは圧縮形式に対応していません（UTF-8 の JSON を送信してください）');
    return;
  }
  if ((err as { name?: string }).name === 'MulterError') {
    const code = (err as { code?: string }).code;
    if (code === 'LIMIT_FILE_SIZE') sendProblem(res, 413, 'payload_too_large', 'ファイルが大きすぎます');
    else sendProblem(res, 400, 'bad_upload', `アップロードの形式が正しくありません（${code ?? 'unknown'}）`);
    return;
  }
  if (isDatabaseUnavailable(err)) {
    req.log?.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'database unavailable');
    res.setHeader('Retry-After', '5');
    sendProblem(res, 503, 'database_unavailable', 'データベースに接続できません。しばらくしてから再度お試しください。');
    return;
  }
  if (isDuplicateKey(err)) {
    sendProblem(res, 409, 'duplicate', '同じ内容の記録が既にあります');
    return;
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Errors from well-behaved middleware (e.g. body-parser) that carry a client status.
    sendProblem(res, status, 'bad_request', '要求を処理できません');
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  sendProblem(res, 500, 'internal_error', '予期しないエラーが発生しました。時間をおいて再度お試しください。問題が続く場合は管理者に連絡してください。');
};
