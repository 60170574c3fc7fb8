import { z } from 'zod';
import type { ApiRegistry } from '../http/route.js';
import { registerResource } from '../http/resource.js';
import { requiredLine, singleLine } from '../http/schemas.js';
import type { Department, Person } from './org.model.js';
import { departmentCommands, personCommands } from './org.commands.js';

const Id = z.string().regex(/^[0-9a-f]{24}$/, '識別子の形式が正しくありません');

export const DepartmentView = z.object({
  id: z.string(),
  version: z.number().int(),
  code: z.string(),
  name: z.string(),
  active: z.boolean(),
  archivedAt: z.string().nullable(),
  updatedAt: z.string(),
});

// Fields carry no defaults: a default inside a PATCH schema would silently reset an omitted field.
const DepartmentFields = {
  code: requiredLine(20).pipe(z.string().regex(/^[A-Za-z0-9_-]+$/, '英数字・ハイフン・下線で入力してください')),
  name: requiredLine(100),
  active: z.boolean(),
};
const CreateDepartment = z.object({ ...DepartmentFields, active: DepartmentFields.active.default(true) });
const UpdateDepartment = z.object(DepartmentFields).partial().extend({ version: z.number().int().min(1) });

export const PersonView = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  nameKana: z.string(),
  title: z.string(),
  departmentId: z.string().nullable(),
  email: z.string(),
  phone: z.string(),
  active: z.boolean(),
  userId: z.string().nullable(),
  archivedAt: z.string().nullable(),
  updatedAt: z.string(),
});

const PersonFields = {
  name: requiredLine(100),
  nameKana: singleLine(100),
  title: singleLine(100),
  departmentId: Id.nullable(),
  email: z.union([z.literal(''), z.email('メールアドレスの形式が正しくありません').max(254)]),
  phone: singleLine(40).pipe(z.string().regex(/^[0-9+()\- ]*$/, '数字・ハイフン・括弧で入力してください')),
  active: z.boolean(),
  userId: Id.nullable(),
};
const CreatePerson = z.object({
  ...PersonFields,
  nameKana: PersonFields.nameKana.default(''),
  title: PersonFields.title.default(''),
  departmentId: PersonFields.departmentId.default(null),
  email: PersonFields.email.default(''),
  phone: PersonFields.phone.default(''),
  active: PersonFields.active.default(true),
  userId: PersonFields.userId.default(null),
});
const UpdatePerson = z.object(PersonFields).partial().extend({ version: z.number().int().min(1) });

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function presentDepartment(d: Department): z.infer<typeof DepartmentView> {
  return { id: d._id, version: d.version, code: d.code, name: d.name, active: d.active, archivedAt: iso(d.archivedAt), updatedAt: iso(d.updatedAt)! };
}

export function presentPerson(p: Person): z.infer<typeof PersonView> {
  return {
    id: p._id, version: p.version, name: p.name, nameKana: p.nameKana, title: p.title, departmentId: p.departmentId ?? null,
    email: p.email, phone: p.phone, active: p.active, userId: p.userId ?? null, archivedAt: iso(p.archivedAt), updatedAt: iso(p.updatedAt)!,
  };
}

export function registerOrgRoutes(api: ApiRegistry): void {
  registerResource(api, {
    path: '/api/v1/departments',
    tag: 'departments',
    commands: departmentCommands,
    view: DepartmentView,
    present: presentDepartment,
    createBody: CreateDepartment,
    updateBody: UpdateDepartment,
    searchFields: ['name', 'code'],
    sorts: { code: { code: 1 }, name: { name: 1 }, updated: { updatedAt: -1 } },
  });

  registerResource(api, {
    path: '/api/v1/people',
    tag: 'people',
    commands: personCommands,
    view: PersonView,
    present: presentPerson,
    createBody: CreatePerson,
    updateBody: UpdatePerson,
    listQuery: z.object({ departmentId: Id.optional(), active: z.enum(['true', 'false']).optional() }),
    listFilter: (q) => ({ ...(q.departmentId ? { departmentId: q.departmentId } : {}), ...(q.active ? { active: q.active === 'true' } : {}) }),
    searchFields: ['name', 'nameKana', 'email'],
    sorts: { kana: { nameKana: 1 }, name: { name: 1 }, updated: { updatedAt: -1 } },
  });
}
