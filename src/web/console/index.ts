/**
 * The staff console: server-rendered pages over the same domain commands, queries, presenters and policy table as the
 * API (no second copy of a rule, no HTTP calls to itself). Cookie sessions are the API's; every POST carries `_csrf`,
 * checked before anything else; pages work without scripts (public/console.js only enhances).
 */
import crypto from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../../config.js';
import type { AppContent } from '../../content.js';
import type { ApiRegistry } from '../../http/route.js';
import { installSessions } from '../../auth/session.js';
import { AppError } from '../../http/errors.js';
import { isDatabaseUnavailable } from '../../db/connect.js';
import { html } from '../html.js';
import { render } from './layout.js';
import { mountAuthPages } from './auth-pages.js';
import { mountDashboard } from './dashboard.js';
import { mountVendorPages } from './vendors.js';
import { mountSubjectPages } from './subjects.js';
import { mountAssessmentPages } from './assessments.js';
import { mountReviewPages } from './review.js';
import { mountConditionPages } from './conditions.js';
import { mountHandoverPages } from './handover.js';
import { mountAdminPages } from './admin.js';
import { mountContentPages } from './content-pages.js';

export interface ConsoleDeps {
  config: Readonly<Config>;
  content: AppContent;
}

/** What every console module receives: the deps, and the API's route table (for the API's own zod schemas). */
export interface ConsoleContext extends ConsoleDeps {
  api: ApiRegistry;
}

const PREFIXES = ['/login', '/logout', '/account', '/vendors', '/engagements', '/cloud-services', '/sns-accounts', '/assessments', '/conditions', '/handover', '/admin'];

export function isConsolePath(path: string): boolean {
  return path === '/' || PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Only same-site relative paths may be a `next`: `/vendors?q=1` yes; `//evil.example`, `/\evil`, `https:` no. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !/^\/(?![/\\])[\x21-\x7e]*$/.test(next)) return '/';
  return next;
}

function csrfOk(req: Request): boolean {
  const expected = req.session?.csrfToken;
  const given = (req.body as { _csrf?: unknown } | undefined)?._csrf;
  if (!expected || typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function errorPage(status: number, message: string) {
  const titles: Record<number, string> = { 403: 'この操作を行う権限がありません', 404: 'ページが見つかりません', 409: '操作を完了できませんでした', 429: 'しばらく待ってから再度お試しください', 503: '一時的に利用できません' };
  return { title: titles[status] ?? 'エラーが発生しました', body: html`<h1>${titles[status] ?? 'エラーが発生しました'}</h1><p>${message}</p><p><a href="/">ダッシュボードへ戻る</a></p>`, status };
}

/** Mounts the console on `app` (before the API's own sessions: the console installs the same session store itself). */
export function mountConsole(app: Express & { api: ApiRegistry }, deps: ConsoleDeps): void {
  const ctx: ConsoleContext = { ...deps, api: app.api };
  const router = express.Router();
  router.use((req, _res, next) => (isConsolePath(req.path) ? next() : next('router')));
  installSessions(router as unknown as Express, deps.config);
  router.use(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 5000 }));
  router.use((req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    if (req.user) {
      req.authMethod = 'session';
      req.actor = { kind: 'user', id: req.user.id, name: req.user.name };
    }
    if (req.method === 'POST' && !csrfOk(req)) {
      return void render(req, res, errorPage(403, '送信元を確認できませんでした（CSRF トークンがないか、古くなっています）。画面を読み込み直してから、もう一度操作してください。')).catch(next);
    }
    next();
  });

  mountAuthPages(router, ctx);

  router.use((req, res, next) => {
    if (!req.user) return res.redirect(303, `/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
    const allowed = req.path === '/logout' || req.path.startsWith('/account');
    if (!allowed && req.user.mustChangePassword) return res.redirect(303, '/account/password');
    if (!allowed && req.user.totpEnrolmentRequired) return res.redirect(303, '/account/totp');
    next();
  });

  mountDashboard(router, ctx);
  mountVendorPages(router, ctx);
  mountSubjectPages(router, ctx);
  mountAssessmentPages(router, ctx);
  mountReviewPages(router, ctx);
  mountConditionPages(router, ctx);
  mountHandoverPages(router, ctx);
  mountContentPages(router, ctx);
  mountAdminPages(router, ctx);

  router.use((req, res) => render(req, res, errorPage(404, '指定されたページ又は記録は見つかりません。URL を確認してください。')));
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof AppError && err.status < 500) {
      if (err.status === 401) return res.redirect(303, `/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
      return void render(req, res, errorPage(err.status, err.message)).catch(next);
    }
    if (isDatabaseUnavailable(err)) return void render(req, res, errorPage(503, 'データベースに接続できません。しばらくしてから再度お試しください。')).catch(next);
    req.log?.error({ err }, 'console error');
    render(req, res, errorPage(500, '予期しないエラーが発生しました。時間をおいて再度お試しください。問題が続く場合は管理者に連絡してください。')).catch(next);
  });
  app.use(router);
}
