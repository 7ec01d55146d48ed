// The usage explorer page (SPEC C6) in Debian's Chromium against the real collector: events sent
// through the device API as an enrolled laptop, hostile titles and search terms shown as inert
// text, a filter kept in the hash, the context link, the next page and the CSV download; no CSP
// problems and no serious accessibility problems.
//
//   CLUBSAFE_COLLECTOR=…/clubsafe-collector CLUBSAFE_ARTIFACTS=…/test-artifacts \
//   node --test tests/browser/explorer.test.mjs
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { consoleSuite, httpsJson, requiredEnv } from './lib/harness.mjs';

const COLLECTOR = requiredEnv('CLUBSAFE_COLLECTOR');
const ARTIFACTS = resolve(process.env.CLUBSAFE_ARTIFACTS || join(process.cwd(), 'test-artifacts'));
const NEW_PASSWORD = 'kettle orbit violin seven';
const HOSTILE = '"><img src=x onerror=alert(1)> <script>alert(2)</script> \u202Efdp.exe';
const LONG = 'L'.repeat(10 * 1024);

let baseUrl;
let oneTimePassword;
let ui;
let page;
const suite = consoleSuite('explorer', COLLECTOR);
const step = suite.step;

before(async () => ({ baseUrl, oneTimePassword, ui, page } = await suite.ready));

// 120 searches a minute apart by two members, and one visit with hostile text, from one laptop.
async function sendEvents() {
  const token = JSON.parse((await ui.consoleCall('POST', '/api/console/enrolment-tokens', { label: 'hall' })).text).token;
  const enrolled = await httpsJson('POST', `${baseUrl}api/device/v1/enrol`, {
    body: { token, name: 'Hall laptop', hostname: 'hall', os: 'Debian', agent_version: 'test' },
  });
  assert.equal(enrolled.status, 201, enrolled.text);
  const { device_id: deviceId, device_secret: secret } = JSON.parse(enrolled.text);
  const now = Date.now();
  const events = [];
  for (let i = 1; i <= 120; i++) {
    const time = new Date(now - (121 - i) * 60_000).toISOString();
    events.push({
      seq: i, type: 'search_term', time, os_user: 'club', member: i % 2 ? 'M-7' : 'M-8', profile: 'juniors',
      payload: { engine: 'ddg', terms: `search ${i}`, searched: time },
    });
  }
  const time = new Date(now).toISOString();
  events.push({
    seq: 121, type: 'browser_visit', time, os_user: 'club', member: 'M-7', profile: 'juniors',
    payload: { browser: 'firefox', url: `https://evil.test/?q=${encodeURIComponent(HOSTILE)}`, title: HOSTILE + LONG, visited: time },
  });
  const sent = await httpsJson('POST', `${baseUrl}api/device/v1/events`, {
    body: { version: 1, device_id: deviceId, backlog: 0, events },
    headers: { Authorization: `Bearer ${deviceId}.${secret}` },
  });
  assert.equal(sent.status, 200, sent.text);
}

step('the manager signs in and events arrive from a laptop', async () => {
  await ui.signInFirstTime(baseUrl, oneTimePassword, NEW_PASSWORD);
  await sendEvents();
});

step('the explorer shows the newest events first, hostile text as text', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage explorer' }).click();
  await ui.waitForHeading('Usage explorer');
  const rows = page.locator('#explorer-table tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 100);
  const first = await rows.first().textContent();
  assert.ok(first.includes('"><img src=x onerror=alert(1)>'), first.slice(0, 200));
  assert.ok(first.includes('<script>alert(2)</script>'));
  assert.ok(first.includes(LONG));
  assert.equal(await page.locator('#explorer-table img, #explorer-table script').count(), 0);
  assert.match(await page.locator('#explorer-status').textContent(), /Showing 100 events; there are more/);
  await ui.screenshot('explorer-page.png');
});

step('the next page adds the older events', async () => {
  await page.locator('#explorer-next').click();
  await page.locator('#explorer-status', { hasText: 'Showing 121 events; that is all of them.' }).waitFor();
  assert.equal(await page.locator('#explorer-next').isVisible(), false);
});

step('a member filter goes into the hash, and the CSV holds what it shows', async () => {
  await page.getByLabel('Member').fill('M-8');
  await page.getByRole('button', { name: 'Show events' }).click();
  await page.waitForURL((url) => url.hash.includes('member=M-8'));
  await page.locator('#explorer-status', { hasText: 'Showing 60 events' }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#explorer-csv').click(),
  ]);
  const file = join(ARTIFACTS, 'explorer-m8.csv');
  await download.saveAs(file);
  const lines = (await readFile(file, 'utf8')).split('\r\n').filter(Boolean);
  assert.equal(lines.length, 61);  // the header and the 60 rows shown
  assert.ok(lines.slice(1).every((line) => line.includes(',M-8,')));
});

step('"Show context" shows that person on that laptop an hour either side', async () => {
  await page.locator('#explorer-table tbody tr').first().getByRole('link', { name: 'Show context' }).click();
  await page.waitForURL((url) => url.hash.includes('from='));
  await page.locator('#explorer-status', { hasText: /Showing 30 events|Showing 31 events/ }).waitFor();
  const hash = new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1]);
  assert.equal(hash.get('member'), 'M-8');
  assert.ok(hash.get('device'));
});

step('no CSP or script problems, no serious accessibility problems', async () => {
  assert.deepEqual(await ui.accessibilityViolations(), []);
  assert.deepEqual(ui.problems, []);
  assert.deepEqual(ui.dialogs, []);
});
