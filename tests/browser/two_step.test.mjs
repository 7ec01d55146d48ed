// Two-step sign-in (SPEC C4) in Debian's Chromium against the real collector, which requires it
// of managers: the first manager, once their password is chosen, is taken to set it up and sees
// no navigation until they have; the key scanned from the QR code on the screen (jsQR) into
// "the app" (Debian's oathtool) gives the code that turns it on and the recovery codes; signing
// in then asks for the code; a wrong code is refused in words; a recovery code works in its
// place; no CSP, script or serious accessibility problems.
//
//   CLUBSAFE_COLLECTOR=…/clubsafe-collector CLUBSAFE_ARTIFACTS=…/test-artifacts \
//   node --test tests/browser/two_step.test.mjs
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { consoleSuite, requiredEnv, run } from './lib/harness.mjs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

const COLLECTOR = requiredEnv('CLUBSAFE_COLLECTOR');
const NEW_PASSWORD = 'kettle orbit violin seven';

let baseUrl;
let oneTimePassword;
let ui;
let page;
const suite = consoleSuite('two-step', COLLECTOR, ['auth.require_totp_for=manager', 'auth.sign_in_burst=100']);
const step = suite.step;
let key = '';
let recoveryCodes = [];

before(async () => ({ baseUrl, oneTimePassword, ui, page } = await suite.ready));

// What the phone's app shows `aheadSeconds` from now.
async function appCode(aheadSeconds = 0) {
  const at = Math.floor(Date.now() / 1000) + aheadSeconds;
  const result = await run('oathtool', ['--totp', '-b', key, '--now', '@' + at]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

// What a phone's camera reads from a screenshot of the QR code (jsQR on the decoded PNG).
function scanQrCode(png) {
  const image = PNG.sync.read(png);
  const found = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  assert.ok(found, 'no QR code could be read from the screen');
  return found.data;
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await ui.waitForHeading('Sign in');
}

async function passwordStep() {
  await page.getByLabel('User name').fill('manager');
  await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await ui.waitForHeading('Type your code');
}

async function codeStep(code) {
  await page.getByLabel('Code from your authenticator app').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

step('a manager of a club that requires it is taken to set up two-step sign-in', async () => {
  await ui.signInFirstTime(baseUrl, oneTimePassword, NEW_PASSWORD, { home: 'Two-step sign-in' });
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false);
  await page.locator('#content', { hasText: 'Your club requires it for your role.' }).waitFor();
  // Any other page brings them back here.
  await page.goto(baseUrl + '#/devices');
  await ui.waitForHeading('Two-step sign-in');
  assert.deepEqual(await ui.accessibilityViolations(), []);
});

step('the key typed into the app gives the code that turns it on, and 10 recovery codes', async () => {
  await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  const shownKey = (await page.locator('#two-step-key').textContent()).trim();
  assert.match(shownKey, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  const uri = (await page.locator('#two-step-uri').textContent()).trim();
  assert.match(uri, /^otpauth:\/\/totp\/ClubSafe:manager\?secret=/);
  // The phone scans the QR code as drawn on the screen: its key is the one shown as text, and
  // it is the scanned key that the app's codes come from.
  const scanned = scanQrCode(await page.locator('#two-step-qr').screenshot());
  assert.equal(scanned, uri);
  key = new URL(scanned).searchParams.get('secret');
  assert.equal(key, shownKey.replaceAll(' ', ''));
  // A wrong code is refused next to the field.
  ui.probing = true;
  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.locator('#two-step-code-error', { hasText: 'That code is not right' }).waitFor();
  ui.probing = false;
  await ui.screenshot('two-step-set-up.png');
  await page.getByLabel('Code from the app').fill(await appCode());
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.getByRole('heading', { name: 'Two-step sign-in is on' }).waitFor();
  recoveryCodes = (await page.locator('#recovery-codes li').allTextContents()).map((text) => text.trim());
  assert.equal(recoveryCodes.length, 10);
  for (const code of recoveryCodes) assert.match(code, /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  assert.deepEqual(await ui.accessibilityViolations(), []);
  await ui.screenshot('two-step-recovery-codes.png');
  await page.getByRole('button', { name: 'I have kept my recovery codes' }).click();
  await ui.waitForHeading('Laptops');
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), true);
});

step('signing in asks for the code after the password; a wrong one is refused', async () => {
  await signOut();
  await passwordStep();
  assert.deepEqual(await ui.accessibilityViolations(), []);
  ui.probing = true;
  await codeStep('000000');
  await page.locator('#sign-in-code-error', { hasText: 'That code is not right' }).waitFor();
  ui.probing = false;
  // The set-up code's step is spent: the app's next code.
  await codeStep(await appCode(30));
  await ui.waitForHeading('Laptops');
});

step('a recovery code signs in in place of the app, once; the page counts what is left', async () => {
  await signOut();
  await passwordStep();
  await codeStep(recoveryCodes[0].toUpperCase());
  await ui.waitForHeading('Laptops');
  await page.getByRole('link', { name: 'Two-step sign-in' }).click();
  await ui.waitForHeading('Two-step sign-in');
  await page.locator('#recovery-codes-left', { hasText: 'You have 9 recovery codes left.' }).waitFor();
  await signOut();
  await passwordStep();
  ui.probing = true;
  await codeStep(recoveryCodes[0]);
  await page.locator('#sign-in-code-error', { hasText: 'used already' }).waitFor();
  ui.probing = false;
  await codeStep(recoveryCodes[1]);
  await ui.waitForHeading('Laptops');
});

step('no CSP or script problems', async () => {
  assert.deepEqual(ui.problems, []);
  assert.deepEqual(ui.dialogs, []);
  assert.deepEqual(ui.unsafePosts, []);
});
