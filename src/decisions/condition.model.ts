import crypto from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { VersionedStore, type Versioned } from '../db/versioned.js';
import type { SubjectKind } from '../questionnaires/index.js';

export type ConditionStatus = 'open' | 'done' | 'accepted';

/** A condition of a `conditional` decision, tracked to closure: open → done (with evidence) → accepted. */
export interface Condition extends Versioned {
  assessmentId: string;
  subject: { kind: SubjectKind; id: string; name: string };
  departmentId: string | null;
  number: number;
  text: string;
  owner: string;
  dueDate: string;
  questionId: string | null;
  kind: 'remediation' | 'exception' | 'other';
  status: ConditionStatus;
  done: { at: Date; by: string; note: string } | null;
  accepted: { at: Date; by: string } | null;
}

export const ConditionModel = mongoose.model<Condition>(
  'Condition',
  new Schema<Condition>(
    {
      _id: String, version: Number, createdAt: Date, updatedAt: Date, archivedAt: Date, assessmentId: String, subject: Schema.Types.Mixed,
      departmentId: String, number: Number, text: String, owner: String, dueDate: String, questionId: String, kind: String, status: String,
      done: Schema.Types.Mixed, accepted: Schema.Types.Mixed,
    },
    { collection: 'conditions', versionKey: false },
  ),
);

export const conditionStore = new VersionedStore<Condition>('condition', ConditionModel);

/** Deterministic ids: creating a decision's conditions again (roll-forward) finds them already there. */
export const conditionId = (assessmentId: string, n: number) => crypto.createHash('sha256').update(`${assessmentId}:condition:${n}`).digest('hex').slice(0, 24);
