// Prints, as one JSON object, what Debian's headless Chromium makes of the machine's managed
// policies: every policy chrome://policy lists as set, with its value and status ("OK", or
// "Error" for a name or value it does not accept), and the address a Google search was sent
// to. Nothing leaves the machine: the search is answered inside the browser.
//
//   node tests/browser/managed_policy_probe.mjs   (CLUBSAFE_CHROMIUM overrides /usr/bin/chromium)
//
// tests/integration/protection/browser_policy_test.cpp runs it after installing the agent's
// policy file; it needs root only for that, not for this.
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CLUBSAFE_CHROMIUM || '/usr/bin/chromium';
const LOAD_MS = 15_000;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // Chromium refuses its sandbox to root, and the test runs as root to write /etc.
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage();
  await page.goto('chrome://policy', { timeout: LOAD_MS });
  // The rows live in the page's shadow roots, which locators (unlike querySelector) reach.
  const rows = page.locator('.policy.row');
  await rows.first().waitFor({ timeout: LOAD_MS });
  const listed = await rows.evaluateAll((elements) => elements.map((row) => {
    const text = (selector) => (row.querySelector(selector)?.innerText || '').trim();
    return { name: text('.name'), value: text('.value'), status: text('.messages') };
  }));
  const policies = {};
  for (const { name, value, status } of listed) {
    if (status !== 'Not set.') policies[name] = { value, status };
  }

  // ForceGoogleSafeSearch makes Chromium add safe=active to every Google search it sends.
  const requested = [];
  await page.route('**/*', (route) => {
    requested.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/plain', body: 'ok' });
  });
  await page.goto('https://www.google.com/search?q=clubsafe', { timeout: LOAD_MS });
  console.log(JSON.stringify({ policies, googleSearchSentTo: requested[0] || '' }));
} finally {
  await browser.close();
}
