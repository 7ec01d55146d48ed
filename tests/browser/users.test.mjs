// The Users page and roles (SPEC C4) in Debian's Chromium against the real collector: the
// manager adds users with roles and gets their one-time passwords, a hostile user name shows as
// inert text, roles are changed, a password reset and a user disabled; a youth worker and a
// trustee sign in and see only the pages their roles reach; no CSP, script or serious
// accessibility problems.
//
//   CLUBSAFE_COLLECTOR=…/clubsafe-collector CLUBSAFE_ARTIFACTS=…/test-artifacts \
//   node --test tests/browser/users.test.mjs
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { consoleSuite, requiredEnv } from './lib/harness.mjs';

const COLLECTOR = requiredEnv('CLUBSAFE_COLLECTOR');
const NEW_PASSWORD = 'kettle orbit violin seven';
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';

let baseUrl;
let oneTimePassword;
let ui;
let page;
const suite = consoleSuite('users', COLLECTOR);
const step = suite.step;
const passwords = new Map();  // user name -> one-time password

before(async () => ({ baseUrl, oneTimePassword, ui, page } = await suite.ready));

const nav = () => page.getByRole('navigation', { name: 'Main' });
const usersRow = (name) => page.locator('#users-table tbody tr', { has: page.getByRole('rowheader', { name, exact: true }) });

async function navLinks() {
  return nav().getByRole('link').allTextContents();
}

async function addUser(name, roleNames) {
  await page.getByLabel('User name').fill(name);
  const form = page.locator('section', { has: page.getByRole('heading', { name: 'Add a user' }) });
  for (const role of roleNames) await form.getByLabel(role, { exact: false }).check();
  await form.getByRole('button', { name: 'Add user' }).click();
  await page.locator('#one-time-password h2', { hasText: 'One-time password for ' + name }).waitFor();
  passwords.set(name, (await page.locator('#one-time-password-value').textContent()).trim());
  await usersRow(name).waitFor();
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await ui.waitForHeading('Sign in');
}

async function signIn(name, password, home) {
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await ui.waitForHeading(home);
}

step('the manager signs in and the Users page lists them', async () => {
  await ui.signInFirstTime(baseUrl, oneTimePassword, NEW_PASSWORD);
  assert.ok((await navLinks()).includes('Users'));
  await nav().getByRole('link', { name: 'Users' }).click();
  await ui.waitForHeading('Users');
  const me = usersRow('manager (you)');
  await me.waitFor();
  assert.match(await me.textContent(), /Manager.*Active/);
});

step('users are added with roles and one-time passwords; a hostile name is text', async () => {
  await addUser('will', ['Youth worker']);
  await addUser('tess', ['Trustee']);
  await addUser(HOSTILE, ['Youth worker']);
  assert.equal(await page.locator('#content img, #content script').count(), 0);
  assert.match(await usersRow(HOSTILE).textContent(), /Youth worker.*Has a one-time password/);
  // The same name again is refused, in words, next to the field.
  await page.getByLabel('User name').fill('will');
  const form = page.locator('section', { has: page.getByRole('heading', { name: 'Add a user' }) });
  await form.getByLabel('Trustee').check();
  await form.getByRole('button', { name: 'Add user' }).click();
  await page.locator('#message', { hasText: 'There is already a user called will' }).waitFor();
  await ui.screenshot('users-added.png');
});

