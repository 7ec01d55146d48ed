// The DSL's alert queue and the access log pages (SPEC C8, C4), in Debian's Chromium against the
// real collector: alerts sent through the device API as an enrolled laptop, a manager who is not a
// DSL refused them (no navigation entry, 403), the DSL opening the most serious alert with its
// words and the hour around it shown as inert text, a close refused without a reason and then
// made with one, and the DSL's looks listed in the access log; no CSP or accessibility problems.
//
//   CLUBSAFE_COLLECTOR=…/clubsafe-collector CLUBSAFE_ARTIFACTS=…/test-artifacts \
//   node --test tests/browser/alerts.test.mjs
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { consoleSuite, httpsJson, requiredEnv } from './lib/harness.mjs';

const COLLECTOR = requiredEnv('CLUBSAFE_COLLECTOR');
const NEW_PASSWORD = 'kettle orbit violin seven';
const HOSTILE = '"><img src=x onerror=alert(1)> <script>alert(2)</script>';

let baseUrl;
let oneTimePassword;
let ui;
let page;
let dslPassword;
let closedAlertUrl;
const suite = consoleSuite('alerts', COLLECTOR);
const step = suite.step;

before(async () => ({ baseUrl, oneTimePassword, ui, page } = await suite.ready));

const nav = () => page.getByRole('navigation', { name: 'Main' });

async function sendEvents() {
  const token = JSON.parse((await ui.consoleCall('POST', '/api/console/enrolment-tokens', { label: 'hall' })).text).token;
  const enrolled = await httpsJson('POST', `${baseUrl}api/device/v1/enrol`, {
    body: { token, name: 'Hall laptop', hostname: 'hall', os: 'Debian', agent_version: 'test' },
  });
  assert.equal(enrolled.status, 201, enrolled.text);
  const { device_id: deviceId, device_secret: secret } = JSON.parse(enrolled.text);
  const now = Date.now();
  const at = (minutesAgo) => new Date(now - minutesAgo * 60_000).toISOString();
  const base = { os_user: 'club', member: 'M-7', profile: 'juniors' };
  const alert = (seq, minutesAgo, severity, phrase) => ({
    ...base, seq, time: at(minutesAgo), type: 'safeguarding_alert',
    payload: { category: 'selfharm', severity, phrase, context: 'searched ' + HOSTILE, source: 'search',
      rule: 'selfharm: ' + phrase, matched: phrase + HOSTILE, why: 'the words matched' },
  });
  const events = [
    { ...base, seq: 1, time: at(20), type: 'search_term', payload: { engine: 'ddg', terms: 'before ' + HOSTILE, searched: at(20) } },
    alert(2, 15, 3, 'low phrase'),
    alert(3, 10, 5, 'serious phrase'),
  ];
  const sent = await httpsJson('POST', `${baseUrl}api/device/v1/events`, {
    body: { version: 1, device_id: deviceId, backlog: 0, events },
    headers: { Authorization: `Bearer ${deviceId}.${secret}` },
  });
  assert.equal(sent.status, 200, sent.text);
}

step('a manager who is not a DSL has no alerts page and is refused the alerts', async () => {
  await ui.signInFirstTime(baseUrl, oneTimePassword, NEW_PASSWORD);
  await sendEvents();
  const added = await ui.consoleCall('POST', '/api/console/users', { username: 'dee', roles: ['dsl'] });
  assert.equal(added.status, 201, added.text);
  dslPassword = JSON.parse(added.text).one_time_password;
  const links = await nav().getByRole('link').allTextContents();
  assert.ok(!links.includes('Alerts') && !links.includes('Access log'), links.join(', '));
  assert.equal(await ui.apiStatus('/api/console/alerts'), 403);
  assert.equal(await ui.apiStatus('/api/console/access-log'), 403);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await ui.waitForHeading('Sign in');
});

