/**
 * The zip layer of an uploaded workbook, read by hand before any spreadsheet library sees it (STACK-NOTES: exceljs has
 * no limits of its own). The central directory is checked first (cheap: the parent does it on every upload), then the
 * entries are inflated counting the real bytes (declared sizes can lie), and the result is re-packed uncompressed, so
 * the parser reads exactly the bytes that were counted — no second opinion about duplicates, overlaps or sizes.
 */
import zlib from 'node:zlib';

export const ZIP_LIMITS = Object.freeze({
  /** A 150-question workbook is ~60 kB; Excel re-saves stay well under 1 MB. */
  maxUploadBytes: 5 * 1024 * 1024,
  /** exceljs writes ~15 entries, Excel and LibreOffice ~20–30. */
  maxEntries: 200,
  /** Uncompressed; our sheets are ~100 kB, and the parser's cost grows with every byte (16 MB of cells took 8 s, 370 MB). */
  maxEntryBytes: 8 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024,
  /** Applied to entries of at least `ratioFloor` bytes: spreadsheet XML compresses 5–30×, bombs 1000×. */
  maxRatio: 100,
  ratioFloor: 1024 * 1024,
});

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** A refusal with a message for the person who sent the file (Japanese first). */
export class ZipRefusal extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ZipRefusal';
  }
}

const EOCD = 0x06054b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;
const ZIP64_LOCATOR = 0x07064b50;
const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

function findEocd(buf: Buffer): number {
  const last = buf.length - 22;
  const first = Math.max(0, last - 0xffff);
  for (let i = last; i >= first; i--) {
    if (buf.readUInt32LE(i) === EOCD && i + 22 + buf.readUInt16LE(i + 20) <= buf.length) return i;
  }
  return -1;
}

/** Parts that would make the workbook run code or reach elsewhere when opened; we never need them. */
function forbidden(name: string): ZipRefusal | null {
  if (/(^|\/)vbaProject\.bin$/i.test(name) || /(^|\/)vbaProjectSignature/i.test(name)) {
    return new ZipRefusal('workbook_macros', 'マクロ（vbaProject.bin）を含むワークブックは受け付けません。マクロなしの .xlsx で保存してください。');
  }
  if (/(^|\/)externalLinks\//i.test(name)) return new ZipRefusal('workbook_external_links', '外部ブックへのリンクを含むワークブックは受け付けません。リンクを解除してから保存してください。');
  if (/(^|\/)connections\.xml$/i.test(name)) return new ZipRefusal('workbook_external_links', '外部データ接続を含むワークブックは受け付けません。');
  return null;
}

/**
 * Reads and checks the central directory: a zip at all, not zip64, not encrypted, stored or deflated only, no
 * duplicate or unsafe names, entry count, declared sizes and ratios within ZIP_LIMITS, local headers where the
 * directory says and no two entries sharing bytes (the overlapping-entry bomb). Throws ZipRefusal.
 */
export function inspectZip(buf: Buffer, limits = ZIP_LIMITS): ZipEntry[] {
  const notZip = () => new ZipRefusal('workbook_not_zip', 'ファイルが Excel ワークブック（.xlsx）ではありません。ダウンロードしたワークブックを .xlsx 形式のまま保存して送ってください。');
  if (buf.length > limits.maxUploadBytes) throw new ZipRefusal('workbook_too_large', `ファイルが大きすぎます（上限 ${mib(limits.maxUploadBytes)}）`);
  if (buf.length < 22 || buf.readUInt32LE(0) !== LFH) throw notZip();
  const eocd = findEocd(buf);
  if (eocd < 0) throw notZip();
  if (eocd >= 20 && buf.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) throw new ZipRefusal('workbook_zip64', 'ZIP64 形式のファイルは受け付けません');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0 || buf.readUInt16LE(eocd + 8) !== count) throw notZip();
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new ZipRefusal('workbook_zip64', 'ZIP64 形式のファイルは受け付けません');
  if (count > limits.maxEntries) throw new ZipRefusal('workbook_too_many_entries', `ファイル内の要素が多すぎます（${count} 個、上限 ${limits.maxEntries} 個）`);
  if (count === 0 || cdOffset + cdSize > eocd) throw notZip();

  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdOffset + cdSize || buf.readUInt32LE(p) !== CDH) throw notZip();
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const nameLen = buf.readUInt16LE(p + 28);
    const next = p + 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    if (next > cdOffset + cdSize) throw notZip();
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    const entry: ZipEntry = { name, method, flags, crc32: buf.readUInt32LE(p + 16), compressedSize: buf.readUInt32LE(p + 20), size: buf.readUInt32LE(p + 24), localOffset: buf.readUInt32LE(p + 42) };
    p = next;
    if (!name || name.length > 260 || /[\u0000-\u001f\\]|^\/|(^|\/)\.\.(\/|$)/.test(name)) throw new ZipRefusal('workbook_bad_entry', 'ファイル内の要素名が正しくありません');
    const key = name.toLowerCase();
    if (names.has(key)) throw new ZipRefusal('workbook_duplicate_entry', `同じ名前の要素が二つあります（${name}）`);
    names.add(key);
    const refusal = forbidden(name);
    if (refusal) throw refusal;
    if (flags & 0x1) throw new ZipRefusal('workbook_encrypted', 'パスワードで暗号化されたワークブックは受け付けません。パスワードを外して保存してください。');
    if (method !== 0 && method !== 8) throw new ZipRefusal('workbook_bad_entry', `対応していない圧縮形式です（${name}）`);
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localOffset === 0xffffffff) throw new ZipRefusal('workbook_zip64', 'ZIP64 形式のファイルは受け付けません');
    if (method === 0 && entry.size !== entry.compressedSize) throw notZip();
    if (entry.size > limits.maxEntryBytes) throw new ZipRefusal('workbook_entry_too_large', `展開後に大きすぎる要素があります（${name}: ${mib(entry.size)}、上限 ${mib(limits.maxEntryBytes)}）`);
    if (entry.size >= limits.ratioFloor && entry.size > entry.compressedSize * limits.maxRatio) {
      throw new ZipRefusal('workbook_compression_ratio', `圧縮率が極端な要素があります（${name}: ${Math.round(entry.size / Math.max(1, entry.compressedSize))} 倍）`);
    }
    total += entry.size;
    if (total > limits.maxTotalBytes) throw new ZipRefusal('workbook_too_large', `展開後の合計サイズが大きすぎます（上限 ${mib(limits.maxTotalBytes)}）`);
    entries.push(entry);
  }
  if (!names.has('[content_types].xml') || !names.has('xl/workbook.xml')) throw notZip();

  // Each entry's bytes must lie before the directory and belong to it alone.
  const spans = entries.map((e) => ({ e, start: e.localOffset, end: dataStart(buf, e, cdOffset) + e.compressedSize })).sort((a, b) => a.start - b.start);
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    if (s.end > cdOffset || (i + 1 < spans.length && s.end > spans[i + 1]!.start)) throw new ZipRefusal('workbook_overlapping_entries', 'ファイルの構造が正しくありません（要素が重なっています）');
  }
  return entries;
}

