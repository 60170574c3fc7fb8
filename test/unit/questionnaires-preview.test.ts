import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applicableQuestions,
  checkContent,
  mustLevelOn,
  shippedContentRoot,
  type SubjectFacts,
  type Template,
  templatesFor,
} from '../../src/questionnaires/index.js';
import {
  facts,
  internetSaas,
  myNumberSystemWork,
  plainOutsourcing,
  snsAccount,
  termsService,
} from '../fixtures/questionnaires/subjects.js';

const { templates, problems } = checkContent([shippedContentRoot()]);
assert.deepEqual(problems, []);
const template = (id: string): Template => {
  const t = templates.find((x) => x.id === id);
  assert.ok(t);
  return t;
};
const applicable = (id: string, f: SubjectFacts, answers: Record<string, unknown> = {}): string[] =>
  applicableQuestions(template(id), f, answers).applicable;

/** Items §6 marks CLD2 or 機密性2+ only: none may reach a confidentiality-1 service. */
const CLD2 = ['A06', 'C02', 'C03', 'C05', 'C07', 'D04', 'E04', 'F02', 'F03', 'F04', 'F05', 'F08', 'F09', 'F11', 'F13', 'F17'];
const MYN = ['I02', 'I03', 'I04', 'I05', 'I06', 'I11', 'D03'];

test('My Number system work includes I02–I06, I11 and D03', () => {
  const ids = applicable('outsourcing', myNumberSystemWork());
  for (const id of MYN) assert.ok(ids.includes(id), `${id} applies`);
});

test('outsourcing without My Number, system work or segment asks none of the segment items', () => {
  const ids = applicable('outsourcing', plainOutsourcing());
  for (const id of [...MYN, 'I01', 'I08', 'I10', 'I12', 'A06', 'A07', 'D04', 'D05', 'D06', 'C02', 'C03', 'C05', 'C07', 'H08', 'C08']) {
    assert.ok(!ids.includes(id), `${id} does not apply`);
  }
  for (const id of ['A01', 'A05', 'B01', 'C01', 'C04', 'C06', 'D01', 'E02', 'E05']) assert.ok(ids.includes(id), `${id} applies`);
});

test('a 約款型 service is routed to cloud-terms and gets G01–G05', () => {
  const subject = termsService();
  assert.deepEqual(templatesFor(templates, subject).map((t) => t.id), ['cloud-terms']);
  const ids = applicable('cloud-terms', subject);
  for (const id of ['G01', 'G02', 'G03', 'G04', 'G05']) assert.ok(ids.includes(id), `${id} applies`);
  assert.ok(!ids.includes('G06'), 'G06 only for generative AI');
  assert.ok(applicable('cloud-terms', termsService({ generativeAi: true })).includes('G06'));
});

test('a 約款型 service that would hold 機密性2 goes to the individual-contract route instead', () => {
  const subject = termsService({ confidentiality: { level: '2', rank: 2 } });
  assert.deepEqual(templatesFor(templates, subject).map((t) => t.id), ['cloud-service']);
  const preview = applicableQuestions(template('cloud-terms'), subject);
  assert.equal(preview.subject.matches, false);
  assert.deepEqual(preview.applicable, []);
  assert.match(preview.questions[0]?.reason.ja ?? '', /様式の対象外/);
});

test('a 機密性1 internet SaaS gets no CLD2 items; the same service at 機密性2 gets them all', () => {
  const low = applicable('cloud-service', internetSaas(1));
  assert.deepEqual(low.filter((id) => CLD2.includes(id)), []);
  for (const id of ['A01', 'F01', 'F06', 'F10', 'F12', 'F14', 'F19', 'E02']) assert.ok(low.includes(id), `${id} applies`);
  const high = applicable('cloud-service', internetSaas(2));
  const cloudCld2 = CLD2.filter((id) => template('cloud-service').questions.some((q) => q.id === id));
  assert.ok(cloudCld2.length >= 14);
  for (const id of cloudCld2) assert.ok(high.includes(id), `${id} applies at 機密性2`);
});

test('templatesFor picks one template per kind of subject', () => {
  const rows: [string, SubjectFacts, string[]][] = [
    ['outsourcing', plainOutsourcing(), ['outsourcing']],
    ['individual SaaS', internetSaas(1), ['cloud-service']],
    ['terms-only', termsService(), ['cloud-terms']],
    ['SNS', snsAccount(), ['sns']],
  ];
  for (const [name, subject, expected] of rows) {
    assert.deepEqual(templatesFor(templates, subject).map((t) => t.id), expected, name);
  }
});

test('segment items follow the subject: LGWAN, α′, β and Government Cloud', () => {
  const rows: [string, string, SubjectFacts, string[], string[]][] = [
    ['LGWAN system work', 'outsourcing', facts({ systemWork: true, segment: 'lgwan' }), ['I05', 'I06', 'I08'], ['I02', 'I10', 'I12']],
    ['internet β', 'outsourcing', facts({ systemWork: true, segment: 'internet', placement: 'beta' }), ['I10'], ['I08', 'I05']],
    ['Government Cloud', 'outsourcing', facts({ systemWork: true, segment: 'government_cloud' }), ['I12'], ['I08', 'I10']],
    ['LGWAN-ASP', 'cloud-service', internetSaas(2, { segment: 'lgwan' }), ['I07', 'I08'], ['I09']],
    ['α′ cloud', 'cloud-service', internetSaas(2, { segment: 'lgwan', placement: 'alpha_prime' }), ['I09', 'I08'], ['I07']],
  ];
  for (const [name, id, subject, yes, no] of rows) {
    const ids = applicable(id, subject);
    for (const q of yes) assert.ok(ids.includes(q), `${name}: ${q} applies`);
    for (const q of no) assert.ok(!ids.includes(q), `${name}: ${q} does not apply`);
  }
});

