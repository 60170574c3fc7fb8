import type { AnnexModel } from './types.js';

/** One clause in the `?format=json` preview. */
export interface AnnexPreviewClause {
  id: string;
  module: string;
  title: string;
  applies: boolean;
  /** 「第５条」 when the clause applies. */
  article: string | null;
  condition: string | null;
  reason: string;
}

/** The `?format=json` answer of the annex routes: which clauses were chosen and why, without their text. */
export interface AnnexPreview {
  format: 'itaku-annex-preview@1';
  library: { version: number; sha256: string };
  title: string;
  contractTitle: string;
  date: string;
  dateText: string;
  applying: number;
  clauses: AnnexPreviewClause[];
  conditions: { text: string; dueDate: string }[];
}

/** The preview of a built annex (explicit fields, so the JSON does not change shape when the model grows). */
export function annexPreview(model: AnnexModel): AnnexPreview {
  return {
    format: 'itaku-annex-preview@1',
    library: { ...model.library },
    title: model.title,
    contractTitle: model.contract.title,
    date: model.date,
    dateText: model.dateText,
    applying: model.clauses.filter((c) => c.applies).length,
    clauses: model.clauses.map((c) => ({
      id: c.id,
      module: c.module,
      title: c.title,
      applies: c.applies,
      article: c.article,
      condition: c.condition,
      reason: c.reason,
    })),
    conditions: model.conditions.map((c) => ({ text: c.text, dueDate: c.dueDate })),
  };
}
