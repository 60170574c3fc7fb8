/**
 * A write refused by a unique index (E11000; 11001 from older servers). The project's writes lean on it: claiming a
 * revision, a sequence number, a key or a lease by inserting its `_id` is the one operation that is atomic on FerretDB
 * as on MongoDB (STYLE.md).
 */
export function isDuplicateKey(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === 11000 || code === 11001;
}
