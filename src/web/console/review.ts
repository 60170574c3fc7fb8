/** The review screen (answers with evidence, per-question actions, the score with its arithmetic) and the decision. */
import type { Request, Response, Router } from 'express';
import { html, type Html } from '../html.js';
import { authorize, scopeFor } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { contextOf } from '../../audit/actor.js';
import type { Assessment } from '../../assessments/assessment.model.js';
import { presentForStaff } from '../../assessments/presenter.js';
import { applyReview, type ReviewAction } from '../../assessments/review.js';
import { scoreOf } from '../../assessments/scoring-input.js';
import { REVIEWABLE, STATUS_LABELS } from '../../assessments/status.js';
import { decide, type DecisionInput } from '../../decisions/decide.js';
import type { ScoreResult } from '../../scoring/index.js';
import { addDays, todayInTokyo } from '../../shared/dates.js';
import { csrfField, heading, notice, postButton, render } from './layout.js';
import { apiBody, blankState, errorSummary, field, formErrors, groupRows, parseGroup, validate, type FieldSpec, type FormState } from './forms.js';
import { dateCell, RESULT_LABELS, tierBadge } from './format.js';
import { assessmentFor } from './assessments.js';
import type { ConsoleContext } from './index.js';

type View = Awaited<ReturnType<typeof presentForStaff>>;
type QView = View['questions'][number];

const VERDICT: Record<string, string> = { accepted: '受理', rejected: '差戻し', pending: '未審査' };
const pts = (h: number) => (h / 100).toFixed(2);

function answerText(a: Assessment, q: QView): string {
  const v = q.answer?.value;
  if (v === null || v === undefined) return '（未回答）';
  if (v === 'na') return '該当なし';
  const spec = a.template.questions.find((x) => x.id === q.id)!.answer;
  const label = (id: string) => ('options' in spec ? (spec.options.find((o) => o.id === id)?.label.ja ?? id) : ({ yes: 'はい', partial: '一部', no: 'いいえ' } as Record<string, string>)[id] ?? id);
  if (Array.isArray(v)) return v.map((x) => label(String(x))).join('、');
  return spec.type === 'yes-no' || spec.type === 'single-choice' ? label(String(v)) : String(v);
}

const CONDITION: FieldSpec[] = [
  { name: 'text', label: '条件', type: 'textarea' },
  { name: 'owner', label: '対応する者（例: 委託先、所管課）' },
  { name: 'dueDate', label: '期限', type: 'date' },
  { name: 'questionId', label: '', type: 'hidden' },
  { name: 'kind', label: '', type: 'hidden' },
];

function questionBlock(req: Request, a: Assessment, q: QView, s: ScoreResult['questions'][number] | undefined, canReview: boolean): Html {
  const act = (fields: Record<string, string>, label: string, cls?: string) => postButton(req, `/assessments/${a._id}/review`, label, { fields: { ...fields, questionId: q.id }, ...(cls ? { className: cls } : {}) });
  const r = q.review;
  const textual = ['text', 'date', 'file'].includes(q.answerType);
  return html`<article class="review-q" id="q-${q.id}"><h3><span class="qid">${q.id}</span> ${q.text.ja} ${q.must ? html`<span class="badge">${q.must.level}</span>` : ''}${s?.gate === 'failed' ? html` <span class="gate-failed">◎ 不充足</span>` : s?.gate === 'excepted' ? ' （例外あり）' : ''}</h3>
<dl class="facts"><dt>回答</dt><dd>${answerText(a, q)}${q.answer?.comment ? html`<br><span class="muted">補足: ${q.answer.comment}</span>` : ''}</dd>
${q.files.length ? html`<dt>証跡</dt><dd>${q.files.map((f) => html`<a href="/api/v1/assessments/${a._id}/evidence/${f.id}" download>${f.filename}</a> `)}（${VERDICT[s?.evidence.review ?? 'pending']}）</dd>` : q.evidence !== 'none' ? html`<dt>証跡</dt><dd>${q.evidence === 'required' ? '必要（未提出）' : '任意（未提出）'}</dd>` : ''}
${s ? html`<dt>配点</dt><dd>重み ${s.weight} × 点 ${pts(s.pointsHundredths)} = 寄与 ${pts(s.contributionHundredths)}${s.scorable ? '' : '（採点の対象外）'} — ${s.reason.ja}</dd>` : ''}
${r?.answer ? html`<dt>回答の審査</dt><dd class="verdict-${r.answer.verdict}">${VERDICT[r.answer.verdict]}（${r.answer.by}）</dd>` : ''}
${r?.notApplicable ? html`<dt>該当なしの審査</dt><dd class="verdict-${r.notApplicable.verdict}">${VERDICT[r.notApplicable.verdict]}</dd>` : ''}
${r?.exception ? html`<dt>例外（代替措置）</dt><dd>${r.exception.measure}（期限 ${dateCell(r.exception.expiresOn)}、${r.exception.by}）</dd>` : ''}
${r?.comments.length ? html`<dt>コメント</dt><dd><ul>${r.comments.map((c) => html`<li>${c.text} <span class="muted">— ${c.by}${c.visibleToRespondent ? '（回答者に表示）' : '（内部のみ）'}</span></li>`)}</ul></dd>` : ''}</dl>
${canReview ? html`<div class="review-actions">
${textual && q.answer?.value !== 'na' && (q.answer || q.files.length) ? html`${r?.answer?.verdict === 'accepted' ? '' : act({ action: 'accept', target: 'answer' }, '回答を受理')}${r?.answer?.verdict === 'rejected' ? '' : act({ action: 'reject', target: 'answer' }, '回答を差戻し', 'danger')}` : ''}
${q.answer?.value === 'na' ? html`${act({ action: 'accept', target: 'notApplicable' }, '該当なしを受理')}${act({ action: 'reject', target: 'notApplicable' }, '該当なしを差戻し', 'danger')}` : ''}
${q.files.length ? html`${act({ action: 'accept', target: 'evidence' }, '証跡を受理')}${act({ action: 'reject', target: 'evidence' }, '証跡を差戻し', 'danger')}` : ''}
${r?.exception ? act({ action: 'removeException' }, '例外を取り消す') : ''}</div>
<details><summary>コメントを書く</summary><form method="post" action="/assessments/${a._id}/review">${csrfField(req)}<input type="hidden" name="action" value="comment"><input type="hidden" name="questionId" value="${q.id}">
<label for="ct-${q.id}">コメント</label><textarea id="ct-${q.id}" name="text" rows="2" required></textarea>
<label class="choice"><input type="checkbox" name="visibleToRespondent" value="on" checked> 回答者にも表示する</label> <button type="submit">コメントする</button></form></details>
${s?.gate === 'failed' ? html`<details><summary>例外（代替措置）を記録する</summary><form method="post" action="/assessments/${a._id}/review">${csrfField(req)}<input type="hidden" name="action" value="exception"><input type="hidden" name="questionId" value="${q.id}">
<label for="em-${q.id}">代替措置</label><textarea id="em-${q.id}" name="measure" rows="2" required></textarea>
<label for="ee-${q.id}">期限</label> <input type="date" id="ee-${q.id}" name="expiresOn" required> <button type="submit">記録する</button></form></details>` : ''}` : ''}
</article>`;
}

