import assert from 'node:assert/strict';
import request from 'supertest';
import type { Express } from 'express';
import { cliContext } from '../../src/audit/actor.js';
import { personStore, type Person } from '../../src/org/index.js';

/** The `_csrf` value of the first form on a console page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page has a CSRF field');
  return m[1]!;
}

/** Signs in through the console's sign-in page; returns the agent and the session's CSRF token. */
export async function consoleSignIn(app: Express, email: string, password: string) {
  const agent = request.agent(app);
  const login = await agent.get('/login');
  const res = await agent.post('/login').type('form').send({ _csrf: csrfOf(login.text), email, password, next: '/' });
  assert.equal(res.status, 303, `sign-in answered ${res.status}: ${res.text.slice(0, 300)}`);
  const account = await agent.get('/account');
  return { agent, csrf: csrfOf(account.text) };
}

export async function makePerson(name: string, departmentId: string | null): Promise<Person> {
  return personStore.create(cliContext('test'), 'person.create', { name, nameKana: '', title: '係長', departmentId, email: '', phone: '', active: true, userId: null });
}
