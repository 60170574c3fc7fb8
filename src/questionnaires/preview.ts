/**
 * Which questions of a template apply to a subject, and why: each question is in or out with the condition and the
 * values that decided it. Answers of questions that do not apply are ignored, so a stale answer cannot switch a
 * follow-up on.
 */
import {
  type Answers,
  type EvalContext,
  evaluate,
  explain,
  explainText,
  isAnswered,
  readField,
  type Scope,
} from '../conditions/index.js';
import type { SubjectFacts } from './facts.js';
import { type MustDecision, mustLevelOn } from './must.js';
import { type CompiledCondition, type LocalText, type Question, type Template, templateScope } from './template.js';

export interface QuestionDecision {
  id: string;
  section: string;
  applies: boolean;
  /** `pending`: out for now because it depends on an answer not given yet. */
  status: 'applies' | 'excluded' | 'pending';
  reason: LocalText;
  /** The condition text that decided, as written in the template. */
  condition?: string;
  /** For questions that apply: the must level on these facts. */
  must?: MustDecision;
  /** For questions that apply: whether evidence is asked for with the answers given. */
  evidence?: 'none' | 'optional' | 'required';
}

export interface Preview {
  template: { id: string; version: number; key: string };
  /** Whether the template is meant for this subject at all (kind and the template's `when`). */
  subject: { matches: boolean; reason: LocalText };
  questions: QuestionDecision[];
  /** Ids of the questions that apply, in template order. */
  applicable: string[];
}

function because(cond: CompiledCondition, ctx: EvalContext, scope: Scope): LocalText {
  const why = explain(cond.ast, ctx);
  return { ja: explainText(why, { lang: 'ja', scope }), en: explainText(why, { lang: 'en', scope }) };
}

/** True when a false condition read an answer that is still missing: it may yet become true. */
function waitsForAnswer(cond: CompiledCondition, ctx: EvalContext): boolean {
  return explain(cond.ast, ctx).decisive.some(({ observed }) =>
    observed.some((o) => o.name.startsWith('answer.') && !isAnswered(readField(ctx, o.name))),
  );
}

/** Whether a template is meant for a subject: its kind is listed and the template's `when` holds. */
export function templateMatches(template: Template, facts: SubjectFacts): { matches: boolean; reason: LocalText } {
  if (!template.subjects.includes(facts.kind)) {
    return {
      matches: false,
      reason: { ja: `この様式の対象は ${template.subjects.join('・')} です（対象の種別: ${facts.kind}）`, en: `this template is for ${template.subjects.join(', ')} (subject: ${facts.kind})` },
    };
  }
  if (template.when) {
    const scope = templateScope(template);
    const ctx = { facts };
    const matches = evaluate(template.when.ast, ctx);
    const why = because(template.when, ctx, scope);
    return {
      matches,
      reason: { ja: `様式の条件「${template.when.text}」が${matches ? '真' : '偽'}: ${why.ja}`, en: `template condition "${template.when.text}" is ${matches}: ${why.en}` },
    };
  }
  return { matches: true, reason: { ja: `この様式の対象（${facts.kind}）です`, en: `template is for ${facts.kind}` } };
}

function evidenceFor(question: Question, ctx: EvalContext): 'none' | 'optional' | 'required' {
  const e = question.evidence;
  if (e.level === 'none') return 'none';
  if (e.when && !evaluate(e.when.ast, ctx)) return 'none';
  return e.level;
}

/**
 * The preview: for a subject's facts (and answers given so far), every question of the template with whether it
 * applies and why. A follow-up applies only when its parent applies and its `when` holds; `applies` conditions and
 * must rules read only answers of questions that apply.
 */
