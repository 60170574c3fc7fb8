/**
 * How each record kind is loaded as an assessment subject (assessments/subjects.ts): its facts on the day, its
 * effective tier with reasons, its department and vendor. Imported once by the app.
 */
import { registerSubjectLoader } from '../assessments/subjects.js';
import { factsOf } from '../risk/facts-of.js';
import { storeOf } from './save.js';
import { subjectName } from './subject.js';
import { vendorStore } from '../vendors/index.js';
import { engagementStore } from '../engagements/index.js';
import type { SubjectKind } from './subject.types.js';

async function vendorOf(r: Awaited<ReturnType<ReturnType<typeof storeOf>['get']>>): Promise<{ id: string | null; name: string | null }> {
  if (!r) return { id: null, name: null };
  let vendorId: string | null = null;
  if (r.kind === 'engagement') vendorId = r.vendorId;
  else if (r.kind === 'cloudService') vendorId = r.providerVendorId;
  // An SNS account run by a vendor is answered by the vendor of its engagement.
  else if (r.operatedByEngagementId) vendorId = (await engagementStore.get(r.operatedByEngagementId))?.vendorId ?? null;
  const vendor = vendorId ? await vendorStore.get(vendorId) : null;
  return { id: vendorId, name: vendor?.name ?? null };
}

for (const kind of ['engagement', 'cloudService', 'snsAccount'] as const satisfies SubjectKind[]) {
  registerSubjectLoader(kind, async (id, today) => {
    const r = /^[0-9a-f]{24}$/.test(id) ? await storeOf(kind).get(id) : null;
    if (!r) return null;
    const vendor = await vendorOf(r);
    return {
      kind,
      id: r._id,
      name: subjectName(r),
      departmentId: r.departmentId,
      vendorId: vendor.id,
      vendorName: vendor.name,
      facts: factsOf(r, today),
      tier: { tier: r.tier, reasons: r.tierReasons.map((x) => ({ code: x.code, text: x.text })) },
      archived: Boolean(r.archivedAt),
    };
  });
}
