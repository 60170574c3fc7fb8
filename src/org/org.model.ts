import mongoose, { Schema } from 'mongoose';
import { VersionedStore, type Versioned } from '../db/versioned.js';

/** 所管課. `code` is the municipality's own department code (unique). */
export interface Department extends Versioned {
  code: string;
  name: string;
  active: boolean;
}

/** A person who can be responsible for something (責任者、外部サービス管理者、運用担当), with or without an account. */
export interface Person extends Versioned {
  name: string;
  nameKana: string;
  title: string;
  departmentId: string | null;
  email: string;
  phone: string;
  active: boolean;
  userId: string | null;
}

const versioned = { _id: String, version: Number, createdAt: Date, updatedAt: Date, archivedAt: Date };

export const DepartmentModel = mongoose.model<Department>(
  'Department',
  new Schema<Department>({ ...versioned, code: String, name: String, active: Boolean }, { collection: 'departments', versionKey: false }),
);
export const PersonModel = mongoose.model<Person>(
  'Person',
  new Schema<Person>(
    { ...versioned, name: String, nameKana: String, title: String, departmentId: String, email: String, phone: String, active: Boolean, userId: String },
    { collection: 'people', versionKey: false },
  ),
);

export const departmentStore = new VersionedStore<Department>('department', DepartmentModel, { keysOf: (d) => [`code:${d.code}`] });
export const personStore = new VersionedStore<Person>('person', PersonModel);
