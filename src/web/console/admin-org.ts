/** 管理: departments and people (admin only; everyone else reads them through the records' forms). */
import type { Request, Response, Router } from 'express';
import { html, type Html } from '../html.js';
import { authorize } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { contextOf } from '../../audit/actor.js';
import { AppError } from '../../http/errors.js';
import { assertDepartment, DepartmentModel, departmentStore, personStore, stripUndefined, type Department, type Person } from '../../org/index.js';
import type { VersionedStore } from '../../db/versioned.js';
import { csrfField, heading, notice, render } from './layout.js';
import { apiBody, blankState, errorSummary, fields, flatten, parseFields, saveForm, validate, type FieldSpec, type FormState } from './forms.js';
import { findPage, listParams, pager, searchFilter, table } from './list.js';
import type { ConsoleContext } from './index.js';

interface OrgKind<T> {
  base: string;
  apiPath: string;
  noun: string;
  store: VersionedStore<T & { _id: string; version: number; createdAt: Date; updatedAt: Date }>;
  fields: (departments: { value: string; label: string }[]) => FieldSpec[];
  columns: (t: T, departments: Map<string, string>) => Html;
  head: Html;
  search: string[];
  /** What the API's create/update callbacks do besides validation (org.routes.ts). */
  prepare: (input: Record<string, unknown>) => Promise<Record<string, unknown>>;
}

const DEPARTMENTS: OrgKind<Department> = {
  base: '/admin/departments', apiPath: '/api/v1/departments', noun: '部署', store: departmentStore as never, search: ['name', 'code'],
  fields: () => [
    { name: 'code', label: '部署コード', required: true, size: 'short', hint: '英数字・ハイフン・下線' },
    { name: 'name', label: '部署名', required: true },
    { name: 'active', label: '有効', type: 'checkbox' },
  ],
  head: html`<th scope="col">コード</th><th scope="col">部署名</th><th scope="col">状態</th>`,
  columns: (d) => html`<td>${d.code}</td><td><a href="/admin/departments/${d._id}">${d.name}</a></td><td>${d.active ? '有効' : '無効'}</td>`,
  prepare: async (input) => input,
};

const PEOPLE: OrgKind<Person> = {
  base: '/admin/people', apiPath: '/api/v1/people', noun: '人物', store: personStore as never, search: ['name', 'nameKana', 'email'],
  fields: (departments) => [
    { name: 'name', label: '氏名', required: true },
    { name: 'nameKana', label: 'フリガナ' },
    { name: 'title', label: '職名（例: 情報政策課長）' },
    { name: 'departmentId', label: '部署', type: 'select', nullable: true, options: departments },
    { name: 'email', label: 'メールアドレス', type: 'email' },
    { name: 'phone', label: '電話番号' },
    { name: 'active', label: '有効（異動・退職したら外してください）', type: 'checkbox' },
  ],
  head: html`<th scope="col">氏名</th><th scope="col">職名</th><th scope="col">部署</th><th scope="col">状態</th>`,
  columns: (p, departments) => html`<td><a href="/admin/people/${p._id}">${p.name}</a></td><td>${p.title}</td><td>${p.departmentId ? (departments.get(p.departmentId) ?? '') : '—'}</td><td>${p.active ? '有効' : '無効'}</td>`,
  prepare: async (input) => {
    if (input.departmentId !== undefined) await assertDepartment(input.departmentId as string | null);
    return typeof input.email === 'string' ? { ...input, email: input.email.toLowerCase() } : input;
  },
};

async function departmentOptions() {
  const all = await DepartmentModel.find({ archivedAt: null }).sort({ code: 1 }).lean();
  return { options: all.map((d) => ({ value: d._id, label: d.name })), names: new Map(all.map((d) => [d._id, d.name])) };
}

