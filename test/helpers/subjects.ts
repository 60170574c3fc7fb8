/** In-memory subject records for pure tests: the least risky record of each kind, with overrides. */
import type { Engagement } from '../../src/engagements/engagement.types.js';
import type { CloudService } from '../../src/cloud-services/cloud-service.types.js';
import type { SnsAccount } from '../../src/sns-accounts/sns-account.types.js';
import type { InformationAsset, SubjectBase } from '../../src/records/subject.types.js';
import type { Classification } from '../../src/records/classification.js';

const base = (kind: SubjectBase['kind']): Omit<SubjectBase, 'kind'> & { kind: typeof kind } => ({
  _id: 'aaaaaaaaaaaaaaaaaaaaaaaa',
  version: 1,
  createdAt: new Date('2026-04-01T00:00:00Z'),
  updatedAt: new Date('2026-04-01T00:00:00Z'),
  archivedAt: null,
  kind,
  departmentId: 'dddddddddddddddddddddddd',
  registeredOn: '2026-04-01',
  incidents: [],
  lastDecision: null,
  reviewTriggers: { subcontractorChanges: [], dataLocationChanges: [] },
  classification: null,
  computedTier: 1,
  tierReasons: [],
  tierOverride: null,
  tier: 1,
  warningCodes: [],
  nextReviewDate: '2026-04-01',
  nextReviewReason: 'never_decided',
  nextReviewText: '',
});

const LEVEL_RANK: Record<string, 1 | 2 | 3> = { '3A': 3, '3B': 3, '3C': 3, '3': 3, '2': 2, '1': 1 };
export const level = (l: string): Classification => ({ level: l, rank: LEVEL_RANK[l]! });

export function asset(l: string, more: Partial<InformationAsset> = {}): InformationAsset {
  return { name: `資産${l}`, confidentiality: level(l), integrity: 1, availability: 1, personalData: false, myNumber: false, ...more };
}

export function engagement(over: Partial<Engagement> = {}): Engagement {
  return {
    ...base('engagement'),
    kind: 'engagement',
    title: '業務',
    vendorId: 'vvvvvvvvvvvvvvvvvvvvvvvv',
    contractNumber: '',
    period: { start: '2026-04-01', end: '2027-03-31' },
    description: '',
    informationAssets: [],
    segment: null,
    placement: null,
    systemWork: false,
    workLocation: null,
    remoteAccess: false,
    responsiblePersonId: 'p-responsible',
    administratorId: null,
    vendorOperatesSns: false,
    usesTermsOrGenerativeAi: false,
    criticalDependency: false,
    subcontractors: [],
    endOfContract: null,
    ...over,
  };
}

export function cloudService(over: Partial<CloudService> = {}): CloudService {
  return {
    ...base('cloudService'),
    kind: 'cloudService',
    name: 'サービス',
    providerVendorId: 'vvvvvvvvvvvvvvvvvvvvvvvv',
    serviceModel: 'saas',
    contractType: 'individual',
    ismap: null,
    dataLocations: { data: ['JP'], backups: ['JP'], logs: ['JP'], note: '' },
    governingLaw: 'JP',
    jurisdiction: { country: 'JP', court: '東京地方裁判所' },
    administratorId: 'p-admin',
    purpose: '',
    informationAssets: [],
    segment: null,
    placement: null,
    generativeAi: false,
    criticalDependency: false,
    contractPeriod: null,
    approval: null,
    ...over,
  };
}

export function snsAccount(over: Partial<SnsAccount> = {}): SnsAccount {
  return {
    ...base('snsAccount'),
    kind: 'snsAccount',
    platform: 'x',
    platformName: '',
    accountName: '@city',
    url: 'https://x.com/city',
    purpose: '',
    audience: '',
    responsiblePersonId: 'p-responsible',
    operatorIds: [],
    postingPolicy: { publish: '', doNotPublish: '' },
    officialSiteUrl: 'https://www.city.example.jp/sns/',
    officialVerification: true,
    twoFactor: true,
    credentialHolders: '',
    procedure: null,
    operatedByEngagementId: null,
    disasterInformation: false,
    lastActivityOn: '2026-05-01',
    ...over,
  };
}
