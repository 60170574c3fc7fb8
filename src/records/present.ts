import type { z } from 'zod';
import { daysBetween } from '../shared/dates.js';
import { warningsOf, type Warning } from '../risk/warnings.js';
import type { Person } from '../org/index.js';
import type { Lookup } from './lookup.js';
import { statusOf } from './status.js';
import { peopleOf, type SubjectRecord } from './subject.js';
import type { PersonRef, SubjectViewBase, TierView } from './schemas.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Days before a review that it counts as due soon (records' `nextReview.status`). */
export const DUE_SOON_DAYS = 30;

export function presentTier(r: SubjectRecord): z.infer<typeof TierView> {
  const o = r.tierOverride;
  return {
    tier: r.tier,
    computedTier: r.computedTier,
    reasons: r.tierReasons.map((x) => ({ code: x.code, tier: x.tier, text: x.text })),
    override: o ? { tier: o.tier, reason: o.reason, by: { id: o.by.id, name: o.by.name ?? null }, at: iso(o.at)!, computedTier: o.computedTier } : null,
  };
}

export function personRef(p: Person | null, id: string): z.infer<typeof PersonRef> {
  return p ? { id: p._id, name: p.name, active: p.active && !p.archivedAt } : { id, name: '（登録されていない人物）', active: false };
}

/** Every warning of the record today, reading the people it names through the lookup. */
export async function warningsFor(r: SubjectRecord, lookup: Lookup): Promise<Warning[]> {
  const ids = [...new Set(peopleOf(r).map((p) => p.id))];
  const [settings, found] = await Promise.all([lookup.settings(), Promise.all(ids.map((id) => lookup.person(id)))]);
  const people = new Map(ids.map((id, i) => [id, found[i] ?? null]));
  return warningsOf(r, {
    today: lookup.today,
    dormancyDays: settings.dormancyDays,
    person: (id) => {
      const p = people.get(id);
      return p ? { name: p.name, active: p.active && !p.archivedAt } : null;
    },
  });
}

type BaseView = { [K in keyof typeof SubjectViewBase]: z.infer<(typeof SubjectViewBase)[K]> };

/** The part of every subject view that is not the kind's own fields. */
export async function presentSubjectBase(r: SubjectRecord, lookup: Lookup): Promise<BaseView> {
  const [settings, department, warnings] = await Promise.all([lookup.settings(), lookup.department(r.departmentId), warningsFor(r, lookup)]);
  const daysLeft = daysBetween(lookup.today, r.nextReviewDate);
  const lastIncident = r.incidents.map((i) => i.date).sort().at(-1) ?? null;
  return {
    id: r._id,
    kind: r.kind,
    version: r.version,
    department: { id: r.departmentId, name: department?.name ?? '' },
    status: statusOf(r, lookup.today, settings.dormancyDays),
    classification: r.classification ? { level: r.classification.level, rank: r.classification.rank } : null,
    tier: presentTier(r),
    nextReview: {
      date: r.nextReviewDate,
      reason: r.nextReviewReason,
      text: r.nextReviewText,
      daysLeft,
      status: daysLeft < 0 ? 'overdue' : daysLeft <= DUE_SOON_DAYS ? 'due_soon' : 'scheduled',
    },
    warnings,
    lastDecision: r.lastDecision
      ? { date: r.lastDecision.date, result: r.lastDecision.result, openConditionDueDates: [...r.lastDecision.openConditionDueDates], assessmentId: r.lastDecision.assessmentId ?? null }
      : null,
    incidentCount: r.incidents.length,
    lastIncidentOn: lastIncident,
    registeredOn: r.registeredOn,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
    archivedAt: iso(r.archivedAt),
  };
}
