/**
 * Which files of `exports/` to read: the shipped folder first, then each CONTENT_DIR override, a file of the same
 * relative name replacing the shipped one (the same rule as questionnaires/). Reading and parsing stay in
 * ../questionnaires/yaml-source.ts so both content folders report problems the same way.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type ContentProblem, problem } from '../questionnaires/yaml-source.js';

/** The content folder of the annex clause library and the register layouts, beside questionnaires/. */
export const EXPORTS_DIR = 'exports';

/** One content file to read, and whether it is shipped or comes from a CONTENT_DIR override. */
export interface ContentFile {
  /** Name relative to the folder listed, e.g. `cloud.yaml`. */
  name: string;
  file: string;
  origin: 'shipped' | 'override';
}

/** The non-empty roots, in order: the first is the shipped content, later ones override it. */
function usableRoots(roots: readonly (string | null | undefined)[]): string[] {
  return roots.filter((r): r is string => typeof r === 'string' && r !== '');
}

/**
 * The `.yaml` files of `<root>/exports/<sub>` over all roots, later roots replacing files of the same name, sorted by
 * name. A `.yml` file is a problem rather than silently ignored: an editor would wonder why the change has no effect.
 */
export function listContentFiles(roots: readonly (string | null | undefined)[], sub: string): { files: ContentFile[]; problems: ContentProblem[] } {
  const byName = new Map<string, ContentFile>();
  const problems: ContentProblem[] = [];
  usableRoots(roots).forEach((root, i) => {
    const origin = i === 0 ? 'shipped' : 'override';
    const dir = join(root, EXPORTS_DIR, sub);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      // An override may leave a folder out; the shipped content must have it.
      if (origin === 'shipped') problems.push(problem(dir, 1, 'missing_folder', 'フォルダがありません'));
      return;
    }
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (!statSync(file).isFile()) continue;
      if (name.endsWith('.yml')) {
        problems.push(problem(file, 1, 'file_name', '拡張子は .yaml にしてください'));
        continue;
      }
      if (name.endsWith('.yaml')) byName.set(name, { name, file, origin });
    }
  });
  const files = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files, problems };
}
