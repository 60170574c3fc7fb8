/**
 * Decides the annex: which clauses apply to this subject and why, their final numbering (第１条…, only applying
 * clauses are counted, so numbers stay continuous), their text with placeholders filled and references resolved,
 * the decision's conditions, the table of information assets and the signature block. Pure: same input, same model.
 */
import { describe, explain, explainText, type Expr, evaluate } from '../../conditions/index.js';
import { toFullWidthDigits, toWareki } from '../../shared/wareki.js';
import { annexFacts, annexScope } from '../annex-scope.js';
import type { LibraryCondition } from '../clause-library.js';
import { type PlaceholderValues, renderClauseText } from '../clause-text.js';
import { both } from '../implication.js';
import { checkAnnexInput } from './input.js';
import type { AnnexAssetRow, AnnexClause, AnnexInput, AnnexModel, AnnexParagraph } from './types.js';

/** Parameter defaults when the input gives none: within 24 hours, data in Japan, the court of the municipality's seat. */
export const DEFAULT_FIRST_REPORT_HOURS = 24;
export const DEFAULT_DATA_LOCATION = '日本国内';
export const DEFAULT_COURT = '甲の所在地を管轄する地方裁判所';

/** 全角 和暦: 令和８年４月１日. */
export const warekiText = (date: string): string => toWareki(date, { fullWidth: true });
const article = (n: number): string => `第${toFullWidthDigits(String(n))}条`;
const itemNumber = (n: number): string => `（${toFullWidthDigits(String(n))}）`;
/** Level names as they read in a Japanese table: 3B → ３Ｂ. */
const fullWidth = (s: string): string => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function assetRows(input: AnnexInput): AnnexAssetRow[] {
  return input.assets.map((a, i) => ({
    number: toFullWidthDigits(String(i + 1)),
    name: a.name,
    confidentiality: `機密性${fullWidth(a.confidentiality.level)}`,
    integrity: `完全性${fullWidth(String(a.integrity))}`,
    availability: `可用性${fullWidth(String(a.availability))}`,
    personalData: a.personalData || a.myNumber ? '○' : '－',
    myNumber: a.myNumber ? '○' : '－',
  }));
}

/** Builds the annex model. Throws AnnexError for bad input or a 約款型 service. */
export function buildAnnex(input: AnnexInput): AnnexModel {
  checkAnnexInput(input);
  const library = input.clauseLibrary;
  const date = input.contract.start ?? input.issueDate;
  const scope = annexScope();
  const ctx = { facts: annexFacts(input.facts, date, input.conditions.length > 0) };
  const holds = (c: LibraryCondition | undefined): boolean => !c || evaluate(c.ast, ctx);

  const parameters = {
    firstReportHours: input.parameters?.firstReportHours ?? DEFAULT_FIRST_REPORT_HOURS,
    dataLocation: input.parameters?.dataLocation ?? DEFAULT_DATA_LOCATION,
    court: input.parameters?.court ?? DEFAULT_COURT,
  };
  const values: PlaceholderValues = {
    municipality: input.municipality.name,
    mayorTitle: input.municipality.mayorTitle,
    vendor: input.vendor.name,
    contractTitle: input.contract.title,
    contractStart: input.contract.start ? warekiText(input.contract.start) : '本契約の締結の日',
    contractEnd: input.contract.end ? warekiText(input.contract.end) : '本契約の終了の日',
    annexDate: warekiText(date),
    firstReportHours: toFullWidthDigits(String(parameters.firstReportHours)),
    dataLocation: parameters.dataLocation,
    court: parameters.court,
  };
  const conditions = input.conditions.map((c, i) => ({
    number: itemNumber(i + 1),
    text: c.text.trim(),
    dueDate: c.dueDate,
    dueDateText: warekiText(c.dueDate),
  }));

  // First pass: which clauses apply, so references can name final numbers.
  const modules = new Map(library.modules.map((m) => [m.id, m]));
  let next = 1;
  const decided = library.clauses.map((clause) => {
    const mod = modules.get(clause.moduleId);
    const when: Expr | undefined = both(mod?.when?.ast, clause.when?.ast);
    const explanation = when ? explain(when, ctx) : undefined;
    const applies = explanation ? explanation.value : true;
    return {
      clause,
      moduleLabel: mod?.label ?? clause.moduleId,
      when,
      applies,
      reason: explanation ? explainText(explanation, { scope }) : '条件なし（全ての特記事項に含まれます）',
      number: applies ? next++ : null,
    };
  });
  const numbers = new Map(decided.flatMap((d) => (d.number === null ? [] : [[d.clause.id, article(d.number)] as const])));
  const render = (segments: Parameters<typeof renderClauseText>[0]): string => renderClauseText(segments, values, (id) => numbers.get(id));

  const clauses = decided.map((d): AnnexClause => {
    const paragraphs: AnnexParagraph[] = [];
    if (d.applies) {
      for (const p of d.clause.paragraphs.filter((p) => holds(p.when))) {
        const items = p.items.filter((item) => holds(item.when)).map((item) => render(item.segments));
        if (p.listOf === 'conditions') items.push(...conditions.map((c) => `${c.text}（期限　${c.dueDateText}）`));
        paragraphs.push({
          number: paragraphs.length === 0 ? null : toFullWidthDigits(String(paragraphs.length + 1)),
          text: render(p.segments),
          items: items.map((text, i) => ({ number: itemNumber(i + 1), text })),
        });
      }
    }
    return {
      id: d.clause.id,
      moduleId: d.clause.moduleId,
      module: d.moduleLabel,
      title: d.clause.title,
      applies: d.applies,
      condition: d.when ? describe(d.when, { scope }) : null,
      reason: d.reason,
      number: d.number,
      article: d.number === null ? null : article(d.number),
      paragraphs,
    };
  });

  const contract = {
    title: input.contract.title,
    number: input.contract.number ?? null,
    start: input.contract.start ?? null,
    end: input.contract.end ?? null,
  };
  const dateText = warekiText(date);
  return {
    format: 'itaku-annex@1',
    library: { version: library.version, sha256: library.sha256 },
    title: library.title,
    header: contract.number ? `${contract.title}（契約番号　${contract.number}）` : contract.title,
    contract,
    date,
    dateText,
    parameters,
    clauses,
    conditions,
    assets: { title: library.assets.title, none: library.assets.none, rows: assetRows(input) },
    signature: {
      statement: renderClauseText(library.signatureStatement, values, () => undefined),
      dateText,
      parties: [
        { role: '甲', address: input.municipality.address, name: input.municipality.name, representative: input.municipality.mayorTitle },
        { role: '乙', address: input.vendor.address, name: input.vendor.name, representative: input.vendor.representative ?? '' },
      ],
    },
  };
}
