/** Names shared by the writer, the parse child and the import check; kept free of imports so the child loads fast. */
export const WORKBOOK_FORMAT = 'itaku-workbook/1';
export const BINDING_SHEET = '_itaku';
export const LISTS_SHEET = '_lists';
/** Columns of the question sheet (1-based): 設問ID | 節 | 設問 | 説明 | 必須 | 回答形式 | 回答 | 補足 | 証跡の参照. */
export const COL = { id: 1, section: 2, text: 3, help: 4, must: 5, format: 6, answer: 7, comment: 8, evidence: 9 } as const;
export const HEADER_ROW = 1;
/** Keys of the binding sheet, one per row in column A (values in B), in this order. */
export const BINDING_KEYS = ['format', 'assessmentId', 'templateId', 'templateVersion', 'language', 'sheet', 'generatedAt', 'signature'] as const;
/** Where the binding names the question sheet. */
export const SHEET_NAME_CELL = `B${BINDING_KEYS.indexOf('sheet') + 1}`;
