import { z } from 'zod';
import { contextOf } from '../audit/actor.js';
import { principalOf } from '../auth/principal.js';
import { can, type ApiRegistry } from '../http/route.js';
import { personRef } from '../records/present.js';
import { Id, PersonRef } from '../records/schemas.js';
import { applyHandover, handoverCandidates, handoverPeople } from './handover.commands.js';

const Kind = z.enum(['engagement', 'cloudService', 'snsAccount']);

const TransferBody = z.object({
  from: Id.describe('引継ぎ元の人物'),
  to: Id.describe('引継ぎ先の人物（有効な人物）'),
  preview: z.boolean().default(true).describe('true: 対象の一覧だけを返す（既定）; false: 実行する'),
  expected: z
    .array(z.object({ kind: Kind, id: Id, version: z.number().int().min(1) }))
    .max(5000)
    .optional()
    .describe('実行時に、プレビューで確認した items（kind, id, version）を渡すと、その後に変更された記録があれば 409 で何も変更しない'),
});

const Item = z.object({
  kind: Kind,
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  departmentId: z.string(),
  roles: z.array(z.enum(['responsiblePerson', 'administrator', 'serviceAdministrator', 'operator'])),
});

const TransferResult = z.object({
  preview: z.boolean(),
  batchId: z.string().nullable(),
  from: PersonRef,
  to: PersonRef,
  total: z.number().int(),
  items: z.array(Item).describe('プレビュー: 対象と現在の版; 実行: 変更後の版'),
});

export function registerHandoverRoutes(api: ApiRegistry): void {
  api.add({
    method: 'post',
    path: '/api/v1/responsible-persons/transfer',
    summary: '責任者等の一括引継ぎ（4月の人事異動） / Hand over responsible persons',
    description:
      'Every live engagement, cloud service and SNS account where `from` is responsible person, administrator (外部サービス管理者) or operator moves to `to`. `preview: true` lists them with their versions; `preview: false` applies all of them as one batch (rolled forward after a crash) and is audited. Send the preview’s items as `expected` to be refused with 409 (`handover_stale`, listing them in `stale`) if any changed in between. Procurement users hand over only their own department’s records.',
    tags: ['handover'],
    access: can('handover'),
    body: TransferBody,
    responses: { 200: { description: 'Preview or result', schema: TransferResult } },
    handler: async ({ req, body }) => {
      const user = principalOf(req);
      const people = await handoverPeople(body.from, body.to);
      const refs = { from: personRef(people.from, body.from), to: personRef(people.to, body.to) };
      if (body.preview) {
        const items = await handoverCandidates(user, body.from);
        return { preview: true, batchId: null, ...refs, total: items.length, items };
      }
      const done = await applyHandover(contextOf(req), user, body.from, body.to, body.expected);
      return { preview: false, batchId: done.batchId, ...refs, total: done.items.length, items: done.items };
    },
  });
}
