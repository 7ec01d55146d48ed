// The dashboard and the in-use-now view (SPEC C5) in Debian's Chromium against the real
// collector: events sent through the real device API as an enrolled laptop show as the counts
// sent, a category with no list is called out, a count drills down to the explorer, hostile
// names show as text, and no CSP, script or serious accessibility problem is found.
//
//   CLUBSAFE_COLLECTOR=…/clubsafe-collector CLUBSAFE_ARTIFACTS=…/test-artifacts \
//   node --test tests/browser/dashboard.test.mjs
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConsolePage, httpsJson, requiredEnv, startCollector, stepper, stopAll } from './lib/harness.mjs';

const COLLECTOR = requiredEnv('CLUBSAFE_COLLECTOR');
const ARTIFACTS = resolve(process.env.CLUBSAFE_ARTIFACTS || join(process.cwd(), 'test-artifacts'));
const NEW_PASSWORD = 'kettle orbit violin seven';
const HOSTILE = '"><img src=x onerror=alert(1)> <script>alert(2)</script> \u202Efdp.exe';

let tmp;
let baseUrl;
let oneTimePassword;
let ui;
let page;
const step = stepper(() => ui, 'dashboard-failure.png');

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  tmp = await mkdtemp(join(tmpdir(), 'clubsafe-dashboard-'));
  ({ baseUrl, oneTimePassword } = await startCollector(COLLECTOR, join(tmp, 'collector')));
  ui = await ConsolePage.open(ARTIFACTS);
  page = ui.page;
});

after(async () => {
  await ui?.close();
  await stopAll(ARTIFACTS, 'dashboard-test');
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function minuteAgo(minutes) {
  const time = new Date(Date.now() - minutes * 60_000);
  time.setUTCSeconds(0, 0);
  return time.toISOString();
}

function event(seq, type, time, payload, member = 'Sam') {
  return { seq, type, time, os_user: 'club', member, profile: 'juniors', payload };
}

step('the manager signs in', async () => {
  await page.goto(baseUrl, { waitUntil: 'load' });
  await page.getByLabel('User name').fill('manager');
  await page.getByLabel('Password', { exact: true }).fill(oneTimePassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await ui.waitForHeading('Choose your password');
  await page.getByLabel('One-time password').fill(oneTimePassword);
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Type the new password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Save password' }).click();
  await ui.waitForHeading('Laptops');
});

step('a laptop enrols and sends an evening of events through the device API', async () => {
  const token = await ui.consoleCall('POST', '/api/console/enrolment-tokens', { label: 'dashboard test' });
  assert.equal(token.status, 201, token.text);
  const enrolled = await httpsJson('POST', `${baseUrl}api/device/v1/enrol`, {
    body: { token: JSON.parse(token.text).token, name: 'Laptop ' + HOSTILE, hostname: 'club-1', os: 'Debian GNU/Linux 12', agent_version: '0.1.0' },
  });
  assert.equal(enrolled.status, 201, enrolled.text);
  const { device_id: deviceId, device_secret: secret } = JSON.parse(enrolled.text);
  const blocked = (seq, domain, category, count) => event(seq, 'dns_decision', minuteAgo(3),
    { domain, action: 'blocked', category, minute: minuteAgo(3), count });
  const sent = await httpsJson('POST', `${baseUrl}api/device/v1/events`, {
    headers: { Authorization: `Bearer ${deviceId}.${secret}` },
    body: { version: 1, device_id: deviceId, backlog: 0, events: [
      event(1, 'session', minuteAgo(20), { action: 'login', session_id: '2' }),
      event(2, 'member_sign_in', minuteAgo(19), { age_band: '8-12', method: 'first_name' }),
      blocked(3, 'casino.test', 'gambling', 3),
      blocked(4, 'adult.test', 'adult', 2),
      event(5, 'app_usage', minuteAgo(2), { application: HOSTILE, seconds: 60, started: minuteAgo(3) }),
    ] },
  });
  assert.equal(sent.status, 200, sent.text);
});

step('the dashboard shows what was sent, with the category that blocks nothing called out', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard', exact: true }).click();
  await ui.waitForHeading('Dashboard');
  const chartTable = page.locator('#blocked-by-category table');
  await chartTable.waitFor();
  const gambling = chartTable.getByRole('row', { name: /Gambling|gambling/ });
  assert.match(await gambling.textContent(), /3/);
  assert.match(await page.locator('#blocks-nothing').textContent(), /adult/i);
  assert.match(await page.locator('#coverage-table').textContent(), /onerror=alert\(1\)/);
  assert.match(await page.locator('#top-apps').textContent(), /<script>alert\(2\)<\/script>/);
  assert.equal(await page.locator('#dashboard-body img, #dashboard-body script').count(), 0);
  assert.match(await page.locator('#activity-table').textContent(), /Members signed in\s*1/);
  await ui.screenshot('dashboard-page.png');
});

step('a count drills down to the events behind it in the explorer', async () => {
  await page.locator('#top-blocked').getByRole('link', { name: '3', exact: true }).click();
  await page.waitForURL((url) => url.hash.startsWith('#/explorer') && url.hash.includes('site=casino.test'));
  await ui.waitForHeading('Usage explorer');
});

step('in use now shows who is signed in, the app and the recent blocks', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'In use now' }).click();
  await ui.waitForHeading('In use now');
  const row = page.locator('#in-use-table tbody tr');
  await row.first().waitFor();
  const text = await row.first().textContent();
  assert.match(text, /Sam/);
  assert.match(text, /casino\.test/);
  assert.match(text, /onerror=alert\(1\)/);
  assert.equal(await page.locator('#in-use-body img, #in-use-body script').count(), 0);
  await ui.screenshot('in-use-now-page.png');
});

step('no CSP or script problems, no serious accessibility problems', async () => {
  assert.deepEqual(await ui.accessibilityViolations(), []);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard', exact: true }).click();
  await ui.waitForHeading('Dashboard');
  await page.locator('#blocked-by-category table').waitFor();
  assert.deepEqual(await ui.accessibilityViolations(), []);
  assert.deepEqual(ui.problems, []);
  assert.deepEqual(ui.unsafePosts, []);
  assert.deepEqual(ui.dialogs, []);
});
