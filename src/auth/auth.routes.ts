import { z } from 'zod';
import type { Request } from 'express';
import type { Config } from '../config.js';
import { contextOf } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { can, PUBLIC, SIGNED_IN, type ApiRegistry } from '../http/route.js';
import { IdParam, requiredLine, singleLine } from '../http/schemas.js';
import { principalOf, type AuthUser } from './principal.js';
import { MAX_PASSWORD_LENGTH, verifyPassword } from './password.js';
import { changeOwnPassword } from './users.commands.js';
import { confirmTotp, enrolTotp, removeTotp } from './totp.js';
import { userStore } from './user.model.js';
import { newCsrfToken, signIn, signOut } from './sign-in.js';
import { toAuthUser } from './session.js';
import { createAccessToken, listAccessTokens, presentAccessToken, revokeAccessToken } from './tokens.js';
import { getSettings } from '../settings/index.js';
import { PRIVILEGED_ROLES } from './roles.js';

// Single-line: what was typed as the email of a failed sign-in is kept in the audit log.
const Login = z.object({
  email: requiredLine(254),
  password: z.string().min(1, '入力してください').max(MAX_PASSWORD_LENGTH),
  otp: singleLine(40).optional(),
});

export const MeView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  departmentId: z.string().nullable(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  totpEnrolmentRequired: z.boolean(),
});

const LoginResult = z.object({ user: MeView, csrfToken: z.string() });
const TokenView = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), expiresAt: z.string(), revokedAt: z.string().nullable(), active: z.boolean() });

export const presentMe = (u: AuthUser): z.infer<typeof MeView> => ({
  id: u.id, email: u.email, name: u.name, roles: u.roles, departmentId: u.departmentId, mustChangePassword: u.mustChangePassword,
  totpEnabled: u.totpEnabled, totpEnrolmentRequired: u.totpEnrolmentRequired,
});

