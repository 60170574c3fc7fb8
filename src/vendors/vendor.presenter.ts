import type { z } from 'zod';
import { countryName } from '../risk/warnings.js';
import { daysBetween, todayInTokyo } from '../shared/dates.js';
import type { VendorView } from './vendors.schemas.js';
import { CERTIFICATION_LABELS, type Vendor } from './vendor.types.js';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function presentVendor(v: Vendor, today = todayInTokyo()): z.infer<typeof VendorView> {
  return {
    id: v._id,
    version: v.version,
    name: v.name,
    nameKana: v.nameKana,
    corporateNumber: v.corporateNumber,
    country: v.country,
    countryName: countryName(v.country),
    address: v.address,
    contacts: v.contacts.map((c) => ({ name: c.name, department: c.department, title: c.title, email: c.email, phone: c.phone, role: c.role })),
    certifications: v.certifications.map((c) => ({
      id: c.id,
      type: c.type,
      label: c.type === 'other' ? c.name || CERTIFICATION_LABELS.other : CERTIFICATION_LABELS[c.type],
      name: c.name,
      number: c.number,
      scope: c.scope,
      validUntil: c.validUntil,
      daysLeft: c.validUntil ? daysBetween(today, c.validUntil) : null,
    })),
    note: v.note,
    createdAt: iso(v.createdAt)!,
    updatedAt: iso(v.updatedAt)!,
    archivedAt: iso(v.archivedAt),
  };
}
