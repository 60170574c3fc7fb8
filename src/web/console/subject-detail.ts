/** A subject's page: what it is, its tier and warnings explained, incidents, assessments, downloads and history. */
import type { Router } from 'express';
import { html, type Html } from '../html.js';
import { scopeFor, type Action, type Principal } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { contextOf } from '../../audit/actor.js';
import { presentEngagement } from '../../engagements/index.js';
import { presentCloudService } from '../../cloud-services/index.js';
import { presentSnsAccount } from '../../sns-accounts/index.js';
import { lookupFor } from '../../records/lookup.js';
import { recordIncident } from '../../records/incidents.commands.js';
import { KIND_LABELS, KIND_PATHS, subjectName, type SubjectRecord } from '../../records/subject.js';
import type { SubjectKind } from '../../records/subject.types.js';
import { AssessmentModel } from '../../assessments/assessment.model.js';
import { STATUS_LABELS } from '../../assessments/status.js';
import { countryName } from '../../risk/warnings.js';
import { csrfField, heading, notice, postButton, render } from './layout.js';
import { apiBody, field, formErrors, validate, type FormState } from './forms.js';
import { CONTRACT_TYPE_LABELS, dateCell, dateTime, PLACEMENT_LABELS, RESULT_LABELS, SEGMENT_LABELS, SERVICE_MODEL_LABELS, SEVERITY_LABELS, SUBJECT_STATUS_LABELS, TIER_TEXT, tierBadge, WORK_LOCATION_LABELS, yesNo, optionsOf } from './format.js';
import { historyOf, historyTable } from './history.js';
import { archiveRecord, loadRecord } from './records.js';
import type { ConsoleContext } from './index.js';

/** Whether the user may do `action` to a record of `departmentId` (the same rule as authorizeRecord, as a yes/no). */
export function may(user: Principal, action: Action, departmentId: string | null): boolean {
  const scope = scopeFor(user, action);
  return scope === 'all' || (scope === 'department' && departmentId === user.departmentId);
}

type View = Awaited<ReturnType<typeof presentEngagement>> | Awaited<ReturnType<typeof presentCloudService>> | Awaited<ReturnType<typeof presentSnsAccount>>;

async function present(r: SubjectRecord, lookup: ReturnType<typeof lookupFor>): Promise<View> {
  return r.kind === 'engagement' ? presentEngagement(r, lookup) : r.kind === 'cloudService' ? presentCloudService(r, lookup) : presentSnsAccount(r, lookup);
}

const label = (table: Record<string, string>, v: string | null | undefined) => (v ? (table[v] ?? v) : '—');
const countries = (list: string[]) => (list.length ? list.map(countryName).join('、') : '不明');

