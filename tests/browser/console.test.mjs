// End-to-end test of the clubsafe console: the real collector and agent on 127.0.0.1, driven
// through Debian's Chromium with playwright-core.
//
//   CLUBSAFE_COLLECTOR=…/clubsafe-collector CLUBSAFE_AGENT=…/clubsafe-agent \
//   CLUBSAFE_ARTIFACTS=…/test-artifacts node --test tests/browser/console.test.mjs
//
// Screenshots (and, on failure, the programs' output) go to $CLUBSAFE_ARTIFACTS.
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  consoleSuite, httpsJson, log, requiredEnv, run, shellWords, startProcess, waitUntil,
} from './lib/harness.mjs';

const COLLECTOR = requiredEnv('CLUBSAFE_COLLECTOR');
const AGENT = requiredEnv('CLUBSAFE_AGENT');
// Text that would turn into elements if the console ever pasted data into HTML.
const HOSTILE_NAME = '<b>Laptop</b> 1 <img src=x onerror=alert(1)>';
const NEW_PASSWORD = 'kettle orbit violin seven';

// ------------------------------------------------------------------------------------------------
// Shared state for the steps below, which run in order.

let tmp;
let agent;
let baseUrl;
let oneTimePassword;
let ui;
let page;
const suite = consoleSuite('browser', COLLECTOR);
const step = suite.step;

before(async () => ({ tmp, baseUrl, oneTimePassword, ui, page } = await suite.ready));

// ------------------------------------------------------------------------------------------------
// The steps.

step('the console is served with a strict Content-Security-Policy', async () => {
  const response = await page.goto(baseUrl, { waitUntil: 'load' });
  assert.equal(response.status(), 200);
  const csp = response.headers()['content-security-policy'] || '';
  assert.match(csp, /default-src 'self'/);
  await ui.waitForHeading('Sign in');
  assert.equal(new URL(page.url()).hash, '#/login');
});

step('a wrong password shows the error and stays on Sign in', async () => {
  await page.getByLabel('User name').fill('manager');
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#message', { hasText: "That user name and password don't match." }).waitFor();
  assert.equal(await ui.heading(), 'Sign in');
  assert.equal(new URL(page.url()).hash, '#/login');
  await ui.screenshot('console-login.png');
});

step('signing in with the one-time password leads to Choose your password', async () => {
  await page.getByLabel('User name').fill('manager');
  await page.getByLabel('Password', { exact: true }).fill(oneTimePassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await ui.waitForHeading('Choose your password');
  assert.equal(new URL(page.url()).hash, '#/password');
  // Focus moves to the heading, for keyboard and screen-reader users.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'page-heading');
  // Other pages are not reachable until the password is changed.
  await page.goto(`${baseUrl}#/devices`);
  await ui.waitForHeading('Choose your password');
  assert.equal(await ui.apiStatus('/api/console/devices'), 403);
});

step('a too-short new password is explained, then a good one is saved', async () => {
  await page.getByLabel('One-time password').fill(oneTimePassword);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Type the new password again').fill('short');
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.locator('#new-password-error', { hasText: 'at least 12 characters' }).waitFor();
  await ui.screenshot('console-password.png');

  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Type the new password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Save password' }).click();
  await ui.waitForHeading('Laptops');
  assert.match(await ui.statusMessage(), /new password is saved/);
});

step('Laptops shows the empty state with a link to Enrol', async () => {
  const empty = page.locator('.empty');
  await empty.waitFor();
  assert.match(await empty.textContent(), /No laptops are enrolled yet/);
  await ui.screenshot('console-devices-empty.png');
  await empty.getByRole('link', { name: 'Enrol a laptop' }).click();
  await ui.waitForHeading('Enrol a laptop');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'page-heading');
});

let enrolCommand;

