import mongoose, { Schema } from 'mongoose';
import { VersionedStore, type Versioned } from '../db/versioned.js';
import type { SubjectFacts, SubjectKind, Template } from '../questionnaires/index.js';
import type { AssessmentStatus } from './status.js';
import { isStub, loadSnapshot, storeSnapshot, type TemplateStub } from './template-snapshots.js';

export interface VendorLink {
  /** SHA-256 of the token; the token itself is shown once and never stored. */
  tokenHash: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface Assessment extends Versioned {
  subject: { kind: SubjectKind; id: string; name: string };
  departmentId: string | null;
  vendorName: string | null;
  templateId: string;
  templateVersion: number;
  /** The template as issued: answers are validated and scored against this, whatever the files say later. */
  template: Template;
  /** The subject's facts on the issue date (facts.date is that date, Asia/Tokyo). */
  facts: SubjectFacts;
  tier: { tier: 1 | 2 | 3 | 4; reasons: { code: string; text: string }[] };
  /** Questions that applied at issue, and those left out with the reason (for the record; follow-ups move with answers). */
  applicableAtIssue: string[];
  excludedAtIssue: { id: string; reason: { ja: string; en?: string } }[];
  issuedOn: string;
  dueDate: string;
  respondent: 'vendor' | 'staff';
  language: 'ja' | 'en';
  preparer: { id: string; name: string };
  status: AssessmentStatus;
  link: VendorLink | null;
  submittedAt: Date | null;
  clarification: { requestedAt: Date; message: string; by: string } | null;
  cancellation: { at: Date; reason: string; by: string } | null;
  decision: Record<string, unknown> | null;
}

export const AssessmentModel = mongoose.model<Assessment>(
  'Assessment',
  new Schema<Assessment>(
    {
      _id: String, version: Number, createdAt: Date, updatedAt: Date, archivedAt: Date,
      subject: Schema.Types.Mixed, departmentId: String, vendorName: String, templateId: String, templateVersion: Number,
      template: Schema.Types.Mixed, facts: Schema.Types.Mixed, tier: Schema.Types.Mixed,
      applicableAtIssue: [String], excludedAtIssue: Schema.Types.Mixed, issuedOn: String, dueDate: String,
      respondent: String, language: String, preparer: Schema.Types.Mixed, status: String, link: Schema.Types.Mixed,
      submittedAt: Date, clarification: Schema.Types.Mixed, cancellation: Schema.Types.Mixed, decision: Schema.Types.Mixed,
    },
    { collection: 'assessments', versionKey: false, minimize: false },
  ),
);

/** The snapshot of the template and facts is large and never changes: the audit shows it once, at issue. */
function redactAssessment(image: Record<string, unknown>): Record<string, unknown> {
  const { template, link, ...rest } = image;
  const t = template as Template | undefined;
  const l = link as VendorLink | null | undefined;
  return {
    ...rest,
    template: t ? `${t.id}@${t.version} (${t.sha256.slice(0, 12)})` : null,
    link: l ? { issuedAt: l.issuedAt, expiresAt: l.expiresAt, revokedAt: l.revokedAt } : null,
  };
}

type StoredDecision = { input?: { template?: Template | TemplateStub } } & Record<string, unknown>;

/** The template (and the one inside a decision's scoring input) is stored once as a snapshot, referenced by a stub. */
async function encodeAssessment(a: Assessment): Promise<Record<string, unknown>> {
  const template = isStub(a.template as Template | TemplateStub) ? a.template : await storeSnapshot(a.template);
  const decision = a.decision as StoredDecision | null;
  const input = decision?.input;
  return {
    ...a,
    template,
    decision: decision && input?.template ? { ...decision, input: { ...input, template: isStub(input.template) ? input.template : await storeSnapshot(input.template) } } : decision,
  };
}

async function decodeAssessment(stored: Record<string, unknown>): Promise<Assessment> {
  const a = stored as unknown as Assessment;
  const decision = a.decision as StoredDecision | null;
  const input = decision?.input;
  return {
    ...a,
    template: await loadSnapshot(a.template as Template | TemplateStub),
    decision: decision && input?.template ? { ...decision, input: { ...input, template: await loadSnapshot(input.template) } } : decision,
  };
}

export const assessmentStore = new VersionedStore<Assessment>('assessment', AssessmentModel, { redact: redactAssessment, encode: encodeAssessment, decode: decodeAssessment });
