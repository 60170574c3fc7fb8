/** 評価: list, issuing (template choice, which questions apply and why), the vendor link, cancelling. */
import type { Request, Response, Router } from 'express';
import { html, type Html } from '../html.js';
import { authorize, departmentFilter, scopeFor } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { contextOf } from '../../audit/actor.js';
import { AppError } from '../../http/errors.js';
import { assessmentStore, type Assessment } from '../../assessments/assessment.model.js';
import { cancelAssessment, issueAssessment } from '../../assessments/commands.js';
import { issueLink, revokeLink, vendorUrl } from '../../assessments/links.js';
import { presentForStaff } from '../../assessments/presenter.js';
import { STATUS_LABELS, STATUSES, ANSWERABLE, REVIEWABLE } from '../../assessments/status.js';
import { applicableQuestions, templatesFor } from '../../questionnaires/index.js';
import { factsOf } from '../../risk/facts-of.js';
import { KIND_LABELS, subjectName, type SubjectRecord } from '../../records/subject.js';
import type { SubjectKind } from '../../records/subject.types.js';
import { addDays, todayInTokyo } from '../../shared/dates.js';
import { csrfField, heading, notice, postButton, render } from './layout.js';
import { apiBody, blankState, errorSummary, field, formErrors, validate, type FormState } from './forms.js';
import { filterForm, findPage, listParams, pager, searchFilter, sortHeader, table } from './list.js';
import { dateCell, dateTime, RESULT_LABELS, tierBadge } from './format.js';
import { historyOf, historyTable } from './history.js';
import { loadRecord } from './records.js';
import { KIND_BASES } from './subjects.js';
import { may } from './subject-detail.js';
import { mountStaffAnswers } from './staff-answers.js';
import type { ConsoleContext } from './index.js';

const BASE = '/assessments';
const SORTS = { due: '回答期限の近い順', updated: '更新日の新しい順', issued: '発行日の新しい順' };
const SORT_SPEC: Record<string, Record<string, 1 | -1>> = { due: { dueDate: 1 }, updated: { updatedAt: -1 }, issued: { issuedOn: -1 } };

/** The assessment if this user may see it (404 otherwise) and do `action` to it (403). */
export async function assessmentFor(req: Request, id: string, action: Parameters<typeof may>[1] = 'records.read'): Promise<Assessment> {
  const a = /^[0-9a-f]{24}$/.test(id) ? await assessmentStore.get(id) : null;
  const user = principalOf(req);
  if (!a || !may(user, 'records.read', a.departmentId)) throw new AppError('not_found', '指定された評価は見つかりません', 404);
  authorize(user, action);
  if (!may(user, action, a.departmentId)) throw new AppError('not_found', '指定された評価は見つかりません', 404);
  return a;
}

const isKind = (k: unknown): k is SubjectKind => k === 'engagement' || k === 'cloudService' || k === 'snsAccount';

