import mongoose, { Schema } from 'mongoose';
import crypto from 'node:crypto';
import { VersionedStore, type Versioned } from '../db/versioned.js';
import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { sha256hex } from './crypto-box.js';

/**
 * Personal access tokens: `itk_<id>_<secret>`. The id finds the record by `_id` (the only indexed lookup on
 * FerretDB); the 256-bit secret is stored as its SHA-256 (a fast hash suffices for a random secret) and compared in
 * constant time. The token itself is shown once, at creation.
 */
export interface AccessToken extends Versioned {
  userId: string;
  name: string;
  secretHash: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

export const AccessTokenModel = mongoose.model<AccessToken>(
  'AccessToken',
  new Schema<AccessToken>(
    { _id: String, version: Number, createdAt: Date, updatedAt: Date, archivedAt: Date, userId: String, name: String, secretHash: String, expiresAt: Date, revokedAt: Date },
    { collection: 'access_tokens', versionKey: false },
  ),
);

export const tokenStore = new VersionedStore<AccessToken>('accessToken', AccessTokenModel, {
  redact: ({ secretHash: _s, ...rest }) => rest,
});

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 366;
const TOKEN_PATTERN = /^itk_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

export async function createAccessToken(ctx: WriteContext, userId: string, name: string, expiresAt?: Date): Promise<{ record: AccessToken; token: string }> {
  const now = Date.now();
  const expiry = expiresAt ?? new Date(now + DEFAULT_TOKEN_DAYS * 86_400_000);
  if (expiry.getTime() <= now) throw new AppError('validation_failed', '有効期限は将来の日時にしてください', 400, [{ path: 'expiresAt', message: '将来の日時にしてください' }]);
  if (expiry.getTime() > now + MAX_TOKEN_DAYS * 86_400_000) {
    throw new AppError('validation_failed', `有効期限は${MAX_TOKEN_DAYS}日以内にしてください`, 400, [{ path: 'expiresAt', message: `${MAX_TOKEN_DAYS}日以内にしてください` }]);
  }
  const secret = crypto.randomBytes(32).toString('base64url');
  const id = tokenStore.newId();
  const record = await tokenStore.create(ctx, 'accessToken.create', { _id: id, userId, name, secretHash: sha256hex(secret), expiresAt: expiry, revokedAt: null });
  return { record, token: `itk_${id}_${secret}` };
}

/** The live token record for a presented token, or null (unknown, wrong secret, expired or revoked). */
export async function resolveAccessToken(presented: string, now = new Date()): Promise<AccessToken | null> {
  const m = TOKEN_PATTERN.exec(presented);
  if (!m) return null;
  const record = await tokenStore.get(m[1]!);
  if (!record || record.revokedAt || record.archivedAt || record.expiresAt.getTime() <= now.getTime()) return null;
  const a = Buffer.from(record.secretHash, 'hex');
  const b = Buffer.from(sha256hex(m[2]!), 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b) ? record : null;
}

export async function listAccessTokens(userId: string): Promise<AccessToken[]> {
  const docs = (await AccessTokenModel.find({ userId }).sort({ createdAt: -1 }).lean()) as AccessToken[];
  return tokenStore.rollForward(docs);
}

export async function revokeAccessToken(ctx: WriteContext, userId: string, id: string): Promise<AccessToken> {
  const record = await tokenStore.get(id);
  if (!record || record.userId !== userId) throw new AppError('not_found', '指定されたトークンは見つかりません', 404);
  if (record.revokedAt) return record;
  return tokenStore.update(ctx, 'accessToken.revoke', id, record.version, (c) => ({ ...c, revokedAt: new Date() }));
}

export function presentAccessToken(t: AccessToken) {
  return {
    id: t._id,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    revokedAt: t.revokedAt ? t.revokedAt.toISOString() : null,
    active: !t.revokedAt && t.expiresAt.getTime() > Date.now(),
  };
}
