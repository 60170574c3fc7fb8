/** 桜ヶ丘市 (fictional): departments and the people named on its records. */

export const CITY = { name: '桜ヶ丘市', mayorTitle: '市長', address: '架空県桜ヶ丘市中央一丁目1番1号' };

export const DEPARTMENTS = [
  { code: 'SOMU-JOHO', name: '総務部情報政策課' },
  { code: 'SOMU-KANZAI', name: '総務部管財課' },
  { code: 'SHIMIN-SHIMIN', name: '市民部市民課' },
  { code: 'ZAIMU-ZEIMU', name: '財務部税務課' },
  { code: 'FUKUSHI-KAIGO', name: '健康福祉部介護保険課' },
  { code: 'KIKAKU-KOHO', name: '企画部広報広聴課' },
  { code: 'KIKI-BOSAI', name: '危機管理部防災危機管理課' },
  { code: 'KYOIKU-GAKKO', name: '教育委員会学校教育課' },
  { code: 'KODOMO-KOSODATE', name: 'こども未来部子育て支援課' },
] as const;

export type DepartmentCode = (typeof DEPARTMENTS)[number]['code'];

export interface DemoPerson {
  key: string;
  name: string;
  nameKana: string;
  title: string;
  department: DepartmentCode;
  active: boolean;
}

const p = (key: string, name: string, nameKana: string, title: string, department: DepartmentCode, active = true): DemoPerson => ({ key, name, nameKana, title, department, active });

export const PEOPLE: DemoPerson[] = [
  p('joho_kacho', '佐藤 健一', 'サトウ ケンイチ', '情報政策課長', 'SOMU-JOHO'),
  p('joho_kakaricho', '鈴木 由美', 'スズキ ユミ', '情報政策課情報システム係長', 'SOMU-JOHO'),
  p('joho_shusa', '伊藤 大輔', 'イトウ ダイスケ', '情報政策課主査', 'SOMU-JOHO'),
  p('joho_former', '田中 一郎', 'タナカ イチロウ', '元情報政策課長（令和7年3月退職）', 'SOMU-JOHO', false),
  p('kanzai_kacho', '岡田 正樹', 'オカダ マサキ', '管財課長', 'SOMU-KANZAI'),
  p('shimin_kacho', '渡辺 直樹', 'ワタナベ ナオキ', '市民課長', 'SHIMIN-SHIMIN'),
  p('shimin_kakaricho', '山本 恵子', 'ヤマモト ケイコ', '市民課住民記録係長', 'SHIMIN-SHIMIN'),
  p('zeimu_kacho', '中村 浩', 'ナカムラ ヒロシ', '税務課長', 'ZAIMU-ZEIMU'),
  p('zeimu_shusa', '小林 真理', 'コバヤシ マリ', '税務課主査', 'ZAIMU-ZEIMU'),
  p('kaigo_kacho', '加藤 誠', 'カトウ マコト', '介護保険課長', 'FUKUSHI-KAIGO'),
  p('kaigo_shuji', '吉田 彩', 'ヨシダ アヤ', '介護保険課主事', 'FUKUSHI-KAIGO'),
  p('kaigo_former', '高橋 美咲', 'タカハシ ミサキ', '元介護保険課認定係長（人事異動）', 'FUKUSHI-KAIGO', false),
  p('koho_kacho', '山田 花子', 'ヤマダ ハナコ', '広報広聴課長', 'KIKAKU-KOHO'),
  p('koho_kakaricho', '松本 翔', 'マツモト ショウ', '広報広聴課広報係長', 'KIKAKU-KOHO'),
  p('koho_shuji', '井上 さくら', 'イノウエ サクラ', '広報広聴課主事', 'KIKAKU-KOHO'),
  p('koho_shuji2', '木村 拓也', 'キムラ タクヤ', '広報広聴課主事', 'KIKAKU-KOHO'),
  p('koho_former', '阿部 聡', 'アベ サトシ', '元広報広聴課広報係長（人事異動）', 'KIKAKU-KOHO', false),
  p('bosai_kacho', '林 剛', 'ハヤシ ツヨシ', '防災危機管理課長', 'KIKI-BOSAI'),
  p('bosai_shusa', '清水 香織', 'シミズ カオリ', '防災危機管理課主査', 'KIKI-BOSAI'),
  p('kyoiku_kacho', '山口 修', 'ヤマグチ オサム', '学校教育課長', 'KYOIKU-GAKKO'),
  p('kyoiku_shido', '森 亜希子', 'モリ アキコ', '学校教育課指導主事', 'KYOIKU-GAKKO'),
  p('kosodate_kacho', '池田 隆', 'イケダ タカシ', '子育て支援課長', 'KODOMO-KOSODATE'),
  p('kosodate_shuji', '橋本 美月', 'ハシモト ミヅキ', '子育て支援課主事', 'KODOMO-KOSODATE'),
];
