// The DSL's day (issue 12) in Debian's Chromium, every part real: a young person's worry report
// goes through a real agent's notice socket (the real protocol, from a login the agent allows);
// the agent sends it at once (its upload tick is 60 s); the collector e-mails the DSL through a
// real mail server (Debian's python3-aiosmtpd, STARTTLS and a password required) within 60 s,
// measured, and the mail holds no name and no words of the report; a manager who is not a DSL
// sees the count and gets 403 on the alert; the DSL, whose role the club requires two-step
// sign-in for, sets it up with codes from Debian's oathtool, opens the alert with its words as
// inert text, acknowledges it, records an incident from it, ticks appendix 2's actions, records
// a decision to share and one not to, and closes the incident with lessons learnt; the access
// log shows the DSL's looks; no CSP, script or serious accessibility problems.
//
//   CLUBSAFE_COLLECTOR=…/clubsafe-collector CLUBSAFE_AGENT=…/clubsafe-agent \
//   CLUBSAFE_SMTP_SERVER=…/tests/integration/mail/smtp_server.py \
//   CLUBSAFE_ARTIFACTS=…/test-artifacts node --test tests/browser/dsl_day.test.mjs
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  consoleSuite, freePort, log, requiredEnv, run, shellWords, startProcess, waitForOutput, waitUntil,
} from './lib/harness.mjs';

const COLLECTOR = requiredEnv('CLUBSAFE_COLLECTOR');
const AGENT = requiredEnv('CLUBSAFE_AGENT');
const SMTP_SERVER = requiredEnv('CLUBSAFE_SMTP_SERVER');
const NEW_PASSWORD = 'kettle orbit violin seven';
const HOSTILE = '"><img src=x onerror=alert(1)> <script>alert(2)</script>';
const WORRY = 'A man in a game wants photos and says keep it secret ' + HOSTILE;

// The mail server, before the collector that sends through it.
const work = await mkdtemp(join(tmpdir(), 'clubsafe-dsl-day-'));
const mailbox = join(work, 'mailbox');
await mkdir(mailbox);
const smtpPort = await freePort();
const certificate = join(work, 'smtp.crt');
const made = await run('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
  '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(work, 'smtp.key'),
  '-out', certificate]);
assert.equal(made.code, 0, made.stderr);
await writeFile(join(work, 'mail-password'), 'mail password\n');
const smtp = startProcess('smtp', '/usr/bin/python3', [SMTP_SERVER, '--port', String(smtpPort),
  '--cert', certificate, '--key', join(work, 'smtp.key'), '--user', 'clubsafe',
  '--password', 'mail password', '--folder', mailbox]);
await waitForOutput('smtp', smtp, /ready/);

const suite = consoleSuite('dsl-day', COLLECTOR, [
  'auth.require_totp_for=dsl', 'auth.sign_in_burst=100',
  'mail.smtp_host=127.0.0.1', `mail.smtp_port=${smtpPort}`, `mail.ca_file=${certificate}`,
  'mail.username=clubsafe', `mail.password_file=${join(work, 'mail-password')}`,
  'mail.from=clubsafe@club.example', 'mail.dsl_to=dsl@club.example', 'mail.check_interval=1',
]);
const step = suite.step;
let baseUrl;
let oneTimePassword;
let ui;
let page;
let dslPassword;
let noticeSocket;
let alertId;
let key = '';

before(async () => ({ baseUrl, oneTimePassword, ui, page } = await suite.ready));

const nav = () => page.getByRole('navigation', { name: 'Main' });
const inert = async () => assert.equal(await page.locator('#content img, #content script').count(), 0);
const message = (text) => page.locator('#message', { hasText: text }).waitFor();

