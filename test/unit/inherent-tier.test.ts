import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SubjectFacts } from '../../src/questionnaires/facts.js';
import {
  T1_REVIEW_WITHOUT_CONTRACT_MONTHS,
  inherentTier,
  likelihoodFromScore,
  residualRisk,
  reviewIntervalMonths,
  type ClassificationScheme,
  type Likelihood,
  type Tier,
} from '../../src/risk/inherent-tier.js';

/** The least risky subject: public information, no personal data, nothing special. */
function facts(overrides: Partial<SubjectFacts> = {}): SubjectFacts {
  return {
    kind: 'engagement',
    confidentiality: { level: '1', rank: 1 },
    integrity: 1,
    availability: 1,
    personalData: false,
    myNumber: false,
    segment: null,
    placement: null,
    contractType: null,
    serviceModel: null,
    generativeAi: false,
    systemWork: false,
    workLocation: null,
    remoteAccess: false,
    vendorOperatesSns: false,
    vendorUsesGenerativeAi: false,
    criticalDependency: false,
    disasterInformation: false,
    date: '2026-04-01',
    ...overrides,
  };
}

const c = (level: string, rank: 1 | 2 | 3): SubjectFacts['confidentiality'] => ({ level, rank });
const codes = (f: SubjectFacts, scheme?: ClassificationScheme): string[] =>
  inherentTier(f, scheme).reasons.map((r) => r.code);

describe('inherentTier: each rule on its own', () => {
  const personal = { personalData: true };
  const c2 = c('2', 2);
  const c2personal = 'confidentiality2_personal confidentiality2';
  // [what, facts, scheme, expected tier, every reason expected, in order]
  const rows: [string, Partial<SubjectFacts>, ClassificationScheme, Tier, string][] = [
    ['nothing special', {}, 'r6', 1, 'baseline'],
    ['特定個人情報', { myNumber: true }, 'r6', 4, 'my_number'],
    ['マイナンバー利用事務系', { segment: 'mynumber' }, 'r6', 4, 'segment_mynumber'],
    ['機密性3A', { confidentiality: c('3A', 3) }, 'r6', 4, 'confidentiality_3ab'],
    ['機密性3B', { confidentiality: c('3B', 3) }, 'r6', 4, 'confidentiality_3ab'],
    ['機密性3B with personal data', { confidentiality: c('3B', 3), ...personal }, 'r6', 4, 'confidentiality_3ab'],
    ['sole supplier of a critical duty', { criticalDependency: true }, 'r6', 4, 'critical_dependency'],
    ['機密性3C', { confidentiality: c('3C', 3) }, 'r6', 3, 'confidentiality_3c'],
    ['機密性3C with personal data stays 3C', { confidentiality: c('3C', 3), ...personal }, 'r6', 3, 'confidentiality_3c'],
    ['機密性2 with personal data', { confidentiality: c2, ...personal }, 'r6', 3, c2personal],
    ['remote access', { remoteAccess: true }, 'r6', 3, 'remote_access'],
    ['system work on 機密性2', { systemWork: true, confidentiality: c2 }, 'r6', 3, 'system_work_c2 confidentiality2'],
    ['system work on 機密性1 does not count', { systemWork: true }, 'r6', 1, 'baseline'],
    ['ガバメントクラウド', { segment: 'government_cloud' }, 'r6', 3, 'government_cloud'],
    ['LGWAN接続系 alone', { segment: 'lgwan' }, 'r6', 1, 'baseline'],
    ['インターネット接続系 alone', { segment: 'internet' }, 'r6', 1, 'baseline'],
    ['SNS for disaster news', { kind: 'snsAccount', disasterInformation: true }, 'r6', 3, 'sns_disaster sns_account'],
    ['機密性2', { confidentiality: c('2', 2) }, 'r6', 2, 'confidentiality2'],
    ['完全性2', { integrity: 2 }, 'r6', 2, 'integrity_availability2'],
    ['可用性2', { availability: 2 }, 'r6', 2, 'integrity_availability2'],
    ['完全性2 and 可用性2 give one reason', { integrity: 2, availability: 2 }, 'r6', 2, 'integrity_availability2'],
    ['any SNS account', { kind: 'snsAccount' }, 'r6', 2, 'sns_account'],
    ['disaster information outside SNS', { disasterInformation: true }, 'r6', 1, 'baseline'],
    ['a plain cloud service', { kind: 'cloudService' }, 'r6', 1, 'baseline'],
    ['personal data at 機密性1 alone', personal, 'r6', 1, 'baseline'],
    ['generative AI (not a tier rule)', { generativeAi: true, vendorUsesGenerativeAi: true }, 'r6', 1, 'baseline'],
    // The legacy 3/2/1 scheme.
    ['機密性3 with personal data', { confidentiality: c('3', 3), ...personal }, 'legacy', 4, 'confidentiality_3ab'],
    ['機密性3 without personal data', { confidentiality: c('3', 3) }, 'legacy', 3, 'confidentiality_3c'],
    ['機密性2 with personal data', { confidentiality: c2, ...personal }, 'legacy', 3, c2personal],
    ['機密性2', { confidentiality: c('2', 2) }, 'legacy', 2, 'confidentiality2'],
    ['機密性1', {}, 'legacy', 1, 'baseline'],
    ['機密性1 with personal data', personal, 'legacy', 1, 'baseline'],
  ];
  for (const [what, overrides, scheme, tier, expected] of rows) {
    test(`${what} (${scheme}) → T${tier}: ${expected}`, () => {
      const result = inherentTier(facts(overrides), scheme);
      assert.equal(result.tier, tier);
      assert.deepEqual(
        result.reasons.map((r) => r.code),
        expected.split(' '),
      );
    });
  }
});

