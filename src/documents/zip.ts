/**
 * Just enough of the zip format for our own documents: list the entries from the central directory, read one, and set
 * every entry's modification time. docx stamps each entry with the time of packing; an annex must regenerate byte
 * for byte, so the renderer rewrites those stamps to the recorded issue time (the CRCs do not cover them).
 */
import { inflateRawSync } from 'node:zlib';

/** One entry of a zip's central directory. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  localOffset: number;
  /** Offset of this entry's record in the central directory. */
  centralOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function endOfCentralDirectory(zip: Buffer): number {
  const last = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= last; i--) if (zip.readUInt32LE(i) === EOCD) return i;
  throw new Error('not a zip file: no end of central directory');
}

/** The entries, in central-directory order. Throws on anything malformed (these are files we wrote ourselves). */
export function zipEntries(zip: Buffer): ZipEntry[] {
  const end = endOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error(`zip: bad central directory record at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
      centralOffset: at,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The content of one entry, refusing more than `maxBytes` once inflated. */
export function readZipEntry(zip: Buffer, entry: ZipEntry, maxBytes = 64 * 1024 * 1024): Buffer {
  const at = entry.localOffset;
  if (zip.readUInt32LE(at) !== LOCAL) throw new Error(`zip: bad local header for ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method !== 8) throw new Error(`zip: unsupported method ${entry.method} for ${entry.name}`);
  return inflateRawSync(data, { maxOutputLength: maxBytes });
}

const TOKYO_CLOCK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Tokyo',
  calendar: 'gregory',
  numberingSystem: 'latn',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** MS-DOS date and time words of an instant as a Tokyo wall clock (zip times carry no zone; documents live in Japan). */
export function dosDateTime(at: Date): { date: number; time: number } {
  const part = (type: string): number => Number(TOKYO_CLOCK.formatToParts(at).find((p) => p.type === type)?.value);
  const year = part('year');
  if (year < 1980 || year > 2107) throw new RangeError(`zip timestamps cover 1980–2107, not ${year}`);
  return {
    date: ((year - 1980) << 9) | (part('month') << 5) | part('day'),
    time: (part('hour') << 11) | (part('minute') << 5) | (part('second') >> 1),
  };
}

/** A copy of the zip with every entry's modification time set to `at` (local headers and central directory). */
export function setZipTimes(zip: Buffer, at: Date): Buffer {
  const out = Buffer.from(zip);
  const { date, time } = dosDateTime(at);
  for (const entry of zipEntries(out)) {
    out.writeUInt16LE(time, entry.centralOffset + 12);
    out.writeUInt16LE(date, entry.centralOffset + 14);
    if (out.readUInt32LE(entry.localOffset) !== LOCAL) throw new Error(`zip: bad local header for ${entry.name}`);
    out.writeUInt16LE(time, entry.localOffset + 10);
    out.writeUInt16LE(date, entry.localOffset + 12);
  }
  return out;
}
