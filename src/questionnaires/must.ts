import { type Answers, describe, type Scope, evaluate, isIsoDate, toWareki } from '../conditions/index.js';
import type { SubjectFacts } from './facts.js';
import type { LocalText, MustLevel, MustRuleSpec, Question } from './template.js';

const RANK: Record<MustLevel, number> = { '△': 1, '○': 2, '◎': 3 };

export interface MustDecision {
  level: MustLevel;
  /** The rule that raised the level (index into question.must.rules), or null for the base level. */
  ruleIndex: number | null;
  rule: MustRuleSpec | null;
  reason: LocalText;
}

function ruleHolds(rule: MustRuleSpec, facts: SubjectFacts, answers: Answers): boolean {
  if (rule.from !== undefined && !(isIsoDate(facts.date) && facts.date >= rule.from)) return false;
  if (rule.when !== undefined && !evaluate(rule.when.ast, { facts, answers })) return false;
  return true;
}

/** A rule in words: `機密性… が 2 以上 の場合、令和9年7月1日から`. */
export function describeRule(rule: MustRuleSpec, scope?: Scope): LocalText {
  const opts = scope ? { scope } : {};
  const ja: string[] = [];
  const en: string[] = [];
  if (rule.when) {
    ja.push(`${describe(rule.when.ast, { ...opts, lang: 'ja' })} の場合`);
    en.push(`when ${describe(rule.when.ast, { ...opts, lang: 'en' })}`);
  }
  if (rule.from) {
    ja.push(`${toWareki(rule.from)}から`);
    en.push(`from ${rule.from}`);
  }
  return { ja: ja.join('、'), en: en.join(', ') };
}

/**
 * The must level of a question for a subject: the base level, raised by every rule that holds (the strictest wins;
 * rules never lower it), and which rule gave it. A `from` rule holds when facts.date is on or after its date.
 */
export function mustLevelOn(question: Question, facts: SubjectFacts, answers: Answers = {}, scope?: Scope): MustDecision {
  let decision: MustDecision = {
    level: question.must.level,
    ruleIndex: null,
    rule: null,
    reason: { ja: '基本の必須度', en: 'base level' },
  };
  question.must.rules.forEach((rule, index) => {
    if (RANK[rule.level] > RANK[decision.level] && ruleHolds(rule, facts, answers)) {
      const words = describeRule(rule, scope);
      decision = {
        level: rule.level,
        ruleIndex: index,
        rule,
        reason: { ja: `規則 ${index + 1}: ${words.ja}は${rule.level}`, en: `rule ${index + 1}: ${rule.level} ${words.en}` },
      };
    }
  });
  return decision;
}