export function registerAuthRoutes(api: ApiRegistry, config: Readonly<Config>): void {
  api.add({
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'サインイン / Sign in',
    description:
      'Email and password from the JSON body only. With a second factor enrolled, `otp` (a 6-digit code or a recovery code) is required: without it the answer is 401 `otp_required`. Each code is accepted once: a code already used (also the one that confirmed enrolment), or one older than the last used, answers 401 `invalid_otp` like a wrong one and counts as a failure. Failures are limited per account and per address (429 with Retry-After).',
    tags: ['auth'],
    access: PUBLIC,
    body: Login,
    responses: { 200: { description: 'Signed in; the session cookie is set', schema: LoginResult } },
    handler: async ({ req, body }) => {
      const { user, csrfToken } = await signIn(req, config, body);
      return { user: presentMe(user), csrfToken };
    },
  });

  api.add({
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'サインアウト / Sign out (the session is destroyed)',
    tags: ['auth'],
    access: SIGNED_IN,
    responses: { 204: { description: 'Signed out' } },
    handler: async ({ req, res }) => {
      const user = principalOf(req);
      if (req.authMethod !== 'session') throw new AppError('illegal_state', 'サインアウトはセッションでサインインしている場合のみ行えます', 409);
      await signOut(req, contextOf(req), user.id);
      res.clearCookie('itaku.sid', { path: '/' });
      res.status(204).end();
    },
  });

  api.add({
    method: 'get',
    path: '/api/v1/auth/me',
    summary: 'サインイン中の利用者 / The signed-in user',
    tags: ['auth'],
    access: SIGNED_IN,
    responses: { 200: { description: 'The user', schema: MeView } },
    handler: ({ req }) => presentMe(principalOf(req)),
  });

  api.add({
    method: 'get',
    path: '/api/v1/auth/csrf',
    summary: 'CSRF トークン / The CSRF token to send as X-CSRF-Token on cookie-authenticated writes',
    tags: ['auth'],
    access: SIGNED_IN,
    responses: { 200: { description: 'Token', schema: z.object({ csrfToken: z.string() }) } },
    handler: ({ req }) => {
      if (req.authMethod !== 'session') return { csrfToken: '' };
      return { csrfToken: req.session.csrfToken ?? newCsrfToken(req) };
    },
  });

  api.add({
    method: 'post',
    path: '/api/v1/auth/password',
    summary: 'パスワード変更 / Change own password',
    tags: ['auth'],
    access: can('self'),
    body: z.object({ currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH), newPassword: z.string().max(MAX_PASSWORD_LENGTH) }),
    responses: { 204: { description: 'Changed' } },
    handler: async ({ req, res, body }) => {
      const user = principalOf(req);
      await changeOwnPassword(contextOf(req), user.id, body.currentPassword, body.newPassword);
      if (req.authMethod === 'session') {
        const refreshed = await toAuthUser(await userStore.get(user.id));
        if (refreshed) req.user = refreshed;
      }
      res.status(204).end();
    },
  });

  api.add({
    method: 'post',
    path: '/api/v1/auth/totp',
    summary: '二要素認証（TOTP）の登録・確認・解除 / Enrol, confirm or remove the second factor',
    description:
      '`{"action":"enrol"}` returns a new secret, its otpauth URL and a QR code (SVG data URL); `{"action":"confirm","otp":"123456"}` enables it and returns ten recovery codes, shown once (that code is then used up for sign-in); `{"action":"remove","password":"…"}` removes it (refused while the municipality requires it for the user’s roles).',
    tags: ['auth'],
    access: can('self'),
    body: z.discriminatedUnion('action', [
      z.object({ action: z.literal('enrol') }),
      z.object({ action: z.literal('confirm'), otp: z.string().trim().regex(/^\d{6}$/, '6桁の数字を入力してください') }),
      z.object({ action: z.literal('remove'), password: z.string().min(1).max(MAX_PASSWORD_LENGTH) }),
    ]),
    responses: {
      200: {
        description: 'Enrolment data or recovery codes',
        schema: z.object({ secret: z.string().optional(), otpauthUrl: z.string().optional(), qrCode: z.string().optional(), recoveryCodes: z.array(z.string()).optional(), totpEnabled: z.boolean() }),
      },
    },
    handler: async ({ req, body }) => {
      const me = principalOf(req);
      const ctx = contextOf(req);
      const user = await userStore.get(me.id);
      if (!user) throw new AppError('not_found', '利用者が見つかりません', 404);
      const key = config.dataKey!;
      if (body.action === 'enrol') {
        const { secret, otpauthUrl, qrCode } = await enrolTotp(ctx, key, user);
        return { secret, otpauthUrl, qrCode, totpEnabled: false };
      }
      if (body.action === 'confirm') {
        const { recoveryCodes } = await confirmTotp(ctx, key, user, body.otp);
        await refreshSessionUser(req, me.id);
        return { recoveryCodes, totpEnabled: true };
      }
      if (!user.passwordHash || !(await verifyPassword(body.password, user.passwordHash))) {
        throw new AppError('invalid_credentials', 'パスワードが正しくありません', 400, [{ path: 'password', message: '正しくありません' }]);
      }
      const settings = await getSettings();
      if (settings.totpRequired && user.roles.some((r) => PRIVILEGED_ROLES.includes(r))) {
        throw new AppError('illegal_state', 'この団体ではあなたの役割に二要素認証が必須のため、解除できません', 409);
      }
      await removeTotp(ctx, user);
      await refreshSessionUser(req, me.id);
      return { totpEnabled: false };
    },
  });

  api.add({
    method: 'post',
    path: '/api/v1/auth/tokens',
    summary: 'アクセストークンを発行 / Create a personal access token (shown once)',
    tags: ['auth'],
    access: can('self'),
    body: z.object({ name: requiredLine(100), expiresAt: z.iso.datetime({ offset: true }).optional() }),
    responses: { 201: { description: 'The token, shown only in this answer', schema: TokenView.extend({ token: z.string() }) } },
    handler: async ({ req, body }) => {
      const me = principalOf(req);
      const { record, token } = await createAccessToken(contextOf(req), me.id, body.name, body.expiresAt ? new Date(body.expiresAt) : undefined);
      return { ...presentAccessToken(record), token };
    },
  });

  api.add({
    method: 'get',
    path: '/api/v1/auth/tokens',
    summary: '自分のアクセストークン一覧 / List own tokens (never the secret)',
    tags: ['auth'],
    access: can('self'),
    responses: { 200: { description: 'Tokens', schema: z.object({ items: z.array(TokenView) }) } },
    handler: async ({ req }) => ({ items: (await listAccessTokens(principalOf(req).id)).map(presentAccessToken) }),
  });

  api.add({
    method: 'delete',
    path: '/api/v1/auth/tokens/:id',
    summary: 'アクセストークンを失効 / Revoke a token',
    tags: ['auth'],
    access: can('self'),
    params: IdParam,
    responses: { 200: { description: 'Revoked', schema: TokenView } },
    handler: async ({ req, params }) => presentAccessToken(await revokeAccessToken(contextOf(req), principalOf(req).id, params.id)),
  });
}

async function refreshSessionUser(req: Request, id: string): Promise<void> {
  const refreshed = await toAuthUser(await userStore.get(id));
  if (refreshed) req.user = refreshed;
}
