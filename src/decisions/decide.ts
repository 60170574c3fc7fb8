import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import type { AuthUser } from '../auth/principal.js';
import { scopeFor } from '../auth/policy.js';
import { assessmentStore, type Assessment } from '../assessments/assessment.model.js';
import { transition } from '../assessments/commands.js';
import { scoringInputOf } from '../assessments/scoring-input.js';
import { score, type ScoreResult, type ScoringInput } from '../scoring/index.js';
import { compareDates, todayInTokyo } from '../shared/dates.js';
import { setLastDecision, storeOf, type LastDecision, type SubjectKind } from '../records/index.js';
import { decisionSummaryOf, DecisionSummaryModel, latestDecisions, recordDecisionSummary, subjectKey, type DecidedSummary } from './decision-summary.js';
import { conditionId, conditionStore, ConditionModel, type Condition, type ConditionStatus } from './condition.model.js';

export interface DecisionInput {
  result: 'approved' | 'conditional' | 'rejected';
  reason: string;
  conditions: { text: string; owner: string; dueDate: string; questionId?: string | null; kind?: 'remediation' | 'exception' | 'other' }[];
}

export interface StoredDecision {
  result: DecisionInput['result'];
  reason: string;
  decidedAt: string;
  decidedOn: string;
  decidedBy: { id: string; name: string };
  recommendation: ScoreResult['recommendation'];
  /** The decision differs from the recommendation (shown in the report). */
  deviates: boolean;
  conditions: (DecisionInput['conditions'][number] & { id: string; number: number })[];
  /** What it was decided on: re-scoring `input` with `score.method` gives `score` again. */
  input: ScoringInput;
  score: ScoreResult;
}

/**
 * Records the decision on an assessment under review. Separation of duties: the preparer may not decide; an
 * assessment recommended `escalate` is decided by a ciso. `approved`/`conditional` are refused while a ◎ gate is
 * failed without an exception. The assessment (the source of truth) is written first, then its summary, its
 * conditions with deterministic ids, and the subject's `lastDecision` (which sets its next review); a crash between
 * them is completed by the start-up sweep `completeAllDecisionConditions`.
 */
export async function decide(ctx: WriteContext, user: AuthUser, assessment: Assessment, input: DecisionInput, today = todayInTokyo()): Promise<Assessment> {
  if (assessment.status !== 'under_review') {
    throw new AppError('illegal_state', assessment.status === 'submitted' ? '審査を開始してから判断してください（審査操作を一つ以上行うと審査中になります）' : '審査中の評価だけが判断できます', 409, undefined, { status: assessment.status });
  }
  if (assessment.preparer.id === user.id) throw new AppError('separation_of_duties', '自分が発行した評価は判断できません（職務の分離）', 403);
  const scoringInput = await scoringInputOf(assessment);
  const result = score(scoringInput);
  if (result.recommendation.result === 'escalate' && scopeFor(user, 'assessments.decideEscalated') === null) {
    throw new AppError('escalation_required', '要エスカレーションの評価は CISO が判断します', 403);
  }
  if (input.result !== 'rejected' && result.gates.failed.length > 0) {
    throw new AppError('gate_failed', `必須（◎）設問 ${result.gates.failed.map((g) => g.questionId).join('、')} が不充足で、例外も記録されていないため、承認できません`, 409, result.gates.failed.map((g) => ({ path: g.questionId, message: '◎ 不充足' })));
  }
  if (input.result === 'conditional' && input.conditions.length === 0) {
    throw new AppError('validation_failed', '条件付き承認には条件が一つ以上必要です', 400, [{ path: 'conditions', message: '条件を入力してください' }]);
  }
  if (input.result !== 'conditional' && input.conditions.length > 0) {
    throw new AppError('validation_failed', '条件を付けられるのは条件付き承認だけです', 400, [{ path: 'conditions', message: '条件付き承認以外では空にしてください' }]);
  }
  input.conditions.forEach((c, i) => {
    if (compareDates(c.dueDate, today) < 0) throw new AppError('validation_failed', '条件の期限は今日以降にしてください', 400, [{ path: `conditions.${i}.dueDate`, message: '今日以降の日付にしてください' }]);
    if (c.questionId && !assessment.template.questions.some((q) => q.id === c.questionId)) {
      throw new AppError('validation_failed', `設問 ${c.questionId} はこの質問票にありません`, 400, [{ path: `conditions.${i}.questionId`, message: '存在しない設問です' }]);
    }
  });
  const decision: StoredDecision = {
    result: input.result,
    reason: input.reason,
    decidedAt: new Date().toISOString(),
    decidedOn: today,
    decidedBy: { id: user.id, name: user.name },
    recommendation: result.recommendation,
    deviates: input.result !== result.recommendation.result,
    conditions: input.conditions.map((c, i) => ({ ...c, id: conditionId(assessment._id, i + 1), number: i + 1 })),
    input: scoringInput,
    score: result,
  };
  const decided = await transition(ctx, assessment._id, 'decided', () => ({ decision: decision as unknown as Record<string, unknown>, link: assessment.link ? { ...assessment.link, revokedAt: assessment.link.revokedAt ?? new Date() } : null }));
  await recordDecisionSummary(decided);
  const conditions = await completeDecisionConditions(ctx, decided);
  // This decision is now the subject's latest: its next review follows it.
  await applyLastDecision(ctx, decided.subject, lastDecisionOf(decisionSummaryOf(decided)!, new Map(conditions.map((c) => [c._id, c.status]))));
  return decided;
}

