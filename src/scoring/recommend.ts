/**
 * From scored questions to a recommendation (itaku-1): gates that no average can outweigh, likelihood and residual risk,
 * and the conditions a conditional approval would carry.
 */
import { toWareki } from '../conditions/index.js';
import { type Likelihood, likelihoodFromScore, residualRisk, type Tier } from '../risk/inherent-tier.js';
import type {
  GateException,
  GateRef,
  ProposedCondition,
  QuestionScore,
  RecommendationResult,
  RecommendationRule,
  ScoreResult,
} from './types.js';

const FULL_HUNDREDTHS = 100;

/**
 * Every scorable ◎ question short of full points is a failed gate, or an excepted one when a security officer recorded
 * an exception (whatever its expiry); every scorable ○ short of full points is a remediation. Marks the rows too.
 */
export function gatesOf(questions: QuestionScore[]): Pick<ScoreResult, 'gates' | 'remediations'> {
  const failed: GateRef[] = [];
  const excepted: (GateRef & { exception: GateException })[] = [];
  const remediations: GateRef[] = [];
  for (const q of questions) {
    if (!q.scorable || q.pointsHundredths >= FULL_HUNDREDTHS) continue;
    const ref: GateRef = { questionId: q.id, level: q.must.level, pointsHundredths: q.pointsHundredths };
    if (q.must.level === '◎') {
      if (q.exception) {
        q.gate = 'excepted';
        excepted.push({ ...ref, exception: q.exception });
      } else {
        q.gate = 'failed';
        failed.push(ref);
      }
    } else if (q.must.level === '○') {
      q.remediation = true;
      remediations.push(ref);
    }
  }
  return { gates: { failed, excepted }, remediations };
}

/** Likelihood L from the rounded control score in tenths (850 → 1, 849 → 2); null stays null. */
export function likelihoodFromTenths(tenths: number | null): Likelihood | null {
  // tenths / 10 is the nearest double to the one-decimal score, and k/10 ≥ 85 holds exactly when k ≥ 850.
  return tenths === null ? null : likelihoodFromScore(tenths / 10);
}

interface Decided {
  result: RecommendationResult;
  rule: RecommendationRule;
  ja: string;
  en: string;
}

/** The recommendation and the rule that gave it, in the order the rules are tried. */
export function recommend(
  tier: Tier,
  likelihood: Likelihood | null,
  gates: ScoreResult['gates'],
  remediations: GateRef[],
): Decided & { residual: number | null } {
  if (gates.failed.length > 0) {
    const ids = gates.failed.map((g) => g.questionId).join('、');
    return {
      residual: likelihood === null ? null : residualRisk(tier, likelihood).value,
      result: 'rejected',
      rule: 'failed_gate',
      ja: `必須（◎）の設問 ${ids} を満たさず、例外の承認もないため不可`,
      en: `must-have (◎) question(s) ${gates.failed.map((g) => g.questionId).join(', ')} not met and not excepted: rejected`,
    };
  }
  if (likelihood === null) {
    return {
      residual: null,
      result: 'escalate',
      rule: 'nothing_scorable',
      ja: '点数の付く設問がなく管理策の点数を算出できないため、要エスカレーション',
      en: 'nothing is scorable, so there is no control score: escalate',
    };
  }
  const { value: r, band } = residualRisk(tier, likelihood);
  const rt = `残存リスク R = T${tier} × L${likelihood} = ${r}`;
  const conditions = remediations.length + gates.excepted.length;
  if (band === 'approved' && conditions === 0) {
    return { residual: r, result: 'approved', rule: 'residual_low', ja: `${rt}（4以下）で、是正・例外がないため承認可`, en: `residual R = ${r} ≤ 4 with no remediation or exception: approved` };
  }
  if (band === 'approved') {
    return {
      residual: r,
      result: 'conditional',
      rule: 'residual_low_with_conditions',
      ja: `${rt}（4以下）だが、是正又は例外が${conditions}件あるため条件付き承認`,
      en: `residual R = ${r} ≤ 4 but ${conditions} remediation(s) or exception(s): conditional`,
    };
  }
  if (band === 'conditional') {
    return { residual: r, result: 'conditional', rule: 'residual_moderate', ja: `${rt}（6〜8）のため条件付き承認`, en: `residual R = ${r} (6–8): conditional` };
  }
  return {
    residual: r,
    result: 'escalate',
    rule: 'residual_high',
    ja: `${rt}（9以上）のため、要エスカレーション（CISOが判断）`,
    en: `residual R = ${r} ≥ 9: escalate (only the CISO decides)`,
  };
}

/** The question as a short quote for a condition sentence: long questions are cut, the id still identifies them. */
function quote(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= 40 ? chars.join('') : `${chars.slice(0, 39).join('')}…`;
}

/**
 * The conditions an approval would carry: one per remediation (due date left to the decision) and one per excepted
 * gate (due on the exception's expiry). Proposed for `conditional` and for `escalate` (what the CISO would attach);
 * none for `rejected` or `approved`.
 */
export function proposedConditions(questions: QuestionScore[], result: RecommendationResult): ProposedCondition[] {
  if (result !== 'conditional' && result !== 'escalate') return [];
  const out: ProposedCondition[] = [];
  for (const q of questions) {
    if (q.gate === 'excepted' && q.exception) {
      const e = q.exception;
      out.push({
        questionId: q.id,
        kind: 'exception',
        text: `設問${q.id}（${quote(q.text.ja)}）について、例外として認めた代替措置（${e.measure.trim()}）を${toWareki(e.expiresOn)}まで講じ、期限までに本来の対策を完了すること`,
        dueDate: e.expiresOn,
      });
    } else if (q.remediation) {
      out.push({
        questionId: q.id,
        kind: 'remediation',
        text: `設問${q.id}（${quote(q.text.ja)}）について是正計画を提出し、期限までに対応すること`,
        dueDate: null,
      });
    }
  }
  return out;
}
