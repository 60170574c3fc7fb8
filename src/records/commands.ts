import type { WriteContext } from '../audit/actor.js';
import { authorize, authorizeRecord, type Action, type Principal } from '../auth/policy.js';
import type { NewRecord, Versioned, VersionedStore } from '../db/versioned.js';
import { AppError } from '../http/errors.js';

/** What a versioned record kind declares once: its store, who may read and write it, and its domain rules. */
export interface RecordKindSpec<T extends Versioned, C, U> {
  store: VersionedStore<T>;
  /** Japanese noun for messages, e.g. '業務委託'. */
  noun: string;
  readAction: Action;
  writeAction: Action;
  /** The record's department, for department-scoped roles; omit for shared master data. */
  departmentOf?: (doc: T) => string | null;
  /** The department of a record about to be created, from its input. */
  departmentOfInput?: (input: C) => string | null;
  /** The record to store from validated create input (references checked, derived fields computed). */
  toRecord: (input: C, user: Principal) => Promise<NewRecord<T>>;
  /** The next state from the current record and the fields a PATCH gave. */
  applyUpdate: (current: T, changes: U, user: Principal) => Promise<Omit<T, keyof Versioned>>;
  /** Extra check before archiving (e.g. a vendor still in use). */
  beforeArchive?: (doc: T) => Promise<void>;
  /** Work after every create or update (e.g. recompute dependants, tier history). */
  afterWrite?: (ctx: WriteContext, doc: T) => Promise<void>;
}

/**
 * The reads and writes of one record kind as the API and the console both use them: visibility and the policy table,
 * the department rules for department-scoped roles, the kind's rules, the versioned write (revision, audit, record)
 * and the after-write work. Create and update take input already validated with the kind's zod schemas.
 */
export interface RecordCommands<T extends Versioned, C, U> {
  readonly spec: RecordKindSpec<T, C, U>;
  /** The record if this user may see it (404 otherwise, also for another department's) and do `action` to it (403). */
  find(user: Principal, id: string, action?: Action): Promise<T>;
  /** The record if this user may change it, and it is not archived (409). */
  findLive(user: Principal, id: string): Promise<T>;
  /** Creates a record; a user limited to a department may create only in their own (403). */
  create(ctx: WriteContext, user: Principal, input: C): Promise<T>;
  /** Applies `changes` to the record if it is live and still at `expectedVersion` (409 otherwise, nothing changed). */
  update(ctx: WriteContext, user: Principal, id: string, changes: U, expectedVersion: number): Promise<T>;
  /** Archives the record (never deleted) if still at `expectedVersion`; an archived record is returned as it is. */
  archive(ctx: WriteContext, user: Principal, id: string, expectedVersion?: number): Promise<T>;
}

function assertOwnDepartment(user: Principal, writeAction: Action, departmentId: string | null | undefined, message: string): void {
  if (authorize(user, writeAction) === 'department' && departmentId !== user.departmentId) {
    throw new AppError('forbidden', message, 403, [{ path: 'departmentId', message: '自課を指定してください' }]);
  }
}

/** The commands of a record kind, from its declaration. */
export function recordCommands<T extends Versioned, C, U>(spec: RecordKindSpec<T, C, U>): RecordCommands<T, C, U> {
  const { store, noun, readAction, writeAction, departmentOf } = spec;

  async function find(user: Principal, id: string, action: Action = readAction): Promise<T> {
    const doc = await store.get(id);
    if (!doc) throw new AppError('not_found', `指定された${noun}は見つかりません`, 404);
    if (departmentOf) authorizeRecord(user, action, departmentOf(doc), readAction);
    else authorize(user, action);
    return doc;
  }

  async function findLive(user: Principal, id: string): Promise<T> {
    const current = await find(user, id, writeAction);
    if (current.archivedAt) throw new AppError('illegal_state', `アーカイブ済みの${noun}は変更できません`, 409);
    return current;
  }

  return {
    spec,
    find,
    findLive,

    async create(ctx, user, input) {
      authorize(user, writeAction);
      if (spec.departmentOfInput) assertOwnDepartment(user, writeAction, spec.departmentOfInput(input), '自課以外の記録は登録できません');
      const created = await store.create(ctx, `${store.entity}.create`, await spec.toRecord(input, user));
      await spec.afterWrite?.(ctx, created);
      return (await store.get(created._id)) ?? created;
    },

    async update(ctx, user, id, changes, expectedVersion) {
      const current = await findLive(user, id);
      const next = await spec.applyUpdate(current, changes, user);
      if (departmentOf) assertOwnDepartment(user, writeAction, departmentOf(next as T), '自課以外の部署へは移せません');
      const updated = await store.update(ctx, `${store.entity}.update`, id, expectedVersion, () => next);
      await spec.afterWrite?.(ctx, updated);
      return updated;
    },

    async archive(ctx, user, id, expectedVersion) {
      const current = await find(user, id, writeAction);
      if (current.archivedAt) return current;
      await spec.beforeArchive?.(current);
      return store.archive(ctx, id, expectedVersion ?? current.version);
    },
  };
}
