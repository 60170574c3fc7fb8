/**
 * Form fields for the console: one spec drives the label, the input, the message beside it and the parsing of the
 * posted value into the shape the API's zod schema expects, so the same schema (and the same domain command) judges
 * a form and a JSON request. Names are the schema's paths (`period.start`, `informationAssets.0.name`), so an error's
 * path finds its field.
 */
import { ZodError, type ZodType } from 'zod';
import { attrs, html, type Html } from '../html.js';
import { AppError } from '../../http/errors.js';
import { zodFieldErrors } from '../../http/problem.js';
import type { ApiRegistry } from '../../http/route.js';

export interface Option {
  value: string;
  label: string;
}

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'textarea' | 'date' | 'email' | 'password' | 'number' | 'select' | 'checkbox' | 'list' | 'checkboxes' | 'hidden';
  options?: readonly Option[];
  /** An empty value is sent as null (otherwise as ''). */
  nullable?: boolean;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  /** Input width hint. */
  size?: 'short' | 'long';
  /** A select whose values are numbers (1, 2). */
  numeric?: boolean;
  /** Shown, never sent. */
  readonly?: boolean;
}

export interface FormState {
  /** Flat values by field name: what the user typed, or the record's values. */
  values: Record<string, unknown>;
  errors: Record<string, string>;
  message?: string;
  /** On a version conflict: the stored version's flat values and number, shown beside the user's input. */
  stored?: Record<string, unknown>;
  storedVersion?: number;
}

export const blankState = (values: Record<string, unknown> = {}): FormState => ({ values, errors: {} });

export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function text(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v === true) return 'on';
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

function shown(spec: FieldSpec, v: unknown): string {
  if (spec.type === 'checkbox') return v === true || v === 'on' ? 'はい' : 'いいえ';
  const t = text(v);
  if (spec.options) {
    const values = Array.isArray(v) ? v.map(String) : [t];
    return values.map((x) => spec.options!.find((o) => o.value === x)?.label ?? x).join('、') || '（空欄）';
  }
  return t || '（空欄）';
}

function differs(spec: FieldSpec, a: unknown, b: unknown): boolean {
  if (spec.type === 'checkbox') return (a === true || a === 'on') !== (b === true || b === 'on');
  return text(a).trim() !== text(b).trim();
}

/** One labelled field with its hint, its message and, on a conflict, the stored value beside it. */
export function field(spec: FieldSpec, state: FormState): Html {
  const id = fieldId(spec.name);
  const value = state.values[spec.name];
  const error = state.errors[spec.name];
  const describedBy = [spec.hint ? `h-${id}` : '', error ? `e-${id}` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name: spec.name, 'aria-describedby': describedBy, 'aria-invalid': error ? 'true' : undefined, required: spec.required, disabled: spec.readonly };
  const storedValue = state.stored?.[spec.name];
  const conflict = state.stored && differs(spec, storedValue, value)
    ? html`<p class="stored" role="note"><strong>保存されている内容（第${state.storedVersion ?? '?'}版）:</strong> ${shown(spec, storedValue)}</p>`
    : '';
  const hint = spec.hint ? html`<p class="hint" id="h-${id}">${spec.hint}</p>` : '';
  const err = error ? html`<p class="error" id="e-${id}">${error}</p>` : '';
  if (spec.type === 'hidden') return html`<input type="hidden" name="${spec.name}" value="${text(value)}">`;
  if (spec.type === 'checkbox') {
    return html`<div class="field check${error ? ' has-error' : ''}"><label for="${id}"><input type="checkbox" value="on"${attrs({ ...common, checked: value === true || value === 'on' })}> ${spec.label}</label>${hint}${err}${conflict}</div>`;
  }
  if (spec.type === 'checkboxes') {
    const chosen = (Array.isArray(value) ? value : value ? [value] : []).map(String);
    return html`<fieldset class="field checks${error ? ' has-error' : ''}" id="${id}"><legend>${spec.label}${spec.required ? html` <span class="req">必須</span>` : ''}</legend>${hint}${err}
${(spec.options ?? []).map((o, i) => html`<label for="${id}-${i}"><input type="checkbox" id="${id}-${i}" name="${spec.name}" value="${o.value}"${attrs({ checked: chosen.includes(o.value) })}> ${o.label}</label>`)}${conflict}</fieldset>`;
  }
  let input: Html;
  switch (spec.type) {
    case 'textarea':
      input = html`<textarea rows="4"${attrs(common)}>${text(value)}</textarea>`;
      break;
    case 'select':
      input = html`<select${attrs(common)}>${spec.nullable || !spec.required ? html`<option value="">（選択してください）</option>` : ''}${(spec.options ?? []).map(
        (o) => html`<option value="${o.value}"${attrs({ selected: text(value) === o.value })}>${o.label}</option>`,
      )}</select>`;
      break;
    default:
      input = html`<input${attrs({
        ...common,
        type: spec.type === 'list' ? 'text' : (spec.type ?? 'text'),
        value: spec.type === 'password' ? '' : text(value),
        autocomplete: spec.autocomplete,
        class: spec.size,
        inputmode: spec.type === 'number' ? 'numeric' : undefined,
      })}>`;
  }
  return html`<div class="field${error ? ' has-error' : ''}"><label for="${id}">${spec.label}${spec.required ? html` <span class="req">必須</span>` : ''}</label>${hint}${err}${input}${conflict}</div>`;
}

