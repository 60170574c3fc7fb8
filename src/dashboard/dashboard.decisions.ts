/**
 * The dashboard's figures that come from assessments and decisions: the tier × likelihood heat map of each subject's
 * latest decided result, open conditions falling due, and assessments falling due or waiting on a clarification.
 */
import mongoose from 'mongoose';
import { AssessmentModel, assessmentStore, type Assessment } from '../assessments/assessment.model.js';
import { ConditionModel, conditionStore, type Condition } from '../decisions/condition.model.js';
import { latestDecisions } from '../decisions/decision-summary.js';
import { compareDates, daysBetween } from '../shared/dates.js';
import type { DashboardView } from './dashboard.schemas.js';

/** `{ departmentId }` for a department-scoped reader, `{}` for everyone else. */
type Scope = { departmentId?: string };

/** Statuses in which the respondent still owes answers by the due date. */
const AWAITING_ANSWERS = ['issued', 'in_progress', 'clarification_requested'];

/**
 * One cell per tier (T) and likelihood (L) that has subjects: each live subject (`live`, keyed `kind:id`) counted once,
 * by its latest decided assessment's T and L as scored (L is null when nothing was scorable). Empty cells are left out.
 */
export async function heatmapOf(scope: Scope, live: ReadonlySet<string>): Promise<DashboardView['heatmap']> {
  const cells = new Map<string, DashboardView['heatmap'][number]>();
  for (const [key, d] of await latestDecisions(scope)) {
    if (!live.has(key)) continue;
    const id = `${d.tier}:${d.likelihood ?? '-'}`;
    const cell = cells.get(id) ?? { tier: d.tier, likelihood: d.likelihood, residual: d.likelihood === null ? null : d.tier * d.likelihood, count: 0 };
    cell.count++;
    cells.set(id, cell);
  }
  return [...cells.values()].sort((a, b) => a.tier - b.tier || (a.likelihood ?? 99) - (b.likelihood ?? 99));
}

/** Open conditions due within `horizon` (YYYY-MM-DD) or overdue, earliest first. */
export async function conditionsDue(scope: Scope, today: string, horizon: string): Promise<DashboardView['due']['conditions']> {
  const docs = (await ConditionModel.find({ ...scope, status: 'open', archivedAt: null, dueDate: mongoose.trusted({ $lte: horizon }) }).lean()) as Condition[];
  return (await conditionStore.rollForward(docs))
    .filter((c) => c.status === 'open' && compareDates(c.dueDate, horizon) <= 0)
    .map((c) => {
      const daysLeft = daysBetween(today, c.dueDate);
      return {
        id: c._id, assessmentId: c.assessmentId, subject: c.subject, departmentId: c.departmentId, number: c.number, text: c.text, owner: c.owner,
        dueDate: c.dueDate, daysLeft, overdue: daysLeft < 0,
      };
    })
    .sort((a, b) => compareDates(a.dueDate, b.dueDate) || a.subject.name.localeCompare(b.subject.name, 'ja'));
}

/**
 * Assessments whose answers are due within `horizon` or overdue, and every assessment waiting on the respondent's
 * answer to a clarification request (whatever its due date). Overdue first, then by due date.
 */
export async function assessmentsDue(scope: Scope, today: string, horizon: string): Promise<DashboardView['due']['assessments']> {
  // `template` is a small stub that reading the assessment through its store decodes (assessments/template-snapshots).
  const fields = { _id: 1, version: 1, subject: 1, departmentId: 1, vendorName: 1, status: 1, dueDate: 1, clarification: 1, template: 1 };
  const docs = (await AssessmentModel.find({ ...scope, archivedAt: null, status: mongoose.trusted({ $in: AWAITING_ANSWERS }) } as Record<string, unknown>, fields).lean()) as unknown as Assessment[];
  const out: DashboardView['due']['assessments'] = [];
  for (const a of await assessmentStore.rollForward(docs)) {
    if (!AWAITING_ANSWERS.includes(a.status)) continue;
    const daysLeft = daysBetween(today, a.dueDate);
    const clarification = a.status === 'clarification_requested';
    if (!clarification && compareDates(a.dueDate, horizon) > 0) continue;
    out.push({
      id: a._id, subject: a.subject, departmentId: a.departmentId, vendorName: a.vendorName, status: a.status, dueDate: a.dueDate, daysLeft,
      overdue: daysLeft < 0,
      reason: clarification ? 'clarification_unanswered' : daysLeft < 0 ? 'overdue' : 'due_soon',
      clarificationRequestedAt: clarification && a.clarification ? new Date(a.clarification.requestedAt).toISOString() : null,
    });
  }
  return out.sort((a, b) => Number(b.overdue) - Number(a.overdue) || compareDates(a.dueDate, b.dueDate));
}
