export { registerVendorRoutes } from './vendors.routes.js';
export { vendorStore, VendorModel } from './vendor.model.js';
export { presentVendor } from './vendor.presenter.js';
export { buildVendor, vendorCommands, createVendor, updateVendor, archiveVendor } from './vendors.commands.js';
export { CERTIFICATION_LABELS, CERTIFICATION_TYPES, type Vendor, type Certification, type CertificationType } from './vendor.types.js';
export { checkCorporateNumber, corporateNumberCheckDigit, isValidCorporateNumber } from './corporate-number.js';
