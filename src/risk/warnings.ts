/**
 * Gaps a record shows (the dashboard's "gaps" and `warnings` on every record), each with a stable code and one Japanese
 * sentence. Pure: the caller supplies the people it refers to, the municipality's dormancy period and today.
 *
 * Timing: a 'stored' warning depends on the record alone, so it is computed on save and kept in `warningCodes` (lists
 * filter on it). A 'read' warning depends on today or on other records (people), so it is computed when read; list
 * filters translate it into a query of their own.
 */
import { compareDates, daysBetween } from '../shared/dates.js';
import { toWareki } from '../shared/wareki.js';
import { levelLabel } from '../records/classification.js';
import { PERSON_ROLE_LABELS, peopleOf, type SubjectDraft } from '../records/subject.js';
import type { SubjectKind } from '../records/subject.types.js';

export const WARNING_CATALOGUE = {
  terms_confidential: { timing: 'stored', kinds: ['cloudService'], label: '約款型で機密性2以上' },
  data_outside_japan: { timing: 'stored', kinds: ['cloudService'], label: '機密性2以上のデータを国外に保存' },
  data_location_unknown: { timing: 'stored', kinds: ['cloudService'], label: '保存場所が不明' },
  foreign_law: { timing: 'stored', kinds: ['cloudService'], label: '準拠法・裁判管轄が国外' },
  ismap_missing: { timing: 'stored', kinds: ['cloudService'], label: 'ISMAP未登録' },
  ismap_expired: { timing: 'read', kinds: ['cloudService'], label: 'ISMAP登録の期限切れ' },
  subcontractor_unapproved: { timing: 'stored', kinds: ['engagement'], label: '未承認の再委託' },
  contract_ended_without_record: { timing: 'read', kinds: ['engagement'], label: '契約終了時の確認が未記録' },
  end_of_contract_incomplete: { timing: 'stored', kinds: ['engagement'], label: '契約終了時の確認が未完了' },
  sns_no_responsible_person: { timing: 'stored', kinds: ['snsAccount'], label: '責任者なし' },
  sns_no_two_factor: { timing: 'stored', kinds: ['snsAccount'], label: '二要素認証なし' },
  sns_not_listed: { timing: 'stored', kinds: ['snsAccount'], label: '公式サイト未掲載' },
  sns_dormant: { timing: 'read', kinds: ['snsAccount'], label: '休眠' },
  person_inactive: { timing: 'read', kinds: ['engagement', 'cloudService', 'snsAccount'], label: '責任者等が無効' },
} as const satisfies Record<string, { timing: 'stored' | 'read'; kinds: readonly SubjectKind[]; label: string }>;

export type WarningCode = keyof typeof WARNING_CATALOGUE;
export const WARNING_CODES = Object.keys(WARNING_CATALOGUE) as [WarningCode, ...WarningCode[]];

export interface Warning {
  code: WarningCode;
  message: string;
}

export interface WarningContext {
  today: string;
  /** settings.dormancyDays. */
  dormancyDays: number;
  /** A person named on the record; null or undefined when unknown (treated as not active). */
  person: (id: string) => { name: string; active: boolean } | null | undefined;
}

const regionNames = new Intl.DisplayNames(['ja'], { type: 'region' });

/** 「アメリカ合衆国」 for 'US'; the code itself when the runtime does not know it. */
export function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

function cloudStored(r: Extract<SubjectDraft, { kind: 'cloudService' }>): Warning[] {
  const out: Warning[] = [];
  const rank = r.classification?.rank ?? 1;
  if (r.contractType === 'terms' && rank >= 2) {
    out.push({
      code: 'terms_confidential',
      message: `約款型の外部サービスで${levelLabel(r.classification!.level)}の情報を取り扱うこととされています。約款型サービスでは機密性2以上の情報は取り扱えないため、個別契約による利用手続に切り替えるか、取り扱う情報を見直してください。`,
    });
  }
  if (rank >= 2) {
    const where = (
      [
        ['データ', r.dataLocations.data],
        ['バックアップ', r.dataLocations.backups],
        ['ログ', r.dataLocations.logs],
      ] as const
    )
      .map(([what, countries]) => [what, countries.filter((c) => c !== 'JP')] as const)
      .filter(([, foreign]) => foreign.length > 0)
      .map(([what, foreign]) => `${what}: ${foreign.map(countryName).join('、')}`);
    if (where.length > 0) {
      out.push({ code: 'data_outside_japan', message: `機密性2以上の情報の保存場所に日本国外が含まれています（${where.join('／')}）。国内で保存するよう求めるか、国外の法令による開示のリスクを評価してください。` });
    }
    const { data, backups, logs } = r.dataLocations;
    if (data.length + backups.length + logs.length === 0) {
      out.push({ code: 'data_location_unknown', message: '機密性2以上の情報を取り扱いますが、データ・バックアップ・ログの保存場所が記録されていません。事業者に確認して記録してください。' });
    }
  }
  const law = r.governingLaw && r.governingLaw !== 'JP' ? `準拠法: ${countryName(r.governingLaw)}` : null;
  const court = r.jurisdiction && r.jurisdiction.country !== 'JP' ? `裁判管轄: ${countryName(r.jurisdiction.country)}` : null;
  if (law || court) {
    out.push({ code: 'foreign_law', message: `準拠法又は裁判管轄が日本以外です（${[law, court].filter(Boolean).join('、')}）。日本法を準拠法とし、日本の裁判所を管轄とするよう求めることを検討してください。` });
  }
  if (rank >= 2 && !r.ismap) {
    out.push({ code: 'ismap_missing', message: '機密性2以上の情報を取り扱いますが、ISMAP（ISMAP-LIUを含む）に登録されたサービスではありません。' });
  }
  return out;
}

