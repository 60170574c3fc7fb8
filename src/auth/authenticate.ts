import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../http/errors.js';
import type { Access, AccessCheck } from '../http/route.js';
import { authorize, isAction } from './policy.js';
import { resolveAccessToken } from './tokens.js';
import { userStore } from './user.model.js';
import { toAuthUser } from './session.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `Authorization: Bearer <token>` authenticates a request on its own (no cookie, no CSRF). A header that is present
 * but wrong answers 401 even if a session cookie is also sent, so a broken automation never acts as a browser user.
 */
export const bearerAuthentication: RequestHandler = async (req, _res, next) => {
  const header = req.headers.authorization;
  if (header === undefined) {
    if (req.user) {
      req.authMethod = 'session';
      req.actor = { kind: 'user', id: req.user.id, name: req.user.name };
    }
    return next();
  }
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const record = m ? await resolveAccessToken(m[1]!) : null;
  const user = record ? await toAuthUser(await userStore.get(record.userId)) : null;
  if (!record || !user) throw new AppError('invalid_token', 'アクセストークンが無効です（期限切れ・失効・利用者の無効化を含む）', 401);
  req.user = user;
  req.authMethod = 'token';
  req.actor = { kind: 'user', id: user.id, name: user.name, tokenId: record._id };
  next();
};

function csrfMatches(req: Request): boolean {
  const expected = req.session?.csrfToken;
  const given = req.get('x-csrf-token') ?? (typeof req.body === 'object' && req.body ? (req.body as { _csrf?: unknown })._csrf : undefined);
  if (!expected || typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Routes a user must still reach while a password change or second-factor enrolment is pending. */
const ALWAYS_ALLOWED = new Set(['/api/v1/auth/me', '/api/v1/auth/logout', '/api/v1/auth/csrf', '/api/v1/auth/password', '/api/v1/auth/totp']);

/** The access check every route runs: sign-in, CSRF for cookie sessions, pending obligations, then the policy table. */
export const checkAccess: AccessCheck = (req, access: Access) => {
  if (access.kind === 'public') return;
  const user = req.user;
  if (!user) throw new AppError('unauthenticated', 'サインインが必要です', 401);
  if (req.authMethod === 'session' && !SAFE_METHODS.has(req.method) && !csrfMatches(req)) {
    throw new AppError('csrf_failed', 'CSRF トークンがないか正しくありません。画面を読み込み直してください。', 403);
  }
  const path = (req.route as { path?: string } | undefined)?.path ?? req.path;
  if (!ALWAYS_ALLOWED.has(path) && !(path === '/api/v1/settings' && req.method === 'GET')) {
    if (user.mustChangePassword) throw new AppError('password_change_required', 'パスワードの変更が必要です', 403);
    if (user.totpEnrolmentRequired) throw new AppError('totp_enrolment_required', '二要素認証の登録が必要です', 403);
  }
  if (access.kind === 'action') {
    if (!isAction(access.action)) throw new Error(`unknown policy action ${access.action}`);
    authorize(user, access.action);
  }
};
