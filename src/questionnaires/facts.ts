/**
 * The facts about a subject (an engagement, a cloud service or an SNS account) that decide which questions and annex
 * clauses apply and how strict they are. The records issue maps each stored record to this shape (`factsOf`); the
 * condition language reads it by field name, so renaming a field is a breaking change for every template and clause.
 */
export type SubjectKind = 'engagement' | 'cloudService' | 'snsAccount';
export type Segment = 'mynumber' | 'lgwan' | 'internet' | 'government_cloud';
/** α′, β, β′ models of the 三層対策. */
export type Placement = 'alpha_prime' | 'beta' | 'beta_prime';
export type ContractType = 'individual' | 'terms';
export type WorkLocation = 'onsite' | 'vendor_site' | 'remote';
export type ServiceModel = 'saas' | 'paas' | 'iaas';

export interface SubjectFacts {
  kind: SubjectKind;
  /** Highest confidentiality of the information handled: level name in the installation's scheme ('3A', '3B', '3C', '2', '1' or old '3', '2', '1') and its rank 1–3 (3A/3B/3C are rank 3). */
  confidentiality: { level: string; rank: 1 | 2 | 3 };
  integrity: 1 | 2;
  availability: 1 | 2;
  personalData: boolean;
  /** 特定個人情報 (My Number). */
  myNumber: boolean;
  segment: Segment | null;
  placement: Placement | null;
  /** Cloud services only; null for other kinds. */
  contractType: ContractType | null;
  serviceModel: ServiceModel | null;
  /** The subject itself is a generative-AI service. */
  generativeAi: boolean;
  /** System development or operation. */
  systemWork: boolean;
  workLocation: WorkLocation | null;
  /** Remote or administrative access into the municipal network. */
  remoteAccess: boolean;
  vendorOperatesSns: boolean;
  /** The vendor uses terms-only (約款型) or generative-AI services in the work. */
  vendorUsesGenerativeAi: boolean;
  /** Sole supplier of a duty that cannot stop. */
  criticalDependency: boolean;
  /** SNS account used for disaster information (可用性2 information). */
  disasterInformation: boolean;
  /** The date the facts are evaluated on, YYYY-MM-DD in Asia/Tokyo. */
  date: string;
}
