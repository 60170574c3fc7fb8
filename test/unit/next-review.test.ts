import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextReview, type NextReviewInput } from '../../src/risk/next-review.js';

const input = (over: Partial<NextReviewInput> = {}): NextReviewInput => ({ tier: 3, registeredOn: '2026-04-01', contractEnd: '2027-03-31', lastDecision: null, ...over });
const decided = (date: string, result: 'approved' | 'conditional' | 'rejected' = 'approved', openConditionDueDates: string[] = []) => ({ lastDecision: { date, result, openConditionDueDates } });

describe('nextReview', () => {
  // [what, input, expected date, expected reason]
  const rows: [string, Partial<NextReviewInput>, string, string][] = [
    ['never decided: due on registration', {}, '2026-04-01', 'never_decided'],
    ['never decided: later events do not move it', { incidentDates: ['2026-05-01'], certificateExpiryDates: ['2026-04-15'] }, '2026-04-01', 'never_decided'],
    ['T4 decided: 12 months', { tier: 4, ...decided('2026-05-10') }, '2027-05-10', 'interval'],
    ['T3 decided: 12 months', { tier: 3, ...decided('2026-05-10') }, '2027-05-10', 'interval'],
    ['T2 decided: 24 months', { tier: 2, ...decided('2026-05-10') }, '2028-05-10', 'interval'],
    ['T1 with a contract: the contract end', { tier: 1, ...decided('2026-05-10') }, '2027-03-31', 'contract_end'],
    ['T1 without a contract: 36 months', { tier: 1, contractEnd: null, ...decided('2026-05-10') }, '2029-05-10', 'no_contract_interval'],
    ['29 February + 12 months is clamped to 28 February', { tier: 3, ...decided('2028-02-29') }, '2029-02-28', 'interval'],
    ['an incident after the decision brings it forward', { ...decided('2026-05-10'), incidentDates: ['2026-08-01', '2026-07-01'] }, '2026-07-01', 'incident'],
    ['an incident on the decision day is covered by it', { ...decided('2026-05-10'), incidentDates: ['2026-05-10'] }, '2027-05-10', 'interval'],
    ['an incident before the decision is covered by it', { ...decided('2026-05-10'), incidentDates: ['2026-01-01'] }, '2027-05-10', 'interval'],
    ['a subcontractor change', { ...decided('2026-05-10'), subcontractorChangeDates: ['2026-09-01'] }, '2026-09-01', 'subcontractor_change'],
    ['a data-location change', { ...decided('2026-05-10'), dataLocationChangeDates: ['2026-10-01'] }, '2026-10-01', 'data_location_change'],
    ['a certificate expiry', { ...decided('2026-05-10'), certificateExpiryDates: ['2026-12-31'] }, '2026-12-31', 'certificate_expiry'],
    ['an ISMAP expiry', { ...decided('2026-05-10'), ismapExpiryDates: ['2026-11-30'] }, '2026-11-30', 'ismap_expiry'],
    ['an expiry after the routine date does not count', { ...decided('2026-05-10'), certificateExpiryDates: ['2028-01-01'] }, '2027-05-10', 'interval'],
    ['a conditional decision is due at its earliest open condition', { ...decided('2026-05-10', 'conditional', ['2026-12-01', '2026-08-31']) }, '2026-08-31', 'condition_due'],
    ['conditions of an approved decision do not count', { ...decided('2026-05-10', 'approved', ['2026-06-01']) }, '2027-05-10', 'interval'],
    ['a rejected decision still has a routine date', { tier: 2, ...decided('2026-05-10', 'rejected') }, '2028-05-10', 'interval'],
    ['the earliest of several triggers wins', { ...decided('2026-05-10'), incidentDates: ['2026-09-01'], ismapExpiryDates: ['2026-06-30'], subcontractorChangeDates: ['2026-07-01'] }, '2026-06-30', 'ismap_expiry'],
    ['on a tie the routine reason is reported', { tier: 3, ...decided('2026-05-10'), certificateExpiryDates: ['2027-05-10'] }, '2027-05-10', 'interval'],
  ];
  for (const [what, over, date, reason] of rows) {
    test(what, () => {
      const r = nextReview(input(over));
      assert.equal(r.date, date);
      assert.equal(r.reason, reason);
      assert.match(r.text, /。$/, 'one Japanese sentence');
    });
  }

  test('explains an event with its 和暦 date', () => {
    assert.equal(nextReview(input({ ...decided('2026-05-10'), incidentDates: ['2026-07-01'] })).text, '令和8年7月1日にインシデントが発生したため、見直しが必要です。');
  });

  test('refuses an impossible tier instead of guessing', () => {
    assert.throws(() => nextReview(input({ tier: 5 as never, ...decided('2026-05-10') })), RangeError);
  });
});
