/** The console's page frame: header, navigation filtered by the policy table, the signed-in user, sign-out. */
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { attrs, html, type Html } from '../html.js';
import { scopeFor, type Action } from '../../auth/policy.js';
import { getSettings } from '../../settings/index.js';
import { rolesText } from './format.js';

interface NavItem {
  href: string;
  label: string;
  action: Action;
  key: string;
}

const NAV: NavItem[] = [
  { key: 'dashboard', href: '/', label: 'ダッシュボード', action: 'reference.read' },
  { key: 'vendors', href: '/vendors', label: '事業者', action: 'vendors.read' },
  { key: 'engagements', href: '/engagements', label: '業務委託', action: 'records.read' },
  { key: 'cloud-services', href: '/cloud-services', label: '外部サービス', action: 'records.read' },
  { key: 'sns-accounts', href: '/sns-accounts', label: 'SNSアカウント', action: 'records.read' },
  { key: 'assessments', href: '/assessments', label: '評価', action: 'records.read' },
  { key: 'conditions', href: '/conditions', label: '条件', action: 'records.read' },
  { key: 'handover', href: '/handover', label: '引継ぎ', action: 'handover' },
  { key: 'content', href: '/admin/templates', label: '様式・条項', action: 'reference.read' },
  { key: 'admin', href: '/admin', label: '管理', action: 'users.manage' },
];

export interface ConsolePage {
  title: string;
  body: Html;
  /** Which navigation entry is current. */
  active?: string;
  status?: number;
  /** Breadcrumbs before the title: [label, href]. */
  crumbs?: [string, string][];
}

/** The CSRF token of this session, created on first use (the sign-in page needs one before anyone signs in). */
export function csrfToken(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = crypto.randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

export function csrfField(req: Request): Html {
  return html`<input type="hidden" name="_csrf" value="${csrfToken(req)}">`;
}

function header(req: Request, municipality: string, active: string | undefined): Html {
  const user = req.user;
  const items = user ? NAV.filter((n) => scopeFor(user, n.action)) : [];
  return html`<header class="console-head">
<div class="brand"><a href="/">Itaku（委託）</a>${municipality ? html` <span class="muni">${municipality}</span>` : ''}</div>
${user
  ? html`<div class="who"><span class="name">${user.name}</span> <span class="roles">${rolesText(user.roles)}</span>
<a href="/account">アカウント</a>
<form method="post" action="/logout" class="inline-form">${csrfField(req)}<button type="submit" class="link">サインアウト</button></form></div>`
  : ''}
</header>
${items.length
  ? html`<nav class="console-nav" aria-label="主なメニュー"><ul>${items.map(
      (n) => html`<li><a${attrs({ href: n.href, 'aria-current': n.key === active ? 'page' : undefined })}>${n.label}</a></li>`,
    )}</ul></nav>`
  : ''}`;
}

/** Sends a console page (HTML, no caching: pages show records the next person at this browser may not see). */
export async function render(req: Request, res: Response, p: ConsolePage): Promise<void> {
  const settings = await getSettings().catch(() => null);
  const crumbs = p.crumbs?.length
    ? html`<nav class="crumbs" aria-label="現在地"><ol>${p.crumbs.map(([label, href]) => html`<li><a href="${href}">${label}</a></li>`)}<li aria-current="page">${p.title}</li></ol></nav>`
    : '';
  const body = html`${header(req, settings?.name ?? '', p.active)}
<main id="main" class="console">${crumbs}${p.body}</main>`;
  const out = `<!doctype html>${html`<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${p.title} — Itaku</title>
<link rel="stylesheet" href="/static/itaku.css">
<link rel="stylesheet" href="/static/console.css">
<script src="/static/console.js" defer></script>
</head>
<body class="console-body">
<a class="skip" href="#main">本文へ移動</a>
${body}
</body>
</html>`.value}`;
  res.status(p.status ?? 200).setHeader('Cache-Control', 'no-store');
  res.type('html').send(out);
}

/** A page heading with actions (buttons and links) on the right. */
export function heading(title: string, actions: Html | string = ''): Html {
  return html`<div class="page-head"><h1>${title}</h1>${actions ? html`<div class="page-actions">${actions}</div>` : ''}</div>`;
}

/** A one-button form posting to `action` (with CSRF), e.g. revoke, archive. `confirm` is asked by console.js. */
export function postButton(req: Request, action: string, label: string, opts: { confirm?: string; className?: string; fields?: Record<string, string | number> } = {}): Html {
  return html`<form method="post" action="${action}" class="inline-form"${attrs({ 'data-confirm': opts.confirm })}>${csrfField(req)}${Object.entries(opts.fields ?? {}).map(
    ([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`,
  )}<button type="submit"${attrs({ class: opts.className })}>${label}</button></form>`;
}

/** A notice shown once after a redirect (`?done=…`). */
export function notice(text: string | undefined | null): Html | string {
  return text ? html`<div class="notice" role="status">${text}</div>` : '';
}
