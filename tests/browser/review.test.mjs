// The filtering review page (SPEC C7) and the subscribed lists on the Filtering page, in Debian's
// Chromium against the real collector: a review request and blocked lookups sent through the
// device API as an enrolled laptop, the young person's hostile words shown as inert text, an
// allow saved with its reason, illegal content refused in words, a failing subscription shown;
// no CSP problems and no serious accessibility problems. (The real agent's DNS answer changing
// after an allow is tests/integration/review_test.cpp.)
//
//   CLUBSAFE_COLLECTOR=…/clubsafe-collector CLUBSAFE_ARTIFACTS=…/test-artifacts \
//   node --test tests/browser/review.test.mjs
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { consoleSuite, freePort, httpsJson, requiredEnv } from './lib/harness.mjs';

const COLLECTOR = requiredEnv('CLUBSAFE_COLLECTOR');
const NEW_PASSWORD = 'kettle orbit violin seven';
const HOSTILE = '"><img src=x onerror=alert(1)> <script>alert(2)</script> \u202Efdp.exe';

let baseUrl;
let oneTimePassword;
let ui;
let page;
const suite = consoleSuite('review', COLLECTOR);
const step = suite.step;

before(async () => ({ baseUrl, oneTimePassword, ui, page } = await suite.ready));

async function importList(category, text) {
  const made = await ui.consoleCall('POST', '/api/console/filtering/lists',
    { category, source: 'club', format: 'plain', text, reason: 'The club\'s own list' });
  assert.equal(made.status, 201, made.text);
}

// Two review requests (one with hostile words, one for illegal content) and blocked lookups.
async function sendEvents() {
  const token = JSON.parse((await ui.consoleCall('POST', '/api/console/enrolment-tokens', { label: 'hall' })).text).token;
  const enrolled = await httpsJson('POST', `${baseUrl}api/device/v1/enrol`, {
    body: { token, name: 'Hall laptop', hostname: 'hall', os: 'Debian', agent_version: 'test' },
  });
  assert.equal(enrolled.status, 201, enrolled.text);
  const { device_id: deviceId, device_secret: secret } = JSON.parse(enrolled.text);
  const time = new Date().toISOString();
  const minute = time.slice(0, 17) + '00.000Z';
  const base = { time, os_user: 'club', member: 'M-7', profile: 'juniors' };
  const events = [
    { ...base, seq: 1, type: 'review_request', payload: { domain: 'casino.test', category: 'gambling', message: HOSTILE } },
    { ...base, seq: 2, type: 'review_request', payload: { domain: 'bad.test', category: 'iwf' } },
    { ...base, seq: 3, type: 'dns_decision', payload: { domain: 'casino.test', action: 'blocked', category: 'gambling', minute, count: 12 } },
    // Eight more asked close together, folded by the laptop into the last with their count.
    { ...base, seq: 4, type: 'review_request', payload: { domain: 'casino.test', category: 'gambling', message: 'pls', count: 8 } },
  ];
  const sent = await httpsJson('POST', `${baseUrl}api/device/v1/events`, {
    body: { version: 1, device_id: deviceId, backlog: 0, events },
    headers: { Authorization: `Bearer ${deviceId}.${secret}` },
  });
  assert.equal(sent.status, 200, sent.text);
}

step('the manager signs in, lists are imported and a laptop asks for reviews', async () => {
  await ui.signInFirstTime(baseUrl, oneTimePassword, NEW_PASSWORD);
  await importList('gambling', 'casino.test\n');
  await importList('iwf', 'bad.test\n');
  await sendEvents();
});

step('the queue shows each site with its counts, English category and words as text', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Filtering review' }).click();
  await ui.waitForHeading('Filtering review');
  const casino = page.locator('article.review-item', { hasText: 'casino.test' });
  await casino.waitFor();
  const text = await casino.textContent();
  assert.ok(text.includes(HOSTILE), text.slice(0, 400));
  assert.ok(text.includes('Gambling'), text.slice(0, 400));
  assert.ok(text.includes('12 times in the period'), text.slice(0, 400));
  assert.ok(text.includes('Asked for a review9 times'), text.slice(0, 400));
  assert.ok(text.includes('the last of 8 sent close together'), text.slice(0, 600));
  assert.ok(text.includes('Hall laptop'), text.slice(0, 400));
  assert.equal(await page.locator('#content img, #content script').count(), 0);
  await ui.screenshot('review-queue.png');
});

step('illegal content is refused in plain words and nothing is saved', async () => {
  const bad = page.locator('article.review-item', { hasText: 'bad.test' });
  await bad.getByLabel('Why are you making this change?').fill('Testing');
  await bad.getByRole('button', { name: 'Save decision' }).click();
  await page.locator('#message', { hasText: 'the law requires us to block' }).waitFor();
  const decisions = JSON.parse((await ui.consoleCall('GET', '/api/console/review/decisions')).text);
  assert.equal(decisions.decisions.length, 0);
});

step('an allow for an hour is saved with its reason and the site leaves the queue', async () => {
  const casino = page.locator('article.review-item', { hasText: 'casino.test' });
  await casino.getByLabel('For how long').selectOption('60');
  await casino.getByLabel('Why are you making this change?').fill('Maths homework on probability');
  await casino.getByRole('button', { name: 'Save decision' }).click();
  await page.locator('#message', { hasText: 'casino.test is allowed' }).waitFor();
  await page.locator('#decisions-table', { hasText: 'Maths homework on probability' }).waitFor();
  assert.equal(await page.locator('article.review-item', { hasText: 'casino.test' }).count(), 0);
  await ui.screenshot('review-decided.png');
});

step('a subscription that cannot be downloaded is shown as failing', async () => {
  const port = await freePort();  // nothing listens there
  const made = await ui.consoleCall('POST', '/api/console/filtering/subscriptions', {
    url: `http://127.0.0.1:${port}/list.txt`, format: 'plain', category: 'gambling', refresh_hours: 24, reason: 'Extra list',
  });
  assert.equal(made.status, 201, made.text);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Filtering', exact: true }).click();
  await ui.waitForHeading('Filtering');
  const row = page.locator('#subscriptions-table tbody tr').first();
  await row.waitFor();
  await row.getByRole('button', { name: 'Download now' }).click();
  await page.locator('#message', { hasText: 'The download failed' }).waitFor();
  await page.locator('#subscriptions-body', { hasText: 'failing to download' }).waitFor();
  await ui.screenshot('subscriptions-failing.png');
  // The dashboard says so too, so the manager sees it without opening Filtering.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await ui.waitForHeading('Dashboard');
  const callout = page.locator('#failing-lists');
  await callout.waitFor();
  assert.match(await callout.textContent(), new RegExp(`1 subscribed list could not be downloaded.*127\\.0\\.0\\.1:${port}/list\\.txt`, 's'));
});

step('no CSP or script problems, no serious accessibility problems', async () => {
  assert.deepEqual(await ui.accessibilityViolations(), []);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Filtering review' }).click();
  await ui.waitForHeading('Filtering review');
  await page.locator('#decisions-table').waitFor();
  assert.deepEqual(await ui.accessibilityViolations(), []);
  // The refused illegal-content decision is a 400 on purpose; Chromium logs it as an error.
  const refusals = ui.problems.filter((text) => /status of 400/.test(text));
  assert.equal(refusals.length, 1);
  assert.deepEqual(ui.problems.filter((text) => !refusals.includes(text)), []);
  assert.deepEqual(ui.dialogs, []);
  assert.deepEqual(ui.unsafePosts, []);
});
