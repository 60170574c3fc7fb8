import { basename, join } from 'node:path';
import { loadContent, QUESTIONNAIRES_DIR } from './load.js';
import { lockPublished } from './lock.js';
import type { ContentProblem } from './yaml-source.js';

/**
 * Publishes the templates of one content root: every `status: published` file not yet in the lock is recorded with
 * its hash. Refuses (adds nothing) while the folder has any other problem, so only valid text is ever locked.
 * For a CLI command such as `templates:publish`; `today` is the Asia/Tokyo date (YYYY-MM-DD) written beside each hash.
 */
export function publishTemplates(root: string, today: string): { added: string[]; problems: ContentProblem[] } {
  const { templates, problems } = loadContent([root]);
  const blocking = problems.filter((p) => p.code !== 'lock_unlocked');
  if (blocking.length > 0) return { added: [], problems: blocking };
  const subjects = templates.map((t) => ({ name: basename(t.file), file: t.file, sha256: t.sha256, status: t.status }));
  return { added: lockPublished(join(root, QUESTIONNAIRES_DIR), subjects, today), problems: [] };
}
