import crypto from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { sha256hex } from '../auth/crypto-box.js';
import { assertNotLimited, recordKeyFailure } from '../auth/throttle.js';
import { assessmentStore, type Assessment } from './assessment.model.js';

export const DEFAULT_LINK_DAYS = 30;
export const MAX_LINK_DAYS = 180;

/** Finds the assessment of a token hash by `_id`. Insert-only: reissuing adds a new one; validity is on the assessment. */
interface LinkIndex {
  _id: string;
  assessmentId: string;
  at: Date;
}
const LinkIndexModel = mongoose.model<LinkIndex>(
  'AssessmentLink',
  new Schema<LinkIndex>({ _id: String, assessmentId: String, at: Date }, { collection: 'assessment_links', versionKey: false }),
);

/**
 * Issues (or reissues) the vendor link: a 256-bit random token, stored only as its hash, valid for `days`. The previous
 * token stops working at once, because only the hash on the assessment is accepted.
 */
export async function issueLink(ctx: WriteContext, assessment: Assessment, days = DEFAULT_LINK_DAYS): Promise<{ token: string; expiresAt: Date; assessment: Assessment }> {
  if (assessment.respondent !== 'vendor') throw new AppError('illegal_state', 'この質問票は職員が回答するため、事業者向けリンクは発行できません', 409);
  if (['decided', 'cancelled'].includes(assessment.status)) throw new AppError('illegal_state', '判断済み・取消し済みの評価にはリンクを発行できません', 409);
  const token = crypto.randomBytes(32).toString('base64url');
  const tokenHash = sha256hex(token);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  await LinkIndexModel.collection.insertOne({ _id: tokenHash, assessmentId: assessment._id, at: now } as never);
  const updated = await assessmentStore.update(ctx, assessment.link ? 'assessment.linkReissue' : 'assessment.linkIssue', assessment._id, assessment.version, (c) => ({
    ...c,
    link: { tokenHash, issuedAt: now, expiresAt, revokedAt: null },
  }));
  return { token, expiresAt, assessment: updated };
}

export async function revokeLink(ctx: WriteContext, assessment: Assessment): Promise<Assessment> {
  if (!assessment.link || assessment.link.revokedAt) return assessment;
  return assessmentStore.update(ctx, 'assessment.linkRevoke', assessment._id, assessment.version, (c) => ({ ...c, link: { ...c.link!, revokedAt: new Date() } }));
}

const LINK_FAILURES = { limit: 20, windowMs: 15 * 60_000 };

/** The same answer for every bad token, whatever the reason (wrong, expired, revoked, another's, cancelled). */
export const linkNotFound = () => new AppError('link_not_found', 'このリンクは無効です。期限切れまたは再発行された可能性があります。依頼元の担当課にお問い合わせください。', 404);

/**
 * Resolves a vendor token to its assessment. Failed lookups are counted per address in the database; past the limit
 * the address gets 429 for a while. Successful lookups are never counted.
 */
export async function resolveLink(token: string, ip: string, now = new Date()): Promise<Assessment> {
  const key = `link-ip:${ip}`;
  await assertNotLimited(key, LINK_FAILURES.limit, LINK_FAILURES.windowMs, now, 'リンクの確認に失敗した回数が多すぎます。しばらく待ってから再度お試しください。');
  const ok = await lookup(token, now);
  if (!ok) {
    await recordKeyFailure(key, now);
    throw linkNotFound();
  }
  return ok;
}

async function lookup(token: string, now: Date): Promise<Assessment | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const hash = sha256hex(token);
  const index = await LinkIndexModel.findById(hash).lean();
  if (!index) return null;
  const assessment = await assessmentStore.get(index.assessmentId);
  const link = assessment?.link;
  if (!assessment || !link || link.tokenHash !== hash || link.revokedAt || new Date(link.expiresAt).getTime() <= now.getTime()) return null;
  if (assessment.status === 'cancelled' || assessment.archivedAt) return null;
  return assessment;
}

/** The vendor acting through the link: the audit names the assessment, never the token. */
export function respondentContext(a: Pick<Assessment, '_id' | 'vendorName'>, ip?: string): WriteContext {
  return { actor: { kind: 'vendor', id: a._id, name: a.vendorName ? `${a.vendorName}（回答者）` : '事業者（回答者）' }, ...(ip ? { ip } : {}) };
}

export function vendorUrl(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/q/${token}`;
}
