import { AppError } from '../http/errors.js';
import type { Versioned } from '../db/versioned.js';
import { recordCommands } from '../records/commands.js';
import { departmentStore, personStore, PersonModel, type Department, type Person } from './org.model.js';

/** A complete record as the API's create schema gives it (defaults applied); a PATCH gives any part of it. */
type Input<T extends Versioned> = Omit<T, keyof Versioned>;

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

export function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Departments (admin only): a department that people still belong to cannot be archived. */
export const departmentCommands = recordCommands<Department, Input<Department>, Partial<Input<Department>>>({
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

/** People (admin only): the department must exist and be live; the email is kept in lower case. */
export const personCommands = recordCommands<Person, Input<Person>, Partial<Input<Person>>>({
  store: personStore,
  noun: '人物',
  readAction: 'reference.read',
  writeAction: 'people.manage',
  toRecord: async (input) => {
    await assertDepartment(input.departmentId);
    return { ...input, email: input.email.toLowerCase() };
  },
  applyUpdate: async (current, changes) => {
    const c = stripUndefined(changes);
    if (c.departmentId !== undefined) await assertDepartment(c.departmentId);
    return { ...current, ...c, ...(c.email !== undefined ? { email: c.email.toLowerCase() } : {}) };
  },
});
