import crypto from 'node:crypto';
import type { Request } from 'express';
import type { Config } from '../config.js';
import { appendAudit } from '../audit/log.js';
import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import type { AuthUser } from './principal.js';
import { dummyHash, verifyPassword } from './password.js';
import { assertNotThrottled, clearAccountFailures, recordFailure } from './throttle.js';
import { findUserByEmail } from './users.commands.js';
import { acceptCode, consumeRecoveryCode } from './totp.js';
import { normaliseEmail, userStore } from './user.model.js';
import { toAuthUser } from './session.js';

export interface Credentials {
  email: string;
  password: string;
  otp?: string | undefined;
}

const invalidCredentials = () => new AppError('invalid_credentials', 'メールアドレスまたはパスワードが正しくありません', 401);

function login(req: Request, user: AuthUser): Promise<void> {
  return new Promise((resolve, reject) => {
    // passport 0.7 regenerates the session here: the id a visitor had before signing in is never reused.
    req.login(user, (err) => (err ? reject(err) : resolve()));
  });
}

/** A fresh CSRF token for the session (sent back as X-CSRF-Token by scripts, or `_csrf` by forms). */
export function newCsrfToken(req: Request): string {
  const token = crypto.randomBytes(32).toString('base64url');
  req.session.csrfToken = token;
  return token;
}

/**
 * Signs a staff member in with a cookie session — the one sign-in of the API and the console: throttling per account
 * and address, the second factor (a code or a recovery code), the audit of every failure and success, and a rotated
 * session with a new CSRF token. Failures throw AppError (401 `invalid_credentials` / `otp_required` / `invalid_otp` /
 * `account_disabled`, 429 `too_many_attempts`).
 */
export async function signIn(req: Request, config: Readonly<Config>, input: Credentials): Promise<{ user: AuthUser; csrfToken: string }> {
  const email = normaliseEmail(input.email);
  const ip = req.ip ?? 'unknown';
  const ctx = { actor: { kind: 'anonymous' as const, id: 'anonymous' }, ip };
  await assertNotThrottled(email, ip);
  const user = await findUserByEmail(email);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));
  const fail = async (reason: string, error: AppError = invalidCredentials()): Promise<never> => {
    await recordFailure(email, ip);
    await appendAudit(ctx, { action: 'auth.loginFailed', entity: 'user', ...(user ? { entityId: user._id } : {}), detail: { email, reason } });
    throw error;
  };
  if (!user || !passwordOk) return fail(user ? 'wrong_password' : 'unknown_email');
  if (user.disabled || user.archivedAt) return fail('disabled', new AppError('account_disabled', 'このアカウントは無効化されています。管理者に連絡してください。', 401));
  if (user.totp?.enabled) {
    if (!input.otp) throw new AppError('otp_required', '二要素認証の確認コードを入力してください', 401);
    const code = await acceptCode(config.dataKey!, user, input.otp);
    const viaRecovery = code === 'wrong' && (await consumeRecoveryCode({ actor: { kind: 'user', id: user._id, name: user.name }, ip }, user, input.otp));
    // A used code gets the wrong code's answer and counts as a failure; only the audit entry tells them apart.
    if (code !== 'accepted' && !viaRecovery) return fail(code === 'reused' ? 'reused_otp' : 'wrong_otp', new AppError('invalid_otp', '確認コードが正しくありません', 401));
  }
  const authUser = (await toAuthUser(await userStore.get(user._id)))!;
  await login(req, authUser);
  req.session.loginAt = Date.now();
  const csrfToken = newCsrfToken(req);
  await clearAccountFailures(email, ip);
  await appendAudit({ actor: { kind: 'user', id: user._id, name: user.name }, ip }, { action: 'auth.login', entity: 'user', entityId: user._id });
  return { user: authUser, csrfToken };
}

/** Ends a cookie session: audited, logged out and destroyed (the caller clears the cookie). */
export async function signOut(req: Request, ctx: WriteContext, userId: string): Promise<void> {
  await appendAudit(ctx, { action: 'auth.logout', entity: 'user', entityId: userId });
  await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}
