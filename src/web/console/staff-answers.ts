/** Staff-answered questionnaires (SNS, 約款型): the questions that apply now, answered and submitted by staff. */
import type { Request, Response, Router } from 'express';
import { attrs, html, type Html } from '../html.js';
import { contextOf } from '../../audit/actor.js';
import { AppError } from '../../http/errors.js';
import type { Assessment } from '../../assessments/assessment.model.js';
import { putAnswer, submit } from '../../assessments/answering.js';
import { currentView } from '../../assessments/respond.js';
import { ANSWERABLE } from '../../assessments/status.js';
import type { AnswerSpec } from '../../questionnaires/index.js';
import { csrfField, heading, render } from './layout.js';
import { assessmentFor } from './assessments.js';
import type { ConsoleContext } from './index.js';

const YES_NO: Record<string, string> = { yes: 'はい', partial: '一部', no: 'いいえ', na: '該当なし' };

function input(id: string, spec: AnswerSpec, value: unknown): Html {
  const name = `a.${id}`;
  const radios = (options: { id: string; label: string }[]) =>
    html`<div class="choices" role="radiogroup" aria-labelledby="l-${id}">${options.map((o) => html`<label class="choice"><input type="radio"${attrs({ name, value: o.id, checked: value === o.id })}> ${o.label}</label>`)}</div>`;
  const na = spec.notApplicable ? [{ id: 'na', label: '該当なし' }] : [];
  switch (spec.type) {
    case 'yes-no':
      return radios([...(spec.partial ? ['yes', 'partial', 'no'] : ['yes', 'no']).map((v) => ({ id: v, label: YES_NO[v]! })), ...na]);
    case 'single-choice':
      return radios([...spec.options.map((o) => ({ id: o.id, label: o.label.ja })), ...na]);
    case 'multiple-choice': {
      const chosen = Array.isArray(value) ? value : value === 'na' ? ['na'] : [];
      return html`<div class="choices" aria-labelledby="l-${id}">${[...spec.options.map((o) => ({ id: o.id, label: o.label.ja })), ...na].map((o) => html`<label class="choice"><input type="checkbox"${attrs({ name, value: o.id, checked: chosen.includes(o.id) })}> ${o.label}</label>`)}</div>`;
    }
    case 'number':
      return html`<input type="number" id="i-${id}" name="${name}" value="${typeof value === 'number' ? value : ''}" aria-labelledby="l-${id}"> ${spec.unit.ja}${spec.notApplicable ? html` <label class="choice"><input type="checkbox" name="na.${id}" value="na"${attrs({ checked: value === 'na' })}> 該当なし</label>` : ''}`;
    case 'date':
      return html`<input type="date" id="i-${id}" name="${name}" value="${typeof value === 'string' && value !== 'na' ? value : ''}" aria-labelledby="l-${id}">`;
    case 'text':
      return html`<textarea rows="3" id="i-${id}" name="${name}" maxlength="${spec.maxLength}" aria-labelledby="l-${id}">${typeof value === 'string' && value !== 'na' ? value : ''}</textarea>`;
    case 'file':
      return html`<p class="hint">この設問は証跡ファイルで回答します（質問票の Excel を取り込むか、API で添付してください）。</p>`;
  }
}

/** The posted value of one question in the API's shape; undefined leaves it as it is. */
function posted(type: string, body: Record<string, unknown>, id: string): unknown {
  const v = body[`a.${id}`];
  if (type === 'multiple-choice') {
    const chosen = Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
    return chosen.includes('na') ? 'na' : chosen.length ? chosen : null;
  }
  if (type === 'number') {
    if (body[`na.${id}`] === 'na') return 'na';
    return typeof v === 'string' ? (v.trim() === '' ? null : Number(v)) : undefined;
  }
  if (type === 'file') return undefined;
  return typeof v === 'string' ? (v === '' ? null : v) : undefined;
}

function staffOnly(a: Assessment): Assessment {
  if (a.respondent !== 'staff') throw new AppError('illegal_state', 'この質問票は事業者が回答します（職員はワークブックの取込みで代行できます）', 409);
  return a;
}

