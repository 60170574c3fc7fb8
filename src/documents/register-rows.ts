/**
 * The rows of a register, read from the database in pages through one cursor, so a register of any length needs the
 * memory of one page: the names each page refers to (departments, people, vendors) are fetched for the whole page at
 * once and kept for later pages, and each record becomes a plain row object keyed as the layouts in
 * exports/registers/ read it (register-map.ts).
 *
 * Records are exported as stored, without the roll-forward of lists (a read of the in-progress markers per page, and a
 * lookup per marked record). A revision left pending by a crash is completed at
 * start-up (and by the CLI before any command) and by the service's periodic sweep; a write still in flight when the
 * export reads its record is simply after the snapshot.
 *
 * The latest result and its date are the record's `lastDecision` (set from the latest decided assessment by every
 * decision and by the start-up sweep, and what the next review is computed from), so no assessment is read. Open
 * conditions are read once per export: one projected pass over the conditions, keeping two values per subject.
 */
import mongoose from 'mongoose';
import { ConditionModel, type Condition } from '../decisions/condition.model.js';
import { subjectKey } from '../decisions/decision-summary.js';
import type { VersionedStore, Versioned } from '../db/versioned.js';
import { DepartmentModel, PersonModel, type Department, type Person } from '../org/index.js';
import { storeOf, type SubjectKind, type SubjectRecord } from '../records/index.js';
import { compareDates } from '../shared/dates.js';
import { VendorModel, vendorStore } from '../vendors/vendor.model.js';
import type { Vendor } from '../vendors/vendor.types.js';
import type { RegisterId } from './index.js';
import { REGISTER_KINDS } from './register-query.js';
import { rowMappers, type RowContext } from './register-map.js';

/** Records per page: one cursor batch, and at most one name lookup per kind of name. */
export const PAGE_SIZE = 500;

const t = mongoose.trusted;

