/**
 * Confidentiality levels (自治体機密性) in the two schemes a municipality may use. Pure: the record commands validate
 * input against the installation's scheme, `factsOf` picks the highest level of a record, and the migration command
 * maps levels from one scheme to the other.
 */
import type { ClassificationScheme } from '../risk/inherent-tier.js';

export type Rank = 1 | 2 | 3;

/** A level as stored on a record: its name in the installation's scheme and its rank (3A/3B/3C and 3 are rank 3). */
export interface Classification {
  level: string;
  rank: Rank;
}

export const LEVELS: Record<ClassificationScheme, readonly string[]> = {
  r6: ['3A', '3B', '3C', '2', '1'],
  legacy: ['3', '2', '1'],
};

export const SCHEME_LABELS: Record<ClassificationScheme, string> = {
  r6: '令和6年改定の区分（3A/3B/3C/2/1）',
  legacy: '従来の区分（3/2/1）',
};

const RANK: Record<string, Rank> = { '3A': 3, '3B': 3, '3C': 3, '3': 3, '2': 2, '1': 1 };

// Within rank 3 the r6 sub-levels order 3A > 3B > 3C; legacy '3' never meets them on one record.
const ORDER: Record<string, number> = { '1': 10, '2': 20, '3C': 31, '3': 32, '3B': 32, '3A': 33 };

export function isLevelOf(scheme: ClassificationScheme, level: string): boolean {
  return LEVELS[scheme].includes(level);
}

/** The stored form of a level name, or null when the scheme has no such level. */
export function classify(scheme: ClassificationScheme, level: string): Classification | null {
  return isLevelOf(scheme, level) ? { level, rank: RANK[level]! } : null;
}

/** The highest of several levels (null for none). */
export function highest(levels: readonly Classification[]): Classification | null {
  let best: Classification | null = null;
  for (const c of levels) if (!best || (ORDER[c.level] ?? c.rank * 10) > (ORDER[best.level] ?? best.rank * 10)) best = c;
  return best ? { level: best.level, rank: best.rank } : null;
}

/** Japanese label: 「機密性3B」. */
export function levelLabel(level: string): string {
  return `機密性${level}`;
}

/** How a legacy level 3 becomes an r6 level: fixed, or 'auto' (3B with personal data, else 3C). */
export type Level3Mapping = 'auto' | '3A' | '3B' | '3C';

/**
 * The level in the target scheme. Legacy → r6: 3 by `level3` ('auto': 3B when the asset holds personal data — the
 * guideline's example of 3B is residents' data — otherwise 3C); 2 and 1 stay. r6 → legacy: 3A/3B/3C → 3. A level
 * already in the target scheme is returned unchanged, so running a migration twice changes nothing.
 */
export function mapLevel(level: string, to: ClassificationScheme, personalData: boolean, level3: Level3Mapping = 'auto'): Classification {
  if (isLevelOf(to, level)) return { level, rank: RANK[level]! };
  if (to === 'legacy' && (level === '3A' || level === '3B' || level === '3C')) return { level: '3', rank: 3 };
  if (to === 'r6' && level === '3') return { level: level3 === 'auto' ? (personalData ? '3B' : '3C') : level3, rank: 3 };
  throw new RangeError(`no mapping for confidentiality level ${JSON.stringify(level)} to the '${to}' scheme`);
}
