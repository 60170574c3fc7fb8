/**
 * The records behind an annex, mapped to AnnexInput: the municipality from the settings, the contractor (a cloud
 * service's provider), the contract, the subject's facts and information assets, the conditions of its latest
 * decision when that decision is `conditional`, and the wording parameters the records can decide.
 */
import { assessmentStore } from '../assessments/assessment.model.js';
import type { CloudService } from '../cloud-services/cloud-service.types.js';
import type { StoredDecision } from '../decisions/decide.js';
import type { Engagement } from '../engagements/engagement.types.js';
import { AppError } from '../http/errors.js';
import { factsOf } from '../risk/facts-of.js';
import { getSettings } from '../settings/index.js';
import { vendorStore } from '../vendors/vendor.model.js';
import { DEFAULT_DATA_LOCATION, DEFAULT_FIRST_REPORT_HOURS, type AnnexInput, type AnnexParameters } from './index.js';

/** Everything an annex is built from except the clause library: what an issued annex records. */
export type AnnexSource = Omit<AnnexInput, 'clauseLibrary'>;

/** The subjects an annex can be issued for: an engagement, or a cloud service under an individual contract. */
export type AnnexSubject = Engagement | CloudService;

/** The questionnaire item asking within how many hours the vendor sends the first incident report. */
export const FIRST_REPORT_QUESTION = 'E02';

/**
 * Hours for the first incident report: the vendor's answer to E02 in the latest decided assessment when it promises
 * 24 hours or less (a 0 means "at once": one hour is the shortest the clause can say), else the default 24 — an
 * answer of 48 must not weaken the contract below what the municipality requires.
 */
export function firstReportHours(answer: unknown): number {
  if (typeof answer !== 'number' || !Number.isFinite(answer) || answer < 0 || answer > DEFAULT_FIRST_REPORT_HOURS) return DEFAULT_FIRST_REPORT_HOURS;
  return Math.max(1, Math.ceil(answer));
}

/**
 * 「日本国内」 when every recorded location of the data, its backups and its logs is Japan. Otherwise the library's
 * default wording (also 日本国内) stands: the annex states what the municipality requires, and a foreign location
 * is a warning on the record, never a weaker clause.
 */
export function dataLocationOf(service: CloudService): string | undefined {
  const all = [...service.dataLocations.data, ...service.dataLocations.backups, ...service.dataLocations.logs];
  return all.length > 0 && all.every((c) => c === 'JP') ? DEFAULT_DATA_LOCATION : undefined;
}

/** The contract as the annex names it: an engagement's own; a service's is its use under an individual contract. */
function contractOf(r: AnnexSubject): AnnexSource['contract'] {
  if (r.kind === 'engagement') return { title: r.title, number: r.contractNumber || null, start: r.period.start, end: r.period.end };
  return { title: `${r.name}の利用に関する契約`, number: null, start: r.contractPeriod?.start ?? null, end: r.contractPeriod?.end ?? null };
}

/** The annex input of a record on `today`. Throws 409 `terms_service` for a 約款型 service before reading anything. */
export async function annexSourceOf(r: AnnexSubject, today: string): Promise<AnnexSource> {
  if (r.kind === 'cloudService' && r.contractType === 'terms') {
    throw new AppError('terms_service', '約款型の外部サービスには契約がないため、特記事項は作成できません', 409);
  }
  const vendorId = r.kind === 'engagement' ? r.vendorId : r.providerVendorId;
  // The latest decision is the one the record names (kept in step by every decision and the start-up sweep).
  const latestId = r.lastDecision?.assessmentId ?? null;
  const [settings, vendor, decided] = await Promise.all([getSettings(), vendorStore.get(vendorId), latestId ? assessmentStore.get(latestId) : null]);
  const decision = decided?.status === 'decided' ? (decided.decision as unknown as StoredDecision | null) : null;
  const parameters: AnnexParameters = { firstReportHours: firstReportHours(decision?.input.answers[FIRST_REPORT_QUESTION]) };
  const location = r.kind === 'cloudService' ? dataLocationOf(r) : undefined;
  if (location) parameters.dataLocation = location;
  return {
    municipality: { name: settings.name, mayorTitle: settings.mayorTitle, address: settings.address },
    vendor: { name: vendor?.name ?? '', address: vendor?.address ?? '', representative: null },
    contract: contractOf(r),
    facts: factsOf(r, today),
    assets: r.informationAssets.map((a) => ({
      name: a.name,
      confidentiality: { level: a.confidentiality.level },
      integrity: a.integrity,
      availability: a.availability,
      personalData: a.personalData,
      myNumber: a.myNumber,
    })),
    conditions: decision?.result === 'conditional' ? decision.conditions.map((c) => ({ text: c.text, dueDate: c.dueDate })) : [],
    parameters,
    issueDate: today,
  };
}

/** Where each input path comes from, so a refusal names the record to fix rather than the annex's internals. */
const SOURCES: [RegExp, string][] = [
  [/^municipality\./, '団体の設定（名称・首長の職名・所在地）'],
  [/^vendor\./, '事業者の登録内容（名称・所在地）'],
  [/^contract\./, '契約の登録内容（件名・契約番号・契約期間）'],
  [/^assets\./, '情報資産の登録内容'],
  [/^conditions\./, '判断の条件'],
];

/** The record a bad annex input path points at, in words. */
export function sourceOfPath(path: string): string {
  return SOURCES.find(([re]) => re.test(path))?.[1] ?? '入力';
}
