/**
 * `seed:demo`: loads 桜ヶ丘市, a fictional municipality, through the same schemas and commands as the API (so tiers,
 * warnings and review dates are computed as for any record, and every write is audited): departments, people,
 * vendors, records, then assessments in every status with answers, evidence, reviews, decisions and conditions
 * (demo/assessments.ts).
 */
import type { WriteContext } from '../audit/actor.js';
import { CloudServiceModel, cloudServiceStore, buildCloudService } from '../cloud-services/index.js';
import { CreateCloudService } from '../cloud-services/cloud-services.schemas.js';
import { EngagementModel, engagementStore, buildEngagement } from '../engagements/index.js';
import { CreateEngagement } from '../engagements/engagements.schemas.js';
import { AppError } from '../http/errors.js';
import { DepartmentModel, departmentStore, PersonModel, personStore } from '../org/index.js';
import { mapLevel } from '../records/classification.js';
import { recordIncident } from '../records/incidents.commands.js';
import { prepare } from '../records/save.js';
import type { SubjectDraft, SubjectRecord } from '../records/subject.js';
import { overrideTier } from '../records/tier.commands.js';
import type { ClassificationScheme } from '../risk/inherent-tier.js';
import { getSettings, updateSettings } from '../settings/index.js';
import { SnsAccountModel, snsAccountStore, buildSnsAccount } from '../sns-accounts/index.js';
import { CreateSnsAccount } from '../sns-accounts/sns-accounts.schemas.js';
import { todayInTokyo } from '../shared/dates.js';
import { normaliseName } from '../shared/text.js';
import { VendorModel, vendorStore, buildVendor } from '../vendors/index.js';
import { CreateVendor } from '../vendors/vendors.schemas.js';
import { loadAppContent } from '../content.js';
import type { Template } from '../questionnaires/index.js';
import type { SubjectKind } from '../records/subject.types.js';
import { demoAssessments, hasAssessment, loadDemoAssessment, type DemoPeople } from './assessments.js';
import { demoCloudServices } from './cloud-services.js';
import { demoDates, type DemoExtras } from './dates.js';
import { demoEngagements } from './engagements.js';
import { CITY, DEPARTMENTS, PEOPLE } from './organisation.js';
import { demoSnsAccounts } from './sns-accounts.js';
import { corporateNumber, VENDORS } from './vendors.js';

export class SeedRefused extends Error {}

export interface SeedReport {
  created: Record<'departments' | 'people' | 'vendors' | 'engagements' | 'cloudServices' | 'snsAccounts' | 'assessments', number>;
  skipped: number;
}

/** How many records of each kind exist (archived ones included). */
export async function existingRecordCounts() {
  const [vendors, engagements, cloudServices, snsAccounts] = await Promise.all([
    VendorModel.countDocuments(),
    EngagementModel.countDocuments(),
    CloudServiceModel.countDocuments(),
    SnsAccountModel.countDocuments(),
  ]);
  return { vendors, engagements, cloudServices, snsAccounts };
}

type Refs = { dept: Map<string, string>; person: Map<string, string>; vendor: Map<string, string>; engagementByTitle: Map<string, string> };

function resolve(refs: Refs, input: Record<string, unknown>, scheme: ClassificationScheme): Record<string, unknown> {
  const id = (map: Map<string, string>, key: unknown) => {
    if (key === null || key === undefined) return key;
    const found = map.get(String(key));
    if (!found) throw new Error(`demo data refers to unknown ${String(key)}`);
    return found;
  };
  const out: Record<string, unknown> = { ...input, departmentId: id(refs.dept, input.departmentId) };
  for (const k of ['vendorId', 'providerVendorId'] as const) if (k in input) out[k] = id(refs.vendor, input[k]);
  for (const k of ['responsiblePersonId', 'administratorId'] as const) if (k in input) out[k] = id(refs.person, input[k]);
  if (Array.isArray(input.operatorIds)) out.operatorIds = input.operatorIds.map((k) => id(refs.person, k));
  if (Array.isArray(input.subcontractors)) {
    out.subcontractors = (input.subcontractors as Record<string, unknown>[]).map((s) => ({ ...s, ...(s.vendorId ? { vendorId: id(refs.vendor, s.vendorId) } : {}) }));
  }
  if (Array.isArray(input.informationAssets)) {
    out.informationAssets = (input.informationAssets as { confidentiality: string; personalData?: boolean }[]).map((a) => ({
      ...a,
      confidentiality: mapLevel(a.confidentiality, scheme, Boolean(a.personalData)).level,
    }));
  }
  return out;
}