function kindFacts(v: View): Html {
  if ('title' in v) {
    return html`<dt>委託先</dt><dd><a href="/vendors/${v.vendor.id}">${v.vendor.name}</a></dd><dt>契約番号</dt><dd>${v.contractNumber || '—'}</dd>
<dt>契約期間</dt><dd>${dateCell(v.period.start)} 〜 ${dateCell(v.period.end)}</dd><dt>業務の内容</dt><dd>${v.description || '—'}</dd>
<dt>責任者</dt><dd>${v.responsiblePerson.name}${v.responsiblePerson.active ? '' : '（無効）'}</dd><dt>管理者</dt><dd>${v.administrator?.name ?? '—'}</dd>
<dt>ネットワークの区分</dt><dd>${label(SEGMENT_LABELS, v.segment)}</dd><dt>三層対策のモデル</dt><dd>${label(PLACEMENT_LABELS, v.placement)}</dd><dt>作業場所</dt><dd>${label(WORK_LOCATION_LABELS, v.workLocation)}</dd>
<dt>システムの開発・運用</dt><dd>${yesNo(v.systemWork)}</dd><dt>リモートアクセス</dt><dd>${yesNo(v.remoteAccess)}</dd><dt>再委託</dt><dd>${v.subcontractors.length ? v.subcontractors.map((s) => `${s.name}（${s.approved ? '承認済み' : '未承認'}）`).join('、') : 'なし'}</dd>`;
  }
  if ('provider' in v) {
    return html`<dt>提供事業者</dt><dd><a href="/vendors/${v.provider.id}">${v.provider.name}</a></dd><dt>サービスモデル</dt><dd>${label(SERVICE_MODEL_LABELS, v.serviceModel)}</dd>
<dt>契約の形態</dt><dd>${label(CONTRACT_TYPE_LABELS, v.contractType)}</dd><dt>外部サービス管理者</dt><dd>${v.administrator.name}${v.administrator.active ? '' : '（無効）'}</dd>
<dt>利用目的</dt><dd>${v.purpose || '—'}</dd><dt>契約期間</dt><dd>${v.contractPeriod ? html`${dateCell(v.contractPeriod.start)} 〜 ${dateCell(v.contractPeriod.end)}` : '—'}</dd>
<dt>データの保存国</dt><dd>データ: ${countries(v.dataLocations.data)}／バックアップ: ${countries(v.dataLocations.backups)}／ログ: ${countries(v.dataLocations.logs)}${v.dataLocations.note ? `（${v.dataLocations.note}）` : ''}</dd>
<dt>準拠法・裁判管轄</dt><dd>${v.governingLaw ? countryName(v.governingLaw) : '不明'}／${v.jurisdiction ? `${countryName(v.jurisdiction.country)} ${v.jurisdiction.court}` : '不明'}</dd>
<dt>ISMAP</dt><dd>${v.ismap ? html`${v.ismap.program === 'ismap' ? 'ISMAP' : 'ISMAP-LIU'} ${v.ismap.number}（有効期限 ${dateCell(v.ismap.validUntil)}）` : '未登録'}</dd>
<dt>生成AI</dt><dd>${yesNo(v.generativeAi)}</dd><dt>利用承認</dt><dd>${v.approval ? html`${dateCell(v.approval.approvedOn)} ${v.approval.approver} ${v.approval.reference}` : '—'}</dd>`;
  }
  return html`<dt>サービス</dt><dd>${v.platformLabel}</dd><dt>アカウント</dt><dd>${v.accountName}（${v.url}）</dd><dt>利用目的</dt><dd>${v.purpose || '—'}</dd>
<dt>責任者</dt><dd>${v.responsiblePerson?.name ?? '—'}</dd><dt>運用担当者</dt><dd>${v.operators.map((o) => o.name).join('、') || '—'}</dd>
<dt>公式サイトへの掲載</dt><dd>${v.officialSiteUrl ?? '未掲載'}</dd><dt>公式認証</dt><dd>${yesNo(v.officialVerification)}</dd><dt>二要素認証</dt><dd>${yesNo(v.twoFactor)}</dd>
<dt>災害情報の発信</dt><dd>${yesNo(v.disasterInformation)}</dd><dt>最後の活動</dt><dd>${dateCell(v.lastActivityOn)}</dd><dt>運用の委託</dt><dd>${v.operatedBy?.name ?? '—'}</dd>`;
}

function tierSection(v: View): Html {
  const t = v.tier;
  return html`<section aria-labelledby="h-tier"><h2 id="h-tier">固有リスク区分 ${tierBadge(t.tier)}（${TIER_TEXT[t.tier]}）</h2>
<p>区分は、取り扱う情報と業務の性質から次の規則で決まります（最も高いものが区分になります）。区分により、質問票の深さと見直しの間隔が決まります。</p>
<ul>${t.reasons.map((r) => html`<li>${tierBadge(r.tier)} ${r.text}</li>`)}</ul>
${t.override ? html`<p class="notice">情報セキュリティ担当が区分を T${t.override.computedTier} から ${tierBadge(t.override.tier)} に変更しています（${t.override.by.name ?? ''}、${dateTime(t.override.at)}）。理由: ${t.override.reason}</p>` : ''}
<p><strong>次回の見直し:</strong> ${dateCell(v.nextReview.date)}${v.nextReview.daysLeft < 0 ? html` <strong class="gate-failed">（${-v.nextReview.daysLeft}日超過）</strong>` : `（あと${v.nextReview.daysLeft}日）`} — ${v.nextReview.text}</p></section>`;
}

