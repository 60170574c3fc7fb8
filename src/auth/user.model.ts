import mongoose, { Schema } from 'mongoose';
import { VersionedStore, type Versioned } from '../db/versioned.js';
import type { Role } from './roles.js';

export interface TotpState {
  /** AES-256-GCM under ITAKU_DATA_KEY (crypto-box.ts). */
  secret: string;
  /** False between enrolment and the first correct code. */
  enabled: boolean;
  /** scrypt-free SHA-256 of each unused recovery code (they are 80-bit random, so a fast hash is enough). */
  recoveryCodes: string[];
}

export interface User extends Versioned {
  email: string;
  name: string;
  roles: Role[];
  departmentId: string | null;
  passwordHash: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
  totp: TotpState | null;
  passwordChangedAt: Date | null;
}

const UserSchema = new Schema<User>(
  {
    _id: String,
    version: Number,
    createdAt: Date,
    updatedAt: Date,
    archivedAt: Date,
    email: String,
    name: String,
    roles: [String],
    departmentId: String,
    passwordHash: String,
    mustChangePassword: Boolean,
    disabled: Boolean,
    totp: Schema.Types.Mixed,
    passwordChangedAt: Date,
  },
  { collection: 'users', versionKey: false },
);

export const UserModel = mongoose.model<User>('User', UserSchema);

export const normaliseEmail = (email: string) => email.trim().normalize('NFKC').toLowerCase();

/** Secrets never reach the audit log or history views: only that they changed. */
function redactUser(image: Record<string, unknown>): Record<string, unknown> {
  const { passwordHash, totp, ...rest } = image;
  const t = totp as TotpState | null | undefined;
  return {
    ...rest,
    password: passwordHash ? `set@${String(image.passwordChangedAt instanceof Date ? image.passwordChangedAt.toISOString() : image.passwordChangedAt)}` : null,
    totp: t ? { enabled: t.enabled, recoveryCodesLeft: t.recoveryCodes.length } : null,
  };
}

export const userStore = new VersionedStore<User>('user', UserModel, {
  keysOf: (u) => [`email:${u.email}`],
  redact: redactUser,
});
