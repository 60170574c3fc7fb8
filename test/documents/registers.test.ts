import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { loadRegisterLayouts, REGISTER_DATE_NUMFMT, RegisterValueError, writeRegister } from '../../src/documents/index.js';
import { readZipEntry, zipEntries } from '../../src/documents/zip.js';

const layouts = loadRegisterLayouts(['.']);
const engagements = layouts.get('engagements')!;
const meta = { title: '委託先台帳', municipality: '架空市', issuedOn: '2026-11-25' };
const HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3', "'quoted"];

async function write(rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>, layout = engagements): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeRegister(layout, rows, out, meta);
  await finished(out); // writeRegister ends its output
  return Buffer.concat(chunks);
}
const sheetXml = (xlsx: Buffer): string => readZipEntry(xlsx, zipEntries(xlsx).find((e) => e.name.endsWith('worksheets/sheet1.xml'))!).toString('utf8');
async function read(xlsx: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  return wb.worksheets[0]!;
}

const row = {
  contractNumber: 'R8-情-0012',
  title: HOSTILE[0],
  vendor: HOSTILE[1],
  department: HOSTILE[2],
  responsiblePerson: HOSTILE[3],
  classification: HOSTILE[4],
  periodStart: '2019-05-01',
  periodEnd: '2027-03-31',
  personalData: true,
  myNumber: false,
  subcontractors: ['株式会社Ａ', '=B社'],
  tier: 4,
  nextReviewDate: '2026-03-31',
  _overdue: true,
  _inactive: false,
  endOfContract: null,
};

test('text that looks like a formula stays that exact text: no <f>, no apostrophe, read back unchanged', async () => {
  const xlsx = await write([row]);
  const xml = sheetXml(xlsx);
  assert.equal(/<f[ >]/.test(xml), false, 'no formula element');
  assert.match(xml, /<t>=HYPERLINK\(&quot;http:\/\/x&quot;,&quot;y&quot;\)<\/t>/);
  const ws = await read(xlsx);
  const r = ws.getRow(4);
  assert.deepEqual([2, 3, 4, 5, 8].map((c) => r.getCell(c).text), HOSTILE);
  for (const c of [2, 3, 4, 5, 8]) assert.notEqual(r.getCell(c).type, ExcelJS.ValueType.Formula);
  assert.equal(r.getCell(12).text, '株式会社Ａ、=B社', 'a list is joined, its items are text too');
});

test('title, issue date in 和暦, frozen header with an auto filter, widths, and print setup', async () => {
  const xlsx = await write([row, { ...row, contractNumber: 'R8-2' }]);
  const ws = await read(xlsx);
  assert.equal(ws.getCell('A1').text, '架空市　委託先台帳');
  assert.equal(ws.getCell('A2').text, '令和8年11月25日現在');
  assert.deepEqual(engagements.columns.map((_, i) => ws.getRow(3).getCell(i + 1).text), engagements.columns.map((c) => c.header));
  assert.equal(ws.views[0]?.state, 'frozen');
  assert.equal((ws.views[0] as { ySplit?: number }).ySplit, 3);
  assert.equal(ws.autoFilter, 'A3:S5');
  assert.deepEqual(engagements.columns.map((_, i) => ws.getColumn(i + 1).width), engagements.columns.map((c) => c.width));
  assert.equal(ws.pageSetup.paperSize, 9);
  assert.equal(ws.pageSetup.orientation, 'landscape');
  assert.equal(ws.pageSetup.fitToWidth, 1);
  assert.equal(ws.pageSetup.fitToHeight, 0);
  const workbookXml = readZipEntry(xlsx, zipEntries(xlsx).find((e) => e.name.endsWith('xl/workbook.xml'))!).toString('utf8');
  assert.match(workbookXml, /<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;委託先台帳&apos;!\$3:\$3<\/definedName>/);
  assert.match(sheetXml(xlsx), /<oddFooter>&amp;C- &amp;P -<\/oddFooter>/);
});

