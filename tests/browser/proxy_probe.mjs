// A young person's try at a proxy (issue 14, docs/CIRCUMVENTION.md): Debian's headless Chromium
// started with --proxy-server, as anyone can start it, opens a site. With the agent's managed
// policies in force the proxy is ignored: the name goes through the system resolver (the DNS
// filter) and a blocked site shows the block page. Prints {loaded, url, text} as one JSON object:
// `text` is the start of the page's text, empty when nothing loaded.
//
//   node tests/browser/proxy_probe.mjs PROXY URL     (for example socks5://198.51.100.7:1080)
//
// tests/integration/toolkit/young_persons_toolkit_test.cpp runs it, as root (so with
// --no-sandbox), in its own network and mount namespaces.
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CLUBSAFE_CHROMIUM || '/usr/bin/chromium';
const LOAD_MS = 10_000;
const [proxy, url] = process.argv.slice(2);
if (!proxy || !url) {
  console.error('usage: node proxy_probe.mjs PROXY URL');
  process.exit(2);
}

// The flag as a person types it, not playwright's own proxy option.
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', `--proxy-server=${proxy}`],
});
try {
  const page = await browser.newPage();
  let loaded = true;
  try {
    await page.goto(url, { timeout: LOAD_MS });
  } catch {
    loaded = false;
  }
  const text = loaded ? (await page.locator('body').innerText()).slice(0, 400) : '';
  console.log(JSON.stringify({ loaded, url: page.url(), text }));
} finally {
  await browser.close();
}
