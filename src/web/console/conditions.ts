/** 条件: conditions of decisions, tracked to closure (open → done with evidence → accepted). */
import mongoose from 'mongoose';
import type { Request, Response, Router } from 'express';
import { html } from '../html.js';
import { departmentFilter } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { contextOf } from '../../audit/actor.js';
import { AppError } from '../../http/errors.js';
import { conditionStore, type Condition } from '../../decisions/condition.model.js';
import { acceptCondition, markConditionDone } from '../../decisions/conditions.commands.js';
import { KIND_LABELS } from '../../records/subject.js';
import { todayInTokyo } from '../../shared/dates.js';
import { csrfField, heading, notice, postButton, render } from './layout.js';
import { apiBody, blankState, errorSummary, field, formErrors, validate, type FormState } from './forms.js';
import { filterForm, findPage, listParams, pager, searchFilter, sortHeader, table } from './list.js';
import { CONDITION_STATUS_LABELS, dateCell, dateTime } from './format.js';
import { historyOf, historyTable } from './history.js';
import { may } from './subject-detail.js';
import { KIND_BASES } from './subjects.js';
import type { ConsoleContext } from './index.js';

const BASE = '/conditions';
const SORTS = { due: '期限の近い順', updated: '更新日の新しい順' };

async function conditionFor(req: Request, id: string, action: 'records.read' | 'conditions.complete' | 'conditions.accept'): Promise<Condition> {
  const c = /^[0-9a-f]{24}$/.test(id) ? await conditionStore.get(id) : null;
  const user = principalOf(req);
  if (!c || !may(user, 'records.read', c.departmentId)) throw new AppError('not_found', '指定された条件は見つかりません', 404);
  if (!may(user, action, c.departmentId)) throw new AppError('forbidden', 'この操作を行う権限がありません', 403);
  return c;
}

export function mountConditionPages(router: Router, ctx: ConsoleContext): void {
  router.get(BASE, async (req, res) => {
    const p = listParams(req, Object.keys(SORTS), ['status']);
    const filter: Record<string, unknown> = { archivedAt: null, ...searchFilter(p.q, ['text', 'subject.name', 'owner']) };
    if (p.filters.status === 'overdue') Object.assign(filter, { status: 'open', dueDate: mongoose.trusted({ $lt: todayInTokyo() }) });
    else if (['open', 'done', 'accepted'].includes(p.filters.status ?? '')) filter.status = p.filters.status;
    const dept = departmentFilter(principalOf(req));
    if (dept) filter.departmentId = dept;
    const { items, total } = await findPage(conditionStore, filter, p.sort === 'due' ? { dueDate: 1 } : { updatedAt: -1 }, p);
    const today = todayInTokyo();
    await render(req, res, {
      title: '条件',
      active: 'conditions',
      body: html`${heading('条件付き承認の条件')}
${filterForm(BASE, p, [{ name: 'status', label: '状態', type: 'select', options: [...Object.entries(CONDITION_STATUS_LABELS).map(([value, label]) => ({ value, label })), { value: 'overdue', label: '期限超過' }] }], SORTS, '条件・対象・対応する者で検索')}
${table('条件の一覧', html`<th scope="col">対象</th><th scope="col">条件</th><th scope="col">対応する者</th>${sortHeader(BASE, p, '期限', 'due')}<th scope="col">状態</th>`,
  items.map((c) => html`<tr><td>${c.subject.name} <span class="muted">${KIND_LABELS[c.subject.kind]}</span></td><td><a href="${BASE}/${c._id}">${c.number}. ${c.text}</a></td><td>${c.owner}</td><td>${dateCell(c.dueDate)}${c.status === 'open' && c.dueDate < today ? html` <strong class="gate-failed">期限超過</strong>` : ''}</td><td>${CONDITION_STATUS_LABELS[c.status]}</td></tr>`))}
${pager(BASE, p, total)}`,
    });
  });

  const show = async (req: Request, res: Response, c: Condition, state: FormState = blankState(), status = 200) => {
    const user = principalOf(req);
    const history = await historyOf('condition', c._id);
    const done = req.query.done === 'done' ? '対応完了を報告しました。情報セキュリティ担当の確認を待っています。' : req.query.done === 'accepted' ? '完了を確認しました。' : null;
    await render(req, res, {
      title: `条件 ${c.number}`,
      status,
      active: 'conditions',
      crumbs: [['条件', BASE]],
      body: html`${heading(`条件 ${c.number}: ${c.subject.name}`)}${notice(done)}
<dl class="facts"><dt>対象</dt><dd><a href="${KIND_BASES[c.subject.kind]}/${c.subject.id}">${KIND_LABELS[c.subject.kind]}「${c.subject.name}」</a></dd><dt>評価</dt><dd><a href="/assessments/${c.assessmentId}">評価の詳細</a></dd>
<dt>条件</dt><dd>${c.text}</dd><dt>対応する者</dt><dd>${c.owner}</dd><dt>期限</dt><dd>${dateCell(c.dueDate)}</dd><dt>状態</dt><dd><strong>${CONDITION_STATUS_LABELS[c.status]}</strong></dd>
${c.done ? html`<dt>対応の報告</dt><dd>${c.done.note}（${c.done.by}、${dateTime(c.done.at)}）</dd>` : ''}${c.accepted ? html`<dt>完了の確認</dt><dd>${c.accepted.by}、${dateTime(c.accepted.at)}</dd>` : ''}</dl>
${c.status === 'open' && may(user, 'conditions.complete', c.departmentId) ? html`<h2>対応完了を報告する</h2>${errorSummary(state)}<form method="post" action="${BASE}/${c._id}/done" novalidate>${csrfField(req)}<input type="hidden" name="version" value="${c.version}">
${field({ name: 'note', label: '対応した内容（証跡）', type: 'textarea', required: true, hint: '何をしたか、どの文書で確認できるかを書いてください。' }, state)}<button type="submit" class="primary">報告する</button></form>` : ''}
${c.status === 'done' && may(user, 'conditions.accept', c.departmentId) ? postButton(req, `${BASE}/${c._id}/accept`, '完了を確認する', { className: 'primary', fields: { version: c.version } }) : ''}
<h2>履歴（監査ログ）</h2>${historyTable(history)}`,
    });
  };

  router.get(`${BASE}/:id`, async (req, res) => show(req, res, await conditionFor(req, String(req.params.id), 'records.read')));

  router.post(`${BASE}/:id/done`, async (req, res) => {
    const c = await conditionFor(req, String(req.params.id), 'conditions.complete');
    const b = req.body as Record<string, string>;
    try {
      const input = validate(apiBody(ctx.api, 'post', '/api/v1/conditions/:id/done'), { version: Number(b.version), note: b.note ?? '' }) as { version: number; note: string };
      await markConditionDone(contextOf(req), principalOf(req).name, c, input.version, input.note);
    } catch (err) {
      const f = formErrors(err);
      if (!f) throw err;
      return show(req, res, c, { values: { note: b.note }, ...f }, 400);
    }
    res.redirect(303, `${BASE}/${c._id}?done=done`);
  });

  router.post(`${BASE}/:id/accept`, async (req, res) => {
    const c = await conditionFor(req, String(req.params.id), 'conditions.accept');
    await acceptCondition(contextOf(req), principalOf(req).name, c, Number((req.body as { version?: string }).version));
    res.redirect(303, `${BASE}/${c._id}?done=accepted`);
  });
}
