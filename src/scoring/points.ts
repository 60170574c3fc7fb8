/**
 * Points of one question that applies (itaku-1): from its answer, its must level and what reviewers decided. Points are
 * twentieths (0..20) here; see arithmetic.ts for why.
 */
import { isIsoDate } from '../conditions/index.js';
import type { QuestionDecision } from '../questionnaires/preview.js';
import { NA } from '../questionnaires/schema.js';
import type { AnswerSpec, OptionSpec, Question } from '../questionnaires/template.js';
import { toTwentieths } from './arithmetic.js';
import type { AnswerValue, EvidenceState, Reason, ReasonCode, ReviewState, ReviewVerdict } from './types.js';

export interface Points {
  scorable: boolean;
  twentieths: number;
  reason: Reason;
  notApplicable: ReviewVerdict | 'pending' | null;
  evidence: EvidenceState;
}

const FULL = 20;
const HALF = 10;

const YES_NO: Record<string, { k: number; ja: string; en: string }> = {
  yes: { k: FULL, ja: 'はい', en: 'yes' },
  partial: { k: HALF, ja: '一部', en: 'partly' },
  no: { k: 0, ja: 'いいえ', en: 'no' },
};

const pts = (k: number): string => String(k / 20);
const reason = (code: ReasonCode, ja: string, en: string): Reason => ({ code, ja, en });

/** Date, text and file answers (and numbers without thresholds) are judged by a reviewer, not computed. */
export function isReviewJudged(spec: AnswerSpec): boolean {
  return spec.type === 'date' || spec.type === 'text' || spec.type === 'file' || (spec.type === 'number' && spec.thresholds.length === 0);
}

export function isNotApplicable(value: AnswerValue | undefined): boolean {
  return value === NA || (Array.isArray(value) && value.length === 1 && value[0] === NA);
}

function isGiven(question: Question, value: AnswerValue | undefined, evidenceCount: number): boolean {
  if (question.answer.type === 'file') return evidenceCount > 0;
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

const optionText = (o: OptionSpec): string => o.label.ja;

/** Points of an answer that the template scores by itself; null when the value does not fit the answer type. */
function computed(spec: AnswerSpec, value: AnswerValue): { k: number; ja: string; en: string } | null {
  switch (spec.type) {
    case 'yes-no': {
      const v = typeof value === 'string' && Object.hasOwn(YES_NO, value) ? YES_NO[value] : undefined;
      if (!v || (value === 'partial' && !spec.partial)) return null;
      return { k: v.k, ja: `回答「${v.ja}」: ${pts(v.k)}`, en: `answer "${v.en}": ${pts(v.k)}` };
    }
    case 'single-choice': {
      const o = spec.options.find((x) => x.id === value);
      if (!o) return null;
      const k = toTwentieths(o.points);
      return { k, ja: `回答「${optionText(o)}」: ${pts(k)}`, en: `answer "${o.label.en ?? o.id}": ${pts(k)}` };
    }
    case 'multiple-choice': {
      if (!Array.isArray(value)) return null;
      const ids = [...new Set(value)]; // choosing an option twice is still one choice
      const chosen = ids.map((id) => spec.options.find((o) => o.id === id));
      if (chosen.some((o) => o === undefined)) return null;
      const options = chosen as OptionSpec[];
      const sum = options.reduce((s, o) => s + toTwentieths(o.points), 0);
      const k = Math.min(FULL, sum);
      const capped = sum > FULL ? `（合計 ${pts(sum)}、上限 1）` : '';
      return {
        k,
        ja: `回答「${options.map(optionText).join('・')}」: ${pts(k)}${capped}`,
        en: `answer "${options.map((o) => o.label.en ?? o.id).join(', ')}": ${pts(k)}${sum > FULL ? ` (sum ${pts(sum)}, capped at 1)` : ''}`,
      };
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.min || value > spec.max) return null;
      if (spec.integer && !Number.isInteger(value)) return null;
      const unit = spec.unit.ja;
      const hit = spec.thresholds.find((t) => (t.bound === 'max' ? value <= t.value : value >= t.value));
      if (!hit) {
        const k = toTwentieths(spec.otherwise);
        return { k, ja: `回答 ${value}${unit}: どの閾値にも当たらない: ${pts(k)}`, en: `answer ${value}: meets no threshold: ${pts(k)}` };
      }
      const k = toTwentieths(hit.points);
      const bound = hit.bound === 'max' ? `${hit.value}${unit}以下` : `${hit.value}${unit}以上`;
      const boundEn = `${hit.bound === 'max' ? '≤' : '≥'} ${hit.value}`;
      return { k, ja: `回答 ${value}${unit}: 閾値「${bound}」: ${pts(k)}`, en: `answer ${value}: threshold ${boundEn}: ${pts(k)}` };
    }
    default:
      return null;
  }
}

