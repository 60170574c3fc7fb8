/**
 * The console's door to vendors and the three subject kinds: a form's input is validated with the API's own schema,
 * then goes to the same command the API's routes call (the kind's `*Commands`), so a form and a JSON request meet the
 * same rules, department checks and audit.
 */
import type { Request } from 'express';
import { contextOf } from '../../audit/actor.js';
import { authorize, type Action } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import type { Versioned } from '../../db/versioned.js';
import { AppError } from '../../http/errors.js';
import type { ApiRegistry } from '../../http/route.js';
import type { RecordCommands } from '../../records/commands.js';
import { vendorCommands } from '../../vendors/index.js';
import { engagementCommands } from '../../engagements/index.js';
import { cloudServiceCommands } from '../../cloud-services/index.js';
import { snsAccountCommands } from '../../sns-accounts/index.js';
import { apiBody, validate } from './forms.js';

export type RecordKind = 'vendor' | 'engagement' | 'cloudService' | 'snsAccount';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommands = RecordCommands<any, any, any>;

const KINDS: Record<RecordKind, { apiPath: string; commands: AnyCommands }> = {
  vendor: { apiPath: '/api/v1/vendors', commands: vendorCommands },
  engagement: { apiPath: '/api/v1/engagements', commands: engagementCommands },
  cloudService: { apiPath: '/api/v1/cloud-services', commands: cloudServiceCommands },
  snsAccount: { apiPath: '/api/v1/sns-accounts', commands: snsAccountCommands },
};

/** A malformed id in a console URL is a record that is not there. */
function checkedId(kind: RecordKind, id: string): string {
  if (!/^[0-9a-f]{24}$/.test(id)) throw new AppError('not_found', `指定された${KINDS[kind].commands.spec.noun}は見つかりません`, 404);
  return id;
}

/** The record if this user may see it (404 otherwise, also for another department's) and do `action` to it (403). */
export async function loadRecord<T extends Versioned>(req: Request, kind: RecordKind, id: string, action?: Action): Promise<T> {
  return KINDS[kind].commands.find(principalOf(req), checkedId(kind, id), action) as Promise<T>;
}

/** Creates a record from form input, validated with the API's create schema. */
export async function createRecord<T extends Versioned>(api: ApiRegistry, req: Request, kind: RecordKind, input: unknown): Promise<T> {
  const { apiPath, commands } = KINDS[kind];
  const user = principalOf(req);
  authorize(user, commands.spec.writeAction);
  return commands.create(contextOf(req), user, validate(apiBody(api, 'post', apiPath), input)) as Promise<T>;
}

/** Updates a record from form input (a PATCH: the fields given, over the stored record), if still at `version`. */
export async function updateRecord<T extends Versioned>(api: ApiRegistry, req: Request, kind: RecordKind, id: string, changes: Record<string, unknown>): Promise<T> {
  const { apiPath, commands } = KINDS[kind];
  const user = principalOf(req);
  // Access and an archived record are answered before the form's own mistakes.
  await commands.findLive(user, checkedId(kind, id));
  const { version, ...rest } = validate(apiBody(api, 'patch', `${apiPath}/:id`), changes) as { version: number } & Record<string, unknown>;
  return commands.update(contextOf(req), user, id, rest, version) as Promise<T>;
}

/** Archives a record (never deleted), if still at `version`. */
export async function archiveRecord(req: Request, kind: RecordKind, id: string, version: number): Promise<void> {
  await KINDS[kind].commands.archive(contextOf(req), principalOf(req), checkedId(kind, id), version);
}
