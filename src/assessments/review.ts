import crypto from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { VersionedStore, type Versioned } from '../db/versioned.js';
import { isPlainDate } from '../shared/dates.js';
import { assessmentStore, type Assessment } from './assessment.model.js';
import { answerId, answerStore } from './answers.model.js';
import { evidenceOf } from './evidence.js';
import { transition } from './commands.js';
import { REVIEWABLE } from './status.js';

type Verdict = 'accepted' | 'rejected';

/**
 * A reviewer's judgement of one question. A verdict on an answer or an N/A remembers the answer version it judged, and
 * one on evidence the files it saw: when the respondent changes them (after a clarification), the verdict no longer
 * applies and the question is reviewed again.
 */
export interface QuestionReview extends Versioned {
  assessmentId: string;
  questionId: string;
  answer: { verdict: Verdict; answerVersion: number; by: string; at: Date } | null;
  notApplicable: { verdict: Verdict; answerVersion: number; by: string; at: Date } | null;
  evidence: { verdict: Verdict; fileIds: string[]; by: string; at: Date } | null;
  exception: { measure: string; expiresOn: string; by: string; at: Date } | null;
  comments: { id: string; text: string; by: string; at: Date; visibleToRespondent: boolean }[];
}

export const ReviewModel = mongoose.model<QuestionReview>(
  'QuestionReview',
  new Schema<QuestionReview>(
    {
      _id: String, version: Number, createdAt: Date, updatedAt: Date, archivedAt: Date, assessmentId: String, questionId: String,
      answer: Schema.Types.Mixed, notApplicable: Schema.Types.Mixed, evidence: Schema.Types.Mixed, exception: Schema.Types.Mixed, comments: Schema.Types.Mixed,
    },
    { collection: 'reviews', versionKey: false, minimize: false },
  ),
);
export const reviewStore = new VersionedStore<QuestionReview>('review', ReviewModel);

/** The reviews of an assessment, read by `_id` ('<assessmentId>:<questionId>') from the template snapshot's questions. */
export async function reviewsOf(a: { _id: string; template: { questions: { id: string }[] } }): Promise<QuestionReview[]> {
  return reviewStore.getMany(a.template.questions.map((q) => `${a._id}:${q.id}`));
}

export type ReviewAction =
  | { action: 'comment'; questionId: string; text: string; visibleToRespondent: boolean }
  | { action: 'accept' | 'reject'; questionId: string; target: 'answer' | 'notApplicable' | 'evidence' }
  | { action: 'exception'; questionId: string; measure: string; expiresOn: string }
  | { action: 'removeException'; questionId: string }
  | { action: 'requestClarification'; message: string };

/**
 * Applies one review action. The first action on a submitted assessment starts the review (submitted → under_review).
 * Every action is audited (the review record's revisions go to the audit log).
 */
export async function applyReview(ctx: WriteContext, assessment: Assessment, input: ReviewAction, reviewerName: string): Promise<Assessment> {
  if (!REVIEWABLE.includes(assessment.status)) throw new AppError('illegal_state', '提出前、または判断済みの評価は審査できません', 409, undefined, { status: assessment.status });
  let current = assessment;
  if (current.status === 'submitted') current = await transition(ctx, current._id, 'under_review', () => ({}), ['under_review']);
  if (input.action === 'requestClarification') {
    return transition(ctx, current._id, 'clarification_requested', () => ({ clarification: { requestedAt: new Date(), message: input.message, by: reviewerName } }));
  }
  const q = current.template.questions.find((x) => x.id === input.questionId);
  if (!q) throw new AppError('not_found', `設問 ${input.questionId} はこの質問票にありません`, 404);
  const at = new Date();
  const id = `${current._id}:${input.questionId}`;

  let change: (r: QuestionReview) => QuestionReview;
  switch (input.action) {
    case 'comment':
      change = (r) => ({ ...r, comments: [...r.comments, { id: crypto.randomUUID(), text: input.text, by: reviewerName, at, visibleToRespondent: input.visibleToRespondent }] });
      break;
    case 'accept':
    case 'reject': {
      const verdict: Verdict = input.action === 'accept' ? 'accepted' : 'rejected';
      if (input.target === 'evidence') {
        const files = await evidenceOf(current._id, input.questionId);
        if (files.length === 0) throw new AppError('illegal_state', 'この設問には添付ファイルがありません', 409);
        change = (r) => ({ ...r, evidence: { verdict, fileIds: files.map((f) => f._id), by: reviewerName, at } });
      } else {
        const answer = await answerStore.get(answerId(current._id, input.questionId));
        const isFileQuestion = q.answer.type === 'file';
        const hasFiles = isFileQuestion && (await evidenceOf(current._id, input.questionId)).length > 0;
        if (!hasFiles && (!answer || answer.value === null)) throw new AppError('illegal_state', 'この設問はまだ回答されていません', 409);
        if (input.target === 'notApplicable' && answer?.value !== 'na') throw new AppError('illegal_state', 'この設問の回答は「該当なし」ではありません', 409);
        if (input.target === 'answer' && !['text', 'date', 'file'].includes(q.answer.type)) {
          throw new AppError('illegal_state', '選択式・数値の回答は採点で評価されるため、受理・差戻しの対象ではありません（コメントで伝えてください）', 409);
        }
        // A file question's answer is its evidence; version 0 stands for "no answer document".
        change = (r) => ({ ...r, [input.target]: { verdict, answerVersion: answer?.version ?? 0, by: reviewerName, at } });
      }
      break;
    }
    case 'exception':
      if (!isPlainDate(input.expiresOn)) throw new AppError('validation_failed', '期限は YYYY-MM-DD 形式で指定してください', 400, [{ path: 'expiresOn', message: '日付の形式が正しくありません' }]);
      change = (r) => ({ ...r, exception: { measure: input.measure, expiresOn: input.expiresOn, by: reviewerName, at } });
      break;
    case 'removeException':
      change = (r) => ({ ...r, exception: null });
      break;
  }

  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await reviewStore.get(id);
    try {
      if (!existing) {
        const blank: QuestionReview = { _id: id, assessmentId: current._id, questionId: input.questionId, answer: null, notApplicable: null, evidence: null, exception: null, comments: [], version: 0, createdAt: at, updatedAt: at };
        const { version: _v, createdAt: _c, updatedAt: _u, ...fresh } = change(blank);
        await reviewStore.create(ctx, `review.${input.action}`, fresh);
      } else {
        await reviewStore.update(ctx, `review.${input.action}`, id, existing.version, (r) => change(r));
      }
      break;
    } catch (err) {
      if (err instanceof AppError && (err.code === 'version_conflict' || err.code === 'duplicate') && attempt < 4) continue;
      throw err;
    }
  }
  return (await assessmentStore.get(current._id))!;
}
