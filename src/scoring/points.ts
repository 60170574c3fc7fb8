/**
 * Points of one question that applies (itaku-1): from its answer, its must level and what reviewers decided. Points are
 * twentieths (0..20) here; see arithmetic.ts for why.
 */
import { answerPoints } from '../questionnaires/points.js';
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

const YES_NO: Record<string, { ja: string; en: string }> = {
  yes: { ja: 'はい', en: 'yes' },
  partial: { ja: '一部', en: 'partly' },
  no: { ja: 'いいえ', en: 'no' },
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

/** The answer in words with its points, for the reason: the option chosen, the threshold met. */
function describeAnswer(spec: AnswerSpec, value: AnswerValue, k: number): { ja: string; en: string } {
  switch (spec.type) {
    case 'yes-no': {
      const v = YES_NO[value as string] ?? { ja: String(value), en: String(value) };
      return { ja: `回答「${v.ja}」: ${pts(k)}`, en: `answer "${v.en}": ${pts(k)}` };
    }
    case 'single-choice':
    case 'multiple-choice': {
      const ids = new Set(Array.isArray(value) ? value : [value]);
      const options = spec.options.filter((o) => ids.has(o.id));
      const sum = options.reduce((total, o) => total + toTwentieths(o.points), 0);
      const over = sum > FULL;
      return {
        ja: `回答「${options.map(optionText).join('・')}」: ${pts(k)}${over ? `（合計 ${pts(sum)}、上限 1）` : ''}`,
        en: `answer "${options.map((o) => o.label.en ?? o.id).join(', ')}": ${pts(k)}${over ? ` (sum ${pts(sum)}, capped at 1)` : ''}`,
      };
    }
    case 'number': {
      const unit = spec.unit.ja;
      const hit = spec.thresholds.find((t) => (t.bound === 'max' ? (value as number) <= t.value : (value as number) >= t.value));
      if (!hit) return { ja: `回答 ${value}${unit}: どの閾値にも当たらない: ${pts(k)}`, en: `answer ${value}: meets no threshold: ${pts(k)}` };
      const bound = hit.bound === 'max' ? `${hit.value}${unit}以下` : `${hit.value}${unit}以上`;
      return { ja: `回答 ${value}${unit}: 閾値「${bound}」: ${pts(k)}`, en: `answer ${value}: threshold ${hit.bound === 'max' ? '≤' : '≥'} ${hit.value}: ${pts(k)}` };
    }
    default:
      return { ja: `回答: ${pts(k)}`, en: `answer: ${pts(k)}` };
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

  // One definition of what an answer is worth under the template format, shared with answer parsing; a file
  // question has no value to read, its upload is the answer.
  const worth = spec.type === 'file' ? 'review' : answerPoints(spec, value);
  if (worth === null || worth === 'na') {
    return zero('invalid_answer', '回答の値が設問の選択肢・範囲・形式に合わないため未回答として扱う: 0', 'answer does not fit the question, counted as unanswered: 0');
  }
  let k: number;
  let why: Reason;
  if (worth === 'review') {
    if (review.answer === 'accepted') {
      k = FULL;
      why = reason('review_accepted', '回答が審査で認められた: 1', 'answer accepted by the reviewer: 1');
    } else if (review.answer === 'rejected') {
      return zero('review_rejected', '回答が審査で認められなかった: 0', 'answer rejected by the reviewer: 0');
    } else {
      return zero('review_pending', '回答は審査で認められるまで 0', 'answer not yet accepted by a reviewer: 0');
    }
  } else {
    k = toTwentieths(worth);
    const words = describeAnswer(spec, value as AnswerValue, k);
    why = reason('answer', words.ja, words.en);
  }

  if (evidence.required && evidence.review !== 'accepted' && k > HALF) {
    k = HALF;
    evidence.capped = true;
    const state = evidenceCount === 0 ? ['証跡が未提出', 'evidence missing'] : evidence.review === 'rejected' ? ['証跡が認められなかった', 'evidence rejected'] : ['証跡が未承認', 'evidence not yet accepted'];
    why = { ...why, ja: `${why.ja}。${state[0]}のため上限 0.5`, en: `${why.en}; ${state[1]}, capped at 0.5` };
  }
  return { ...base, scorable: true, twentieths: k, reason: why };
}
