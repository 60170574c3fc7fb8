import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import crypto from 'node:crypto';
import type { Config } from './config.js';
import { ApiRegistry } from './http/route.js';
import { errorHandler, notFoundHandler, sendProblem } from './http/problem.js';
import { requestDeadline } from './http/deadline.js';
import { redactUrl } from './logger.js';
import { databaseAnswers } from './db/connect.js';
import { registerSettingsRoutes } from './settings/index.js';
import { rateLimit } from 'express-rate-limit';
import { installSessions } from './auth/session.js';
import { bearerAuthentication, checkAccess } from './auth/authenticate.js';
import { registerAuthRoutes } from './auth/auth.routes.js';
import { registerUserRoutes } from './auth/users.routes.js';
import { registerAuditRoutes } from './audit/audit.routes.js';
import { registerOrgRoutes } from './org/index.js';
import { registerRecordRoutes } from './records/routes.js';
import { loadAppContent, type AppContent } from './content.js';
import { registerTemplateRoutes } from './questionnaires/templates.routes.js';
import { registerAssessmentRoutes } from './assessments/assessments.routes.js';
import './records/assessment-subjects.js';
import { registerAnsweringRoutes } from './assessments/answering.routes.js';
import { installWorkbook } from './workbook/index.js';
import { registerDecisionRoutes } from './decisions/decisions.routes.js';
import { registerDocumentRoutes } from './documents/documents.routes.js';
import { mountApiDocs } from './openapi/docs.js';
import { mountVendorRoutes } from './web/vendor.routes.js';
import { mountConsole } from './web/console/index.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from './openapi/document.js';

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  /** Version shown in the OpenAPI document. */
  version?: string;
  /** Loaded and validated content (templates…); loaded from CONTENT_DIR and the shipped folders when omitted. */
  content?: AppContent;
  /** Overrides REQUEST_DEADLINE_MS (tests). */
  requestDeadlineMs?: number;
}

export const JSON_BODY_LIMIT = '1mb';
/** Stylesheet and scripts of the pages, shipped in the package (no CDN). */
const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []), 'public');

/** Assembles the HTTP application: middleware, routes, docs, 404 and the error handler. Listening is the caller's. */
export function createApp(deps: AppDeps): Express & { api: ApiRegistry } {
  const app = express() as Express & { api: ApiRegistry };
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
    }),
  );

  app.use(requestDeadline(deps.requestDeadlineMs));

  const strictCsp = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'object-src': ["'none'"],
      },
    },
    strictTransportSecurity: deps.config.isProduction,
    referrerPolicy: { policy: 'no-referrer' },
  });

  app.use(strictCsp);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (await databaseAnswers()) res.json({ status: 'ready' });
    else {
      res.setHeader('Retry-After', '5');
      sendProblem(res, 503, 'database_unavailable', 'データベースに接続できません');
    }
  });

  const api = new ApiRegistry();
  app.api = api;
  registerAuthRoutes(api, deps.config);
  registerUserRoutes(api);
  registerOrgRoutes(api);
  registerRecordRoutes(api);
  registerSettingsRoutes(api);
  registerAuditRoutes(api);
  const content = deps.content ?? loadAppContent(deps.config.contentDir);
  registerTemplateRoutes(api, content);
  registerAssessmentRoutes(api, content, deps.config);
  registerAnsweringRoutes(api);
  installWorkbook(app, api, deps.config);
  registerDecisionRoutes(api);
  registerDocumentRoutes(api, content);

  mountApiDocs(app, () => buildOpenApiDocument(api.routes, deps.version ?? '0.1.0'));

  app.use('/static', express.static(PUBLIC_DIR, { index: false, maxAge: deps.config.isProduction ? '1h' : 0 }));
  mountVendorRoutes(app);
  mountConsole(app, { config: deps.config, content });
  app.use(express.json({ limit: JSON_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));

  // A generous per-address ceiling against floods (per instance); sign-in and vendor links have stricter,
  // database-backed limits of their own.
  app.use('/api', rateLimit({ windowMs: 60_000, limit: 1200, standardHeaders: 'draft-8', legacyHeaders: false, handler: (_req, res) => sendProblem(res, 429, 'rate_limited', 'リクエストが多すぎます。しばらく待ってから再度お試しください。') }));
  installSessions(app, deps.config);
  app.use(bearerAuthentication);
  api.mount(app, checkAccess);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
