/**
 * Assessments for the workbook tests, written to the real database with a shipped template and fixture facts
 * (records are built elsewhere; the workbook only needs an issued assessment).
 */
import crypto from 'node:crypto';
import { cliContext } from '../../src/audit/actor.js';
import { loadAppContent } from '../../src/content.js';
import { assessmentStore, type Assessment } from '../../src/assessments/assessment.model.js';
import { issueLink } from '../../src/assessments/links.js';
import { applicableQuestions, type SubjectFacts, type Template } from '../../src/questionnaires/index.js';
import { myNumberSystemWork } from '../fixtures/questionnaires/subjects.js';

export function shippedTemplate(id: string): Template {
  const t = loadAppContent().templates.find((x) => x.id === id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
}

export interface AssessmentOptions {
  template?: Template;
  facts?: SubjectFacts;
  language?: 'ja' | 'en';
  departmentId?: string | null;
  subjectName?: string;
}

export async function makeAssessment(o: AssessmentOptions = {}): Promise<Assessment> {
  const template = o.template ?? shippedTemplate('outsourcing');
  const facts = o.facts ?? myNumberSystemWork();
  const preview = applicableQuestions(template, facts, {});
  return assessmentStore.create(cliContext('test'), 'assessment.issue', {
    subject: { kind: facts.kind, id: crypto.randomBytes(12).toString('hex'), name: o.subjectName ?? '住民記録システム運用保守業務' },
    departmentId: o.departmentId ?? null,
    vendorName: '株式会社テスト情報システム',
    templateId: template.id,
    templateVersion: template.version,
    template,
    facts,
    tier: { tier: 3, reasons: [] },
    applicableAtIssue: preview.applicable,
    excludedAtIssue: preview.questions.filter((q) => !q.applies).map((q) => ({ id: q.id, reason: q.reason })),
    issuedOn: facts.date,
    dueDate: '2027-03-31',
    respondent: template.respondent,
    language: o.language ?? 'ja',
    preparer: { id: 'test', name: 'テスト 太郎' },
    status: 'issued',
    link: null,
    submittedAt: null,
    clarification: null,
    cancellation: null,
    decision: null,
  });
}

/** A vendor link for the assessment (the assessment changes version: re-read it after). */
export async function linkFor(a: Assessment): Promise<string> {
  return (await issueLink(cliContext('test'), (await assessmentStore.get(a._id))!)).token;
}