async function issuePage(req: Request, res: Response, ctx: ConsoleContext, kind: SubjectKind, record: SubjectRecord, state: FormState, status = 200) {
  const facts = factsOf(record, todayInTokyo());
  const templates = templatesFor(ctx.content.templates, facts);
  const chosenId = String(state.values.templateId ?? req.query.templateId ?? templates[0]?.id ?? '');
  const template = templates.find((t) => t.id === chosenId) ?? templates[0];
  const preview = template ? applicableQuestions(template, facts) : null;
  const text = new Map(template?.questions.map((q) => [q.id, q.text.ja]) ?? []);
  const applies = preview?.questions.filter((q) => q.applies) ?? [];
  const out = preview?.questions.filter((q) => !q.applies) ?? [];
  const body = html`${heading('質問票を発行')}<p>対象: <a href="${KIND_BASES[kind]}/${record._id}">${KIND_LABELS[kind]}「${subjectName(record)}」</a> ${tierBadge(record.tier)}</p>
${templates.length === 0 ? html`<p class="errors">この対象に使える質問票の様式がありません。</p>` : html`
<form method="get" action="${BASE}/new" class="filters"><input type="hidden" name="kind" value="${kind}"><input type="hidden" name="id" value="${record._id}">
${field({ name: 'templateId', label: '様式', type: 'select', required: true, options: templates.map((t) => ({ value: t.id, label: `${t.title.ja}（第${t.version}版、回答者: ${t.respondent === 'vendor' ? '事業者' : '職員'}）` })) }, { values: { templateId: template?.id }, errors: {} })}
<div class="field"><button type="submit">この様式で確認する</button></div></form>
${errorSummary(state)}
<form method="post" action="${BASE}" novalidate>${csrfField(req)}<input type="hidden" name="kind" value="${kind}"><input type="hidden" name="id" value="${record._id}"><input type="hidden" name="templateId" value="${template!.id}">
<div class="form-grid">${field({ name: 'dueDate', label: '回答期限', type: 'date', required: true }, state)}
${field({ name: 'language', label: '質問票の言語', type: 'select', required: true, options: [{ value: 'ja', label: '日本語' }, { value: 'en', label: '英語（海外の事業者向け）' }] }, state)}</div>
<div class="form-actions"><button type="submit" class="primary">「${template!.title.ja}」を発行する</button> <a href="${KIND_BASES[kind]}/${record._id}">取り消す</a></div></form>
<h2>適用される設問（${applies.length}問）</h2><p class="hint">${preview!.subject.reason.ja}</p>
${table('適用される設問', html`<th scope="col">設問</th><th scope="col">内容</th><th scope="col">必須度</th><th scope="col">適用の理由</th>`, applies.map((q) => html`<tr><td>${q.id}</td><td>${text.get(q.id)}</td><td>${q.must?.level ?? ''}</td><td>${q.reason.ja}</td></tr>`))}
<h2>対象外の設問（${out.length}問）</h2>
${table('対象外の設問', html`<th scope="col">設問</th><th scope="col">内容</th><th scope="col">対象外の理由</th>`, out.map((q) => html`<tr><td>${q.id}</td><td>${text.get(q.id)}</td><td>${q.status === 'pending' ? '（回答により追加される可能性があります）' : ''}${q.reason.ja}</td></tr>`))}`}`;
  await render(req, res, { title: '質問票を発行', status, active: 'assessments', crumbs: [['評価', BASE]], body });
}

