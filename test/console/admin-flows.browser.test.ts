// @needs chromium
/**
 * Three staff-console flows driven in a real Chromium, which the other console tests only render and access-check:
 * enrolling a second factor (TOTP) and signing in with it or a recovery code; a hand-over (人事異動の引継ぎ) from a
 * person who leaves to a successor; and the conditions of a conditional decision, reported done by the department's
 * procurement user and accepted by a security officer. Each flow is cross-checked once through the API. Screenshots
 * go to ITAKU_TEST_ARTIFACTS/console/ when the runner sets it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { useTestDatabase } from '../helpers/db.js';
import { startBrowser, type BrowserRig } from '../helpers/browser.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment, makeUser, type TestUser } from '../helpers/auth.js';
import { deactivate, makeCloudService, makeEngagement, makePerson, makeSnsAccount, makeStaff, makeVendor } from '../helpers/records.js';
import { decideAssessment } from '../documents-api/helpers.js';
import { cliContext } from '../../src/audit/actor.js';
import { assessmentStore } from '../../src/assessments/assessment.model.js';
import { issueAssessment, transition } from '../../src/assessments/commands.js';
import { ReviewModel } from '../../src/assessments/review.js';
import { scoringInputOf } from '../../src/assessments/scoring-input.js';
import { toAuthUser } from '../../src/auth/session.js';
import type { User } from '../../src/auth/user.model.js';
import { loadAppContent } from '../../src/content.js';
import { decide } from '../../src/decisions/decide.js';
import { score } from '../../src/scoring/index.js';
import { addDays, todayInTokyo } from '../../src/shared/dates.js';

useTestDatabase();

const ARTIFACTS = process.env.ITAKU_TEST_ARTIFACTS ? path.join(process.env.ITAKU_TEST_ARTIFACTS, 'console') : null;
const screenshot = async (page: Page, name: string) => {
  if (ARTIFACTS) await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
};

const PERIOD = 30;
const currentStep = () => Math.floor(Date.now() / 1000 / PERIOD);
const codeAt = (secret: string, step: number) => generate({ secret, epoch: step * PERIOD });

/**
 * A conditional decision taken 30 days ago whose one condition fell due 10 days ago. The decision API refuses a past
 * due date (decide.ts: 今日以降), so this prepares the assessment as decideAssessment does and calls the decide command
 * with its `today`, as the demo seed does for its overdue condition.
 */
async function decidedMonthAgo(engagementId: string, preparerId: string, decider: User, text: string): Promise<void> {
  const ctx = cliContext('test');
  const today = todayInTokyo();
  const templates = loadAppContent().templates;
  const issued = await issueAssessment(ctx, { id: preparerId, name: '所管課 担当' }, templates, { subject: { kind: 'engagement', id: engagementId }, templateId: 'outsourcing', dueDate: addDays(today, 30), language: 'ja' }, () => undefined);
  await transition(ctx, issued._id, 'submitted', () => ({ submittedAt: new Date() }));
  const underReview = await transition(ctx, issued._id, 'under_review');
  const at = new Date();
  const exceptions = score(await scoringInputOf(underReview)).gates.failed.map((g) => ({
    _id: `${issued._id}:${g.questionId}`, version: 1, createdAt: at, updatedAt: at, archivedAt: null, assessmentId: issued._id, questionId: g.questionId,
    answer: null, notApplicable: null, evidence: null, comments: [],
    exception: { measure: '代替措置として月次で報告を受ける', expiresOn: addDays(today, 90), by: '審査 担当', at },
  }));
  if (exceptions.length > 0) await ReviewModel.collection.insertMany(exceptions as never[]);
  const input = { result: 'conditional' as const, reason: '条件を付して承認する', conditions: [{ text, owner: '委託先', dueDate: addDays(today, -10) }] };
  await decide(ctx, (await toAuthUser(decider))!, (await assessmentStore.get(issued._id))!, input, addDays(today, -30));
}

