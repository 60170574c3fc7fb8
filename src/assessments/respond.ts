import type { WriteContext } from '../audit/actor.js';
import { appendAudit } from '../audit/log.js';
import { AppError } from '../http/errors.js';
import { applicableQuestions, type Question, type Template } from '../questionnaires/index.js';
import { NA } from '../questionnaires/schema.js';
import type { Assessment } from './assessment.model.js';
import { answerId, answersFor, answersOf, answerStore, type Answer, type AnswerValue } from './answers.model.js';
import { fieldsOf, type Expr } from '../conditions/index.js';
import { checkAnswerValue } from './answer-value.js';
import { evidenceCounts } from './evidence.js';
import { ANSWERABLE } from './status.js';
import { transition } from './commands.js';

export function answerMap(answers: Answer[]): Record<string, AnswerValue> {
  const out: Record<string, AnswerValue> = {};
  for (const a of answers) if (a.value !== null && a.value !== undefined) out[a.questionId] = a.value;
  return out;
}

/** Which questions apply now: the issue-time facts with the current answers (follow-ups appear as triggers are given). */
export async function currentView(assessment: Assessment) {
  const answers = await answersFor(assessment);
  const values = answerMap(answers);
  const preview = applicableQuestions(assessment.template, assessment.facts, values);
  return { answers, values, preview };
}

const deciding = new Map<string, string[]>();

/**
 * The questions whose answers any condition of the template reads (applicability, follow-ups, must levels,
 * evidence). Only these decide what applies, so an autosave reads just them, not every answer.
 */
export function decidingQuestionIds(template: Template): string[] {
  let ids = deciding.get(template.sha256);
  if (!ids) {
    const found = new Set<string>();
    const read = (c?: { ast: Expr }) => c && fieldsOf(c.ast).forEach((f) => f.startsWith('answer.') && found.add(f.slice('answer.'.length)));
    read(template.when);
    for (const q of template.questions) {
      read(q.applies);
      read(q.followUp?.when);
      read(q.evidence.when);
      q.must.rules.forEach((r) => read(r.when));
    }
    ids = [...found];
    deciding.set(template.sha256, ids);
  }
  return ids;
}

const decidingFor = new Map<string, string[]>();

/**
 * The questions whose answers decide whether `questionId` applies, its must level and its evidence: the answers its
 * own conditions read (and the template's), its follow-up parent, and, recursively, what decides whether each of those
 * applies (an answer counts only where its question applies). Saving one answer reads just these — usually none to
 * three — rather than every answer any condition reads.
 */
export function decidingQuestionIdsFor(template: Template, questionId: string): string[] {
  const key = `${template.sha256}:${questionId}`;
  let ids = decidingFor.get(key);
  if (!ids) {
    const byId = new Map(template.questions.map((q) => [q.id, q]));
    const found = new Set<string>();
    const visit = (id: string) => {
      const q = byId.get(id);
      if (!q) return;
      const fields = new Set<string>();
      const read = (c?: { ast: Expr }) => c && fieldsOf(c.ast).forEach((f) => f.startsWith('answer.') && fields.add(f.slice('answer.'.length)));
      read(template.when);
      read(q.applies);
      read(q.followUp?.when);
      read(q.evidence.when);
      q.must.rules.forEach((r) => read(r.when));
      if (q.followUp) fields.add(q.followUp.of);
      for (const f of fields) {
        if (found.has(f)) continue;
        found.add(f);
        visit(f);
      }
    };
    visit(questionId);
    ids = [...found];
    decidingFor.set(key, ids);
  }
  return ids;
}

function question(assessment: Assessment, questionId: string): Question {
  const q = assessment.template.questions.find((x) => x.id === questionId);
  if (!q) throw new AppError('not_found', `設問 ${questionId} はこの質問票にありません`, 404);
  return q;
}

export interface SaveAnswerInput {
  value?: unknown;
  comment?: string;
  /** The answer's version as last read (0 when there was none). */
  version: number;
}

/**
 * Saves one answer (autosave): checked against the issued template, refused with 409 when the answer changed since
 * `version` was read. The first save moves the assessment to in_progress (also back from clarification).
 */
