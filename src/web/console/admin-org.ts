/**
 * 管理: departments and people (admin only; everyone else reads them through the records' forms). A form's input is
 * validated with the API's own schema and saved by the same command the API calls (org/org.commands.ts).
 */
import type { Request, Response, Router } from 'express';
import { html, type Html } from '../html.js';
import { authorize } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { contextOf } from '../../audit/actor.js';
import { AppError } from '../../http/errors.js';
import { DepartmentModel, departmentCommands, personCommands, type Department, type Person } from '../../org/index.js';
import type { Versioned } from '../../db/versioned.js';
import type { RecordCommands } from '../../records/commands.js';
import { csrfField, heading, notice, render } from './layout.js';
import { apiBody, blankState, errorSummary, fields, flatten, parseFields, saveForm, validate, type FieldSpec, type FormState } from './forms.js';
import { findPage, listParams, pager, searchFilter, table } from './list.js';
import type { ConsoleContext } from './index.js';

interface OrgKind<T extends Versioned> {
  base: string;
  apiPath: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  commands: RecordCommands<T, any, any>;
  fields: (departments: { value: string; label: string }[]) => FieldSpec[];
  columns: (t: T, departments: Map<string, string>) => Html;
  head: Html;
  search: string[];
  sort: Record<string, 1>;
}

const DEPARTMENTS: OrgKind<Department> = {
  base: '/admin/departments', apiPath: '/api/v1/departments', commands: departmentCommands, search: ['name', 'code'], sort: { code: 1 },
  fields: () => [
    { name: 'code', label: '部署コード', required: true, size: 'short', hint: '英数字・ハイフン・下線' },
    { name: 'name', label: '部署名', required: true },
    { name: 'active', label: '有効', type: 'checkbox' },
  ],
  head: html`<th scope="col">コード</th><th scope="col">部署名</th><th scope="col">状態</th>`,
  columns: (d) => html`<td>${d.code}</td><td><a href="/admin/departments/${d._id}">${d.name}</a></td><td>${d.active ? '有効' : '無効'}</td>`,
};

const PEOPLE: OrgKind<Person> = {
  base: '/admin/people', apiPath: '/api/v1/people', commands: personCommands, search: ['name', 'nameKana', 'email'], sort: { nameKana: 1 },
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
};

async function departmentOptions() {
  const all = await DepartmentModel.find({ archivedAt: null }).sort({ code: 1 }).lean();
  return { options: all.map((d) => ({ value: d._id, label: d.name })), names: new Map(all.map((d) => [d._id, d.name])) };
}

function mountKind<T extends Versioned>(router: Router, ctx: ConsoleContext, k: OrgKind<T>): void {
  const { store, noun, writeAction } = k.commands.spec;
  // Every page is refused (403) before anything is looked up, so a non-admin learns nothing, not even a 404.
  const guard = (req: Request) => authorize(principalOf(req), writeAction);
  const form = async (req: Request, res: Response, title: string, action: string, state: FormState, status = 200) => {
    const { options } = await departmentOptions();
    await render(req, res, {
      title, status, active: 'admin', crumbs: [['管理', '/admin'], [noun, k.base]],
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
    const { items, total } = await findPage(store as never, { archivedAt: null, ...searchFilter(p.q, k.search) }, k.sort, p);
    const { names } = await departmentOptions();
    await render(req, res, {
      title: noun, active: 'admin', crumbs: [['管理', '/admin']],
      body: html`${heading(noun, html`<a class="button primary" href="${k.base}/new">${noun}を登録</a>`)}${notice(req.query.done ? '保存しました。' : null)}
<form method="get" action="${k.base}" class="filters" role="search"><div class="field"><label for="f-q">検索</label><input id="f-q" name="q" value="${p.q}"></div><div class="field"><button type="submit">検索</button></div></form>
${table(noun, k.head, (items as unknown as T[]).map((t) => html`<tr>${k.columns(t, names)}</tr>`))}${pager(k.base, p, total)}`,
    });
  });
  router.get(`${k.base}/new`, async (req, res) => {
    guard(req);
    await form(req, res, `${noun}を登録`, k.base, blankState({ active: true }));
  });
  router.post(k.base, async (req, res) => {
    guard(req);
    const input = await parse(req.body);
    await saveForm(req, res, {
      parse: () => input,
      save: (i) => k.commands.create(contextOf(req), principalOf(req), validate(apiBody(ctx.api, 'post', k.apiPath), i)),
      done: () => `${k.base}?done=1`,
      show: (state, status) => form(req, res, `${noun}を登録`, k.base, state, status),
    });
  });
  const load = async (req: Request) => {
    guard(req);
    const id = String(req.params.id);
    if (!/^[0-9a-f]{24}$/.test(id)) throw new AppError('not_found', `指定された${noun}は見つかりません`, 404);
    return k.commands.find(principalOf(req), id, writeAction);
  };
  router.get(`${k.base}/:id`, async (req, res) => {
    const t = await load(req);
    await form(req, res, `${noun}を編集`, `${k.base}/${t._id}`, blankState({ ...flatten(t), version: String(t.version) }));
  });
  router.post(`${k.base}/:id`, async (req, res) => {
    const t = await load(req);
    const input = await parse(req.body);
    await saveForm(req, res, {
      parse: () => input,
      save: (i) => {
        const { version, ...changes } = validate(apiBody(ctx.api, 'patch', `${k.apiPath}/:id`), i) as { version: number } & Record<string, unknown>;
        return k.commands.update(contextOf(req), principalOf(req), t._id, changes, version);
      },
      done: () => `${k.base}?done=1`,
      show: (state, status) => form(req, res, `${noun}を編集`, `${k.base}/${t._id}`, state, status),
      stored: async () => {
        const latest = await store.get(t._id);
        return latest ? { values: flatten(latest), version: latest.version } : null;
      },
    });
  });
}

export function mountOrgAdmin(router: Router, ctx: ConsoleContext): void {
  mountKind(router, ctx, DEPARTMENTS);
  mountKind(router, ctx, PEOPLE);
}
