/** ソーシャルメディアのアカウント of the demo (references as in engagements.ts). */
import type { DemoDates, DemoExtras } from './dates.js';

export interface DemoSnsAccount {
  input: Record<string, unknown>;
  extras: DemoExtras;
  /** Title of the demo engagement under which a vendor operates it. */
  operatedBy?: string;
}

const SITE = 'https://www.city.sakuragaoka.example.jp/sns/';

export function demoSnsAccounts(d: DemoDates): DemoSnsAccount[] {
  const approved = (monthsAgo: number) => ({ date: d.month(-monthsAgo), result: 'approved' as const, openConditionDueDates: [] });
  const policy = { publish: '市政情報、イベント、募集、災害時の避難情報', doNotPublish: '機密性2以上の情報、個人が特定される情報、特定の政党・商品の宣伝' };
  const procedure = { reference: '桜ヶ丘市ソーシャルメディア運用手順書', date: d.month(-18) };
  const a = (input: Record<string, unknown>, extras: DemoExtras = {}, operatedBy?: string): DemoSnsAccount => ({ input: { postingPolicy: policy, ...input }, extras: { registeredOn: d.month(-30), ...extras }, operatedBy });
  return [
    a({ platform: 'x', accountName: '@sakuragaoka_city', url: 'https://x.com/sakuragaoka_city', departmentId: 'KIKAKU-KOHO', purpose: '市政情報の発信', audience: '市民全般',
      responsiblePersonId: 'koho_kacho', operatorIds: ['koho_kakaricho', 'koho_shuji'], officialSiteUrl: SITE, officialVerification: true, twoFactor: true,
      credentialHolders: '広報広聴課長、広報係長', procedure, lastActivityOn: d.day(-1) }, { lastDecision: approved(6) }),
    a({ platform: 'line', accountName: '桜ヶ丘市', url: 'https://line.me/R/ti/p/@sakuragaoka', departmentId: 'KIKAKU-KOHO', purpose: '登録者へのお知らせ配信', audience: '登録した市民',
      responsiblePersonId: 'koho_kacho', operatorIds: ['koho_shuji2'], officialSiteUrl: SITE, officialVerification: true, twoFactor: true,
      credentialHolders: '広報係長', procedure, lastActivityOn: d.day(-2) }, { lastDecision: approved(10) }, 'SNS運用支援業務'),
    a({ platform: 'facebook', accountName: '桜ヶ丘市役所', url: 'https://www.facebook.com/sakuragaoka.city', departmentId: 'KIKAKU-KOHO', purpose: 'イベント情報の発信', audience: '市民全般',
      responsiblePersonId: 'koho_kacho', operatorIds: ['koho_shuji'], officialSiteUrl: SITE, officialVerification: false, twoFactor: true,
      credentialHolders: '広報係長', procedure, lastActivityOn: d.day(-9) }, { lastDecision: approved(14) }),
    a({ platform: 'instagram', accountName: 'sakuragaoka_official', url: 'https://www.instagram.com/sakuragaoka_official/', departmentId: 'KIKAKU-KOHO', purpose: '市の魅力発信', audience: '若年層',
      responsiblePersonId: 'koho_kacho', operatorIds: ['koho_former', 'koho_shuji2'], officialSiteUrl: SITE, officialVerification: true, twoFactor: true,
      credentialHolders: '広報係長', procedure, lastActivityOn: d.day(-4) },
      { lastDecision: approved(8), incidents: [{ date: d.day(-30), severity: 'medium', summary: '本アカウントを装ったなりすましアカウントを確認。プラットフォームへ通報し、公式サイトで注意喚起した。' }] }),
    a({ platform: 'youtube', accountName: '桜ヶ丘市公式チャンネル', url: 'https://www.youtube.com/@sakuragaoka-city', departmentId: 'KIKAKU-KOHO', purpose: '市長会見・議会中継の配信', audience: '市民全般',
      responsiblePersonId: 'koho_kacho', operatorIds: ['koho_kakaricho'], officialSiteUrl: SITE, officialVerification: false, twoFactor: false,
      credentialHolders: '広報係長', procedure, lastActivityOn: d.day(-15) }, { lastDecision: approved(4) }),
    a({ platform: 'x', accountName: '@sakuragaoka_bosai', url: 'https://x.com/sakuragaoka_bosai', departmentId: 'KIKI-BOSAI', purpose: '災害・避難情報の発信（公式サイトにも同じ情報を掲載）', audience: '市民・来訪者',
      responsiblePersonId: 'bosai_kacho', operatorIds: ['bosai_shusa'], officialSiteUrl: SITE, officialVerification: true, twoFactor: true,
      credentialHolders: '防災危機管理課長、主査', procedure, disasterInformation: true, lastActivityOn: d.day(-6) }, { lastDecision: approved(13) }),
    a({ platform: 'line', accountName: '桜ヶ丘市防災', url: 'https://line.me/R/ti/p/@sakuragaoka-bosai', departmentId: 'KIKI-BOSAI', purpose: '避難情報のプッシュ配信', audience: '登録した市民',
      responsiblePersonId: 'bosai_kacho', operatorIds: ['bosai_shusa'], officialSiteUrl: SITE, officialVerification: true, twoFactor: true,
      credentialHolders: '防災危機管理課主査', procedure, disasterInformation: true, lastActivityOn: d.day(-20) }, { lastDecision: approved(5) }),
    a({ platform: 'instagram', accountName: 'sakuragaoka_kosodate', url: 'https://www.instagram.com/sakuragaoka_kosodate/', departmentId: 'KODOMO-KOSODATE', purpose: '子育てイベントの紹介', audience: '子育て世帯',
      responsiblePersonId: null, operatorIds: ['kosodate_shuji'], officialSiteUrl: null, officialVerification: false, twoFactor: true,
      credentialHolders: '子育て支援課主事', lastActivityOn: d.day(-12) }, { registeredOn: d.day(-25) }),
    a({ platform: 'note', accountName: 'sakuragaoka_kyoiku', url: 'https://note.com/sakuragaoka_kyoiku', departmentId: 'KYOIKU-GAKKO', purpose: '学校の取組の紹介', audience: '保護者・市民',
      responsiblePersonId: 'kyoiku_kacho', operatorIds: ['kyoiku_shido'], officialSiteUrl: null, officialVerification: false, twoFactor: false,
      credentialHolders: '指導主事', lastActivityOn: d.day(-40) }, { lastDecision: approved(9) }),
    a({ platform: 'facebook', accountName: '桜ヶ丘市観光情報（旧）', url: 'https://www.facebook.com/sakuragaoka.kanko', departmentId: 'KIKAKU-KOHO', purpose: '観光情報の発信（現在は更新停止）', audience: '観光客',
      responsiblePersonId: 'koho_kakaricho', operatorIds: [], officialSiteUrl: SITE, officialVerification: false, twoFactor: true,
      credentialHolders: '広報係長', procedure, lastActivityOn: d.day(-200) }, { lastDecision: approved(20) }),
    a({ platform: 'tiktok', accountName: '@sakuragaoka_pr', url: 'https://www.tiktok.com/@sakuragaoka_pr', departmentId: 'KIKAKU-KOHO', purpose: 'シティプロモーション動画', audience: '10〜20代',
      responsiblePersonId: 'koho_kakaricho', operatorIds: ['koho_shuji2'], officialSiteUrl: SITE, officialVerification: false, twoFactor: true,
      credentialHolders: '広報係長', procedure, lastActivityOn: d.day(-3) }, { lastDecision: approved(1) }),
  ];
}
