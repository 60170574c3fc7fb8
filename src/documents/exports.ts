/**
 * Everything in exports/ at once, for `templates:check` (problems listed, nothing thrown) and for start-up (one
 * ContentError naming every problem of the clause library and the register layouts together).
 */
import { ContentError } from '../questionnaires/load.js';
import type { ContentProblem } from '../questionnaires/yaml-source.js';
import type { ClauseLibrary } from './clause-library.js';
import { checkClauseLibrary } from './clauses.js';
import { checkRegisterLayouts, type RegisterId, type RegisterLayout } from './layouts.js';

/** Everything loaded from exports/: the clause library and the layout of each register. */
export interface ExportsContent {
  library: ClauseLibrary;
  layouts: ReadonlyMap<RegisterId, RegisterLayout>;
}

/** Checks the clause library and every register layout under `<root>/exports/` (roots: shipped, then CONTENT_DIR). */
export function checkExports(roots: readonly (string | null | undefined)[]): {
  library?: ClauseLibrary;
  layouts: ReadonlyMap<RegisterId, RegisterLayout>;
  problems: ContentProblem[];
} {
  const clauses = checkClauseLibrary(roots);
  const registers = checkRegisterLayouts(roots);
  return { ...(clauses.library ? { library: clauses.library } : {}), layouts: registers.layouts, problems: [...clauses.problems, ...registers.problems] };
}

/** For start-up: the content of exports/, or a ContentError listing every problem (file, line, reason). */
export function loadExports(roots: readonly (string | null | undefined)[]): ExportsContent {
  const { library, layouts, problems } = checkExports(roots);
  if (!library || problems.length > 0) throw new ContentError(problems);
  return { library, layouts };
}
