/** 管理: the admin's index, staff accounts and municipality settings (users.manage / settings.update). */
import type { Request, Response, Router } from 'express';
import { html } from '../html.js';
import { authorize } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { contextOf } from '../../audit/actor.js';
import { AppError } from '../../http/errors.js';
import { ROLE_LABELS, ROLES, type Role } from '../../auth/roles.js';
import { userStore, type User } from '../../auth/user.model.js';
import { createUser, resetPassword, temporaryPassword, updateUser } from '../../auth/users.commands.js';
import { DepartmentModel } from '../../org/index.js';
import { getSettings, updateSettings } from '../../settings/index.js';
import { SCHEME_LABELS } from '../../records/classification.js';
import { csrfField, heading, notice, postButton, render } from './layout.js';
import { apiBody, blankState, errorSummary, fields, formErrors, saveForm, validate, type FieldSpec, type FormState } from './forms.js';
import { findPage, listParams, pager, searchFilter, table } from './list.js';
import { rolesText } from './format.js';
import { mountOrgAdmin } from './admin-org.js';
import type { ConsoleContext } from './index.js';

async function userFields(): Promise<FieldSpec[]> {
  const departments = await DepartmentModel.find({ archivedAt: null }).sort({ code: 1 }).lean();
  return [
    { name: 'email', label: 'メールアドレス', type: 'email', required: true },
    { name: 'name', label: '氏名', required: true },
    { name: 'roles', label: '役割', type: 'checkboxes', required: true, options: ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })) },
    { name: 'departmentId', label: '部署（所管課担当は必須）', type: 'select', nullable: true, options: departments.map((d) => ({ value: d._id, label: d.name })) },
  ];
}

const SETTINGS_FIELDS: FieldSpec[] = [
  { name: 'name', label: '団体名（例: 桜ヶ丘市）' },
  { name: 'mayorTitle', label: '長の職名（例: 市長）' },
  { name: 'address', label: '所在地', size: 'long' },
  { name: 'classificationScheme', label: '情報資産の分類体系', type: 'select', required: true, options: Object.entries(SCHEME_LABELS).map(([value, label]) => ({ value, label })), hint: '分類済みの記録がある場合は、ここでは変更できません（npm run cli -- classification:migrate）。' },
  { name: 'totpRequired', label: 'システム管理者・CISO・情報セキュリティ担当に二要素認証を必須とする', type: 'checkbox' },
  { name: 'dormancyDays', label: 'SNSアカウントを休眠とみなす日数', type: 'number', size: 'short' },
];

