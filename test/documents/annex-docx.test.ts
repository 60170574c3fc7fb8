import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { buildAnnex, renderAnnexDocx } from '../../src/documents/index.js';
import { dosDateTime, readZipEntry, zipEntries } from '../../src/documents/zip.js';
import { myNumberSystemWork } from '../fixtures/questionnaires/subjects.js';
import { annexInput } from './fixtures.js';

const issuedAt = new Date('2026-03-10T01:02:03.456Z');
const model = buildAnnex(
  annexInput({ facts: myNumberSystemWork(), conditions: [{ text: '従事者名簿を提出すること', dueDate: '2026-04-30' }] }),
);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const part = (docx: Buffer, name: string): string => {
  const entry = zipEntries(docx).find((e) => e.name === name);
  assert.ok(entry, `${name} is in the package`);
  return readZipEntry(docx, entry).toString('utf8');
};

test('the same model and issue time give the same bytes: twice, across a delay and in another time zone', async () => {
  const first = await renderAnnexDocx(model, { issuedAt });
  assert.equal(sha(await renderAnnexDocx(model, { issuedAt })), sha(first));
  // Zip times have a two-second resolution: wait past one so a clock-derived stamp would show.
  await sleep(2100);
  assert.equal(sha(await renderAnnexDocx(model, { issuedAt })), sha(first), 'after a delay');
  const tz = process.env.TZ;
  try {
    process.env.TZ = 'America/New_York';
    assert.equal(sha(await renderAnnexDocx(model, { issuedAt })), sha(first), 'whatever the server time zone');
  } finally {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
  assert.notEqual(sha(await renderAnnexDocx(model, { issuedAt: new Date('2026-03-11T01:02:03Z') })), sha(first), 'the issue time is in the file');
});

test('every timestamp in the file is the issue time: core properties and every zip entry', async () => {
  const docx = await renderAnnexDocx(model, { issuedAt });
  const core = part(docx, 'docProps/core.xml');
  assert.match(core, /<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-10T01:02:03Z<\/dcterms:created>/);
  assert.match(core, /<dcterms:modified xsi:type="dcterms:W3CDTF">2026-03-10T01:02:03Z<\/dcterms:modified>/);
  assert.match(core, new RegExp(`clause-library 1 ${model.library.sha256}`));
  const { date, time } = dosDateTime(issuedAt);
  assert.equal(date, ((2026 - 1980) << 9) | (3 << 5) | 10, 'Tokyo date');
  assert.equal(time, (10 << 11) | (2 << 5) | 1, 'Tokyo wall clock 10:02:02 (two-second steps)');
  for (const e of zipEntries(docx)) {
    assert.equal(docx.readUInt16LE(e.centralOffset + 12), time, e.name);
    assert.equal(docx.readUInt16LE(e.centralOffset + 14), date, e.name);
    assert.equal(docx.readUInt16LE(e.localOffset + 10), time, e.name);
    assert.equal(docx.readUInt16LE(e.localOffset + 12), date, e.name);
  }
  const allXml = zipEntries(docx).map((e) => readZipEntry(docx, e).toString('utf8')).join('\n');
  assert.equal(allXml.match(/20\d\d-\d\d-\d\dT/g)?.filter((t) => !t.startsWith('2026-03-10T')).length ?? 0, 0, 'no other time anywhere');
});

test('A4, 明朝 body and ゴシック captions with East Asian fonts, header title, 「- 1 -」 page numbers', async () => {
  const docx = await renderAnnexDocx(model, { issuedAt });
  const doc = part(docx, 'word/document.xml');
  assert.match(doc, /<w:pgSz w:w="11906" w:h="16838"/);
  const styles = part(docx, 'word/styles.xml');
  assert.match(styles, /<w:rFonts w:ascii="ＭＳ 明朝" w:cs="ＭＳ 明朝" w:eastAsia="ＭＳ 明朝" w:hAnsi="ＭＳ 明朝" w:hint="eastAsia"\/>/);
  assert.match(styles, /w:eastAsia="ja-JP"/);
  assert.match(doc, /w:eastAsia="ＭＳ ゴシック"[^>]*\/><\/w:rPr><w:t xml:space="preserve">（総則）/);
  const header = zipEntries(docx).filter((e) => e.name.startsWith('word/header')).map((e) => readZipEntry(docx, e).toString('utf8')).join('');
  assert.match(header, /住民記録システム運用保守業務委託（契約番号　R8-情-0012）/);
  const footer = zipEntries(docx).filter((e) => e.name.startsWith('word/footer')).map((e) => readZipEntry(docx, e).toString('utf8')).join('');
  assert.match(footer, /- <\/w:t>.*PAGE.*<w:t xml:space="preserve"> -/s);
});

test('numbering is plain text, not Word automatic numbering, and absent clauses are not in the document', async () => {
  const doc = part(await renderAnnexDocx(model, { issuedAt }), 'word/document.xml');
  assert.equal(doc.includes('<w:numPr>'), false);
  const text = doc.replace(/<[^>]+>/g, '');
  const articles = [...text.matchAll(/第([０-９]+)条　/g)].map((m) => m[1]);
  const expected = model.clauses.filter((c) => c.applies).map((c) => c.article!.slice(1, -1));
  assert.deepEqual(articles.slice(0, expected.length), expected);
  for (const c of model.clauses) assert.equal(text.includes(`（${c.title}）`), c.applies, c.title);
  assert.match(text, /（１）従事者名簿を提出すること（期限　令和８年４月３０日）/);
  assert.match(text, /令和８年４月１日/);
  assert.match(text, /別表　本業務において取り扱う情報資産及びその分類.*住民基本台帳データ.*機密性３Ｂ/s);
  assert.match(text, /代表者　架空市長　山田　太郎.*㊞/);
});

test('an annex renders in well under a second', async () => {
  const started = performance.now();
  await renderAnnexDocx(model, { issuedAt });
  assert.ok(performance.now() - started < 1000);
});
