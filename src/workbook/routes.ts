import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Config } from '../config.js';
import { contextOf } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { can, PUBLIC, type ApiRegistry } from '../http/route.js';
import { IdParam } from '../http/schemas.js';
import type { Assessment } from '../assessments/assessment.model.js';
import { assessmentFor } from '../assessments/assessments.routes.js';
import { attachmentHeader } from '../assessments/evidence.js';
import { resolveLink, respondentContext } from '../assessments/links.js';
import { uploaded } from '../assessments/upload.js';
import { getSettings } from '../settings/index.js';
import { html, page } from '../web/html.js';
import { renderInvalidLink } from '../web/vendor-form.js';
import { buildWorkbook, workbookFilename, XLSX_TYPE } from './build.js';
import { completePendingImports, importWorkbook, type ImportResult } from './import.js';
import { ZIP_LIMITS } from './inspect.js';

export const WORKBOOK_UPLOAD_TYPES = ['multipart/form-data', XLSX_TYPE, 'application/octet-stream', 'application/zip'];

const multipart = multer({ storage: multer.memoryStorage(), limits: { fileSize: ZIP_LIMITS.maxUploadBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 } }).single('file');
const rawBody = express.raw({ type: () => true, limit: ZIP_LIMITS.maxUploadBytes });

/** The workbook as `multipart/form-data` (field `file`) or as the raw body, at most ZIP_LIMITS.maxUploadBytes. */
const acceptWorkbook: RequestHandler = (req, res, next) => (req.is('multipart/form-data') ? multipart(req, res, next) : rawBody(req, res, next));

function fileOf(req: Request): Buffer {
  const file = uploaded(req);
  if (!file) throw new AppError('validation_failed', 'ワークブックが送信されていません', 400, [{ path: 'file', message: '.xlsx ファイルを選んでください' }]);
  return file.data;
}

function keyOf(config: Readonly<Config>): Buffer {
  if (!config.dataKey) throw new AppError('workbook_unavailable', 'ワークブックの署名鍵（ITAKU_DATA_KEY）が設定されていません。管理者に連絡してください。', 503);
  return config.dataKey;
}

const vendorContext = (a: Assessment, req: Request) => respondentContext(a, req.ip);

async function sendWorkbook(res: Response, a: Assessment, config: Readonly<Config>): Promise<void> {
  await completePendingImports({ assessmentId: a._id });
  const data = await buildWorkbook(a, keyOf(config));
  res.setHeader('Content-Type', XLSX_TYPE);
  res.setHeader('Content-Disposition', attachmentHeader(workbookFilename(a)));
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.status(200).end(data);
}

/** Resolves the link before the body is read, so an anonymous caller cannot make us buffer an upload for nothing. */
const tokenFirst: RequestHandler = (req, res, next: NextFunction) => {
  const token = String(req.params.token ?? '');
  resolveLink(/^[A-Za-z0-9_-]{43}$/.test(token) ? token : 'invalid', req.ip ?? 'unknown').then((a) => {
    res.locals.assessment = a;
    next();
  }, next);
};

const ImportView = z.object({
  importId: z.string().nullable(),
  imported: z.array(z.object({ questionId: z.string(), cell: z.string() })),
  unchanged: z.number().int(),
  superseded: z.array(z.string()),
});

const IMPORT_DESCRIPTION =
  'The workbook as multipart/form-data (field `file`) or the raw body, up to 5 MB. All or nothing: 422 with `errors[]` naming sheet and cell (e.g. `質問票!G12`) for a workbook of another assessment or template version, a bad signature, added/removed/reworded questions, values outside the lists, wrong types, formulas, macros, external links or a file that is not a safe .xlsx; 409 naming the questions changed since the download (`questions`), or when the assessment is no longer answerable. A blank cell changes nothing. 503 when too many workbooks are being read at once.';

