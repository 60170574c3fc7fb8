/**
 * Minimal HTML templating for server-rendered pages: every interpolated value is escaped unless it is already an
 * `Html` fragment built by this module. Pages carry no inline scripts (the CSP forbids them).
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

type Part = Html | string | number | boolean | null | undefined | Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  if (part instanceof Html) return part.value;
  return escapeHtml(part);
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Trusted markup (only for constants written in this code base). */
export const raw = (s: string) => new Html(s);

export function attrs(map: Record<string, string | number | boolean | null | undefined>): Html {
  return new Html(
    Object.entries(map)
      .filter(([, v]) => v !== false && v !== null && v !== undefined)
      .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escapeHtml(v)}"`))
      .join(''),
  );
}

export interface PageOptions {
  title: string;
  lang: 'ja' | 'en';
  body: Html;
  scripts?: string[];
  /** Extra class on <body>. */
  bodyClass?: string;
}

export function page(opts: PageOptions): string {
  return `<!doctype html>${html`<html lang="${opts.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${opts.title}</title>
<link rel="stylesheet" href="/static/itaku.css">
${(opts.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body${attrs({ class: opts.bodyClass })}>
<a class="skip" href="#main">${opts.lang === 'en' ? 'Skip to content' : '本文へ移動'}</a>
${opts.body}
</body>
</html>`.value}`;
}