/** The id of a demo record named in demo/assessments.ts (title, service name or account name). */
async function demoSubjectId(kind: SubjectKind, name: string): Promise<string> {
  const found =
    kind === 'engagement'
      ? await EngagementModel.findOne({ title: normaliseName(name), archivedAt: null }, { _id: 1 }).lean()
      : kind === 'cloudService'
        ? await CloudServiceModel.findOne({ name: normaliseName(name), archivedAt: null }, { _id: 1 }).lean()
        : await SnsAccountModel.findOne({ accountName: name, archivedAt: null }, { _id: 1 }).lean();
  if (!found) throw new Error(`demo data refers to unknown ${kind} ${name}`);
  return String(found._id);
}

/** Creates a built record with the demo's history (registration date, last decision, incidents, an override). */
async function createWithHistory(ctx: WriteContext, built: SubjectDraft, extras: DemoExtras, scheme: ClassificationScheme): Promise<SubjectRecord> {
  const draft = await prepare(
    { ...built, registeredOn: extras.registeredOn ?? built.registeredOn, lastDecision: extras.lastDecision ? { ...extras.lastDecision, assessmentId: null } : null } as SubjectDraft,
    null,
    { scheme },
  );
  const store = { engagement: engagementStore, cloudService: cloudServiceStore, snsAccount: snsAccountStore }[draft.kind] as unknown as {
    create: (c: WriteContext, a: string, d: SubjectDraft) => Promise<SubjectRecord>;
  };
  // The tier history is projected from the revision log on the first read or write; no need to sync each create.
  let record = await store.create(ctx, `${draft.kind}.create`, draft);
  for (const incident of extras.incidents ?? []) record = (await recordIncident(ctx, record, incident)).saved;
  if (extras.override) record = await overrideTier(ctx, record, extras.override.tier, extras.override.reason, record.version);
  return record;
}

/**
 * Loads the demo municipality. Refuses (SeedRefused) when vendors or records already exist, unless `force`: then it
 * adds what is missing and reuses what is there (departments by code, people by name and department, vendors by
 * 法人番号 or name, records by title or account), so running it twice adds nothing the second time.
 */
