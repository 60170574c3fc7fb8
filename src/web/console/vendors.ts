/** 事業者: list, detail, create and edit (shared master data: vendors.read / vendors.write). */
import type { Request, Response, Router } from 'express';
import { html } from '../html.js';
import { authorize, scopeFor, departmentFilter } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { CERTIFICATION_LABELS, presentVendor, vendorStore, type Vendor } from '../../vendors/index.js';
import { EngagementModel } from '../../engagements/index.js';
import { CloudServiceModel } from '../../cloud-services/index.js';
import { countryName } from '../../risk/warnings.js';
import { heading, notice, postButton, render, csrfField } from './layout.js';
import { blankState, errorSummary, fields, flatten, groupRows, parseFields, parseGroup, saveForm, type FieldSpec, type FormState } from './forms.js';
import { filterForm, findPage, listParams, pager, searchFilter, sortHeader, table } from './list.js';
import { dateCell, optionsOf } from './format.js';
import { historyOf, historyTable } from './history.js';
import { archiveRecord, createRecord, loadRecord, updateRecord } from './records.js';
import type { ConsoleContext } from './index.js';

const BASE = '/vendors';
const SORTS = { kana: 'フリガナ順', name: '名称順', updated: '更新日の新しい順' };
const SORT_SPEC: Record<string, Record<string, 1 | -1>> = { kana: { nameKana: 1 }, name: { name: 1 }, updated: { updatedAt: -1 } };

const MAIN: FieldSpec[] = [
  { name: 'name', label: '名称', required: true, size: 'long' },
  { name: 'nameKana', label: 'フリガナ', hint: 'カタカナで入力してください（ひらがなは自動でカタカナにします）。' },
  { name: 'corporateNumber', label: '法人番号（13桁）', nullable: true, size: 'short', hint: '国内の事業者は必須です。半角数字13桁（検査用数字を確認します）。' },
  { name: 'country', label: '本店所在国（ISO 3166-1 の2文字）', size: 'short', hint: '例: JP（日本）、US（アメリカ合衆国）' },
  { name: 'address', label: '所在地', size: 'long' },
  { name: 'note', label: '備考', type: 'textarea' },
];
const CONTACT: FieldSpec[] = [
  { name: 'name', label: '氏名' },
  { name: 'department', label: '部署' },
  { name: 'title', label: '役職' },
  { name: 'role', label: '役割（例: 営業担当）' },
  { name: 'email', label: 'メールアドレス', type: 'email' },
  { name: 'phone', label: '電話番号' },
];
const CERT: FieldSpec[] = [
  { name: 'id', label: '', type: 'hidden' },
  { name: 'type', label: '種類', type: 'select', options: optionsOf(CERTIFICATION_LABELS) },
  { name: 'name', label: '名称・補足（その他の場合は必須）' },
  { name: 'number', label: '登録番号' },
  { name: 'scope', label: '適用範囲' },
  { name: 'validUntil', label: '有効期限', type: 'date', nullable: true },
];

function parse(body: Record<string, unknown>): Record<string, unknown> {
  const input = parseFields(MAIN, body);
  input.contacts = parseGroup('contacts', CONTACT, body, ['name']);
  input.certifications = parseGroup('certifications', CERT, body, ['type']);
  if (typeof body.version === 'string') input.version = Number(body.version);
  return input;
}

function form(req: Request, action: string, state: FormState, version?: number): ReturnType<typeof html> {
  return html`${errorSummary(state)}<form method="post" action="${action}" novalidate>${csrfField(req)}${version ? html`<input type="hidden" name="version" value="${String(state.values.version ?? version)}">` : ''}
<fieldset class="form-section"><legend>基本情報</legend><div class="form-grid">${fields(MAIN, state)}</div></fieldset>
<fieldset class="form-section"><legend>連絡先</legend>${groupRows('contacts', '連絡先', CONTACT, state)}</fieldset>
<fieldset class="form-section"><legend>認証・認定</legend><p class="hint">ISMS、ISMAP、プライバシーマーク等。有効期限は、関係する業務委託・外部サービスの見直し時期に反映されます。</p>${groupRows('certifications', '認証', CERT, state)}</fieldset>
<div class="form-actions"><button type="submit" class="primary">保存する</button> <a href="${version ? action.replace(/\/edit$/, '') : BASE}">取り消す</a></div></form>`;
}

