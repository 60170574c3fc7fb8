// @needs chromium
/**
 * Issue #6: the vendor questionnaire `/q/<token>` in a real Chromium. With scripts, each answer given by clicking and
 * typing is autosaved (the question says 保存しました); closing the browser and opening the link again shows every
 * answer and the progress per section; a follow-up appears once its trigger is answered; submitting too early lists the
 * unanswered required questions and submits nothing; submitting when complete leaves a read-only page. Without scripts
 * the plain form saves and reopens the same way. Smoke checks of labels and announced errors. Screenshots go to
 * ITAKU_TEST_ARTIFACTS/assessments.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { useTestDatabase } from '../helpers/db.js';
import { startBrowser, type BrowserRig } from '../helpers/browser.js';
import { testApp } from '../helpers/app.js';
import { answerEverything, cloudServiceC2, issue, makeWorld, PDF, type World } from '../helpers/assessments.js';

useTestDatabase();

const ARTIFACTS = path.join(process.env.ITAKU_TEST_ARTIFACTS ?? path.resolve('test-artifacts'), 'assessments');
const SAVED = '保存しました';

describe('the vendor form in a real browser', { timeout: 90_000 }, () => {
  const app = testApp();
  let base: string;
  let browser: Browser;
  let rig: BrowserRig;
  let w: World;
  /** Answered with scripts (steps 1–5). */
  const scripted = { id: '', link: '', texts: new Map<string, string>() };
  /** Answered without scripts, so the two never meet. */
  const plain = { id: '', link: '' };

  async function issueWithLink(): Promise<{ id: string; link: string }> {
    const service = await cloudServiceC2(w);
    const issued = await issue(app, w.procurement, { kind: 'cloudService', id: service._id }, 'cloud-service');
    assert.equal(issued.status, 201, issued.text);
    const link = await request(app).post(`/api/v1/assessments/${issued.body.id}/link`).set('Authorization', w.procurement.bearer).send({});
    assert.equal(link.status, 201, link.text);
    return { id: issued.body.id, link: `${base}/q/${link.body.token}` };
  }

  const tokenOf = (link: string) => link.split('/').pop()!;
  const staffStatus = async (id: string) => (await request(app).get(`/api/v1/assessments/${id}`).set('Authorization', w.procurement.bearer)).body.status as string;

  async function open(link: string, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', javaScriptEnabled });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const res = await page.goto(link);
    assert.equal(res?.status(), 200);
    return page;
  }

  /** Waits for the form's own signal for one question: 保存しました in its status line, or a message in its error line. */
  async function saved(page: Page, id: string): Promise<void> {
    // Read both lines in the page at once: a later reload (a follow-up appearing) must not come between them.
    const signal = await page.waitForFunction(
      (qid) => {
        const q = document.getElementById(`q-${qid}`);
        const status = q?.querySelector('[data-status-for]')?.textContent ?? '';
        const error = q?.querySelector('.error')?.textContent ?? '';
        return status === '保存しました' || error ? { status, error } : null;
      },
      id,
    );
    const { status, error } = (await signal.jsonValue())!;
    assert.equal(error, '', `${id} was not saved`);
    assert.equal(status, SAVED);
  }

  /** Clicks a button of a plain form and waits for the page that answers it (the URL may stay the same). */
  async function post(page: Page, button: Locator): Promise<void> {
    await Promise.all([page.waitForEvent('load'), button.click()]);
  }

  const sectionCount = (page: Page, section: string) => page.locator(`[data-section-count="${section}"]`).textContent();
  const checked = (page: Page, id: string) => page.locator(`#q-${id}`).evaluate((q) => q.querySelector<HTMLInputElement>('input[type=radio]:checked')?.value ?? null);

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    w = await makeWorld();
    rig = await startBrowser(app);
    ({ browser, base } = rig);
    Object.assign(scripted, await issueWithLink());
    Object.assign(plain, await issueWithLink());
    const view = (await request(app).get(`/api/v1/respond/${tokenOf(scripted.link)}`)).body as { sections: { questions: { id: string; text: string }[] }[] };
    for (const q of view.sections.flatMap((s) => s.questions)) scripted.texts.set(q.id, q.text);
  });

  after(async () => {
    await rig?.close();
  });

  let context: BrowserContext;

  test('answers given by clicking, typing and uploading are each autosaved; a follow-up appears with its trigger', async () => {
    const page = await open(scripted.link);
    context = page.context();
    // A script error or a CSP refusal would leave the form silently without autosave.
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => void (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico') && problems.push(`${msg.text()} ${msg.location().url}`)));
    assert.equal(await page.locator('[data-progress]').textContent(), '42問中0問回答済み');
    assert.equal(await sectionCount(page, 'A'), '0/6');

    // A02 → A02a: the follow-up is not on the page until its trigger is answered; then the page reloads with it.
    assert.equal(await page.locator('#q-A02a').count(), 0, 'the follow-up is hidden before its trigger is answered');
    // For a trigger the form's signal is the reload that brings the follow-up (it comes only once A02 is stored);
    // 保存しました shows just before, for too short a time to wait on.
    await page.locator('#q-A02').getByLabel('取得済み（本サービスを含む）').check();
    await page.locator('#q-A02a').waitFor();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('[data-progress]').textContent(), '43問中1問回答済み');
    await page.locator('#q-A02a input[type=date]').fill('2027-03-31');
    await saved(page, 'A02a');

    // 「はい」 to A01 asks for its evidence: the page reloads with an upload control for it.
    assert.equal(await page.locator('#f-A01').count(), 0);
    await page.locator('#q-A01').getByLabel('はい').check();
    await page.locator('#f-A01').waitFor();
    await page.waitForLoadState('load');
    assert.equal(await checked(page, 'A01'), 'yes');
    await page.locator('#q-C07 input[type=radio][value=overwrite]').check();
    await saved(page, 'C07');
    await page.locator('#q-E02 input[type=number]').pressSequentially('24');
    await page.keyboard.press('Tab');
    await saved(page, 'E02');
    // Text is saved shortly after typing stops, without leaving the field.
    await page.locator('#q-C05 textarea:not(.comment)').pressSequentially('利用終了時に全データを返却し、消去証明書を提出します。');
    await saved(page, 'C05');
    // Leaving a field saves it at once.
    await page.locator('#c-A04').fill('外部監査は毎年10月に受けています。');
    await page.keyboard.press('Tab');
    await saved(page, 'A04');
    // The live counts follow each save.
    await page.waitForFunction(() => document.querySelector('[data-section-count="A"]')?.textContent === '3/7');
    assert.equal(await sectionCount(page, 'C'), '2/4');

    // A file question: a real upload through the form's own file input and button.
    await page.locator('#f-F06').setInputFiles({ name: '責任分界モデル.pdf', mimeType: 'application/pdf', buffer: PDF });
    await post(page, page.locator('#q-F06 button[form="up-F06"]'));
    assert.match(page.url(), /#q-F06$/);
    assert.match(await page.locator('#q-F06 .files li').first().innerText(), /^責任分界モデル\.pdf \(\d+ KB\)/);

    // A number typed and the page left at once, before the pause after typing: saved as the page goes.
    await page.locator('#q-E02 input[type=number]').fill('');
    await page.locator('#q-E02 input[type=number]').pressSequentially('36');
    await page.goto('about:blank');
    assert.deepEqual(problems, []);
  });

  test('closing the browser loses nothing: the link opened again shows every answer and the progress per section', async () => {
    await context.close();
    const page = await open(scripted.link);
    assert.equal(await checked(page, 'A01'), 'yes');
    assert.equal(await checked(page, 'A02'), 'certified_in_scope');
    assert.equal(await checked(page, 'C07'), 'overwrite');
    assert.equal(await checked(page, 'A04'), null, 'a comment alone is no answer');
    assert.equal(await page.locator('#q-A02a input[type=date]').inputValue(), '2027-03-31');
    assert.equal(await page.locator('#q-E02 input[type=number]').inputValue(), '36', 'typed just before leaving the page');
    assert.equal(await page.locator('#q-C05 textarea:not(.comment)').inputValue(), '利用終了時に全データを返却し、消去証明書を提出します。');
    assert.equal(await page.locator('#c-A04').inputValue(), '外部監査は毎年10月に受けています。');
    assert.deepEqual(await page.locator('#q-F06 .files li a').allTextContents(), ['責任分界モデル.pdf']);
    assert.equal(await page.locator('#f-A01').count(), 1, '「はい」 to A01 asks for its evidence, so the page offers an upload');
    const counts = Object.fromEntries(await Promise.all(['A', 'C', 'D', 'E', 'F', 'I'].map(async (s) => [s, await sectionCount(page, s)])));
    assert.deepEqual(counts, { A: '3/7', C: '2/4', D: '0/3', E: '1/6', F: '1/22', I: '0/1' });
    assert.equal(await page.locator('[data-progress]').textContent(), '43問中7問回答済み');
    await page.screenshot({ path: path.join(ARTIFACTS, 'vendor-form-reopened.png'), fullPage: false });
    context = page.context();
  });

  test('submitting with required questions unanswered lists them, announced, and submits nothing', async () => {
    const page = context.pages()[0]!;
    const refused = page.waitForResponse((r) => r.url() === scripted.link && r.request().method() === 'POST');
    await post(page, page.getByRole('button', { name: '回答を提出する' }));
    assert.equal((await refused).status(), 422);
    const list = page.locator('#unanswered');
    assert.equal(await list.getAttribute('role'), 'alert');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'unanswered', 'focus moves to the list');
    const items = await list.locator('li').allInnerTexts();
    for (const id of ['A06', 'D04', 'F05', 'I01']) assert.ok(items.includes(`${id} ${scripted.texts.get(id)}`), `${id} is listed: ${items.join(' / ')}`);
    for (const id of ['A01', 'A02', 'C05', 'C07', 'E02', 'F06', 'A03']) assert.ok(!items.some((i) => i.startsWith(`${id} `)), `${id} is not listed`);
    assert.equal(await page.locator(`#unanswered a[href="#q-D04"]`).count(), 1, 'each entry links to its question');
    assert.equal(await staffStatus(scripted.id), 'in_progress');
    await page.screenshot({ path: path.join(ARTIFACTS, 'vendor-form-unanswered.png'), fullPage: false });
  });

  test('once the rest is answered, submitting in the browser leaves a read-only page and a submitted assessment', async () => {
    const page = context.pages()[0]!;
    assert.ok((await answerEverything(app, tokenOf(scripted.link))) >= 30);
    await page.goto(scripted.link);
    assert.match((await page.locator('[data-progress]').textContent())!, /^(\d+)問中\1問回答済み$/, 'every applicable question answered');
    await post(page, page.getByRole('button', { name: '回答を提出する' }));
    assert.match(page.url(), /\?submitted=1$/);
    assert.equal(await page.locator('main [role=status]').innerText(), '回答を提出しました。ご協力ありがとうございました。');
    assert.match(await page.locator('main').innerText(), /提出済みのため、回答は閲覧のみです。/);
    const enabled = await page.locator('main input:not([type=hidden]):not([disabled]), main textarea:not([disabled]), main button, main select').count();
    assert.equal(enabled, 0, 'no control left to change an answer');
    assert.ok((await page.locator('main input[type=radio][disabled]').count()) > 0, 'the answers are still shown');
    assert.equal(await checked(page, 'A02'), 'certified_in_scope', 'the browser answers were kept');
    assert.equal(await staffStatus(scripted.id), 'submitted');
    await page.screenshot({ path: path.join(ARTIFACTS, 'vendor-form-submitted.png'), fullPage: false });
    await context.close();
  });

  test('without scripts the plain form saves answers, a follow-up and an upload, and they survive reopening', async () => {
    const page = await open(plain.link, false);
    await page.locator('#q-A01').getByLabel('いいえ').check();
    await page.locator('#q-A02').getByLabel('取得済み（本サービスは範囲外）').check();
    await page.locator('#q-E02 input[type=number]').fill('48');
    await page.locator('#q-D04 textarea:not(.comment)').fill('開発時は二者によるレビューを必須としています。');
    await post(page, page.getByRole('button', { name: '回答を保存' }));
    assert.match(page.url(), /\?saved=1$/);
    assert.equal(await page.locator('main [role=status]').innerText(), SAVED);
    // The follow-up comes with the page after the save.
    await page.locator('#q-A02a input[type=date]').fill('2026-12-01');
    await post(page, page.getByRole('button', { name: '回答を保存' }));
    assert.equal(await page.locator('main [role=status]').innerText(), SAVED);
    await page.locator('#f-F06').setInputFiles({ name: '責任分界.pdf', mimeType: 'application/pdf', buffer: PDF });
    await post(page, page.locator('#q-F06 button[form="up-F06"]'));
    assert.match(page.url(), /#q-F06$/);
    await page.context().close();

    const again = await open(plain.link, false);
    assert.equal(await checked(again, 'A01'), 'no');
    assert.equal(await checked(again, 'A02'), 'certified_other_scope');
    assert.equal(await again.locator('#q-E02 input[type=number]').inputValue(), '48');
    assert.equal(await again.locator('#q-D04 textarea:not(.comment)').inputValue(), '開発時は二者によるレビューを必須としています。');
    assert.equal(await again.locator('#q-A02a input[type=date]').inputValue(), '2026-12-01');
    assert.deepEqual(await again.locator('#q-F06 .files li a').allTextContents(), ['責任分界.pdf']);
    assert.equal(await again.locator('[data-progress]').textContent(), '43問中6問回答済み');
    const stored = (await request(app).get(`/api/v1/assessments/${plain.id}/answers`).set('Authorization', w.procurement.bearer)).body.items as { questionId: string; value: unknown }[];
    assert.deepEqual(Object.fromEntries(stored.map((a) => [a.questionId, a.value])), { A01: 'no', A02: 'certified_other_scope', A02a: '2026-12-01', D04: '開発時は二者によるレビューを必須としています。', E02: 48 });
    await again.context().close();
  });

  test('accessibility: every control has a label, and a refused answer is announced', async () => {
    const page = await open(plain.link);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>('input:not([type=hidden]), textarea, select')]
        .filter((el) => {
          const byLabel = [...(el.labels ?? [])].some((l) => l.textContent!.trim() !== '');
          const byAria = (el.getAttribute('aria-label') ?? '').trim() !== '';
          const byRef = (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).some((id) => id && document.getElementById(id)?.textContent?.trim());
          return !(byLabel || byAria || byRef);
        })
        .map((el) => el.id || el.getAttribute('name') || el.outerHTML.slice(0, 60)),
    );
    assert.deepEqual(unlabelled, [], 'controls without a label');
    const questions = await page.locator('fieldset.question').count();
    assert.equal(await page.locator('fieldset.question .error[role=alert], fieldset.question .error[aria-live]').count(), questions, 'every question has an announced error line');
    assert.equal(await page.locator('fieldset.question [data-status-for][aria-live]').count(), questions, 'and an announced save status');
    // A real refusal: 9999 hours is beyond the question's 0〜720.
    const hours = page.locator('#q-E02 input[type=number]');
    await hours.fill('9999');
    await hours.press('Tab');
    await page.waitForFunction(() => !!document.querySelector('#e-E02')?.textContent);
    assert.equal(await page.locator('#e-E02').getAttribute('role'), 'alert');
    assert.ok((await page.locator('#q-E02').getAttribute('class'))!.includes('has-error'));
    assert.equal(await page.locator('#q-E02 [data-status-for]').textContent(), '');
    await page.context().close();
  });
});
