/**
 * The hostile files of the workbook tests and benchmark, built from a real downloaded workbook: each with the status
 * and problem code it must get, and how quickly.
 */
import zlib from 'node:zlib';
import { entriesOf, repeatedDeflate, withEntry, zipOf, type RawEntry } from './zips.js';

export interface HostileCase {
  name: string;
  file: () => Buffer | Promise<Buffer>;
  status: number;
  code: RegExp;
  /** Wall time, generous for a loaded 2-core machine: the stage that refuses is what the code asserts. */
  withinMs: number;
}

const MB = 1024 * 1024;
const SHEET = 'xl/worksheets/sheet1.xml';
const worksheet = (body: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${body}</worksheet>`;

/** An entry inflating to `repeat` × `block` from a few kB, declaring `declared` bytes (the truth, unless told to lie). */
export function bombEntry(name: string, block: Buffer, repeat: number, declared = block.length * repeat): RawEntry {
  let crc = 0;
  for (let i = 0; i < repeat; i++) crc = zlib.crc32(block, crc);
  return { name, data: Buffer.alloc(0), compressed: repeatedDeflate(block, repeat), declaredSize: declared, crc: crc >>> 0 };
}

/** `valid` is read when a file is built, so the list (and the test names) exist before the workbook does. */
export function hostileCases(valid: () => Buffer): HostileCase[] {
  return [
    { name: 'not a zip (a PDF)', file: () => Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n'), status: 422, code: /workbook_not_zip/, withinMs: 3000 },
    { name: 'a truncated workbook', file: () => valid().subarray(0, Math.floor(valid().length / 2)), status: 422, code: /workbook_not_zip/, withinMs: 3000 },
    {
      name: 'too many entries', status: 422, code: /workbook_too_many_entries/, withinMs: 3000,
      file: () => zipOf([...entriesOf(valid()), ...Array.from({ length: 1000 }, (_, i) => ({ name: `xl/media/padding${i}.bin`, data: Buffer.from('x'), store: true }))]),
    },
    {
      name: 'a zip bomb (1 kB block ×200,000 = 200 MB, sizes declared truthfully)', status: 422, code: /workbook_entry_too_large/, withinMs: 3000,
      file: () => zipOf([...entriesOf(valid()).filter((e) => e.name !== SHEET), bombEntry(SHEET, Buffer.alloc(1024, 0x20), 200_000)]),
    },
    {
      name: 'a zip bomb that lies about its size (declares 10 kB)', status: 422, code: /workbook_size_mismatch/, withinMs: 5000,
      file: () => zipOf([...entriesOf(valid()).filter((e) => e.name !== SHEET), bombEntry(SHEET, Buffer.alloc(1024, 0x20), 200_000, 10_000)]),
    },
    {
      name: 'a huge shared-strings file (428 MB of strings from a ~1 MB file)', status: 422, code: /workbook_entry_too_large/, withinMs: 3000,
      file: () => zipOf([...entriesOf(valid()).filter((e) => e.name !== 'xl/sharedStrings.xml'), bombEntry('xl/sharedStrings.xml', Buffer.from('<si><t>あいうえおかきくけこ</t></si>'.repeat(1000)), 10_700)]),
    },
    {
      name: 'the same shared strings declaring a harmless size', status: 422, code: /workbook_size_mismatch/, withinMs: 5000,
      file: () => zipOf([...entriesOf(valid()).filter((e) => e.name !== 'xl/sharedStrings.xml'), bombEntry('xl/sharedStrings.xml', Buffer.from('<si><t>あいうえおかきくけこ</t></si>'.repeat(1000)), 10_700, 200_000)]),
    },
    {
      name: 'an extreme compression ratio (2 MB of spaces)', status: 422, code: /workbook_compression_ratio/, withinMs: 3000,
      file: () => zipOf([...entriesOf(valid()), { name: 'xl/media/blank.bin', data: Buffer.alloc(2 * MB, 0x20) }]),
    },
    {
      name: 'too much in total (20 entries just under the ratio floor)', status: 422, code: /workbook_too_large/, withinMs: 3000,
      file: () => zipOf([...entriesOf(valid()), ...Array.from({ length: 20 }, (_, i) => ({ name: `xl/media/pad${i}.bin`, data: Buffer.alloc(MB - 1, 0x20) }))]),
    },
    { name: 'macros (vbaProject.bin)', file: () => zipOf([...entriesOf(valid()), { name: 'xl/vbaProject.bin', data: Buffer.from('\xd0\xcf\x11\xe0 macro', 'latin1') }]), status: 422, code: /workbook_macros/, withinMs: 3000 },
    { name: 'an external link', file: () => zipOf([...entriesOf(valid()), { name: 'xl/externalLinks/externalLink1.xml', data: Buffer.from('<externalLink/>') }]), status: 422, code: /workbook_external_links/, withinMs: 3000 },
    { name: 'duplicate entries', file: () => zipOf([...entriesOf(valid()), entriesOf(valid()).find((e) => e.name === 'xl/workbook.xml')!]), status: 422, code: /workbook_duplicate_entry/, withinMs: 3000 },
    { name: 'rows and cells without address attributes', file: () => withEntry(valid(), 'xl/worksheets/sheet2.xml', (x) => x.replace(/ r="[A-Z]*\d+"/g, '')), status: 422, code: /workbook_unreadable/, withinMs: 5000 },
    {
      name: 'a sheet of 150,000 cells (3.5 MB: within the size limits, over the cell limit)', status: 422, code: /workbook_too_many_cells/, withinMs: 5000,
      file: () => withEntry(valid(), SHEET, () => worksheet(`<sheetData>${Array.from({ length: 1500 }, (_, r) => `<row r="${r + 1}">${Array.from({ length: 100 }, (_, c) => `<c r="${String.fromCharCode(65 + (c % 26))}${String.fromCharCode(65 + Math.floor(c / 26))}${r + 1}"><v>${c}</v></c>`).join('')}</row>`).join('')}</sheetData>`)),
    },
    {
      name: 'a 20 kB workbook whose parse exceeds the memory cap (one merged range of 26 million cells)', status: 422, code: /workbook_too_complex/, withinMs: 20_000,
      file: () => withEntry(valid(), SHEET, () => worksheet('<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:Z1000000"/></mergeCells>')),
    },
    {
      name: 'a data validation over a million rows (same, through another path of the parser)', status: 422, code: /workbook_too_complex/, withinMs: 20_000,
      file: () => withEntry(valid(), SHEET, () => worksheet('<sheetData/><dataValidations count="1"><dataValidation type="list" sqref="A1:Z1000000"><formula1>"a,b"</formula1></dataValidation></dataValidations>')),
    },
  ];
}
