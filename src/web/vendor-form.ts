import type { AnswerSpec } from '../questionnaires/index.js';
import { html, page, type Html, attrs } from './html.js';
import { VENDOR_TEXT, type VendorText } from './vendor-text.js';
import type { presentForRespondent } from '../assessments/presenter.js';

type View = Awaited<ReturnType<typeof presentForRespondent>>;
type QuestionView = View['sections'][number]['questions'][number];

export interface FormState {
  /** Messages per question id, shown beside the question and listed at the top. */
  errors?: Record<string, string>;
  notice?: string;
  /** Unanswered required questions after a refused submit. */
  unanswered?: { id: string; text: string }[];
}

const byteSize = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

function label(t: VendorText, spec: AnswerSpec, value: string): string {
  if (value === 'na') return t.na;
  if (spec.type === 'yes-no') return value === 'yes' ? t.yes : value === 'partial' ? t.partial : t.no;
  return value;
}

function input(t: VendorText, q: QuestionView, lang: 'ja' | 'en', disabled: boolean): Html {
  const name = `a.${q.id}`;
  const spec = q.answer;
  const value = q.current?.value;
  const describedBy = `h-${q.id} e-${q.id}`;
  const pick = (l: { ja: string; en?: string }) => (lang === 'en' && l.en ? l.en : l.ja);
  const naOption = spec.notApplicable ? [{ id: 'na', label: t.na }] : [];
  switch (spec.type) {
    case 'yes-no': {
      const options = [...(spec.partial ? ['yes', 'partial', 'no'] : ['yes', 'no']).map((v) => ({ id: v, label: label(t, spec, v) })), ...naOption];
      return html`<div class="choices" role="radiogroup" aria-describedby="${describedBy}">${options.map(
        (o) => html`<label class="choice"><input type="radio"${attrs({ name, value: o.id, checked: value === o.id, disabled })}> ${o.label}</label>`,
      )}</div>`;
    }
    case 'single-choice': {
      const options = [...spec.options.map((o) => ({ id: o.id, label: pick(o.label) })), ...naOption];
      return html`<div class="choices" role="radiogroup" aria-describedby="${describedBy}">${options.map(
        (o) => html`<label class="choice"><input type="radio"${attrs({ name, value: o.id, checked: value === o.id, disabled })}> ${o.label}</label>`,
      )}</div>`;
    }
    case 'multiple-choice': {
      const chosen = Array.isArray(value) ? value : [];
      return html`<div class="choices" aria-describedby="${describedBy}">${spec.options.map(
        (o) => html`<label class="choice"><input type="checkbox"${attrs({ name, value: o.id, checked: chosen.includes(o.id), disabled })}> ${pick(o.label)}</label>`,
      )}${spec.notApplicable ? html`<label class="choice"><input type="checkbox"${attrs({ name, value: 'na', checked: value === 'na', disabled })}> ${t.na}</label>` : ''}</div>`;
    }
    case 'number':
      return html`<div class="inline"><input type="number" inputmode="decimal"${attrs({ id: `i-${q.id}`, name, value: typeof value === 'number' ? value : '', min: spec.min, max: spec.max, step: spec.integer ? 1 : 'any', disabled, 'aria-describedby': describedBy })}> <span>${pick(spec.unit)}（${t.range(spec.min, spec.max)}）</span>${
        spec.notApplicable ? html` <label class="choice"><input type="checkbox"${attrs({ name: `na.${q.id}`, value: 'na', checked: value === 'na', disabled })}> ${t.na}</label>` : ''
      }</div>`;
    case 'date':
      return html`<input type="date"${attrs({ id: `i-${q.id}`, name, value: typeof value === 'string' && value !== 'na' ? value : '', disabled, 'aria-describedby': describedBy })}>`;
    case 'text':
      return html`<textarea rows="4"${attrs({ id: `i-${q.id}`, name, maxlength: spec.maxLength, disabled, 'aria-describedby': describedBy })}>${typeof value === 'string' && value !== 'na' ? value : ''}</textarea>`;
    case 'file':
      return html`<p class="hint">${t.files}: ${t.evidenceRequired}</p>`;
  }
}

function question(t: VendorText, q: QuestionView, lang: 'ja' | 'en', editable: boolean, token: string, state: FormState): Html {
  const error = state.errors?.[q.id];
  const must = q.mustLevel === '◎' ? t.knockout : q.required ? t.required : null;
  return html`<fieldset class="question${error ? ' has-error' : ''}" id="q-${q.id}" data-question="${q.id}" data-type="${q.answer.type}" data-evidence="${q.evidence}">
<legend><label${attrs({ for: ['number', 'date', 'text'].includes(q.answer.type) ? `i-${q.id}` : undefined })}><span class="qid">${q.id}</span> ${q.text}</label>${must ? html` <span class="badge">${must}</span>` : ''}</legend>
${q.help ? html`<p class="help" id="h-${q.id}">${q.help}</p>` : html`<span id="h-${q.id}" hidden></span>`}
${q.comments.map((c) => html`<div class="reviewer-comment" role="note"><strong>${t.reviewerComment}</strong><p>${c.text}</p></div>`)}
${input(t, q, lang, !editable)}
<input type="hidden" name="v.${q.id}" value="${q.current?.version ?? 0}">
<label class="comment-label" for="c-${q.id}">${t.comment}</label>
<textarea class="comment" rows="2" id="c-${q.id}" name="c.${q.id}" maxlength="4000"${attrs({ disabled: !editable })}>${q.current?.comment ?? ''}</textarea>
<p class="error" id="e-${q.id}" role="alert">${error ?? ''}</p>
<p class="status" aria-live="polite" data-status-for="${q.id}"></p>
${q.evidence !== 'none' || q.answer.type === 'file' ? files(t, q, editable, token) : ''}
</fieldset>`;
}