step('Enrol creates a one-time command and lists it', async () => {
  await page.getByLabel('Label (optional)').fill('<i>Games room</i> laptop');
  await page.getByRole('button', { name: 'Create enrolment command' }).click();
  const box = page.locator('#enrol-command');
  await box.waitFor();
  enrolCommand = (await box.inputValue()).trim();
  assert.match(enrolCommand, /^sudo clubsafe-agent enrol /);
  assert.match(await page.locator('#enrol-expiry').textContent(), /works once, until/);
  assert.match(await page.locator('#enrol-result').textContent(),
    /Install the clubsafe-agent package on the laptop\..*Open a terminal and paste this command\..*appears on the Laptops page within a minute/s);
  const row = page.locator('#tokens-table tbody tr', { hasText: '<i>Games room</i> laptop' });
  await row.waitFor();
  assert.match(await row.textContent(), /Active/);
  assert.equal(await page.locator('#tokens-table i').count(), 0, 'a label was turned into HTML');
  await ui.screenshot('console-enrol.png');
});

step('an enrolment command can be revoked after confirming', async () => {
  await page.getByLabel('Label (optional)').fill('spare');
  await page.getByRole('button', { name: 'Create enrolment command' }).click();
  const row = page.locator('#tokens-table tbody tr', { hasText: 'spare' });
  await row.getByRole('button', { name: /Revoke/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Revoke command' }).click();
  await page.locator('#tokens-table tbody tr', { hasText: 'spare' }).filter({ hasText: 'Revoked' }).waitFor();
});

step('the agent enrols with the command from the page and reports', async () => {
  const words = shellWords(enrolCommand);
  assert.equal(words[0], 'sudo');
  assert.equal(words[1], 'clubsafe-agent');
  const agentState = join(tmp, 'agent');
  const args = [...words.slice(2), '--name', HOSTILE_NAME, '--define', `agent.state_dir=${agentState}`];
  const enrol = await run(AGENT, args);
  const shown = args.join(' ').replace(/(--token )\S+/, '$1<token>');
  log('agent-enrol', `$ clubsafe-agent ${shown}\n${enrol.stdout}${enrol.stderr}[exit ${enrol.code}]\n`);
  assert.equal(enrol.code, 0, `enrol failed:\n${enrol.stdout}${enrol.stderr}`);

  agent = startProcess('agent', AGENT, ['run', '--define', `agent.state_dir=${agentState}`,
    '--define', 'heartbeat.interval=1', '--define', 'upload.interval=0.2',
    // The console test needs no DNS filter, and must not take port 53 from the machine.
    '--define', 'dns.enabled=false']);
});

step('Laptops shows the laptop Online, with its name as plain text', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Laptops' }).click();
  await ui.waitForHeading('Laptops');
  const row = page.locator('#devices-table tbody tr').first();
  await waitUntil('the laptop to show Online', async () => {
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.waitForTimeout(500);
    return (await row.count()) > 0 && /Online/.test(await row.textContent());
  }, 1_000);
  assert.equal(await row.locator('.device-name').textContent(), HOSTILE_NAME);
  assert.equal(await page.locator('#devices-table b, #devices-table img').count(), 0,
    'a device name was turned into HTML');
  assert.match(await page.locator('#devices-summary-text').textContent(), /laptop is reporting/);
  assert.match(await row.textContent(), /up to date|events? waiting/);
  assert.ok(await row.locator('time[datetime]').count() > 0, 'last seen has no exact time');
  await ui.screenshot('console-devices.png');

  // Readable at 200% zoom: a 640-pixel-wide window shows the same page reflowed.
  await page.setViewportSize({ width: 640, height: 800 });
  await ui.screenshot('console-devices-narrow.png');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 640px wide`);
  await page.setViewportSize({ width: 1280, height: 800 });
});

step('Remove asks first, then the laptop is listed as removed', async () => {
  const row = page.locator('#devices-table tbody tr').first();
  await row.getByRole('button', { name: /^Remove/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /stop reporting/);
  await ui.screenshot('console-remove-confirm.png');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.locator('#devices-table tbody tr').count(), 1);

  await row.getByRole('button', { name: /^Remove/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove laptop' }).click();
  await page.locator('#message', { hasText: 'has been removed' }).waitFor();
  await page.locator('.removed summary', { hasText: 'Removed laptops (1)' }).waitFor();
  await page.locator('.empty').waitFor();
});

step('a POST without the CSRF header is refused', async () => {
  ui.probing = true;
  const status = await ui.apiStatus('/api/console/enrolment-tokens', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Test-Unsafe': '1' },
    body: JSON.stringify({ label: 'csrf probe' }),
  });
  assert.equal(status, 403);
});

// The refused request's body was never read by the collector. On a kept-alive connection those
// bytes must not be taken for the start of the next request ("This address does not accept
// {}GET."). Not critical: later steps still run if this fails.
step('after a refused POST the next requests still work, and no token was made', async () => {
  const answers = await page.evaluate(async () => {
    const results = [];
    for (let i = 0; i < 3; i += 1) {
      try {
        const response = await fetch('/api/console/enrolment-tokens', { credentials: 'same-origin' });
        const text = await response.text();
        results.push({ status: response.status, text });
      } catch (error) {
        results.push({ status: 0, text: String(error) });
      }
    }
    return results;
  });
  for (const answer of answers) {
    assert.equal(answer.status, 200, `GET enrolment-tokens answered ${answer.status}: ${answer.text}`);
    const labels = JSON.parse(answer.text).tokens.map((t) => t.label);
    assert.ok(!labels.includes('csrf probe'), 'the refused request still made a token');
  }
  ui.probing = false;
}, { critical: false });

step('Sign out returns to Sign in and the API then answers 401', async () => {
  ui.probing = false;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await ui.waitForHeading('Sign in');
  assert.equal(new URL(page.url()).hash, '#/login');
  assert.equal(await ui.apiStatus('/api/console/devices'), 401);
  // And a new sign-in with the new password works.
  await page.getByLabel('User name').fill('manager');
  await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await ui.waitForHeading('Laptops');
});

step('Filtering shows the imported lists and the profiles, with Juniors as default', async () => {
  // A list imported on the server while the collector runs, as a volunteer would at set-up.
  const listFile = join(tmp, 'club-gambling.txt');
  await writeFile(listFile, 'casino.example\n1.2.3.4\npoker.example\n');
  const imported = await run(COLLECTOR, ['import-list', '--category', 'gambling', '--format', 'plain',
    '--file', listFile, '--source', 'club-extra', '--reason', 'Browser test set-up',
    '--define', `collector.state_dir=${join(tmp, 'collector')}`]);
  assert.equal(imported.code, 0, `import-list failed:\n${imported.stdout}${imported.stderr}`);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Filtering', exact: true }).click();
  await ui.waitForHeading('Filtering');
  const juniors = page.locator('#profiles-table tbody tr', { hasText: 'Juniors (8 to 12)' });
  await juniors.waitFor();
  assert.match(await juniors.textContent(), /Default/);
  assert.match(await juniors.textContent(), /Strict/);
  assert.equal(await page.locator('#profiles-table tbody tr').count(), 4);
  const gambling = page.locator('#categories-table tbody tr', { hasText: 'gambling' });
  await gambling.waitFor();
  assert.match(await gambling.textContent(), /club-extra \(plain\): 2 sites, 1 line skipped/);
  assert.match(await gambling.textContent(), /^Gambling/, 'categories are named in English');
  // Juniors blocks categories with no list imported: each is called out as blocking nothing.
  assert.match(await juniors.locator('.categories-empty').textContent(), /categories block nothing: no list imported/);
  assert.ok(await juniors.locator('.categories-empty [data-category="arjel"]').count() === 1);
  assert.equal(await juniors.locator('.categories-filled [data-category="gambling"]').textContent(), 'Gambling');
  await ui.screenshot('console-filtering.png');
});

step('editing a profile needs a reason, refuses a bad site by name, then saves', async () => {
  const juniors = page.locator('#profiles-table tbody tr', { hasText: 'Juniors (8 to 12)' });
  await juniors.getByRole('button', { name: 'Edit Juniors (8 to 12)' }).click();
  await page.locator('#profile-editor-title').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'profile-editor-title');
  assert.ok(await page.getByRole('checkbox', { name: /^Gambling \d/ }).isChecked(), 'juniors should block gambling');

  await page.getByLabel('Name shown to people').fill('<i>Juniors</i> (8 to 12)');
  await page.getByLabel(/^Moderate/).check();
  await page.getByLabel('Always allow these sites').fill('BBC.co.uk.\n\nwikipedia.org\nbbc.co.uk');
  await page.getByLabel('Always block these sites').fill('not a site!');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.locator('#profile-reason-error', { hasText: 'Say why' }).waitFor();

  ui.probing = true;  // the server refuses the next save (400) on purpose
  await page.locator('#profile-editor').getByLabel('Why are you making this change?')
    .fill('Juniors need the BBC for homework');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.locator('#message', { hasText: 'profile.block[0]' }).waitFor();
  await page.locator('#profile-block-error', { hasText: 'is not a domain name' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'profile-block');
  ui.probing = false;
  await ui.screenshot('console-filtering-edit.png');

  await page.getByLabel('Always block these sites').fill('');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.locator('#message', { hasText: 'is saved (policy version' }).waitFor();
  const saved = page.locator('#profiles-table tbody tr', { hasText: '<i>Juniors</i> (8 to 12)' });
  await saved.waitFor();
  assert.match(await saved.textContent(), /Moderate/);
  assert.match(await saved.textContent(), /2 allowed, 0 blocked/);
  assert.equal(await page.locator('#profiles-table i').count(), 0, 'a profile name was turned into HTML');
  const data = await page.evaluate(async () =>
    (await fetch('/api/console/filtering/profiles', { credentials: 'same-origin' })).json());
  const stored = data.profiles.find((profile) => profile.id === 'juniors');
  assert.deepEqual(stored.allow, ['bbc.co.uk', 'wikipedia.org']);
  assert.equal(stored.safe_search, 'moderate');
});

step('a gzip-compressed list imported on the page is listed, then removed with a reason', async () => {
  const form = page.locator('#import-list');
  await form.getByLabel('Category', { exact: true }).fill('social_networks');
  await form.getByLabel('Where the list comes from').fill('club-social');
  await form.getByLabel('Format').selectOption('plain');
  await form.getByLabel('List file').setInputFiles({
    name: 'social.txt.gz', mimeType: 'application/gzip',
    buffer: gzipSync('chat.example\nfriends.example\nhttp://x.example/path\n'),
  });
  await form.getByRole('button', { name: 'Import list' }).click();
  await page.locator('#list-reason-error', { hasText: 'Say why' }).waitFor();
  await form.getByLabel('Why are you making this change?').fill('Juniors were on social sites in the session');
  await form.getByRole('button', { name: 'Import list' }).click();
  await page.locator('#message', { hasText: 'Imported social_networks from club-social: 2 sites, 1 line skipped' }).waitFor();
  const row = page.locator('#categories-table tbody tr', { hasText: 'social_networks' });
  await row.waitFor();
  assert.match(await row.textContent(), /imported by manager/);

  await row.getByRole('button', { name: 'Remove the list social_networks from club-social' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Remove list' }).click();
  await page.locator('#dialog-reason-error', { hasText: 'Say why' }).waitFor();
  await dialog.getByLabel('Why are you making this change?').fill('Imported by mistake');
  await dialog.getByRole('button', { name: 'Remove list' }).click();
  await page.locator('#message', { hasText: 'has been removed' }).waitFor();
  assert.equal(await page.locator('#categories-table tbody tr', { hasText: 'social_networks' }).count(), 0);
});

step('another profile can be made the default, with a reason', async () => {
  const seniors = page.locator('#profiles-table tbody tr', { hasText: 'Seniors (13 to 15)' });
  await seniors.getByRole('button', { name: 'Make Seniors (13 to 15) the default' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Why are you making this change?').fill('Friday is seniors night');
  await dialog.getByRole('button', { name: 'Make default' }).click();
  await page.locator('#message', { hasText: 'is now the default profile' }).waitFor();
  assert.match(await page.locator('#profiles-table tbody tr', { hasText: 'Seniors (13 to 15)' }).textContent(), /Default/);
  await ui.screenshot('console-filtering-after.png');
  await page.setViewportSize({ width: 640, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `Filtering scrolls sideways by ${overflow}px at 640px wide`);
  await page.setViewportSize({ width: 1280, height: 800 });
});

const NOTICE_CLUB = '<b>Westgate</b> Youth Project';
const NOTICE_URL = 'https://westgate.example/online-safety';
let laptopAuthorization;  // "Bearer <device id>.<secret>" of a laptop enrolled through the API

async function publishedPolicy() {
  const answer = await httpsJson('GET', `${baseUrl}api/device/v1/policy`, { headers: { Authorization: laptopAuthorization } });
  assert.equal(answer.status, 200, answer.text);
  return JSON.parse(answer.text);
}

step('Laptop notice shows the first notice, written for young people, with a live preview', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Laptop notice' }).click();
  await ui.waitForHeading('Laptop notice');
  const words = page.getByLabel('The notice', { exact: true });
  await words.waitFor();
  assert.match(await words.inputValue(), /^This laptop is monitored\./);
  assert.match(await words.inputValue(), /never takes pictures of your screen/);
  assert.equal(await page.getByLabel('Club name').inputValue(), 'our youth club');
  const preview = page.locator('#notice-preview');
  assert.match(await preview.textContent(), /Ask a youth worker if you would like to read/);
  await ui.screenshot('console-notice-default.png');

  await page.getByLabel('Club name').fill(NOTICE_CLUB);
  await words.fill('This laptop keeps a record of the apps you use\nand the websites you visit.\n\n' +
    'You can ask a youth worker <i>any</i> question.');
  assert.equal(await preview.locator('h3').textContent(), NOTICE_CLUB);
  assert.deepEqual(await preview.locator('p:not(.notice-preview__label):not(.notice-preview__button)').allTextContents(), [
    'This laptop keeps a record of the apps you use and the websites you visit.',
    'You can ask a youth worker <i>any</i> question.',
    'Ask a youth worker if you would like to read the club’s online safety policy.',
  ]);
  assert.equal(await preview.locator('b, i').count(), 0, 'notice text was turned into HTML');
});

step('a bad notice is refused by field, on the page and by the server, then the notice is saved', async () => {
  const link = page.getByLabel('Link to your online safety policy (optional)');
  await link.fill('javascript:alert(1)');
  await page.getByRole('button', { name: 'Save notice' }).click();
  await page.locator('#notice-policy-url-error', { hasText: 'starting with https://' }).waitFor();
  await page.locator('#notice-reason-error', { hasText: 'Say why' }).waitFor();

  // What the page does not send, the server refuses on its own, naming the field.
  ui.probing = true;
  const before = JSON.parse((await ui.consoleCall('GET', '/api/console/notice')).text);
  for (const [body, field] of [
    [{ club_name: 'X', paragraphs: ['Fine.'], policy_url: 'ftp://x.example/p', reason: 'probe' }, /^notice\.policy_url: /],
    [{ club_name: 'X', paragraphs: ['Fine.', 'a'.repeat(601)], policy_url: '', reason: 'probe' }, /^notice\.paragraphs\[1\]: /],
    [{ club_name: '', paragraphs: ['Fine.'], policy_url: '', reason: 'probe' }, /^notice\.club_name: /],
    [{ club_name: 'X', paragraphs: 'Fine.', policy_url: '', reason: 'probe' }, /"paragraphs"/],
    [{ club_name: 'X', paragraphs: ['Fine.'], policy_url: '' }, /Say why/],
  ]) {
    const answer = await ui.consoleCall('POST', '/api/console/notice', body);
    assert.equal(answer.status, 400, answer.text);
    assert.match(JSON.parse(answer.text).error, field);
  }
  assert.deepEqual(JSON.parse((await ui.consoleCall('GET', '/api/console/notice')).text), before, 'a refused notice changed something');
  ui.probing = false;

  await link.fill(NOTICE_URL);
  await page.locator('#notice-body').getByLabel('Why are you making this change?').fill('Our own words, agreed with the youth forum');
  await page.getByRole('button', { name: 'Save notice' }).click();
  await page.locator('#message', { hasText: 'The notice is saved (policy version' }).waitFor();
  assert.equal(await page.getByLabel('Club name').inputValue(), NOTICE_CLUB);
  assert.match(await page.locator('#notice-preview').textContent(), /Read the club’s online safety policy: https:\/\/westgate\.example\/online-safety/);
  await ui.screenshot('console-notice.png');
  await page.setViewportSize({ width: 640, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `Laptop notice scrolls sideways by ${overflow}px at 640px wide`);
  await page.setViewportSize({ width: 1280, height: 800 });
});

step('workers are added with a PIN, an easy PIN is refused, and no hash is ever shown', async () => {
  const form = page.locator('#add-worker');
  await page.locator('.empty', { hasText: 'No worker has a PIN yet' }).waitFor();
  await form.getByLabel('Worker’s name').fill('Sam <K>');
  await form.getByLabel('PIN', { exact: true }).fill('123456');
  await form.getByLabel('Why are you making this change?').fill('New youth worker');
  ui.probing = true;  // the server refuses the easy PIN (400) on purpose
  await form.getByRole('button', { name: 'Add worker' }).click();
  await page.locator('#worker-pin-error', { hasText: 'too easy to guess' }).waitFor();
  ui.probing = false;
  assert.equal(await form.getByLabel('PIN', { exact: true }).inputValue(), '', 'a refused PIN stayed in the form');

  await form.getByLabel('PIN', { exact: true }).fill('480271');
  await form.getByRole('button', { name: 'Add worker' }).click();
  await page.locator('#message', { hasText: 'Sam <K> can now use their PIN' }).waitFor();
  await page.locator('#add-worker').getByLabel('Worker’s name').fill('Alex');
  await page.locator('#add-worker').getByLabel('PIN', { exact: true }).fill('246810');
  await page.locator('#add-worker').getByLabel('Why are you making this change?').fill('New youth worker');
  await page.locator('#add-worker').getByRole('button', { name: 'Add worker' }).click();
  await page.locator('#message', { hasText: 'Alex can now use their PIN' }).waitFor();
  await page.locator('#workers-table tbody tr', { hasText: 'Alex' }).waitFor();
  assert.deepEqual(await page.locator('#workers-table tbody .worker-name').allTextContents(), ['Alex', 'Sam <K>']);
  assert.equal(await page.locator('#workers-table b, #workers-table k').count(), 0);

  ui.probing = true;
  const taken = await ui.consoleCall('POST', '/api/console/workers', { name: 'ALEX', pin: '135792', reason: 'probe' });
  assert.equal(taken.status, 400, taken.text);
  assert.match(JSON.parse(taken.text).error, /^worker\.name: /);
  ui.probing = false;
  const listed = await ui.consoleCall('GET', '/api/console/workers');
  assert.equal(listed.status, 200);
  assert.doesNotMatch(listed.text, /scrypt|pin_hash|480271/);
  await ui.screenshot('console-workers.png');
});

step('the policy a laptop fetches carries the notice and the workers; a removed worker leaves it', async () => {
  const token = await ui.consoleCall('POST', '/api/console/enrolment-tokens', { label: 'notice check' });
  assert.equal(token.status, 201, token.text);
  const enrolled = await httpsJson('POST', `${baseUrl}api/device/v1/enrol`,
    { body: { token: JSON.parse(token.text).token, name: 'notice check laptop' } });
  assert.equal(enrolled.status, 201, `enrol answered ${enrolled.status}`);
  const credentials = JSON.parse(enrolled.text);
  laptopAuthorization = `Bearer ${credentials.device_id}.${credentials.device_secret}`;

  let policy = await publishedPolicy();
  assert.equal(policy.notice.club_name, NOTICE_CLUB);
  assert.deepEqual(policy.notice.paragraphs, [
    'This laptop keeps a record of the apps you use and the websites you visit.',
    'You can ask a youth worker <i>any</i> question.',
  ]);
  assert.equal(policy.notice.policy_url, NOTICE_URL);
  assert.match(policy.notice.version, /^[0-9a-f]{16}$/);
  assert.deepEqual(policy.workers.map((worker) => worker.name), ['Sam <K>', 'Alex']);
  for (const worker of policy.workers) assert.match(worker.pin_hash, /^scrypt\$15\$8\$1\$/);

  const row = page.locator('#workers-table tbody tr', { hasText: 'Alex' });
  await row.getByRole('button', { name: 'Remove Alex' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Why are you making this change?').fill('Alex has left the club');
  await dialog.getByRole('button', { name: 'Remove PIN' }).click();
  await page.locator('#message', { hasText: 'Alex’s PIN has been removed' }).waitFor();
  await page.locator('#workers-table tbody tr', { hasText: 'Sam <K>' }).waitFor();
  assert.deepEqual(await page.locator('#workers-table tbody .worker-name').allTextContents(), ['Sam <K>']);
  policy = await publishedPolicy();
  assert.deepEqual(policy.workers.map((worker) => worker.name), ['Sam <K>']);
  assert.equal(policy.notice.club_name, NOTICE_CLUB, 'removing a worker lost the notice');
});

step('every page passes an accessibility check (axe-core, WCAG 2.1 AA)', async () => {
  for (const [route, title] of [['devices', 'Laptops'], ['enrol', 'Enrol a laptop'],
    ['filtering', 'Filtering'], ['notice', 'Laptop notice'], ['password', 'Change your password']]) {
    await page.goto(`${baseUrl}#/${route}`);
    await ui.waitForHeading(title);
    await page.waitForFunction(() => document.getElementById('content')?.getAttribute('aria-busy') !== 'true');
    assert.deepEqual(await ui.accessibilityViolations(), [], `on ${route}`);
  }
});

step('repeated wrong passwords lock the account, with a time to wait until', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await ui.waitForHeading('Sign in');
  const message = page.locator('#message');
  for (let attempt = 0; attempt < 8; attempt += 1) {
    await page.getByLabel('User name').fill('manager');
    await page.getByLabel('Password', { exact: true }).fill(`wrong password ${attempt}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('form button[type=submit]')?.disabled);
    if (/locked until/.test(await message.textContent())) break;
  }
  assert.match(await message.textContent(),
    /^Too many wrong tries: this account is locked until \d\d:\d\d\. Wait, or ask another manager\.$/);
  assert.equal(await ui.heading(), 'Sign in');
  await ui.screenshot('console-login-locked.png');
});

step('the console behaved: no script errors, no CSP violations, every POST protected', async () => {
  assert.deepEqual(ui.problems, []);
  assert.deepEqual(ui.unsafePosts, []);
  assert.deepEqual(ui.dialogs, []);
});