export function mountSubjectDetail(router: Router, ctx: ConsoleContext, kind: SubjectKind, base: string): void {
  const noun = KIND_LABELS[kind];
  const api = `/api/v1/${KIND_PATHS[kind]}`;

  const show = async (req: Parameters<Parameters<Router['get']>[1]>[0], res: Parameters<Parameters<Router['get']>[1]>[1], incident?: FormState) => {
    const user = principalOf(req);
    const r = await loadRecord<SubjectRecord>(req, kind, String(req.params.id));
    const lookup = lookupFor(req);
    const [v, assessments, history] = await Promise.all([
      present(r, lookup),
      AssessmentModel.find({ 'subject.kind': kind, 'subject.id': r._id }, { status: 1, templateId: 1, issuedOn: 1, dueDate: 1, 'template.title': 1, decision: 1 }).sort({ issuedOn: -1 }).limit(50).lean(),
      historyOf(kind, r._id),
    ]);
    const live = !r.archivedAt;
    const canWrite = live && may(user, 'records.write', r.departmentId);
    const done = req.query.done === 'created' ? '登録しました。' : req.query.done === 'updated' ? '保存しました。' : req.query.done === 'incident' ? 'インシデントを記録しました。次回の見直しに反映されます。' : null;
    const assets = 'informationAssets' in v ? v.informationAssets : [];
    const canDownload = may(user, 'downloads', r.departmentId);
    await render(req, res, {
      title: subjectName(r),
      status: incident ? 400 : 200,
      active: base.slice(1),
      crumbs: [[noun, base]],
      body: html`${heading(subjectName(r), canWrite ? html`<a class="button" href="${base}/${r._id}/edit">編集</a> <a class="button primary" href="/assessments/new?kind=${kind}&amp;id=${r._id}">質問票を発行</a> ${postButton(req, `${base}/${r._id}/archive`, 'アーカイブ', { confirm: `この${noun}をアーカイブします。よろしいですか。`, className: 'danger', fields: { version: r.version } })}` : '')}
${notice(done)}${live ? '' : html`<p class="notice">この記録はアーカイブされています（${dateTime(r.archivedAt)}）。</p>`}
<dl class="facts"><dt>所管課</dt><dd>${v.department.name}</dd><dt>状態</dt><dd>${SUBJECT_STATUS_LABELS[v.status]}</dd><dt>機密性（最も高い区分）</dt><dd>${v.classification ? `機密性${v.classification.level}` : '未登録（機密性1として扱います）'}</dd>${kindFacts(v)}<dt>登録日</dt><dd>${dateCell(v.registeredOn)}</dd><dt>版</dt><dd>第${v.version}版</dd></dl>
${tierSection(v)}
<section aria-labelledby="h-warn"><h2 id="h-warn">警告（${v.warnings.length}件）</h2>${v.warnings.length ? html`<ul class="warn-list">${v.warnings.map((w) => html`<li>${w.message}</li>`)}</ul>` : html`<p class="muted">警告はありません。</p>`}</section>
${kind !== 'snsAccount' ? html`<section aria-labelledby="h-assets"><h2 id="h-assets">取り扱う情報</h2>${assets.length ? html`<div class="table-wrap"><table class="list"><thead><tr><th scope="col">情報資産</th><th scope="col">機密性</th><th scope="col">完全性</th><th scope="col">可用性</th><th scope="col">個人情報</th><th scope="col">特定個人情報</th></tr></thead><tbody>${assets.map((a) => html`<tr><td>${a.name}</td><td>機密性${a.confidentiality.level}</td><td>${a.integrity}</td><td>${a.availability}</td><td>${yesNo(a.personalData)}</td><td>${yesNo(a.myNumber)}</td></tr>`)}</tbody></table></div>` : html`<p class="muted">登録されていません。</p>`}</section>` : ''}
<section aria-labelledby="h-dec"><h2 id="h-dec">評価と判断</h2>
${v.lastDecision ? html`<p>最新の判断: <strong>${RESULT_LABELS[v.lastDecision.result]}</strong>（${dateCell(v.lastDecision.date)}）</p>` : ''}
${assessments.length ? html`<ul>${assessments.map((a) => html`<li><a href="/assessments/${a._id}">${(a as { template?: { title?: { ja: string } } }).template?.title?.ja ?? a.templateId}</a> — ${STATUS_LABELS[a.status].ja}（発行 ${dateCell(a.issuedOn)}、回答期限 ${dateCell(a.dueDate)}）${a.decision ? `: ${RESULT_LABELS[(a.decision as { result: string }).result] ?? ''}` : ''}</li>`)}</ul>` : html`<p class="muted">まだ質問票を発行していません。</p>`}</section>
${canDownload && kind !== 'snsAccount' ? html`<section aria-labelledby="h-dl"><h2 id="h-dl">出力</h2><ul class="links">
<li><a href="${api}/${r._id}/annex.docx" download>契約書別紙「情報セキュリティに関する特記事項」（Word）</a>${kind === 'cloudService' && 'contractType' in v && v.contractType === 'terms' ? html` <span class="muted">（約款型のサービスには契約書がないため作成できません）</span>` : ''}</li>
<li><a href="${api}/${r._id}/annex.docx?format=json">特記事項に含まれる条項と理由（確認用）</a></li></ul></section>` : ''}
<section aria-labelledby="h-inc"><h2 id="h-inc">インシデント（${r.incidents.length}件）</h2>
${r.incidents.length ? html`<ul>${[...r.incidents].reverse().map((i) => html`<li>${dateCell(i.date)} [${SEVERITY_LABELS[i.severity]}] ${i.summary}（記録: ${i.recordedBy.name ?? ''}）</li>`)}</ul>` : html`<p class="muted">記録はありません。</p>`}
${live && may(user, 'incidents.write', r.departmentId) ? html`<details${incident ? html` open` : ''}><summary>インシデントを記録する</summary><form method="post" action="${base}/${r._id}/incidents" novalidate>${csrfField(req)}
${field({ name: 'date', label: '発生日', type: 'date', required: true }, incident ?? { values: {}, errors: {} })}
${field({ name: 'severity', label: '重大度', type: 'select', required: true, options: optionsOf(SEVERITY_LABELS) }, incident ?? { values: {}, errors: {} })}
${field({ name: 'summary', label: '概要', type: 'textarea', required: true }, incident ?? { values: {}, errors: {} })}
<button type="submit">記録する</button></form></details>` : ''}</section>
<section aria-labelledby="h-hist"><h2 id="h-hist">変更履歴（監査ログ）</h2>${historyTable(history)}</section>`,
    });
  };

  router.get(`${base}/:id`, (req, res) => show(req, res));

  router.post(`${base}/:id/incidents`, async (req, res) => {
    const r = await loadRecord<SubjectRecord>(req, kind, String(req.params.id), 'incidents.write');
    const body = req.body as Record<string, string>;
    try {
      const input = validate(apiBody(ctx.api, 'post', `${api}/:id/incidents`), { date: body.date ?? '', severity: body.severity ?? '', summary: body.summary ?? '' }) as Parameters<typeof recordIncident>[2];
      await recordIncident(contextOf(req), r, input);
    } catch (err) {
      const f = formErrors(err);
      if (!f) throw err;
      return show(req, res, { values: body, ...f });
    }
    res.redirect(303, `${base}/${r._id}?done=incident`);
  });

  router.post(`${base}/:id/archive`, async (req, res) => {
    await archiveRecord(req, kind, String(req.params.id), Number((req.body as { version?: string }).version) || 0);
    res.redirect(303, `${base}?done=archived`);
  });
}
