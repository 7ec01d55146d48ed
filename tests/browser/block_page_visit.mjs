// A child's visit to the agent's block page in Debian's headless Chromium (SPEC N3, N4): opens
// a blocked site's http:// address, checks what a 10-year-old and a screen reader get, keeps
// screenshots, sends "Ask for a review" and "Report a worry", and then a form from another page
// (which must be refused). Every host name goes to 127.0.0.1, as the DNS filter's block address
// sends it to the block page; the port stays the URL's. Prints what it saw as one JSON object;
// exits 1 naming the first thing that went wrong.
//
//   node tests/browser/block_page_visit.mjs http://0-casino.info:PORT/ ARTIFACTS_DIR
//
// tests/integration/block_page_test.cpp runs it against the real agent and checks that the
// events reach the real collector. Screenshots: ARTIFACTS_DIR/block-page.png,
// block-page-review-sent.png and block-page-worry-sent.png.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CLUBSAFE_CHROMIUM || '/usr/bin/chromium';
const [url, artifacts] = process.argv.slice(2);
if (!url || !artifacts) {
  console.error('usage: node block_page_visit.mjs URL ARTIFACTS_DIR');
  process.exit(2);
}
const REVIEW_MESSAGE = 'We need it for a maths project about chance';
const WORRY_MESSAGE = 'Someone in a game keeps asking for photos & my address <3';

await mkdir(artifacts, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--host-resolver-rules=MAP * 127.0.0.1'] });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const seen = {};
  await page.goto(`${url}some/page`);
  seen.title = await page.title();
  seen.lang = await page.getAttribute('html', 'lang');
  seen.heading = await page.textContent('h1');
  seen.site = await page.textContent('.site');
  seen.reason = await page.textContent('.reason');
  seen.help = await page.textContent('main');
  // Every field is labelled, so a screen reader names it; nothing runs as a script.
  seen.unlabelled = await page.$$eval('textarea, input:not([type=hidden])',
    (fields) => fields.filter((field) => field.labels.length === 0).map((field) => field.outerHTML));
  seen.scripts = await page.$$eval('script', (scripts) => scripts.length);
  await page.screenshot({ path: join(artifacts, 'block-page.png'), fullPage: true });

  await page.getByLabel('Why do you need this site?').fill(REVIEW_MESSAGE);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Ask for a review' }).click()]);
  seen.reviewAnswer = await page.textContent('h1');
  await page.screenshot({ path: join(artifacts, 'block-page-review-sent.png'), fullPage: true });

  await page.goto(url);
  await page.getByLabel('Someone I met or talk to online').check();
  await page.getByLabel('Tell us what happened').fill(WORRY_MESSAGE);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Report a worry' }).click()]);
  seen.worryAnswer = await page.textContent('h1');
  seen.worryText = await page.textContent('main');
  await page.screenshot({ path: join(artifacts, 'block-page-worry-sent.png'), fullPage: true });

  // A page elsewhere that knows the form's fields but not this run's token.
  await page.setContent(`<form method="post" action="${url}worry"><input name="about" value="bullying">
    <input name="message" value="fake"><input name="token" value="guess"><button>go</button></form>`);
  await Promise.all([page.waitForNavigation(), page.click('button')]);
  seen.elsewhereAnswer = await page.textContent('h1');
  console.log(JSON.stringify(seen));
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