step('roles are changed, a password reset and a user disabled', async () => {
  await usersRow(HOSTILE).getByRole('button', { name: 'Change the roles of ' + HOSTILE }).click();
  const editor = page.locator('#roles-editor');
  await editor.getByLabel('Trustee').check();
  await editor.getByRole('button', { name: 'Save roles' }).click();
  await page.locator('#message', { hasText: 'now has the roles: Youth worker, Trustee' }).waitFor();
  await usersRow(HOSTILE).filter({ hasText: 'Youth worker, Trustee' }).waitFor();

  await usersRow(HOSTILE).getByRole('button', { name: 'Reset the password of ' + HOSTILE }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reset password' }).click();
  await page.locator('#message', { hasText: 'is reset' }).waitFor();
  assert.equal(await page.locator('#content img, #content script').count(), 0);

  await usersRow(HOSTILE).getByRole('button', { name: 'Disable ' + HOSTILE }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
  await page.locator('#message', { hasText: 'is disabled and signed out' }).waitFor();
  await usersRow(HOSTILE).filter({ hasText: 'Disabled since' }).waitFor();
  // The last manager cannot disable themselves: the collector refuses, the page says why.
  await usersRow('manager (you)').getByRole('button', { name: 'Disable manager' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
  await page.locator('#message', { hasText: 'without a manager who can sign in' }).waitFor();
  assert.deepEqual(await ui.accessibilityViolations(), []);
  await ui.screenshot('users-changed.png');
});

step('a youth worker sees only In use now and the members', async () => {
  await signOut();
  await ui.signInFirstTime(baseUrl, passwords.get('will'), NEW_PASSWORD, { username: 'will', home: 'In use now' });
  assert.deepEqual(await navLinks(), ['In use now', 'Members']);
  await page.locator('#unlocks', { hasText: 'You unlocked nothing in the last 7 days.' }).waitFor();
  // A page the worker's roles do not reach, typed in, sends them home.
  await page.goto(baseUrl + '#/users');
  await ui.waitForHeading('In use now');
  ui.probing = true;
  assert.equal(await ui.apiStatus('/api/console/users'), 403);
  ui.probing = false;
  await ui.screenshot('users-worker.png');
});

step('the worker adds a member to the register, is told of a second with the same name, and removes one', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
  await ui.waitForHeading('Members');
  await page.locator('#content .empty', { hasText: 'Nobody is on the list yet' }).waitFor();
  const bands = await page.getByLabel('Age band').locator('option').allTextContents();
  assert.deepEqual(bands, ['8-12', '13-15', '16-17', '18-25']);  // youngest first, never staff
  const add = async (name, band) => {
    await page.getByLabel('First name or member code').fill(name);
    await page.getByLabel('Age band').selectOption(band);
    await page.getByLabel('Why are you making this change?').fill('Joined the club tonight');
    await page.getByRole('button', { name: 'Add member' }).click();
  };
  await add(HOSTILE, '13-15');
  await page.locator('#message', { hasText: 'can sign in as 13-15' }).waitFor();
  await add('Amira', '16-17');
  await page.locator('#members-table tbody tr', { hasText: 'Amira' }).waitFor();
  // The name as text, never as markup.
  assert.equal(await page.locator('#content img, #content script').count(), 0);
  ui.probing = true;  // the refusal's 400 is expected, not a console error
  await add(' aMIRA ', '8-12');
  await page.locator('#member-name-error', { hasText: 'already on the register' }).waitFor();
  ui.probing = false;
  assert.equal(await page.locator('#members-table tbody tr').count(), 2);
  await page.locator('#members-table tbody tr', { hasText: 'Amira' }).getByRole('button', { name: /^Remove/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox').fill('Left the club');
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await page.locator('#message', { hasText: 'Amira has been removed' }).waitFor();
  // The list is drawn again after the message: wait for it before counting.
  await page.locator('#members-table tbody tr', { hasText: 'Amira' }).waitFor({ state: 'detached' });
  await page.locator('#members-table tbody tr').first().waitFor();
  assert.equal(await page.locator('#members-table tbody tr').count(), 1);
  assert.deepEqual(await ui.accessibilityViolations(), []);
  await ui.screenshot('members-worker.png');
});

step('a trustee sees the dashboard and the signed-off reports only', async () => {
  await signOut();
  await ui.signInFirstTime(baseUrl, passwords.get('tess'), NEW_PASSWORD, { username: 'tess', home: 'Dashboard' });
  assert.deepEqual(await navLinks(), ['Dashboard', 'Audit report']);
  // The figures load, without links to the usage explorer the trustee cannot open.
  await page.locator('#dashboard-body section').first().waitFor();
  assert.equal(await page.locator('#content a[href^="#/explorer"]').count(), 0);
  await nav().getByRole('link', { name: 'Audit report' }).click();
  await ui.waitForHeading('Signed-off audit reports');
  await page.locator('#report-sign-offs', { hasText: 'No report has been signed off yet.' }).waitFor();
  assert.deepEqual(await ui.accessibilityViolations(), []);
});

step('the manager signs in again to the Laptops page; no CSP or script problems', async () => {
  await signOut();
  await signIn('manager', NEW_PASSWORD, 'Laptops');
  // The conflicting name and the refused self-disable are 409s on purpose.
  const refusals = ui.problems.filter((text) => /status of 409/.test(text));
  assert.equal(refusals.length, 2);
  assert.deepEqual(ui.problems.filter((text) => !refusals.includes(text)), []);
  assert.deepEqual(ui.dialogs, []);
  assert.deepEqual(ui.unsafePosts, []);
});
