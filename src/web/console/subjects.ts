/** 業務委託・外部サービス・SNSアカウント: lists with filters, and create/edit forms (department-scoped). */
import type { Request, Response, Router } from 'express';
import { html, type Html } from '../html.js';
import { authorize, departmentFilter, scopeFor } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { DepartmentModel, PersonModel } from '../../org/index.js';
import { VendorModel } from '../../vendors/index.js';
import { EngagementModel } from '../../engagements/index.js';
import { getSettings } from '../../settings/index.js';
import { subjectListFilter, SUBJECT_SORTS } from '../../records/list-filters.js';
import { lookupFor } from '../../records/lookup.js';
import { warningsFor } from '../../records/present.js';
import { statusOf } from '../../records/status.js';
import { KIND_LABELS, subjectName, type SubjectRecord } from '../../records/subject.js';
import type { SubjectKind } from '../../records/subject.types.js';
import { storeOf } from '../../records/save.js';
import { WARNING_CATALOGUE, WARNING_CODES } from '../../risk/warnings.js';
import { daysBetween } from '../../shared/dates.js';
import { csrfField, heading, notice, render } from './layout.js';
import { blankState, errorSummary, fields, flatten, groupRows, saveForm, type FormState } from './forms.js';
import { filterForm, findPage, listParams, pager, searchFilter, sortHeader, table } from './list.js';
import { dateCell, SUBJECT_STATUS_LABELS, tierBadge } from './format.js';
import { parseSubject, sectionsOf, type Choices } from './subject-forms.js';
import { createRecord, loadRecord, updateRecord } from './records.js';
import { mountSubjectDetail } from './subject-detail.js';
import type { ConsoleContext } from './index.js';

export const KIND_BASES: Record<SubjectKind, string> = { engagement: '/engagements', cloudService: '/cloud-services', snsAccount: '/sns-accounts' };
const NAME_FIELD: Record<SubjectKind, string> = { engagement: 'title', cloudService: 'name', snsAccount: 'accountName' };
const SEARCH: Record<SubjectKind, string[]> = { engagement: ['title', 'contractNumber'], cloudService: ['name'], snsAccount: ['accountName', 'platformName'] };
const REGISTER: Record<SubjectKind, string> = { engagement: 'engagements', cloudService: 'cloud-services', snsAccount: 'sns-accounts' };
const SORTS = { nextReview: '次回見直しの近い順', tier: '区分の高い順', name: '名称順', updated: '更新日の新しい順', registered: '登録日の新しい順' };

/** What the form's selects offer this user: their own department only when their right is department-scoped. */
export async function choicesFor(req: Request): Promise<Choices> {
  const user = principalOf(req);
  const dept = scopeFor(user, 'records.write') === 'department' || !scopeFor(user, 'records.write') ? departmentFilter(user, 'records.read') : null;
  const [departments, people, vendors, engagements, settings] = await Promise.all([
    DepartmentModel.find({ archivedAt: null, ...(dept ? { _id: dept } : {}) }).sort({ code: 1 }).lean(),
    PersonModel.find({ archivedAt: null, active: true }).sort({ nameKana: 1 }).lean(),
    VendorModel.find({ archivedAt: null }).sort({ nameKana: 1 }).lean(),
    EngagementModel.find({ archivedAt: null, ...(dept ? { departmentId: dept } : {}) }, { title: 1 }).sort({ title: 1 }).lean(),
    getSettings(),
  ]);
  return {
    departments: departments.map((d) => ({ value: d._id, label: `${d.name}（${d.code}）` })),
    people: people.map((p) => ({ value: p._id, label: p.title ? `${p.name}（${p.title}）` : p.name })),
    vendors: vendors.map((v) => ({ value: v._id, label: v.name })),
    engagements: engagements.map((e) => ({ value: e._id, label: e.title })),
    scheme: settings.classificationScheme,
  };
}

