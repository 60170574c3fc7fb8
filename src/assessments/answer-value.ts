import { NA } from '../questionnaires/schema.js';
import type { Question } from '../questionnaires/index.js';
import { isPlainDate } from '../shared/dates.js';
import { hasControlChars } from '../shared/text.js';
import type { AnswerValue } from './answers.model.js';

export type ValueCheck = { ok: true; value: AnswerValue | null } | { ok: false; message: string };

/**
 * Checks a submitted value against the question's answer type as issued (the template snapshot), and normalises it.
 * `null` clears an answer. Every message is shown to the respondent beside the question.
 */
export function checkAnswerValue(question: Question, raw: unknown): ValueCheck {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: null };
  const a = question.answer;
  const fail = (message: string): ValueCheck => ({ ok: false, message });
  if (raw === NA) return a.notApplicable ? { ok: true, value: NA } : fail('この設問では「該当なし」は選べません');
  switch (a.type) {
    case 'yes-no': {
      const allowed = a.partial ? ['yes', 'partial', 'no'] : ['yes', 'no'];
      return typeof raw === 'string' && allowed.includes(raw) ? { ok: true, value: raw } : fail(`次のいずれかを選んでください: ${allowed.join(', ')}`);
    }
    case 'single-choice': {
      return typeof raw === 'string' && a.options.some((o) => o.id === raw) ? { ok: true, value: raw } : fail('選択肢から選んでください');
    }
    case 'multiple-choice': {
      if (!Array.isArray(raw) || raw.length === 0 || raw.length > 100) return fail('選択肢を一つ以上選んでください');
      if (!raw.every((v) => typeof v === 'string' && a.options.some((o) => o.id === v))) return fail('選択肢にない値が含まれています');
      const unique = [...new Set(raw as string[])];
      return { ok: true, value: a.options.map((o) => o.id).filter((id) => unique.includes(id)) };
    }
    case 'number': {
      const n = typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) return fail('数値を入力してください');
      if (a.integer && !Number.isInteger(n)) return fail('整数で入力してください');
      if (n < a.min || n > a.max) return fail(`${a.min}〜${a.max}${a.unit.ja}の範囲で入力してください`);
      return { ok: true, value: n };
    }
    case 'date':
      return typeof raw === 'string' && isPlainDate(raw) ? { ok: true, value: raw } : fail('YYYY-MM-DD 形式の日付を入力してください');
    case 'text': {
      if (typeof raw !== 'string') return fail('文字で入力してください');
      if (raw.length > a.maxLength) return fail(`${a.maxLength}文字以内で入力してください`);
      if (hasControlChars(raw)) return fail('制御文字は使えません');
      return { ok: true, value: raw };
    }
    case 'file':
      // The answer to a file question is its evidence; a value other than N/A has no meaning here.
      return fail('この設問にはファイルを添付して回答してください');
  }
}
