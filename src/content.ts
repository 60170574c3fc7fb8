import { defaultContentRoots, loadContentOrThrow, type Template } from './questionnaires/index.js';
import { loadExports, type ExportsContent } from './documents/index.js';

/** The content folders (questionnaires/ and exports/) as loaded and validated at start-up. */
export interface AppContent {
  roots: string[];
  templates: Template[];
  /** The annex clause library and the register layouts (exports/). */
  exports: ExportsContent;
}

const loaded = new Map<string, AppContent>();

/** Loads and validates the content once per process; throws one error naming every broken file, line and reason. */
export function loadAppContent(contentDir?: string | null): AppContent {
  const roots = defaultContentRoots(contentDir);
  const key = roots.join('\0');
  let content = loaded.get(key);
  if (!content) {
    content = { roots, templates: loadContentOrThrow(roots), exports: loadExports(roots) };
    loaded.set(key, content);
  }
  return content;
}
