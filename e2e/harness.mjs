// A small end-to-end harness: starts the sandbox and the proxy (release bundle from dist/),
// drives headless Chromium through playwright-core, and ends with "N passed, N failed".
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT || 18081);
const PROXY_PORT = Number(process.env.E2E_PROXY_PORT || 18080);
export const BASE = `http://127.0.0.1:${PROXY_PORT}`;
export const TOKEN = 'e2e-secret-token-7f3a';
const BIN = process.env.E2E_BIN_DIR || path.join(ROOT, 'target', 'service');

const tests = [];
/** Registers a test: `fn(page, ctx)` gets a fresh page; throw to fail. A test that provokes an
 * error on purpose lists it in `ctx.expectedErrors` (regular expressions). */
export function test(name, fn) { tests.push({ name, fn }); }

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
export function assertEqual(actual, expected, message) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}\n    expected ${e}\n    actual   ${a}`);
}

function start(name, args, env) {
  const child = spawn(path.join(BIN, name), args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const keep = (d) => { log.push(d.toString()); if (log.length > 200) log.shift(); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.log = log;
  return child;
}

async function waitFor(url, what) {
  for (let i = 0; i < 300; i++) {
    try { const r = await fetch(url); if (r.status < 500) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start at ${url}`);
}

/** Everything every page requested, for the credential checks. */
export const traffic = { requests: [], leaks: [] };

export async function run() {
  mkdirSync(ARTIFACTS, { recursive: true });
  const sandbox = start('billing-sandbox', ['--listen', `127.0.0.1:${SANDBOX_PORT}`], { SANDBOX_TOKEN: TOKEN });
  const proxy = start('billing-proxy', ['--listen', `127.0.0.1:${PROXY_PORT}`, '--upstream', `http://127.0.0.1:${SANDBOX_PORT}`,
    '--static-dir', path.join(ROOT, 'dist')], { PROXY_TOKEN: TOKEN });
  let passed = 0, failed = 0;
  let browser;
  try {
    await waitFor(`http://127.0.0.1:${SANDBOX_PORT}/`, 'sandbox');
    await waitFor(`${BASE}/healthz`, 'proxy');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    for (const t of tests) {
      const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      const errors = [];
      const ctx = { errors, expectedErrors: [] };
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => traffic.requests.push({ url: r.url(), headers: r.headers() }));
      page.on('response', async (r) => {
        const headers = JSON.stringify(await r.allHeaders());
        let body = '';
        try { body = (r.headers()['content-type'] || '').includes('json') ? await r.text() : ''; } catch { /* navigated away */ }
        if (headers.includes(TOKEN) || body.includes(TOKEN)) traffic.leaks.push(r.url());
      });
      const started = Date.now();
      try {
        await t.fn(page, ctx);
        const unexpected = errors.filter((e) => !ctx.expectedErrors.some((re) => re.test(e)));
        assertEqual(unexpected, [], 'no console or page errors');
        passed++;
        console.log(`ok   ${t.name} (${Date.now() - started} ms)`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${t.name}\n    ${String(e.stack || e).split('\n').join('\n    ')}`);
        await page.screenshot({ path: path.join(ARTIFACTS, `failed-${passed + failed}.png`), fullPage: true }).catch(() => {});
      }
      await context.close();
    }
  } catch (e) {
    failed++;
    console.log(`FAIL setup: ${e.message}`);
    console.log('sandbox log:\n' + sandbox.log.join('') + '\nproxy log:\n' + proxy.log.join(''));
  } finally {
    if (browser) await browser.close();
    sandbox.kill();
    proxy.kill();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed || !passed ? 1 : 0;
}

// ---- the API, read directly through the proxy (as the truth the page is checked against) --

export async function api(link) {
  const r = await fetch(BASE + link, { headers: { accept: 'application/json' } });
  if (!r.ok) throw new Error(`GET ${link}: ${r.status} ${await r.text()}`);
  return r.json();
}

export async function allItems(link) {
  const items = [];
  for (let next = link; next;) {
    const page = await api(next);
    items.push(...page.items);
    next = page.navigation && page.navigation.next;
  }
  return items;
}

export async function invoiceLines(invoice) {
  const customerLines = invoice.recurringProducts ? await allItems(invoice.recurringProducts) : [];
  const subscriptions = invoice.subscriptions ? await allItems(invoice.subscriptions) : [];
  const perSubscription = await Promise.all(subscriptions.map((s) => allItems(s.recurringProducts)));
  return { customerLines, subscriptions, perSubscription, all: customerLines.concat(...perSubscription) };
}

/** Money as integer cents: JSON amounts have at most two decimals, so rounding each is exact. */
export const cents = (amount) => Math.round(amount * 100);
export const sumCents = (lines, field) => lines.reduce((s, l) => s + cents(l[field]), 0);

/** Reads an en-GB money text such as "SEK 1,234.50" or "-SEK 50.00" as cents. */
export function textCents(text) {
  const t = text.replace(/[^0-9.\-]/g, '');
  return Math.round(parseFloat(t) * 100);
}