export function fields(specs: readonly FieldSpec[], state: FormState): Html {
  return html`${specs.map((s) => field(s, state))}`;
}

/** The message at the top of a refused form, linking to each field that has one. */
export function errorSummary(state: FormState): Html | string {
  const entries = Object.entries(state.errors);
  if (!state.message && entries.length === 0) return '';
  return html`<div class="errors" role="alert" tabindex="-1" id="error-summary"><h2>${state.message ?? '入力内容を確認してください'}</h2>${
    entries.length ? html`<ul>${entries.map(([name, message]) => html`<li><a href="#${fieldId(name)}">${message}</a></li>`)}</ul>` : ''
  }</div>`;
}

/** Sets `value` at a dotted path, creating objects, and arrays for numeric segments. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> = target;
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      node[part] = value;
      return;
    }
    const nextIsIndex = /^\d+$/.test(parts[i + 1]!);
    node[part] ??= nextIsIndex ? [] : {};
    node = node[part] as Record<string, unknown>;
  });
}

/** Flat dotted values of a record (input shape) for filling a form. */
export function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
    out[prefix] = value;
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(v, prefix ? `${prefix}.${i}` : String(i), out));
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = value;
  }
  return out;
}

/** One posted value in the schema's type. */
export function parseValue(spec: FieldSpec, raw: unknown): unknown {
  const first = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  switch (spec.type) {
    case 'checkbox':
      return first === 'on' || first === 'true';
    case 'checkboxes':
      return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    case 'number': {
      const s = typeof first === 'string' ? first.trim() : '';
      return s === '' ? (spec.nullable ? null : undefined) : /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
    }
    case 'hidden':
      return typeof first === 'string' && first !== '' ? first : undefined;
    case 'list':
      return (typeof first === 'string' ? first : '').split(/[\s,、，]+/).filter(Boolean);
    default: {
      const s = typeof first === 'string' ? first : '';
      if (spec.numeric && /^\d+$/.test(s)) return Number(s);
      return s.trim() === '' && spec.nullable ? null : s;
    }
  }
}

/** The posted fields as a nested object. `skipBlank` leaves out empty optional values so schema defaults apply. */
export function parseFields(specs: readonly FieldSpec[], body: Record<string, unknown>, into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const spec of specs) if (!spec.readonly) setPath(into, spec.name, parseValue(spec, body[spec.name]));
  return into;
}

/** A repeated group (information assets, contacts…): rows `<group>.<i>.<field>`, with `extra` blank rows to fill in. */
export function groupRows(group: string, legend: string, specs: readonly FieldSpec[], state: FormState, extra = 1): Html {
  const indices = new Set<number>();
  for (const key of Object.keys(state.values)) {
    const m = new RegExp(`^${group.replace(/\./g, '\\.')}\\.(\\d+)\\.`).exec(key);
    if (m) indices.add(Number(m[1]));
  }
  const count = (indices.size ? Math.max(...indices) + 1 : 0) + extra;
  return html`<div class="group" data-group="${group}">${Array.from({ length: count }, (_, i) =>
    html`<fieldset class="row"><legend>${legend} ${i + 1}</legend><div class="row-fields">${specs.map((s) => field({ ...s, name: `${group}.${i}.${s.name}` }, state))}</div></fieldset>`,
  )}</div>`;
}

