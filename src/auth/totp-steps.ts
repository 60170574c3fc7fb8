import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from '../db/errors.js';

/**
 * The TOTP time steps each user has had accepted, so a code works once (RFC 6238 §5.2). `_id` is `<userId>:<step>`.
 *
 * Why a collection of its own rather than a `lastStep` field on the user record: on FerretDB 1.24 an update is a
 * read-modify-write, so two sign-ins with the same code could both see the old step and both succeed. The insert of
 * `<userId>:<step>` is the one operation that is atomic there (and on MongoDB): exactly one of them gets it, the other
 * is refused with a duplicate key. The user store's version check would also pick one winner, but it would make every
 * sign-in a user revision and an audit entry, and a sign-in would then answer 409 to, and cause 409s for, an admin
 * editing the same account at the same moment.
 *
 * The last accepted step is the user's highest claim. Each accepted claim deletes the user's lower ones, never its own,
 * so the highest is never removed and the collection keeps about one document per user with a second factor (only
 * `_id` lookups are indexed on FerretDB: the per-user read below is a scan of this small table).
 */
interface TotpStep {
  _id: string;
  userId: string;
  step: number;
  at: Date;
}

const TotpStepModel = mongoose.model<TotpStep>(
  'TotpStep',
  new Schema<TotpStep>({ _id: String, userId: String, step: Number, at: Date }, { collection: 'totp_steps', versionKey: false }),
);


/** The highest time step accepted for this user, or null when none is recorded. */
export async function lastAcceptedStep(userId: string): Promise<number | null> {
  const claims = await TotpStepModel.find({ userId }, { step: 1 }).lean();
  return claims.reduce<number | null>((max, c) => (max === null || c.step > max ? c.step : max), null);
}

/**
 * Records `step` as used by this user. False when it was already taken — by an earlier sign-in or by a concurrent one
 * with the same code: of two concurrent claims, exactly one returns true.
 */
export async function claimStep(userId: string, step: number, now = new Date()): Promise<boolean> {
  try {
    await TotpStepModel.collection.insertOne({ _id: `${userId}:${step}`, userId, step, at: now } as never);
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  await TotpStepModel.deleteMany({ userId, step: mongoose.trusted({ $lt: step }) });
  return true;
}
