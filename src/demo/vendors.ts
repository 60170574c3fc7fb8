/** Fictional vendors. 法人番号 are built from a made-up 基礎番号 with the real check-digit rule. */
import { corporateNumberCheckDigit } from '../vendors/corporate-number.js';
import type { CertificationType } from '../vendors/vendor.types.js';

export interface DemoVendor {
  key: string;
  name: string;
  nameKana: string;
  /** 12-digit 基礎番号 (office code, company type, serial); null for a vendor based abroad. */
  base: string | null;
  country: string;
  address: string;
  contact: { name: string; department: string; title: string; role: string };
  /** validUntil as days from today. */
  certifications: { type: CertificationType; name?: string; number: string; scope?: string; validInDays: number }[];
}

export function corporateNumber(base: string): string {
  return `${corporateNumberCheckDigit(base)}${base}`;
}

const c = (type: CertificationType, number: string, validInDays: number, scope = '') => ({ type, number, validInDays, scope });

export const VENDORS: DemoVendor[] = [
  {
    key: 'sakura_systems', name: '株式会社桜ヶ丘システムズ', nameKana: 'サクラガオカシステムズ', base: '030001900101', country: 'JP', address: '架空県桜ヶ丘市本町二丁目3番4号',
    contact: { name: '大野 誠', department: '公共システム部', title: '部長', role: '営業責任者' },
    certifications: [c('isms', 'IS 650101', 20, '公共システムの開発・運用'), c('privacy_mark', '第10824001(05)号', 400)],
  },
  {
    key: 'towa', name: '東和情報サービス株式会社', nameKana: 'トウワジョウホウサービス', base: '010401900202', country: 'JP', address: '東京都千代田区架空町一丁目2番3号',
    contact: { name: '石川 和也', department: '自治体ソリューション本部', title: '課長', role: '営業担当' },
    certifications: [c('isms', 'IS 601202', 300), c('iso27017', 'CLOUD 720202', 300)],
  },
  {
    key: 'miraidata', name: '株式会社ミライデータ', nameKana: 'ミライデータ', base: '011001900303', country: 'JP', address: '東京都港区架空三丁目4番5号',
    contact: { name: '前田 亮', department: 'ソリューション営業部', title: '主任', role: '営業担当' },
    certifications: [c('isms', 'IS 612303', 500), c('privacy_mark', '第17000303(03)号', 5)],
  },
  {
    key: 'gyosei_cloud', name: '日本行政クラウド株式会社', nameKana: 'ニホンギョウセイクラウド', base: '010001900404', country: 'JP', address: '東京都中央区架空橋一丁目1番1号',
    contact: { name: '藤田 恭子', department: '公共クラウド事業部', title: '部長', role: '情報セキュリティ責任者' },
    certifications: [c('isms', 'IS 700404', 420), c('iso27017', 'CLOUD 710404', 420), c('iso27018', 'PII 720404', 420)],
  },
  {
    key: 'kanto_densan', name: '株式会社関東電算センター', nameKana: 'カントウデンサンセンター', base: '030001900505', country: 'JP', address: '架空県桜ヶ丘市東町五丁目6番7号',
    contact: { name: '西村 浩二', department: '自治体事業部', title: '部長', role: '営業責任者' },
    certifications: [c('isms', 'IS 580505', 180), c('privacy_mark', '第10820505(09)号', -10)],
  },
  {
    key: 'aoba_print', name: '株式会社アオバ印刷', nameKana: 'アオバインサツ', base: '030001900606', country: 'JP', address: '架空県桜ヶ丘市青葉台一丁目8番9号',
    contact: { name: '村上 典子', department: '営業部', title: '係長', role: '営業担当' },
    certifications: [c('privacy_mark', '第21000606(02)号', 600)],
  },
  {
    key: 'hikari_call', name: '株式会社ひかりコールサービス', nameKana: 'ヒカリコールサービス', base: '011001900707', country: 'JP', address: '東京都新宿区架空五丁目6番7号',
    contact: { name: '近藤 真由美', department: '公共BPO部', title: 'マネージャー', role: '業務責任者' },
    certifications: [c('isms', 'IS 630707', 45), c('privacy_mark', '第10820707(07)号', 250)],
  },
  {
    key: 'sakura_web', name: '有限会社さくらウェブ企画', nameKana: 'サクラウェブキカク', base: '030002900808', country: 'JP', address: '架空県桜ヶ丘市桜町三丁目2番1号',
    contact: { name: '坂本 大樹', department: '制作部', title: '代表取締役', role: '業務責任者' },
    certifications: [],
  },
  {
    key: 'digital_bosai', name: '株式会社デジタル防災研究所', nameKana: 'デジタルボウサイケンキュウジョ', base: '012001900909', country: 'JP', address: '大阪府大阪市北区架空一丁目2番3号',
    contact: { name: '遠藤 光', department: '防災ソリューション部', title: '部長', role: '営業責任者' },
    certifications: [c('isms', 'IS 690909', 700)],
  },
  {
    key: 'midori_edu', name: '株式会社みどり教育ソリューションズ', nameKana: 'ミドリキョウイクソリューションズ', base: '013001901010', country: 'JP', address: '愛知県名古屋市中区架空二丁目3番4号',
    contact: { name: '青木 瞳', department: '教育ICT事業部', title: '課長', role: '営業担当' },
    certifications: [c('isms', 'IS 661010', 330), c('privacy_mark', '第20001010(04)号', 330)],
  },
  {
    key: 'hokuto', name: '株式会社北斗ネットワークス', nameKana: 'ホクトネットワークス', base: '030001901111', country: 'JP', address: '架空県北斗市中央三丁目1番2号',
    contact: { name: '福田 健太', department: 'ネットワーク事業部', title: '課長', role: '技術責任者' },
    certifications: [c('isms', 'IS 671111', 28), c('iso27017', 'CLOUD 731111', 28)],
  },
  {
    key: 'yuai', name: '株式会社ゆうあい介護情報', nameKana: 'ユウアイカイゴジョウホウ', base: '030001901212', country: 'JP', address: '架空県桜ヶ丘市西町一丁目4番6号',
    contact: { name: '太田 美穂', department: '事業推進部', title: '主任', role: '営業担当' },
    certifications: [c('privacy_mark', '第21001212(01)号', 90)],
  },
  {
    key: 'chiiki_joho', name: '一般財団法人地域情報化推進センター', nameKana: 'チイキジョウホウカスイシンセンター', base: '010005901313', country: 'JP', address: '東京都文京区架空四丁目5番6号',
    contact: { name: '三浦 隆之', department: '調査研究部', title: '部長', role: '業務責任者' },
    certifications: [c('isms', 'IS 681313', 365)],
  },
  {
    key: 'city_promo', name: '株式会社シティプロモーション総研', nameKana: 'シティプロモーションソウケン', base: '011001901414', country: 'JP', address: '東京都渋谷区架空二丁目7番8号',
    contact: { name: '原田 彩花', department: 'デジタル広報部', title: 'ディレクター', role: '運用責任者' },
    certifications: [],
  },
  {
    key: 'secure_office', name: '株式会社セキュアオフィス', nameKana: 'セキュアオフィス', base: '011001901515', country: 'JP', address: '東京都品川区架空一丁目9番10号',
    contact: { name: '松田 亘', department: 'サービス部', title: '課長', role: '情報セキュリティ責任者' },
    certifications: [c('isms', 'IS 641515', 210), c('soc2', 'SOC 2 Type 2（2025年度）', 150)],
  },
  {
    key: 'northwind', name: 'Northwind Cloud, Inc.', nameKana: 'ノースウインドクラウド', base: null, country: 'US', address: '100 Example Avenue, Seattle, WA, USA',
    contact: { name: 'Jordan Lee', department: 'Public Sector', title: 'Account Manager', role: '営業担当' },
    certifications: [c('iso27017', 'CLOUD 900001', 240), c('soc2', 'SOC 2 Type 2', 120)],
  },
  {
    key: 'nordlys', name: 'Nordlys Forms AS', nameKana: 'ノルドリュスフォームズ', base: null, country: 'NO', address: 'Eksempelgata 1, Oslo, Norway',
    contact: { name: 'Ingrid Berg', department: 'Customer Success', title: 'Manager', role: '問合せ窓口' },
    certifications: [c('isms', 'ISO 27001 NO-0001', 200)],
  },
  {
    key: 'pacific_survey', name: 'Pacific Insight Pte. Ltd.', nameKana: 'パシフィックインサイト', base: null, country: 'SG', address: '1 Example Road, Singapore',
    contact: { name: 'Wei Lin Tan', department: 'Sales', title: 'Director', role: '営業担当' },
    certifications: [],
  },
];
