import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnnexError, annexPreview, buildAnnex, type AnnexModel } from '../../src/documents/index.js';
import { internetSaas, myNumberSystemWork, plainOutsourcing, termsService } from '../fixtures/questionnaires/subjects.js';
import { annexInput } from './fixtures.js';

const applying = (m: AnnexModel): string[] => m.clauses.filter((c) => c.applies).map((c) => c.id);
const modulesIn = (m: AnnexModel): string[] => [...new Set(m.clauses.filter((c) => c.applies).map((c) => c.moduleId))];
const clause = (m: AnnexModel, id: string) => {
  const found = m.clauses.find((c) => c.id === id);
  assert.ok(found, `clause ${id} is in the library`);
  return found;
};
const text = (m: AnnexModel, id: string): string => clause(m, id).paragraphs.map((p) => [p.text, ...p.items.map((i) => i.text)].join('')).join('');

test('plain outsourcing gets the base and closing clauses only, numbered 第１条… without gaps', () => {
  const m = buildAnnex(annexInput({ facts: plainOutsourcing() }));
  assert.deepEqual(modulesIn(m), ['base', 'closing']);
  const numbered = m.clauses.filter((c) => c.applies);
  assert.deepEqual(numbered.map((c) => c.number), numbered.map((_, i) => i + 1));
  assert.equal(numbered[0]?.article, '第１条');
  assert.equal(numbered[9]?.article, '第１０条');
  assert.ok(m.clauses.filter((c) => !c.applies).every((c) => c.number === null && c.paragraphs.length === 0));
  const general = text(m, 'general');
  assert.match(general, /^この特記事項は、架空市（以下「甲」という。）と株式会社テスト情報システム（以下「乙」という。）/);
  assert.match(general, /「住民記録システム運用保守業務委託」に係る契約（以下「本契約」という。）/);
});

test('paragraphs are numbered ２, ３ … and items （１）（２）…, in 全角', () => {
  const sub = clause(buildAnnex(annexInput()), 'subcontracting');
  assert.deepEqual(sub.paragraphs.map((p) => p.number), [null, '２', '３', '４', '５']);
  assert.deepEqual(sub.paragraphs[1]?.items.map((i) => i.number), ['（１）', '（２）', '（３）', '（４）', '（５）']);
});

test('C1 cloud: a service holding 機密性2 or more gets the cloud clauses; a 機密性1 service does not, and says why', () => {
  const cloud = buildAnnex(annexInput({ facts: internetSaas(2) }));
  assert.ok(modulesIn(cloud).includes('cloud'));
  assert.match(text(cloud, 'cloud-data-location'), /日本国内に所在するデータセンターにおいてのみ/);
  assert.match(text(cloud, 'cloud-governing-law'), /甲の所在地を管轄する地方裁判所を第一審の専属的合意管轄裁判所とする/);
  const low = buildAnnex(annexInput({ facts: internetSaas(1) }));
  assert.ok(!modulesIn(low).includes('cloud'));
  assert.match(clause(low, 'cloud-exit').reason, /^機密性（3\/2\/1換算） が 2 以上: 偽（機密性（3\/2\/1換算） = 1）$/);
  assert.match(clause(cloud, 'cloud-exit').reason, /対象の種別 が 外部サービス: 真.*機密性（3\/2\/1換算） が 2 以上: 真/);
});

test('the parameters fill the clauses: first-report hours in 全角, data location, court', () => {
  const m = buildAnnex(annexInput({ facts: internetSaas(3), parameters: { firstReportHours: 12, dataLocation: '日本国内（東京都及び大阪府）', court: '架空地方裁判所' } }));
  assert.match(text(m, 'incidents'), /遅くとも知った時から１２時間以内に/);
  assert.match(text(m, 'cloud-data-location'), /日本国内（東京都及び大阪府）に所在する/);
  assert.match(text(m, 'cloud-governing-law'), /架空地方裁判所を第一審の/);
  assert.match(text(buildAnnex(annexInput()), 'incidents'), /２４時間以内に/, 'the default is 24 hours');
});

test('C2 personal data and C3 特定個人情報: personal data brings C2; My Number brings both, even without the personal-data flag', () => {
  assert.deepEqual(modulesIn(buildAnnex(annexInput({ facts: plainOutsourcing({ personalData: true }) }))), ['base', 'personal-data', 'closing']);
  const mn = buildAnnex(annexInput({ facts: plainOutsourcing({ myNumber: true }) }));
  assert.deepEqual(modulesIn(mn), ['base', 'personal-data', 'my-number', 'closing']);
  assert.match(text(mn, 'mynumber-subcontracting'), /番号法第１０条第１項/);
  assert.match(text(mn, 'personal-data-leaks'), /個人情報保護法第６８条/);
});

