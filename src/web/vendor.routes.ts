import express, { type Express, type Request, type Response } from 'express';
import { AppError } from '../http/errors.js';
import { resolveLink, respondentContext } from '../assessments/links.js';
import { presentForRespondent } from '../assessments/presenter.js';
import { saveAnswer, submitAssessment, currentView } from '../assessments/respond.js';
import { deleteFile, download, upload } from '../assessments/answering.js';
import { acceptUpload } from '../assessments/upload.js';
import type { Assessment } from '../assessments/assessment.model.js';
import { getSettings } from '../settings/index.js';
import { renderInvalidLink, renderVendorForm, type FormState } from './vendor-form.js';
import { VENDOR_TEXT } from './vendor-text.js';

const form = express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 2000 });

const vendorContext = (a: Assessment, req: Request) => respondentContext(a, req.ip);

async function withLink(req: Request, res: Response, then: (a: Assessment) => Promise<void>): Promise<void> {
  let assessment: Assessment;
  try {
    assessment = await resolveLink(String(req.params.token ?? ''), req.ip ?? 'unknown');
  } catch (err) {
    if (err instanceof AppError && (err.status === 404 || err.status === 429)) {
      if (err.status === 429 && err.extra?.retryAfter) res.setHeader('Retry-After', String(err.extra.retryAfter));
      const settings = await getSettings().catch(() => null);
      res.status(err.status).type('html').send(renderInvalidLink(settings?.name ?? ''));
      return;
    }
    throw err;
  }
  await then(assessment);
}

async function show(res: Response, a: Assessment, token: string, state: FormState = {}, status = 200): Promise<void> {
  res.status(status).type('html').send(renderVendorForm(await presentForRespondent(a), token, state));
}

const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** What the plain form sent for one question, in the API's value shape (undefined: leave it alone). */
function submittedValue(type: string, body: Record<string, unknown>, id: string): unknown {
  const v = body[`a.${id}`];
  switch (type) {
    case 'multiple-choice': {
      const chosen = asArray(v);
      return chosen.includes('na') ? 'na' : chosen.length ? chosen : null;
    }
    case 'number':
      if (body[`na.${id}`] === 'na') return 'na';
      return typeof v === 'string' ? (v.trim() === '' ? null : v.trim()) : undefined;
    case 'file':
      return undefined;
    default:
      return typeof v === 'string' ? (v === '' ? null : v) : undefined;
  }
}

/** `/q/<token>`: the vendor form, its no-script save and submit, uploads and downloads. */
export function mountVendorRoutes(app: Express): void {
  app.get('/q/:token', (req, res) =>
    withLink(req, res, async (a) => {
      const t = VENDOR_TEXT[a.language];
      await show(res, a, String(req.params.token), { notice: req.query.submitted ? t.submittedOk : req.query.saved ? t.saved : undefined });
    }),
  );

  app.post('/q/:token', form, (req, res) =>
    withLink(req, res, async (a) => {
      const token = String(req.params.token);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const ctx = vendorContext(a, req);
      const t = VENDOR_TEXT[a.language];
      const errors: Record<string, string> = {};
      const { answers, preview } = await currentView(a);
      const current = new Map(answers.map((x) => [x.questionId, x]));
      for (const d of preview.questions.filter((q) => q.applies)) {
        if (body[`v.${d.id}`] === undefined) continue; // not on the page that was sent
        const q = a.template.questions.find((x) => x.id === d.id)!;
        const value = submittedValue(q.answer.type, body, d.id);
        const comment = typeof body[`c.${d.id}`] === 'string' ? (body[`c.${d.id}`] as string) : undefined;
        const before = current.get(d.id);
        const sameValue = value === undefined || JSON.stringify(value) === JSON.stringify(before?.value ?? null);
        const sameComment = comment === undefined || comment === (before?.comment ?? '');
        if (sameValue && sameComment) continue;
        try {
          const fresh = (await resolveLink(token, req.ip ?? 'unknown')) ?? a;
          await saveAnswer(ctx, fresh, d.id, { value, comment, version: Number(body[`v.${d.id}`]) || 0 });
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          errors[d.id] = err.code === 'version_conflict' ? t.conflict : (err.details?.[0]?.message ?? err.message);
        }
      }
      const latest = await resolveLink(token, req.ip ?? 'unknown');
      if (Object.keys(errors).length) return show(res, latest, token, { errors }, Object.values(errors).includes(t.conflict) ? 409 : 422);
      if (body._action === 'submit') {
        try {
          await submitAssessment(ctx, latest);
        } catch (err) {
          if (err instanceof AppError && err.code === 'unanswered_required') {
            return show(res, latest, token, { unanswered: (err.details ?? []).map((d) => ({ id: d.path, text: d.message.replace(/^未回答: /, '') })) }, 422);
          }
          if (err instanceof AppError && err.status < 500) return show(res, latest, token, { notice: err.message }, err.status);
          throw err;
        }
        return void res.redirect(303, `/q/${token}?submitted=1`);
      }
      res.redirect(303, `/q/${token}?saved=1`);
    }),
  );

  app.post('/q/:token/evidence/:questionId', acceptUpload, (req, res) =>
    withLink(req, res, async (a) => {
      try {
        await upload(vendorContext(a, req), a, String(req.params.questionId), req);
      } catch (err) {
        if (err instanceof AppError && err.status < 500) return show(res, a, String(req.params.token), { errors: { [String(req.params.questionId)]: err.details?.[0]?.message ? `${err.message}（${err.details[0].message}）` : err.message } }, err.status);
        throw err;
      }
      res.redirect(303, `/q/${req.params.token}#q-${encodeURIComponent(String(req.params.questionId))}`);
    }),
  );

  app.post('/q/:token/files/:fileId/delete', (req, res) =>
    withLink(req, res, async (a) => {
      await deleteFile(vendorContext(a, req), a, String(req.params.fileId));
      res.redirect(303, `/q/${req.params.token}`);
    }),
  );

  app.get('/q/:token/files/:fileId', (req, res) => withLink(req, res, (a) => download(a, String(req.params.fileId), res)));
}
