/**
 * The Excel round trip (issue 7): a questionnaire workbook for offline answering, and its all-or-nothing import
 * through a zip pre-check and a pool of capped parse children.
 */
import type { Express } from 'express';
import type { Config } from '../config.js';
import type { ApiRegistry } from '../http/route.js';
import { mountVendorWorkbookRoutes, registerWorkbookRoutes } from './routes.js';

export { buildWorkbook, workbookFilename, XLSX_TYPE } from './build.js';
export { completePendingImports, importWorkbook, type ImportResult } from './import.js';
export { inspectZip, ZIP_LIMITS, ZipRefusal } from './inspect.js';
export { closeParsePool, parsePool, ParsePool, POOL_LIMITS, type PoolOptions } from './pool.js';
export { mountVendorWorkbookRoutes, registerWorkbookRoutes } from './routes.js';

/** Both halves at once: the API routes (before `api.mount`) and the `/q/:token/questionnaire.xlsx` pages. */
export function installWorkbook(app: Express, api: ApiRegistry, config: Readonly<Config>): void {
  registerWorkbookRoutes(api, config);
  mountVendorWorkbookRoutes(app, config);
}
