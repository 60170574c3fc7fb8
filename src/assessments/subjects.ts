import type { SubjectFacts, SubjectKind } from '../questionnaires/index.js';

/** What an assessment needs to know about its subject at issue time (and, for access checks, later). */
export interface SubjectInfo {
  kind: SubjectKind;
  id: string;
  name: string;
  departmentId: string | null;
  vendorId: string | null;
  vendorName: string | null;
  facts: SubjectFacts;
  tier: { tier: 1 | 2 | 3 | 4; reasons: { code: string; text: string }[] };
  archived: boolean;
}

export type SubjectLoader = (id: string, today: string) => Promise<SubjectInfo | null>;

const loaders = new Map<SubjectKind, SubjectLoader>();

/** Each record kind registers how to load itself as an assessment subject (the records component). */
export function registerSubjectLoader(kind: SubjectKind, loader: SubjectLoader): void {
  loaders.set(kind, loader);
}

export async function loadSubject(kind: SubjectKind, id: string, today: string): Promise<SubjectInfo | null> {
  const loader = loaders.get(kind);
  return loader ? loader(id, today) : null;
}