describe('inherentTier: combinations', () => {
  test('the highest tier wins and every rule that fired is listed, highest first', () => {
    const result = inherentTier(facts({ myNumber: true, remoteAccess: true, integrity: 2 }));
    assert.equal(result.tier, 4);
    assert.deepEqual(
      result.reasons.map((r) => [r.code, r.tier]),
      [
        ['my_number', 4],
        ['remote_access', 3],
        ['integrity_availability2', 2],
      ],
    );
  });

  test('a T2 fact does not lift a T3 subject, and a T3 fact does not lift a T4 one', () => {
    assert.equal(inherentTier(facts({ remoteAccess: true, availability: 2 })).tier, 3);
    assert.equal(inherentTier(facts({ criticalDependency: true, segment: 'government_cloud' })).tier, 4);
  });

  test('an SNS account for disaster information run by a vendor with remote access, on 機密性2 personal data', () => {
    const f = facts({
      kind: 'snsAccount',
      disasterInformation: true,
      remoteAccess: true,
      confidentiality: c('2', 2),
      personalData: true,
      availability: 2,
    });
    assert.deepEqual(codes(f), [
      'confidentiality2_personal',
      'remote_access',
      'sns_disaster',
      'confidentiality2',
      'integrity_availability2',
      'sns_account',
    ]);
    assert.equal(inherentTier(f).tier, 3);
  });

  test('everything at once: T4 with all thirteen rules listed and no baseline', () => {
    const f = facts({
      kind: 'snsAccount',
      myNumber: true,
      segment: 'mynumber',
      confidentiality: c('3B', 3),
      criticalDependency: true,
      remoteAccess: true,
      systemWork: true,
      disasterInformation: true,
      integrity: 2,
      personalData: true,
    });
    const result = inherentTier(f);
    assert.equal(result.tier, 4);
    assert.deepEqual(
      result.reasons.map((r) => r.code),
      [
        'my_number',
        'segment_mynumber',
        'confidentiality_3ab',
        'critical_dependency',
        'remote_access',
        'system_work_c2',
        'sns_disaster',
        'integrity_availability2',
        'sns_account',
      ],
    );
    // 3C, 機密性2 and government_cloud cannot fire beside 3B and the mynumber segment.
    const withRank2 = inherentTier({ ...f, confidentiality: c('2', 2), segment: 'government_cloud' });
    assert.equal(withRank2.tier, 4);
    assert.ok(withRank2.reasons.some((r) => r.code === 'government_cloud'));
    assert.ok(withRank2.reasons.some((r) => r.code === 'confidentiality2_personal'));
    assert.ok(withRank2.reasons.some((r) => r.code === 'confidentiality2'));
  });

  test('the scheme changes the outcome for the same level-3 facts', () => {
    const level3Personal = facts({ confidentiality: c('3', 3), personalData: true });
    assert.equal(inherentTier(level3Personal, 'legacy').tier, 4);
    assert.throws(() => inherentTier(level3Personal, 'r6'), RangeError);
  });

  test('invariants over every combination of the boolean facts and classification', () => {
    const levels: [ClassificationScheme, SubjectFacts['confidentiality']][] = [
      ['r6', c('3A', 3)],
      ['r6', c('3B', 3)],
      ['r6', c('3C', 3)],
      ['r6', c('2', 2)],
      ['r6', c('1', 1)],
      ['legacy', c('3', 3)],
      ['legacy', c('2', 2)],
      ['legacy', c('1', 1)],
    ];
    const flags = ['myNumber', 'personalData', 'remoteAccess', 'systemWork', 'criticalDependency'];
    flags.push('disasterInformation');
    let checked = 0;
    for (const [scheme, confidentiality] of levels) {
      for (const kind of ['engagement', 'cloudService', 'snsAccount'] as const) {
        for (let mask = 0; mask < 2 ** flags.length; mask++) {
          const f = facts({ kind, confidentiality });
          const on = flags.filter((_, i) => mask & (2 ** i));
          for (const flag of on) Object.assign(f, { [flag]: true });
          const { tier, reasons } = inherentTier(f, scheme);

          assert.ok(reasons.length > 0);
          assert.equal(tier, Math.max(...reasons.map((r) => r.tier)), 'tier is the highest reason');
          for (let i = 1; i < reasons.length; i++) assert.ok(reasons[i - 1]!.tier >= reasons[i]!.tier, 'sorted');
          assert.equal(new Set(reasons.map((r) => r.code)).size, reasons.length, 'no duplicate codes');
          const hasBaseline = reasons.some((r) => r.code === 'baseline');
          assert.equal(hasBaseline, tier === 1);
          if (hasBaseline) assert.equal(reasons.length, 1);

          // Turning on one more fact never lowers the tier.
          for (const flag of flags.filter((x) => !on.includes(x))) {
            const more = inherentTier({ ...f, [flag]: true }, scheme).tier;
            assert.ok(more >= tier, `${flag} lowered ${JSON.stringify(on)} under ${confidentiality.level}`);
          }
          checked++;
        }
      }
    }
    assert.equal(checked, 8 * 3 * 64);
  });
});

