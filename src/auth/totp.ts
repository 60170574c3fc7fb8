import crypto from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { open, seal, sha256hex } from './crypto-box.js';
import { userStore, type User } from './user.model.js';

const ISSUER = 'Itaku';
const RECOVERY_CODES = 10;

function recoveryCode(): string {
  const raw = crypto.randomBytes(10).toString('hex'); // 80 bits
  return `${raw.slice(0, 5)}-${raw.slice(5, 10)}-${raw.slice(10, 15)}-${raw.slice(15, 20)}`;
}

const normaliseRecovery = (code: string) => code.trim().toLowerCase().replace(/[^0-9a-f]/g, '');

/** Starts enrolment: a new secret stored sealed and not yet enabled, with its otpauth URL and a QR code (SVG data URL). */
export async function enrolTotp(ctx: WriteContext, key: Buffer, user: User): Promise<{ user: User; secret: string; otpauthUrl: string; qrCode: string }> {
  if (user.totp?.enabled) throw new AppError('illegal_state', '二要素認証は既に有効です。再登録するには先に解除してください。', 409);
  const secret = generateSecret();
  const otpauthUrl = generateURI({ issuer: ISSUER, label: user.email, secret });
  const qrCode = `data:image/svg+xml;base64,${Buffer.from(await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })).toString('base64')}`;
  const updated = await userStore.update(ctx, 'user.totpEnrol', user._id, user.version, (c) => ({ ...c, totp: { secret: seal(key, secret), enabled: false, recoveryCodes: [] } }));
  return { user: updated, secret, otpauthUrl, qrCode };
}

export async function codeMatches(key: Buffer, user: User, code: string): Promise<boolean> {
  if (!user.totp || !/^\d{6}$/.test(code)) return false;
  const secret = open(key, user.totp.secret);
  // One step either side: phones' clocks drift.
  return (await verify({ secret, token: code, epochTolerance: 30 })).valid;
}

/** Confirms enrolment with a first correct code; returns the recovery codes, shown once. */
export async function confirmTotp(ctx: WriteContext, key: Buffer, user: User, code: string): Promise<{ user: User; recoveryCodes: string[] }> {
  if (!user.totp) throw new AppError('illegal_state', '先に二要素認証の登録を開始してください', 409);
  if (user.totp.enabled) throw new AppError('illegal_state', '二要素認証は既に有効です', 409);
  if (!(await codeMatches(key, user, code))) throw new AppError('invalid_otp', '確認コードが正しくありません', 400, [{ path: 'otp', message: '正しくありません' }]);
  const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
  const updated = await userStore.update(ctx, 'user.totpConfirm', user._id, user.version, (c) => ({
    ...c,
    totp: { ...c.totp!, enabled: true, recoveryCodes: codes.map((r) => sha256hex(normaliseRecovery(r))) },
  }));
  return { user: updated, recoveryCodes: codes };
}

export async function removeTotp(ctx: WriteContext, user: User): Promise<User> {
  if (!user.totp) return user;
  return userStore.update(ctx, 'user.totpRemove', user._id, user.version, (c) => ({ ...c, totp: null }));
}

/** Accepts a recovery code once: it is removed when used. */
export async function consumeRecoveryCode(ctx: WriteContext, user: User, code: string): Promise<boolean> {
  const hash = sha256hex(normaliseRecovery(code));
  if (!user.totp?.enabled || !user.totp.recoveryCodes.includes(hash)) return false;
  await userStore.update(ctx, 'user.recoveryCodeUsed', user._id, user.version, (c) => ({
    ...c,
    totp: { ...c.totp!, recoveryCodes: c.totp!.recoveryCodes.filter((h) => h !== hash) },
  }));
  return true;
}
