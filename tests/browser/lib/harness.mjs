// What the browser tests share: the real programs started on 127.0.0.1 and always stopped,
// waiting for what they print, plain HTTPS requests from the test itself, and a console page in
// Debian's Chromium that records every script error, CSP violation, dialog and unprotected POST.
import { spawn, execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

export const WAIT_MS = 30_000;
export const HOST = '127.0.0.1';
const CHROMIUM = process.env.CLUBSAFE_CHROMIUM || '/usr/bin/chromium';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} to the path of the program (see tests/browser/CMakeLists.txt).`);
  return value;
}

// ------------------------------------------------------------------------------------------------
// Child processes, logged and always stopped.

export const children = [];
export const logs = new Map();  // name -> collected output

export function log(name, text) {
  logs.set(name, (logs.get(name) || '') + text);
}

export function startProcess(name, file, args) {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (text) => log(name, text));
  child.stderr.on('data', (text) => log(name, text));
  child.on('exit', (code, signal) => log(name, `\n[${name} exited: code ${code}, signal ${signal}]\n`));
  child.on('error', (error) => log(name, `\n[${name} could not start: ${error.message}]\n`));
  return child;
}

export async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await Promise.race([exited, new Promise((done) => setTimeout(done, 8_000))]);
  clearTimeout(timer);
}

// Last resort if the runner is torn down without after() running.
process.on('exit', () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out after ${ms / 1000} s waiting for ${what}`)), ms);
    }),
  ]);
}

