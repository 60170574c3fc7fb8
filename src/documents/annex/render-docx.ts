/**
 * Renders an AnnexModel as a Word document in the form legal staff expect of a 契約書別紙: A4, 明朝 body with ゴシック
 * captions, 「（見出し）／第１条　…」 articles with plain-text numbering (Word's automatic numbering renumbers itself
 * when someone edits the file and breaks the references 第５条 printed in other clauses), the asset table (別表), a
 * signature block, the contract title in the header and 「- 1 -」 page numbers. Deterministic: every timestamp in the
 * file is the recorded issue time, so the same model and time give the same bytes.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Tab,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { setZipTimes } from '../zip.js';
import type { AnnexClause, AnnexModel } from './types.js';

// Names every Japanese Word installation has (Windows and Mac Office), set for East Asian text as well as Latin, so
// Word never substitutes a Western font for kana and kanji.
const MINCHO = 'ＭＳ 明朝';
const GOTHIC = 'ＭＳ ゴシック';
const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name, hint: 'eastAsia' });

/** Twips per character at 10.5pt, the size Japanese contracts are set in. */
const CHAR = 210;
const BODY_SIZE = 21; // half-points
/** A4 width less 25 mm margins each side, in twips. */
const TEXT_WIDTH = 9071;

/**
 * Lines are single-spaced with a little space after each paragraph: any line spacing (exact, multiple or a line
 * grid) made LibreOffice 7.4 leave keep-with-next captions alone at the foot of a page; paragraph spacing does not.
 */
const PARAGRAPH_AFTER = 60;

function body(text: string, indent: { left: number; hanging: number }, keepNext: boolean, after = PARAGRAPH_AFTER): Paragraph {
  return new Paragraph({ indent, ...(keepNext ? { keepNext } : {}), spacing: { after }, children: [new TextRun(text)] });
}

/**
 * A caption and its article; space between articles goes after an article rather than before the caption. The last
 * article keeps with the signature block, so the signatures never stand on a page without any clause text.
 */
function clauseParagraphs(clause: AnnexClause, last: boolean): Paragraph[] {
  const out = [new Paragraph({ indent: { left: CHAR }, keepNext: true, children: [new TextRun({ text: `（${clause.title}）`, font: font(GOTHIC) })] })];
  const lines = clause.paragraphs.flatMap((p, i) => [
    { text: `${i === 0 ? (clause.article ?? '') : (p.number ?? '')}　${p.text}`, indent: { left: CHAR, hanging: CHAR }, keepNext: p.items.length > 0 },
    ...p.items.map((item) => ({ text: item.number + item.text, indent: { left: CHAR * 4, hanging: CHAR * 3 }, keepNext: false })),
  ]);
  lines.forEach((line, i) => {
    const end = i === lines.length - 1;
    out.push(body(line.text, line.indent, last || line.keepNext, end ? (last ? 360 : 160) : PARAGRAPH_AFTER));
  });
  return out;
}

function signature(model: AnnexModel): Paragraph[] {
  const out = [
    new Paragraph({ indent: { firstLine: CHAR }, spacing: { after: 240 }, keepNext: true, children: [new TextRun(model.signature.statement)] }),
    new Paragraph({ indent: { left: CHAR * 2 }, spacing: { after: 240 }, keepNext: true, children: [new TextRun(model.signature.dateText)] }),
  ];
  const left = CHAR * 9;
  model.signature.parties.forEach((party, i) => {
    const last = i === model.signature.parties.length - 1;
    const line = (lead: string, label: string, value: string, seal: boolean, keepNext: boolean) =>
      new Paragraph({
        indent: { left, hanging: CHAR * 5 },
        keepNext,
        keepLines: true,
        tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
        spacing: { after: seal ? 240 : 0 },
        children: [new TextRun({ children: [`${lead}${label}　${value}`, ...(seal ? [new Tab(), '㊞'] : [])] })],
      });
    out.push(
      line(`${party.role}　`, '所在地', party.address, false, true),
      line('　　', '名　称', party.name, false, true),
      line('　　', '代表者', party.representative, true, !last),
    );
  });
  return out;
}