test('C4 segment work: work in the My Number or LGWAN segment, not a cloud service that merely sits there', () => {
  for (const segment of ['mynumber', 'lgwan'] as const) {
    assert.ok(modulesIn(buildAnnex(annexInput({ facts: plainOutsourcing({ segment }) }))).includes('segment-work'), segment);
  }
  assert.ok(!modulesIn(buildAnnex(annexInput({ facts: plainOutsourcing({ segment: 'internet' }) }))).includes('segment-work'));
  assert.ok(!modulesIn(buildAnnex(annexInput({ facts: internetSaas(2, { segment: 'lgwan' }) }))).includes('segment-work'));
  assert.match(text(buildAnnex(annexInput({ facts: myNumberSystemWork() })), 'segment-remote'), /特定通信に限る/);
});

test('C5 system work, C6 SNS run by a vendor, C7 generative AI and C9 Government Cloud follow their facts', () => {
  const cases: [Parameters<typeof plainOutsourcing>[0], string][] = [
    [{ systemWork: true }, 'system-work'],
    [{ vendorOperatesSns: true }, 'sns-operation'],
    [{ vendorUsesGenerativeAi: true }, 'generative-ai'],
    [{ segment: 'government_cloud' }, 'government-cloud'],
  ];
  for (const [facts, module] of cases) {
    const on = buildAnnex(annexInput({ facts: plainOutsourcing(facts) }));
    assert.ok(modulesIn(on).includes(module), module);
    assert.ok(!modulesIn(buildAnnex(annexInput({ facts: plainOutsourcing() }))).includes(module), `${module} needs its fact`);
  }
  const sns = buildAnnex(annexInput({ facts: plainOutsourcing({ vendorOperatesSns: true }) }));
  assert.match(text(sns, 'sns-end'), /認証情報を変更して甲に引き渡し/);
  const gc = buildAnnex(annexInput({ facts: plainOutsourcing({ segment: 'government_cloud' }) }));
  assert.match(text(gc, 'gc-incidents'), new RegExp(`${clause(gc, 'incidents').article}の規定によるほか、${clause(gc, 'gc-responsibility').article}の責任の分担`));
});

test('C8 supply chain: new system or cloud work dated from 令和9年7月1日, by contract start or else issue date', () => {
  const sys = (start: string | null, issueDate = '2027-05-01') =>
    modulesIn(buildAnnex(annexInput({ facts: plainOutsourcing({ systemWork: true }), contract: { title: 'システム改修業務', start, end: null }, issueDate }))).includes('supply-chain');
  assert.equal(sys('2027-06-30'), false, 'the day before');
  assert.equal(sys('2027-07-01'), true, 'from 令和9年7月1日');
  assert.equal(sys(null, '2027-07-01'), true, 'no contract start: the issue date');
  assert.equal(sys(null, '2027-06-30'), false);
  assert.equal(sys('2027-07-01', '2027-06-01'), true, 'the contract start wins over an earlier issue date');
  const cloud = buildAnnex(annexInput({ facts: internetSaas(1), contract: { title: 'オンライン申請サービス', start: '2028-04-01' } }));
  assert.ok(modulesIn(cloud).includes('supply-chain'), 'any cloud service');
  const plain = buildAnnex(annexInput({ facts: plainOutsourcing(), contract: { title: '印刷業務', start: '2028-04-01' } }));
  assert.ok(!modulesIn(plain).includes('supply-chain'), 'not outsourcing without system work');
  assert.match(clause(plain, 'supply-chain-pledge').reason, /システムの開発・運用を含む: 偽/);
  const before = buildAnnex(annexInput({ facts: plainOutsourcing({ systemWork: true }), contract: { title: 'x', start: '2027-06-30' } }));
  assert.equal(clause(before, 'supply-chain-pledge').reason, '特記事項の日付 が 令和9年7月1日 以降: 偽（特記事項の日付 = 令和9年6月30日）');
});

test('conditions of a decision become a clause with numbered items and 和暦 due dates', () => {
  const m = buildAnnex(
    annexInput({
      conditions: [
        { text: 'ISMS認証の適用範囲に本業務を含めること', dueDate: '2026-09-30' },
        { text: '従事者名簿を提出すること', dueDate: '2027-01-05' },
      ],
    }),
  );
  const c = clause(m, 'decision-conditions');
  assert.equal(c.applies, true);
  assert.deepEqual(c.paragraphs[0]?.items, [
    { number: '（１）', text: 'ISMS認証の適用範囲に本業務を含めること（期限　令和８年９月３０日）' },
    { number: '（２）', text: '従事者名簿を提出すること（期限　令和９年１月５日）' },
  ]);
  assert.match(c.paragraphs[1]?.text ?? '', new RegExp(`${clause(m, 'corrective-action').article}の規定により是正を求め、又は${clause(m, 'termination').article}の規定`));
  assert.deepEqual(m.conditions.map((x) => x.dueDateText), ['令和８年９月３０日', '令和９年１月５日']);
  assert.equal(clause(buildAnnex(annexInput()), 'decision-conditions').applies, false, 'no conditions, no clause');
});

