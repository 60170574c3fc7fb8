import type { Express, Request, RequestHandler, Response } from 'express';
import { z, type ZodType } from 'zod';
import { AppError, type FieldError } from './errors.js';
import { zodFieldErrors } from './problem.js';

/**
 * Who may call a route. Every route names one: the registry refuses a route without it, so a forgotten check is a
 * start-up error rather than an open door. `action` names an entry of the policy table (auth/policy.ts).
 */
export type Access = { kind: 'public' } | { kind: 'signedIn' } | { kind: 'action'; action: string };
export const PUBLIC: Access = { kind: 'public' };
export const SIGNED_IN: Access = { kind: 'signedIn' };
export const can = (action: string): Access => ({ kind: 'action', action });

export interface ResponseDef {
  description: string;
  schema?: ZodType;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
}

export interface RouteDef<P extends ZodType, Q extends ZodType, B extends ZodType> {
  method: Method;
  /** Express path, e.g. '/api/v1/vendors/:id'. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Media types accepted for the body; default JSON. A body of another type answers 415. */
  bodyTypes?: string[];
  responses: Record<number, ResponseDef>;
  /** Middleware run after the access check and before validation (e.g. parsing an upload). */
  before?: RequestHandler[];
  /** Returns the response body (sent as JSON with the first 2xx status), or sends the response itself. */
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouteDef = RouteDef<any, any, any>;

/** Checks who may call a route; installed by the auth component. Throws AppError (401/403) to refuse. */
export type AccessCheck = (req: Request, access: Access) => Promise<void> | void;

const BODY_METHODS = new Set<Method>(['post', 'put', 'patch']);

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function validated<T extends ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError('validation_failed', '入力内容に誤りがあります', 400, zodFieldErrors(result.error, where === 'body' ? '' : where));
  }
  return result.data;
}

/**
 * The bracketed form of a declared query parameter (`?departmentId[$ne]=x`, `?q[$regex]=.*`). The simple query parser
 * leaves it a key of its own, which validation would drop as unknown, answering as if no filter had been given: wider
 * than the caller asked, silently. Refused instead, naming the parameter. (Undeclared names are still ignored.)
 */
function bracketedParameters(schema: ZodType | undefined, query: Record<string, unknown>): FieldError[] {
  if (!(schema instanceof z.ZodObject)) return [];
  const declared = new Set(Object.keys(schema.shape));
  return Object.keys(query).flatMap((key) => {
    const name = /^([^[\]]+)\[/.exec(key)?.[1];
    return name && declared.has(name) ? [{ path: `query.${name}`, message: `${name}[…] の形式は使えません。値をそのまま指定してください` }] : [];
  });
}

/**
 * The API's route table. Routes are declared once, with their zod schemas; the same declaration validates requests,
 * checks access and produces the OpenAPI document, so the document cannot drift from what is served.
 */
export class ApiRegistry {
  readonly routes: AnyRouteDef[] = [];

  add<P extends ZodType, Q extends ZodType, B extends ZodType>(def: RouteDef<P, Q, B>): void {
    if (!def.access) throw new Error(`${def.method.toUpperCase()} ${def.path}: every route must declare its access`);
    if (this.routes.some((r) => r.method === def.method && r.path === def.path)) {
      throw new Error(`${def.method.toUpperCase()} ${def.path} is declared twice`);
    }
    this.routes.push(def as AnyRouteDef);
  }

  mount(app: Express, checkAccess: AccessCheck): void {
    for (const def of this.routes) {
      const successStatus = Number(Object.keys(def.responses).find((s) => Number(s) >= 200 && Number(s) < 300) ?? 200);
      const bodyTypes = def.bodyTypes ?? ['application/json'];
      const preflight: RequestHandler = async (req, _res, next) => {
        if (BODY_METHODS.has(def.method) && hasBody(req) && !req.is(bodyTypes)) {
          throw new AppError('unsupported_media_type', `Content-Type は ${bodyTypes.join(' または ')} にしてください`, 415);
        }
        await checkAccess(req, def.access);
        next();
      };
      const handler: RequestHandler = async (req, res) => {
        const params = validated(def.params, req.params, 'params');
        const bracketed = bracketedParameters(def.query, req.query as Record<string, unknown>);
        if (bracketed.length) throw new AppError('validation_failed', '入力内容に誤りがあります', 400, bracketed);
        const query = validated(def.query, req.query, 'query');
        const body = validated(def.body, req.body ?? {}, 'body');
        const result = await def.handler({ req, res, params, query, body });
        if (!res.headersSent) {
          if (result === undefined) res.status(successStatus === 200 ? 204 : successStatus).end();
          else res.status(successStatus).json(result);
        }
      };
      app[def.method](def.path, preflight, ...(def.before ?? []), handler);
    }
  }
}