function subjectForm(req: Request, kind: SubjectKind, c: Choices, action: string, state: FormState, cancel: string, version?: number): Html {
  return html`${errorSummary(state)}<form method="post" action="${action}" novalidate>${csrfField(req)}${version ? html`<input type="hidden" name="version" value="${String(state.values.version ?? version)}">` : ''}
${sectionsOf(kind, c).map((s) => html`<fieldset class="form-section"><legend>${s.legend}</legend>${s.hint ? html`<p class="hint">${s.hint}</p>` : ''}${s.fields ? html`<div class="form-grid">${fields(s.fields, state)}</div>` : ''}${s.group ? groupRows(s.group.name, s.group.legend, s.group.fields, state) : ''}</fieldset>`)}
<div class="form-actions"><button type="submit" class="primary">保存する</button> <a href="${cancel}">取り消す</a></div></form>`;
}

/** The stored record as flat form values (levels as their names, the version as a string). */
export function formValues(r: SubjectRecord): Record<string, unknown> {
  const assets = r.kind === 'snsAccount' ? [] : r.informationAssets.map((a) => ({ ...a, confidentiality: a.confidentiality.level }));
  return { ...flatten({ ...r, informationAssets: assets }), version: String(r.version) };
}

export function mountSubjectPages(router: Router, ctx: ConsoleContext): void {
  for (const kind of ['engagement', 'cloudService', 'snsAccount'] as const) {
    const base = KIND_BASES[kind];
    const noun = KIND_LABELS[kind];
    const page = (req: Request, res: Response, title: string, body: Html, status = 200) =>
      render(req, res, { title, status, active: base.slice(1), crumbs: [[noun, base]], body: html`${heading(title)}${body}` });

    router.get(base, async (req, res) => {
      const user = principalOf(req);
      const p = listParams(req, Object.keys(SORTS), ['tier', 'warning', 'reviewDue', 'departmentId']);
      const q = {
        departmentId: /^[0-9a-f]{24}$/.test(p.filters.departmentId ?? '') ? p.filters.departmentId : undefined,
        tier: ['1', '2', '3', '4'].includes(p.filters.tier ?? '') ? (p.filters.tier as '1') : undefined,
        warning: (WARNING_CODES as string[]).includes(p.filters.warning ?? '') ? (p.filters.warning as (typeof WARNING_CODES)[number]) : undefined,
        reviewDue: ['overdue', 'soon', 'due'].includes(p.filters.reviewDue ?? '') ? (p.filters.reviewDue as 'due') : undefined,
        days: 30,
      };
      const filter: Record<string, unknown> = { ...(await subjectListFilter(kind, q)), archivedAt: null };
      const dept = departmentFilter(user);
      if (dept) filter.departmentId = dept;
      Object.assign(filter, searchFilter(p.q, SEARCH[kind]));
      const sort = p.sort === 'name' ? { [NAME_FIELD[kind]]: 1 as const } : { ...SUBJECT_SORTS[p.sort as keyof typeof SUBJECT_SORTS] };
      const { items, total } = await findPage(storeOf(kind), filter, sort, p);
      const lookup = lookupFor(req);
      const settings = await lookup.settings();
      const rows = await Promise.all(
        items.map(async (r) => {
          const [department, warnings] = await Promise.all([lookup.department(r.departmentId), warningsFor(r, lookup)]);
          const days = daysBetween(lookup.today, r.nextReviewDate);
          return html`<tr><td><a href="${base}/${r._id}">${subjectName(r)}</a></td><td>${department?.name ?? ''}</td><td>${tierBadge(r.tier)}</td><td>${r.classification ? `機密性${r.classification.level}` : '—'}</td><td>${SUBJECT_STATUS_LABELS[statusOf(r, lookup.today, settings.dormancyDays)]}</td><td>${dateCell(r.nextReviewDate)}${days < 0 ? html` <strong class="gate-failed">（期限切れ）</strong>` : ''}</td><td class="num">${warnings.length ? html`<span title="${warnings.map((w) => WARNING_CATALOGUE[w.code].label).join('、')}">${warnings.length}件</span>` : '—'}</td></tr>`;
        }),
      );
      const c = scopeFor(user, 'records.read') === 'all' ? await choicesFor(req) : null;
      const canWrite = Boolean(scopeFor(user, 'records.write'));
      await render(req, res, {
        title: noun,
        active: base.slice(1),
        body: html`${heading(noun, html`${canWrite ? html`<a class="button primary" href="${base}/new">${noun}を登録</a>` : ''}${scopeFor(user, 'downloads') ? html` <a class="button" href="/api/v1/registers/${REGISTER[kind]}.xlsx">台帳（Excel）</a>` : ''}`)}
${notice(req.query.done === 'archived' ? 'アーカイブしました。' : null)}
${filterForm(base, p, [
  { name: 'tier', label: '区分', type: 'select', options: [1, 2, 3, 4].map((t) => ({ value: String(t), label: `T${t}` })) },
  { name: 'warning', label: '警告', type: 'select', options: WARNING_CODES.filter((w) => (WARNING_CATALOGUE[w].kinds as readonly string[]).includes(kind)).map((w) => ({ value: w, label: WARNING_CATALOGUE[w].label })) },
  { name: 'reviewDue', label: '見直し', type: 'select', options: [{ value: 'overdue', label: '期限切れ' }, { value: 'soon', label: '30日以内' }, { value: 'due', label: '期限切れ又は30日以内' }] },
  ...(c ? [{ name: 'departmentId', label: '所管課', type: 'select' as const, options: c.departments }] : []),
], SORTS)}
${table(`${noun}の一覧`, html`${sortHeader(base, p, '名称', 'name')}<th scope="col">所管課</th>${sortHeader(base, p, '区分', 'tier')}<th scope="col">機密性</th><th scope="col">状態</th>${sortHeader(base, p, '次回見直し', 'nextReview')}<th scope="col" class="num">警告</th>`, rows)}
${pager(base, p, total)}`,
      });
    });

    router.get(`${base}/new`, async (req, res) => {
      const user = principalOf(req);
      authorize(user, 'records.write');
      const c = await choicesFor(req);
      const initial: Record<string, unknown> = { departmentId: user.departmentId ?? '' };
      await page(req, res, `${noun}を登録`, subjectForm(req, kind, c, base, blankState(initial), base));
    });

    router.post(base, async (req, res) => {
      const c = await choicesFor(req);
      await saveForm(req, res, {
        parse: () => parseSubject(kind, c, req.body),
        save: (input) => createRecord<SubjectRecord>(ctx.api, req, kind, input),
        done: (r) => `${base}/${r._id}?done=created`,
        show: (state, status) => page(req, res, `${noun}を登録`, subjectForm(req, kind, c, base, state, base), status),
      });
    });

    router.get(`${base}/:id/edit`, async (req, res) => {
      const r = await loadRecord<SubjectRecord>(req, kind, String(req.params.id), 'records.write');
      const c = await choicesFor(req);
      await page(req, res, `${subjectName(r)} を編集`, subjectForm(req, kind, c, `${base}/${r._id}/edit`, blankState(formValues(r)), `${base}/${r._id}`, r.version));
    });

    router.post(`${base}/:id/edit`, async (req, res) => {
      const id = String(req.params.id);
      const r = await loadRecord<SubjectRecord>(req, kind, id, 'records.write');
      const c = await choicesFor(req);
      await saveForm(req, res, {
        parse: () => parseSubject(kind, c, req.body),
        save: (input) => updateRecord<SubjectRecord>(ctx.api, req, kind, id, input),
        done: () => `${base}/${id}?done=updated`,
        show: (state, status) => page(req, res, `${subjectName(r)} を編集`, subjectForm(req, kind, c, `${base}/${id}/edit`, state, `${base}/${id}`, r.version), status),
        stored: async () => {
          const latest = await storeOf(kind).get(id);
          return latest ? { values: formValues(latest), version: latest.version } : null;
        },
      });
    });

    mountSubjectDetail(router, ctx, kind, base);
  }
}
