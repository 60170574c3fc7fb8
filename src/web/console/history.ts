/** A record's history, read from the audit log (entity + entityId), newest first. */
import { html, type Html } from '../html.js';
import { AuditModel, type AuditEntry } from '../../audit/audit.model.js';
import { dateTime } from './format.js';

const ACTION_LABELS: Record<string, string> = {
  create: '登録', update: '変更', archive: 'アーカイブ', incident: 'インシデント記録', 'tier-override': '区分の上書き', handover: '引継ぎ',
  recompute: '再計算', issue: '発行', linkIssue: 'リンク発行', linkReissue: 'リンク再発行', linkRevoke: 'リンク失効', in_progress: '回答開始',
  submitted: '提出', under_review: '審査開始', clarification_requested: '確認依頼', decided: '判断', cancelled: '取消し', answersSubmitted: '回答の提出',
  done: '対応完了の報告', accept: '完了の確認', 'classification.migrate': '分類体系の移行',
};

function label(action: string): string {
  const tail = action.split('.').slice(1).join('.');
  return ACTION_LABELS[tail] ?? ACTION_LABELS[action.split('.').at(-1)!] ?? action;
}

/** The latest `limit` audit entries about one record. */
export async function historyOf(entity: string, entityId: string, limit = 50): Promise<AuditEntry[]> {
  return (await AuditModel.find({ entity, entityId }).sort({ _id: -1 }).limit(limit).lean()) as AuditEntry[];
}

export function historyTable(entries: AuditEntry[]): Html {
  if (entries.length === 0) return html`<p class="muted">記録はありません。</p>`;
  return html`<div class="table-wrap"><table class="list"><thead><tr><th scope="col">日時</th><th scope="col">操作</th><th scope="col">操作者</th><th scope="col">変更された項目</th><th scope="col" class="num">通番</th></tr></thead><tbody>${entries.map(
    (e) => html`<tr><td>${dateTime(e.at)}</td><td>${label(e.action)} <span class="muted">(${e.action})</span></td><td>${e.actor.name ?? e.actor.id}</td><td>${Object.keys(e.after ?? {}).join('、') || '—'}</td><td class="num">${e._id}</td></tr>`,
  )}</tbody></table></div>`;
}