function dataStart(buf: Buffer, e: ZipEntry, limit: number): number {
  if (e.localOffset + 30 > limit || buf.readUInt32LE(e.localOffset) !== LFH) throw new ZipRefusal('workbook_not_zip', 'ファイルの構造が正しくありません（要素の見出しがありません）');
  return e.localOffset + 30 + buf.readUInt16LE(e.localOffset + 26) + buf.readUInt16LE(e.localOffset + 28);
}

/**
 * Inflates every entry, never producing more than it declared (so never more than the limits the directory passed),
 * and checks the real length and CRC against the directory. Returns name → bytes.
 */
export function inflateEntries(buf: Buffer, entries: ZipEntry[], limits = ZIP_LIMITS): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let total = 0;
  for (const e of entries) {
    const start = dataStart(buf, e, buf.length); // spans were checked against the directory by inspectZip
    const raw = buf.subarray(start, start + e.compressedSize);
    let data: Buffer;
    if (e.method === 0) data = raw;
    else {
      try {
        data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size + 1) });
      } catch (err) {
        if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new ZipRefusal('workbook_size_mismatch', `要素の実際の大きさが申告と異なります（${e.name}）`);
        }
        throw new ZipRefusal('workbook_corrupt', `ファイルが壊れています（${e.name} を展開できません）`);
      }
    }
    if (data.length !== e.size) throw new ZipRefusal('workbook_size_mismatch', `要素の実際の大きさが申告と異なります（${e.name}）`);
    total += data.length;
    if (total > limits.maxTotalBytes) throw new ZipRefusal('workbook_too_large', `展開後の合計サイズが大きすぎます（上限 ${mib(limits.maxTotalBytes)}）`);
    if (zlib.crc32(data) >>> 0 !== e.crc32 >>> 0) throw new ZipRefusal('workbook_corrupt', `ファイルが壊れています（${e.name} のチェックサムが一致しません）`);
    out.set(e.name, data);
  }
  return out;
}

/** Packs entries uncompressed: what the parser reads is exactly what was counted. */
export function storedZip(files: Map<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const n = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data) >>> 0;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(LFH, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x800, 6);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(n.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(CDH, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x800, 8);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, n, data);
    central.push(ch, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(files.size, 8);
  end.writeUInt16LE(files.size, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
