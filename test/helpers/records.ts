/** Factories for API tests: parents built through the same commands the API uses (audited, derived), without HTTP. */
import crypto from 'node:crypto';
import { cliContext } from '../../src/audit/actor.js';
import { personStore, type Person } from '../../src/org/index.js';
import { buildVendor, corporateNumberCheckDigit, vendorStore, type Vendor } from '../../src/vendors/index.js';
import { CreateVendor } from '../../src/vendors/vendors.schemas.js';
import { buildEngagement, engagementStore, type Engagement } from '../../src/engagements/index.js';
import { CreateEngagement } from '../../src/engagements/engagements.schemas.js';
import { buildCloudService, cloudServiceStore, type CloudService } from '../../src/cloud-services/index.js';
import { CreateCloudService } from '../../src/cloud-services/cloud-services.schemas.js';
import { buildSnsAccount, snsAccountStore, type SnsAccount } from '../../src/sns-accounts/index.js';
import { CreateSnsAccount } from '../../src/sns-accounts/sns-accounts.schemas.js';
import { userStore, type User } from '../../src/auth/user.model.js';
import { createAccessToken } from '../../src/auth/tokens.js';
import type { Role } from '../../src/auth/roles.js';

const ctx = cliContext('test');

/** A valid, random 法人番号. */
export function corporateNo(): string {
  const base = String(crypto.randomInt(0, 1e12)).padStart(12, '0');
  return `${corporateNumberCheckDigit(base)}${base}`;
}

export async function makePerson(departmentId: string | null, over: Partial<Person> = {}): Promise<Person> {
  return personStore.create(ctx, 'person.create', { name: `職員 ${crypto.randomBytes(2).toString('hex')}`, nameKana: '', title: '主事', departmentId, email: '', phone: '', active: true, userId: null, ...over });
}

export async function deactivate(person: Person): Promise<void> {
  const current = (await personStore.get(person._id))!;
  await personStore.update(ctx, 'person.update', person._id, current.version, (c) => ({ ...c, active: false }));
}

export async function makeVendor(over: Record<string, unknown> = {}): Promise<Vendor> {
  const input = CreateVendor.parse({ name: `株式会社テスト${crypto.randomBytes(2).toString('hex')}`, corporateNumber: corporateNo(), ...over });
  return vendorStore.create(ctx, 'vendor.create', await buildVendor(input, null));
}

export async function makeEngagement(departmentId: string, vendorId: string, responsiblePersonId: string, over: Record<string, unknown> = {}): Promise<Engagement> {
  const input = CreateEngagement.parse({ title: `委託業務${crypto.randomBytes(2).toString('hex')}`, departmentId, vendorId, responsiblePersonId, period: { start: '2026-04-01', end: '2099-03-31' }, ...over });
  return engagementStore.create(ctx, 'engagement.create', await buildEngagement(input, null));
}

export async function makeCloudService(departmentId: string, providerVendorId: string, administratorId: string, over: Record<string, unknown> = {}): Promise<CloudService> {
  const input = CreateCloudService.parse({ name: `サービス${crypto.randomBytes(2).toString('hex')}`, departmentId, providerVendorId, administratorId, serviceModel: 'saas', contractType: 'individual', ...over });
  return cloudServiceStore.create(ctx, 'cloudService.create', await buildCloudService(input, null));
}

export async function makeSnsAccount(departmentId: string, over: Record<string, unknown> = {}): Promise<SnsAccount> {
  const name = `@acct_${crypto.randomBytes(3).toString('hex')}`;
  const input = CreateSnsAccount.parse({ platform: 'x', accountName: name, url: `https://x.com/${name.slice(1)}`, departmentId, twoFactor: true, officialSiteUrl: 'https://www.city.example.jp/sns/', lastActivityOn: null, ...over });
  return snsAccountStore.create(ctx, 'snsAccount.create', await buildSnsAccount(input, null));
}

/**
 * A staff member with a bearer token, for tests that never sign in with a password: the account is stored like
 * createUser stores it, but with no password (null hash), skipping the deliberately slow hashing and strength check
 * (~0.5 s a user on a 2-core machine). Use makeUser (helpers/auth.ts) where sign-in matters.
 */
export async function makeStaff(roles: Role[], departmentId: string | null = null): Promise<{ user: User; bearer: string }> {
  const user = await userStore.create(ctx, 'user.create', {
    email: `${roles.join('-')}-${crypto.randomBytes(4).toString('hex')}@city.example.jp`,
    name: `${roles.join('・')} 職員`,
    roles,
    departmentId,
    passwordHash: null,
    mustChangePassword: false,
    disabled: false,
    totp: null,
    passwordChangedAt: null,
  });
  const { token } = await createAccessToken(ctx, user._id, 'test');
  return { user, bearer: `Bearer ${token}` };
}

export type TestUser = Awaited<ReturnType<typeof makeStaff>>;