function cell(text: string, width: number, options: { header?: boolean; center?: boolean } = {}): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlign.CENTER,
    ...(options.header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'D9D9D9' } } : {}),
    children: [
      new Paragraph({
        alignment: options.center || options.header ? AlignmentType.CENTER : AlignmentType.LEFT,
        children: [new TextRun({ text, size: 18, ...(options.header ? { font: font(GOTHIC) } : {}) })],
      }),
    ],
  });
}

const ASSET_COLUMNS: { header: string; width: number; key: keyof AnnexModel['assets']['rows'][number] }[] = [
  { header: '番号', width: 600, key: 'number' },
  { header: '情報資産の名称', width: 2771, key: 'name' },
  { header: '機密性', width: 1300, key: 'confidentiality' },
  { header: '完全性', width: 1000, key: 'integrity' },
  { header: '可用性', width: 1000, key: 'availability' },
  { header: '個人情報', width: 1000, key: 'personalData' },
  { header: '特定個人情報', width: 1400, key: 'myNumber' },
];

function assetTable(model: AnnexModel): (Paragraph | Table)[] {
  const title = new Paragraph({ spacing: { after: 120 }, children: [new TextRun({ text: model.assets.title, font: font(GOTHIC) })] });
  if (model.assets.rows.length === 0) return [title, new Paragraph({ indent: { firstLine: CHAR }, children: [new TextRun(model.assets.none)] })];
  const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const table = new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: ASSET_COLUMNS.map((c) => c.width),
    layout: TableLayoutType.FIXED,
    borders: { top: line, bottom: line, left: line, right: line, insideHorizontal: line, insideVertical: line },
    rows: [
      new TableRow({ tableHeader: true, children: ASSET_COLUMNS.map((c) => cell(c.header, c.width, { header: true })) }),
      ...model.assets.rows.map((row) => new TableRow({ cantSplit: true, children: ASSET_COLUMNS.map((c) => cell(row[c.key], c.width, { center: c.key !== 'name' })) })),
    ],
  });
  return [title, table];
}

const xmlEscape = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** docProps/core.xml with the issue time as created and modified (docx would write the time of rendering). */
function coreProperties(model: AnnexModel, issuedAt: Date): string {
  const when = issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xmlEscape(model.title)}</dc:title><dc:subject>${xmlEscape(model.contract.title)}</dc:subject><dc:creator>Itaku</dc:creator>` +
    `<cp:keywords>clause-library ${model.library.version} ${model.library.sha256}</cp:keywords><cp:lastModifiedBy>Itaku</cp:lastModifiedBy><cp:revision>1</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/** The annex as a .docx. `issuedAt` (the recorded issue time) is the only time written into the file. */
export async function renderAnnexDocx(model: AnnexModel, options: { issuedAt: Date }): Promise<Buffer> {
  const { issuedAt } = options;
  if (!(issuedAt instanceof Date) || Number.isNaN(issuedAt.getTime())) throw new RangeError('issuedAt must be a valid Date');
  const applying = model.clauses.filter((c) => c.applies);
  const doc = new Document({
    creator: 'Itaku',
    title: model.title,
    styles: {
      default: {
        document: {
          run: { font: font(MINCHO), size: BODY_SIZE, language: { value: 'ja-JP', eastAsia: 'ja-JP' } },
          paragraph: { alignment: AlignmentType.BOTH, spacing: { after: PARAGRAPH_AFTER } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            // Twips rather than '30mm': older Word reads only numbers here. 30 mm top, 25 mm sides and bottom.
            margin: { top: 1701, bottom: 1417, left: 1417, right: 1417, header: 850, footer: 680 },
          },
        },
        headers: {
          default: new Header({
            children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: model.header, size: 18 })] })],
          }),
        },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['- ', PageNumber.CURRENT, ' -'] })] })],
          }),
        },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 360 },
            children: [new TextRun({ text: model.title, font: font(GOTHIC), size: 28 })],
          }),
          ...applying.flatMap((clause, i) => clauseParagraphs(clause, i === applying.length - 1)),
          ...signature(model),
          new Paragraph({ children: [new PageBreak()] }),
          ...assetTable(model),
        ],
      },
    ],
  });
  const packed = await Packer.toBuffer(doc, undefined, [{ path: 'docProps/core.xml', data: coreProperties(model, issuedAt) }]);
  return setZipTimes(packed, issuedAt);
}