describe('staff console flows in the browser: second factor, hand-over, conditions', { timeout: 180_000 }, () => {
  const app = testApp();
  let rig: BrowserRig;
  let browser: Browser;
  let base: string;

  before(async () => {
    if (ARTIFACTS) fs.mkdirSync(ARTIFACTS, { recursive: true });
    rig = await startBrowser(app);
    ({ browser, base } = rig);
  });

  after(async () => {
    await rig?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    context.setDefaultTimeout(10_000);
    return context.newPage();
  }

  /** Clicks the button and waits for the page it leads to (after any redirect); answers that page's HTTP status. */
  async function submit(page: Page, name: string | RegExp): Promise<number | undefined> {
    const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: typeof name === 'string' }).click()]);
    return response?.status();
  }

  /** Fills the sign-in form shown on `page` and submits it; answers the status of the page it leads to. */
  async function fillSignIn(page: Page, who: TestUser, otp?: string): Promise<number | undefined> {
    await page.locator('#f-email').fill(who.user.email);
    await page.locator('#f-password').fill(who.password);
    await page.locator('#f-otp').fill(otp ?? '');
    return submit(page, 'サインイン');
  }

  /** A fresh browser context signed in through /login, landing on `target`. */
  async function signedIn(who: TestUser, target: string): Promise<Page> {
    const page = await newPage();
    await page.goto(`${base}${target}`);
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await fillSignIn(page, who), 200);
    assert.equal(page.url(), `${base}${target}`);
    return page;
  }

  test('TOTP: enrol from the account page, then sign-in asks for the code, refuses a wrong one, takes a fresh one and a recovery code once', async () => {
    const who = await makeUser(['security_officer'], null, { name: '二要素 花子' });
    const page = await signedIn(who, '/account');
    assert.match(await page.locator('main dl.facts').innerText(), /二要素認証\s+未設定/);
    await page.getByRole('link', { name: '二要素認証（TOTP）の設定' }).click();
    await page.getByRole('heading', { level: 1, name: '二要素認証（TOTP）' }).waitFor();
    assert.equal(await submit(page, '設定を始める'), 200);
    const qr = page.getByRole('img', { name: '二要素認証の設定用QRコード' });
    assert.ok(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the QR code is drawn');
    const secret = (await page.locator('code.secret').innerText()).trim();
    assert.match(secret, /^[A-Z2-7]{16,}$/, 'the key for manual entry is base32');
    await screenshot(page, 'totp-enrolment.png');

    // The code of the step confirmation happens in. The sign-ins below use the next step's code: a code works once
    // (RFC 6238 §5.2), and the server takes a code up to 30 s either side, so step + 1 is valid for at least the next
    // 60 s — no waiting for a step boundary is needed.
    const step = currentStep();
    await page.locator('#f-otp').fill(await codeAt(secret, step));
    assert.equal(await submit(page, '確認して有効にする'), 200);
    assert.equal(await page.getByRole('status').innerText(), '二要素認証を設定しました。');
    const recoveryCodes = await page.locator('#recovery-codes li').allInnerTexts();
    assert.equal(recoveryCodes.length, 10);
    assert.equal(new Set(recoveryCodes).size, 10);
    await page.goto(`${base}/account/totp`);
    assert.match(await page.locator('main').innerText(), /二要素認証は設定済みです/);
    assert.equal(await page.locator('#recovery-codes').count(), 0, 'the recovery codes are shown once');
    assert.equal((await page.content()).includes(recoveryCodes[0]!), false);

    assert.equal(await submit(page, 'サインアウト'), 200);
    assert.equal(page.url(), `${base}/login?signedOut=1`);
    assert.equal(await page.getByRole('status').innerText(), 'サインアウトしました。');

    assert.equal(await fillSignIn(page, who), 401);
    assert.match(await page.getByRole('alert').innerText(), /二要素認証の確認コードを入力してください/);
    assert.equal(await page.locator('#f-otp').getAttribute('aria-invalid'), 'true');

    const valid = new Set(await Promise.all([-1, 0, 1, 2, 3].map((d) => codeAt(secret, step + d))));
    let wrong = 0;
    while (valid.has(String(wrong).padStart(6, '0'))) wrong++;
    assert.equal(await fillSignIn(page, who, String(wrong).padStart(6, '0')), 401);
    assert.match(await page.getByRole('alert').innerText(), /確認コードが正しくありません/);
    assert.equal(new URL(page.url()).pathname, '/login');

    assert.equal(await fillSignIn(page, who, await codeAt(secret, step + 1)), 200);
    assert.equal(page.url(), `${base}/`);
    assert.equal(await page.locator('header .who .name').innerText(), '二要素 花子');

    assert.equal(await submit(page, 'サインアウト'), 200);
    assert.equal(await fillSignIn(page, who, recoveryCodes[0]), 200, 'a recovery code signs in');
    assert.equal(page.url(), `${base}/`);
    assert.equal(await submit(page, 'サインアウト'), 200);
    assert.equal(await fillSignIn(page, who, recoveryCodes[0]), 401, 'the same recovery code again is refused');
    assert.match(await page.getByRole('alert').innerText(), /確認コードが正しくありません/);
    await page.context().close();

    const me = await request(app).get('/api/v1/auth/me').set('Authorization', who.bearer);
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.totpEnabled, true);
  });

  test('hand-over: procurement previews the records naming a leaver in its department, confirms, and they name the successor', async () => {
    const [dept, otherDept] = await Promise.all([makeDepartment('介護保険課'), makeDepartment('税務課')]);
    const leaver = await makePerson(dept._id, { name: '退職 一郎', title: '課長補佐' });
    const successor = await makePerson(dept._id, { name: '後任 二郎', title: '課長補佐' });
    const [procurement, auditor, vendor] = await Promise.all([makeUser(['procurement'], dept._id, { name: '所管 三郎' }), makeStaff(['auditor']), makeVendor()]);
    const engagement = await makeEngagement(dept._id, vendor._id, leaver._id, { title: '介護認定審査会資料作成業務', administratorId: leaver._id });
    const service = await makeCloudService(dept._id, vendor._id, leaver._id, { name: '介護事業所連絡クラウド' });
    const sns = await makeSnsAccount(dept._id, { responsiblePersonId: leaver._id, operatorIds: [leaver._id, successor._id] });
    const elsewhere = await makeEngagement(otherDept._id, vendor._id, leaver._id, { title: '税務課の業務（対象外）' });
    await deactivate(leaver);

    const page = await signedIn(procurement, '/');
    await page.getByRole('navigation', { name: '主なメニュー' }).getByRole('link', { name: '引継ぎ' }).click();
    await page.getByRole('heading', { level: 1, name: '担当者の引継ぎ（人事異動）' }).waitFor();
    assert.match(await page.locator('main').innerText(), /所管課の記録だけが対象です。/);
    await page.getByLabel('引継ぎ元（前任）').selectOption({ label: '退職 一郎（課長補佐） [無効]' });
    await page.getByLabel('引継ぎ先（後任）').selectOption({ label: '後任 二郎（課長補佐）' });
    assert.equal(await submit(page, '対象を確認する'), 200);
    assert.equal(await page.getByRole('heading', { level: 2 }).first().innerText(), 'プレビュー: 退職 一郎 → 後任 二郎（3件）');
    const rows = (await page.locator('main table.list tbody tr').allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()).slice(0, 3)).sort();
    assert.deepEqual(rows, [
      ['ソーシャルメディアアカウント', sns.accountName, '責任者、運用担当者'],
      ['外部サービス', '介護事業所連絡クラウド', '外部サービス管理者'],
      ['業務委託', '介護認定審査会資料作成業務', '責任者、管理者'],
    ].sort());
    await screenshot(page, 'handover-preview.png');

    let question = '';
    page.once('dialog', (dialog) => {
      question = dialog.message();
      void dialog.accept();
    });
    assert.equal(await submit(page, '3件をまとめて引き継ぐ'), 200);
    assert.equal(question, '3件の記録の担当者を後任 二郎に変更します。よろしいですか。');
    assert.equal(await page.getByRole('status').innerText(), '3件の記録を引き継ぎました。');

    await page.getByLabel('引継ぎ元（前任）').selectOption({ label: '退職 一郎（課長補佐） [無効]' });
    await page.getByLabel('引継ぎ先（後任）').selectOption({ label: '後任 二郎（課長補佐）' });
    await submit(page, '対象を確認する');
    assert.match(await page.locator('main').innerText(), /（0件）\s+引き継ぐ記録はありません。/);

    await page.goto(`${base}/engagements/${engagement._id}`);
    assert.match(await page.locator('main dl.facts').innerText(), /責任者\s+後任 二郎\s+管理者\s+後任 二郎/);
    assert.match(await page.getByRole('region', { name: '変更履歴（監査ログ）' }).locator('tbody tr').first().innerText(), /引継ぎ \(engagement\.handover\)\s+所管 三郎/);
    await page.context().close();

    const get = async (p: string) => (await request(app).get(p).set('Authorization', auditor.bearer)).body;
    const [e, s, a, other] = await Promise.all([get(`/api/v1/engagements/${engagement._id}`), get(`/api/v1/cloud-services/${service._id}`), get(`/api/v1/sns-accounts/${sns._id}`), get(`/api/v1/engagements/${elsewhere._id}`)]);
    assert.deepEqual([e.responsiblePersonId, e.administratorId, s.administratorId, a.responsiblePersonId, a.operatorIds], [successor._id, successor._id, successor._id, successor._id, [successor._id]]);
    assert.equal(other.responsiblePersonId, leaver._id, 'another department’s record is left to that department');
    const audit = await get('/api/v1/audit?action=handover.apply');
    assert.equal(audit.total, 1);
    assert.deepEqual(audit.items[0].detail.records.sort(), [`cloudService:${service._id}`, `engagement:${engagement._id}`, `snsAccount:${sns._id}`]);
    assert.deepEqual([audit.items[0].detail.from, audit.items[0].detail.to, audit.items[0].actor.id], [leaver._id, successor._id, procurement.user._id]);
    for (const [kind, id] of [['engagement', engagement._id], ['cloudService', service._id], ['snsAccount', sns._id]]) {
      assert.equal((await get(`/api/v1/audit?action=${kind}.handover&entityId=${id}`)).total, 1, `${kind} has its own audit entry`);
    }
  });

  test('conditions: procurement reports one done with a note, a security officer accepts it; the list shows each state and the overdue one', async () => {
    const dept = await makeDepartment('健康推進課');
    const [procurement, officer, ciso, person, vendor] = await Promise.all([
      makeUser(['procurement'], dept._id, { name: '所管 四郎' }),
      makeUser(['security_officer'], null, { name: '情報 五郎' }),
      makeStaff(['ciso']),
      makePerson(dept._id),
      makeVendor(),
    ]);
    const today = todayInTokyo();
    const engagement = await makeEngagement(dept._id, vendor._id, person._id, { title: '健診データ入力業務' });
    const decided = await decideAssessment(app, {
      subject: { kind: 'engagement', id: engagement._id },
      templateId: 'outsourcing',
      preparer: { id: procurement.user._id },
      decider: ciso.bearer,
      answers: { E02: 4 },
      result: 'conditional',
      conditions: [
        { text: '連絡体制図を提出すること', owner: '委託先', dueDate: addDays(today, 45) },
        { text: '従事者名簿を提出すること', owner: '委託先', dueDate: addDays(today, 20) },
      ],
    });
    const earlier = await makeEngagement(dept._id, vendor._id, person._id, { title: '健診結果通知発送業務' });
    await decidedMonthAgo(earlier._id, procurement.user._id, ciso.user, '再委託先の一覧を提出すること');

    const listRows = async (page: Page) => (await page.getByRole('table', { name: '条件の一覧' }).locator('tbody tr').allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
    const page = await signedIn(procurement, '/conditions');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), '条件付き承認の条件');
    const rowsBefore = await listRows(page);
    assert.deepEqual(rowsBefore.map((r) => [r[1], r[4]]), [['1. 再委託先の一覧を提出すること', '未対応'], ['2. 従事者名簿を提出すること', '未対応'], ['1. 連絡体制図を提出すること', '未対応']], 'sorted by due date');
    assert.match(rowsBefore[0]![3]!, /期限超過$/);
    assert.doesNotMatch(rowsBefore[1]![3]!, /期限超過/);

    await page.getByRole('link', { name: '2. 従事者名簿を提出すること' }).click();
    await page.getByRole('heading', { level: 1, name: '条件 2: 健診データ入力業務' }).waitFor();
    assert.equal(await page.getByRole('button', { name: '完了を確認する' }).count(), 0, 'procurement cannot accept');
    assert.equal(await submit(page, '報告する'), 400);
    assert.match(await page.getByRole('alert').innerText(), /対応内容（証跡）を入力してください/);
    await page.getByLabel('対応した内容（証跡）').fill('従事者名簿（令和8年4月1日版）を受領し、文書管理システムに登録した。');
    assert.equal(await submit(page, '報告する'), 200);
    assert.equal(await page.getByRole('status').innerText(), '対応完了を報告しました。情報セキュリティ担当の確認を待っています。');
    const facts = await page.locator('main dl.facts').innerText();
    assert.match(facts, /状態\s+対応済み（確認待ち）/);
    assert.match(facts, /対応の報告\s+従事者名簿（令和8年4月1日版）を受領し、文書管理システムに登録した。（所管 四郎、/);
    const conditionUrl = page.url().replace(/\?.*$/, '');
    await page.context().close();

    const officerPage = await signedIn(officer, conditionUrl.slice(base.length));
    assert.equal(await submit(officerPage, '完了を確認する'), 200);
    assert.equal(await officerPage.getByRole('status').innerText(), '完了を確認しました。');
    assert.match(await officerPage.locator('main dl.facts').innerText(), /状態\s+完了[\s\S]+完了の確認\s+情報 五郎、/);
    assert.match(await officerPage.getByRole('table').last().innerText(), /完了の確認 \(condition\.accept\)\s+情報 五郎/);

    await officerPage.goto(`${base}/conditions`);
    const rowsAfter = await listRows(officerPage);
    assert.deepEqual(rowsAfter.map((r) => [r[1], r[4]]), [['1. 再委託先の一覧を提出すること', '未対応'], ['2. 従事者名簿を提出すること', '完了'], ['1. 連絡体制図を提出すること', '未対応']]);
    await screenshot(officerPage, 'conditions.png');
    await officerPage.getByLabel('条件・対象・対応する者で検索').fill('名簿');
    await submit(officerPage, '絞り込む');
    assert.deepEqual((await listRows(officerPage)).map((r) => r[1]), ['2. 従事者名簿を提出すること'], 'the search box narrows the list');
    await officerPage.getByLabel('条件・対象・対応する者で検索').fill('');
    await officerPage.getByLabel('状態', { exact: true }).selectOption({ label: '期限超過' });
    await submit(officerPage, '絞り込む');
    assert.deepEqual((await listRows(officerPage)).map((r) => r[1]), ['1. 再委託先の一覧を提出すること']);
    await officerPage.context().close();

    const api = await request(app).get(`/api/v1/conditions?departmentId=${dept._id}`).set('Authorization', officer.bearer);
    assert.equal(api.status, 200, api.text);
    const byText = new Map(api.body.items.map((c: { text: string }) => [c.text, c]));
    const accepted = byText.get('従事者名簿を提出すること') as { status: string; assessmentId: string; done: { by: string; note: string }; accepted: { by: string } };
    assert.deepEqual([accepted.status, accepted.assessmentId, accepted.done.by, accepted.accepted.by], ['accepted', decided.assessmentId, '所管 四郎', '情報 五郎']);
    assert.match(accepted.done.note, /^従事者名簿（令和8年4月1日版）/);
    assert.deepEqual([...byText.values()].map((c) => [(c as { text: string }).text, (c as { overdue: boolean }).overdue]), [['再委託先の一覧を提出すること', true], ['従事者名簿を提出すること', false], ['連絡体制図を提出すること', false]]);
  });
});