async function page(req: Request, res: Response, a: Assessment, errors: Record<string, string> = {}, message?: string, status = 200) {
  const { answers, preview } = await currentView(a);
  const byQ = new Map(answers.map((x) => [x.questionId, x]));
  const applicable = preview.questions.filter((q) => q.applies);
  const editable = ANSWERABLE.includes(a.status);
  const body = html`${heading(`回答: ${a.template.title.ja}`)}<p>対象: ${a.subject.name}。この質問票は職員が回答します。保存した内容は提出するまで変更できます。</p>
${message || Object.keys(errors).length ? html`<div class="errors" role="alert" tabindex="-1" id="error-summary"><h2>${message ?? '保存できなかった回答があります'}</h2><ul>${Object.entries(errors).map(([id, m]) => html`<li><a href="#q-${id}">${id}: ${m}</a></li>`)}</ul></div>` : ''}
<form method="post" action="/assessments/${a._id}/answer" novalidate>${csrfField(req)}
${a.template.sections.map((s) => {
  const qs = applicable.filter((q) => q.section === s.id);
  if (!qs.length) return '';
  return html`<section><h2>${s.title.ja}</h2>${qs.map((d) => {
    const q = a.template.questions.find((x) => x.id === d.id)!;
    const current = byQ.get(d.id);
    return html`<fieldset class="question${errors[d.id] ? ' has-error' : ''}" id="q-${d.id}"><legend id="l-${d.id}"><span class="qid">${d.id}</span> ${q.text.ja}${d.must && d.must.level !== '△' ? html` <span class="badge">${d.must.level === '◎' ? '必須（充足しないと承認不可）' : '必須'}</span>` : ''}</legend>
${q.help ? html`<p class="help">${q.help.ja}</p>` : ''}${errors[d.id] ? html`<p class="error">${errors[d.id]}</p>` : ''}
${input(d.id, q.answer, current?.value ?? null)}<input type="hidden" name="v.${d.id}" value="${current?.version ?? 0}">
<label class="comment-label" for="c-${d.id}">補足（任意）</label><textarea class="comment" rows="2" id="c-${d.id}" name="c.${d.id}" maxlength="4000">${current?.comment ?? ''}</textarea></fieldset>`;
  })}</section>`;
})}
${editable ? html`<div class="actions"><button type="submit" name="_action" value="save">保存する</button> <button type="submit" name="_action" value="submit" class="primary">提出する</button></div>` : html`<p class="notice">提出済みのため変更できません。</p>`}</form>`;
  await render(req, res, { title: `回答: ${a.subject.name}`, status, active: 'assessments', crumbs: [['評価', '/assessments'], [a.subject.name, `/assessments/${a._id}`]], body });
}

export function mountStaffAnswers(router: Router, _ctx: ConsoleContext): void {
  router.get('/assessments/:id/answer', async (req, res) => page(req, res, staffOnly(await assessmentFor(req, String(req.params.id)))));

  router.post('/assessments/:id/answer', async (req, res) => {
    let a = staffOnly(await assessmentFor(req, String(req.params.id), 'records.write'));
    const body = req.body as Record<string, unknown>;
    const errors: Record<string, string> = {};
    const { answers, preview } = await currentView(a);
    const current = new Map(answers.map((x) => [x.questionId, x]));
    for (const d of preview.questions.filter((q) => q.applies)) {
      if (body[`v.${d.id}`] === undefined) continue;
      const q = a.template.questions.find((x) => x.id === d.id)!;
      const value = posted(q.answer.type, body, d.id);
      const comment = typeof body[`c.${d.id}`] === 'string' ? (body[`c.${d.id}`] as string) : undefined;
      const before = current.get(d.id);
      if ((value === undefined || JSON.stringify(value) === JSON.stringify(before?.value ?? null)) && (comment === undefined || comment === (before?.comment ?? ''))) continue;
      try {
        await putAnswer(contextOf(req), a, d.id, { ...(value !== undefined ? { value: value as string } : {}), ...(comment !== undefined ? { comment } : {}), version: Number(body[`v.${d.id}`]) || 0 });
        a = await assessmentFor(req, a._id, 'records.write');
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        errors[d.id] = err.details?.[0]?.message ?? err.message;
      }
    }
    if (Object.keys(errors).length) return page(req, res, a, errors, undefined, 400);
    if (body._action === 'submit') {
      try {
        await submit(contextOf(req), a);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const missing = Object.fromEntries((err.details ?? []).map((d) => [d.path, d.message]));
        return page(req, res, a, missing, err.message, err.status);
      }
      return res.redirect(303, `/assessments/${a._id}?done=submitted`);
    }
    res.redirect(303, `/assessments/${a._id}/answer`);
  });
}
