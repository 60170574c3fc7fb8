import mongoose from 'mongoose';
import { scopeFor, type Principal } from '../auth/policy.js';
import { PersonModel, personStore, type Person } from '../org/index.js';
import { getSettings } from '../settings/index.js';
import { addDays, compareDates, daysBetween, todayInTokyo } from '../shared/dates.js';
import { warningsOf } from '../risk/warnings.js';
import { storeOf } from '../records/save.js';
import { statusOf } from '../records/status.js';
import { subjectName, type SubjectRecord } from '../records/subject.js';
import type { SubjectKind } from '../records/subject.types.js';
import { CERTIFICATION_LABELS } from '../vendors/vendor.types.js';
import { VendorModel, vendorStore } from '../vendors/vendor.model.js';
import type { DashboardView } from './dashboard.schemas.js';
import { assessmentsDue, conditionsDue, heatmapOf } from './dashboard.decisions.js';

const KINDS: SubjectKind[] = ['engagement', 'cloudService', 'snsAccount'];
const COUNT_KEYS = { engagement: 'engagements', cloudService: 'cloudServices', snsAccount: 'snsAccounts' } as const;
const CERTIFICATE_HORIZON = 60;

function windowOf(daysLeft: number): DashboardView['due']['certificates'][number]['window'] {
  return daysLeft < 0 ? 'expired' : daysLeft <= 7 ? 'within_7_days' : daysLeft <= 30 ? 'within_30_days' : 'within_60_days';
}

async function liveRecords(kind: SubjectKind, departmentId: string | null): Promise<SubjectRecord[]> {
  const store = storeOf(kind);
  const docs = await store.model.find({ archivedAt: null, ...(departmentId ? { departmentId } : {}) }).lean();
  return store.rollForward(docs as SubjectRecord[]);
}

/**
 * The dashboard's figures for what the caller may see: a department-scoped reader (procurement) gets their own
 * department's records and the vendors those records use. Everything is counted in JS from one read per collection:
 * FerretDB's `$group` silently drops all but the first accumulator, and a municipality's records fit in memory.
 */
export async function dashboard(user: Principal, days: number, today = todayInTokyo()): Promise<DashboardView> {
  const departmentId = scopeFor(user, 'records.read') === 'all' ? null : (user.departmentId ?? '__none__');
  const settings = await getSettings();
  const [records, archived, people] = await Promise.all([
    Promise.all(KINDS.map((k) => liveRecords(k, departmentId))),
    Promise.all(KINDS.map((k) => storeOf(k).model.countDocuments({ archivedAt: mongoose.trusted({ $ne: null }), ...(departmentId ? { departmentId } : {}) }))),
    personStore.rollForward((await PersonModel.find().lean()) as Person[]),
  ]);
  const all = records.flat();
  const personById = new Map(people.map((p) => [p._id, p]));
  const horizon = addDays(today, days);

  const counts = {} as DashboardView['counts'];
  KINDS.forEach((kind, i) => {
    const byStatus: Record<string, number> = {};
    const byTier = { '1': 0, '2': 0, '3': 0, '4': 0 };
    for (const r of records[i]!) {
      const s = statusOf(r, today, settings.dormancyDays);
      byStatus[s] = (byStatus[s] ?? 0) + 1;
      byTier[String(r.tier) as keyof typeof byTier]++;
    }
    counts[COUNT_KEYS[kind]] = { total: records[i]!.length, byStatus, byTier, archived: archived[i]! };
  });

  const usedVendorIds = [...new Set(all.flatMap((r) => (r.kind === 'engagement' ? [r.vendorId] : r.kind === 'cloudService' ? [r.providerVendorId] : [])))];
  const vendors = await vendorStore.rollForward(await VendorModel.find({ _id: mongoose.trusted({ $in: usedVendorIds }), archivedAt: null }).lean());
  counts.vendors = { total: departmentId ? vendors.length : await VendorModel.countDocuments({ archivedAt: null }) };

  const reviews = all
    .filter((r) => compareDates(r.nextReviewDate, horizon) <= 0)
    .map((r) => {
      const daysLeft = daysBetween(today, r.nextReviewDate);
      return { kind: r.kind, id: r._id, name: subjectName(r), departmentId: r.departmentId, tier: r.tier, date: r.nextReviewDate, reason: r.nextReviewReason, text: r.nextReviewText, daysLeft, overdue: daysLeft < 0 };
    })
    .sort((a, b) => compareDates(a.date, b.date) || a.name.localeCompare(b.name, 'ja'));

  const certificates: DashboardView['due']['certificates'] = [];
  for (const v of vendors) {
    for (const c of v.certifications) {
      if (!c.validUntil) continue;
      const daysLeft = daysBetween(today, c.validUntil);
      if (daysLeft > CERTIFICATE_HORIZON) continue;
      const label = c.type === 'other' ? c.name || CERTIFICATION_LABELS.other : CERTIFICATION_LABELS[c.type];
      certificates.push({ source: 'vendor', id: v._id, name: v.name, certificate: label, number: c.number, validUntil: c.validUntil, daysLeft, window: windowOf(daysLeft) });
    }
  }
  for (const r of all) {
    if (r.kind !== 'cloudService' || !r.ismap) continue;
    const daysLeft = daysBetween(today, r.ismap.validUntil);
    if (daysLeft > CERTIFICATE_HORIZON) continue;
    const label = r.ismap.program === 'ismap' ? 'ISMAP' : 'ISMAP-LIU';
    certificates.push({ source: 'ismap', id: r._id, name: r.name, certificate: label, number: r.ismap.number, validUntil: r.ismap.validUntil, daysLeft, window: windowOf(daysLeft) });
  }
  certificates.sort((a, b) => a.daysLeft - b.daysLeft);

  const contracts = all
    .flatMap((r) => (r.kind === 'engagement' && !r.endOfContract && compareDates(r.period.end, horizon) <= 0 ? [r] : []))
    .map((r) => {
      const daysLeft = daysBetween(today, r.period.end);
      return { kind: r.kind, id: r._id, name: r.title, departmentId: r.departmentId, end: r.period.end, daysLeft, ended: daysLeft < 0 };
    })
    .sort((a, b) => a.daysLeft - b.daysLeft);

  const byCode: Record<string, number> = {};
  const gapItems: DashboardView['gaps']['items'] = [];
  for (const r of all) {
    const warnings = warningsOf(r, {
      today,
      dormancyDays: settings.dormancyDays,
      person: (id) => {
        const p = personById.get(id);
        return p ? { name: p.name, active: p.active && !p.archivedAt } : null;
      },
    });
    if (warnings.length === 0) continue;
    for (const w of warnings) byCode[w.code] = (byCode[w.code] ?? 0) + 1;
    gapItems.push({ kind: r.kind, id: r._id, name: subjectName(r), departmentId: r.departmentId, warnings });
  }

  const scope = departmentId ? { departmentId } : {};
  const [assessments, conditions, heatmap] = await Promise.all([
    assessmentsDue(scope, today, horizon),
    conditionsDue(scope, today, horizon),
    heatmapOf(scope, new Set(all.map((r) => `${r.kind}:${r._id}`))),
  ]);

  return {
    today,
    days,
    scope: { departmentId },
    counts,
    due: { reviews, certificates, contracts, assessments, conditions },
    gaps: { byCode, items: gapItems },
    heatmap,
  };
}
