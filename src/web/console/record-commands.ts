/**
 * Create, update and archive of vendors and the three subject kinds, for the console. The API declares these steps
 * inside `registerResource` callbacks (src/http/resource.ts), which nothing else can call; this is the same sequence
 * over the same exported pieces — the API's zod schemas (taken from its route table), the kinds' build functions, the
 * policy table, the versioned stores and the after-write hooks — so a form and a JSON request meet the same rules.
 */
import type { Request } from 'express';
import type { ZodType } from 'zod';
import { contextOf, type WriteContext } from '../../audit/actor.js';
import { authorize, authorizeRecord, scopeFor, type Action } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import type { NewRecord, Versioned, VersionedStore } from '../../db/versioned.js';
import { AppError } from '../../http/errors.js';
import type { ApiRegistry } from '../../http/route.js';
import { stripUndefined } from '../../org/index.js';
import { recomputeVendorDependents, vendorUsage } from '../../records/recompute.js';
import { syncTierHistory } from '../../records/tier-history.js';
import { buildVendor, vendorStore } from '../../vendors/index.js';
import { buildEngagement, engagementStore } from '../../engagements/index.js';
import { engagementAsInput } from '../../engagements/engagements.commands.js';
import { buildCloudService, cloudServiceStore } from '../../cloud-services/index.js';
import { cloudServiceAsInput } from '../../cloud-services/cloud-services.commands.js';
import { buildSnsAccount, snsAccountStore } from '../../sns-accounts/index.js';
import { snsAccountAsInput } from '../../sns-accounts/sns-accounts.commands.js';
import { validate } from './forms.js';

export type RecordKind = 'vendor' | 'engagement' | 'cloudService' | 'snsAccount';

interface Ops {
  apiPath: string;
  noun: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  store: VersionedStore<any>;
  readAction: Action;
  writeAction: Action;
  departmentOf?: (doc: { departmentId: string }) => string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  build: (input: any, current: any, req: Request) => Promise<NewRecord<Versioned>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  asInput: (current: any) => Record<string, unknown>;
  afterWrite: (ctx: WriteContext, doc: Versioned) => Promise<void>;
  beforeArchive?: (doc: Versioned) => Promise<void>;
}

function visibleTo(req: Request) {
  const user = principalOf(req);
  return scopeFor(user, 'records.read') === 'all' ? null : (dept: string) => dept === user.departmentId;
}

export const OPS: Record<RecordKind, Ops> = {
  vendor: {
    apiPath: '/api/v1/vendors', noun: '事業者', store: vendorStore, readAction: 'vendors.read', writeAction: 'vendors.write',
    build: async (input, current) => (current ? { ...current, ...(await buildVendor(input, current._id)) } : buildVendor(input, null)),
    asInput: (current) => ({ ...current }),
    afterWrite: async (ctx, v) => {
      if (v.version > 1) await recomputeVendorDependents(ctx, v._id);
    },
    beforeArchive: async (v) => {
      const inUse = await vendorUsage(v._id);
      if (inUse > 0) throw new AppError('illegal_state', `この事業者は${inUse}件の業務委託・外部サービスで使われているため、アーカイブできません`, 409);
    },
  },
  engagement: {
    apiPath: '/api/v1/engagements', noun: '業務委託', store: engagementStore, readAction: 'records.read', writeAction: 'records.write',
    departmentOf: (d) => d.departmentId, build: (input, current) => buildEngagement(input, current), asInput: engagementAsInput,
    afterWrite: (_ctx, d) => syncTierHistory('engagement', d._id),
  },
  cloudService: {
    apiPath: '/api/v1/cloud-services', noun: '外部サービス', store: cloudServiceStore, readAction: 'records.read', writeAction: 'records.write',
    departmentOf: (d) => d.departmentId, build: (input, current) => buildCloudService(input, current), asInput: cloudServiceAsInput,
    afterWrite: (_ctx, d) => syncTierHistory('cloudService', d._id),
  },
  snsAccount: {
    apiPath: '/api/v1/sns-accounts', noun: 'ソーシャルメディアアカウント', store: snsAccountStore, readAction: 'records.read', writeAction: 'records.write',
    departmentOf: (d) => d.departmentId, build: (input, current, req) => buildSnsAccount(input, current, visibleTo(req)), asInput: snsAccountAsInput,
    afterWrite: (_ctx, d) => syncTierHistory('snsAccount', d._id),
  },
};

