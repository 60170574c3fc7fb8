/**
 * Templates as JSON for `GET /api/v1/questionnaire-templates` (the route itself is wired elsewhere): conditions as
 * the text their authors wrote, with a Japanese reading; no syntax trees, no file paths.
 */
import { describe } from '../conditions/index.js';
import { describeRule } from './must.js';
import { type CompiledCondition, type Question, type Template, templateScope } from './template.js';

type ConditionView = { text: string; description: { ja: string; en: string } };

function conditionView(cond: CompiledCondition | undefined, template: Template): ConditionView | undefined {
  if (!cond) return undefined;
  const scope = templateScope(template);
  return { text: cond.text, description: { ja: describe(cond.ast, { lang: 'ja', scope }), en: describe(cond.ast, { lang: 'en', scope }) } };
}

function presentQuestion(q: Question, template: Template) {
  const scope = templateScope(template);
  return {
    id: q.id,
    text: q.text,
    help: q.help,
    answer: q.answer,
    weight: q.weight,
    must: {
      level: q.must.level,
      rules: q.must.rules.map((r) => ({
        level: r.level,
        when: r.when?.text,
        from: r.from,
        description: describeRule(r, scope),
      })),
    },
    evidence: { level: q.evidence.level, what: q.evidence.what, when: conditionView(q.evidence.when, template) },
    applies: conditionView(q.applies, template),
    followUp: q.followUp ? { of: q.followUp.of, when: conditionView(q.followUp.when, template) } : undefined,
    sources: q.sources,
  };
}

/** One template with its sections and questions. */
export function presentTemplate(template: Template) {
  const byId = new Map(template.questions.map((q) => [q.id, q]));
  return {
    id: template.id,
    version: template.version,
    key: template.key,
    status: template.status,
    title: template.title,
    notes: template.notes,
    subjects: template.subjects,
    respondent: template.respondent,
    when: conditionView(template.when, template),
    sha256: template.sha256,
    sections: template.sections.map((s) => ({
      id: s.id,
      title: s.title,
      questions: s.questionIds.flatMap((id) => {
        const q = byId.get(id);
        return q ? [presentQuestion(q, template)] : [];
      }),
    })),
  };
}

export type TemplateView = ReturnType<typeof presentTemplate>;

/** A short entry per template, for lists. */
export function presentTemplateSummary(template: Template) {
  return {
    id: template.id,
    version: template.version,
    key: template.key,
    status: template.status,
    title: template.title,
    subjects: template.subjects,
    respondent: template.respondent,
    questionCount: template.questions.length,
    sha256: template.sha256,
  };
}
