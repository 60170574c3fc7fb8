import type {
  ContractType,
  Placement,
  Segment,
  ServiceModel,
  SubjectFacts,
  SubjectKind,
  WorkLocation,
} from '../questionnaires/facts.js';
import type { FieldInfo, Label, Scope } from './scope.js';

/** Every leaf path of an object type, dotted: `confidentiality.rank`. */
type LeafPaths<T> = {
  [K in keyof T & string]: T[K] extends readonly unknown[]
    ? K
    : T[K] extends object
      ? `${K}.${LeafPaths<T[K]>}`
      : K;
}[keyof T & string];

/** The field names conditions may use: exactly the leaves of SubjectFacts (checked by the compiler below). */
export type FactPath = LeafPaths<SubjectFacts>;

// Records keyed by the union types make the compiler refuse a value added to facts.ts but forgotten here.
const kindLabels: Record<SubjectKind, Label> = {
  engagement: { ja: '業務委託', en: 'outsourcing engagement' },
  cloudService: { ja: '外部サービス', en: 'external service' },
  snsAccount: { ja: 'ソーシャルメディアアカウント', en: 'social media account' },
};
const segmentLabels: Record<Segment, Label> = {
  mynumber: { ja: 'マイナンバー利用事務系', en: 'My Number segment' },
  lgwan: { ja: 'LGWAN接続系', en: 'LGWAN segment' },
  internet: { ja: 'インターネット接続系', en: 'internet segment' },
  government_cloud: { ja: 'ガバメントクラウド', en: 'Government Cloud' },
};
const placementLabels: Record<Placement, Label> = {
  alpha_prime: { ja: 'α′モデル', en: 'α′ model' },
  beta: { ja: 'βモデル', en: 'β model' },
  beta_prime: { ja: 'β′モデル', en: 'β′ model' },
};
const contractTypeLabels: Record<ContractType, Label> = {
  individual: { ja: '個別契約', en: 'individual contract' },
  terms: { ja: '約款型', en: 'terms of service only' },
};
const workLocationLabels: Record<WorkLocation, Label> = {
  onsite: { ja: '庁内', en: 'on municipal premises' },
  vendor_site: { ja: '事業者の拠点', en: "at the vendor's site" },
  remote: { ja: 'リモート', en: 'remote' },
};
const serviceModelLabels: Record<ServiceModel, Label> = {
  saas: { ja: 'SaaS', en: 'SaaS' },
  paas: { ja: 'PaaS', en: 'PaaS' },
  iaas: { ja: 'IaaS', en: 'IaaS' },
};

function enumOf(labels: Record<string, Label>, nullable: boolean, label: Label): FieldInfo {
  return { type: { kind: 'enum', values: Object.keys(labels), nullable, labels }, label };
}
const bool = (ja: string, en: string): FieldInfo => ({ type: { kind: 'boolean' }, label: { ja, en } });
const level12 = (ja: string, en: string): FieldInfo => ({
  type: { kind: 'number', min: 1, max: 2, nullable: false },
  label: { ja, en },
});

/** The facts of a subject as condition fields, with the labels used when a condition is explained to people. */
export const subjectFields = {
  kind: enumOf(kindLabels, false, { ja: '対象の種別', en: 'subject kind' }),
  'confidentiality.level': { type: { kind: 'string' }, label: { ja: '機密性の区分', en: 'confidentiality level' } },
  'confidentiality.rank': {
    type: { kind: 'number', min: 1, max: 3, nullable: false },
    label: { ja: '機密性（3/2/1換算）', en: 'confidentiality rank (3/2/1)' },
  },
  integrity: level12('完全性', 'integrity'),
  availability: level12('可用性', 'availability'),
  personalData: bool('個人情報を取り扱う', 'handles personal data'),
  myNumber: bool('特定個人情報（マイナンバー）を取り扱う', 'handles My Number data'),
  segment: enumOf(segmentLabels, true, { ja: '接続・配置先', en: 'network segment' }),
  placement: enumOf(placementLabels, true, { ja: '三層対策のモデル', en: 'three-layer model' }),
  contractType: enumOf(contractTypeLabels, true, { ja: '契約形態', en: 'contract type' }),
  serviceModel: enumOf(serviceModelLabels, true, { ja: 'サービス区分', en: 'service model' }),
  generativeAi: bool('生成AIサービスである', 'is a generative-AI service'),
  systemWork: bool('システムの開発・運用を含む', 'includes system development or operation'),
  workLocation: enumOf(workLocationLabels, true, { ja: '作業場所', en: 'work location' }),
  remoteAccess: bool('庁内ネットワークへのリモート・管理者アクセスがある', 'has remote or admin access to the network'),
  vendorOperatesSns: bool('事業者がSNSを運用する', 'a vendor operates the account'),
  vendorUsesGenerativeAi: bool(
    '事業者が約款型サービス・生成AIを業務に使う',
    'the vendor uses terms-only or generative-AI services',
  ),
  criticalDependency: bool('止められない業務の唯一の供給者', 'sole supplier of a critical duty'),
  disasterInformation: bool('災害情報等（可用性2）を発信する', 'posts disaster information'),
  date: { type: { kind: 'date', nullable: false }, label: { ja: '評価日', en: 'evaluation date' } },
} as const satisfies Record<FactPath, FieldInfo>;

/** The scope for conditions over a subject's facts; pass `answers` to allow `answer.<id>`. */
export function subjectScope(answers: Scope['answers'] = 'none'): Scope {
  return { fields: subjectFields, answers };
}
