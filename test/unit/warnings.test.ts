import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dormancy, readWarnings, storedWarnings, WARNING_CATALOGUE, warningsOf, type WarningContext } from '../../src/risk/warnings.js';
import type { SubjectRecord } from '../../src/records/subject.js';
import { asset, cloudService, engagement, level, snsAccount } from '../helpers/subjects.js';

const people: Record<string, { name: string; active: boolean }> = {
  'p-responsible': { name: '山田 太郎', active: true },
  'p-admin': { name: '佐藤 花子', active: true },
  'p-gone': { name: '田中 一郎', active: false },
};
const ctx = (over: Partial<WarningContext> = {}): WarningContext => ({ today: '2026-06-01', dormancyDays: 90, person: (id) => people[id], ...over });
const codes = (r: SubjectRecord, c = ctx()) => warningsOf(r, c).map((w) => w.code);
const c2 = { classification: level('2'), informationAssets: [asset('2')] };

describe('warnings: one rule at a time', () => {
  // [what, record, expected codes]
  const rows: [string, SubjectRecord, string[]][] = [
    ['a clean engagement', engagement(), []],
    ['a clean cloud service at 機密性2 with ISMAP', cloudService({ ...c2, ismap: { program: 'ismap', number: 'C1', scope: '', validUntil: '2027-01-01' } }), []],
    ['a clean SNS account', snsAccount(), []],
    ['約款型 at 機密性2', cloudService({ ...c2, contractType: 'terms', ismap: { program: 'ismap', number: 'C1', scope: '', validUntil: '2027-01-01' } }), ['terms_confidential']],
    ['約款型 at 機密性1 is allowed', cloudService({ contractType: 'terms' }), []],
    ['機密性2 with backups abroad', cloudService({ ...c2, ismap: { program: 'ismap', number: 'C1', scope: '', validUntil: '2027-01-01' }, dataLocations: { data: ['JP'], backups: ['US'], logs: ['JP'], note: '' } }), ['data_outside_japan']],
    ['機密性1 abroad is not flagged', cloudService({ dataLocations: { data: ['US'], backups: ['US'], logs: ['US'], note: '' } }), []],
    ['機密性2 with no location recorded', cloudService({ ...c2, ismap: { program: 'ismap_liu', number: 'L1', scope: '', validUntil: '2027-01-01' }, dataLocations: { data: [], backups: [], logs: [], note: '' } }), ['data_location_unknown']],
    ['foreign governing law, even at 機密性1', cloudService({ governingLaw: 'US' }), ['foreign_law']],
    ['foreign jurisdiction only', cloudService({ jurisdiction: { country: 'SG', court: '' } }), ['foreign_law']],
    ['unknown law is not flagged as foreign', cloudService({ governingLaw: null, jurisdiction: null }), []],
    ['機密性2 without ISMAP', cloudService(c2), ['ismap_missing']],
    ['機密性2 with an ISMAP registration that lapsed yesterday', cloudService({ ...c2, ismap: { program: 'ismap', number: 'C1', scope: '', validUntil: '2026-05-31' } }), ['ismap_expired']],
    ['ISMAP valid until today is not expired', cloudService({ ...c2, ismap: { program: 'ismap', number: 'C1', scope: '', validUntil: '2026-06-01' } }), []],
    ['an unapproved subcontractor', engagement({ subcontractors: [{ id: 's', vendorId: null, name: '下請株式会社', location: '', scope: '', dataHandled: '', approved: false, approvedOn: null }] }), ['subcontractor_unapproved']],
    ['an approved subcontractor', engagement({ subcontractors: [{ id: 's', vendorId: null, name: '下請株式会社', location: '', scope: '', dataHandled: '', approved: true, approvedOn: '2026-04-01' }] }), []],
    ['a contract that ended without an end record', engagement({ period: { start: '2025-04-01', end: '2026-03-31' } }), ['contract_ended_without_record']],
    ['a contract ending today is not ended', engagement({ period: { start: '2025-04-01', end: '2026-06-01' } }), []],
    ['an incomplete end record', engagement({ period: { start: '2025-04-01', end: '2026-03-31' }, endOfContract: { assetsReturned: true, erasureCertificate: false, accountsRevoked: true, date: '2026-04-10', note: '' } }), ['end_of_contract_incomplete']],
    ['a complete end record', engagement({ period: { start: '2025-04-01', end: '2026-03-31' }, endOfContract: { assetsReturned: true, erasureCertificate: true, accountsRevoked: true, date: '2026-04-10', note: '' } }), []],
    ['an SNS account without a responsible person', snsAccount({ responsiblePersonId: null }), ['sns_no_responsible_person']],
    ['an SNS account without 2FA', snsAccount({ twoFactor: false }), ['sns_no_two_factor']],
    ['an SNS account not listed on the official site', snsAccount({ officialSiteUrl: null }), ['sns_not_listed']],
    ['an SNS account idle for 91 days', snsAccount({ lastActivityOn: '2026-03-02' }), ['sns_dormant']],
    ['an SNS account idle for exactly 90 days is not dormant', snsAccount({ lastActivityOn: '2026-03-03' }), []],
    ['no activity recorded: counted from registration', snsAccount({ lastActivityOn: null, registeredOn: '2026-01-01' }), ['sns_dormant']],
    ['an inactive responsible person', engagement({ responsiblePersonId: 'p-gone' }), ['person_inactive']],
    ['an inactive administrator (外部サービス管理者)', cloudService({ administratorId: 'p-gone' }), ['person_inactive']],
    ['an inactive SNS operator', snsAccount({ operatorIds: ['p-admin', 'p-gone'] }), ['person_inactive']],
    ['a person nobody knows counts as inactive', engagement({ administratorId: 'p-unknown' }), ['person_inactive']],
  ];
  for (const [what, record, expected] of rows) {
    test(what, () => assert.deepEqual(codes(record), expected));
  }
});

