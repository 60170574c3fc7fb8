import mongoose, { Schema } from 'mongoose';
import { VersionedStore, type Versioned } from '../db/versioned.js';
import type { Actor } from '../audit/actor.js';

export type AnswerValue = string | number | string[];

/**
 * One answer: one document per assessment and question (`_id` '<assessmentId>:<questionId>'), so two people saving
 * different questions never touch the same document, and a stale save of the same question is a version conflict.
 * Its revisions are the answer history (who, when, value); autosaves stay out of the audit log.
 */
export interface Answer extends Versioned {
  assessmentId: string;
  questionId: string;
  value: AnswerValue | null;
  comment: string;
  by: Actor;
}

export const AnswerModel = mongoose.model<Answer>(
  'Answer',
  new Schema<Answer>(
    { _id: String, version: Number, createdAt: Date, updatedAt: Date, archivedAt: Date, assessmentId: String, questionId: String, value: Schema.Types.Mixed, comment: String, by: Schema.Types.Mixed },
    { collection: 'answers', versionKey: false, minimize: false },
  ),
);

export const answerStore = new VersionedStore<Answer>('answer', AnswerModel, { audited: false });

export const answerId = (assessmentId: string, questionId: string) => `${assessmentId}:${questionId}`;

/** Current answers of an assessment, rolled forward. */
export async function answersOf(assessmentId: string): Promise<Answer[]> {
  const docs = (await AnswerModel.find({ assessmentId }).lean()) as Answer[];
  return answerStore.rollForward(docs);
}
