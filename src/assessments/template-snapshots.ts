import mongoose, { Schema } from 'mongoose';
import type { Template } from '../questionnaires/index.js';
import { isDuplicateKey } from '../db/errors.js';

/**
 * Template snapshots, stored once per content hash and referenced by assessments. An assessment used to carry the
 * whole template (~100–200 kB) in every revision; on FerretDB even an `_id` lookup reads through the table's JSON, so
 * those copies slowed every lookup of the revisions collection as assessments accumulated (measured: ~106 ms per
 * lookup with 200 such revisions). Snapshots never change, so they are cached in memory once read.
 */
interface Snapshot {
  _id: string;
  template: Template;
}
const SnapshotModel = mongoose.model<Snapshot>('TemplateSnapshot', new Schema<Snapshot>({ _id: String, template: Schema.Types.Mixed }, { collection: 'template_snapshots', versionKey: false, minimize: false }));

const cache = new Map<string, Template>();

/** What an assessment stores in place of the template: enough for lists and reminders, and the key to the rest. */
export type TemplateStub = Pick<Template, 'id' | 'version' | 'key' | 'sha256' | 'title'> & { stub: true };

export function isStub(t: Template | TemplateStub): t is TemplateStub {
  return (t as TemplateStub).stub === true;
}

export async function storeSnapshot(template: Template): Promise<TemplateStub> {
  if (!cache.has(template.sha256)) {
    try {
      await SnapshotModel.collection.insertOne({ _id: template.sha256, template } as never);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    cache.set(template.sha256, template);
  }
  return { id: template.id, version: template.version, key: template.key, sha256: template.sha256, title: template.title, stub: true };
}

export async function loadSnapshot(stub: TemplateStub | Template): Promise<Template> {
  if (!isStub(stub)) return stub;
  const cached = cache.get(stub.sha256);
  if (cached) return cached;
  const found = await SnapshotModel.findById(stub.sha256).lean();
  if (!found) throw new Error(`template snapshot ${stub.sha256} is missing`);
  cache.set(stub.sha256, found.template);
  return found.template;
}
