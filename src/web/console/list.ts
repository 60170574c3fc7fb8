/** Lists: search, filters, paging and sort as GET parameters, so every list state is a link that can be shared. */
import mongoose from 'mongoose';
import type { Request } from 'express';
import { attrs, html, type Html } from '../html.js';
import type { Versioned, VersionedStore } from '../../db/versioned.js';
import { escapeRegExp } from '../../shared/text.js';
import { field, type FieldSpec } from './forms.js';

export interface ListParams {
  page: number;
  limit: number;
  sort: string;
  q: string;
  /** Every other query parameter, as given (strings only). */
  filters: Record<string, string>;
}

const LIMITS = [20, 50, 100];

/** Reads `?page&limit&sort&q` and the filters named in `filterNames`; unknown sorts fall back to the first. */
export function listParams(req: Request, sorts: readonly string[], filterNames: readonly string[] = []): ListParams {
  const query = req.query as Record<string, unknown>;
  const str = (k: string) => (typeof query[k] === 'string' ? (query[k] as string).slice(0, 200) : '');
  const page = Math.min(100000, Math.max(1, Number.parseInt(str('page'), 10) || 1));
  const limit = LIMITS.includes(Number(str('limit'))) ? Number(str('limit')) : LIMITS[0]!;
  const sort = sorts.includes(str('sort')) ? str('sort') : sorts[0]!;
  const filters: Record<string, string> = {};
  for (const name of filterNames) if (str(name)) filters[name] = str(name);
  return { page, limit, sort, q: str('q').trim(), filters };
}

/** A case-insensitive search over `fields` (the text escaped, never a raw regular expression). */
export function searchFilter(q: string, fields: readonly string[]): Record<string, unknown> {
  if (!q) return {};
  const pattern = escapeRegExp(q.normalize('NFKC'));
  return { $or: fields.map((f) => ({ [f]: mongoose.trusted({ $regex: pattern, $options: 'i' }) })) };
}

/** One page of a versioned store's records (rolled forward), with the total. */
export async function findPage<T extends Versioned>(store: VersionedStore<T>, filter: Record<string, unknown>, sort: Record<string, 1 | -1>, p: ListParams): Promise<{ items: T[]; total: number }> {
  const [docs, total] = await Promise.all([
    store.model.find(filter).sort({ ...sort, _id: 1 }).skip((p.page - 1) * p.limit).limit(p.limit).lean(),
    store.model.countDocuments(filter),
  ]);
  return { items: await store.rollForward(docs as T[]), total };
}

function href(base: string, p: ListParams, change: Partial<Pick<ListParams, 'page' | 'sort' | 'limit'>>): string {
  const params = new URLSearchParams();
  if (p.q) params.set('q', p.q);
  for (const [k, v] of Object.entries(p.filters)) params.set(k, v);
  const sort = change.sort ?? p.sort;
  params.set('sort', sort);
  const limit = change.limit ?? p.limit;
  if (limit !== LIMITS[0]) params.set('limit', String(limit));
  const page = change.page ?? p.page;
  if (page > 1) params.set('page', String(page));
  return `${base}?${params.toString()}`;
}

/** The search and filter form (GET). */
export function filterForm(base: string, p: ListParams, specs: readonly FieldSpec[], sorts: Record<string, string>, searchLabel = '名称で検索'): Html {
  const state = { values: { q: p.q, sort: p.sort, limit: String(p.limit), ...p.filters }, errors: {} };
  return html`<form method="get" action="${base}" class="filters" role="search" aria-label="絞り込み">
${field({ name: 'q', label: searchLabel, type: 'text' }, state)}
${specs.map((s) => field(s, state))}
${field({ name: 'sort', label: '並び順', type: 'select', required: true, options: Object.entries(sorts).map(([value, label]) => ({ value, label })) }, state)}
${field({ name: 'limit', label: '表示件数', type: 'select', required: true, options: LIMITS.map((n) => ({ value: String(n), label: `${n}件` })) }, state)}
<div class="field"><button type="submit" class="primary">絞り込む</button> <a href="${base}">条件をクリア</a></div>
</form>`;
}

/** A column header that sorts by `sort` (shows the current one). */
export function sortHeader(base: string, p: ListParams, label: string, sort?: string): Html {
  if (!sort) return html`<th scope="col">${label}</th>`;
  const current = p.sort === sort;
  return html`<th scope="col"${attrs({ 'aria-sort': current ? 'ascending' : undefined })}><a href="${href(base, p, { sort, page: 1 })}">${label}${current ? ' ▲' : ''}</a></th>`;
}

export function pager(base: string, p: ListParams, total: number): Html {
  const pages = Math.max(1, Math.ceil(total / p.limit));
  const from = total === 0 ? 0 : (p.page - 1) * p.limit + 1;
  const to = Math.min(total, p.page * p.limit);
  return html`<nav class="pager" aria-label="ページ送り"><span>${total}件中 ${from}〜${to}件目</span>
${p.page > 1 ? html`<a href="${href(base, p, { page: p.page - 1 })}" rel="prev">前のページ</a>` : ''}
<span>${p.page} / ${pages} ページ</span>
${p.page < pages ? html`<a href="${href(base, p, { page: p.page + 1 })}" rel="next">次のページ</a>` : ''}</nav>`;
}

/** A table with a caption, or a sentence when there is nothing to show. */
export function table(caption: string, head: Html, rows: Html[], empty = '該当するものはありません。'): Html {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<div class="table-wrap"><table class="list"><caption class="visually-hidden">${caption}</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}