/** The body schema the API declares for a route. */
export function apiBody(api: ApiRegistry, method: string, path: string): ZodType {
  const route = api.routes.find((r) => r.method === method && r.path === path);
  if (!route?.body) throw new Error(`no API body schema for ${method.toUpperCase()} ${path}`);
  return route.body as ZodType;
}

/**
 * The record if this user may see it (404 otherwise, also for another department's) and do `action` to it (403).
 */
export async function loadRecord<T extends Versioned>(req: Request, kind: RecordKind, id: string, action?: Action): Promise<T> {
  const ops = OPS[kind];
  const user = principalOf(req);
  const doc = /^[0-9a-f]{24}$/.test(id) ? ((await ops.store.get(id)) as T | null) : null;
  if (!doc) throw new AppError('not_found', `指定された${ops.noun}は見つかりません`, 404);
  if (ops.departmentOf) authorizeRecord(user, action ?? ops.readAction, ops.departmentOf(doc as never), ops.readAction);
  else authorize(user, action ?? ops.readAction);
  return doc;
}

function assertOwnDepartment(req: Request, ops: Ops, departmentId: string | undefined, message: string): void {
  if (!ops.departmentOf) return;
  const user = principalOf(req);
  if (authorize(user, ops.writeAction) === 'department' && departmentId !== user.departmentId) {
    throw new AppError('forbidden', message, 403, [{ path: 'departmentId', message: '自課を指定してください' }]);
  }
}

/** Creates a record from form input, validated with the API's create schema. */
export async function createRecord<T extends Versioned>(api: ApiRegistry, req: Request, kind: RecordKind, input: unknown): Promise<T> {
  const ops = OPS[kind];
  authorize(principalOf(req), ops.writeAction);
  const body = validate(apiBody(api, 'post', ops.apiPath), input) as Record<string, unknown>;
  assertOwnDepartment(req, ops, body.departmentId as string | undefined, '自課以外の記録は登録できません');
  const ctx = contextOf(req);
  const created = await ops.store.create(ctx, `${ops.store.entity}.create`, await ops.build(body, null, req));
  await ops.afterWrite(ctx, created);
  return ((await ops.store.get(created._id)) ?? created) as T;
}

/** Updates a record from form input (a PATCH: the fields given, over the stored record), if still at `version`. */
export async function updateRecord<T extends Versioned>(api: ApiRegistry, req: Request, kind: RecordKind, id: string, changes: Record<string, unknown>): Promise<T> {
  const ops = OPS[kind];
  const current = await loadRecord<T>(req, kind, id, ops.writeAction);
  if (current.archivedAt) throw new AppError('illegal_state', `アーカイブ済みの${ops.noun}は変更できません`, 409);
  const { version, ...rest } = validate(apiBody(api, 'patch', `${ops.apiPath}/:id`), changes) as { version: number } & Record<string, unknown>;
  const next = await ops.build({ ...ops.asInput(current), ...stripUndefined(rest) }, current, req);
  assertOwnDepartment(req, ops, (next as { departmentId?: string }).departmentId, '自課以外の部署へは移せません');
  const ctx = contextOf(req);
  const updated = await ops.store.update(ctx, `${ops.store.entity}.update`, id, version, () => next);
  await ops.afterWrite(ctx, updated);
  return updated as T;
}

/** Archives a record (never deleted), if still at `version`. */
export async function archiveRecord(req: Request, kind: RecordKind, id: string, version: number): Promise<void> {
  const ops = OPS[kind];
  const current = await loadRecord(req, kind, id, ops.writeAction);
  if (current.archivedAt) return;
  await ops.beforeArchive?.(current);
  await ops.store.archive(contextOf(req), id, version);
}
