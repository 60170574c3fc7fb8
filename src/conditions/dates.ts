/** Plain calendar dates as `YYYY-MM-DD`, the form the API and the facts use. */

/** True for a real calendar date in `YYYY-MM-DD` form (2027-02-30 is false). */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** `2027-07-01` → `令和9年7月1日` (Reiwa only, 2019-05-01 onwards; earlier dates stay in Western form). */
export function toWareki(iso: string): string {
  if (!isIsoDate(iso) || iso < '2019-05-01') return iso;
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const year = y - 2018;
  return `令和${year === 1 ? '元' : year}年${m}月${d}日`;
}
