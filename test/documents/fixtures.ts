/**
 * Annex inputs for the documents tests: a municipality, a vendor, a contract and the subject's facts, built from the
 * shipped clause library. Each test overrides only what it is about.
 */
import { checkClauseLibrary } from '../../src/documents/clauses.js';
import type { ClauseLibrary } from '../../src/documents/clause-library.js';
import type { AnnexInput } from '../../src/documents/annex/types.js';
import { facts } from '../fixtures/questionnaires/subjects.js';
import type { SubjectFacts } from '../../src/questionnaires/facts.js';

let shipped: ClauseLibrary | undefined;

/** The shipped library (loaded once per test file); fails loudly if it has problems. */
export function shippedLibrary(): ClauseLibrary {
  if (!shipped) {
    const { library, problems } = checkClauseLibrary(['.']);
    if (!library) throw new Error(`shipped clause library has problems:\n${problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n')}`);
    shipped = library;
  }
  return shipped;
}

export function annexInput(overrides: Partial<AnnexInput> & { facts?: Partial<SubjectFacts> } = {}): AnnexInput {
  const { facts: factOverrides, ...rest } = overrides;
  return {
    municipality: { name: '架空市', mayorTitle: '架空市長　山田　太郎', address: '架空県架空市本町一丁目１番１号' },
    vendor: { name: '株式会社テスト情報システム', address: '東京都千代田区丸の内一丁目２番３号', representative: '代表取締役　佐藤　花子' },
    contract: { title: '住民記録システム運用保守業務委託', number: 'R8-情-0012', start: '2026-04-01', end: '2027-03-31' },
    facts: facts({ personalData: true, ...factOverrides }),
    assets: [
      { name: '住民基本台帳データ', confidentiality: { level: '3B' }, integrity: 2, availability: 2, personalData: true, myNumber: true },
      { name: '操作ログ', confidentiality: { level: '2' }, integrity: 2, availability: 1, personalData: false, myNumber: false },
    ],
    conditions: [],
    issueDate: '2026-03-10',
    clauseLibrary: shippedLibrary(),
    ...rest,
  };
}
