import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeUser, type TestUser } from '../helpers/auth.js';
import { AuditModel } from '../../src/audit/audit.model.js';

useTestDatabase();

describe('departments and people', () => {
  const app = testApp();
  let admin: TestUser;
  let auditor: TestUser;
  before(async () => {
    admin = await makeUser(['admin']);
    auditor = await makeUser(['auditor']);
  });

  test('a department is created, listed, searched, updated with its version, and its code is unique', async () => {
    const created = await request(app).post('/api/v1/departments').set('Authorization', admin.bearer).send({ code: 'SOMU-01', name: '総務部総務課' });
    assert.equal(created.status, 201);
    assert.equal(created.headers.location, `/api/v1/departments/${created.body.id}`);
    assert.equal(created.body.active, true);
    const dup = await request(app).post('/api/v1/departments').set('Authorization', admin.bearer).send({ code: 'SOMU-01', name: '別の課' });
    assert.equal(dup.status, 409);
    await request(app).post('/api/v1/departments').set('Authorization', admin.bearer).send({ code: 'KIKAKU-01', name: '企画部情報政策課' });

    const search = await request(app).get('/api/v1/departments?q=情報').set('Authorization', auditor.bearer);
    assert.equal(search.status, 200);
    assert.deepEqual(search.body.items.map((d: { code: string }) => d.code), ['KIKAKU-01']);
    const regexLike = await request(app).get(`/api/v1/departments?q=${encodeURIComponent('.*')}`).set('Authorization', auditor.bearer);
    assert.equal(regexLike.body.total, 0, 'the search text is matched literally, not as a pattern');
    const injected = await request(app).get('/api/v1/departments?q[$ne]=x').set('Authorization', auditor.bearer);
    assert.equal(injected.status, 400, 'the bracketed name is refused, neither run as an operator nor dropped');
    assert.equal(injected.body.errors[0].path, 'query.q');
    const asText = await request(app).get(`/api/v1/departments?q=${encodeURIComponent('{"$ne":null}')}`).set('Authorization', auditor.bearer);
    assert.equal(asText.body.total, 0, 'operator syntax in the search text is just text');

    const patched = await request(app).patch(`/api/v1/departments/${created.body.id}`).set('Authorization', admin.bearer).send({ version: 1, name: '総務部行政管理課' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.active, true, 'an omitted field keeps its value');
    const stale = await request(app).patch(`/api/v1/departments/${created.body.id}`).set('Authorization', admin.bearer).send({ version: 1, name: '古い' });
    assert.equal(stale.status, 409);
    const history = await request(app).get(`/api/v1/departments/${created.body.id}/history`).set('Authorization', auditor.bearer);
    assert.deepEqual(history.body.map((h: { version: number }) => h.version), [1, 2]);
    assert.equal(history.body[1].changes.name, '総務部行政管理課');
    assert.equal(history.body[1].previous.name, '総務部総務課');
  });

  test('people reference an existing department; archiving hides them from lists and is audited', async () => {
    const dept = (await request(app).post('/api/v1/departments').set('Authorization', admin.bearer).send({ code: 'KOHO', name: '広報課' })).body;
    const unknownDept = await request(app).post('/api/v1/people').set('Authorization', admin.bearer).send({ name: '広報 花子', departmentId: 'f'.repeat(24) });
    assert.equal(unknownDept.status, 400);
    assert.equal(unknownDept.body.errors[0].path, 'departmentId');
    const person = await request(app).post('/api/v1/people').set('Authorization', admin.bearer).send({ name: '広報 花子', nameKana: 'コウホウ ハナコ', title: '課長', departmentId: dept.id, email: 'Hanako@City.Example.jp', phone: '03-1234-5678' });
    assert.equal(person.status, 201);
    assert.equal(person.body.email, 'hanako@city.example.jp');
    const badPhone = await request(app).post('/api/v1/people').set('Authorization', admin.bearer).send({ name: '電話 不正', phone: '<script>' });
    assert.equal(badPhone.status, 400);

    const inUse = await request(app).delete(`/api/v1/departments/${dept.id}`).set('Authorization', admin.bearer);
    assert.equal(inUse.status, 409, 'a department with people is not archived');

    const archived = await request(app).delete(`/api/v1/people/${person.body.id}`).set('Authorization', admin.bearer);
    assert.equal(archived.status, 200);
    assert.ok(archived.body.archivedAt);
    const list = await request(app).get(`/api/v1/people?departmentId=${dept.id}`).set('Authorization', auditor.bearer);
    assert.equal(list.body.total, 0);
    const withArchived = await request(app).get(`/api/v1/people?departmentId=${dept.id}&archived=include`).set('Authorization', auditor.bearer);
    assert.equal(withArchived.body.total, 1);
    assert.ok(await AuditModel.findOne({ action: 'person.archive', entityId: person.body.id }).lean());
    const edit = await request(app).patch(`/api/v1/people/${person.body.id}`).set('Authorization', admin.bearer).send({ version: 2, title: '部長' });
    assert.equal(edit.status, 409, 'an archived record is not edited');
  });

  test('unknown and malformed ids answer 404 and 400', async () => {
    assert.equal((await request(app).get(`/api/v1/people/${'a'.repeat(24)}`).set('Authorization', auditor.bearer)).status, 404);
    assert.equal((await request(app).get('/api/v1/people/not-an-id').set('Authorization', auditor.bearer)).status, 400);
  });
});
