/**
 * The annex as plain data: what a caller supplies (AnnexInput, a view of the records — wiring it is a mapping) and
 * what buildAnnex decides (AnnexModel: every clause, whether it applies and why, with final numbering and text).
 * Renderers only read the model, so a stored model or input regenerates the same document.
 */
import type { SubjectFacts } from '../../questionnaires/facts.js';
import type { ClauseLibrary } from '../clause-library.js';

/** One kind of information handled, as recorded on the subject (an InformationAsset is assignable as it is). */
export interface AnnexAsset {
  name: string;
  /** The level name in the installation's scheme ('3B', '2', …). */
  confidentiality: { level: string };
  integrity: 1 | 2;
  availability: 1 | 2;
  personalData: boolean;
  myNumber: boolean;
}

/** A condition of the decision (条件付き承認) with its deadline. */
export interface AnnexConditionInput {
  text: string;
  /** YYYY-MM-DD. */
  dueDate: string;
}

/** Wording the municipality chooses per contract; each has a default. */
export interface AnnexParameters {
  /** Hours within which the first incident report is due; default 24. */
  firstReportHours?: number;
  /** Where data may be stored, as it reads in the clause; default 日本国内. */
  dataLocation?: string;
  /** The agreed court, as it reads in the clause; default 甲の所在地を管轄する地方裁判所. */
  court?: string;
}

/** Everything an annex is built from: a view of the records, mapped by the routes. */
export interface AnnexInput {
  municipality: { name: string; mayorTitle: string; address: string };
  vendor: { name: string; address: string; representative?: string | null };
  contract: { title: string; number?: string | null; start?: string | null; end?: string | null };
  /** The subject's facts; `date` is replaced by the annex date when clause conditions are evaluated. */
  facts: SubjectFacts;
  assets: readonly AnnexAsset[];
  conditions: readonly AnnexConditionInput[];
  parameters?: AnnexParameters;
  /** YYYY-MM-DD (Asia/Tokyo): the day the annex is issued. */
  issueDate: string;
  clauseLibrary: ClauseLibrary;
}

/** A 項: the first has no number; later ones are ２, ３ … (全角). */
export interface AnnexParagraph {
  number: string | null;
  text: string;
  /** 号: （１）（２）… */
  items: { number: string; text: string }[];
}

/** One clause of the library as decided for this annex. */
export interface AnnexClause {
  id: string;
  moduleId: string;
  /** The module's label, e.g. 「C1 クラウドサービス（機密性2以上）」. */
  module: string;
  title: string;
  applies: boolean;
  /** The condition in words, or null for a clause of every annex. */
  condition: string | null;
  /** Why it applies or not, from the condition's explanation (e.g. 「…が 2 以上: 真（… = 3）」). */
  reason: string;
  /** 1-based article number among the applying clauses; null when the clause does not apply. */
  number: number | null;
  /** 「第５条」, or null. */
  article: string | null;
  /** Final text (placeholders filled, references resolved); empty when the clause does not apply. */
  paragraphs: AnnexParagraph[];
}

/** One row of the 別表 of information assets, as printed. */
export interface AnnexAssetRow {
  number: string;
  name: string;
  confidentiality: string;
  integrity: string;
  availability: string;
  personalData: string;
  myNumber: string;
}

/** One party of the signature block. */
export interface AnnexSignatory {
  role: '甲' | '乙';
  address: string;
  name: string;
  representative: string;
}

/** The decided annex: everything a renderer needs, and nothing it has to decide. */
export interface AnnexModel {
  format: 'itaku-annex@1';
  library: { version: number; sha256: string };
  title: string;
  /** Running header: the contract title (and number). */
  header: string;
  contract: { title: string; number: string | null; start: string | null; end: string | null };
  /** The annex date: the contract start, else the issue date (YYYY-MM-DD), and as 全角 和暦. */
  date: string;
  dateText: string;
  parameters: { firstReportHours: number; dataLocation: string; court: string };
  /** Every clause of the library in order, applying or not. */
  clauses: AnnexClause[];
  conditions: { number: string; text: string; dueDate: string; dueDateText: string }[];
  assets: { title: string; none: string; rows: AnnexAssetRow[] };
  signature: { statement: string; dateText: string; parties: AnnexSignatory[] };
}

/** `terms_service`: a 約款型 service has no contract to attach an annex to (the route answers 409). */
export class AnnexError extends Error {
  override readonly name = 'AnnexError';
  constructor(
    readonly code: 'invalid_input' | 'terms_service',
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}