step('the DSL sees the queue, most serious first, words as text', async () => {
  await ui.signInFirstTime(baseUrl, dslPassword, NEW_PASSWORD, { username: 'dee', home: 'Dashboard' });
  await nav().getByRole('link', { name: 'Alerts' }).click();
  await ui.waitForHeading('Alerts');
  const rows = page.locator('#alerts-table tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 2);
  assert.match(await rows.first().textContent(), /Level 5.*Safeguarding alert.*M-7.*Hall laptop.*New/s);
  await ui.screenshot('alerts-queue.png');
});

step('an alert opens with its words and the hour around it, all inert', async () => {
  await page.locator('#alerts-table tbody tr').first().getByRole('link').click();
  await ui.waitForHeading('Alert ');
  const words = page.locator('.alert-words');
  await words.waitFor();
  const text = await words.textContent();
  assert.ok(text.includes('serious phrase' + HOSTILE), text);
  assert.ok(text.includes('selfharm: serious phrase'), text);
  assert.ok((await page.locator('#context-table').textContent()).includes('before ' + HOSTILE));
  assert.equal(await page.locator('#content img, #content script').count(), 0);
  await ui.screenshot('alert-detail.png');
});

step('closing without a reason is refused; with one it is closed and in the history', async () => {
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await page.locator('#message', { hasText: 'The alert is acknowledged.' }).waitFor();
  await page.getByLabel('Close as').selectOption('false_positive');
  await page.getByRole('button', { name: 'Close the alert' }).click();
  await page.locator('#message', { hasText: 'a reason is required' }).waitFor();
  await page.getByLabel('Why are you closing it?').fill('Lyrics of a song ' + HOSTILE);
  await page.getByRole('button', { name: 'Close the alert' }).click();
  await page.locator('#message', { hasText: 'The alert is closed.' }).waitFor();
  const history = await page.locator('#history-table').textContent();
  assert.ok(history.includes('Lyrics of a song ' + HOSTILE), history);
  assert.ok(history.includes('Closed: false positive'), history);
  assert.equal(await page.locator('#content img, #content script').count(), 0);
  closedAlertUrl = page.url();
});

step('the false positive is counted and the access log lists the DSL\'s looks', async () => {
  await nav().getByRole('link', { name: 'Alerts' }).click();
  await ui.waitForHeading('Alerts');
  await page.locator('#false-positives-table', { hasText: 'serious phrase' }).waitFor();
  await nav().getByRole('link', { name: 'Access log' }).click();
  await ui.waitForHeading('Access log');
  const rows = page.locator('#access-log-table tbody tr');
  await rows.first().waitFor();
  assert.ok(await rows.count() >= 3);
  assert.match(await rows.first().textContent(), /dee.*Opened an alert.*alert \d+/s);
  await ui.screenshot('access-log.png');
});

step('a closed alert is reopened with a reason, and the history keeps the close', async () => {
  await page.goto(closedAlertUrl);
  await page.getByRole('button', { name: 'Reopen the alert' }).click();
  await page.locator('#message', { hasText: 'a reason is required' }).waitFor();
  await page.getByLabel('Why are you reopening it?').fill('Her friend says it was not a song');
  await page.getByRole('button', { name: 'Reopen the alert' }).click();
  await page.locator('#message', { hasText: 'The alert is open again.' }).waitFor();
  await page.getByRole('button', { name: 'Close the alert' }).waitFor();
  const history = await page.locator('#history-table').textContent();
  assert.ok(history.includes('Lyrics of a song'), history);
  assert.ok(history.includes('Her friend says it was not a song'), history);
});

step('an alert escalated into an incident says so and links to it', async () => {
  await nav().getByRole('link', { name: 'Alerts' }).click();
  await ui.waitForHeading('Alerts');
  const low = page.locator('#alerts-table tbody tr', { hasText: 'Level 3' });
  await low.waitFor();
  const id = Number(new URL(await low.getByRole('link').getAttribute('href'), baseUrl).hash.match(/id=(\d+)/)[1]);
  const opened = await ui.consoleCall('POST', '/api/console/incidents',
    { category: 'cyberbullying', title: 'From the queue', members: ['M-7'], alerts: [id] });
  assert.equal(opened.status, 201, opened.text);
  const incident = JSON.parse(opened.text).id;
  await low.getByRole('link').click();
  await ui.waitForHeading('Alert ' + id);
  const state = page.locator('.details-list dd').first();
  await state.getByRole('link', { name: 'incident ' + incident }).waitFor();
  assert.match(await state.textContent(), /Escalated to an incident/);
  assert.equal(await page.getByRole('button', { name: 'Close the alert' }).count(), 0);
});

step('no CSP or script problems, no serious accessibility problems', async () => {
  assert.deepEqual(await ui.accessibilityViolations(), []);
  await nav().getByRole('link', { name: 'Alerts' }).click();
  await page.locator('#alerts-table').waitFor();
  assert.deepEqual(await ui.accessibilityViolations(), []);
  await page.locator('#alerts-table tbody tr').first().getByRole('link').click();
  await page.locator('#history-table').waitFor();
  assert.deepEqual(await ui.accessibilityViolations(), []);
  // The manager's two refusals (403) are on purpose; Chromium logs them as errors.
  const refusals = ui.problems.filter((text) => /status of 403/.test(text));
  assert.deepEqual(ui.problems.filter((text) => !refusals.includes(text)), []);
  assert.deepEqual(ui.dialogs, []);
  assert.deepEqual(ui.unsafePosts, []);
});
