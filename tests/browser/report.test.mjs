// The audit report page (SPEC C10) in Debian's Chromium against the real collector: a check
// recorded and the report signed off through the page, the signed PDF downloaded and read with
// pdftotext (poppler-utils), hostile text shown as text, the page printed, no CSP problems and
// no serious accessibility problems.
//
//   CLUBSAFE_COLLECTOR=…/clubsafe-collector CLUBSAFE_ARTIFACTS=…/test-artifacts \
//   node --test tests/browser/report.test.mjs
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { consoleSuite, requiredEnv, run } from './lib/harness.mjs';

const COLLECTOR = requiredEnv('CLUBSAFE_COLLECTOR');
const ARTIFACTS = resolve(process.env.CLUBSAFE_ARTIFACTS || join(process.cwd(), 'test-artifacts'));
const NEW_PASSWORD = 'kettle orbit violin seven';
const CHECKER = 'Siân Ní Bhriain';
const HOSTILE = '"><img src=x onerror=alert(1)> <script>alert(2)</script> \u202Efdp.exe';
const PDFTOTEXT = '/usr/bin/pdftotext';

let baseUrl;
let oneTimePassword;
let ui;
let page;
const suite = consoleSuite('report', COLLECTOR);
const step = suite.step;

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const FROM = day(-2);
const TO = day(1);

before(async () => ({ baseUrl, oneTimePassword, ui, page } = await suite.ready));

step('the manager signs in and opens the audit report from the menu', async () => {
  await ui.signInFirstTime(baseUrl, oneTimePassword, NEW_PASSWORD);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit report' }).click();
  await ui.waitForHeading('Audit report');
  await page.locator('.report-sheet').waitFor();
});

step('a period is chosen and a check with hostile text is recorded', async () => {
  await page.getByLabel('First day').fill(FROM);
  await page.getByLabel('Last day').fill(TO);
  await page.getByRole('button', { name: 'Show the report' }).click();
  await page.waitForURL((url) => url.hash.includes(`from=${FROM}`));
  await page.locator('.report-sheet').waitFor();

  await page.getByLabel('Who made it?').fill(CHECKER);
  await page.getByLabel('What was checked?').fill('Self-tests on every laptop ' + HOSTILE);
  await page.getByLabel('What was done as a result?').fill('Nothing needed');
  await page.getByRole('button', { name: 'Record the check' }).click();
  await page.locator('#message', { hasText: 'The check is recorded.' }).waitFor();
  const checks = page.locator('section[aria-labelledby="report-checks"]');
  await checks.getByText(CHECKER).waitFor();
  assert.match(await checks.textContent(), /<img src=x onerror=alert\(1\)>/);
  assert.equal(await page.locator('.report-sheet img, .report-sheet script').count(), 0);
  assert.deepEqual(ui.dialogs, []);
});

step('the report is signed off and listed with its SHA-256', async () => {
  await page.getByLabel('Your name').fill(CHECKER);
  await page.getByLabel('Notes (optional)').fill('All laptops reporting.');
  await page.getByRole('button', { name: 'Sign off this report' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Sign off' }).click();
  await page.locator('#message', { hasText: 'Signed off.' }).waitFor();
  const row = page.locator('#sign-offs-table tbody tr');
  await row.first().waitFor();
  assert.equal(await row.count(), 1);
  assert.match(await row.first().textContent(), new RegExp(`${FROM} to ${TO}`));
  await ui.screenshot('report-page.png');
});

step('the signed PDF downloads, matches its SHA-256 and holds the figures', async () => {
  const list = JSON.parse((await ui.consoleCall('GET', '/api/console/report/sign-offs')).text);
  const signed = list.sign_offs[0];
  const response = await page.context().request.get(`${baseUrl}api/console/report/sign-offs/${signed.id}/pdf`);
  assert.equal(response.status(), 200);
  const pdf = await response.body();
  assert.equal(createHash('sha256').update(pdf).digest('hex'), signed.pdf_sha256);
  const file = join(ARTIFACTS, 'report-signed.pdf');
  await writeFile(file, pdf);
  if (!existsSync(PDFTOTEXT)) return;
  const text = (await run(PDFTOTEXT, ['-enc', 'UTF-8', file, '-'])).stdout;
  for (const expected of ['Online safety audit', CHECKER, 'Youth work manager', 'Record of checks', 'Self-tests on every laptop']) {
    assert.ok(text.includes(expected), `the PDF's text lacks ${expected}`);
  }
});

step('the page prints as one report, without the forms', async () => {
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.report-form').first().isVisible(), false);
  assert.equal(await page.locator('.report-sheet').isVisible(), true);
  await ui.screenshot('report-print.png');
  await page.emulateMedia({ media: 'screen' });
});

step('no CSP or script problems, no serious accessibility problems', async () => {
  assert.deepEqual(await ui.accessibilityViolations(), []);
  assert.deepEqual(ui.problems, []);
  assert.deepEqual(ui.unsafePosts, []);
  assert.deepEqual(ui.dialogs, []);
});