/** Pages of records matching `filter` in `sort` order, from one cursor. */
export async function* pagesOf<T extends Versioned>(
  store: VersionedStore<T>,
  filter: Record<string, unknown>,
  sort: Record<string, 1 | -1>,
  options: { size?: number; projection?: Record<string, 1 | 0> } = {},
): AsyncGenerator<T[]> {
  const size = options.size ?? PAGE_SIZE;
  const cursor = store.model.find(filter, options.projection).sort(sort).lean().cursor({ batchSize: size });
  let page: T[] = [];
  try {
    for await (const doc of cursor) {
      page.push(doc as T);
      if (page.length === size) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  } finally {
    await cursor.close();
  }
}

/** Names a register shows for the ids its records hold, fetched a page at a time and kept for later pages. */
export class Directory {
  private readonly departments = new Map<string, Department | null>();
  private readonly people = new Map<string, Person | null>();
  private readonly vendors = new Map<string, Vendor | null>();

  /** One query per kind of name and page, for the ids not seen before (master data: small collections). */
  private static async fill<T extends Versioned>(cache: Map<string, T | null>, ids: Iterable<string | null | undefined>, model: mongoose.Model<T>): Promise<void> {
    const missing = [...new Set([...ids].filter((id): id is string => Boolean(id) && !cache.has(id!)))];
    if (missing.length === 0) return;
    for (const doc of (await model.find({ _id: t({ $in: missing }) }).lean()) as T[]) cache.set(doc._id, doc);
    for (const id of missing) if (!cache.has(id)) cache.set(id, null);
  }

  /** Fetches what a page of records names that is not known yet. */
  async load(ids: { departments?: Iterable<string | null | undefined>; people?: Iterable<string | null | undefined>; vendors?: Iterable<string | null | undefined> }): Promise<void> {
    await Promise.all([
      Directory.fill(this.departments, ids.departments ?? [], DepartmentModel),
      Directory.fill(this.people, ids.people ?? [], PersonModel),
      Directory.fill(this.vendors, ids.vendors ?? [], VendorModel),
    ]);
  }

  department(id: string | null | undefined): string | null {
    return id ? (this.departments.get(id)?.name ?? null) : null;
  }

  /** The person's name and whether they are active; null when no one is named. A missing person reads as inactive. */
  person(id: string | null | undefined): { name: string; active: boolean } | null {
    if (!id) return null;
    const p = this.people.get(id);
    return p ? { name: p.name, active: p.active && !p.archivedAt } : { name: '（登録されていない人物）', active: false };
  }

  vendor(id: string | null | undefined): Vendor | null {
    return id ? (this.vendors.get(id) ?? null) : null;
  }
}

/** What a register reads from the conditions of decisions. */
export interface DecisionIndex {
  /** By `kind:id`: open conditions (of any decision) and the earliest due date among them. */
  open: ReadonlyMap<string, { count: number; next: string }>;
}

/** The open conditions of one kind of subject (all kinds for the vendors register), limited to a department. */
export async function decisionIndex(kind: SubjectKind | null, department: string | null): Promise<DecisionIndex> {
  const scope = { ...(kind ? { 'subject.kind': kind } : {}), ...(department ? { departmentId: department } : {}) };
  const docs = (await ConditionModel.find({ ...scope, status: 'open', archivedAt: null }, { _id: 1, version: 1, subject: 1, status: 1, dueDate: 1 }).lean()) as unknown as Condition[];
  const open = new Map<string, { count: number; next: string }>();
  for (const c of docs) {
    if (c.status !== 'open') continue;
    const key = subjectKey(c.subject);
    const seen = open.get(key);
    open.set(key, { count: (seen?.count ?? 0) + 1, next: seen && compareDates(seen.next, c.dueDate) <= 0 ? seen.next : c.dueDate });
  }
  return { open };
}

/** How the vendors register sees each vendor's use: its live engagements and services (in the department, if any). */
export interface VendorUse {
  engagements: number;
  cloudServices: number;
  nextReviewDate: string | null;
  latest: { result: string; at: string } | null;
}

/** One projected pass over engagements and cloud services: what each vendor is used for. */
export async function vendorUse(department: string | null): Promise<Map<string, VendorUse>> {
  const use = new Map<string, VendorUse>();
  const scope = { archivedAt: null, ...(department ? { departmentId: department } : {}) };
  const fields = { _id: 1, version: 1, kind: 1, vendorId: 1, providerVendorId: 1, nextReviewDate: 1, lastDecision: 1 } as const;
  for (const kind of ['engagement', 'cloudService'] as const) {
    const store = storeOf(kind);
    for await (const page of pagesOf(store, scope, { _id: 1 }, { size: 2000, projection: fields })) {
      for (const r of page) {
        const vendorId = r.kind === 'engagement' ? r.vendorId : r.kind === 'cloudService' ? r.providerVendorId : null;
        if (!vendorId || r.archivedAt) continue;
        const u = use.get(vendorId) ?? { engagements: 0, cloudServices: 0, nextReviewDate: null, latest: null };
        if (kind === 'engagement') u.engagements++;
        else u.cloudServices++;
        if (!u.nextReviewDate || compareDates(r.nextReviewDate, u.nextReviewDate) < 0) u.nextReviewDate = r.nextReviewDate;
        const d = latestOf(r);
        if (d && (!u.latest || u.latest.at < d.at)) u.latest = d;
        use.set(vendorId, u);
      }
    }
  }
  return use;
}

/** A subject's latest result and its date, as its record keeps them. */
export function latestOf(r: Pick<SubjectRecord, 'lastDecision'>): { result: string; date: string; at: string } | null {
  return r.lastDecision ? { result: r.lastDecision.result, date: r.lastDecision.date, at: r.lastDecision.date } : null;
}

/**
 * Open conditions of a subject, from the conditions; a record decided without an assessment (imported or seeded
 * records) has only its `lastDecision` to say which are open.
 */
export function openConditionsOf(r: SubjectRecord, decisions: DecisionIndex): { count: number; next: string | null } {
  const open = decisions.open.get(subjectKey({ kind: r.kind, id: r._id }));
  if (open) return open;
  if (r.lastDecision && !r.lastDecision.assessmentId && r.lastDecision.result === 'conditional') {
    const dates = [...r.lastDecision.openConditionDueDates].sort(compareDates);
    return { count: dates.length, next: dates[0] ?? null };
  }
  return { count: 0, next: null };
}

/** Everything a register export needs to know besides the filter. */
export interface RegisterReadOptions {
  today: string;
  dormancyDays: number;
  /** The department the register is limited to (a department-scoped reader's own); null for every department. */
  department: string | null;
}

/** The rows of a register and a way to give them up before the end (closes the database cursor). */
export interface RegisterRows {
  rows: AsyncGenerator<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * The rows of register `id` for records matching `filter` in `sort` order, one page at a time. The first page is read
 * before this resolves, so a database failure surfaces before a single byte of the file is sent.
 */
export async function registerRows(id: RegisterId, filter: Record<string, unknown>, sort: Record<string, 1 | -1>, options: RegisterReadOptions): Promise<RegisterRows> {
  const kind = REGISTER_KINDS[id].kind;
  const decisions = await decisionIndex(kind, options.department);
  const directory = new Directory();
  const ctx: RowContext = { today: options.today, dormancyDays: options.dormancyDays, directory, decisions };
  let source: AsyncGenerator<Versioned[]>;
  if (id === 'vendors') {
    const use = await vendorUse(options.department);
    ctx.vendorUse = use;
    const scoped = options.department ? { ...filter, _id: t({ $in: [...use.keys()] }) } : filter;
    source = pagesOf(vendorStore, scoped, sort);
  } else {
    source = pagesOf(storeOf(kind!), filter, sort) as AsyncGenerator<Versioned[]>;
  }
  const map = rowMappers[id];
  const close = async (): Promise<void> => {
    await source.return(undefined);
  };
  let page = await source.next();
  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    try {
      while (!page.done) {
        await map.prefetch(page.value as never, directory);
        for (const record of page.value) yield map.row(record as never, ctx);
        page = await source.next();
      }
    } finally {
      await close();
    }
  }
  return { rows: rows(), close };
}