export function mountAssessmentPages(router: Router, ctx: ConsoleContext): void {
  router.get(BASE, async (req, res) => {
    const user = principalOf(req);
    const p = listParams(req, Object.keys(SORTS), ['status', 'subjectKind']);
    const filter: Record<string, unknown> = { archivedAt: null };
    if ((STATUSES as readonly string[]).includes(p.filters.status ?? '')) filter.status = p.filters.status;
    if (isKind(p.filters.subjectKind)) filter['subject.kind'] = p.filters.subjectKind;
    const dept = departmentFilter(user);
    if (dept) filter.departmentId = dept;
    Object.assign(filter, searchFilter(p.q, ['subject.name']));
    const { items, total } = await findPage(assessmentStore, filter, SORT_SPEC[p.sort]!, p);
    const today = todayInTokyo();
    await render(req, res, {
      title: '評価',
      active: 'assessments',
      body: html`${heading('評価（質問票）')}<p class="hint">質問票は、業務委託・外部サービス・SNSアカウントの画面から発行します。</p>
${filterForm(BASE, p, [
  { name: 'status', label: '状態', type: 'select', options: STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s].ja })) },
  { name: 'subjectKind', label: '対象の種類', type: 'select', options: Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label })) },
], SORTS, '対象の名称で検索')}
${table('評価の一覧', html`<th scope="col">対象</th><th scope="col">様式</th><th scope="col">状態</th><th scope="col">区分</th>${sortHeader(BASE, p, '発行日', 'issued')}${sortHeader(BASE, p, '回答期限', 'due')}<th scope="col">判断</th>`,
  items.map((a) => html`<tr><td><a href="${BASE}/${a._id}">${a.subject.name}</a> <span class="muted">${KIND_LABELS[a.subject.kind]}</span></td><td>${a.template?.title?.ja ?? a.templateId}</td><td>${STATUS_LABELS[a.status].ja}</td><td>${tierBadge(a.tier.tier)}</td><td>${dateCell(a.issuedOn)}</td><td>${dateCell(a.dueDate)}${ANSWERABLE.includes(a.status) && a.dueDate < today ? html` <strong class="gate-failed">期限超過</strong>` : ''}</td><td>${a.decision ? RESULT_LABELS[(a.decision as { result: string }).result] : '—'}</td></tr>`))}
${pager(BASE, p, total)}`,
    });
  });

  router.get(`${BASE}/new`, async (req, res) => {
    const kind = req.query.kind;
    if (!isKind(kind)) throw new AppError('not_found', '評価の対象が見つかりません', 404);
    const record = await loadRecord<SubjectRecord>(req, kind, String(req.query.id ?? ''), 'records.write');
    await issuePage(req, res, ctx, kind, record, blankState({ dueDate: addDays(todayInTokyo(), 14), language: 'ja', templateId: req.query.templateId }));
  });

  router.post(BASE, async (req, res) => {
    const body = req.body as Record<string, string>;
    if (!isKind(body.kind)) throw new AppError('not_found', '評価の対象が見つかりません', 404);
    const kind = body.kind;
    const record = await loadRecord<SubjectRecord>(req, kind, String(body.id ?? ''), 'records.write');
    const user = principalOf(req);
    const scope = authorize(user, 'records.write');
    try {
      const input = validate(apiBody(ctx.api, 'post', '/api/v1/assessments'), { subject: { kind, id: record._id }, templateId: body.templateId, dueDate: body.dueDate, language: body.language || 'ja' }) as Parameters<typeof issueAssessment>[3];
      const created = await issueAssessment(contextOf(req), { id: user.id, name: user.name }, ctx.content.templates, input, (departmentId) => {
        if (scope === 'department' && departmentId !== user.departmentId) throw new AppError('not_found', '評価の対象が見つかりません', 404);
      });
      res.redirect(303, `${BASE}/${created._id}?done=issued`);
    } catch (err) {
      const f = formErrors(err);
      if (!f || (err instanceof AppError && err.status === 404)) throw err;
      await issuePage(req, res, ctx, kind, record, { values: body, ...f }, err instanceof AppError ? err.status : 400);
    }
  });

  const detail = async (req: Request, res: Response, a: Assessment, extra: Html | string = '') => {
    const user = principalOf(req);
    const view = await presentForStaff(a);
    const history = await historyOf('assessment', a._id);
    const canWrite = may(user, 'records.write', a.departmentId);
    const open = !['decided', 'cancelled'].includes(a.status);
    const done: Record<string, string> = { issued: '質問票を発行しました。', revoked: 'リンクを失効させました。', cancelled: '評価を取り消しました。', submitted: '回答を提出しました。', decided: '判断を記録しました。' };
    const link = view.link;
    await render(req, res, {
      title: `評価: ${a.subject.name}`,
      active: 'assessments',
      crumbs: [['評価', BASE]],
      body: html`${heading(`評価: ${a.subject.name}`, html`${scopeFor(user, 'assessments.review') && (REVIEWABLE.includes(a.status) || a.status === 'decided') ? html`<a class="button primary" href="${BASE}/${a._id}/review">${a.status === 'decided' ? '審査の結果' : '審査する'}</a>` : ''}${a.respondent === 'staff' && ANSWERABLE.includes(a.status) && canWrite ? html` <a class="button primary" href="${BASE}/${a._id}/answer">回答する</a>` : ''}`)}
${notice(done[String(req.query.done)] ?? null)}${extra}
<dl class="facts"><dt>対象</dt><dd><a href="${KIND_BASES[a.subject.kind]}/${a.subject.id}">${KIND_LABELS[a.subject.kind]}「${a.subject.name}」</a></dd><dt>様式</dt><dd>${a.template.title.ja}（${a.templateId} 第${a.templateVersion}版）</dd>
<dt>状態</dt><dd><strong>${STATUS_LABELS[a.status].ja}</strong></dd><dt>固有リスク区分（発行時）</dt><dd>${tierBadge(a.tier.tier)} ${a.tier.reasons.map((r) => r.text).join('／')}</dd>
<dt>回答者</dt><dd>${a.respondent === 'vendor' ? `事業者${a.vendorName ? `（${a.vendorName}）` : ''}` : '職員'}</dd><dt>発行</dt><dd>${dateCell(a.issuedOn)}（${a.preparer.name}）</dd><dt>回答期限</dt><dd>${dateCell(a.dueDate)}</dd>
<dt>回答の状況</dt><dd>${view.progress.applicable}問中 ${view.progress.answered}問回答済み</dd>
${a.submittedAt ? html`<dt>提出</dt><dd>${dateTime(a.submittedAt)}</dd>` : ''}
${a.decision ? html`<dt>判断</dt><dd><strong>${RESULT_LABELS[(a.decision as { result: string }).result]}</strong> — ${(a.decision as { reason: string }).reason}</dd>` : ''}
${a.cancellation ? html`<dt>取消し</dt><dd>${dateTime(a.cancellation.at)} ${a.cancellation.by}: ${a.cancellation.reason}</dd>` : ''}
${a.clarification && a.status === 'clarification_requested' ? html`<dt>確認依頼</dt><dd>${a.clarification.message}</dd>` : ''}</dl>
${a.respondent === 'vendor' ? html`<section aria-labelledby="h-link"><h2 id="h-link">事業者向けリンク</h2>
${link ? html`<p>${link.active ? html`有効（${dateTime(link.issuedAt)} 発行、${dateTime(link.expiresAt)} まで）` : html`無効（${link.revokedAt ? '失効済み' : '期限切れ'}）`}</p>` : html`<p>まだ発行していません。</p>`}
${canWrite && open ? html`<div class="page-actions">${postButton(req, `${BASE}/${a._id}/link`, link ? 'リンクを再発行する' : 'リンクを発行する', { className: 'primary', ...(link?.active ? { confirm: '再発行すると、これまでのリンクは使えなくなります。よろしいですか。' } : {}) })}
${link?.active ? postButton(req, `${BASE}/${a._id}/link/revoke`, 'リンクを失効させる', { className: 'danger', confirm: 'このリンクを使えなくします。よろしいですか。' }) : ''}</div>` : ''}</section>` : ''}
${may(user, 'downloads', a.departmentId) ? html`<section aria-labelledby="h-dl"><h2 id="h-dl">出力</h2><ul class="links"><li><a href="/api/v1/assessments/${a._id}/questionnaire.xlsx" download>質問票（Excel、オフライン回答用）</a></li><li><a href="/api/v1/assessments/${a._id}/report.xlsx" download>評価報告書（Excel）</a></li></ul></section>` : ''}
<section aria-labelledby="h-ex"><h2 id="h-ex">発行時に対象外とした設問（${a.excludedAtIssue.length}問）</h2>${a.excludedAtIssue.length ? html`<ul>${a.excludedAtIssue.map((x) => html`<li>${x.id}: ${x.reason.ja}</li>`)}</ul>` : html`<p class="muted">ありません。</p>`}</section>
${open && may(user, 'assessments.cancel', a.departmentId) ? html`<details><summary>この評価を取り消す</summary><form method="post" action="${BASE}/${a._id}/cancel" data-confirm="この評価を取り消します。よろしいですか。" novalidate>${csrfField(req)}${field({ name: 'reason', label: '取り消す理由', type: 'textarea', required: true }, blankState())}<button type="submit" class="danger">取り消す</button></form></details>` : ''}
<section aria-labelledby="h-hist"><h2 id="h-hist">履歴（監査ログ）</h2>${historyTable(history)}</section>`,
    });
  };

  router.get(`${BASE}/:id`, async (req, res) => detail(req, res, await assessmentFor(req, String(req.params.id))));

  router.post(`${BASE}/:id/link`, async (req, res) => {
    const a = await assessmentFor(req, String(req.params.id), 'records.write');
    const { token, expiresAt, assessment } = await issueLink(contextOf(req), a);
    const url = vendorUrl(ctx.config.publicBaseUrl ?? `${req.protocol}://${req.get('host')}`, token);
    // Shown in this answer only (never stored, never in a URL of ours): a reload does not show it again.
    await detail(req, res, assessment, html`<div class="link-box" role="status"><h2>事業者向けリンクを発行しました</h2><p>このリンクは<strong>この画面でしか表示しません</strong>。コピーして、事業者の担当者に安全な方法で伝えてください（${dateTime(expiresAt)} まで有効）。</p>
<label for="vendor-link">回答用リンク</label><input type="text" id="vendor-link" value="${url}" readonly> <button type="button" class="copy" data-copy-target="vendor-link" hidden>コピー</button></div>`);
  });

  router.post(`${BASE}/:id/link/revoke`, async (req, res) => {
    const a = await assessmentFor(req, String(req.params.id), 'records.write');
    await revokeLink(contextOf(req), a);
    res.redirect(303, `${BASE}/${a._id}?done=revoked`);
  });

  router.post(`${BASE}/:id/cancel`, async (req, res) => {
    const a = await assessmentFor(req, String(req.params.id), 'assessments.cancel');
    const { reason } = validate(apiBody(ctx.api, 'post', '/api/v1/assessments/:id/cancel'), { reason: (req.body as { reason?: string }).reason ?? '' }) as { reason: string };
    await cancelAssessment(contextOf(req), a._id, reason);
    res.redirect(303, `${BASE}/${a._id}?done=cancelled`);
  });

  mountStaffAnswers(router, ctx);
}
