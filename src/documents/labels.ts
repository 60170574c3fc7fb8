/** The words registers, reports and the console's pages print for stored codes. */

export const RESULT_LABELS: Record<string, string> = {
  approved: '承認',
  conditional: '条件付き承認',
  rejected: '不可',
  escalate: '要エスカレーション',
};

export const SEGMENT_LABELS: Record<string, string> = {
  mynumber: 'マイナンバー利用事務系',
  lgwan: 'LGWAN接続系',
  internet: 'インターネット接続系',
  government_cloud: 'ガバメントクラウド',
};

export const PLACEMENT_LABELS: Record<string, string> = { alpha_prime: 'α′モデル', beta: 'βモデル', beta_prime: 'β′モデル' };
export const SERVICE_MODEL_LABELS: Record<string, string> = { saas: 'SaaS', paas: 'PaaS', iaas: 'IaaS' };
export const CONTRACT_TYPE_LABELS: Record<string, string> = { individual: '個別契約', terms: '約款型' };
export const CONDITION_STATUS_LABELS: Record<string, string> = { open: '未対応', done: '対応済み（確認待ち）', accepted: '完了' };

/** A code's label, or the code itself when it has none (never an empty cell for a value that exists). */
export function label(table: Record<string, string>, code: string | null | undefined): string | null {
  if (code === null || code === undefined || code === '') return null;
  return table[code] ?? code;
}
