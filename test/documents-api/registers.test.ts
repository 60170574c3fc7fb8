import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { AuditModel } from '../../src/audit/audit.model.js';
import { loadAppContent } from '../../src/content.js';
import type { RegisterId } from '../../src/documents/index.js';
import type { Department } from '../../src/org/index.js';
import { todayInTokyo } from '../../src/shared/dates.js';
import { toWareki } from '../../src/shared/wareki.js';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { deactivate, makeCloudService, makeEngagement, makePerson, makeSnsAccount, makeStaff, makeVendor, type TestUser } from '../helpers/records.js';
import { download, openWorkbook, rowTexts, setUpMunicipality, sheetXmls } from './helpers.js';

useTestDatabase();

const HOSTILE = '=HYPERLINK("http://x","y")';
const layouts = loadAppContent().exports.layouts;

describe('registers 台帳', () => {
  const app = testApp();
  let a: Department;
  let b: Department;
  let officer: TestUser;
  let auditor: TestUser;
  let ownA: TestUser;
  let roleless: TestUser;

  before(async () => {
    await setUpMunicipality();
    [a, b] = await Promise.all([makeDepartment('情報政策課'), makeDepartment('市民課')]);
    [officer, auditor, ownA, roleless] = await Promise.all([makeStaff(['security_officer']), makeStaff(['auditor']), makeStaff(['procurement'], a._id), makeStaff([])]);
    const [pa, pb, gone] = await Promise.all([makePerson(a._id, { name: '情報 一郎' }), makePerson(b._id, { name: '市民 花子' }), makePerson(a._id, { name: '異動 済子' })]);
    const hostile = await makeVendor({ name: HOSTILE, certifications: [{ type: 'isms', number: 'IS 123', validUntil: '2020-03-31' }] });
    const plain = await makeVendor({ name: '株式会社普通' });
    await makeEngagement(a._id, hostile._id, pa._id, {
      title: '住民記録システム運用保守業務',
      contractNumber: 'R8-001',
      informationAssets: [{ name: '住民票', confidentiality: '3B', personalData: true }],
      segment: 'lgwan',
    });
    await makeEngagement(a._id, plain._id, gone._id, { title: '庁内LAN保守業務', contractNumber: 'R8-002' });
    await makeEngagement(b._id, plain._id, pb._id, { title: '窓口案内業務', subcontractors: [{ name: '未承認下請株式会社' }] });
    await deactivate(gone);
    await makeCloudService(a._id, hostile._id, pa._id, { name: '電子申請サービス', informationAssets: [{ name: '申請', confidentiality: '2' }], dataLocations: { data: ['JP'], backups: ['JP', 'SG'] } });
    await makeCloudService(b._id, plain._id, pb._id, { name: '予約サービス', ismap: { program: 'ismap', number: 'C-1', validUntil: '2099-12-31' } });
    await makeSnsAccount(a._id, { responsiblePersonId: pa._id, operatorIds: [pa._id], twoFactor: false });
    await makeSnsAccount(b._id, { responsiblePersonId: pb._id });
  });

  const sheetOf = async (id: RegisterId, who: TestUser, query = ''): Promise<{ ws: ExcelJS.Worksheet; xlsx: Buffer }> => {
    const res = await download(app, `/api/v1/registers/${id}.xlsx${query}`, who.bearer);
    assert.equal(res.status, 200, res.body.toString().slice(0, 500));
    assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = await openWorkbook(res.body);
    return { ws: wb.worksheets[0]!, xlsx: res.body };
  };
  const dataRows = (ws: ExcelJS.Worksheet): string[][] => {
    const out: string[][] = [];
    for (let r = 4; r <= ws.rowCount; r++) if (ws.getRow(r).hasValues) out.push(rowTexts(ws, r));
    return out;
  };

  test('each register opens with exceljs: the layout’s headers, the 和暦 title rows, one row per record', async () => {
    const expected: Record<RegisterId, number> = { vendors: 2, engagements: 3, 'cloud-services': 2, 'sns-accounts': 2 };
    for (const id of Object.keys(expected) as RegisterId[]) {
      const layout = layouts.get(id)!;
      const { ws } = await sheetOf(id, officer);
      assert.equal(ws.name, layout.sheet);
      assert.equal(ws.getCell(1, 1).text, `架空市　${layout.title}`);
      assert.equal(ws.getCell(2, 1).text, `${toWareki(todayInTokyo())}現在`);
      assert.deepEqual(rowTexts(ws, 3), layout.columns.map((c) => c.header), `${id} headers`);
      assert.equal(dataRows(ws).length, expected[id], `${id} rows`);
    }
  });

  test('engagement rows name the vendor, department and responsible person, with real dates and flags', async () => {
    const { ws } = await sheetOf('engagements', officer, '?sort=title');
    const cols = layouts.get('engagements')!.columns.map((c) => c.key);
    const rows = dataRows(ws);
    const at = (row: string[], key: string) => row[cols.indexOf(key)];
    const first = rows.find((r) => at(r, 'title') === '住民記録システム運用保守業務')!;
    assert.equal(at(first, 'vendor'), HOSTILE);
    assert.equal(at(first, 'department'), '情報政策課');
    assert.equal(at(first, 'responsiblePerson'), '情報 一郎');
    assert.equal(at(first, 'classification'), '機密性3B');
    assert.equal(at(first, 'personalData'), '○');
    assert.equal(at(first, 'segment'), 'LGWAN接続系');
    const startCell = ws.getRow(4 + rows.indexOf(first)).getCell(cols.indexOf('periodStart') + 1);
    assert.ok(startCell.value instanceof Date, 'a date is a date value');
    const lan = rows.findIndex((r) => at(r, 'title') === '庁内LAN保守業務');
    const personCell = ws.getRow(4 + lan).getCell(cols.indexOf('responsiblePerson') + 1);
    assert.equal((personCell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb, 'FFD9D2E9', 'an inactive responsible person is coloured');
    const other = rows.find((r) => at(r, 'title') === '窓口案内業務')!;
    assert.equal(at(other, 'subcontractors'), '未承認下請株式会社（未承認）');
  });

  test('list filters apply: ?departmentId=, ?warning=, ?q=; the title row says so; the export is audited with them', async () => {
    const byDept = await sheetOf('engagements', auditor, `?departmentId=${a._id}`);
    assert.equal(dataRows(byDept.ws).length, 2);
    assert.equal(byDept.ws.getCell(1, 1).text, '架空市　委託先台帳（情報政策課）');
    const warned = await sheetOf('engagements', auditor, '?warning=subcontractor_unapproved');
    assert.deepEqual(dataRows(warned.ws).map((r) => r[1]), ['窓口案内業務']);
    const inactive = await sheetOf('engagements', auditor, '?warning=person_inactive');
    assert.deepEqual(dataRows(inactive.ws).map((r) => r[1]), ['庁内LAN保守業務']);
    const outside = await sheetOf('cloud-services', auditor, '?warning=data_outside_japan');
    assert.deepEqual(dataRows(outside.ws).map((r) => r[0]), ['電子申請サービス']);
    const searched = await sheetOf('vendors', auditor, '?q=普通');
    assert.deepEqual(dataRows(searched.ws).map((r) => r[0]), ['株式会社普通']);
    const entry = await AuditModel.findOne({ action: 'register.export', 'detail.filters.warning': 'data_outside_japan' }).lean();
    assert.ok(entry, 'audited with its filters');
    assert.equal(entry!.entityId, 'cloud-services');
    assert.equal(entry!.actor.id, auditor.user._id);
    assert.equal((await request(app).get('/api/v1/registers/engagements.xlsx?warning=nope').set('Authorization', auditor.bearer)).status, 400);
  });

  test('a vendor named =HYPERLINK(…) stays that exact text: no <f> in any sheet of any register', async () => {
    for (const id of ['vendors', 'engagements', 'cloud-services'] as const) {
      const { ws, xlsx } = await sheetOf(id, officer);
      for (const xml of sheetXmls(xlsx)) assert.equal(/<f[ >]/.test(xml), false, `${id}: no formula element`);
      const texts = dataRows(ws).flat();
      assert.ok(texts.includes(HOSTILE), `${id} shows the name unchanged`);
      ws.eachRow((row) => row.eachCell((cell) => assert.notEqual(cell.type, ExcelJS.ValueType.Formula)));
    }
    const { ws } = await sheetOf('vendors', officer, '?sort=name');
    const row = dataRows(ws).find((r) => r[0] === HOSTILE)!;
    const cols = layouts.get('vendors')!.columns.map((c) => c.key);
    assert.equal(row[cols.indexOf('engagementCount')], '1');
    assert.equal(row[cols.indexOf('cloudServiceCount')], '1');
    assert.match(row[cols.indexOf('certifications')]!, /^ISMS（ISO\/IEC 27001） IS 123（令和2年3月31日まで）$/);
  });

  test('procurement gets its own department’s rows only; another department’s filter gives none', async () => {
    const own = await sheetOf('engagements', ownA);
    assert.equal(dataRows(own.ws).length, 2);
    assert.match(own.ws.getCell(1, 1).text, /（情報政策課）$/);
    const other = await sheetOf('engagements', ownA, `?departmentId=${b._id}`);
    assert.equal(dataRows(other.ws).length, 0);
    const sns = await sheetOf('sns-accounts', ownA);
    assert.equal(dataRows(sns.ws).length, 1);
    const vendors = await sheetOf('vendors', ownA);
    assert.deepEqual(dataRows(vendors.ws).map((r) => r[0]).sort(), [HOSTILE, '株式会社普通'].sort(), 'vendors its department’s records use');
  });

  test('roles: every reader may download; an account without a role allowing downloads gets 403, no sign-in 401', async () => {
    for (const id of ['vendors', 'engagements', 'cloud-services', 'sns-accounts']) {
      assert.equal((await request(app).get(`/api/v1/registers/${id}.xlsx`).set('Authorization', roleless.bearer)).status, 403);
      assert.equal((await request(app).get(`/api/v1/registers/${id}.xlsx`)).status, 401);
    }
  });
});