describe('warnings: combined, timed and worded', () => {
  test('every warning of a record, in catalogue order, each with a Japanese sentence', () => {
    const r = cloudService({ classification: level('3B'), informationAssets: [asset('3B', { personalData: true })], contractType: 'terms', governingLaw: 'US', dataLocations: { data: ['US'], backups: [], logs: [], note: '' }, administratorId: 'p-gone' });
    const all = warningsOf(r, ctx());
    assert.deepEqual(all.map((w) => w.code), ['terms_confidential', 'data_outside_japan', 'foreign_law', 'ismap_missing', 'person_inactive']);
    for (const w of all) assert.match(w.message, /[ぁ-んァ-ヶ一-龠]/u, `${w.code} is in Japanese`);
    assert.match(all[1]!.message, /アメリカ合衆国/);
    assert.match(all[0]!.message, /機密性3B/);
    assert.match(all[4]!.message, /外部サービス管理者（田中 一郎）/);
  });

  test('the dormancy period comes from the settings', () => {
    const r = snsAccount({ lastActivityOn: '2026-04-01' });
    assert.deepEqual(codes(r, ctx({ dormancyDays: 61 })), []);
    assert.deepEqual(codes(r, ctx({ dormancyDays: 30 })), ['sns_dormant']);
    assert.deepEqual(dormancy(r, '2026-06-01', 30), { since: '2026-04-01', days: 61, dormant: true });
  });

  test('stored warnings never depend on today or on people; read warnings are the rest', () => {
    const r = engagement({ period: { start: '2025-04-01', end: '2026-03-31' }, responsiblePersonId: 'p-gone', subcontractors: [{ id: 's', vendorId: null, name: 'X', location: '', scope: '', dataHandled: '', approved: false, approvedOn: null }] });
    assert.deepEqual(storedWarnings(r).map((w) => w.code), ['subcontractor_unapproved']);
    assert.deepEqual(readWarnings(r, ctx()).map((w) => w.code), ['contract_ended_without_record', 'person_inactive']);
    for (const w of storedWarnings(r)) assert.equal(WARNING_CATALOGUE[w.code].timing, 'stored');
    for (const w of readWarnings(r, ctx())) assert.equal(WARNING_CATALOGUE[w.code].timing, 'read');
  });
});