export function applicableQuestions(template: Template, facts: SubjectFacts, answers: Answers = {}): Preview {
  const scope = templateScope(template);
  const subject = templateMatches(template, facts);
  const decisions: QuestionDecision[] = [];
  const effective: Record<string, unknown> = {};
  const ctx: EvalContext = { facts, answers: effective };
  const byId = new Map<string, QuestionDecision>();

  for (const question of template.questions) {
    const decide = (d: Omit<QuestionDecision, 'id' | 'section' | 'applies'>): void => {
      const decision = { id: question.id, section: question.section, applies: d.status === 'applies', ...d };
      decisions.push(decision);
      byId.set(question.id, decision);
      if (decision.applies && Object.hasOwn(answers, question.id)) effective[question.id] = answers[question.id];
    };
    if (!subject.matches) {
      decide({ status: 'excluded', reason: { ja: `様式の対象外: ${subject.reason.ja}`, en: `template not for this subject: ${subject.reason.en}` } });
      continue;
    }
    if (question.followUp) {
      const parent = byId.get(question.followUp.of);
      const when = question.followUp.when;
      if (!parent?.applies) {
        decide({
          status: parent?.status === 'pending' ? 'pending' : 'excluded',
          reason: { ja: `元の設問 ${question.followUp.of} が適用されないため`, en: `its parent question ${question.followUp.of} does not apply` },
        });
        continue;
      }
      if (!evaluate(when.ast, ctx)) {
        const pending = waitsForAnswer(when, ctx);
        const why = because(when, ctx, scope);
        decide({
          status: pending ? 'pending' : 'excluded',
          condition: when.text,
          reason: pending
            ? { ja: `設問 ${question.followUp.of} の回答待ち（追問の条件「${when.text}」）`, en: `waiting for the answer to ${question.followUp.of} (follow-up condition "${when.text}")` }
            : { ja: `追問の条件「${when.text}」が偽: ${why.ja}`, en: `follow-up condition "${when.text}" is false: ${why.en}` },
        });
        continue;
      }
    }
    if (question.applies && !evaluate(question.applies.ast, ctx)) {
      const cond = question.applies;
      const pending = waitsForAnswer(cond, ctx);
      const why = because(cond, ctx, scope);
      decide({
        status: pending ? 'pending' : 'excluded',
        condition: cond.text,
        reason: { ja: `適用条件「${cond.text}」が偽: ${why.ja}`, en: `condition "${cond.text}" is false: ${why.en}` },
      });
      continue;
    }
    const cond = question.applies ?? question.followUp?.when;
    const reason: LocalText = cond
      ? (() => {
          const why = because(cond, ctx, scope);
          return { ja: `条件「${cond.text}」が真: ${why.ja}`, en: `condition "${cond.text}" is true: ${why.en}` };
        })()
      : { ja: '常に適用（条件なし）', en: 'always applies (no condition)' };
    decide({
      status: 'applies',
      reason,
      ...(cond ? { condition: cond.text } : {}),
      must: mustLevelOn(question, facts, effective, scope),
      evidence: evidenceFor(question, { facts, answers: { ...effective, [question.id]: answers[question.id] } }),
    });
  }
  return {
    template: { id: template.id, version: template.version, key: template.key },
    subject,
    questions: decisions,
    applicable: decisions.filter((d) => d.applies).map((d) => d.id),
  };
}

/** The templates in use: for each id, its highest published version (what GET /questionnaire-templates lists). */
export function templatesInUse(templates: readonly Template[]): Template[] {
  const latest = new Map<string, Template>();
  for (const t of templates) {
    if (t.status !== 'published') continue;
    const current = latest.get(t.id);
    if (!current || t.version > current.version) latest.set(t.id, t);
  }
  return [...latest.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The templates in use that are meant for a subject (kind and the template's `when`), e.g. when issuing. */
export function templatesFor(templates: readonly Template[], facts: SubjectFacts): Template[] {
  return templatesInUse(templates).filter((t) => templateMatches(t, facts).matches);
}

/** Finds a template by id and version (any status), e.g. to re-open the snapshot an assessment was issued with. */
export function findTemplate(templates: readonly Template[], id: string, version?: number): Template | undefined {
  if (version === undefined) return templatesInUse(templates).find((t) => t.id === id);
  return templates.find((t) => t.id === id && t.version === version);
}
