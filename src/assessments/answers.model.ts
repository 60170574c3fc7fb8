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

/**
 * Current answers of an assessment, rolled forward. With the question ids (from the template snapshot) every answer is
 * read by its `_id`, which stays fast however many answers the database holds (anything else is a full scan on
 * FerretDB); without them, a query by assessment.
 */
export async function answersOf(assessmentId: string, questionIds?: readonly string[]): Promise<Answer[]> {
  if (questionIds) return answerStore.getMany(questionIds.map((q) => answerId(assessmentId, q)));
  const docs = (await AnswerModel.find({ assessmentId }).lean()) as Answer[];
  return answerStore.rollForward(docs);
}

/** All answers of an assessment, by `_id`. */
export function answersFor(a: { _id: string; template: { questions: { id: string }[] } }): Promise<Answer[]> {
  return answersOf(a._id, a.template.questions.map((q) => q.id));
}