/** Creates the conditions a decision lists, if missing (idempotent; also the roll-forward after a crash). */
export async function completeDecisionConditions(ctx: WriteContext, a: Assessment): Promise<Condition[]> {
  const decision = a.decision as unknown as StoredDecision | null;
  if (!decision) return [];
  const out: Condition[] = [];
  for (const c of decision.conditions) {
    const existing = await conditionStore.get(c.id);
    if (existing) {
      out.push(existing);
      continue;
    }
    try {
      out.push(
        await conditionStore.create(ctx, 'condition.create', {
          _id: c.id, assessmentId: a._id, subject: a.subject, departmentId: a.departmentId, number: c.number, text: c.text, owner: c.owner,
          dueDate: c.dueDate, questionId: c.questionId ?? null, kind: c.kind ?? (c.questionId ? 'remediation' : 'other'), status: 'open', done: null, accepted: null,
        }),
      );
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'duplicate')) throw err;
      out.push((await conditionStore.get(c.id))!);
    }
  }
  return out;
}

/** The subject's `lastDecision` from its latest decision: a condition not yet written (crash) counts as open. */
export function lastDecisionOf(latest: DecidedSummary, statuses: ReadonlyMap<string, ConditionStatus>): LastDecision {
  return {
    date: latest.decidedOn,
    result: latest.result,
    openConditionDueDates: latest.conditions.filter((c) => (statuses.get(c.id) ?? 'open') === 'open').map((c) => c.dueDate).sort(compareDates),
    assessmentId: latest._id,
  };
}

const sameDecision = (a: LastDecision | null | undefined, b: LastDecision): boolean =>
  !!a && a.date === b.date && a.result === b.result && a.assessmentId === b.assessmentId && a.openConditionDueDates.join() === b.openConditionDueDates.join();

/**
 * Sets the subject's `lastDecision` unless the record already says so (`current`, when the caller has read it); the
 * records code recomputes the next review from it — no later than the earliest open condition of a `conditional`
 * decision. Returns whether it wrote.
 */
async function applyLastDecision(ctx: WriteContext, subject: { kind: SubjectKind; id: string }, expected: LastDecision, current?: { lastDecision: LastDecision | null } | null): Promise<boolean> {
  const record = current === undefined ? await storeOf(subject.kind).get(subject.id) : current;
  if (!record || sameDecision(record.lastDecision, expected)) return false;
  await setLastDecision(ctx, subject.kind, subject.id, expected);
  return true;
}

/**
 * After a condition changed state: refreshes `openConditionDueDates` of its subject when the condition belongs to
 * the subject's current decision (a condition of an older decision does not move the review).
 */
export async function syncConditionDecision(ctx: WriteContext, c: Condition): Promise<void> {
  const record = await storeOf(c.subject.kind).get(c.subject.id);
  if (!record || record.lastDecision?.assessmentId !== c.assessmentId) return;
  let summary = (await DecisionSummaryModel.findById(c.assessmentId).lean()) as DecidedSummary | null;
  if (!summary) {
    const assessment = await assessmentStore.get(c.assessmentId);
    summary = assessment ? decisionSummaryOf(assessment) : null;
  }
  if (!summary) return;
  const conditions = await conditionStore.getMany(summary.conditions.map((x) => x.id));
  await applyLastDecision(ctx, c.subject, lastDecisionOf(summary, new Map(conditions.map((x) => [x._id, x.status]))), record);
}

/**
 * Start-up sweep, after pending revisions are completed (so plain reads are current): for every decided assessment,
 * its summary and its conditions if a crash left them unwritten; then every subject whose `lastDecision` does not say
 * what its latest decision and that decision's conditions say. A few whole-collection reads rather than a query per
 * record (FerretDB scans for any filter but an `_id`). Idempotent; returns how many assessments and records it completed.
 */
export async function completeAllDecisionConditions(ctx: WriteContext): Promise<number> {
  const [decided, summaries, conditions] = await Promise.all([
    assessmentStore.model.find({ status: 'decided' }, { _id: 1 }).lean() as Promise<{ _id: string }[]>,
    DecisionSummaryModel.find({}, { _id: 1, conditions: 1 }).lean() as Promise<Pick<DecidedSummary, '_id' | 'conditions'>[]>,
    ConditionModel.find({}, { _id: 1, assessmentId: 1, status: 1 }).lean() as Promise<Pick<Condition, '_id' | 'assessmentId' | 'status'>[]>,
  ]);
  const known = new Map(summaries.map((x) => [x._id, x.conditions.length]));
  const have = new Map<string, number>();
  for (const c of conditions) have.set(c.assessmentId, (have.get(c.assessmentId) ?? 0) + 1);
  let completed = 0;
  for (const { _id } of decided) {
    const expected = known.get(_id);
    if (expected !== undefined && (have.get(_id) ?? 0) >= expected) continue;
    const a = await assessmentStore.get(_id);
    if (!a?.decision) continue;
    await recordDecisionSummary(a);
    if ((have.get(_id) ?? 0) < (a.decision as unknown as StoredDecision).conditions.length) await completeDecisionConditions(ctx, a);
    completed++;
  }
  const statuses = new Map<string, ConditionStatus>((await ConditionModel.find({}, { _id: 1, status: 1 }).lean()).map((c) => [c._id, c.status]));
  const latest = await latestDecisions();
  for (const kind of ['engagement', 'cloudService', 'snsAccount'] as const) {
    const records = (await storeOf(kind).model.find({}, { _id: 1, lastDecision: 1 }).lean()) as { _id: string; lastDecision: LastDecision | null }[];
    for (const r of records) {
      const summary = latest.get(subjectKey({ kind, id: r._id }));
      if (summary && (await applyLastDecision(ctx, { kind, id: r._id }, lastDecisionOf(summary, statuses), r))) completed++;
    }
  }
  return completed;
}
