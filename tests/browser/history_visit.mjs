// Makes a real browser history file: Debian's headless Chromium, with its profile in PROFILE_DIR,
// visits each page of PAGES_JSON on a local server that answers for every host name
// (lib/history_pages.mjs), then closes, leaving PROFILE_DIR/Default/History as Chromium wrote it.
// PAGES_JSON is a list of { "url": ..., "title": ... }; a page without a title is a search
// engine's result page, titled with its terms. Prints { "visited": N }; exits 1 on any failure.
//
//   node tests/browser/history_visit.mjs PROFILE_DIR PAGES_JSON
//
// tests/integration/history_alert_test.cpp runs it as a young person's account and has the real
// agent read the history it leaves.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { searchPageTitle, startPageServer } from './lib/history_pages.mjs';

const CHROMIUM = process.env.CLUBSAFE_CHROMIUM || '/usr/bin/chromium';
const [profile, pagesJson] = process.argv.slice(2);
if (!profile || !pagesJson) {
  console.error('usage: node history_visit.mjs PROFILE_DIR PAGES_JSON');
  process.exit(2);
}
const pages = JSON.parse(pagesJson);
const titles = new Map(pages.filter((page) => page.title).map((page) => [new URL(page.url).pathname, page.title]));

const dir = await mkdtemp(join(tmpdir(), 'clubsafe-history-visit-'));
const server = await startPageServer(dir, { titleFor: (url) => titles.get(url.pathname) || searchPageTitle(url) });
try {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, ignoreHTTPSErrors: true,
    args: [`--host-resolver-rules=MAP * 127.0.0.1:${server.port}`],
  });
  try {
    const page = await context.newPage();
    for (const { url } of pages) await page.goto(url);
  } finally {
    // Closing is what makes Chromium write the last visits and titles to History.
    await context.close();
  }
  console.log(JSON.stringify({ visited: pages.length }));
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  server.close();
  await rm(dir, { recursive: true, force: true });
}