function mountKind<T extends { _id: string; version: number; archivedAt?: Date | null }>(router: Router, ctx: ConsoleContext, k: OrgKind<T>): void {
  const guard = (req: Request) => authorize(principalOf(req), k.base.endsWith('departments') ? 'departments.manage' : 'people.manage');
  const form = async (req: Request, res: Response, title: string, action: string, state: FormState, status = 200) => {
    const { options } = await departmentOptions();
    await render(req, res, {
      title, status, active: 'admin', crumbs: [['管理', '/admin'], [k.noun, k.base]],
      body: html`${heading(title)}${errorSummary(state)}<form method="post" action="${action}" novalidate>${csrfField(req)}${state.values.version ? html`<input type="hidden" name="version" value="${String(state.values.version ?? 0)}">` : ''}
<div class="form-grid">${fields(k.fields(options), state)}</div><div class="form-actions"><button type="submit" class="primary">保存する</button> <a href="${k.base}">取り消す</a></div></form>`,
    });
  };
  const parse = async (body: Record<string, unknown>) => {
    const { options } = await departmentOptions();
    const input = parseFields(k.fields(options), body);
    if (typeof body.version === 'string') input.version = Number(body.version);
    return input;
  };

  router.get(k.base, async (req, res) => {
    guard(req);
    const p = listParams(req, ['name'], []);
    const { items, total } = await findPage(k.store as never, { archivedAt: null, ...searchFilter(p.q, k.search) }, k.base.endsWith('departments') ? { code: 1 } : { nameKana: 1 }, p);
    const { names } = await departmentOptions();
    await render(req, res, {
      title: k.noun, active: 'admin', crumbs: [['管理', '/admin']],
      body: html`${heading(k.noun, html`<a class="button primary" href="${k.base}/new">${k.noun}を登録</a>`)}${notice(req.query.done ? '保存しました。' : null)}
<form method="get" action="${k.base}" class="filters" role="search"><div class="field"><label for="f-q">検索</label><input id="f-q" name="q" value="${p.q}"></div><div class="field"><button type="submit">検索</button></div></form>
${table(k.noun, k.head, (items as unknown as T[]).map((t) => html`<tr>${k.columns(t, names)}</tr>`))}${pager(k.base, p, total)}`,
    });
  });
  router.get(`${k.base}/new`, async (req, res) => {
    guard(req);
    await form(req, res, `${k.noun}を登録`, k.base, blankState({ active: true }));
  });
  router.post(k.base, async (req, res) => {
    guard(req);
    const input = await parse(req.body);
    await saveForm(req, res, {
      parse: () => input,
      save: async (i) => k.store.create(contextOf(req), `${k.store.entity}.create`, (await k.prepare(validate(apiBody(ctx.api, 'post', k.apiPath), i) as Record<string, unknown>)) as never),
      done: () => `${k.base}?done=1`,
      show: (state, status) => form(req, res, `${k.noun}を登録`, k.base, state, status),
    });
  });
  const load = async (req: Request) => {
    guard(req);
    const t = /^[0-9a-f]{24}$/.test(String(req.params.id)) ? await k.store.get(String(req.params.id)) : null;
    if (!t) throw new AppError('not_found', `指定された${k.noun}は見つかりません`, 404);
    return t;
  };
  router.get(`${k.base}/:id`, async (req, res) => {
    const t = await load(req);
    await form(req, res, `${k.noun}を編集`, `${k.base}/${t._id}`, blankState({ ...flatten(t), version: String(t.version) }));
  });
  router.post(`${k.base}/:id`, async (req, res) => {
    const t = await load(req);
    const input = await parse(req.body);
    await saveForm(req, res, {
      parse: () => input,
      save: async (i) => {
        const { version, ...changes } = validate(apiBody(ctx.api, 'patch', `${k.apiPath}/:id`), i) as { version: number } & Record<string, unknown>;
        const prepared = await k.prepare(stripUndefined(changes));
        return k.store.update(contextOf(req), `${k.store.entity}.update`, t._id, version, (c) => ({ ...c, ...prepared }) as never);
      },
      done: () => `${k.base}?done=1`,
      show: (state, status) => form(req, res, `${k.noun}を編集`, `${k.base}/${t._id}`, state, status),
      stored: async () => {
        const latest = await k.store.get(t._id);
        return latest ? { values: flatten(latest), version: latest.version } : null;
      },
    });
  });
}

export function mountOrgAdmin(router: Router, ctx: ConsoleContext): void {
  mountKind(router, ctx, DEPARTMENTS);
  mountKind(router, ctx, PEOPLE);
}
