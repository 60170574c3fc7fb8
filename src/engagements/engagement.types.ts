import type { Placement, Segment, WorkLocation } from '../questionnaires/facts.js';
import type { InformationAsset, Period, SubjectBase } from '../records/subject.types.js';

/** 再委託先. `name` is kept even when `vendorId` is set (the vendor's name at the time), so registers read alone. */
export interface Subcontractor {
  id: string;
  vendorId: string | null;
  name: string;
  location: string;
  scope: string;
  dataHandled: string;
  approved: boolean;
  approvedOn: string | null;
}

/** 契約終了時の確認: assets returned, erasure certificate received, accounts and passes revoked. */
export interface EndOfContract {
  assetsReturned: boolean;
  erasureCertificate: boolean;
  accountsRevoked: boolean;
  date: string;
  note: string;
}

export interface EngagementFields {
  title: string;
  departmentId: string;
  vendorId: string;
  contractNumber: string;
  period: Period;
  description: string;
  informationAssets: InformationAsset[];
  segment: Segment | null;
  placement: Placement | null;
  /** System development or operation. */
  systemWork: boolean;
  workLocation: WorkLocation | null;
  /** Remote or administrative access into the municipal network. */
  remoteAccess: boolean;
  responsiblePersonId: string;
  administratorId: string | null;
  vendorOperatesSns: boolean;
  /** The vendor uses terms-only (約款型) or generative-AI services in the work. */
  usesTermsOrGenerativeAi: boolean;
  /** Sole supplier of a duty that cannot stop. */
  criticalDependency: boolean;
  subcontractors: Subcontractor[];
  endOfContract: EndOfContract | null;
}

/** 業務委託. */
export interface Engagement extends SubjectBase, EngagementFields {
  kind: 'engagement';
}