export function mountAdminPages(router: Router, ctx: ConsoleContext): void {
  router.get('/admin', async (req, res) => {
    authorize(principalOf(req), 'users.manage');
    await render(req, res, {
      title: '管理', active: 'admin',
      body: html`${heading('管理')}<ul class="links"><li><a href="/admin/users">利用者（アカウント・役割）</a></li><li><a href="/admin/departments">部署</a></li><li><a href="/admin/people">人物（責任者・管理者になる人）</a></li><li><a href="/admin/settings">団体の設定</a></li><li><a href="/admin/templates">質問票の様式</a></li><li><a href="/admin/clauses">特記事項の条項集</a></li></ul>`,
    });
  });

  router.get('/admin/users', async (req, res) => {
    authorize(principalOf(req), 'users.manage');
    const p = listParams(req, ['email'], []);
    const { items, total } = await findPage(userStore, searchFilter(p.q, ['name', 'email']), { email: 1 }, p);
    await render(req, res, {
      title: '利用者', active: 'admin', crumbs: [['管理', '/admin']],
      body: html`${heading('利用者', html`<a class="button primary" href="/admin/users/new">利用者を登録</a>`)}${notice(req.query.done ? '保存しました。' : null)}
<form method="get" action="/admin/users" class="filters" role="search"><div class="field"><label for="f-q">氏名・メールで検索</label><input id="f-q" name="q" value="${p.q}"></div><div class="field"><button type="submit">検索</button></div></form>
${table('利用者', html`<th scope="col">氏名</th><th scope="col">メールアドレス</th><th scope="col">役割</th><th scope="col">二要素認証</th><th scope="col">状態</th>`,
  items.map((u) => html`<tr><td><a href="/admin/users/${u._id}">${u.name}</a></td><td>${u.email}</td><td>${rolesText(u.roles)}</td><td>${u.totp?.enabled ? '設定済み' : '—'}</td><td>${u.disabled ? '無効' : '有効'}</td></tr>`))}${pager('/admin/users', p, total)}`,
    });
  });

  const userForm = async (req: Request, res: Response, title: string, action: string, state: FormState, status = 200, user?: User) => {
    const specs = await userFields();
    await render(req, res, {
      title, status, active: 'admin', crumbs: [['管理', '/admin'], ['利用者', '/admin/users']],
      body: html`${heading(title)}${errorSummary(state)}<form method="post" action="${action}" novalidate>${csrfField(req)}${user ? html`<input type="hidden" name="version" value="${String(state.values.version ?? user.version)}">` : ''}
${fields(user ? specs.filter((s) => s.name !== 'email') : specs, state)}${user ? fields([{ name: 'disabled', label: 'このアカウントを無効にする（サインインとアクセストークンを止めます）', type: 'checkbox' }], state) : html`<p class="hint">仮のパスワードを発行します。初回のサインインで変更を求めます。</p>`}
<div class="form-actions"><button type="submit" class="primary">保存する</button> <a href="/admin/users">取り消す</a></div></form>
${user ? html`<h2>パスワードの再設定</h2><p>仮のパスワードを発行し、次のサインインで変更を求めます。</p>${postButton(req, `/admin/users/${user._id}/reset-password`, 'パスワードを再設定する', { confirm: 'このアカウントのパスワードを再設定します。よろしいですか。' })}` : ''}`,
    });
  };
  const shownOnce = (req: Request, res: Response, title: string, u: User, password: string) =>
    render(req, res, {
      title, active: 'admin', crumbs: [['管理', '/admin'], ['利用者', '/admin/users']],
      body: html`${heading(title)}<div class="link-box" role="status"><p>${u.name}（${u.email}）の仮のパスワードです。<strong>この画面でしか表示しません。</strong>本人に安全な方法で伝えてください。</p>
<label for="temp-password">仮のパスワード</label><input type="text" id="temp-password" value="${password}" readonly> <button type="button" class="copy" data-copy-target="temp-password" hidden>コピー</button></div><p><a href="/admin/users">利用者の一覧へ</a></p>`,
    });

  router.get('/admin/users/new', async (req, res) => {
    authorize(principalOf(req), 'users.manage');
    await userForm(req, res, '利用者を登録', '/admin/users', blankState());
  });
  router.post('/admin/users', async (req, res) => {
    authorize(principalOf(req), 'users.manage');
    const b = req.body as Record<string, unknown>;
    const roles = (Array.isArray(b.roles) ? b.roles : b.roles ? [b.roles] : []).map(String);
    try {
      const input = validate(apiBody(ctx.api, 'post', '/api/v1/users'), { email: b.email, name: b.name, roles, departmentId: b.departmentId || null }) as { email: string; name: string; roles: Role[]; departmentId: string | null };
      const password = temporaryPassword();
      const user = await createUser(contextOf(req), { ...input, password, mustChangePassword: true });
      return shownOnce(req, res, '利用者を登録しました', user, password);
    } catch (err) {
      const f = formErrors(err);
      if (!f) throw err;
      const values = { ...b };
      delete values._csrf;
      return userForm(req, res, '利用者を登録', '/admin/users', { values, ...f }, 400);
    }
  });
  const loadUser = async (req: Request) => {
    authorize(principalOf(req), 'users.manage');
    const u = /^[0-9a-f]{24}$/.test(String(req.params.id)) ? await userStore.get(String(req.params.id)) : null;
    if (!u) throw new AppError('not_found', '指定された利用者は見つかりません', 404);
    return u;
  };
  router.get('/admin/users/:id', async (req, res) => {
    const u = await loadUser(req);
    await userForm(req, res, `${u.name} を編集`, `/admin/users/${u._id}`, blankState({ name: u.name, roles: u.roles, departmentId: u.departmentId ?? '', disabled: u.disabled, version: String(u.version) }), 200, u);
  });
  router.post('/admin/users/:id', async (req, res) => {
    const u = await loadUser(req);
    const b = req.body as Record<string, unknown>;
    await saveForm(req, res, {
      parse: () => ({ version: Number(b.version), name: b.name, roles: (Array.isArray(b.roles) ? b.roles : b.roles ? [b.roles] : []).map(String), departmentId: b.departmentId || null, disabled: b.disabled === 'on' }),
      save: async (i) => {
        const { version, ...changes } = validate(apiBody(ctx.api, 'patch', '/api/v1/users/:id'), i) as { version: number } & Parameters<typeof updateUser>[3];
        return updateUser(contextOf(req), u._id, version, changes);
      },
      done: () => '/admin/users?done=1',
      show: (state, status) => userForm(req, res, `${u.name} を編集`, `/admin/users/${u._id}`, state, status, u),
      stored: async () => {
        const latest = await userStore.get(u._id);
        return latest ? { values: { name: latest.name, roles: latest.roles, departmentId: latest.departmentId ?? '', disabled: latest.disabled }, version: latest.version } : null;
      },
    });
  });
  router.post('/admin/users/:id/reset-password', async (req, res) => {
    const u = await loadUser(req);
    const { user, temporaryPassword: password } = await resetPassword(contextOf(req), u._id);
    await shownOnce(req, res, 'パスワードを再設定しました', user, password);
  });

  const settingsForm = async (req: Request, res: Response, state: FormState, status = 200) =>
    render(req, res, {
      title: '団体の設定', status, active: 'admin', crumbs: [['管理', '/admin']],
      body: html`${heading('団体の設定')}${notice(req.query.done ? '保存しました。' : null)}${errorSummary(state)}<form method="post" action="/admin/settings" novalidate>${csrfField(req)}<input type="hidden" name="version" value="${String(state.values.version ?? 0)}">
${fields(SETTINGS_FIELDS, state)}<div class="form-actions"><button type="submit" class="primary">保存する</button></div></form>`,
    });
  router.get('/admin/settings', async (req, res) => {
    authorize(principalOf(req), 'settings.update');
    const s = await getSettings();
    await settingsForm(req, res, blankState({ ...s, version: String(s.version) }));
  });
  router.post('/admin/settings', async (req, res) => {
    authorize(principalOf(req), 'settings.update');
    const b = req.body as Record<string, string>;
    await saveForm(req, res, {
      parse: () => ({ version: Number(b.version), name: b.name ?? '', mayorTitle: b.mayorTitle ?? '', address: b.address ?? '', classificationScheme: b.classificationScheme, totpRequired: b.totpRequired === 'on', dormancyDays: Number(b.dormancyDays) }),
      save: async (i) => {
        const { version, ...changes } = validate(apiBody(ctx.api, 'patch', '/api/v1/settings'), i) as { version: number } & Record<string, never>;
        return updateSettings(contextOf(req), version, changes);
      },
      done: () => '/admin/settings?done=1',
      show: (state, status) => settingsForm(req, res, state, status),
      stored: async () => {
        const s = await getSettings();
        return { values: { ...s, totpRequired: s.totpRequired }, version: s.version };
      },
    });
  });
  mountOrgAdmin(router, ctx);
}
