/** ダッシュボード: counts by status and tier, what falls due, gaps, and a tier × likelihood heat map. */
import mongoose from 'mongoose';
import type { Router } from 'express';
import { html, type Html } from '../html.js';
import { authorize, departmentFilter } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { dashboard } from '../../dashboard/index.js';
import { AssessmentModel } from '../../assessments/assessment.model.js';
import { ConditionModel } from '../../decisions/condition.model.js';
import { KIND_LABELS } from '../../records/subject.js';
import { WARNING_CATALOGUE, type WarningCode } from '../../risk/warnings.js';
import { todayInTokyo } from '../../shared/dates.js';
import { heading, render } from './layout.js';
import { dateCell, SUBJECT_STATUS_LABELS, tierBadge } from './format.js';
import { KIND_BASES } from './subjects.js';
import type { ConsoleContext } from './index.js';

/**
 * The heat map of current results: for each subject, its latest decided assessment, counted by tier (T) and
 * likelihood (L) as scored. The dashboard query leaves `heatmap` empty; this reads the decisions directly.
 */
export async function heatmap(departmentId: string | null): Promise<{ cells: number[][]; total: number }> {
  const decided = await AssessmentModel.find({ status: 'decided', archivedAt: null, ...(departmentId ? { departmentId } : {}) }, { subject: 1, decision: 1 }).lean();
  const latest = new Map<string, { at: string; tier: number; likelihood: number | null }>();
  for (const a of decided) {
    const d = a.decision as { decidedAt?: string; score?: { tier: number; likelihood: number | null } } | null;
    if (!d?.score) continue;
    const key = `${a.subject.kind}:${a.subject.id}`;
    const at = d.decidedAt ?? '';
    if ((latest.get(key)?.at ?? '') <= at) latest.set(key, { at, tier: d.score.tier, likelihood: d.score.likelihood });
  }
  const cells = [0, 1, 2, 3].map(() => [0, 0, 0, 0, 0]);
  for (const { tier, likelihood } of latest.values()) cells[tier - 1]![likelihood ?? 0]!++;
  return { cells, total: latest.size };
}

function heatClass(tier: number, l: number, n: number): string {
  if (n === 0) return 'heat-0';
  const r = tier * l;
  return r >= 12 ? 'heat-top' : r >= 9 ? 'heat-high' : r >= 6 ? 'heat-mid' : 'heat-low';
}