function scoreSummary(score: ScoreResult): Html {
  const t = score.totals;
  return html`<section aria-labelledby="h-score" class="card"><h2 id="h-score">採点（${score.method.name} 第${score.method.version}版）</h2>
<p class="big">推奨: ${RESULT_LABELS[score.recommendation.result]}</p><p>${score.recommendation.ja}</p>
<dl class="facts"><dt>管理策の得点 C</dt><dd>${t.controlScoreText ?? '—'}（Σw·p ${pts(t.sumWeightedPointsHundredths)} ÷ Σw ${t.sumWeights} × 100）</dd>
<dt>発生可能性 L</dt><dd>${score.likelihood ?? '—'}</dd><dt>固有リスク区分 T</dt><dd>${tierBadge(score.tier)}</dd><dt>残留リスク R = T × L</dt><dd>${score.residual ?? '—'}</dd>
<dt>◎ 不充足</dt><dd>${score.gates.failed.length ? html`<span class="gate-failed">${score.gates.failed.map((g) => g.questionId).join('、')}</span>` : 'なし'}</dd>
<dt>例外を記録した ◎</dt><dd>${score.gates.excepted.map((g) => g.questionId).join('、') || 'なし'}</dd></dl>
<table class="list"><caption>節ごとの内訳</caption><thead><tr><th scope="col">節</th><th scope="col" class="num">Σw</th><th scope="col" class="num">Σw·p</th><th scope="col" class="num">C</th></tr></thead><tbody>
${score.sections.map((s) => html`<tr><td>${s.title.ja}</td><td class="num">${s.sumWeights}</td><td class="num">${pts(s.sumWeightedPointsHundredths)}</td><td class="num">${s.controlScoreText ?? '—'}</td></tr>`)}
<tr><th scope="row">合計</th><td class="num">${t.sumWeights}</td><td class="num">${pts(t.sumWeightedPointsHundredths)}</td><td class="num">${t.controlScoreText ?? '—'}</td></tr></tbody></table></section>`;
}

