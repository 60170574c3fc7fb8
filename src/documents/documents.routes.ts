/** Every download of the documents issue: the annex and its register of issued annexes, the 台帳, the assessment report. */
import type { AppContent } from '../content.js';
import type { ApiRegistry } from '../http/route.js';
import { registerAnnexRoutes } from './annex.routes.js';
import { registerRegisterRoutes } from './registers.routes.js';
import { registerReportRoutes } from './report.js';

export function registerDocumentRoutes(api: ApiRegistry, content: AppContent): void {
  registerAnnexRoutes(api, content);
  registerRegisterRoutes(api, content);
  registerReportRoutes(api);
}
