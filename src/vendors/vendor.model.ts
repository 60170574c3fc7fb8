import mongoose, { Schema } from 'mongoose';
import { VersionedStore } from '../db/versioned.js';
import type { Vendor } from './vendor.types.js';

export const VendorModel = mongoose.model<Vendor>(
  'Vendor',
  new Schema<Vendor>(
    {
      _id: String,
      version: Number,
      createdAt: Date,
      updatedAt: Date,
      archivedAt: Date,
      name: String,
      nameKana: String,
      corporateNumber: String,
      country: String,
      address: String,
      contacts: Schema.Types.Mixed,
      certifications: Schema.Types.Mixed,
      note: String,
    },
    { collection: 'vendors', versionKey: false, minimize: false },
  ),
);

export const vendorStore = new VersionedStore<Vendor>('vendor', VendorModel, {
  keysOf: (v) => (v.corporateNumber ? [`corporateNumber:${v.corporateNumber}`] : []),
});