async function reviewPage(req: Request, res: Response, a: Assessment, decision: FormState | null = null, status = 200) {
  const user = principalOf(req);
  const [view, score] = await Promise.all([presentForStaff(a), scoreOf(a)]);
  const byId = new Map(score.questions.map((q) => [q.id, q]));
  const canReview = Boolean(scopeFor(user, 'assessments.review')) && REVIEWABLE.includes(a.status);
  const canDecide = Boolean(scopeFor(user, 'assessments.decide')) && a.status === 'under_review';
  const proposed = score.proposedConditions.map((c) => ({ text: c.text, owner: '委託先', dueDate: c.dueDate ?? addDays(todayInTokyo(), 90), questionId: c.questionId, kind: c.kind }));
  const dstate = decision ?? blankState({ result: score.recommendation.result === 'escalate' ? '' : score.recommendation.result, ...Object.fromEntries(proposed.flatMap((c, i) => Object.entries(c).map(([k, v]) => [`conditions.${i}.${k}`, v]))) });
  const applicable = view.questions.filter((q) => q.applies);
  const body = html`${heading(`審査: ${a.subject.name}`, html`<a class="button" href="/assessments/${a._id}">評価の詳細へ</a> <a class="button" href="/api/v1/assessments/${a._id}/report.xlsx" download>評価報告書（Excel）</a>`)}
${notice(req.query.done === 'action' ? '審査の操作を記録しました。' : null)}
<p>状態: <strong>${STATUS_LABELS[a.status].ja}</strong>。様式「${a.template.title.ja}」、${view.progress.applicable}問中 ${view.progress.answered}問回答。${a.status === 'submitted' ? '最初の審査操作で「審査中」になります。' : ''}</p>
<div class="two-col"><div>${scoreSummary(score)}</div><div>
${canDecide ? html`<section aria-labelledby="h-decide" class="card"><h2 id="h-decide">判断</h2>${a.preparer.id === user.id ? html`<p class="errors">この評価はあなたが発行したため、判断できません（職務の分離）。</p>` : html`${errorSummary(dstate)}
<form method="post" action="/assessments/${a._id}/decision" novalidate>${csrfField(req)}
${field({ name: 'result', label: '判断', type: 'select', required: true, options: ['approved', 'conditional', 'rejected'].map((r) => ({ value: r, label: RESULT_LABELS[r]! })) }, dstate)}
${field({ name: 'reason', label: '判断の理由', type: 'textarea', required: true }, dstate)}
<p class="hint">条件付き承認の場合の条件（採点が提案した条件を入れてあります。不要な行は条件を空欄にしてください）。</p>
${groupRows('conditions', '条件', CONDITION, dstate)}
<div class="form-actions"><button type="submit" class="primary">判断を記録する</button></div></form>`}</section>` : a.decision ? html`<section class="card"><h2>判断</h2><p class="big">${RESULT_LABELS[(a.decision as { result: string }).result]}</p><p>${(a.decision as { reason: string }).reason}</p></section>` : ''}
${canReview ? html`<section class="card"><h2>確認依頼</h2><form method="post" action="/assessments/${a._id}/review">${csrfField(req)}<input type="hidden" name="action" value="requestClarification">
<label for="clar">回答者への依頼内容</label><textarea id="clar" name="message" rows="3" required></textarea><button type="submit">確認を依頼する（回答者が再び回答できるようになります）</button></form></section>` : ''}
</div></div>
<h2>設問ごとの回答と審査（${applicable.length}問）</h2>
${applicable.map((q) => questionBlock(req, a, q, byId.get(q.id), canReview))}
<h2>質問しなかった設問（${score.notAsked.length}問）</h2>${score.notAsked.length ? html`<ul>${score.notAsked.map((n) => html`<li>${n.id}: ${n.reason.ja}</li>`)}</ul>` : html`<p class="muted">ありません。</p>`}`;
  await render(req, res, { title: `審査: ${a.subject.name}`, status, active: 'assessments', crumbs: [['評価', '/assessments'], [a.subject.name, `/assessments/${a._id}`]], body });
}

export function mountReviewPages(router: Router, ctx: ConsoleContext): void {
  router.get('/assessments/:id/review', async (req, res) => {
    authorize(principalOf(req), 'assessments.review');
    await reviewPage(req, res, await assessmentFor(req, String(req.params.id)));
  });

  router.post('/assessments/:id/review', async (req, res) => {
    const a = await assessmentFor(req, String(req.params.id), 'assessments.review');
    const b = req.body as Record<string, string>;
    const input = validate(apiBody(ctx.api, 'post', '/api/v1/assessments/:id/review'), {
      action: b.action, questionId: b.questionId, target: b.target, text: b.text, measure: b.measure, expiresOn: b.expiresOn, message: b.message,
      ...(b.action === 'comment' ? { visibleToRespondent: b.visibleToRespondent === 'on' } : {}),
    }) as ReviewAction;
    await applyReview(contextOf(req), a, input, principalOf(req).name);
    res.redirect(303, `/assessments/${a._id}/review?done=action${'questionId' in input ? `#q-${input.questionId}` : ''}`);
  });

  router.post('/assessments/:id/decision', async (req, res) => {
    const a = await assessmentFor(req, String(req.params.id), 'assessments.decide');
    const body = req.body as Record<string, unknown>;
    try {
      const conditions = parseGroup('conditions', CONDITION, body, ['text']).map((c) => ({ ...c, questionId: c.questionId ?? null }));
      const input = validate(apiBody(ctx.api, 'post', '/api/v1/assessments/:id/decision'), { result: body.result, reason: body.reason ?? '', conditions }) as DecisionInput;
      await decide(contextOf(req), principalOf(req), a, input);
    } catch (err) {
      const f = formErrors(err);
      if (!f) throw err;
      const values = { ...body };
      delete values._csrf;
      return reviewPage(req, res, a, { values, ...f }, 400);
    }
    res.redirect(303, `/assessments/${a._id}?done=decided`);
  });
}