test('references give the final numbers after clauses drop out, in every combination of modules', () => {
  for (const facts of [plainOutsourcing(), myNumberSystemWork(), internetSaas(3, { personalData: true })]) {
    const m = buildAnnex(annexInput({ facts }));
    const survival = text(m, 'survival');
    const expected = ['confidentiality', 'publication', 'audit', 'return-erasure', 'damages'].map((id) => clause(m, id).article);
    assert.equal(survival, `${expected.slice(0, 4).join('、')}及び${expected[4]}の規定は、本契約が終了し、又は解除された後においても、なおその効力を有する。`);
  }
});

test('the asset table shows each asset with its classification in 全角', () => {
  const m = buildAnnex(annexInput());
  assert.deepEqual(m.assets.rows[0], { number: '１', name: '住民基本台帳データ', confidentiality: '機密性３Ｂ', integrity: '完全性２', availability: '可用性２', personalData: '○', myNumber: '○' });
  assert.equal(m.assets.rows[1]?.personalData, '－');
  assert.deepEqual(buildAnnex(annexInput({ assets: [] })).assets.rows, []);
});

test('the annex is dated on the contract start, else the issue date, and signed by both parties', () => {
  const m = buildAnnex(annexInput());
  assert.equal(m.date, '2026-04-01');
  assert.equal(m.dateText, '令和８年４月１日');
  assert.equal(buildAnnex(annexInput({ contract: { title: '業務', start: null } })).dateText, '令和８年３月１０日');
  assert.equal(buildAnnex(annexInput({ contract: { title: '業務', start: '2019-05-01' } })).dateText, '令和元年５月１日');
  assert.deepEqual(m.signature.parties.map((p) => [p.role, p.name, p.representative]), [
    ['甲', '架空市', '架空市長　山田　太郎'],
    ['乙', '株式会社テスト情報システム', '代表取締役　佐藤　花子'],
  ]);
  assert.match(m.signature.statement, /本書２通を作成し/);
  assert.equal(m.header, '住民記録システム運用保守業務委託（契約番号　R8-情-0012）');
});

test('building is pure: the same input gives the same model', () => {
  assert.deepEqual(buildAnnex(annexInput({ facts: myNumberSystemWork() })), buildAnnex(annexInput({ facts: myNumberSystemWork() })));
});

test('a 約款型 service has no annex, and bad input is refused naming the fields', () => {
  assert.throws(() => buildAnnex(annexInput({ facts: termsService() })), (e: unknown) => e instanceof AnnexError && e.code === 'terms_service');
  assert.throws(
    () => buildAnnex(annexInput({ issueDate: '2026-02-30', conditions: [{ text: '提出すること', dueDate: '2026/09/30' }], vendor: { name: 'A社\u0000', address: '東京都' } })),
    (e: unknown) =>
      e instanceof AnnexError && e.code === 'invalid_input' && ['issueDate', 'conditions.0.dueDate', 'vendor.name'].every((p) => e.details.some((d) => d.path === p)),
  );
  assert.throws(() => buildAnnex(annexInput({ contract: { title: 'x', start: '2027-04-01', end: '2027-03-31' } })), /末日が初日より前/);
  assert.throws(() => buildAnnex(annexInput({ parameters: { firstReportHours: 0 } })), (e: unknown) => e instanceof AnnexError);
});

test('the JSON preview lists every clause with whether and why it applies, and no clause text', () => {
  const m = buildAnnex(annexInput({ facts: internetSaas(2) }));
  const preview = annexPreview(m);
  assert.equal(preview.clauses.length, m.clauses.length);
  assert.equal(preview.applying, applying(m).length);
  assert.deepEqual(preview.clauses[0], { id: 'general', module: '基本条項', title: '総則', applies: true, article: '第１条', condition: null, reason: '条件なし（全ての特記事項に含まれます）' });
  const sns = preview.clauses.find((c) => c.id === 'sns-credentials');
  assert.deepEqual([sns?.applies, sns?.article, sns?.condition], [false, null, '事業者がSNSを運用する']);
  assert.equal(JSON.stringify(preview).includes('しなければならない'), false);
  assert.deepEqual(JSON.parse(JSON.stringify(preview)), preview, 'plain JSON');
});
