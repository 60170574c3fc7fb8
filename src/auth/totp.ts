import crypto from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { open, seal, sha256hex } from './crypto-box.js';
import { claimStep, lastAcceptedStep } from './totp-steps.js';
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

/** The time step a 6-digit code belongs to, one step either side of now (phones' clocks drift), or null. */
async function matchingStep(key: Buffer, user: User, code: string): Promise<number | null> {
  if (!user.totp || !/^\d{6}$/.test(code)) return null;
  const result = await verify({ secret: open(key, user.totp.secret), token: code, epochTolerance: 30 });
  // The result type also covers HOTP, which has no time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/**
 * Accepts a code at most once (RFC 6238 §5.2): its time step must be later than the last one accepted for this user,
 * and is then claimed (totp-steps.ts), so of two concurrent sign-ins with one code exactly one gets `accepted`. A code
 * already used, or older than one used, is `reused`: callers answer it exactly as a wrong code.
 */
export async function acceptCode(key: Buffer, user: User, code: string): Promise<'accepted' | 'wrong' | 'reused'> {
  const step = await matchingStep(key, user, code);
  if (step === null) return 'wrong';
  const last = await lastAcceptedStep(user._id);
  if (last !== null && step <= last) return 'reused';
  return (await claimStep(user._id, step)) ? 'accepted' : 'reused';
}

const invalidConfirmation = () => new AppError('invalid_otp', '確認コードが正しくありません', 400, [{ path: 'otp', message: '正しくありません' }]);

/** Confirms enrolment with a first correct code (which is then used up); returns the recovery codes, shown once. */
export async function confirmTotp(ctx: WriteContext, key: Buffer, user: User, code: string): Promise<{ user: User; recoveryCodes: string[] }> {
  if (!user.totp) throw new AppError('illegal_state', '先に二要素認証の登録を開始してください', 409);
  if (user.totp.enabled) throw new AppError('illegal_state', '二要素認証は既に有効です', 409);
  if ((await acceptCode(key, user, code)) !== 'accepted') throw invalidConfirmation();
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

/**
 * Accepts a recovery code once: it is removed when used. Of two sign-ins racing with the same code, the one whose
 * removal lands second finds it gone and is refused like a wrong code; a conflict with any other change to the
 * account is retried.
 */
export async function consumeRecoveryCode(ctx: WriteContext, user: User, code: string): Promise<boolean> {
  const hash = sha256hex(normaliseRecovery(code));
  let current: User | null = user;
  for (let attempt = 0; attempt < 5 && current; attempt++) {
    if (!current.totp?.enabled || !current.totp.recoveryCodes.includes(hash)) return false;
    try {
      await userStore.update(ctx, 'user.recoveryCodeUsed', current._id, current.version, (c) => ({
        ...c,
        totp: { ...c.totp!, recoveryCodes: c.totp!.recoveryCodes.filter((h) => h !== hash) },
      }));
      return true;
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'version_conflict')) throw err;
      current = await userStore.get(current._id);
    }
  }
  return false;
}