async function appCode() {
  const result = await run('oathtool', ['--totp', '-b', key]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

// One request on the notice socket, as the notice program sends it; resolves with the reply.
function noticeRequests(socketPath, requests) {
  return new Promise((done, fail) => {
    const socket = connect(socketPath);
    const replies = [];
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', fail);
    socket.on('connect', () => socket.write(requests.map((r) => JSON.stringify(r) + '\n').join('')));
    socket.on('data', (text) => {
      buffered += text;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const reply = JSON.parse(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
        if (reply.type === 'reply') replies.push(reply);
        if (replies.length === requests.length) {
          socket.end();
          done(replies);
        }
      }
    });
  });
}

async function mails() {
  const names = (await readdir(mailbox)).filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(names.map((name) => readFile(join(mailbox, name), 'utf8')));
}

step('the manager signs in, adds the DSL and enrols a real agent', async () => {
  await ui.signInFirstTime(baseUrl, oneTimePassword, NEW_PASSWORD);
  const added = await ui.consoleCall('POST', '/api/console/users', { username: 'dee', roles: ['dsl'] });
  assert.equal(added.status, 201, added.text);
  dslPassword = JSON.parse(added.text).one_time_password;

  const created = await ui.consoleCall('POST', '/api/console/enrolment-tokens', { label: 'hall' });
  assert.equal(created.status, 201, created.text);
  const words = shellWords(JSON.parse(created.text).command);
  const agentState = join(work, 'agent');
  const enrol = await run(AGENT, [...words.slice(2), '--name', 'Hall laptop', '--define', `agent.state_dir=${agentState}`]);
  assert.equal(enrol.code, 0, enrol.stdout + enrol.stderr);
  noticeSocket = join(work, 'notice.sock');
  const agent = startProcess('agent', AGENT, ['run', '--define', `agent.state_dir=${agentState}`,
    '--define', 'dns.enabled=false', '--define', 'blockpage.enabled=false',
    '--define', `notices.socket_path=${noticeSocket}`,
    '--define', `notices.allowed_users=${userInfo().username}`,
    // A long upload tick: the worry report must not wait for it.
    '--define', 'upload.interval=60', '--define', 'heartbeat.interval=3600']);
  await waitForOutput('agent', agent, /[Nn]otice/);
  await waitUntil('the notice socket', async () => {
    try {
      return (await noticeRequests(noticeSocket, [{ type: 'hello', id: 1 }]))[0].ok;
    } catch (_) {
      return false;
    }
  });
});

step('a young person reports a worry; the DSL is e-mailed within 60 s, with no name or words', async () => {
  const sentAt = Date.now();
  const [hello, worry] = await noticeRequests(noticeSocket, [
    { type: 'hello', id: 1 },
    { type: 'report_worry', id: 2, about: 'someone_online', message: WORRY },
  ]);
  assert.ok(hello.ok && worry.ok, JSON.stringify(worry));
  await waitUntil('the e-mail to the DSL', async () => (await mails()).length > 0, 250, 60_000);
  const seconds = (Date.now() - sentAt) / 1000;
  log('mail-timing', `worry report sent through the notice socket to e-mail received: ${seconds} s\n`);
  await writeFile(join(suite.artifacts, 'dsl-day-mail-seconds.txt'), `${seconds}\n`);
  assert.ok(seconds < 60, `${seconds} s`);
  const [mail] = await mails();
  assert.match(mail, /Subject: clubsafe: a young person has asked for help/);
  assert.match(mail, /To: <dsl@club\.example>/);
  assert.match(mail, /#\/alerts/);
  for (const secret of ['photos', 'secret', 'game', 'script', 'onerror']) {
    assert.ok(!mail.includes(secret), `${secret} in the e-mail:\n${mail}`);
  }
});

step('a manager who is not a DSL sees the count but not the alert', async () => {
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const answer = await ui.consoleCall('GET', `/api/console/dashboard?from=${day(-1)}&to=${day(1)}`);
  assert.equal(answer.status, 200, answer.text);
  const dashboard = JSON.parse(answer.text);
  assert.equal(dashboard.totals.alerts, 1, answer.text);
  ui.probing = true;
  assert.equal(await ui.apiStatus('/api/console/alerts'), 403);
  const alerts = await ui.consoleCall('GET', '/api/console/alerts/1');
  assert.equal(alerts.status, 403);
  ui.probing = false;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await ui.waitForHeading('Sign in');
});

step('the DSL signs in and must first set up two-step sign-in, with codes from oathtool', async () => {
  await ui.signInFirstTime(baseUrl, dslPassword, NEW_PASSWORD, { username: 'dee', home: 'Two-step sign-in' });
  await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  key = (await page.locator('#two-step-key').textContent()).trim();
  await page.getByLabel('Code from the app').fill(await appCode());
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.getByRole('heading', { name: 'Two-step sign-in is on' }).waitFor();
  assert.equal((await page.locator('#recovery-codes li').allTextContents()).length, 10);
  await page.getByRole('button', { name: 'I have kept my recovery codes' }).click();
  await ui.waitForHeading('Dashboard');
});

step('the DSL opens the worry report: the words as text, the laptop, acknowledged', async () => {
  await nav().getByRole('link', { name: 'Alerts' }).click();
  await ui.waitForHeading('Alerts');
  const row = page.locator('#alerts-table tbody tr').first();
  await row.waitFor();
  assert.match(await row.textContent(), /Level 5.*Worry report.*Hall laptop.*New/s);
  await row.getByRole('link').click();
  await ui.waitForHeading('Alert ');
  alertId = Number(new URL(page.url()).hash.match(/id=(\d+)/)[1]);
  await page.locator('#content', { hasText: WORRY }).first().waitFor();
  await inert();
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await message('The alert is acknowledged.');
  await ui.screenshot('dsl-day-alert.png');
});

step('the DSL records an incident from it and runs it to closure', async () => {
  await page.goto(baseUrl + `#/incidents?alert=${alertId}`);
  await ui.waitForHeading('Incidents');
  await page.getByLabel('Category').selectOption({ label: 'Online child sexual abuse and exploitation' });
  await page.getByLabel('Short title').fill('Adult asking for photos in a game');
  await page.getByLabel('What happened').fill('Worry report ' + HOSTILE);
  await page.getByRole('button', { name: 'Open the incident' }).click();
  await ui.waitForHeading('Incident ');
  for (const [action, reference] of [['Designated Person for Child Protection notified', ''],
    ['Parents or carers informed', ''], ['Report to CEOP', 'CEOP-2026-118']]) {
    await page.getByLabel('Action done').selectOption({ label: action });
    await page.getByLabel('Reference number').fill(reference);
    await page.getByRole('button', { name: 'Record the action' }).click();
    await message('The action is recorded.');
    await page.locator('#checklist-table tbody tr', { hasText: action }).filter({ hasText: ' by dee' }).waitFor();
  }
  await page.locator('#checklist-table tbody tr', { hasText: 'CEOP-2026-118' }).waitFor();
  for (const [decision, whom, why] of [['Shared', 'CEOP', 'Risk of sexual exploitation'],
    ['Not shared', 'The other players', 'Not necessary or proportionate']]) {
    await page.getByLabel('Decision', { exact: true }).selectOption({ label: decision });
    await page.getByLabel('What information').fill('The worry report');
    if (decision === 'Shared') await page.getByLabel('Lawful basis or consent').fill('Vital interests');
    await page.getByLabel('With whom (person or agency)').fill(whom);
    await page.getByLabel('Purpose').fill('Protect the young person');
    await page.getByLabel('Why this decision').fill(why);
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await message('The decision is recorded.');
    await page.locator('#sharing-table', { hasText: whom }).waitFor();
  }
  const sharing = await page.locator('#sharing-table').textContent();
  assert.ok(sharing.includes('Not shared') && sharing.includes('CEOP'), sharing);
  await page.getByRole('textbox', { name: 'Outcome' }).fill('Referred; the young person supported');
  await page.getByRole('textbox', { name: 'Lessons learnt' }).fill('Remind members how to report in games');
  await page.getByRole('button', { name: 'Close the incident' }).click();
  await message('The incident is closed.');
  await inert();
  await ui.screenshot('dsl-day-incident-closed.png');

  const alert = JSON.parse((await ui.consoleCall('GET', `/api/console/alerts/${alertId}`)).text);
  assert.equal(alert.alert?.state ?? alert.state, 'escalated', JSON.stringify(alert).slice(0, 300));
});

step('the access log shows the DSL\'s looks; no CSP, script or accessibility problems', async () => {
  await nav().getByRole('link', { name: 'Access log' }).click();
  await ui.waitForHeading('Access log');
  const text = await page.locator('#access-log-table').textContent();
  assert.match(text, /dee.*Opened an alert/s);
  assert.match(text, /incident/i);
  assert.deepEqual(await ui.accessibilityViolations(), []);
  assert.deepEqual(ui.problems.filter((problem) => !/status of 403/.test(problem)), []);
  assert.deepEqual(ui.dialogs, []);
  assert.deepEqual(ui.unsafePosts, []);
  await rm(work, { recursive: true, force: true });
});
