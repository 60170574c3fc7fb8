/**
 * The assessment status flow of CONTRACT.md:
 * draft → issued → in_progress → submitted → under_review → decided, with under_review → clarification_requested →
 * in_progress, and cancelled from any state before decided. Anything else is illegal (409).
 */
export const STATUSES = ['draft', 'issued', 'in_progress', 'submitted', 'under_review', 'clarification_requested', 'decided', 'cancelled'] as const;
export type AssessmentStatus = (typeof STATUSES)[number];

const NEXT: Record<AssessmentStatus, readonly AssessmentStatus[]> = {
  draft: ['issued', 'cancelled'],
  issued: ['in_progress', 'submitted', 'cancelled'],
  in_progress: ['submitted', 'cancelled'],
  submitted: ['under_review', 'cancelled'],
  under_review: ['clarification_requested', 'decided', 'cancelled'],
  clarification_requested: ['in_progress', 'submitted', 'cancelled'],
  decided: [],
  cancelled: [],
};

export function canTransition(from: AssessmentStatus, to: AssessmentStatus): boolean {
  return NEXT[from].includes(to);
}

/** Statuses in which the respondent may still change answers. */
export const ANSWERABLE: readonly AssessmentStatus[] = ['issued', 'in_progress', 'clarification_requested'];
/** Statuses in which reviewers act on answers. */
export const REVIEWABLE: readonly AssessmentStatus[] = ['submitted', 'under_review'];

export const STATUS_LABELS: Record<AssessmentStatus, { ja: string; en: string }> = {
  draft: { ja: '下書き', en: 'draft' },
  issued: { ja: '発行済み（未回答）', en: 'issued' },
  in_progress: { ja: '回答中', en: 'in progress' },
  submitted: { ja: '提出済み', en: 'submitted' },
  under_review: { ja: '審査中', en: 'under review' },
  clarification_requested: { ja: '確認依頼中', en: 'clarification requested' },
  decided: { ja: '判断済み', en: 'decided' },
  cancelled: { ja: '取消し', en: 'cancelled' },
};
