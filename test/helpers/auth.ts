import crypto from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { cliContext } from '../../src/audit/actor.js';
import { createUser } from '../../src/auth/users.commands.js';
import { createAccessToken } from '../../src/auth/tokens.js';
import type { Role } from '../../src/auth/roles.js';
import type { User } from '../../src/auth/user.model.js';
import { departmentStore, type Department } from '../../src/org/index.js';

/** A password that passes the strength check, different every time. */
export const strongPassword = () => `Kumo-Sakura-${crypto.randomBytes(6).toString('hex')}-Yama`;

export async function makeDepartment(name = `課${crypto.randomBytes(3).toString('hex')}`): Promise<Department> {
  return departmentStore.create(cliContext('test'), 'department.create', { code: `D${crypto.randomBytes(4).toString('hex')}`, name, active: true });
}

export interface TestUser {
  user: User;
  password: string;
  token: string;
  /** Header value for supertest's .set('Authorization', …). */
  bearer: string;
}

/** Creates a user with the given roles (and a bearer token for API calls). */
export async function makeUser(roles: Role[], departmentId: string | null = null, extra: { email?: string; name?: string } = {}): Promise<TestUser> {
  const password = strongPassword();
  const user = await createUser(cliContext('test'), {
    email: extra.email ?? `${roles.join('-')}-${crypto.randomBytes(4).toString('hex')}@city.example.jp`,
    name: extra.name ?? `${roles.join('・')} 太郎`,
    roles,
    departmentId,
    password,
  });
  const { token } = await createAccessToken(cliContext('test'), user._id, 'test');
  return { user, password, token, bearer: `Bearer ${token}` };
}

/** Signs in through the API with a cookie session; returns the agent and the CSRF token. */
export async function signIn(app: Express, email: string, password: string, otp?: string) {
  const agent = request.agent(app);
  const res = await agent.post('/api/v1/auth/login').send({ email, password, ...(otp ? { otp } : {}) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  return { agent, csrf: res.body.csrfToken as string, res };
}