/** `GET|POST /api/v1/assessments/:id/questionnaire.xlsx` (staff) and `POST /api/v1/respond/:token/xlsx` (vendor). */
export function registerWorkbookRoutes(api: ApiRegistry, config: Readonly<Config>): void {
  api.add({
    method: 'get', path: '/api/v1/assessments/:id/questionnaire.xlsx', summary: '回答用ワークブック / The questionnaire as an Excel workbook for offline answering',
    description: 'Instructions sheet; questions by section with help, must level and answer format; drop-down lists and validation on answer cells, everything else locked; answers already given filled in; a hidden sheet binding it to the assessment, template version and answer versions, signed with ITAKU_DATA_KEY. Follow-up questions are included with a note saying when they apply.',
    tags: ['workbook'], access: can('records.read'), params: IdParam,
    responses: { 200: { description: 'The workbook', contentType: XLSX_TYPE } },
    handler: async ({ req, res, params }) => sendWorkbook(res, await assessmentFor(req, params.id), config),
  });
  api.add({
    method: 'post', path: '/api/v1/assessments/:id/questionnaire.xlsx', summary: 'ワークブックを取り込む（職員が代行） / Import a workbook a vendor sent back',
    description: `${IMPORT_DESCRIPTION} Audited as the signed-in user.`,
    tags: ['workbook'], access: can('records.write'), params: IdParam, bodyTypes: WORKBOOK_UPLOAD_TYPES, before: [acceptWorkbook],
    responses: { 200: { description: 'Imported (or nothing to change)', schema: ImportView } },
    handler: async ({ req, params }) => {
      const a = await assessmentFor(req, params.id, 'records.write');
      return importWorkbook(contextOf(req), a, fileOf(req), keyOf(config));
    },
  });
  api.add({
    method: 'post', path: '/api/v1/respond/:token/xlsx', summary: '事業者向け: ワークブックを取り込む / Vendor: import a filled workbook',
    description: `${IMPORT_DESCRIPTION} Wrong, expired and revoked tokens answer 404 before the body is read.`,
    tags: ['respond'], access: PUBLIC, params: z.object({ token: z.string().max(100) }), bodyTypes: WORKBOOK_UPLOAD_TYPES, before: [tokenFirst, acceptWorkbook],
    responses: { 200: { description: 'Imported (or nothing to change)', schema: ImportView } },
    handler: async ({ req, res }) => {
      const a = res.locals.assessment as Assessment;
      return importWorkbook(vendorContext(a, req), a, fileOf(req), keyOf(config));
    },
  });
}

function resultPage(a: Assessment, token: string, outcome: { ok: true; result: ImportResult } | { ok: false; error: AppError }): string {
  const en = a.language === 'en';
  const back = html`<p><a href="/q/${token}">${en ? 'Back to the questionnaire' : '質問票の画面に戻る'}</a></p>`;
  if (outcome.ok) {
    const n = outcome.result.imported.length;
    const title = en ? 'Workbook imported' : 'ワークブックを取り込みました';
    const text = en ? `${n} answer(s) imported. Submitting is done on the questionnaire page.` : `${n}件の回答を取り込みました。回答の提出は質問票の画面で行ってください。`;
    return page({ title, lang: a.language, body: html`<main id="main" class="narrow"><h1>${title}</h1><p role="status">${text}</p><ul>${outcome.result.imported.map((i) => html`<li>${i.questionId}</li>`)}</ul>${back}</main>` });
  }
  const e = outcome.error;
  const title = en ? 'The workbook was not imported' : 'ワークブックを取り込めませんでした';
  return page({
    title, lang: a.language,
    body: html`<main id="main" class="narrow"><h1>${title}</h1><div class="errors" role="alert"><p>${e.message}</p><ul>${(e.details ?? []).map((d) => html`<li><strong>${d.path}</strong>: ${d.message}</li>`)}</ul></div>${back}</main>`,
  });
}

/** `GET|POST /q/:token/questionnaire.xlsx`: download and upload from the vendor's pages (HTML answers for a browser form). */
export function mountVendorWorkbookRoutes(app: Express, config: Readonly<Config>): void {
  const invalidLink = async (err: unknown, res: Response) => {
    if (!(err instanceof AppError) || (err.status !== 404 && err.status !== 429)) throw err;
    if (err.status === 429 && err.extra?.retryAfter) res.setHeader('Retry-After', String(err.extra.retryAfter));
    const settings = await getSettings().catch(() => null);
    res.status(err.status).type('html').send(renderInvalidLink(settings?.name ?? ''));
  };
  const withLink = (then: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
    tokenFirst(req, res, (err?: unknown) => (err ? invalidLink(err, res).catch(next) : then(req, res).catch(next)));

  app.get('/q/:token/questionnaire.xlsx', withLink((_req, res) => sendWorkbook(res, res.locals.assessment as Assessment, config)));
  app.post(
    '/q/:token/questionnaire.xlsx',
    withLink(async (req, res) => {
      await new Promise<void>((resolve, reject) => acceptWorkbook(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
      const a = res.locals.assessment as Assessment;
      const wantsHtml = req.accepts(['json', 'html']) === 'html';
      try {
        const result = await importWorkbook(vendorContext(a, req), a, fileOf(req), keyOf(config));
        if (wantsHtml) res.status(200).type('html').send(resultPage(a, String(req.params.token), { ok: true, result }));
        else res.status(200).json(result);
      } catch (err) {
        if (!wantsHtml || !(err instanceof AppError) || err.status >= 500) throw err;
        res.status(err.status).type('html').send(resultPage(a, String(req.params.token), { ok: false, error: err }));
      }
    }),
  );
}
