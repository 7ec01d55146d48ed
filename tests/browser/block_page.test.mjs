// The block page (SPEC N3, N4) in Debian's Chromium: the real block page server
// (block_page_probe: the agent's profile filter on UT1's real gambling list, its outbox and its
// socket owners) on 127.0.0.1, every host name mapped there. The page for a blocked name is
// checked and screenshotted, both forms are sent, and their events are read from the outbox.
//
//   CLUBSAFE_BLOCK_PAGE_PROBE=…/block_page_probe CLUBSAFE_UT1=…/blocklists/ut1 \
//   CLUBSAFE_ARTIFACTS=…/test-artifacts node --test tests/browser/block_page.test.mjs
//
// Screenshots: $CLUBSAFE_ARTIFACTS/block-page.png, block-page-review-sent.png and
// block-page-worry-sent.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
const PROBE = process.env.CLUBSAFE_BLOCK_PAGE_PROBE;
const UT1 = process.env.CLUBSAFE_UT1;
const ARTIFACTS = resolve(process.env.CLUBSAFE_ARTIFACTS || join(process.cwd(), 'test-artifacts'));
const CHROMIUM = process.env.CLUBSAFE_CHROMIUM || '/usr/bin/chromium';
if (!PROBE || !UT1) throw new Error('Set CLUBSAFE_BLOCK_PAGE_PROBE and CLUBSAFE_UT1 (tests/browser/CMakeLists.txt).');

let dir;
let server;
let port;
let output = '';
let browser;

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'clubsafe-block-page-'));
  server = spawn(PROBE, ['serve', dir, UT1], { stdio: ['pipe', 'pipe', 'pipe'] });
  server.stderr.setEncoding('utf8');
  server.stderr.on('data', (text) => { output += text; });
  port = await new Promise((done, fail) => {
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', (text) => {
      output += text;
      const found = /port (\d+)/.exec(output);
      if (found) done(Number(found[1]));
    });
    server.once('exit', (code) => fail(new Error(`block_page_probe ended (${code}): ${output}`)));
  });
  // Every name to the server, as the DNS filter's block address would send it; the port stays.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--host-resolver-rules=MAP * 127.0.0.1'] });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((done) => server.once('exit', done));
    server.stdin.end();
    await exited;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function events() {
  const { stdout } = await run(PROBE, ['events', dir]);
  return stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

test('a blocked name gets a page a 10-year-old can read, with both forms working', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const url = `http://0-casino.info:${port}/`;
  await page.goto(`${url}some/page`);
  assert.equal(await page.title(), 'This site is blocked');
  assert.equal(await page.getAttribute('html', 'lang'), 'en-GB');
  assert.equal(await page.textContent('h1'), 'This site is blocked');
  assert.equal(await page.textContent('.site'), '0-casino.info');
  assert.match(await page.textContent('.reason'), /The reason: gambling\./);
  const text = await page.textContent('main');
  assert.match(text, /report to CEOP if someone online is making you feel unsafe/);
  assert.match(text, /0800 1111/);
  // Every field is labelled, so a screen reader names it.
  const unlabelled = await page.$$eval('textarea, input:not([type=hidden])',
    (fields) => fields.filter((field) => field.labels.length === 0).map((field) => field.outerHTML));
  assert.deepEqual(unlabelled, []);
  assert.equal(await page.$$eval('script', (scripts) => scripts.length), 0);
  await page.screenshot({ path: join(ARTIFACTS, 'block-page.png'), fullPage: true });

  await page.getByLabel('Why do you need this site?').fill('We need it for a maths project about chance');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Ask for a review' }).click()]);
  assert.equal(await page.textContent('h1'), 'Thank you: your request is sent');
  await page.screenshot({ path: join(ARTIFACTS, 'block-page-review-sent.png'), fullPage: true });

  await page.goto(url);
  await page.getByLabel('Someone I met or talk to online').check();
  await page.getByLabel('Tell us what happened').fill('Someone in a game keeps asking for photos & my address <3');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Report a worry' }).click()]);
  assert.equal(await page.textContent('h1'), 'Thank you for telling us');
  assert.match(await page.textContent('main'), /Only they will read it/);
  await page.screenshot({ path: join(ARTIFACTS, 'block-page-worry-sent.png'), fullPage: true });

  const saved = await events();
  const me = userInfo().username;
  assert.deepEqual(saved.map((e) => [e.type, e.os_user]).sort(), [['review_request', me], ['worry_report', me]]);
  const review = saved.find((e) => e.type === 'review_request');
  assert.deepEqual(review.payload, { domain: '0-casino.info', category: 'gambling', message: 'We need it for a maths project about chance' });
  const worry = saved.find((e) => e.type === 'worry_report');
  assert.deepEqual(worry.payload, { about: 'someone_online', message: 'Someone in a game keeps asking for photos & my address <3' });
  await page.close();
});

test('a form sent from another page is refused and records nothing', async () => {
  const before = (await events()).length;
  const page = await browser.newPage();
  // A page elsewhere that knows the form's fields but not this run's token.
  await page.setContent(`<form method="post" action="http://0-casino.info:${port}/worry"><input name="about" value="bullying">
    <input name="message" value="fake"><input name="token" value="guess"><button>go</button></form>`);
  await Promise.all([page.waitForNavigation(), page.click('button')]);
  assert.equal(await page.textContent('h1'), 'That did not work');
  assert.equal((await events()).length, before);
  await page.close();
});