const show = (req: Request, res: Response, title: string, body: ReturnType<typeof html>, status = 200) =>
  render(req, res, { title, status, active: 'vendors', crumbs: [['事業者', BASE]], body: html`${heading(title)}${body}` });

export function mountVendorPages(router: Router, ctx: ConsoleContext): void {
  router.get(BASE, async (req, res) => {
    const user = principalOf(req);
    const p = listParams(req, Object.keys(SORTS), ['country', 'certification']);
    const filter: Record<string, unknown> = { archivedAt: null, ...searchFilter(p.q, ['name', 'nameKana', 'corporateNumber']) };
    if (p.filters.country) filter.country = p.filters.country.toUpperCase();
    if (p.filters.certification) filter['certifications.type'] = p.filters.certification;
    const { items, total } = await findPage(vendorStore, filter, SORT_SPEC[p.sort]!, p);
    const canWrite = Boolean(scopeFor(user, 'vendors.write'));
    await render(req, res, {
      title: '事業者',
      active: 'vendors',
      body: html`${heading('事業者', html`${canWrite ? html`<a class="button primary" href="${BASE}/new">事業者を登録</a>` : ''}${scopeFor(user, 'downloads') ? html` <a class="button" href="/api/v1/registers/vendors.xlsx">台帳（Excel）</a>` : ''}`)}
${notice(req.query.done === 'archived' ? 'アーカイブしました。' : null)}
${filterForm(BASE, p, [
  { name: 'country', label: '国（2文字）', size: 'short' },
  { name: 'certification', label: '認証', type: 'select', options: optionsOf(CERTIFICATION_LABELS) },
], SORTS, '名称・フリガナ・法人番号で検索')}
${table('事業者の一覧', html`${sortHeader(BASE, p, '名称', 'name')}${sortHeader(BASE, p, 'フリガナ', 'kana')}<th scope="col">法人番号</th><th scope="col">国</th><th scope="col">認証</th>${sortHeader(BASE, p, '更新', 'updated')}`,
  items.map((v) => html`<tr><td><a href="${BASE}/${v._id}">${v.name}</a></td><td>${v.nameKana}</td><td>${v.corporateNumber ?? '—'}</td><td>${countryName(v.country)}</td><td>${v.certifications.map((c) => CERTIFICATION_LABELS[c.type]).join('、') || '—'}</td><td>${dateCell(v.updatedAt.toISOString().slice(0, 10))}</td></tr>`))}
${pager(BASE, p, total)}`,
    });
  });

  router.get(`${BASE}/new`, async (req, res) => {
    authorize(principalOf(req), 'vendors.write');
    await show(req, res, '事業者を登録', form(req, BASE, blankState({ country: 'JP' })));
  });

  router.post(BASE, (req, res) =>
    saveForm(req, res, {
      parse: () => parse(req.body),
      save: (input) => createRecord<Vendor>(ctx.api, req, 'vendor', input),
      done: (v) => `${BASE}/${v._id}?done=created`,
      show: (state, status) => show(req, res, '事業者を登録', form(req, BASE, state), status),
    }),
  );

  router.get(`${BASE}/:id`, async (req, res) => {
    const user = principalOf(req);
    const v = await loadRecord<Vendor>(req, 'vendor', String(req.params.id));
    const view = presentVendor(v);
    const dept = scopeFor(user, 'records.read') ? departmentFilter(user) : '__none__';
    const scoped = dept ? { departmentId: dept } : {};
    const [engagements, services, history] = await Promise.all([
      EngagementModel.find({ vendorId: v._id, archivedAt: null, ...scoped }, { title: 1 }).limit(100).lean(),
      CloudServiceModel.find({ providerVendorId: v._id, archivedAt: null, ...scoped }, { name: 1 }).limit(100).lean(),
      historyOf('vendor', v._id),
    ]);
    const canWrite = Boolean(scopeFor(user, 'vendors.write')) && !v.archivedAt;
    const done = req.query.done === 'created' ? '登録しました。' : req.query.done === 'updated' ? '保存しました。' : null;
    await render(req, res, {
      title: v.name,
      active: 'vendors',
      crumbs: [['事業者', BASE]],
      body: html`${heading(v.name, canWrite ? html`<a class="button" href="${BASE}/${v._id}/edit">編集</a> ${postButton(req, `${BASE}/${v._id}/archive`, 'アーカイブ', { confirm: 'この事業者をアーカイブします。よろしいですか。', className: 'danger', fields: { version: v.version } })}` : '')}
${notice(done)}${v.archivedAt ? html`<p class="notice">この事業者はアーカイブされています。</p>` : ''}
<dl class="facts"><dt>フリガナ</dt><dd>${view.nameKana || '—'}</dd><dt>法人番号</dt><dd>${view.corporateNumber ?? '—'}</dd><dt>本店所在国</dt><dd>${view.countryName}</dd><dt>所在地</dt><dd>${view.address || '—'}</dd><dt>備考</dt><dd>${view.note || '—'}</dd><dt>版</dt><dd>第${view.version}版</dd></dl>
<h2>認証・認定</h2>${table('認証', html`<th scope="col">種類</th><th scope="col">登録番号</th><th scope="col">適用範囲</th><th scope="col">有効期限</th><th scope="col" class="num">残り日数</th>`,
  view.certifications.map((c) => html`<tr><td>${c.label}</td><td>${c.number || '—'}</td><td>${c.scope || '—'}</td><td>${dateCell(c.validUntil)}</td><td class="num">${c.daysLeft === null ? '—' : c.daysLeft < 0 ? html`<strong class="gate-failed">期限切れ（${-c.daysLeft}日経過）</strong>` : `${c.daysLeft}日`}</td></tr>`), '登録されていません。')}
<h2>連絡先</h2>${table('連絡先', html`<th scope="col">氏名</th><th scope="col">部署・役職</th><th scope="col">役割</th><th scope="col">メール</th><th scope="col">電話</th>`,
  view.contacts.map((c) => html`<tr><td>${c.name}</td><td>${[c.department, c.title].filter(Boolean).join(' ') || '—'}</td><td>${c.role || '—'}</td><td>${c.email || '—'}</td><td>${c.phone || '—'}</td></tr>`), '登録されていません。')}
<h2>この事業者との業務委託・外部サービス</h2>
<ul>${engagements.map((e) => html`<li>業務委託: <a href="/engagements/${e._id}">${e.title}</a></li>`)}${services.map((s) => html`<li>外部サービス: <a href="/cloud-services/${s._id}">${s.name}</a></li>`)}</ul>
${engagements.length + services.length === 0 ? html`<p class="muted">（閲覧できるものはありません）</p>` : ''}
<h2>変更履歴</h2>${historyTable(history)}`,
    });
  });

  const editState = (v: Vendor): FormState => blankState({ ...flatten({ ...v, contacts: v.contacts, certifications: v.certifications }), version: String(v.version) });

  router.get(`${BASE}/:id/edit`, async (req, res) => {
    const v = await loadRecord<Vendor>(req, 'vendor', String(req.params.id), 'vendors.write');
    await show(req, res, `${v.name} を編集`, form(req, `${BASE}/${v._id}/edit`, editState(v), v.version));
  });

  router.post(`${BASE}/:id/edit`, async (req, res) => {
    const id = String(req.params.id);
    const v = await loadRecord<Vendor>(req, 'vendor', id, 'vendors.write');
    await saveForm(req, res, {
      parse: () => parse(req.body),
      save: (input) => updateRecord<Vendor>(ctx.api, req, 'vendor', id, input),
      done: () => `${BASE}/${id}?done=updated`,
      show: (state, status) => show(req, res, `${v.name} を編集`, form(req, `${BASE}/${id}/edit`, state, v.version), status),
      stored: async () => {
        const latest = await vendorStore.get(id);
        return latest ? { values: editState(latest).values, version: latest.version } : null;
      },
    });
  });

  router.post(`${BASE}/:id/archive`, async (req, res) => {
    await archiveRecord(req, 'vendor', String(req.params.id), Number((req.body as { version?: string }).version) || 0);
    res.redirect(303, `${BASE}?done=archived`);
  });
}