test('SNS: H07 only for disaster information, H08 only when a vendor runs the account', () => {
  assert.deepEqual(applicable('sns', snsAccount()), ['H01', 'H02', 'H03', 'H04', 'H05', 'H06', 'H09', 'H10']);
  const all = applicable('sns', snsAccount({ disasterInformation: true, vendorOperatesSns: true }));
  assert.ok(all.includes('H07') && all.includes('H08'));
});

test('each left-out question says which condition was false and what the facts held', () => {
  const preview = applicableQuestions(template('cloud-service'), internetSaas(1));
  const f03 = preview.questions.find((q) => q.id === 'F03');
  assert.equal(f03?.applies, false);
  assert.equal(f03?.status, 'excluded');
  assert.equal(f03?.condition, 'confidentiality.rank >= 2');
  assert.equal(f03?.reason.ja, '適用条件「confidentiality.rank >= 2」が偽: 機密性（3/2/1換算） が 2 以上: 偽（機密性（3/2/1換算） = 1）');
  assert.match(f03?.reason.en ?? '', /^condition "confidentiality\.rank >= 2" is false: .*= 1\)$/);
  const a01 = preview.questions.find((q) => q.id === 'A01');
  assert.equal(a01?.reason.ja, '常に適用（条件なし）');
});

test('follow-ups wait for their parent, then apply or not by its answer', () => {
  const t = template('outsourcing');
  const decision = (answers: Record<string, unknown>) =>
    applicableQuestions(t, plainOutsourcing(), answers).questions.find((q) => q.id === 'A02a');
  assert.equal(decision({})?.status, 'pending');
  assert.match(decision({})?.reason.ja ?? '', /設問 A02 の回答待ち/);
  assert.equal(decision({ A02: 'certified_in_scope' })?.status, 'applies');
  assert.equal(decision({ A02: 'none' })?.status, 'excluded');
  assert.match(decision({ A02: 'none' })?.reason.ja ?? '', /取得していない/);
});

test('an answer to a question that does not apply cannot switch a follow-up on', () => {
  // I05 applies only in the My Number and LGWAN segments; a stale answer from an earlier draft must be ignored.
  const preview = applicableQuestions(template('outsourcing'), plainOutsourcing(), { I05: 'internet' });
  const i05a = preview.questions.find((q) => q.id === 'I05a');
  assert.equal(i05a?.applies, false);
  assert.match(i05a?.reason.ja ?? '', /元の設問 I05 が適用されない/);
});

test('must levels follow conditions and the effective date (A07: ○ until 令和9年6月30日, ◎ from 7月1日)', () => {
  const q = template('outsourcing').questions.find((x) => x.id === 'A07');
  assert.ok(q);
  const rows: [string, '◎' | '○', number | null][] = [
    ['2027-06-30', '○', null],
    ['2027-07-01', '◎', 0],
    ['2030-01-01', '◎', 0],
  ];
  for (const [date, level, ruleIndex] of rows) {
    const decision = mustLevelOn(q, myNumberSystemWork({ date }));
    assert.equal(decision.level, level, date);
    assert.equal(decision.ruleIndex, ruleIndex, date);
  }
  assert.equal(mustLevelOn(q, myNumberSystemWork({ date: '2027-07-01' })).reason.ja, '規則 1: 令和9年7月1日からは◎');
});

test('must levels by condition: A02 ◎ for My Number, F07 ◎ for 可用性2, F18 ◎ for generative AI', () => {
  const find = (tid: string, qid: string) => {
    const q = template(tid).questions.find((x) => x.id === qid);
    assert.ok(q);
    return q;
  };
  const rows: [string, string, SubjectFacts, '◎' | '○'][] = [
    ['outsourcing', 'A02', plainOutsourcing(), '○'],
    ['outsourcing', 'A02', myNumberSystemWork(), '◎'],
    ['cloud-service', 'F07', internetSaas(1), '○'],
    ['cloud-service', 'F07', internetSaas(1, { availability: 2 }), '◎'],
    ['cloud-service', 'F18', internetSaas(1), '○'],
    ['cloud-service', 'F18', internetSaas(1, { generativeAi: true }), '◎'],
    ['cloud-service', 'F01', internetSaas(2), '◎'],
  ];
  for (const [tid, qid, subject, level] of rows) assert.equal(mustLevelOn(find(tid, qid), subject).level, level, `${tid} ${qid}`);
  const preview = applicableQuestions(template('cloud-service'), internetSaas(1, { availability: 2 }));
  const f07 = preview.questions.find((q) => q.id === 'F07');
  assert.equal(f07?.must?.level, '◎');
  assert.match(f07?.must?.reason.ja ?? '', /可用性 が 2 の場合は◎/);
});

test('evidence is asked for only when the answer calls for it', () => {
  const evidence = (answers: Record<string, unknown>) =>
    applicableQuestions(template('outsourcing'), plainOutsourcing(), answers).questions.find((q) => q.id === 'A02')?.evidence;
  assert.equal(evidence({ A02: 'certified_in_scope' }), 'required');
  assert.equal(evidence({ A02: 'none' }), 'none');
  assert.equal(evidence({}), 'none');
});