test('dates are real dates shown in 和暦; booleans, numbers and empty values by kind', async () => {
  const ws = await read(await write([row]));
  const start = ws.getCell('F4');
  assert.ok(start.value instanceof Date);
  assert.equal((start.value as Date).toISOString(), '2019-05-01T00:00:00.000Z');
  assert.equal(start.numFmt, REGISTER_DATE_NUMFMT);
  assert.deepEqual([ws.getCell('I4').text, ws.getCell('J4').text], ['○', '×']);
  assert.equal(ws.getCell('M4').value, 4);
  assert.equal(ws.getCell('S4').value, null);
  const sns = await read(await write([{ platform: 'X', twoFactor: true }], layouts.get('sns-accounts')!));
  assert.equal(sns.getCell('G4').text, '○');
});

test('overdue reviews and inactive responsible persons are coloured, in the columns that name the flag only', async () => {
  const ws = await read(await write([row, { ...row, _overdue: false, _inactive: true }]));
  const fillOf = (addr: string): string | undefined => (ws.getCell(addr).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
  const review = engagements.columns.findIndex((c) => c.key === 'nextReviewDate') + 1;
  const person = engagements.columns.findIndex((c) => c.key === 'responsiblePerson') + 1;
  const col = (n: number, r: number): string => `${String.fromCharCode(64 + n)}${r}`;
  assert.equal(fillOf(col(review, 4)), 'FFF8CBAD');
  assert.equal(fillOf(col(person, 4)), undefined);
  assert.equal(fillOf(col(review, 5)), undefined);
  assert.equal(fillOf(col(person, 5)), 'FFD9D2E9');
  assert.equal(fillOf('B4'), undefined);
  assert.equal(ws.getCell(col(review, 2)).text, '見直し期限超過', 'the legend sits above the column');
});

test('characters XML cannot carry are dropped and over-long text is cut to Excel’s limit', async () => {
  const ws = await read(await write([{ title: 'A\u0000B\u0008C\uD800D', vendor: 'あ'.repeat(40_000) }]));
  assert.equal(ws.getCell('B4').text, 'ABCD');
  assert.equal(ws.getCell('C4').text.length, 32_767);
});

test('a value that does not fit its column is refused, not written as something else', async () => {
  await assert.rejects(write([{ title: { formula: 'SUM(1)' } }]), RegisterValueError);
  await assert.rejects(write([{ periodStart: '2026/04/01' }]), RegisterValueError);
  await assert.rejects(write([{ tier: '4' }]), RegisterValueError);
});

test('memory stays flat: uncompressed sheet XML does not pile up ahead of compression', async () => {
  // Guards the exceljs internals the writer waits on (see sheetBacklog): without the wait these rows pile up as
  // some 40 MB of XML waiting for zlib.
  const long = '情報'.repeat(300);
  function* big() {
    for (let i = 0; i < 15_000; i++) yield { contractNumber: `R8-${i}`, title: `${long}${i}`, nextReviewDate: '2027-04-01' };
  }
  const buffers = (): number => process.memoryUsage().arrayBuffers;
  const start = buffers();
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, buffers() - start)), 2);
  const out = new Writable({ write: (_c, _e, cb) => cb() });
  try {
    await writeRegister(engagements, big(), out, meta);
  } finally {
    clearInterval(timer);
  }
  assert.ok(peak < 16 * 1024 * 1024, `buffered ${Math.round(peak / 1024 / 1024)} MB`);
});

test('rows stream from an async source, and a failing output rejects the write', async () => {
  async function* many() {
    for (let i = 0; i < 1000; i++) yield { contractNumber: `R8-${i}`, title: `業務${i}`, periodStart: '2026-04-01', nextReviewDate: '2027-04-01', _overdue: i % 2 === 0 };
  }
  const ws = await read(await write(many()));
  assert.equal(ws.getCell('A1003').text, 'R8-999');
  assert.equal(ws.autoFilter, 'A3:S1003');
  const broken = new Writable({
    write(_chunk, _enc, cb) {
      cb(new Error('disk full'));
    },
  });
  broken.on('error', () => {});
  await assert.rejects(writeRegister(engagements, many(), broken, meta), /disk full/);
});
