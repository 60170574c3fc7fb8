import { z } from 'zod';
import { contextOf } from '../audit/actor.js';
import { can, type ApiRegistry } from '../http/route.js';
import { IdParam, listOf, Paging, requiredLine } from '../http/schemas.js';
import { AppError } from '../http/errors.js';
import { escapeRegExp } from '../shared/text.js';
import mongoose from 'mongoose';
import { ROLES } from './roles.js';
import { UserModel, userStore, type User } from './user.model.js';
import { createUser, resetPassword, temporaryPassword, updateUser } from './users.commands.js';
import { MAX_PASSWORD_LENGTH } from './password.js';

export const UserView = z.object({
  id: z.string(),
  version: z.number().int(),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  departmentId: z.string().nullable(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const presentUser = (u: User): z.infer<typeof UserView> => ({
  id: u._id, version: u.version, email: u.email, name: u.name, roles: u.roles, departmentId: u.departmentId ?? null, disabled: u.disabled,
  mustChangePassword: u.mustChangePassword, totpEnabled: Boolean(u.totp?.enabled), createdAt: u.createdAt.toISOString(), updatedAt: u.updatedAt.toISOString(),
});

const Id = z.string().regex(/^[0-9a-f]{24}$/);
const Roles = z.array(z.enum(ROLES)).min(1, '役割を一つ以上指定してください').max(ROLES.length);

export function registerUserRoutes(api: ApiRegistry): void {
  api.add({
    method: 'get',
    path: '/api/v1/users',
    summary: '利用者の一覧 / List staff accounts',
    tags: ['users'],
    access: can('users.manage'),
    query: Paging.extend({ q: z.string().max(200).optional(), role: z.enum(ROLES).optional(), disabled: z.enum(['true', 'false']).optional() }),
    responses: { 200: { description: 'A page', schema: listOf(UserView) } },
    handler: async ({ query }) => {
      const filter: Record<string, unknown> = {};
      if (query.role) filter.roles = query.role;
      if (query.disabled) filter.disabled = query.disabled === 'true';
      if (query.q) {
        const pattern = escapeRegExp(query.q.normalize('NFKC'));
        filter.$or = ['name', 'email'].map((f) => ({ [f]: mongoose.trusted({ $regex: pattern, $options: 'i' }) }));
      }
      const [docs, total] = await Promise.all([
        UserModel.find(filter).sort({ email: 1, _id: 1 }).skip((query.page - 1) * query.limit).limit(query.limit).lean(),
        UserModel.countDocuments(filter),
      ]);
      return { items: (await userStore.rollForward(docs as User[])).map(presentUser), total, page: query.page, limit: query.limit };
    },
  });

  api.add({
    method: 'post',
    path: '/api/v1/users',
    summary: '利用者を登録 / Create a staff account',
    description: 'Without `password`, a temporary password is generated, returned once, and must be changed at first sign-in.',
    tags: ['users'],
    access: can('users.manage'),
    body: z.object({
      email: z.email('メールアドレスの形式が正しくありません').max(254),
      name: requiredLine(100),
      roles: Roles,
      departmentId: Id.nullable().default(null),
      password: z.string().max(MAX_PASSWORD_LENGTH).optional(),
    }),
    responses: { 201: { description: 'Created', schema: UserView.extend({ temporaryPassword: z.string().optional() }) } },
    handler: async ({ req, body }) => {
      const generated = body.password ? undefined : temporaryPassword();
      const user = await createUser(contextOf(req), { ...body, password: body.password ?? generated!, mustChangePassword: true });
      return { ...presentUser(user), ...(generated ? { temporaryPassword: generated } : {}) };
    },
  });

  api.add({
    method: 'get',
    path: '/api/v1/users/:id',
    summary: '利用者を取得 / Read a staff account',
    tags: ['users'],
    access: can('users.manage'),
    params: IdParam,
    responses: { 200: { description: 'The account', schema: UserView } },
    handler: async ({ params }) => {
      const user = await userStore.get(params.id);
      if (!user) throw new AppError('not_found', '指定された利用者は見つかりません', 404);
      return presentUser(user);
    },
  });

  api.add({
    method: 'patch',
    path: '/api/v1/users/:id',
    summary: '利用者を変更（役割・部署・無効化） / Update roles, department, disabled',
    description: 'A disabled user cannot sign in, and their access tokens stop working at once.',
    tags: ['users'],
    access: can('users.manage'),
    params: IdParam,
    body: z.object({ version: z.number().int().min(1), name: requiredLine(100).optional(), roles: Roles.optional(), departmentId: Id.nullable().optional(), disabled: z.boolean().optional() }),
    responses: { 200: { description: 'Updated', schema: UserView } },
    handler: async ({ req, params, body }) => {
      const { version, ...changes } = body;
      return presentUser(await updateUser(contextOf(req), params.id, version, changes));
    },
  });

  api.add({
    method: 'post',
    path: '/api/v1/users/:id/reset-password',
    summary: 'パスワードを再設定 / Reset a password (temporary, must be changed at next sign-in)',
    tags: ['users'],
    access: can('users.manage'),
    params: IdParam,
    responses: { 200: { description: 'The temporary password, shown once', schema: z.object({ temporaryPassword: z.string(), user: UserView }) } },
    handler: async ({ req, params }) => {
      const { user, temporaryPassword: password } = await resetPassword(contextOf(req), params.id);
      return { temporaryPassword: password, user: presentUser(user) };
    },
  });
}