function engagementStored(r: Extract<SubjectDraft, { kind: 'engagement' }>): Warning[] {
  const out: Warning[] = [];
  const unapproved = r.subcontractors.filter((s) => !s.approved);
  if (unapproved.length > 0) {
    out.push({
      code: 'subcontractor_unapproved',
      message: `承認されていない再委託先があります（${unapproved.map((s) => s.name).join('、')}）。再委託には事前の書面による承認が必要です。`,
    });
  }
  const end = r.endOfContract;
  if (end) {
    const missing = [
      end.assetsReturned ? null : '情報資産の返却',
      end.erasureCertificate ? null : '消去証明書の受領',
      end.accountsRevoked ? null : 'アカウント・入館証の失効',
    ].filter((x): x is string => x !== null);
    if (missing.length > 0) {
      out.push({ code: 'end_of_contract_incomplete', message: `契約終了時の確認のうち、${missing.join('、')}が済んでいません。` });
    }
  }
  return out;
}

function snsStored(r: Extract<SubjectDraft, { kind: 'snsAccount' }>): Warning[] {
  const out: Warning[] = [];
  if (!r.responsiblePersonId) {
    out.push({ code: 'sns_no_responsible_person', message: 'アカウントの責任者が定められていません。アカウントごとに責任者を置いてください。' });
  }
  if (!r.twoFactor) {
    out.push({ code: 'sns_no_two_factor', message: '二要素認証（多要素認証）が設定されていません。乗っ取りを防ぐため、設定してください。' });
  }
  if (!r.officialSiteUrl) {
    out.push({ code: 'sns_not_listed', message: '公式ウェブサイトにアカウントが掲載されていません。なりすまし対策として、公式ウェブサイトに掲載してください。' });
  }
  return out;
}

/** The warnings that depend on the record alone (stored as `warningCodes` on save). */
export function storedWarnings(record: SubjectDraft): Warning[] {
  switch (record.kind) {
    case 'cloudService':
      return cloudStored(record);
    case 'engagement':
      return engagementStored(record);
    case 'snsAccount':
      return snsStored(record);
  }
}

/** Last activity (or registration, when no activity is recorded) and the days since; dormant beyond dormancyDays. */
export function dormancy(record: { lastActivityOn: string | null; registeredOn: string }, today: string, dormancyDays: number) {
  const since = record.lastActivityOn ?? record.registeredOn;
  const days = daysBetween(since, today);
  return { since, days, dormant: days > dormancyDays };
}

/** The warnings that depend on today or on people, computed when read. */
export function readWarnings(record: SubjectDraft, ctx: WarningContext): Warning[] {
  const out: Warning[] = [];
  if (record.kind === 'cloudService' && (record.classification?.rank ?? 1) >= 2 && record.ismap && compareDates(record.ismap.validUntil, ctx.today) < 0) {
    out.push({ code: 'ismap_expired', message: `ISMAPの登録の有効期限（${toWareki(record.ismap.validUntil)}）が過ぎています。登録の更新状況を確認してください。` });
  }
  if (record.kind === 'engagement' && !record.endOfContract && compareDates(record.period.end, ctx.today) < 0) {
    out.push({
      code: 'contract_ended_without_record',
      message: `契約期間は${toWareki(record.period.end)}に終了していますが、契約終了時の確認（情報資産の返却、消去証明書の受領、アカウントの失効）が記録されていません。`,
    });
  }
  if (record.kind === 'snsAccount') {
    const d = dormancy(record, ctx.today, ctx.dormancyDays);
    if (d.dormant) {
      const from = record.lastActivityOn ? `最後の活動（${toWareki(d.since)}）` : `登録（${toWareki(d.since)}）以降、活動の記録がなく`;
      out.push({
        code: 'sns_dormant',
        message: `${from}から${d.days}日が経過しています（休眠とみなす期間: ${ctx.dormancyDays}日）。運用を続けない場合は、アカウントの停止を検討してください。`,
      });
    }
  }
  const inactive = peopleOf(record)
    .map((p) => ({ ...p, person: ctx.person(p.id) }))
    .filter((p) => !p.person?.active)
    .map((p) => `${PERSON_ROLE_LABELS[p.role]}（${p.person?.name ?? '登録されていない人物'}）`);
  if (inactive.length > 0) {
    out.push({ code: 'person_inactive', message: `${[...new Set(inactive)].join('、')}が無効になっています。異動・退職に伴い、後任を設定してください。` });
  }
  return out;
}

/** Every warning of a record, in catalogue order. */
export function warningsOf(record: SubjectDraft, ctx: WarningContext): Warning[] {
  const all = [...storedWarnings(record), ...readWarnings(record, ctx)];
  const order = WARNING_CODES;
  return all.sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code));
}