export async function saveAnswer(ctx: WriteContext, assessment: Assessment, questionId: string, input: SaveAnswerInput): Promise<Answer> {
  if (!ANSWERABLE.includes(assessment.status)) {
    throw new AppError('not_answerable', '提出済みのため回答を変更できません（確認依頼があった場合は変更できます）', 409, undefined, { status: assessment.status });
  }
  const q = question(assessment, questionId);
  const values = answerMap(await answersOf(assessment._id, decidingQuestionIdsFor(assessment.template, questionId)));
  const preview = applicableQuestions(assessment.template, assessment.facts, values);
  const decision = preview.questions.find((d) => d.id === questionId);
  if (!decision?.applies) {
    throw new AppError('question_not_applicable', `設問 ${questionId} は現在の回答では対象外です`, 422, [{ path: questionId, message: decision?.reason.ja ?? '対象外です' }]);
  }
  const checked = input.value === undefined ? { ok: true as const, value: ((await answerStore.get(answerId(assessment._id, questionId)))?.value ?? null) as AnswerValue | null } : checkAnswerValue(q, input.value);
  if (!checked.ok) throw new AppError('validation_failed', checked.message, 400, [{ path: questionId, message: checked.message }]);
  if (q.answer.type === 'file' && checked.value !== null && checked.value !== NA) throw new AppError('validation_failed', 'ファイルを添付してください', 400, [{ path: questionId, message: 'ファイルを添付してください' }]);

  const id = answerId(assessment._id, questionId);
  const existing = await answerStore.get(id);
  if (input.value === undefined && existing) values[questionId] = existing.value as AnswerValue;
  const comment = input.comment ?? existing?.comment ?? '';
  let saved: Answer;
  try {
    if (!existing) {
      if (input.version !== 0) throw new AppError('version_conflict', 'この回答は既に削除または変更されています', 409, undefined, { questionId, currentVersion: 0 });
      saved = await answerStore.create(ctx, 'answer.save', { _id: id, assessmentId: assessment._id, questionId, value: checked.value, comment, by: ctx.actor });
    } else {
      saved = await answerStore.update(ctx, 'answer.save', id, input.version, (c) => ({ ...c, value: checked.value, comment, by: ctx.actor }));
    }
  } catch (err) {
    if (err instanceof AppError && (err.code === 'duplicate' || err.code === 'version_conflict')) {
      const latest = await answerStore.get(id);
      throw new AppError('version_conflict', `設問 ${questionId} の回答は、他の方（または別の画面）で先に保存されています。最新の内容を確認してください。`, 409, undefined, {
        questionId,
        currentVersion: latest?.version ?? 0,
        currentValue: latest?.value ?? null,
      });
    }
    throw err;
  }
  if (assessment.status !== 'in_progress') await transition(ctx, assessment._id, 'in_progress', () => ({}), ['in_progress']);
  return saved;
}

/** Required (◎ or ○) applicable questions without an answer (file questions: without evidence). */
export async function unansweredRequired(assessment: Assessment): Promise<{ id: string; text: string }[]> {
  const { values, preview } = await currentView(assessment);
  const files = await evidenceCounts(assessment._id);
  return preview.questions
    .filter((d) => d.applies && d.must && d.must.level !== '△')
    .filter((d) => {
      const q = assessment.template.questions.find((x) => x.id === d.id)!;
      if (values[d.id] === NA) return false;
      return q.answer.type === 'file' ? !(files[d.id] ?? 0) : values[d.id] === undefined;
    })
    .map((d) => ({ id: d.id, text: assessment.template.questions.find((x) => x.id === d.id)!.text.ja }));
}

/** Submits the answers; refused with 422 listing the required questions still unanswered. Audited. */
export async function submitAssessment(ctx: WriteContext, assessment: Assessment): Promise<Assessment> {
  if (!ANSWERABLE.includes(assessment.status)) throw new AppError('illegal_state', 'この評価は提出できる状態ではありません', 409, undefined, { status: assessment.status });
  const missing = await unansweredRequired(assessment);
  if (missing.length) {
    throw new AppError('unanswered_required', `必須の設問に未回答があります（${missing.length}問）`, 422, missing.map((m) => ({ path: m.id, message: `未回答: ${m.text}` })));
  }
  const submitted = await transition(ctx, assessment._id, 'submitted', () => ({ submittedAt: new Date() }));
  await appendAudit(ctx, { action: 'assessment.answersSubmitted', entity: 'assessment', entityId: assessment._id, detail: { answered: Object.keys((await currentView(submitted)).values).length } });
  return submitted;
}
