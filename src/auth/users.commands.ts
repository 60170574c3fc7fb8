import crypto from 'node:crypto';
import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { assertDepartment } from '../org/index.js';
import { KeyClaimModel } from '../db/revision.model.js';
import { hashPassword, passwordProblem, verifyPassword } from './password.js';
import { normaliseEmail, userStore, type User } from './user.model.js';
import type { Role } from './roles.js';

function weakPassword(message: string): AppError {
  return new AppError('weak_password', message, 400, [{ path: 'password', message }]);
}

function validateRoles(roles: Role[], departmentId: string | null): void {
  if (roles.length === 0) throw new AppError('validation_failed', '少なくとも一つの役割を指定してください', 400, [{ path: 'roles', message: '役割を指定してください' }]);
  if (roles.includes('procurement') && !departmentId) {
    throw new AppError('validation_failed', '所管課担当（procurement）には部署が必要です', 400, [{ path: 'departmentId', message: '部署を指定してください' }]);
  }
}

/** The user with this email (any state), found through the email's key claim — an `_id` lookup. */
export async function findUserByEmail(email: string): Promise<User | null> {
  const claim = await KeyClaimModel.findById(`user:email:${normaliseEmail(email)}`).lean();
  if (!claim) return null;
  const user = await userStore.get(claim.owner);
  return user && user.email === normaliseEmail(email) ? user : null;
}

export interface NewUserInput {
  email: string;
  name: string;
  roles: Role[];
  departmentId: string | null;
  password: string;
  mustChangePassword?: boolean;
}

/** Creates a staff account. The password is checked for length and commonness; the email must be unused (409). */
export async function createUser(ctx: WriteContext, input: NewUserInput): Promise<User> {
  validateRoles(input.roles, input.departmentId);
  await assertDepartment(input.departmentId);
  const problem = await passwordProblem(input.password, [input.email, input.name]);
  if (problem) throw weakPassword(problem);
  const email = normaliseEmail(input.email);
  try {
    return await userStore.create(ctx, 'user.create', {
      email,
      name: input.name,
      roles: [...new Set(input.roles)],
      departmentId: input.departmentId,
      passwordHash: await hashPassword(input.password),
      mustChangePassword: input.mustChangePassword ?? false,
      disabled: false,
      totp: null,
      passwordChangedAt: new Date(),
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'duplicate') {
      throw new AppError('duplicate', 'このメールアドレスは既に登録されています', 409, [{ path: 'email', message: '既に登録されています' }]);
    }
    throw err;
  }
}

export interface UserChanges {
  name?: string;
  roles?: Role[];
  departmentId?: string | null;
  disabled?: boolean;
}

/** Admin changes to an account (roles, department, disabled). */
export async function updateUser(ctx: WriteContext, id: string, version: number, changes: UserChanges): Promise<User> {
  const current = await userStore.get(id);
  if (!current) throw new AppError('not_found', '指定された利用者は見つかりません', 404);
  const roles = changes.roles ?? current.roles;
  const departmentId = changes.departmentId !== undefined ? changes.departmentId : current.departmentId;
  validateRoles(roles, departmentId);
  if (changes.departmentId !== undefined) await assertDepartment(changes.departmentId);
  if (ctx.actor.kind === 'user' && ctx.actor.id === id && (changes.disabled || (changes.roles && !changes.roles.includes('admin') && current.roles.includes('admin')))) {
    throw new AppError('illegal_state', '自分自身を無効化したり、自分の管理者権限を外したりはできません', 409);
  }
  const action = changes.disabled === true && !current.disabled ? 'user.disable' : changes.disabled === false && current.disabled ? 'user.enable' : 'user.update';
  return userStore.update(ctx, action, id, version, (c) => ({ ...c, ...changes, roles: [...new Set(roles)], departmentId }));
}

/** A random temporary password: 4 groups of 5 from an alphabet without look-alikes (about 100 bits). */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789';
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => alphabet[crypto.randomInt(alphabet.length)]).join(''));
  return groups.join('-');
}

/**
 * Admin reset: sets a temporary password (returned once, to hand over) that must be changed at the next sign-in.
 * A given password is used instead when provided (the CLI's ITAKU_PASSWORD).
 */
export async function resetPassword(ctx: WriteContext, id: string, given?: string): Promise<{ user: User; temporaryPassword: string }> {
  const current = await userStore.get(id);
  if (!current) throw new AppError('not_found', '指定された利用者は見つかりません', 404);
  const password = given ?? temporaryPassword();
  if (given) {
    const problem = await passwordProblem(given, [current.email, current.name]);
    if (problem) throw weakPassword(problem);
  }
  const passwordHash = await hashPassword(password);
  const user = await userStore.update(ctx, 'user.resetPassword', id, current.version, (c) => ({
    ...c,
    passwordHash,
    mustChangePassword: true,
    passwordChangedAt: new Date(),
  }));
  return { user, temporaryPassword: password };
}

/** The user changes their own password, proving the current one. */
export async function changeOwnPassword(ctx: WriteContext, id: string, currentPassword: string, newPassword: string): Promise<User> {
  const user = await userStore.get(id);
  if (!user?.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new AppError('invalid_credentials', '現在のパスワードが正しくありません', 400, [{ path: 'currentPassword', message: '正しくありません' }]);
  }
  if (currentPassword === newPassword) throw weakPassword('新しいパスワードは現在のものと違うものにしてください');
  const problem = await passwordProblem(newPassword, [user.email, user.name]);
  if (problem) throw weakPassword(problem);
  const passwordHash = await hashPassword(newPassword);
  return userStore.update(ctx, 'user.changePassword', id, user.version, (c) => ({ ...c, passwordHash, mustChangePassword: false, passwordChangedAt: new Date() }));
}
