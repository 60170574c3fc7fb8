/**
 * Hand-made zips for the hostile-file and fuzz tests: a writer that can lie (declared sizes, duplicate names), and
 * readers to take a real workbook apart and put it back together with an entry changed.
 */
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { inflateEntries, inspectZip } from '../../src/workbook/inspect.js';

export interface RawEntry {
  name: string;
  data: Buffer;
  store?: boolean;
  /** Already-compressed bytes (deflate-raw), for streams built by hand. */
  compressed?: Buffer;
  declaredSize?: number;
  crc?: number;
}

export function zipOf(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.compressed ?? (e.store ? e.data : zlib.deflateRawSync(e.data));
    const method = e.store && !e.compressed ? 0 : 8;
    const size = e.declaredSize ?? e.data.length;
    const crc = e.crc ?? zlib.crc32(e.data) >>> 0;
    const head = (sig: number, len: number) => {
      const b = Buffer.alloc(len);
      b.writeUInt32LE(sig, 0);
      return b;
    };
    const lh = head(0x04034b50, 30);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x800, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = head(0x02014b50, 46);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x800, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, body);
    central.push(ch, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The entries of a (valid) workbook, in order. */
export function entriesOf(xlsx: Buffer): RawEntry[] {
  return [...inflateEntries(xlsx, inspectZip(xlsx))].map(([name, data]) => ({ name, data }));
}

export function withEntry(xlsx: Buffer, name: string, change: (xml: string) => string): Buffer {
  return zipOf(entriesOf(xlsx).map((e) => (e.name === name ? { name, data: Buffer.from(change(e.data.toString('utf8')), 'utf8') } : e)));
}

/**
 * A deflate stream that inflates to `repeat` copies of `block` while staying tiny: the block is compressed once with a
 * sync flush (so it references nothing before it) and its bytes repeated, then a final empty block closes the stream.
 */
export function repeatedDeflate(block: Buffer, repeat: number): Buffer {
  const one = zlib.deflateRawSync(block, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array.from({ length: repeat }, () => one), Buffer.from([0x03, 0x00])]);
}

/** The name of the worksheet part holding a sheet (exceljs numbers parts in sheet order). */
export async function sheetPart(xlsx: Buffer, sheetName: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  const index = wb.worksheets.findIndex((w) => w.name === sheetName);
  return `xl/worksheets/sheet${index + 1}.xml`;
}
