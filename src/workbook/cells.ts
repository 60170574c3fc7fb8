/**
 * Reading one answer back from its cells, by answer type. Each result is either the raw value for checkAnswerValue
 * (the browser's rules), `undefined` for a blank cell (which changes nothing), or a message for the person.
 */
import type { Question } from '../questionnaires/index.js';
import { NA } from '../questionnaires/schema.js';
import { isPlainDate } from '../shared/dates.js';
import { CHOSEN_ALIASES, choicesOf, type OptionRow } from './layout.js';
import type { PlainCell } from './plain.js';
import { WORDS, type Lang } from './words.js';

export type CellRead = { ok: true; raw: unknown } | { ok: false; message: string };

const norm = (s: string) => s.normalize('NFKC').trim();
const ok = (raw: unknown): CellRead => ({ ok: true, raw });
const bad = (message: string): CellRead => ({ ok: false, message });

/** Text a person typed into a comment-like cell, whatever type the spreadsheet stored it as. */
export function cellText(c: PlainCell | undefined): string | undefined {
  if (!c) return undefined;
  if (c.t === 's') return c.v.trim() === '' ? undefined : c.v;
  if (c.t === 'n' || c.t === 'd' || c.t === 'b') return String(c.v);
  return undefined;
}

function isNa(s: string, lang: Lang): boolean {
  const n = norm(s);
  return n === WORDS[lang].na || n === WORDS.ja.na || n.toLowerCase() === NA;
}

/** Cells that are neither blank nor errors are decided by type; a placeholder the workbook wrote counts as blank. */
export function readAnswer(q: Question, c: PlainCell | undefined, lang: Lang, options: { row: OptionRow; cell: PlainCell | undefined }[]): CellRead {
  const w = WORDS[lang];
  if (c?.t === 'e') return bad(`エラー値（${c.v}）は回答にできません`);
  const blank = !c || (c.t === 's' && (c.v.trim() === '' || c.v === w.fileCell || c.v === w.multiCell));
  const a = q.answer;
  switch (a.type) {
    case 'yes-no':
    case 'single-choice': {
      if (blank) return ok(undefined);
      if (c!.t !== 's') return bad('一覧から選んでください');
      const n = norm(c!.v);
      const hit = choicesOf(q, lang).find((x) => norm(x.label) === n || x.value === n);
      if (!hit && isNa(n, lang)) return ok(NA);
      return hit ? ok(hit.value) : bad(`一覧にない値です（「${n.slice(0, 40)}」）。一覧から選んでください`);
    }
    case 'multiple-choice': {
      const na = !blank && c!.t === 's' && isNa(c!.v, lang);
      if (!blank && !na) return bad('この行では「該当なし」だけを選べます（選択肢は下の行に ○）');
      const chosen: string[] = [];
      for (const o of options) {
        const v = o.cell;
        if (!v || (v.t === 's' && v.v.trim() === '')) continue;
        if (v.t !== 's' || !CHOSEN_ALIASES.has(norm(v.v))) return bad(`選択肢の行（${o.row.row} 行目）には ○ を入れるか空欄にしてください`);
        chosen.push(o.row.optionId);
      }
      if (na && chosen.length) return bad('「該当なし」と選択肢の両方が選ばれています');
      return ok(na ? NA : chosen.length ? chosen : undefined);
    }
    case 'number': {
      if (blank) return ok(undefined);
      if (c!.t === 'n') return ok(c!.v);
      if (c!.t === 's') {
        const n = norm(c!.v).replace(/,/g, '');
        if (isNa(n, lang)) return ok(NA);
        if (/^-?\d+(\.\d+)?$/.test(n)) return ok(Number(n));
      }
      return bad('数値を入力してください');
    }
    case 'date': {
      if (blank) return ok(undefined);
      if (c!.t === 'd') return ok(c!.v);
      if (c!.t === 's') {
        const n = norm(c!.v);
        if (isNa(n, lang)) return ok(NA);
        if (isPlainDate(n)) return ok(n);
      }
      return bad('日付を YYYY-MM-DD の形（例 2027-03-31）で入力するか、日付のセルとして入力してください');
    }
    case 'text': {
      const text = cellText(c);
      if (blank || text === undefined) return ok(undefined);
      return ok(a.notApplicable && isNa(text, lang) ? NA : text);
    }
    case 'file': {
      if (blank) return ok(undefined);
      if (c!.t === 's' && isNa(c!.v, lang)) return ok(NA);
      return bad('ファイルはWeb画面で添付してください（このセルでは「該当なし」だけを選べます）');
    }
  }
}
