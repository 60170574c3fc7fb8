import mongoose from 'mongoose';
import type { z } from 'zod';
import { AppError, type FieldError } from '../http/errors.js';
import { normaliseName } from '../shared/text.js';
import type { NewRecord } from '../db/versioned.js';
import { stripUndefined } from '../org/index.js';
import { recordCommands } from '../records/commands.js';
import { recomputeVendorDependents, vendorUsage } from '../records/recompute.js';
import { VendorModel, vendorStore } from './vendor.model.js';
import type { CreateVendor, UpdateVendor } from './vendors.schemas.js';
import type { Certification, Vendor } from './vendor.types.js';

type VendorInput = z.output<typeof CreateVendor>;
type VendorChanges = Omit<z.output<typeof UpdateVendor>, 'version'>;

/**
 * A vendor as stored, from complete input: names normalised, the 法人番号 rule (required for a vendor based in Japan,
 * optional abroad), 'other' certifications named, and a live duplicate 法人番号 refused with 409 before the key claim
 * (which still guards against a concurrent twin).
 */
export async function buildVendor(input: VendorInput, id: string | null): Promise<NewRecord<Vendor>> {
  const errors: FieldError[] = [];
  if (input.country === 'JP' && !input.corporateNumber) {
    errors.push({ path: 'corporateNumber', message: '国内の事業者は法人番号（13桁）を入力してください' });
  }
  input.certifications.forEach((c, i) => {
    if (c.type === 'other' && !c.name) errors.push({ path: `certifications.${i}.name`, message: '認証の名称を入力してください' });
  });
  if (errors.length) throw new AppError('validation_failed', '入力内容に誤りがあります', 400, errors);
  if (input.corporateNumber) {
    const twin = await VendorModel.findOne({ corporateNumber: input.corporateNumber, archivedAt: null, ...(id ? { _id: mongoose.trusted({ $ne: id }) } : {}) }, { _id: 1, name: 1 }).lean();
    if (twin) {
      throw new AppError('duplicate', `この法人番号の事業者は既に登録されています（${twin.name}）`, 409, [{ path: 'corporateNumber', message: '既に登録されています' }], { existingId: twin._id });
    }
  }
  const certifications: Certification[] = input.certifications.map((c) => ({
    id: c.id ?? new mongoose.Types.ObjectId().toHexString(),
    type: c.type,
    name: c.name,
    number: c.number,
    scope: c.scope,
    validUntil: c.validUntil,
  }));
  return {
    name: normaliseName(input.name),
    nameKana: input.nameKana,
    corporateNumber: input.corporateNumber,
    country: input.country,
    address: input.address,
    contacts: input.contacts,
    certifications,
    note: input.note,
  };
}

/**
 * Create, update and archive of vendors (shared master data: vendors.write, no department), for the API and the
 * console alike. After an update, the engagements and services that use the vendor are re-derived (its certificates
 * feed their next review); a vendor still in use is not archived.
 */
export const vendorCommands = recordCommands<Vendor, VendorInput, VendorChanges>({
  store: vendorStore,
  noun: '事業者',
  readAction: 'vendors.read',
  writeAction: 'vendors.write',
  toRecord: (input) => buildVendor(input, null),
  applyUpdate: async (current, changes) => {
    const merged = { ...current, ...stripUndefined(changes) };
    return { ...current, ...(await buildVendor(merged, current._id)) };
  },
  beforeArchive: async (v) => {
    const inUse = await vendorUsage(v._id);
    if (inUse > 0) throw new AppError('illegal_state', `この事業者は${inUse}件の業務委託・外部サービスで使われているため、アーカイブできません`, 409);
  },
  afterWrite: async (ctx, v) => {
    if (v.version > 1) await recomputeVendorDependents(ctx, v._id);
  },
});

export const { create: createVendor, update: updateVendor, archive: archiveVendor } = vendorCommands;
