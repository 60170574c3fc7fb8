import { isAnswered, isIsoDate } from '../conditions/index.js';
import { NA } from './schema.js';
import type { AnswerSpec } from './template.js';

/**
 * What an answer is worth under its question's answer type, as the template format defines it (README): a number of
 * points in [0, 1]; `'review'` when a reviewer decides (text, date, file, a number without thresholds); `'na'` for an
 * allowed 該当なし (it counts only once a reviewer accepts it); `null` when unanswered or not a valid answer.
 * Pure; the scoring module weighs, gates and sums.
 */
export function answerPoints(spec: AnswerSpec, value: unknown): number | 'review' | 'na' | null {
  if (!isAnswered(value)) return null;
  // A multiple-choice N/A may arrive as ['na'] from a form that always sends a list.
  if (value === NA || (Array.isArray(value) && value.length === 1 && value[0] === NA)) return spec.notApplicable ? 'na' : null;
  switch (spec.type) {
    case 'yes-no':
      if (value === 'yes') return 1;
      if (value === 'no') return 0;
      return value === 'partial' && spec.partial ? 0.5 : null;
    case 'single-choice':
      return spec.options.find((o) => o.id === value)?.points ?? null;
    case 'multiple-choice': {
      if (!Array.isArray(value)) return null;
      const chosen = new Set(value);
      const options = spec.options.filter((o) => chosen.has(o.id));
      if (options.length !== chosen.size) return null;
      const sum = options.reduce((total, o) => total + o.points, 0);
      return Math.min(1, Math.round(sum * 20) / 20);
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.min || value > spec.max) return null;
      if (spec.integer && !Number.isInteger(value)) return null;
      if (spec.thresholds.length === 0) return 'review';
      const hit = spec.thresholds.find((t) => (t.bound === 'max' ? value <= t.value : value >= t.value));
      return hit ? hit.points : spec.otherwise;
    }
    case 'date':
      return isIsoDate(value) ? 'review' : null;
    case 'text':
      return typeof value === 'string' && value.length <= spec.maxLength ? 'review' : null;
    case 'file':
      return 'review';
  }
}
