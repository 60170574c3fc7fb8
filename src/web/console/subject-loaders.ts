/**
 * How each record kind loads as an assessment subject (assessments/subjects.ts). The records component has not
 * registered these yet; without them issuing a questionnaire finds no subject, in the API as in the console. Built only
 * from the records' exported pieces (stores, factsOf, the stored tier); delete this file when the records component
 * registers its own.
 */
import { registerSubjectLoader } from '../../assessments/subjects.js';
import { factsOf } from '../../risk/facts-of.js';
import { storeOf } from '../../records/save.js';
import { subjectName } from '../../records/subject.js';
import { vendorStore } from '../../vendors/index.js';
import type { SubjectKind } from '../../records/subject.types.js';

for (const kind of ['engagement', 'cloudService', 'snsAccount'] as const satisfies SubjectKind[]) {
  registerSubjectLoader(kind, async (id, today) => {
    const r = /^[0-9a-f]{24}$/.test(id) ? await storeOf(kind).get(id) : null;
    if (!r) return null;
    const vendorId = r.kind === 'engagement' ? r.vendorId : r.kind === 'cloudService' ? r.providerVendorId : null;
    const vendor = vendorId ? await vendorStore.get(vendorId) : null;
    return {
      kind,
      id: r._id,
      name: subjectName(r),
      departmentId: r.departmentId,
      vendorId,
      vendorName: vendor?.name ?? null,
      facts: factsOf(r, today),
      tier: { tier: r.tier, reasons: r.tierReasons.map((x) => ({ code: x.code, text: x.text })) },
      archived: Boolean(r.archivedAt),
    };
  });
}
