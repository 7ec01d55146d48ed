// Browser history as the agent reads it (SPEC R3, R5): Debian's Chromium (and firefox-esr when it
// is installed) visit pages, searches included, on a local server that answers for every host
// name, and history_probe reads the profile they wrote, while the browser runs and after it closed.
//
//   CLUBSAFE_HISTORY_PROBE=…/history_probe node --test tests/browser/history.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { searchPageTitle, startPageServer } from './lib/history_pages.mjs';

const run = promisify(execFile);
const PROBE = process.env.CLUBSAFE_HISTORY_PROBE;
const CHROMIUM = process.env.CLUBSAFE_CHROMIUM || '/usr/bin/chromium';
const FIREFOX = process.env.CLUBSAFE_FIREFOX || '/usr/bin/firefox-esr';
const WAIT_MS = 90_000;
if (!PROBE) throw new Error('Set CLUBSAFE_HISTORY_PROBE to the history_probe program (tests/browser/CMakeLists.txt).');

const TITLES = new Map([
  ['/club', 'Club news'],
  ['/thread/42', 'I want to die - anonymous forum'],
]);
// Firefox is not driven by playwright: each page it is sent to leads on to the next in the list.
const FIREFOX_PAGES = [
  'http://www.example.org/club',
  'http://www.google.com/search?q=how+to+bake+bread',
  'http://www.bing.com/search?q=bus+times',
  'http://www.youtube.com/results?search_query=guitar+lesson',
  'http://forum.example.net/thread/42',
];

let dir;
let server;
let port;

function titleFor(url) {
  return TITLES.get(url.pathname) || searchPageTitle(url);
}

// Firefox, which uses the server as a proxy, is led from each page of its list to the next.
function nextAfter(url, { proxied }) {
  return proxied && FIREFOX_PAGES.includes(url.href) ? FIREFOX_PAGES[FIREFOX_PAGES.indexOf(url.href) + 1] : undefined;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clubsafe-history-'));
  server = await startPageServer(dir, { titleFor, nextAfter });
  port = server.port;
});

after(async () => {
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function probe(stateDir, browser, database, detail = 'url_and_title') {
  const { stdout } = await run(PROBE, [stateDir, browser, database, detail]);
  return stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

const visits = (events) => events.filter((e) => e.type === 'browser_visit');
const searches = (events) => events.filter((e) => e.type === 'search_term').map((e) => `${e.payload.engine}: ${e.payload.terms}`);
const alerts = (events) => events.filter((e) => e.type === 'safeguarding_alert');

// Polls the probe until `wanted` says its events are complete; browsers write history late.
async function probeUntil(stateDir, browser, database, wanted) {
  const deadline = Date.now() + WAIT_MS;
  const seen = [];
  for (;;) {
    if (existsSync(database)) seen.push(...await probe(stateDir, browser, database));
    if (wanted(seen) || Date.now() > deadline) return seen;
    await new Promise((done) => setTimeout(done, 1000));
  }
}

test('Chromium history is read while the browser runs and after it closed, searches and alerts included', async () => {
  const profile = join(dir, 'chromium');
  const state = join(dir, 'chromium-state');
  const database = join(profile, 'Default', 'History');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, ignoreHTTPSErrors: true,
    args: [`--host-resolver-rules=MAP * 127.0.0.1:${port}`],
  });
  let closed = false;
  try {
    const page = await context.newPage();
    for (const url of ['http://www.example.org/club', 'http://www.google.com/search?q=how+to+tie+a+tie',
      'http://www.bing.com/search?q=weather+in+leeds', 'http://www.youtube.com/results?search_query=funny+cats',
      'http://forum.example.net/thread/42']) {
      await page.goto(url);
    }
    const running = await probeUntil(state, 'chromium', database, (events) => visits(events).length >= 5);
    const urls = visits(running).map((e) => e.payload.url);
    assert.deepEqual(urls, ['http://www.example.org/club', 'http://www.google.com/search?q=how+to+tie+a+tie',
      'https://www.bing.com/search?q=weather+in+leeds', 'https://www.youtube.com/results?search_query=funny+cats',
      'http://forum.example.net/thread/42']);
    assert.equal(visits(running)[0].payload.title, 'Club news');
    assert.equal(visits(running)[0].payload.browser, 'chromium');
    assert.equal(visits(running)[0].os_user, 'tester');
    assert.deepEqual(searches(running), ['google: how to tie a tie', 'bing: weather in leeds', 'youtube: funny cats']);
    assert.deepEqual(alerts(running).map((e) => [e.payload.category, e.payload.source, e.payload.context]),
      [['self-harm', 'page_title', 'I want to die - anonymous forum']]);

    await page.goto('http://www.google.com/search?q=bike+repair');
    await context.close();
    closed = true;
    const afterClose = await probeUntil(state, 'chromium', database, (events) => visits(events).length >= 1);
    assert.deepEqual(visits(afterClose).map((e) => e.payload.url), ['http://www.google.com/search?q=bike+repair']);
    assert.deepEqual(searches(afterClose), ['google: bike repair']);
    assert.deepEqual(await probe(state, 'chromium', database), []);
    // Another reader with domain detail sees hosts only, and no search terms.
    const domains = await probe(join(dir, 'chromium-domains'), 'chromium', database, 'domain');
    assert.ok(visits(domains).every((e) => /^https?:\/\/[^/]+\/$/.test(e.payload.url) && !('title' in e.payload)));
    assert.deepEqual(searches(domains), []);
  } finally {
    if (!closed) await context.close();
  }
});

test('Firefox history is read from places.sqlite and its WAL while firefox-esr runs headless',
  { skip: !existsSync(FIREFOX) && `${FIREFOX} is not installed` }, async () => {
    const profile = join(dir, 'firefox');
    const state = join(dir, 'firefox-state');
    const database = join(profile, 'places.sqlite');
    await run('mkdir', ['-p', profile]);
    // Every request goes to the local server as a proxy; no upgrades to HTTPS.
    await writeFile(join(profile, 'user.js'), [
      'user_pref("network.proxy.type", 1);',
      'user_pref("network.proxy.http", "127.0.0.1");',
      `user_pref("network.proxy.http_port", ${port});`,
      'user_pref("network.proxy.allow_hijacking_localhost", true);',
      'user_pref("network.stricttransportsecurity.preloadlist", false);',
      'user_pref("dom.security.https_first", false);',
      'user_pref("browser.shell.checkDefaultBrowser", false);',
      'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
    ].join('\n') + '\n');
    const firefox = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, FIREFOX_PAGES[0]],
      { stdio: 'ignore', env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } });
    const exited = new Promise((done) => firefox.once('exit', done));
    try {
      const running = await probeUntil(state, 'firefox', database, (events) => visits(events).length >= FIREFOX_PAGES.length);
      assert.deepEqual(visits(running).map((e) => e.payload.url), FIREFOX_PAGES);
      assert.equal(visits(running)[0].payload.browser, 'firefox');
      assert.equal(visits(running)[0].payload.title, 'Club news');
      assert.deepEqual(searches(running), ['google: how to bake bread', 'bing: bus times', 'youtube: guitar lesson']);
      assert.deepEqual(alerts(running).map((e) => [e.payload.category, e.payload.source]), [['self-harm', 'page_title']]);
      assert.ok(existsSync(`${database}-wal`), 'Firefox keeps recent history in its WAL while it runs');
    } finally {
      firefox.kill('SIGTERM');
      const timer = setTimeout(() => firefox.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    assert.deepEqual(await probe(state, 'firefox', database), []);
  });
