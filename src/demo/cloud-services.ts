/** 外部サービス of the demo (references as in engagements.ts). */
import type { DemoDates, DemoExtras } from './dates.js';

type A = { name: string; confidentiality: string; personalData?: boolean; myNumber?: boolean; integrity?: 1 | 2; availability?: 1 | 2 };
const asset = (name: string, confidentiality: string, more: Omit<A, 'name' | 'confidentiality'> = {}): A => ({ name, confidentiality, ...more });

export interface DemoCloudService {
  input: Record<string, unknown>;
  extras: DemoExtras;
}

const JP = { data: ['JP'], backups: ['JP'], logs: ['JP'], note: '東京・大阪リージョン' };
const JP_LAW = { governingLaw: 'JP', jurisdiction: { country: 'JP', court: '東京地方裁判所' } };
const US_LAW = { governingLaw: 'US', jurisdiction: { country: 'US', court: 'King County, Washington' } };

export function demoCloudServices(d: DemoDates): DemoCloudService[] {
  const approved = (monthsAgo: number) => ({ date: d.month(-monthsAgo), result: 'approved' as const, openConditionDueDates: [] });
  const ismap = (number: string, validInDays: number, program: 'ismap' | 'ismap_liu' = 'ismap') => ({ program, number, scope: '国内リージョン', validUntil: d.day(validInDays) });
  const approval = (monthsAgo: number, reference: string) => ({ approvedOn: d.month(-monthsAgo), approver: '情報政策課長', reference });
  const s = (input: Record<string, unknown>, extras: DemoExtras = {}): DemoCloudService => ({ input, extras: { registeredOn: d.month(-20), ...extras } });
  return [
    s({
      name: '標準準拠住民記録システム（ガバメントクラウド）', providerVendorId: 'gyosei_cloud', serviceModel: 'saas', contractType: 'individual', ismap: ismap('C24-0101-1', 400), dataLocations: JP, ...JP_LAW,
      departmentId: 'SHIMIN-SHIMIN', administratorId: 'shimin_kakaricho', purpose: '住民記録事務（標準準拠システム）', segment: 'government_cloud',
      informationAssets: [asset('住民記録', '3B', { personalData: true, myNumber: true, integrity: 2, availability: 2 })], contractPeriod: d.threeYears, approval: approval(26, '情政第1024号'),
    }, { lastDecision: approved(9) }),
    s({
      name: 'LGWAN-ASP グループウェア', providerVendorId: 'sakura_systems', serviceModel: 'saas', contractType: 'individual', ismap: ismap('C23-0202-1', 25, 'ismap_liu'), dataLocations: JP, ...JP_LAW,
      departmentId: 'SOMU-JOHO', administratorId: 'joho_kakaricho', purpose: '庁内の掲示板・スケジュール・文書共有', segment: 'lgwan', placement: 'alpha_prime',
      informationAssets: [asset('職員の予定・内部文書', '3C', { personalData: true })], contractPeriod: d.fy, approval: approval(14, '情政第512号'),
    }, { lastDecision: approved(11) }),
    s({
      name: '電子申請サービス', providerVendorId: 'gyosei_cloud', serviceModel: 'saas', contractType: 'individual', ismap: ismap('C24-0303-2', 300), dataLocations: JP, ...JP_LAW,
      departmentId: 'SOMU-JOHO', administratorId: 'joho_shusa', purpose: '各種申請・届出のオンライン受付', segment: 'internet', placement: 'beta_prime',
      informationAssets: [asset('申請者の氏名・住所・申請内容', '2', { personalData: true })], contractPeriod: d.fy, approval: approval(12, '情政第880号'),
    }, { lastDecision: approved(12) }),
    s({
      name: 'Northwind Meet（Web会議）', providerVendorId: 'northwind', serviceModel: 'saas', contractType: 'terms', dataLocations: { data: ['US', 'JP'], backups: ['US'], logs: ['US'], note: '' }, ...US_LAW,
      departmentId: 'SOMU-JOHO', administratorId: 'joho_shusa', purpose: '外部との打合せ（公開情報のみ）', segment: 'internet',
      informationAssets: [asset('会議の画面共有資料（公開済み）', '1')],
    }, { lastDecision: approved(6) }),
    s({
      name: 'Northwind Drive（ファイル共有）', providerVendorId: 'northwind', serviceModel: 'saas', contractType: 'individual', ismap: ismap('C22-0404-1', 5), dataLocations: { data: ['JP'], backups: ['US'], logs: ['JP'], note: 'バックアップは米国リージョン' },
      ...JP_LAW, departmentId: 'SOMU-JOHO', administratorId: 'joho_kakaricho', purpose: '事業者との資料授受', segment: 'internet',
      informationAssets: [asset('事業者との授受資料', '2')], contractPeriod: d.fy, approval: approval(10, '情政第701号'),
    }, { lastDecision: approved(10) }),
    s({
      name: 'Northwind Assistant（生成AIチャット）', providerVendorId: 'northwind', serviceModel: 'saas', contractType: 'terms', generativeAi: true, dataLocations: { data: ['US'], backups: ['US'], logs: ['US'], note: '' }, ...US_LAW,
      departmentId: 'SOMU-JOHO', administratorId: 'joho_kacho', purpose: '文案作成の補助（機密性1の情報のみ入力）', segment: 'internet',
      informationAssets: [asset('入力する文案（公開予定のもの）', '1')], approval: approval(5, '情政第1201号'),
    }, { lastDecision: approved(5) }),
    s({
      name: 'Nordlys Forms（アンケート作成）', providerVendorId: 'nordlys', serviceModel: 'saas', contractType: 'terms', dataLocations: { data: ['NO'], backups: ['NO'], logs: ['IE'], note: '' },
      governingLaw: 'NO', jurisdiction: { country: 'NO', court: 'Oslo tingrett' },
      departmentId: 'KIKAKU-KOHO', administratorId: 'koho_kakaricho', purpose: '市民意識調査（回答者の氏名・連絡先を含む）', segment: 'internet',
      informationAssets: [asset('アンケート回答（氏名・連絡先を含む）', '2', { personalData: true })],
    }, { registeredOn: d.day(-12) }),
    s({
      name: '地図情報公開サービス', providerVendorId: 'towa', serviceModel: 'saas', contractType: 'individual', dataLocations: JP, ...JP_LAW,
      departmentId: 'SOMU-KANZAI', administratorId: 'kanzai_kacho', purpose: '公共施設・ハザードマップの公開', segment: 'internet',
      informationAssets: [asset('公開地図データ', '1', { integrity: 2 })], contractPeriod: d.fy,
    }, { lastDecision: approved(8) }),
    s({
      name: '介護事業者連絡ポータル', providerVendorId: 'yuai', serviceModel: 'saas', contractType: 'individual', dataLocations: JP, ...JP_LAW,
      departmentId: 'FUKUSHI-KAIGO', administratorId: 'kaigo_former', purpose: '介護事業者との連絡・資料配布', segment: 'internet',
      informationAssets: [asset('利用者に関する連絡事項', '2', { personalData: true })], contractPeriod: d.fy, approval: approval(18, '介保第233号'),
    }, { lastDecision: approved(7) }),
    s({
      name: 'コールセンター顧客管理（CRM）', providerVendorId: 'hikari_call', serviceModel: 'saas', contractType: 'individual', ismap: ismap('C21-0505-1', -20), dataLocations: JP, ...JP_LAW,
      departmentId: 'ZAIMU-ZEIMU', administratorId: 'zeimu_shusa', purpose: '問合せ履歴の管理', segment: 'internet',
      informationAssets: [asset('問合せ履歴', '2', { personalData: true })], contractPeriod: d.fy, approval: approval(22, '税務第412号'),
    }, { lastDecision: approved(4) }),
    s({
      name: '学習用クラウドサービス', providerVendorId: 'midori_edu', serviceModel: 'saas', contractType: 'individual', ismap: ismap('C24-0606-1', 200, 'ismap_liu'), dataLocations: { data: [], backups: [], logs: [], note: '確認中' }, ...JP_LAW,
      departmentId: 'KYOIKU-GAKKO', administratorId: 'kyoiku_shido', purpose: '児童生徒の学習記録・課題提出', segment: 'internet',
      informationAssets: [asset('学習記録', '2', { personalData: true })], contractPeriod: d.fy,
    }, { lastDecision: approved(2) }),
    s({
      name: '防災情報一斉配信プラットフォーム', providerVendorId: 'digital_bosai', serviceModel: 'saas', contractType: 'individual', ismap: ismap('C23-0707-1', 50), dataLocations: JP, ...JP_LAW,
      departmentId: 'KIKI-BOSAI', administratorId: 'bosai_kacho', purpose: '緊急速報メール・防災アプリ・SNSへの一斉配信', segment: 'internet', criticalDependency: true,
      informationAssets: [asset('配信文・配信先設定', '1', { availability: 2 })], contractPeriod: d.threeYears, approval: approval(25, '防災第77号'),
    }, { lastDecision: approved(11) }),
    s({
      name: '庁内システム基盤（IaaS）', providerVendorId: 'gyosei_cloud', serviceModel: 'iaas', contractType: 'individual', ismap: ismap('C22-0808-3', 380), dataLocations: JP, ...JP_LAW,
      departmentId: 'SOMU-JOHO', administratorId: 'joho_kakaricho', purpose: '内部事務システムのサーバ基盤', segment: 'lgwan', placement: 'alpha_prime',
      informationAssets: [asset('内部事務システムのデータ', '3C', { integrity: 2 })], contractPeriod: d.threeYears, approval: approval(24, '情政第90号'),
    }, { lastDecision: approved(6) }),
    s({
      name: '子育て支援アプリ基盤（PaaS）', providerVendorId: 'miraidata', serviceModel: 'paas', contractType: 'individual', ismap: ismap('C24-0909-1', 330, 'ismap_liu'), dataLocations: JP, ...JP_LAW,
      departmentId: 'KODOMO-KOSODATE', administratorId: 'kosodate_kacho', purpose: '子育て支援アプリの配信基盤（個人情報は保存しない）', segment: 'internet',
      informationAssets: [asset('アプリ配信用の公開前情報', '2')], contractPeriod: d.fy,
    }, { lastDecision: approved(15) }),
    s({
      name: '電子契約サービス', providerVendorId: 'secure_office', serviceModel: 'saas', contractType: 'individual', ismap: ismap('C23-1010-1', 40), dataLocations: JP, ...JP_LAW,
      departmentId: 'SOMU-KANZAI', administratorId: 'kanzai_kacho', purpose: '契約書の電子締結', segment: 'internet',
      informationAssets: [asset('契約書', '2', { integrity: 2 })], contractPeriod: d.fy, approval: approval(9, '管財第301号'),
    }, { lastDecision: approved(9) }),
    s({
      name: 'LINE公式アカウント配信管理ツール', providerVendorId: 'city_promo', serviceModel: 'saas', contractType: 'terms', dataLocations: JP, ...JP_LAW,
      departmentId: 'KIKAKU-KOHO', administratorId: 'koho_kakaricho', purpose: 'LINE公式アカウントのセグメント配信', segment: 'internet',
      informationAssets: [asset('配信文', '1')],
    }, { lastDecision: approved(3) }),
    s({
      name: 'Northwind Image（画像生成AI）', providerVendorId: 'northwind', serviceModel: 'saas', contractType: 'terms', generativeAi: true, dataLocations: { data: ['US'], backups: ['US'], logs: ['US'], note: '' }, ...US_LAW,
      departmentId: 'KIKAKU-KOHO', administratorId: 'koho_kacho', purpose: '広報用イラストの作成（個人が特定される画像は使わない）', segment: 'internet',
      informationAssets: [asset('生成指示文', '1')], approval: approval(2, '情政第1302号'),
    }, { lastDecision: approved(2) }),
    s({
      name: '機械翻訳サービス', providerVendorId: 'towa', serviceModel: 'saas', contractType: 'terms', dataLocations: JP, ...JP_LAW,
      departmentId: 'KIKAKU-KOHO', administratorId: 'koho_shuji', purpose: '公開文書の多言語化', segment: 'internet',
      informationAssets: [asset('翻訳する公開文書', '1')],
    }, { lastDecision: approved(1) }),
    s({
      name: '施設予約システム', providerVendorId: 'sakura_systems', serviceModel: 'saas', contractType: 'individual', ismap: ismap('C24-1111-1', 280), dataLocations: JP, ...JP_LAW,
      departmentId: 'SOMU-KANZAI', administratorId: 'kanzai_kacho', purpose: '公共施設のオンライン予約', segment: 'internet',
      informationAssets: [asset('利用者登録情報', '2', { personalData: true })], contractPeriod: d.fy, approval: approval(13, '管財第120号'),
    }, { lastDecision: approved(13) }),
    s({
      name: 'Pacific Insight Analytics（アクセス解析）', providerVendorId: 'pacific_survey', serviceModel: 'saas', contractType: 'terms', dataLocations: { data: ['SG'], backups: ['SG'], logs: ['SG'], note: '' },
      governingLaw: 'SG', jurisdiction: { country: 'SG', court: 'Courts of Singapore' },
      departmentId: 'KIKAKU-KOHO', administratorId: 'koho_kakaricho', purpose: '公式ホームページのアクセス解析（個人を特定しない統計のみ）', segment: 'internet',
      informationAssets: [asset('アクセス統計', '1')],
    }, { lastDecision: approved(16) }),
  ];
}
