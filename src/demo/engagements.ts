/**
 * 業務委託 of the demo. References are written as department codes, vendor keys and person keys; the loader resolves
 * them. Together with the services and accounts, every tier and every warning appears.
 */
import type { DemoDates, DemoExtras } from './dates.js';

type A = { name: string; confidentiality: string; personalData?: boolean; myNumber?: boolean; integrity?: 1 | 2; availability?: 1 | 2 };
const asset = (name: string, confidentiality: string, more: Omit<A, 'name' | 'confidentiality'> = {}): A => ({ name, confidentiality, ...more });

export interface DemoEngagement {
  input: Record<string, unknown>;
  extras: DemoExtras;
}

export function demoEngagements(d: DemoDates): DemoEngagement[] {
  const approved = (monthsAgo: number) => ({ date: d.month(-monthsAgo), result: 'approved' as const, openConditionDueDates: [] });
  const e = (input: Record<string, unknown>, extras: DemoExtras = {}): DemoEngagement => ({ input, extras: { registeredOn: d.month(-26), ...extras } });
  return [
    e({
      title: '住民記録システム運用保守業務', departmentId: 'SHIMIN-SHIMIN', vendorId: 'sakura_systems', contractNumber: 'R7-市民-001', period: d.fy,
      description: '住民基本台帳システムの運用保守、法改正対応及び障害対応。', segment: 'mynumber', systemWork: true, workLocation: 'onsite', remoteAccess: true,
      informationAssets: [asset('住民票データ', '3B', { personalData: true, myNumber: true, integrity: 2, availability: 2 })],
      responsiblePersonId: 'shimin_kacho', administratorId: 'joho_kakaricho',
      subcontractors: [{ vendorId: 'hokuto', location: '架空県北斗市', scope: 'サーバ機器の保守', dataHandled: 'なし（機器のみ）', approved: true, approvedOn: d.fy.start }],
    }, { lastDecision: approved(10) }),
    e({
      title: '税務システム保守・運用業務', departmentId: 'ZAIMU-ZEIMU', vendorId: 'kanto_densan', contractNumber: 'R7-税務-003', period: d.threeYears,
      description: '個人住民税・固定資産税システムの保守及び当初課税時の運用支援。', segment: 'mynumber', systemWork: true, workLocation: 'onsite', remoteAccess: true,
      informationAssets: [asset('課税台帳', '3B', { personalData: true, myNumber: true, integrity: 2 }), asset('納税通知書データ', '3B', { personalData: true })],
      responsiblePersonId: 'zeimu_kacho', administratorId: 'joho_kakaricho',
    }, { lastDecision: { date: d.day(-345), result: 'conditional', openConditionDueDates: [d.day(20)] } }),
    e({
      title: '介護保険システム標準化移行支援業務', departmentId: 'FUKUSHI-KAIGO', vendorId: 'gyosei_cloud', contractNumber: 'R7-介護-002', period: d.fy,
      description: '標準準拠システムへの移行に伴うデータ移行・運用テストの支援。', segment: 'government_cloud', systemWork: true, workLocation: 'remote', remoteAccess: true,
      informationAssets: [asset('被保険者台帳', '3B', { personalData: true, integrity: 2 })],
      responsiblePersonId: 'kaigo_kacho', administratorId: 'kaigo_former',
    }, { registeredOn: d.day(-45) }),
    e({
      title: '基幹系システム共同利用センター運用業務', departmentId: 'SOMU-JOHO', vendorId: 'kanto_densan', contractNumber: 'R5-情報-010', period: d.threeYears,
      description: '基幹系システムを収容する共同利用センターの運用（他に代替できる事業者がない）。', segment: 'lgwan', systemWork: true, workLocation: 'vendor_site', remoteAccess: true, criticalDependency: true,
      informationAssets: [asset('基幹系業務データ', '3B', { personalData: true, integrity: 2, availability: 2 })],
      responsiblePersonId: 'joho_kacho', administratorId: 'joho_kakaricho',
    }, { lastDecision: approved(3) }),
    e({
      title: '庁内ネットワーク運用保守業務', departmentId: 'SOMU-JOHO', vendorId: 'hokuto', contractNumber: 'R7-情報-004', period: d.fy,
      description: 'LGWAN接続系ネットワーク機器の運用保守及び障害時のリモート保守。', segment: 'lgwan', systemWork: true, workLocation: 'remote', remoteAccess: true,
      informationAssets: [asset('ネットワーク構成情報', '2', { integrity: 2, availability: 2 })],
      responsiblePersonId: 'joho_kacho', administratorId: 'joho_shusa',
      subcontractors: [{ name: '有限会社ミナミ電設', location: '架空県南市', scope: 'LANケーブルの敷設', dataHandled: 'フロア配線図' }],
    }, { lastDecision: approved(13) }),
    e({
      title: '職員人事給与システム保守業務', departmentId: 'SOMU-JOHO', vendorId: 'towa', contractNumber: 'R7-情報-006', period: d.fy,
      description: '人事給与システムの保守、年末調整・給与改定対応。', segment: 'lgwan', systemWork: true, workLocation: 'onsite',
      informationAssets: [asset('職員の人事・給与情報', '3C', { personalData: true })],
      responsiblePersonId: 'joho_kacho', administratorId: 'joho_shusa',
    }, { lastDecision: approved(6), incidents: [{ date: d.day(-60), severity: 'medium', summary: '保守作業員が手順を誤り、給与データの一部を検証環境に複写した。当日中に削除を確認。' }] }),
    e({
      title: '市税コールセンター運営業務', departmentId: 'ZAIMU-ZEIMU', vendorId: 'hikari_call', contractNumber: 'R7-税務-008', period: d.fy,
      description: '納税に関する電話問合せへの一次対応。', workLocation: 'vendor_site',
      informationAssets: [asset('問合せ記録（氏名・電話番号）', '2', { personalData: true })],
      responsiblePersonId: 'zeimu_kacho', administratorId: 'zeimu_shusa',
      subcontractors: [{ name: '株式会社ひかりスタッフ', location: '東京都新宿区', scope: 'オペレーターの派遣', dataHandled: '問合せ記録', approved: true, approvedOn: d.fy.start }],
    }, { lastDecision: approved(11) }),
    e({
      title: '要介護認定調査票入力業務', departmentId: 'FUKUSHI-KAIGO', vendorId: 'yuai', contractNumber: 'R6-介護-005', period: d.lastFy,
      description: '認定調査票の入力及び点検。', workLocation: 'vendor_site',
      informationAssets: [asset('認定調査票', '2', { personalData: true })],
      responsiblePersonId: 'kaigo_kacho', administratorId: 'kaigo_shuji',
    }, { lastDecision: approved(8) }),
    e({
      title: '電子入札システム保守業務', departmentId: 'SOMU-KANZAI', vendorId: 'secure_office', contractNumber: 'R7-管財-002', period: d.fy,
      description: '電子入札システムの保守（予定価格の取扱いを含む）。', segment: 'internet', placement: 'beta_prime', systemWork: true, workLocation: 'remote', remoteAccess: false,
      informationAssets: [asset('入札予定価格', '3C')],
      responsiblePersonId: 'kanzai_kacho',
    }, { lastDecision: approved(2) }),
    e({
      title: '校務支援システム運用支援業務', departmentId: 'KYOIKU-GAKKO', vendorId: 'midori_edu', contractNumber: 'R7-教委-001', period: d.fy,
      description: '校務支援システムの操作研修・ヘルプデスク。', systemWork: true, workLocation: 'remote',
      informationAssets: [asset('児童生徒の成績・出欠', '3C', { personalData: true })],
      responsiblePersonId: 'kyoiku_kacho', administratorId: 'kyoiku_shido',
    }, { registeredOn: d.day(-5) }),
    e({
      title: '広報さくらがおか印刷・配送業務', departmentId: 'KIKAKU-KOHO', vendorId: 'aoba_print', contractNumber: 'R7-広報-001', period: d.fy,
      description: '広報紙の印刷及び全戸配送（配送先リストは自治会単位）。', workLocation: 'vendor_site',
      informationAssets: [asset('発行前の原稿', '2')],
      responsiblePersonId: 'koho_kacho', administratorId: 'koho_kakaricho',
    }, { lastDecision: approved(20), override: { tier: 3, reason: '発行前の原稿に議会提出前の予算案が含まれることがあるため、区分3として扱う。' } }),
    e({
      title: '市公式ホームページ運用保守業務', departmentId: 'KIKAKU-KOHO', vendorId: 'sakura_web', contractNumber: 'R7-広報-002', period: d.fy,
      description: 'CMSの保守、アクセシビリティ点検、緊急時のトップページ切替え。', systemWork: true, workLocation: 'remote',
      informationAssets: [asset('掲載前の記事', '1', { integrity: 2 })],
      responsiblePersonId: 'koho_kacho', administratorId: 'koho_kakaricho',
    }, { lastDecision: approved(23) }),
    e({
      title: '防災行政無線デジタル化保守業務', departmentId: 'KIKI-BOSAI', vendorId: 'digital_bosai', contractNumber: 'R7-防災-001', period: d.fy,
      description: '防災行政無線設備の保守点検。', systemWork: true, workLocation: 'onsite',
      informationAssets: [asset('放送設備設定情報', '1', { availability: 2 })],
      responsiblePersonId: 'bosai_kacho', administratorId: 'bosai_shusa',
    }, { lastDecision: approved(5) }),
    e({
      title: 'SNS運用支援業務', departmentId: 'KIKAKU-KOHO', vendorId: 'city_promo', contractNumber: 'R7-広報-004', period: d.fy,
      description: '公式SNSの投稿案作成・予約投稿・分析（投稿は市の承認後）。', workLocation: 'remote', vendorOperatesSns: true, usesTermsOrGenerativeAi: true,
      informationAssets: [asset('投稿案・画像', '1')],
      responsiblePersonId: 'koho_kacho', administratorId: 'koho_kakaricho',
    }, { lastDecision: approved(7) }),
    e({
      title: '子育て支援情報誌編集業務', departmentId: 'KODOMO-KOSODATE', vendorId: 'miraidata', contractNumber: 'R7-こども-002', period: d.fy,
      description: '子育て支援ガイドブックの編集・校正。', workLocation: 'vendor_site',
      informationAssets: [asset('掲載予定の施設情報（公表前）', '2')],
      responsiblePersonId: 'kosodate_kacho', administratorId: 'kosodate_shuji',
    }, { lastDecision: approved(4) }),
    e({
      title: '本庁舎清掃業務', departmentId: 'SOMU-KANZAI', vendorId: 'chiiki_joho', contractNumber: 'R7-管財-005', period: d.fy,
      description: '本庁舎の日常清掃（執務室内の書類には触れない）。', workLocation: 'onsite',
      responsiblePersonId: 'kanzai_kacho',
    }, { lastDecision: approved(9) }),
    e({
      title: '桜ヶ丘市民まつり運営業務', departmentId: 'KIKAKU-KOHO', vendorId: 'city_promo', contractNumber: 'R7-広報-007', period: { start: d.fy.start, end: d.day(-20) < d.fy.start ? d.fy.start : d.day(-20) },
      description: '市民まつりの会場設営・運営。', workLocation: 'onsite',
      informationAssets: [asset('出店者一覧（公表済み）', '1')],
      responsiblePersonId: 'koho_kakaricho',
      endOfContract: { assetsReturned: true, erasureCertificate: true, accountsRevoked: true, date: d.day(-10) < d.fy.start ? d.fy.start : d.day(-10) },
    }, { lastDecision: approved(5) }),
    e({
      title: '行政文書翻訳業務', departmentId: 'KIKAKU-KOHO', vendorId: 'chiiki_joho', contractNumber: 'R6-広報-009', period: d.lastFy,
      description: '多言語版パンフレットの翻訳（公表予定の文書のみ）。', workLocation: 'remote', usesTermsOrGenerativeAi: true,
      informationAssets: [asset('翻訳原稿', '1')],
      responsiblePersonId: 'koho_kakaricho',
      endOfContract: { assetsReturned: true, erasureCertificate: false, accountsRevoked: true, date: d.lastFy.end, note: '消去証明書の提出を督促中' },
    }, { lastDecision: approved(14) }),
    e({
      title: '児童生徒作品展示会運営業務', departmentId: 'KYOIKU-GAKKO', vendorId: 'aoba_print', contractNumber: 'R7-教委-004', period: d.fy,
      description: '作品展示会の会場運営（作品は学校名のみ表示）。', workLocation: 'onsite',
      informationAssets: [asset('展示作品の管理表', '1', { integrity: 2 })],
      responsiblePersonId: 'kyoiku_shido',
    }, { lastDecision: approved(3) }),
    e({
      title: '防災備蓄品管理システム導入業務', departmentId: 'KIKI-BOSAI', vendorId: 'digital_bosai', contractNumber: 'R8-防災-001', period: { start: d.month(1), end: d.month(13) },
      description: '備蓄品の在庫管理システムの導入（来月着手）。', systemWork: true, workLocation: 'vendor_site',
      informationAssets: [asset('備蓄品の在庫情報', '1', { availability: 2 })],
      responsiblePersonId: 'bosai_kacho', administratorId: 'bosai_shusa',
    }, { registeredOn: d.day(-3) }),
    e({
      title: '情報機器データ消去・廃棄業務', departmentId: 'SOMU-JOHO', vendorId: 'secure_office', contractNumber: 'R7-情報-012', period: { start: d.fy.start, end: d.day(25) },
      description: '更新で不要となったパソコン・サーバの記憶媒体の消去（職員立会い）及び廃棄。', workLocation: 'vendor_site',
      informationAssets: [asset('記憶媒体に残る業務データ', '3C', { personalData: true })],
      responsiblePersonId: 'joho_kacho', administratorId: 'joho_shusa',
    }, { lastDecision: approved(1) }),
  ];
}
