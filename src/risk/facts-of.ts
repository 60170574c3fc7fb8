/**
 * Maps a stored record to the facts questionnaires, annex clauses and the inherent tier are decided on. Pure (no
 * database): the questionnaire and annex code call it with a record they loaded.
 */
import type { SubjectFacts } from '../questionnaires/facts.js';
import { highest, type Classification } from '../records/classification.js';
import type { SubjectDraft } from '../records/subject.js';
import type { InformationAsset } from '../records/subject.types.js';

const PUBLIC: Classification = { level: '1', rank: 1 };

/** The classification-driven facts of a set of information assets (the strictest of each). */
export function assetFacts(assets: readonly InformationAsset[]): Pick<SubjectFacts, 'confidentiality' | 'integrity' | 'availability' | 'personalData' | 'myNumber'> {
  const c = highest(assets.map((a) => a.confidentiality)) ?? PUBLIC;
  return {
    confidentiality: { level: c.level, rank: c.rank },
    integrity: assets.some((a) => a.integrity === 2) ? 2 : 1,
    availability: assets.some((a) => a.availability === 2) ? 2 : 1,
    personalData: assets.some((a) => a.personalData || a.myNumber),
    myNumber: assets.some((a) => a.myNumber),
  };
}

/**
 * The facts of a record on `today` (YYYY-MM-DD, Asia/Tokyo).
 *
 * A record with no information assets is read as handling only public information (機密性1). An SNS account is
 * always 機密性1 (nothing of level 2 or higher may be posted) with no segment: it is used from the internet, not placed
 * in one of the three layers; its disaster-information use is carried by `disasterInformation`, not by 可用性.
 */
export function factsOf(record: SubjectDraft, today: string): SubjectFacts {
  const none = {
    segment: null,
    placement: null,
    contractType: null,
    serviceModel: null,
    generativeAi: false,
    systemWork: false,
    workLocation: null,
    remoteAccess: false,
    vendorOperatesSns: false,
    vendorUsesGenerativeAi: false,
    criticalDependency: false,
    disasterInformation: false,
  } satisfies Partial<SubjectFacts>;
  switch (record.kind) {
    case 'engagement':
      return {
        ...none,
        kind: 'engagement',
        ...assetFacts(record.informationAssets),
        segment: record.segment,
        placement: record.placement,
        systemWork: record.systemWork,
        workLocation: record.workLocation,
        remoteAccess: record.remoteAccess,
        vendorOperatesSns: record.vendorOperatesSns,
        vendorUsesGenerativeAi: record.usesTermsOrGenerativeAi,
        criticalDependency: record.criticalDependency,
        date: today,
      };
    case 'cloudService':
      return {
        ...none,
        kind: 'cloudService',
        ...assetFacts(record.informationAssets),
        segment: record.segment,
        placement: record.placement,
        contractType: record.contractType,
        serviceModel: record.serviceModel,
        generativeAi: record.generativeAi,
        criticalDependency: record.criticalDependency,
        date: today,
      };
    case 'snsAccount':
      return {
        ...none,
        kind: 'snsAccount',
        ...assetFacts([]),
        vendorOperatesSns: record.operatedByEngagementId !== null,
        disasterInformation: record.disasterInformation,
        date: today,
      };
  }
}
