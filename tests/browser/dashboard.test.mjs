// The dashboard and the in-use-now view (SPEC C5) in Debian's Chromium against the real
// collector: events sent through the real device API as an enrolled laptop show as the counts
// sent, a category with no list is called out, a count drills down to the explorer, hostile
// names show as text, and no CSP, script or serious accessibility problem is found.
//
//   CLUBSAFE_COLLECTOR=…/clubsafe-collector CLUBSAFE_ARTIFACTS=…/test-artifacts \
//   node --test tests/browser/dashboard.test.mjs
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { consoleSuite, httpsJson, requiredEnv } from './lib/harness.mjs';

const COLLECTOR = requiredEnv('CLUBSAFE_COLLECTOR');
const NEW_PASSWORD = 'kettle orbit violin seven';
const HOSTILE = '"><img src=x onerror=alert(1)> <script>alert(2)</script> \u202Efdp.exe';

let baseUrl;
let oneTimePassword;
let ui;
let page;
const suite = consoleSuite('dashboard', COLLECTOR);
const step = suite.step;

before(async () => ({ baseUrl, oneTimePassword, ui, page } = await suite.ready));

function minuteAgo(minutes) {
  const time = new Date(Date.now() - minutes * 60_000);
  time.setUTCSeconds(0, 0);
  return time.toISOString();
}

function event(seq, type, time, payload, member = 'Sam') {
  return { seq, type, time, os_user: 'club', member, profile: 'juniors', payload };
}

step('the manager signs in', async () => {
  await ui.signInFirstTime(baseUrl, oneTimePassword, NEW_PASSWORD);
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
      event(6, 'review_request', minuteAgo(2), { domain: 'homework-help.test', category: 'chat', message: HOSTILE }),
      event(7, 'tamper', minuteAgo(1), { kind: 'hosts_file', detail: HOSTILE }),
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
  const waiting = page.locator('#review-waiting tbody tr');
  assert.equal(await waiting.count(), 1);
  assert.match(await waiting.first().textContent(), /homework-help\.test.*onerror=alert\(1\).*Sam/);
  await ui.screenshot('dashboard-page.png');
});

step('the tampered laptop waits for the manager, who acknowledges it; e-mail is said to be off', async () => {
  const rows = page.locator('#manager-alerts tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().textContent(), /onerror=alert\(1\).*tampering/);
  assert.equal(await page.locator('#manager-alerts img, #manager-alerts script').count(), 0);
  assert.match(await page.locator('#mail-off').textContent(), /not set up/);
  await rows.first().getByRole('button', { name: 'Acknowledge' }).click();
  await page.locator('#manager-alerts').getByText('No laptop has a problem waiting.').waitFor();
  const left = await ui.consoleCall('GET', '/api/console/manager-alerts');
  assert.equal(JSON.parse(left.text).alerts.length, 0);
});

step('a count drills down to the events behind it in the explorer', async () => {
  await page.locator('#top-blocked').getByRole('link', { name: '3', exact: true }).click();
  await page.waitForURL((url) => url.hash.startsWith('#/explorer') && url.hash.includes('site=casino.test'));
  await ui.waitForHeading('Usage explorer');
});

step('a review request waiting opens the filtering review', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard', exact: true }).click();
  await ui.waitForHeading('Dashboard');
  await page.locator('#review-waiting').getByRole('link', { name: 'homework-help.test' }).click();
  await page.waitForURL((url) => url.hash.startsWith('#/review'));
  await ui.waitForHeading('Filtering review');
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