describe('inherentTier: reasons', () => {
  test('every reason has a snake_case code and a Japanese sentence', () => {
    const f = facts({
      kind: 'snsAccount',
      myNumber: true,
      segment: 'government_cloud',
      confidentiality: c('2', 2),
      personalData: true,
      criticalDependency: true,
      remoteAccess: true,
      systemWork: true,
      disasterInformation: true,
      availability: 2,
    });
    const all = [
      ...inherentTier(f).reasons,
      ...inherentTier(facts({ confidentiality: c('3A', 3) })).reasons,
      ...inherentTier(facts({ confidentiality: c('3C', 3) })).reasons,
      ...inherentTier(facts({ segment: 'mynumber' })).reasons,
      ...inherentTier(facts()).reasons,
    ];
    assert.equal(new Set(all.map((r) => r.code)).size, 14, 'all fourteen codes seen');
    for (const r of all) {
      assert.match(r.code, /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      assert.match(r.text, /[\u3040-\u30ff\u4e00-\u9fff]/, r.code);
      assert.ok(r.text.endsWith('。'), r.code);
    }
  });

  test('level-3 texts name the scheme the municipality uses', () => {
    const text = (level: string, personalData: boolean, scheme: ClassificationScheme) =>
      inherentTier(facts({ confidentiality: c(level, 3), personalData }), scheme).reasons[0]!.text;
    assert.match(text('3A', false, 'r6'), /3A/);
    assert.match(text('3C', false, 'r6'), /3C/);
    assert.doesNotMatch(text('3', true, 'legacy'), /3[ABC]/);
    assert.doesNotMatch(text('3', false, 'legacy'), /3[ABC]/);
  });

  test('the default scheme is 令和6年 (3A/3B/3C)', () => {
    assert.equal(inherentTier(facts({ confidentiality: c('3B', 3) })).tier, 4);
    assert.throws(() => inherentTier(facts({ confidentiality: c('3', 3), personalData: true })), RangeError);
  });

  test('a returned result can be changed without affecting the next one', () => {
    const first = inherentTier(facts());
    first.reasons[0]!.text = 'changed';
    assert.notEqual(inherentTier(facts()).reasons[0]!.text, 'changed');
  });
});

describe('inherentTier: classification that does not fit the scheme is refused', () => {
  const rows: [string, SubjectFacts['confidentiality'], ClassificationScheme][] = [
    ['legacy level 3 under r6', c('3', 3), 'r6'],
    ['3B under legacy', c('3B', 3), 'legacy'],
    ['3C under legacy', c('3C', 3), 'legacy'],
    ['lower-case 3a', c('3a', 3), 'r6'],
    ['3A with rank 2', c('3A', 2), 'r6'],
    ['2 with rank 3', c('2', 3), 'r6'],
    ['1 with rank 2', c('1', 2), 'legacy'],
    ['an empty level', c('', 1), 'r6'],
    ['a prototype key', c('__proto__', 3), 'r6'],
    ['toString', c('toString', 1), 'legacy'],
  ];
  for (const [what, confidentiality, scheme] of rows) {
    test(`${what} is a RangeError`, () => {
      assert.throws(() => inherentTier(facts({ confidentiality }), scheme), RangeError);
    });
  }
});

describe('reviewIntervalMonths', () => {
  const rows: [Tier, number | null][] = [
    [4, 12],
    [3, 12],
    [2, 24],
    [1, null],
  ];
  for (const [tier, months] of rows) {
    test(`T${tier} → ${months}`, () => assert.equal(reviewIntervalMonths(tier), months));
  }

  test('T1 without a contract is reviewed after 36 months', () => assert.equal(T1_REVIEW_WITHOUT_CONTRACT_MONTHS, 36));

  test('refuses a tier outside 1–4', () => {
    for (const bad of [0, 5, 2.5, Number.NaN]) assert.throws(() => reviewIntervalMonths(bad as Tier), RangeError);
  });
});

describe('likelihoodFromScore', () => {
  const rows: [number, Likelihood][] = [
    [100, 1],
    [85, 1],
    [84.999, 2],
    [84, 2],
    [70, 2],
    [69.999, 3],
    [69, 3],
    [50, 3],
    [49.999, 4],
    [49, 4],
    [0, 4],
  ];
  for (const [score, likelihood] of rows) {
    test(`C = ${score} → L${likelihood}`, () => assert.equal(likelihoodFromScore(score), likelihood));
  }

  test('refuses scores outside 0–100 and NaN', () => {
    for (const bad of [-0.001, 100.001, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      assert.throws(() => likelihoodFromScore(bad), RangeError, String(bad));
    }
  });
});

describe('residualRisk', () => {
  // R = T × L; ≤4 承認可, 6–8 条件付き, ≥9 要エスカレーション (requirements §8).
  const rows: [Tier, Likelihood, number, string][] = [
    [1, 1, 1, 'approved'],
    [1, 2, 2, 'approved'],
    [1, 3, 3, 'approved'],
    [1, 4, 4, 'approved'],
    [2, 1, 2, 'approved'],
    [2, 2, 4, 'approved'],
    [2, 3, 6, 'conditional'],
    [2, 4, 8, 'conditional'],
    [3, 1, 3, 'approved'],
    [3, 2, 6, 'conditional'],
    [3, 3, 9, 'escalate'],
    [3, 4, 12, 'escalate'],
    [4, 1, 4, 'approved'],
    [4, 2, 8, 'conditional'],
    [4, 3, 12, 'escalate'],
    [4, 4, 16, 'escalate'],
  ];
  for (const [t, l, value, band] of rows) {
    test(`T${t} × L${l} = ${value}, ${band}`, () => assert.deepEqual(residualRisk(t, l), { value, band }));
  }

  test('refuses a tier or likelihood outside 1–4', () => {
    assert.throws(() => residualRisk(0 as Tier, 1), RangeError);
    assert.throws(() => residualRisk(1, 5 as Likelihood), RangeError);
    assert.throws(() => residualRisk(1.5 as Tier, 1), RangeError);
  });

  test('T1 with a strong score is approved; T4 with a weak one escalates', () => {
    assert.equal(residualRisk(1, likelihoodFromScore(92)).band, 'approved');
    assert.equal(residualRisk(4, likelihoodFromScore(65)).band, 'escalate');
    const t3 = inherentTier(facts({ remoteAccess: true })).tier;
    assert.equal(residualRisk(t3, likelihoodFromScore(75)).band, 'conditional');
  });
});
