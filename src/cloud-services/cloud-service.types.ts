import type { ContractType, Placement, Segment, ServiceModel } from '../questionnaires/facts.js';
import type { InformationAsset, Period, SubjectBase } from '../records/subject.types.js';

export interface IsmapRegistration {
  program: 'ismap' | 'ismap_liu';
  number: string;
  /** Registered scope (services, regions). A listing may include overseas regions: location is asked separately. */
  scope: string;
  validUntil: string;
}

/** Countries (ISO 3166-1 alpha-2) where data, backups and logs are stored; empty means not known. */
export interface DataLocations {
  data: string[];
  backups: string[];
  logs: string[];
  note: string;
}

export interface Jurisdiction {
  country: string;
  court: string;
}

/** 利用承認の記録. */
export interface Approval {
  approvedOn: string;
  approver: string;
  reference: string;
}

export interface CloudServiceFields {
  name: string;
  providerVendorId: string;
  serviceModel: ServiceModel;
  contractType: ContractType;
  ismap: IsmapRegistration | null;
  dataLocations: DataLocations;
  /** Country whose law governs the contract or terms; null when not known. */
  governingLaw: string | null;
  jurisdiction: Jurisdiction | null;
  departmentId: string;
  /** 外部サービス管理者. */
  administratorId: string;
  purpose: string;
  informationAssets: InformationAsset[];
  segment: Segment | null;
  placement: Placement | null;
  /** The service itself is a generative-AI service. */
  generativeAi: boolean;
  criticalDependency: boolean;
  contractPeriod: Period | null;
  approval: Approval | null;
}

/** 外部サービス. */
export interface CloudService extends SubjectBase, CloudServiceFields {
  kind: 'cloudService';
}
