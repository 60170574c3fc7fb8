/**
 * Documents: the annex 「情報セキュリティに関する特記事項」 (docx) from the clause library in exports/annex/, and the
 * registers 台帳 (xlsx) from the layouts in exports/registers/. Content loading is checked like questionnaire
 * templates; builders are pure; renderers are deterministic (annex) or streaming (registers). Formats:
 * exports/README.md.
 */
export { checkExports, type ExportsContent, loadExports } from './exports.js';
export { checkClauseLibrary, loadClauseLibrary } from './clauses.js';
export type { ClauseLibrary, LibraryClause, LibraryModule } from './clause-library.js';
export { PLACEHOLDERS, type PlaceholderName } from './clause-text.js';
export {
  checkRegisterLayouts,
  type ColumnKind,
  loadRegisterLayouts,
  REGISTER_IDS,
  type RegisterColumn,
  type RegisterFlag,
  type RegisterId,
  type RegisterLayout,
} from './layouts.js';
export { buildAnnex, DEFAULT_COURT, DEFAULT_DATA_LOCATION, DEFAULT_FIRST_REPORT_HOURS } from './annex/build.js';
export { renderAnnexDocx } from './annex/render-docx.js';
export { annexPreview, type AnnexPreview, type AnnexPreviewClause } from './annex/preview.js';
export {
  type AnnexAsset,
  type AnnexClause,
  type AnnexConditionInput,
  AnnexError,
  type AnnexInput,
  type AnnexModel,
  type AnnexParagraph,
  type AnnexParameters,
} from './annex/types.js';
export { REGISTER_DATE_NUMFMT, type RegisterMeta, writeRegister } from './registers/write.js';
export { RegisterValueError } from './registers/cells.js';
