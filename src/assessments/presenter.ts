import type { Assessment } from './assessment.model.js';
import type { Answer } from './answers.model.js';
import type { EvidenceFile } from './evidence.js';
import type { QuestionReview } from './review.js';
import { currentView } from './respond.js';
import { evidenceOf } from './evidence.js';
import { reviewsOf } from './review.js';
import { STATUS_LABELS } from './status.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

function presentFile(f: EvidenceFile) {
  return { id: f._id, filename: f.filename, contentType: f.contentType, size: f.size, sha256: f.sha256, uploadedAt: iso(f.createdAt)! };
}

function presentAnswer(a: Answer | undefined) {
  return a ? { value: a.value, comment: a.comment, version: a.version, updatedAt: iso(a.updatedAt)!, by: a.by.name ?? a.by.kind } : null;
}

export function summary(a: Assessment) {
  return {
    id: a._id,
    version: a.version,
    status: a.status,
    statusLabel: STATUS_LABELS[a.status].ja,
    subject: a.subject,
    departmentId: a.departmentId,
    vendorName: a.vendorName,
    template: { id: a.templateId, version: a.templateVersion, title: a.template.title.ja },
    issuedOn: a.issuedOn,
    dueDate: a.dueDate,
    respondent: a.respondent,
    language: a.language,
    tier: a.tier.tier,
    submittedAt: iso(a.submittedAt),
    updatedAt: iso(a.updatedAt)!,
  };
}

/**
 * Everything staff see of an assessment: the questions as they apply now (with why), answers, files, review state,
 * the questions left out at issue and the link's state (never the token).
 */
export async function presentForStaff(a: Assessment) {
  const [{ answers, preview }, files, reviews] = await Promise.all([currentView(a), evidenceOf(a._id), reviewsOf(a)]);
  const byQ = new Map(answers.map((x) => [x.questionId, x]));
  const reviewByQ = new Map(reviews.map((r) => [r.questionId, r]));
  return {
    ...summary(a),
    tierReasons: a.tier.reasons,
    facts: a.facts,
    preparer: a.preparer,
    link: a.link ? { issuedAt: iso(a.link.issuedAt)!, expiresAt: iso(a.link.expiresAt)!, revokedAt: iso(a.link.revokedAt), active: !a.link.revokedAt && new Date(a.link.expiresAt) > new Date() } : null,
    clarification: a.clarification ? { ...a.clarification, requestedAt: iso(a.clarification.requestedAt)! } : null,
    cancellation: a.cancellation ? { ...a.cancellation, at: iso(a.cancellation.at)! } : null,
    decision: a.decision,
    excludedAtIssue: a.excludedAtIssue,
    questions: preview.questions.map((d) => {
      const q = a.template.questions.find((x) => x.id === d.id)!;
      const review = reviewByQ.get(d.id);
      return {
        id: d.id,
        section: d.section,
        text: q.text,
        help: q.help ?? null,
        answerType: q.answer.type,
        weight: q.weight,
        applies: d.applies,
        status: d.status,
        reason: d.reason,
        must: d.must ? { level: d.must.level, reason: d.must.reason } : null,
        evidence: d.evidence ?? 'none',
        answer: presentAnswer(byQ.get(d.id)),
        files: files.filter((f) => f.questionId === d.id).map(presentFile),
        review: review ? presentReview(review) : null,
      };
    }),
    progress: progress(preview.questions.filter((d) => d.applies).map((d) => d.id), byQ, files),
  };
}

function presentReview(r: QuestionReview) {
  return {
    version: r.version,
    answer: r.answer ? { ...r.answer, at: iso(r.answer.at)! } : null,
    notApplicable: r.notApplicable ? { ...r.notApplicable, at: iso(r.notApplicable.at)! } : null,
    evidence: r.evidence ? { ...r.evidence, at: iso(r.evidence.at)! } : null,
    exception: r.exception ? { ...r.exception, at: iso(r.exception.at)! } : null,
    comments: r.comments.map((c) => ({ ...c, at: iso(c.at)! })),
  };
}

function progress(applicable: string[], answers: Map<string, Answer>, files: EvidenceFile[]) {
  const answered = applicable.filter((id) => (answers.get(id)?.value ?? null) !== null || files.some((f) => f.questionId === id)).length;
  return { answered, applicable: applicable.length };
}

/**
 * What the respondent sees: questions in the assessment's language, their answers and files, and the reviewers'
 * comments meant for them — never scores, verdicts, exceptions, the tier or internal notes.
 */
export async function presentForRespondent(a: Assessment) {
  const [{ answers, preview }, files, reviews] = await Promise.all([currentView(a), evidenceOf(a._id), reviewsOf(a)]);
  const lang = a.language;
  const pick = (t: { ja: string; en?: string } | undefined) => (t ? (lang === 'en' && t.en ? t.en : t.ja) : null);
  const byQ = new Map(answers.map((x) => [x.questionId, x]));
  const reviewByQ = new Map(reviews.map((r) => [r.questionId, r]));
  const applicable = preview.questions.filter((d) => d.applies);
  return {
    status: a.status,
    statusLabel: lang === 'en' ? STATUS_LABELS[a.status].en : STATUS_LABELS[a.status].ja,
    language: lang,
    title: pick(a.template.title),
    subjectName: a.subject.name,
    vendorName: a.vendorName,
    dueDate: a.dueDate,
    editable: ['issued', 'in_progress', 'clarification_requested'].includes(a.status),
    clarification: a.clarification && a.status !== 'decided' ? { message: a.clarification.message, requestedAt: iso(a.clarification.requestedAt)! } : null,
    sections: a.template.sections
      .map((s) => ({
        id: s.id,
        title: pick(s.title),
        questions: applicable
          .filter((d) => d.section === s.id)
          .map((d) => {
            const q = a.template.questions.find((x) => x.id === d.id)!;
            return {
              id: q.id,
              text: pick(q.text),
              help: pick(q.help),
              answer: q.answer,
              required: d.must ? d.must.level !== '△' : false,
              mustLevel: d.must?.level ?? '△',
              evidence: d.evidence ?? 'none',
              followUpOf: q.followUp?.of ?? null,
              current: presentAnswer(byQ.get(q.id)),
              files: files.filter((f) => f.questionId === q.id).map(presentFile),
              comments: (reviewByQ.get(q.id)?.comments ?? []).filter((c) => c.visibleToRespondent).map((c) => ({ text: c.text, at: iso(c.at)! })),
            };
          }),
      }))
      .filter((s) => s.questions.length > 0),
    progress: progress(applicable.map((d) => d.id), byQ, files),
  };
}