export function mountDashboard(router: Router, _ctx: ConsoleContext): void {
  router.get('/', async (req, res) => {
    const user = principalOf(req);
    authorize(user, 'reference.read');
    const dept = departmentFilter(user, 'records.read');
    const today = todayInTokyo();
    const [d, heat, dueAssessments, openConditions] = await Promise.all([
      dashboard(user, 30),
      heatmap(dept),
      AssessmentModel.find({ status: mongoose.trusted({ $in: ['issued', 'in_progress', 'clarification_requested', 'submitted', 'under_review'] }), archivedAt: null, ...(dept ? { departmentId: dept } : {}) }, { subject: 1, status: 1, dueDate: 1 }).sort({ dueDate: 1 }).limit(10).lean(),
      ConditionModel.find({ status: 'open', archivedAt: null, ...(dept ? { departmentId: dept } : {}) }, { subject: 1, text: 1, dueDate: 1 }).sort({ dueDate: 1 }).limit(10).lean(),
    ]);
    const kinds = [['engagements', 'engagement'], ['cloudServices', 'cloudService'], ['snsAccounts', 'snsAccount']] as const;
    const card = (key: (typeof kinds)[number][0], kind: (typeof kinds)[number][1]): Html => {
      const c = d.counts[key];
      return html`<div class="card"><h2><a href="${KIND_BASES[kind]}">${KIND_LABELS[kind]}</a></h2><p class="big">${c.total}<span class="muted">件</span></p>
<p>${Object.entries(c.byStatus).map(([s, n]) => `${SUBJECT_STATUS_LABELS[s] ?? s} ${n}`).join('／') || '—'}</p>
<p>${(['1', '2', '3', '4'] as const).map((t) => html`<a href="${KIND_BASES[kind]}?tier=${t}">${tierBadge(Number(t))} ${c.byTier[t]}</a> `)}</p></div>`;
    };
    const body = html`${heading('ダッシュボード')}<p>${dept ? '所管課の記録の集計です。' : '全庁の集計です。'}今日: ${dateCell(today)}</p>
<div class="cards">${kinds.map(([k, kind]) => card(k, kind))}<div class="card"><h2><a href="/vendors">事業者</a></h2><p class="big">${d.counts.vendors.total}<span class="muted">者</span></p></div></div>
<div class="two-col"><section aria-labelledby="h-heat"><h2 id="h-heat">現在の評価結果（区分 × 発生可能性）</h2>
<p class="hint">対象ごとの最新の判断で、固有リスク区分 T と発生可能性 L（管理策の得点から）の組み合わせを数えています（${heat.total}件）。右下ほど残留リスク R = T × L が高くなります。</p>
<table class="heatmap"><caption class="visually-hidden">区分と発生可能性の分布</caption><thead><tr><th scope="col">区分＼L</th>${[1, 2, 3, 4].map((l) => html`<th scope="col">L${l}</th>`)}<th scope="col">L なし</th></tr></thead>
<tbody>${[1, 2, 3, 4].map((t) => html`<tr><th scope="row">${tierBadge(t)}</th>${[1, 2, 3, 4].map((l) => html`<td class="${heatClass(t, l, heat.cells[t - 1]![l]!)}">${heat.cells[t - 1]![l]}</td>`)}<td class="heat-0">${heat.cells[t - 1]![0]}</td></tr>`)}</tbody></table></section>
<section aria-labelledby="h-gaps"><h2 id="h-gaps">不備（警告）</h2>${Object.keys(d.gaps.byCode).length ? html`<ul>${Object.entries(d.gaps.byCode).map(([code, n]) => html`<li>${WARNING_CATALOGUE[code as WarningCode]?.label ?? code}: ${n}件</li>`)}</ul>
<details><summary>記録ごとの警告（${d.gaps.items.length}件）</summary><ul>${d.gaps.items.map((g) => html`<li><a href="${KIND_BASES[g.kind]}/${g.id}">${g.name}</a>: ${g.warnings.map((w) => WARNING_CATALOGUE[w.code].label).join('、')}</li>`)}</ul></details>` : html`<p class="muted">ありません。</p>`}</section></div>
<h2>期限が近いもの</h2><div class="two-col">
<section><h3>見直し（30日以内・超過）</h3>${d.due.reviews.length ? html`<ul>${d.due.reviews.slice(0, 15).map((r) => html`<li>${dateCell(r.date)} <a href="${KIND_BASES[r.kind]}/${r.id}">${r.name}</a> ${tierBadge(r.tier)}${r.overdue ? html` <strong class="gate-failed">超過</strong>` : ''}</li>`)}</ul>` : html`<p class="muted">ありません。</p>`}</section>
<section><h3>回答・審査待ちの評価</h3>${dueAssessments.length ? html`<ul>${dueAssessments.map((a) => html`<li>${dateCell(a.dueDate)} <a href="/assessments/${a._id}">${a.subject.name}</a>${a.dueDate < today && ['issued', 'in_progress'].includes(a.status) ? html` <strong class="gate-failed">期限超過</strong>` : ''}</li>`)}</ul>` : html`<p class="muted">ありません。</p>`}</section>
<section><h3>認証・ISMAP の有効期限（60日以内）</h3>${d.due.certificates.length ? html`<ul>${d.due.certificates.map((c) => html`<li>${dateCell(c.validUntil)} <a href="${c.source === 'vendor' ? `/vendors/${c.id}` : `/cloud-services/${c.id}`}">${c.name}</a> ${c.certificate}${c.daysLeft < 0 ? html` <strong class="gate-failed">期限切れ</strong>` : ''}</li>`)}</ul>` : html`<p class="muted">ありません。</p>`}</section>
<section><h3>契約終了（終了時の確認が未記録）</h3>${d.due.contracts.length ? html`<ul>${d.due.contracts.map((c) => html`<li>${dateCell(c.end)} <a href="/engagements/${c.id}">${c.name}</a>${c.ended ? '（終了済み）' : ''}</li>`)}</ul>` : html`<p class="muted">ありません。</p>`}</section>
<section><h3>未対応の条件</h3>${openConditions.length ? html`<ul>${openConditions.map((c) => html`<li>${dateCell(c.dueDate)} <a href="/conditions/${c._id}">${c.subject.name}: ${c.text.slice(0, 40)}</a>${c.dueDate < today ? html` <strong class="gate-failed">期限超過</strong>` : ''}</li>`)}</ul>` : html`<p class="muted">ありません。</p>`}</section></div>`;
    await render(req, res, { title: 'ダッシュボード', active: 'dashboard', body });
  });
}
