import { z } from 'zod';
import type { ApiRegistry } from '../http/route.js';
import { registerResource } from '../http/resource.js';
import { recordCommands } from '../records/commands.js';
import { requiredLine, singleLine } from '../http/schemas.js';
import { AppError } from '../http/errors.js';
import { departmentStore, personStore, PersonModel, type Department, type Person } from './org.model.js';

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

/** 400 naming the field when a referenced department does not exist (or is archived). */
export async function assertDepartment(id: string | null | undefined, path = 'departmentId'): Promise<void> {
  if (!id) return;
  const dept = await departmentStore.get(id);
  if (!dept || dept.archivedAt) throw new AppError('validation_failed', '指定された部署は存在しません', 400, [{ path, message: '存在しない部署です' }]);
}

/** 400 naming the field when a referenced person does not exist (or is archived). */
export async function assertPerson(id: string | null | undefined, path: string): Promise<Person | null> {
  if (!id) return null;
  const person = await personStore.get(id);
  if (!person || person.archivedAt) throw new AppError('validation_failed', '指定された人物は存在しません', 400, [{ path, message: '存在しない人物です' }]);
  return person;
}

type Changes<U extends z.ZodType> = Omit<z.output<U>, 'version'>;

const departmentCommands = recordCommands<Department, z.output<typeof CreateDepartment>, Changes<typeof UpdateDepartment>>({
  store: departmentStore,
  noun: '部署',
  readAction: 'reference.read',
  writeAction: 'departments.manage',
  toRecord: async (input) => ({ ...input }),
  applyUpdate: async (current, changes) => ({ ...current, ...stripUndefined(changes) }),
  beforeArchive: async (d) => {
    const inUse = await PersonModel.countDocuments({ departmentId: d._id, archivedAt: null });
    if (inUse > 0) throw new AppError('illegal_state', `この部署には${inUse}人の人物が所属しているためアーカイブできません`, 409);
  },
});

const personCommands = recordCommands<Person, z.output<typeof CreatePerson>, Changes<typeof UpdatePerson>>({
  store: personStore,
  noun: '人物',
  readAction: 'reference.read',
  writeAction: 'people.manage',
  toRecord: async (input) => {
    await assertDepartment(input.departmentId);
    return { ...input, email: input.email.toLowerCase() };
  },
  applyUpdate: async (current, changes) => {
    const c = stripUndefined(changes) as Partial<Person>;
    if (c.departmentId !== undefined) await assertDepartment(c.departmentId);
    return { ...current, ...c, ...(c.email !== undefined ? { email: c.email.toLowerCase() } : {}) };
  },
});

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

export function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