// Resolves with the first match of `pattern` in the collected output of `name`.
export function waitForOutput(name, child, pattern) {
  return withTimeout(new Promise((done, fail) => {
    const check = () => {
      const match = pattern.exec(logs.get(name) || '');
      if (match) {
        cleanup();
        done(match);
      }
    };
    const exited = () => {
      cleanup();
      fail(new Error(`${name} exited before printing ${pattern}:\n${logs.get(name) || ''}`));
    };
    const cleanup = () => {
      child.stdout.off('data', check);
      child.stderr.off('data', check);
      child.off('exit', exited);
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', exited);
    check();
  }), WAIT_MS, `${name} to print ${pattern}`);
}

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

export function httpsStatus(url) {
  return new Promise((done, fail) => {
    const req = httpsRequest(url, { rejectUnauthorized: false, timeout: 2_000 }, (res) => {
      res.resume();
      done(res.statusCode);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end();
  });
}

export async function waitUntil(what, check, intervalMs = 250, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((done) => setTimeout(done, intervalMs));
  }
  throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}` +
    (lastError ? ` (last error: ${lastError.message})` : ''));
}

// Splits a shell command line into words (single quotes, double quotes and backslashes).
export function shellWords(line) {
  const words = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`Unbalanced quote in: ${line}`);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      i += 1;
      for (; i < line.length && line[i] !== '"'; i += 1) {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) i += 1;
        word += line[i];
      }
      if (i >= line.length) throw new Error(`Unbalanced quote in: ${line}`);
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      i += 1;
      if (line[i] !== '\n') word += line[i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

// A request to the collector from this test (not the page), e.g. as an enrolled laptop.
export function httpsJson(method, url, { body, headers = {} } = {}) {
  return new Promise((done, fail) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const req = httpsRequest(url, {
      method, rejectUnauthorized: false, timeout: 10_000,
      headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => done({ status: res.statusCode, text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end(payload);
  });
}

export function run(file, args) {
  return new Promise((done) => {
    execFile(file, args, { timeout: WAIT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      done({ code: error ? (error.code ?? 'killed') : 0, stdout, stderr });
    });
  });
}

// Starts the collector with its state in `stateDir`; resolves once it answers HTTPS.
export async function startCollector(collectorProgram, stateDir, defines = []) {
  const port = await freePort();
  const child = startProcess('collector', collectorProgram, [
    '--define', `collector.state_dir=${stateDir}`,
    '--define', `server.address=${HOST}`,
    '--define', `server.port=${port}`,
    ...defines.flatMap((d) => ['--define', d]),
  ]);
  const [, oneTimePassword] = await waitForOutput('collector', child, /one-time password: *([A-Za-z0-9-]+)/);
  const [, url] = await waitForOutput('collector', child, /Console: *(https:\/\/\S+)/);
  const baseUrl = url.endsWith('/') ? url : `${url}/`;
  if (!baseUrl.startsWith(`https://${HOST}:${port}/`)) throw new Error(`unexpected console address ${baseUrl}`);
  await waitUntil('the collector to answer HTTPS', async () => (await httpsStatus(baseUrl)) === 200);
  return { child, baseUrl, oneTimePassword };
}

// Stops every program started, and keeps what each printed in `artifacts`.
export async function stopAll(artifacts, prefix) {
  await Promise.all(children.map(stopProcess));
  for (const [name, text] of logs) {
    await writeFile(join(artifacts, `${prefix}-${name}.log`), text).catch(() => {});
  }
}

// A console page in Chromium. `problems`, `unsafePosts` and `dialogs` must stay empty; set
// `probing` while the test makes refused requests on purpose.
export class ConsolePage {
  static async open(artifacts) {
    const ui = new ConsolePage(artifacts);
    await ui.launch();
    return ui;
  }

  constructor(artifacts) {
    this.artifacts = artifacts;
    this.problems = [];
    this.unsafePosts = [];
    this.dialogs = [];
    this.probing = false;
  }

  async launch() {
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      timeout: WAIT_MS,
    });
    this.context = await this.browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 800 },
      locale: 'en-GB',
      timezoneId: 'Europe/London',
      reducedMotion: 'reduce',
    });
    this.context.setDefaultTimeout(WAIT_MS);
    this.page = await this.context.newPage();
    this.page.on('console', (message) => {
      if (message.type() !== 'error' || this.probing) return;
      const text = message.text();
      if (/favicon\.ico/.test(text) || /favicon/.test(message.location().url || '')) return;
      // Failed API calls the test makes on purpose (401/403) are logged by Chromium as errors.
      if (/Failed to load resource: the server responded with a status of (401|403|423)/.test(text)) return;
      this.problems.push(text);
    });
    this.page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    this.page.on('dialog', async (dialog) => {
      this.dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    this.page.on('request', (req) => {
      const url = new URL(req.url());
      if (req.method() !== 'POST' || !url.pathname.startsWith('/api/console/')) return;
      if (req.headers()['x-test-unsafe']) return;  // the deliberate CSRF probe
      const headers = req.headers();
      if (!/^application\/json/.test(headers['content-type'] || '')) this.unsafePosts.push(`${url.pathname}: no JSON type`);
      // Signing in (both steps) has no session yet; the second step's pending sign-in is its token.
      const signingIn = url.pathname === '/api/console/login' || url.pathname === '/api/console/login/code';
      if (!signingIn && !headers['x-csrf-token']) this.unsafePosts.push(`${url.pathname}: no CSRF token`);
    });
  }

  async screenshot(name) {
    await this.page.screenshot({ path: join(this.artifacts, name), fullPage: true });
  }

  async heading() {
    return (await this.page.locator('h1').textContent()).trim();
  }

  async waitForHeading(text) {
    await this.page.locator('h1', { hasText: text }).waitFor({ timeout: WAIT_MS });
  }

  async statusMessage() {
    return (await this.page.locator('#message').textContent()).trim();
  }

  // A console API call from the page with the session's CSRF token, as the console makes it.
  async consoleCall(method, path, body) {
    return this.page.evaluate(async ([m, p, b]) => {
      const session = await (await fetch('/api/console/session', { credentials: 'same-origin' })).json();
      const init = { method: m, credentials: 'same-origin', headers: { Accept: 'application/json' } };
      if (m !== 'GET') {
        init.headers['Content-Type'] = 'application/json';
        init.headers['X-CSRF-Token'] = session.csrf_token;
        init.body = JSON.stringify(b);
      }
      const response = await fetch(p, init);
      return { status: response.status, text: await response.text() };
    }, [method, path, body]);
  }

  // The first sign-in of a user (the first manager of a new collector unless `username` says
  // otherwise): the one-time password, then a password of one's own; ends on `home`, the heading
  // of the first page the user's roles reach.
  async signInFirstTime(baseUrl, oneTimePassword, newPassword, { username = 'manager', home = 'Laptops' } = {}) {
    const page = this.page;
    await page.goto(baseUrl, { waitUntil: 'load' });
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(oneTimePassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await this.waitForHeading('Choose your password');
    await page.getByLabel('One-time password').fill(oneTimePassword);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Type the new password again').fill(newPassword);
    await page.getByRole('button', { name: 'Save password' }).click();
    await this.waitForHeading(home);
  }

  async apiStatus(path, init) {
    return this.page.evaluate(async ([p, i]) => (await fetch(p, { credentials: 'same-origin', ...i })).status, [path, init]);
  }

  // The serious and critical WCAG 2.1 A/AA problems axe-core finds on the page as it is now.
  // axe is injected through DevTools, which the page's Content-Security-Policy does not govern.
  async accessibilityViolations() {
    await this.page.evaluate(AXE_SOURCE);
    return this.page.evaluate(async () => {
      const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
      const result = await globalThis.axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
  }

  async close() {
    await this.context?.close().catch(() => {});
    await this.browser?.close().catch(() => {});
  }
}

// A test that is skipped once an earlier critical one failed (later steps would only add noise),
// with a screenshot of the page when it fails.
export function stepper(getUi, failureShot) {
  let broken = false;
  return (name, fn, { critical = true } = {}) => {
    test(name, { timeout: 90_000 }, async (t) => {
      if (broken) {
        t.skip('an earlier step failed');
        return;
      }
      try {
        await fn(t);
      } catch (error) {
        if (critical) broken = true;
        await getUi()?.page?.screenshot({ path: join(getUi().artifacts, failureShot), fullPage: true }).catch(() => {});
        throw error;
      }
    });
  };
}

// The frame of a console test file: before its steps, the real collector in a fresh folder and a
// console page in Chromium; after them, both stopped, their output kept as artifacts and the
// folder removed. `ready` resolves to the suite once all that is running. `defines`: collector
// settings (`key=value`) the suite runs with.
export function consoleSuite(name, collectorProgram, defines = []) {
  const suite = {
    artifacts: resolve(process.env.CLUBSAFE_ARTIFACTS || join(process.cwd(), 'test-artifacts')),
    tmp: '', baseUrl: '', oneTimePassword: '', ui: null, page: null,
  };
  suite.step = stepper(() => suite.ui, `${name}-failure.png`);
  let started;
  suite.ready = new Promise((done, fail) => { started = { done, fail }; });
  suite.ready.catch(() => {});  // the failure is reported by the hook below
  before(async () => {
    try {
      await start();
      started.done(suite);
    } catch (error) {
      started.fail(error);
      throw error;
    }
  });
  async function start() {
    await mkdir(suite.artifacts, { recursive: true });
    suite.tmp = await mkdtemp(join(tmpdir(), `clubsafe-${name}-`));
    ({ baseUrl: suite.baseUrl, oneTimePassword: suite.oneTimePassword } =
      await startCollector(collectorProgram, join(suite.tmp, 'collector'), defines));
    suite.ui = await ConsolePage.open(suite.artifacts);
    suite.page = suite.ui.page;
  }
  after(async () => {
    await suite.ui?.close();
    await stopAll(suite.artifacts, `${name}-test`);
    if (suite.tmp) await rm(suite.tmp, { recursive: true, force: true });
  });
  return suite;
}
