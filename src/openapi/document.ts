import { z, type ZodType } from 'zod';
import type { AnyRouteDef } from '../http/route.js';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'stable, snake_case' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

function jsonSchema(schema: ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
}

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function parameters(def: AnyRouteDef): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [['path', def.params], ['query', def.query]] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
    }
  }
  return out;
}

function accessText(def: AnyRouteDef): string {
  switch (def.access.kind) {
    case 'public':
      return 'Access: public.';
    case 'signedIn':
      return 'Access: any signed-in staff member.';
    case 'action':
      return `Access: policy action \`${def.access.action}\` (see the role table).`;
  }
}

/** The OpenAPI 3.1 document of every registered route, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(routes: AnyRouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(def.responses)) {
      responses[status] = r.schema || r.contentType
        ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: r.schema ? jsonSchema(r.schema, 'output') : {} } } }
        : { description: r.description };
    }
    responses.default = { description: 'Error (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    const operation: Record<string, unknown> = {
      operationId: `${def.method}${toOpenApiPath(def.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: def.summary,
      description: [def.description, accessText(def)].filter(Boolean).join('\n\n'),
      tags: def.tags,
      parameters: parameters(def),
      responses,
    };
    if (def.body) {
      const types = def.bodyTypes ?? ['application/json'];
      operation.requestBody = {
        required: true,
        content: Object.fromEntries(types.map((t) => [t, { schema: t.includes('json') ? jsonSchema(def.body!, 'input') : { type: 'string', format: 'binary' } }])),
      };
    }
    if (def.access.kind !== 'public') operation.security = [{ session: [] }, { bearer: [] }];
    (paths[toOpenApiPath(def.path)] ??= {})[def.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Itaku API',
      version,
      description:
        '委託先・外部サービス・ソーシャルメディアの情報セキュリティ評価 API。エラーはすべて RFC 9457 の application/problem+json。Cookie セッションでの書き込みには X-CSRF-Token ヘッダーが必要です。\n\nErrors are RFC 9457 problem+json; cookie-authenticated writes need the X-CSRF-Token header.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'itaku.sid' },
        bearer: { type: 'http', scheme: 'bearer', description: 'Personal access token' },
      },
    },
  };
}