/** Whether a review-judged value has the right shape (a real date, a string); file questions have no value. */
function fitsReviewJudged(spec: AnswerSpec, value: AnswerValue | undefined): boolean {
  switch (spec.type) {
    case 'date':
      return typeof value === 'string' && isIsoDate(value);
    case 'text':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= spec.min && value <= spec.max;
    default:
      return true;
  }
}

/**
 * The points of a question that applies: its answer's points, N/A handling, review of review-judged answers and the
 * 0.5 cap while required evidence is not accepted. `decision` is the question's row of applicableQuestions().
 */
export function questionPoints(
  question: Question,
  decision: QuestionDecision,
  value: AnswerValue | undefined,
  review: ReviewState,
  evidenceCount: number,
): Points {
  const spec = question.answer;
  const level = decision.must?.level ?? question.must.level;
  const evidence: EvidenceState = {
    required: decision.evidence === 'required',
    count: evidenceCount,
    review: review.evidence ?? 'pending',
    capped: false,
  };
  const na = isNotApplicable(value);
  const base: Pick<Points, 'notApplicable' | 'evidence'> = { notApplicable: na ? (review.notApplicable ?? 'pending') : null, evidence };
  const zero = (code: ReasonCode, ja: string, en: string): Points => ({ ...base, scorable: true, twentieths: 0, reason: reason(code, ja, en) });
  const judged = isReviewJudged(spec);

  if (judged && level === '△') {
    return { ...base, scorable: false, twentieths: 0, reason: reason('not_scored', '△の記述・日付・ファイル等の設問は点数に含めない', 'a △ text, date or file question is not scored') };
  }
  if (na) {
    if (!spec.notApplicable) return zero('na_not_allowed', 'この設問では「該当なし」を選べないため未回答として扱う: 0', '"not applicable" is not allowed here, counted as unanswered: 0');
    if (review.notApplicable === 'accepted') {
      return { ...base, scorable: false, twentieths: 0, reason: reason('na_accepted', '「該当なし」が審査で認められたため計算から除外', '"not applicable" accepted by the reviewer: left out') };
    }
    if (review.notApplicable === 'rejected') return zero('na_rejected', '「該当なし」が審査で認められなかったため未回答として扱う: 0', '"not applicable" rejected by the reviewer, counted as unanswered: 0');
    return zero('na_pending', '「該当なし」は審査で認められるまで未回答として扱う: 0', '"not applicable" not yet accepted, counted as unanswered: 0');
  }
  if (!isGiven(question, value, evidenceCount)) {
    return spec.type === 'file' ? zero('unanswered', 'ファイル未提出: 0', 'no file uploaded: 0') : zero('unanswered', '未回答: 0', 'unanswered: 0');
  }

  let k: number;
  let why: Reason;
  if (judged) {
    if (!fitsReviewJudged(spec, value)) return zero('invalid_answer', '回答の形式が設問に合わないため未回答として扱う: 0', 'answer does not fit the question, counted as unanswered: 0');
    if (review.answer === 'accepted') {
      k = FULL;
      why = reason('review_accepted', '回答が審査で認められた: 1', 'answer accepted by the reviewer: 1');
    } else if (review.answer === 'rejected') {
      return zero('review_rejected', '回答が審査で認められなかった: 0', 'answer rejected by the reviewer: 0');
    } else {
      return zero('review_pending', '回答は審査で認められるまで 0', 'answer not yet accepted by a reviewer: 0');
    }
  } else {
    const c = computed(spec, value as AnswerValue);
    if (!c) return zero('invalid_answer', '回答の値が設問の選択肢・範囲に合わないため未回答として扱う: 0', 'answer is not one of the allowed values, counted as unanswered: 0');
    k = c.k;
    why = reason('answer', c.ja, c.en);
  }

  if (evidence.required && evidence.review !== 'accepted' && k > HALF) {
    k = HALF;
    evidence.capped = true;
    const state = evidenceCount === 0 ? ['証跡が未提出', 'evidence missing'] : evidence.review === 'rejected' ? ['証跡が認められなかった', 'evidence rejected'] : ['証跡が未承認', 'evidence not yet accepted'];
    why = { ...why, ja: `${why.ja}。${state[0]}のため上限 0.5`, en: `${why.en}; ${state[1]}, capped at 0.5` };
  }
  return { ...base, scorable: true, twentieths: k, reason: why };
}
