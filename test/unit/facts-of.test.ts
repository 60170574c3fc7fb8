import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { factsOf } from '../../src/risk/facts-of.js';
import { inherentTier } from '../../src/risk/inherent-tier.js';
import type { SubjectFacts } from '../../src/questionnaires/facts.js';
import { asset, cloudService, engagement, snsAccount } from '../helpers/subjects.js';

const TODAY = '2026-06-01';

describe('factsOf', () => {
  test('an engagement with nothing recorded is public information, with every flag off', () => {
    const f = factsOf(engagement(), TODAY);
    assert.deepEqual(f, {
      kind: 'engagement', confidentiality: { level: '1', rank: 1 }, integrity: 1, availability: 1, personalData: false, myNumber: false,
      segment: null, placement: null, contractType: null, serviceModel: null, generativeAi: false, systemWork: false, workLocation: null,
      remoteAccess: false, vendorOperatesSns: false, vendorUsesGenerativeAi: false, criticalDependency: false, disasterInformation: false, date: TODAY,
    } satisfies SubjectFacts);
  });

  // [what, record, expected subset of facts]
  const rows: [string, Parameters<typeof factsOf>[0], Partial<SubjectFacts>][] = [
    ['the highest level of several assets (3A above 3B above 3C)', engagement({ informationAssets: [asset('3C'), asset('3A'), asset('2'), asset('3B')] }), { confidentiality: { level: '3A', rank: 3 } }],
    ['legacy level 3', engagement({ informationAssets: [asset('2'), asset('3')] }), { confidentiality: { level: '3', rank: 3 } }],
    ['integrity and availability 2 from any asset', engagement({ informationAssets: [asset('1', { integrity: 2 }), asset('1', { availability: 2 })] }), { integrity: 2, availability: 2 }],
    ['特定個人情報 implies personal data', engagement({ informationAssets: [asset('3B', { myNumber: true })] }), { personalData: true, myNumber: true }],
    ['the engagement’s own facts', engagement({ segment: 'lgwan', placement: 'alpha_prime', systemWork: true, workLocation: 'remote', remoteAccess: true, vendorOperatesSns: true, usesTermsOrGenerativeAi: true, criticalDependency: true }),
      { segment: 'lgwan', placement: 'alpha_prime', systemWork: true, workLocation: 'remote', remoteAccess: true, vendorOperatesSns: true, vendorUsesGenerativeAi: true, criticalDependency: true }],
    ['a cloud service: contract type, model, generative AI', cloudService({ contractType: 'terms', serviceModel: 'iaas', generativeAi: true, segment: 'internet', placement: 'beta' }),
      { kind: 'cloudService', contractType: 'terms', serviceModel: 'iaas', generativeAi: true, segment: 'internet', placement: 'beta', systemWork: false, workLocation: null }],
    ['a cloud service that cannot stop', cloudService({ criticalDependency: true }), { criticalDependency: true }],
    ['an SNS account is 機密性1 whatever else', snsAccount({ disasterInformation: true }), { kind: 'snsAccount', confidentiality: { level: '1', rank: 1 }, availability: 1, disasterInformation: true, segment: null }],
    ['an SNS account run by a vendor', snsAccount({ operatedByEngagementId: 'eeeeeeeeeeeeeeeeeeeeeeee' }), { vendorOperatesSns: true }],
  ];
  for (const [what, record, expected] of rows) {
    test(what, () => {
      const f = factsOf(record, TODAY);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(f[k as keyof SubjectFacts], v, k);
    });
  }

  test('the facts feed the inherent tier unchanged', () => {
    assert.equal(inherentTier(factsOf(engagement({ informationAssets: [asset('3B', { myNumber: true })] }), TODAY), 'r6').tier, 4);
    assert.equal(inherentTier(factsOf(snsAccount({ disasterInformation: true }), TODAY), 'r6').tier, 3);
    assert.equal(inherentTier(factsOf(snsAccount(), TODAY), 'r6').tier, 2);
    assert.equal(inherentTier(factsOf(cloudService(), TODAY), 'r6').tier, 1);
    assert.equal(inherentTier(factsOf(engagement({ informationAssets: [asset('3', { personalData: true })] }), TODAY), 'legacy').tier, 4);
  });
});