/** The rows of a group that were filled in (a row whose `keyFields` are all empty is a blank row and dropped). */
export function parseGroup(group: string, specs: readonly FieldSpec[], body: Record<string, unknown>, keyFields: string[]): Record<string, unknown>[] {
  const indices = new Set<number>();
  for (const key of Object.keys(body)) {
    const m = new RegExp(`^${group.replace(/\./g, '\\.')}\\.(\\d+)\\.`).exec(key);
    if (m) indices.add(Number(m[1]));
  }
  const rows: Record<string, unknown>[] = [];
  for (const i of [...indices].sort((a, b) => a - b)) {
    const filled = keyFields.some((k) => String(body[`${group}.${i}.${k}`] ?? '').trim() !== '');
    if (!filled) continue;
    const row: Record<string, unknown> = {};
    for (const s of specs) setPath(row, s.name, parseValue(s, body[`${group}.${i}.${s.name}`]));
    rows.push(row);
  }
  return rows;
}

/** Field messages from a refusal: a zod error, or an AppError's details. Paths are re-based by `map` when given. */
export function formErrors(err: unknown, map: (path: string) => string = (p) => p): { message: string; errors: Record<string, string> } | null {
  const details = err instanceof ZodError ? zodFieldErrors(err) : err instanceof AppError && err.status < 500 ? (err.details ?? []) : null;
  if (!details) return null;
  const errors: Record<string, string> = {};
  for (const d of details) {
    const key = map(d.path) || '_form';
    errors[key] ??= d.message;
  }
  return { message: err instanceof AppError ? err.message : '入力内容に誤りがあります', errors };
}

/** Validates with the API's schema; throws the ZodError for `formErrors`. */
export function validate<T extends ZodType>(schema: T, input: unknown): ReturnType<T['parse']> {
  const r = schema.safeParse(input);
  if (!r.success) throw r.error;
  return r.data as ReturnType<T['parse']>;
}

/** The body schema the API declares for a route: a form is validated with the same schema as a JSON request. */
export function apiBody(api: ApiRegistry, method: string, path: string): ZodType {
  const route = api.routes.find((r) => r.method === method && r.path === path);
  if (!route?.body) throw new Error(`no API body schema for ${method.toUpperCase()} ${path}`);
  return route.body as ZodType;
}

export const isConflict = (err: unknown): err is AppError => err instanceof AppError && err.code === 'version_conflict';

export interface SaveFlow<T> {
  /** The posted form as API input. */
  parse: () => Record<string, unknown>;
  save: (input: Record<string, unknown>) => Promise<T>;
  done: (saved: T) => string;
  show: (state: FormState, status: number) => Promise<void>;
  /** The stored record's flat form values and version, for a version conflict. */
  stored?: () => Promise<{ values: Record<string, unknown>; version: number } | null>;
}

/**
 * Saves a posted form: on success, redirects (303) to `done`; on a refusal, shows the form again with what the user
 * typed, the messages beside the fields and a summary; on a version conflict, the stored version beside each field
 * that differs, and the form now carries the stored version number so that saving again is a deliberate overwrite.
 */
export async function saveForm<T>(req: { body: unknown }, res: { redirect: (status: number, url: string) => void }, flow: SaveFlow<T>): Promise<void> {
  const values = { ...(req.body as Record<string, unknown>) };
  delete values._csrf;
  try {
    const saved = await flow.save(flow.parse());
    res.redirect(303, flow.done(saved));
  } catch (err) {
    if (isConflict(err) && flow.stored) {
      const stored = await flow.stored();
      const yours = values.version;
      if (stored) values.version = String(stored.version);
      return flow.show(
        {
          values,
          errors: {},
          message: `保存できませんでした。あなたが編集を始めた後に、他の利用者がこの記録を更新しています（あなたが開いたのは第${yours ?? '?'}版、現在は第${stored?.version ?? '?'}版）。各項目の下に保存されている内容を示します。確認して必要な修正をし、もう一度保存してください。`,
          ...(stored ? { stored: stored.values, storedVersion: stored.version } : {}),
        },
        409,
      );
    }
    const f = formErrors(err);
    if (!f) throw err;
    return flow.show({ values, ...f }, err instanceof AppError ? err.status : 400);
  }
}
