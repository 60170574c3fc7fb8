import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { applicableQuestions, findTemplate, templateMatches, type Template } from '../questionnaires/index.js';
import { todayInTokyo, compareDates } from '../shared/dates.js';
import { assessmentStore, type Assessment } from './assessment.model.js';
import { canTransition, STATUS_LABELS, type AssessmentStatus } from './status.js';
import { loadSubject } from './subjects.js';
import type { SubjectKind } from '../questionnaires/index.js';

export interface IssueInput {
  subject: { kind: SubjectKind; id: string };
  templateId: string;
  templateVersion?: number;
  dueDate: string;
  respondent?: 'vendor' | 'staff';
  language: 'ja' | 'en';
}

/**
 * Issues a questionnaire for a subject: stores a snapshot of the template, of the subject's facts and inherent tier
 * on the issue date, and which questions apply (and which were left out, with why). `today` is the issue date
 * (Asia/Tokyo); only the demo loader sets it, to give its assessments a history.
 */
export async function issueAssessment(
  ctx: WriteContext,
  preparer: { id: string; name: string },
  templates: readonly Template[],
  input: IssueInput,
  departmentCheck: (departmentId: string | null) => void,
  today = todayInTokyo(),
): Promise<Assessment> {
  const subject = await loadSubject(input.subject.kind, input.subject.id, today);
  if (!subject || subject.archived) throw new AppError('validation_failed', '評価の対象が見つかりません', 400, [{ path: 'subject.id', message: '存在しない記録です' }]);
  departmentCheck(subject.departmentId);
  const template = findTemplate(templates, input.templateId, input.templateVersion);
  if (!template) throw new AppError('validation_failed', '質問票のテンプレートが見つかりません', 400, [{ path: 'templateId', message: '使用できるテンプレートではありません' }]);
  const match = templateMatches(template, subject.facts);
  if (!match.matches) throw new AppError('template_mismatch', `このテンプレートはこの対象には使えません: ${match.reason.ja}`, 422, [{ path: 'templateId', message: match.reason.ja }]);
  if (compareDates(input.dueDate, today) < 0) throw new AppError('validation_failed', '回答期限は今日以降にしてください', 400, [{ path: 'dueDate', message: '今日以降の日付にしてください' }]);
  const respondent = input.respondent ?? template.respondent;
  if (respondent !== template.respondent) {
    throw new AppError('validation_failed', `このテンプレートの回答者は${template.respondent === 'staff' ? '職員' : '事業者'}です`, 400, [{ path: 'respondent', message: `${template.respondent} にしてください` }]);
  }
  const preview = applicableQuestions(template, subject.facts, {});
  return assessmentStore.create(ctx, 'assessment.issue', {
    subject: { kind: subject.kind, id: subject.id, name: subject.name },
    departmentId: subject.departmentId,
    vendorName: subject.vendorName,
    templateId: template.id,
    templateVersion: template.version,
    template,
    facts: subject.facts,
    tier: subject.tier,
    applicableAtIssue: preview.applicable,
    excludedAtIssue: preview.questions.filter((q) => !q.applies).map((q) => ({ id: q.id, reason: q.reason })),
    issuedOn: today,
    dueDate: input.dueDate,
    respondent,
    language: input.language,
    preparer,
    status: 'issued',
    link: null,
    submittedAt: null,
    clarification: null,
    cancellation: null,
    decision: null,
  });
}

export function illegalTransition(from: AssessmentStatus, to: AssessmentStatus): AppError {
  return new AppError('illegal_state', `「${STATUS_LABELS[from].ja}」の評価を「${STATUS_LABELS[to].ja}」にはできません`, 409, undefined, { status: from });
}

/**
 * Moves an assessment to `to` with `change` applied, re-reading and retrying when another writer got there first
 * (e.g. two vendors' first saves both moving issued → in_progress). Refuses an illegal transition with 409.
 */
export async function transition(ctx: WriteContext, id: string, to: AssessmentStatus, change: (a: Assessment) => Partial<Assessment> = () => ({}), alreadyOk: AssessmentStatus[] = []): Promise<Assessment> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await assessmentStore.get(id);
    if (!current) throw new AppError('not_found', '指定された評価は見つかりません', 404);
    if (current.status === to && alreadyOk.includes(to)) return current;
    if (!canTransition(current.status, to)) throw illegalTransition(current.status, to);
    try {
      return await assessmentStore.update(ctx, `assessment.${to}`, id, current.version, (c) => ({ ...c, ...change(c), status: to }));
    } catch (err) {
      if (err instanceof AppError && err.code === 'version_conflict') continue;
      throw err;
    }
  }
  throw new AppError('version_conflict', '評価が同時に更新されています。もう一度お試しください。', 409);
}

/** Cancels an assessment before it is decided, with a reason. */
export function cancelAssessment(ctx: WriteContext, id: string, reason: string): Promise<Assessment> {
  return transition(ctx, id, 'cancelled', () => ({ cancellation: { at: new Date(), reason, by: ctx.actor.name ?? ctx.actor.id }, link: null }));
}