export async function seedDemo(ctx: WriteContext, options: { force?: boolean; today?: string; templates?: readonly Template[] } = {}): Promise<SeedReport> {
  const counts = await existingRecordCounts();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total > 0 && !options.force) {
    throw new SeedRefused(
      `このデータベースには既に記録があります（事業者${counts.vendors}件、業務委託${counts.engagements}件、外部サービス${counts.cloudServices}件、SNSアカウント${counts.snsAccounts}件）。デモデータを追加する場合は --force を指定してください。`,
    );
  }
  const d = demoDates(options.today ?? todayInTokyo());
  const report: SeedReport = { created: { departments: 0, people: 0, vendors: 0, engagements: 0, cloudServices: 0, snsAccounts: 0, assessments: 0 }, skipped: 0 };
  const refs: Refs = { dept: new Map(), person: new Map(), vendor: new Map(), engagementByTitle: new Map() };

  const settings = await getSettings();
  if (!settings.name) await updateSettings(ctx, settings.version, { name: CITY.name, mayorTitle: CITY.mayorTitle, address: CITY.address });
  const scheme = settings.classificationScheme;

  for (const dept of DEPARTMENTS) {
    const found = await DepartmentModel.findOne({ code: dept.code, archivedAt: null }).lean();
    if (found) refs.dept.set(dept.code, found._id);
    else {
      refs.dept.set(dept.code, (await departmentStore.create(ctx, 'department.create', { code: dept.code, name: dept.name, active: true }))._id);
      report.created.departments++;
    }
  }
  const leaving: string[] = [];
  for (const [i, p] of PEOPLE.entries()) {
    const departmentId = refs.dept.get(p.department)!;
    const found = await PersonModel.findOne({ name: p.name, departmentId, archivedAt: null }).lean();
    if (found) refs.person.set(p.key, found._id);
    else {
      const email = `${p.key.replace(/_/g, '.')}@city.sakuragaoka.example.jp`;
      // Everyone starts active: people leave after they were named on records, as in an April transfer.
      const person = await personStore.create(ctx, 'person.create', { name: p.name, nameKana: p.nameKana, title: p.title, departmentId, email, phone: `099-123-${String(1000 + i)}`, active: true, userId: null });
      refs.person.set(p.key, person._id);
      if (!p.active) leaving.push(person._id);
      report.created.people++;
    }
  }
  for (const v of VENDORS) {
    const number = v.base ? corporateNumber(v.base) : null;
    const found = await VendorModel.findOne(number ? { corporateNumber: number, archivedAt: null } : { name: normaliseName(v.name), archivedAt: null }).lean();
    if (found) {
      refs.vendor.set(v.key, found._id);
      continue;
    }
    const input = CreateVendor.parse({
      name: v.name, nameKana: v.nameKana, corporateNumber: number, country: v.country, address: v.address,
      contacts: [{ ...v.contact, email: `contact@${v.key.replace(/_/g, '-')}.example.com`, phone: '03-0000-0000' }],
      certifications: v.certifications.map((c) => ({ type: c.type, name: c.name ?? '', number: c.number, scope: c.scope ?? '', validUntil: d.day(c.validInDays) })),
    });
    refs.vendor.set(v.key, (await vendorStore.create(ctx, 'vendor.create', await buildVendor(input, null)))._id);
    report.created.vendors++;
  }

  for (const e of demoEngagements(d)) {
    const input = CreateEngagement.parse(resolve(refs, e.input, scheme));
    const existing = await EngagementModel.findOne({ title: normaliseName(input.title), departmentId: input.departmentId, archivedAt: null }).lean();
    if (existing) {
      refs.engagementByTitle.set(input.title, existing._id);
      report.skipped++;
      continue;
    }
    const record = await createWithHistory(ctx, (await buildEngagement(input, null)) as SubjectDraft, e.extras, scheme);
    refs.engagementByTitle.set(input.title, record._id);
    report.created.engagements++;
  }
  for (const s of demoCloudServices(d)) {
    const input = CreateCloudService.parse(resolve(refs, s.input, scheme));
    if (await CloudServiceModel.exists({ name: normaliseName(input.name), departmentId: input.departmentId, archivedAt: null })) {
      report.skipped++;
      continue;
    }
    await createWithHistory(ctx, (await buildCloudService(input, null)) as SubjectDraft, s.extras, scheme);
    report.created.cloudServices++;
  }
  for (const a of demoSnsAccounts(d)) {
    const resolved = resolve(refs, a.input, scheme);
    if (a.operatedBy) resolved.operatedByEngagementId = refs.engagementByTitle.get(a.operatedBy) ?? null;
    const input = CreateSnsAccount.parse(resolved);
    try {
      await createWithHistory(ctx, (await buildSnsAccount(input, null)) as SubjectDraft, a.extras, scheme);
      report.created.snsAccounts++;
    } catch (err) {
      if (err instanceof AppError && err.code === 'duplicate') report.skipped++;
      else throw err;
    }
  }
  // Assessments before the transfers below: their preparers and owners were in post when they were issued.
  const people: DemoPeople = {
    person: (key) => {
      const p = PEOPLE.find((x) => x.key === key);
      if (!p || !refs.person.has(key)) throw new Error(`demo data refers to unknown person ${key}`);
      return { id: refs.person.get(key)!, name: p.name, title: p.title };
    },
  };
  const templates = options.templates ?? loadAppContent().templates;
  for (const spec of demoAssessments()) {
    const subjectId = await demoSubjectId(spec.subject.kind, spec.subject.name);
    if (await hasAssessment(subjectId)) {
      report.skipped++;
      continue;
    }
    await loadDemoAssessment(ctx, spec, subjectId, templates, people, d);
    report.created.assessments++;
  }
  for (const id of leaving) {
    const person = await personStore.get(id);
    if (person) await personStore.update(ctx, 'person.update', id, person.version, (c) => ({ ...c, active: false }));
  }
  return report;
}
