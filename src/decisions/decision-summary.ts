/**
 * A small read model of decisions: one document per decided assessment (`_id` = the assessment's id, inserted once,
 * never changed — a decided assessment is immutable), holding what "the latest decision of each subject" needs: the
 * result and when, the conditions' ids and due dates, and T and L as scored. A decided assessment itself carries two
 * template snapshots and the full scoring breakdown (hundreds of kB), and FerretDB reads whole documents however a
 * query projects them: the dashboard's heat map and the start-up sweep read these instead.
 */
import mongoose, { Schema } from 'mongoose';
import { assessmentStore, type Assessment } from '../assessments/assessment.model.js';
import type { SubjectKind } from '../records/index.js';
import { isDuplicateKey } from '../db/errors.js';

export interface DecidedSummary {
  /** The decided assessment. */
  _id: string;
  subject: { kind: SubjectKind; id: string; name: string };
  departmentId: string | null;
  result: 'approved' | 'conditional' | 'rejected';
  decidedOn: string;
  /** ISO instant; orders decisions of one subject. */
  decidedAt: string;
  conditions: { id: string; dueDate: string }[];
  tier: number;
  likelihood: number | null;
}

export const DecisionSummaryModel = mongoose.model<DecidedSummary>(
  'DecisionSummary',
  new Schema<DecidedSummary>(
    {
      _id: String, subject: Schema.Types.Mixed, departmentId: String, result: String, decidedOn: String, decidedAt: String,
      conditions: Schema.Types.Mixed, tier: Number, likelihood: Number,
    },
    { collection: 'decision_summaries', versionKey: false, minimize: false },
  ),
);

/** `kind:id`, the key of subject maps. */
export const subjectKey = (s: { kind: string; id: string }): string => `${s.kind}:${s.id}`;

/** The summary of a decided assessment; null when it is not decided. */
export function decisionSummaryOf(a: Assessment): DecidedSummary | null {
  const d = a.decision as {
    result?: DecidedSummary['result'];
    decidedOn?: string;
    decidedAt?: string;
    conditions?: { id: string; dueDate: string }[];
    score?: { tier?: number; likelihood?: number | null };
  } | null;
  if (a.status !== 'decided' || !d?.result || !d.decidedOn) return null;
  return {
    _id: a._id,
    subject: a.subject,
    departmentId: a.departmentId,
    result: d.result,
    decidedOn: d.decidedOn,
    decidedAt: d.decidedAt ?? `${d.decidedOn}T00:00:00.000Z`,
    conditions: (d.conditions ?? []).map((c) => ({ id: c.id, dueDate: c.dueDate })),
    tier: d.score?.tier ?? a.tier.tier,
    likelihood: d.score?.likelihood ?? null,
  };
}

/** Records the summary of a decided assessment (idempotent: a second insert of the same id is refused and ignored). */
export async function recordDecisionSummary(a: Assessment): Promise<void> {
  const summary = decisionSummaryOf(a);
  if (!summary) return;
  try {
    await DecisionSummaryModel.collection.insertOne(summary as never);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Writes the summaries missing for decided assessments (after a crash, or for decisions made before they existed). */
export async function backfillDecisionSummaries(): Promise<number> {
  const [decided, have] = await Promise.all([
    assessmentStore.model.find({ status: 'decided' }, { _id: 1 }).lean() as Promise<{ _id: string }[]>,
    DecisionSummaryModel.find({}, { _id: 1 }).lean(),
  ]);
  const known = new Set(have.map((s) => s._id));
  let added = 0;
  for (const { _id } of decided) {
    if (known.has(_id)) continue;
    const a = await assessmentStore.get(_id);
    if (a) {
      await recordDecisionSummary(a);
      added++;
    }
  }
  return added;
}

/**
 * The latest decision of each subject among the summaries matching `filter` (e.g. `{ departmentId }`), by decision
 * time; on the same instant the larger assessment id, so every reader agrees.
 */
export async function latestDecisions(filter: Record<string, unknown> = {}): Promise<Map<string, DecidedSummary>> {
  const latest = new Map<string, DecidedSummary>();
  for (const s of (await DecisionSummaryModel.find(filter).lean()) as DecidedSummary[]) {
    const key = subjectKey(s.subject);
    const seen = latest.get(key);
    if (!seen || seen.decidedAt < s.decidedAt || (seen.decidedAt === s.decidedAt && seen._id < s._id)) latest.set(key, s);
  }
  return latest;
}