function files(t: VendorText, q: QuestionView, editable: boolean, token: string): Html {
  return html`<div class="files"><p>${q.evidence === 'required' || q.answer.type === 'file' ? t.evidenceRequired : t.evidenceOptional}</p>
<ul>${q.files.map((f) => html`<li><a href="/q/${token}/files/${f.id}" download>${f.filename}</a> (${byteSize(f.size)})${
    editable ? html` <button type="submit" form="del-${f.id}" class="link">${t.remove}</button>` : ''
  }</li>`)}</ul>
${editable ? html`<label for="f-${q.id}">${t.upload}</label> <input type="file" id="f-${q.id}" name="file" form="up-${q.id}" accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.tif,.tiff,.docx,.xlsx,.pptx,.doc,.xls"> <button type="submit" form="up-${q.id}">${t.upload}</button>` : ''}
</div>`;
}

/** The vendor's questionnaire page: works as a plain form, and autosaves each answer when scripts run. */
export function renderVendorForm(view: View, token: string, state: FormState = {}): string {
  const lang = view.language;
  const t = VENDOR_TEXT[lang];
  const editable = view.editable;
  const errorIds = Object.keys(state.errors ?? {});
  const allQuestions = view.sections.flatMap((s) => s.questions);
  const body = html`<header class="masthead"><p class="org">${view.vendorName ?? ''}</p><h1>${view.title}</h1><p>${view.subjectName}</p>
<p>${t.due}: <strong>${view.dueDate}</strong> ／ ${t.progress}: <strong data-progress>${t.answered(view.progress.answered, view.progress.applicable)}</strong> ／ <span>${view.statusLabel}</span></p>
<p><a href="/q/${token}/questionnaire.xlsx">${t.download}</a></p>
${view.editable ? html`<form method="post" enctype="multipart/form-data" action="/q/${token}/questionnaire.xlsx" class="inline"><label for="xlsx-upload">${t.uploadWorkbook}</label> <input type="file" id="xlsx-upload" name="file" accept=".xlsx" required> <button type="submit">${t.uploadWorkbookButton}</button></form>` : ''}</header>
<main id="main" data-token="${token}" data-lang="${lang}">
${state.notice ? html`<div class="notice" role="status">${state.notice}</div>` : ''}
${state.unanswered?.length ? html`<div class="errors" role="alert" tabindex="-1" id="unanswered"><h2>${t.unanswered}</h2><ul>${state.unanswered.map((u) => html`<li><a href="#q-${u.id}">${u.id} ${u.text}</a></li>`)}</ul></div>` : ''}
${errorIds.length ? html`<div class="errors" role="alert" tabindex="-1"><h2>${t.errorsTitle}</h2><ul>${errorIds.map((id) => html`<li><a href="#q-${id}">${id}: ${state.errors![id]}</a></li>`)}</ul></div>` : ''}
${view.clarification ? html`<div class="clarification" role="note"><h2>${t.clarification}</h2><p>${view.clarification.message}</p></div>` : ''}
${editable ? '' : html`<p class="notice">${t.readOnly}</p>`}
<noscript><p class="hint">${t.noJs}</p></noscript>
<nav class="toc" aria-label="${lang === 'en' ? 'Sections' : '節'}"><ol>${view.sections.map((s) => {
    const answered = s.questions.filter((q) => q.current?.value !== null && q.current?.value !== undefined ? true : q.files.length > 0).length;
    return html`<li><a href="#s-${s.id}">${s.title}</a> <span class="count" data-section-count="${s.id}">${answered}/${s.questions.length}</span></li>`;
  })}</ol></nav>
<form method="post" action="/q/${token}" id="answers" novalidate>
${view.sections.map((s) => html`<section id="s-${s.id}" aria-labelledby="st-${s.id}"><h2 id="st-${s.id}">${s.title}</h2>${s.questions.map((q) => question(t, q, lang, editable, token, state))}</section>`)}
${editable ? html`<div class="actions"><button type="submit" name="_action" value="save">${t.save}</button> <button type="submit" name="_action" value="submit" class="primary">${t.submit}</button></div>` : ''}
</form>
${editable ? allQuestions.filter((q) => q.evidence !== 'none' || q.answer.type === 'file').map((q) => html`<form method="post" enctype="multipart/form-data" action="/q/${token}/evidence/${q.id}" id="up-${q.id}" hidden></form>`) : ''}
${editable ? allQuestions.flatMap((q) => q.files).map((f) => html`<form method="post" action="/q/${token}/files/${f.id}/delete" id="del-${f.id}" hidden></form>`) : ''}
</main>`;
  return page({ title: `${view.title} — Itaku`, lang, body, scripts: ['/static/vendor-form.js'] });
}

/** The one page for every bad link: the same whatever the reason, and it says whom to contact. */
export function renderInvalidLink(municipality: string, lang: 'ja' | 'en' = 'ja'): string {
  const t = VENDOR_TEXT[lang];
  return page({
    title: t.invalidTitle,
    lang,
    body: html`<main id="main" class="narrow"><h1>${t.invalidTitle}</h1><p>${t.invalidBody}</p>${municipality ? html`<p>${municipality}</p>` : ''}<p lang="en">${lang === 'ja' ? VENDOR_TEXT.en.invalidBody : ''}</p></main>`,
  });
}
