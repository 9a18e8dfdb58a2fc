// A small end-to-end harness: starts the sandbox and the proxy (release bundle from dist/),
// drives headless Chromium through playwright-core, and ends with "N passed, N failed".
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdirSync, writeFileSync, mkdtempSync, readdirSync, symlinkSync, copyFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
/** The proxy's origin; set by `startServices` (each run listens on free ports of its own). */
export let BASE = '';
export const TOKEN = 'e2e-secret-token-7f3a';
// The service binaries: E2E_BIN_DIR, else the `service` profile under CARGO_TARGET_DIR (or target/).
const BIN = process.env.E2E_BIN_DIR || path.join(path.resolve(ROOT, process.env.CARGO_TARGET_DIR || 'target'), 'service');

const tests = [];
/** Registers a test: `fn(page, ctx)` gets a fresh page (in `options.locale`, default en-GB);
 * throw to fail. A test that provokes an error on purpose lists it in `ctx.expectedErrors`
 * (regular expressions). */
export function test(name, fn, options = {}) { tests.push({ name, fn, ...options }); }

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
export function assertEqual(actual, expected, message) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}\n    expected ${e}\n    actual   ${a}`);
}

function start(name, args, env) {
  const child = spawn(path.join(BIN, name), args, { env: { NO_COLOR: '1', ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const keep = (d) => { log.push(d.toString()); if (log.length > 200) log.shift(); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.log = log;
  return child;
}

/** Waits for the "listening on http://ADDR" line a service prints and returns its URL. */
function listeningUrl(child, what) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 30 s:\n${child.log.join('')}`)), 30000);
    child.stdout.on('data', (d) => {
      seen += d.toString();
      const match = seen.match(/listening on (http:\/\/[^\s]+)/);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited with ${code}:\n${child.log.join('')}`)); });
  });
}

/** A loopback port that nothing listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Everything every page requested, for the credential checks. */
export const traffic = { requests: [], leaks: [] };

/** The bundle as the demo serves it: the built site (`E2E_DIST` or dist/) with the demo's
 * `config.json` (demo/site-config.json: the sandbox's customers as shortcuts) in place of the
 * product's. A directory of links, made once. */
let demoSiteDir = null;
function siteDir() {
  if (!demoSiteDir) {
    const dist = process.env.E2E_DIST || path.join(ROOT, 'dist');
    demoSiteDir = mkdtempSync(path.join(os.tmpdir(), 'billing-site-'));
    for (const entry of readdirSync(dist)) {
      if (entry !== 'config.json') symlinkSync(path.join(dist, entry), path.join(demoSiteDir, entry));
    }
    copyFileSync(path.join(ROOT, 'demo', 'site-config.json'), path.join(demoSiteDir, 'config.json'));
    symlinkSync(path.join(dist, 'embed', 'demo', 'gallery.html'), path.join(demoSiteDir, 'gallery.html'));
  }
  return demoSiteDir;
}

/** The HS256 key of the signed-session services (`sessionBase()`), for `mintSession`. */
export const SESSION_KEY = 'e2e-session-key-0123456789abcdef-0123456789';

/** Starts a sandbox (with `sandboxArgs`) and a proxy in front of it (serving dist/ with the
 * demo's config) on free loopback ports; `proxyArgs`/`proxyEnv` replace the trusted access
 * settings; returns `{ base, stop(), recentLogs() }`. */
async function startPair(sandboxArgs = [], proxyArgs = null, proxyEnv = {}) {
  const sandbox = start('billing-sandbox', ['--listen', '127.0.0.1:0', ...sandboxArgs], { SANDBOX_TOKEN: TOKEN });
  let proxy;
  const services = {
    base: '',
    stop() { sandbox.kill(); if (proxy) proxy.kill(); },
    /** The last lines each service wrote (for a failed test's report). */
    recentLogs() { return { sandbox: sandbox.log.slice(-20).join(''), proxy: proxy ? proxy.log.slice(-20).join('') : '' }; },
  };
  try {
    const upstream = await listeningUrl(sandbox, 'sandbox');
    // Writes need the page's origin in allowed-origins, so the proxy's port is chosen first (a
    // free one, tried again if another process takes it in between).
    for (let attempt = 1; ; attempt++) {
      const origin = `http://127.0.0.1:${await freePort()}`;
      proxy = start('billing-proxy', [
        '--listen', origin.slice('http://'.length), '--admin-listen', '127.0.0.1:0',
        '--upstream', upstream, '--allow-insecure-upstream', 'true',
        ...(proxyArgs || ['--access', 'trusted', '--trusted-scope', 'read-write']), '--allowed-origins', origin,
        '--static-dir', siteDir(),
      ], { PROXY_TOKEN: TOKEN, PROXY_OWNER_NO: '100200', ...proxyEnv });
      try {
        services.base = await listeningUrl(proxy, 'proxy');
        break;
      } catch (e) {
        if (attempt >= 3 || !/cannot listen/.test(proxy.log.join(''))) throw e;
      }
    }
  } catch (e) {
    services.stop();
    throw e;
  }
  return services;
}

/** Starts the sandbox and the proxy (serving dist/) on free loopback ports. The benchmarks
 * can give the sandbox an upstream's latency: `BENCH_UPSTREAM_MS=80` delays every API answer by
 * 80 ms (the sandbox's `--fault slow:80`). */
export async function startServices() {
  const latency = process.env.BENCH_UPSTREAM_MS;
  const services = await startPair(latency ? ['--fault', `slow:${Number(latency)}`] : undefined);
  BASE = services.base;
  return services;
}

/** The second pair, whose sandbox runs in documented-variants mode (`--variants documented`):
 * started on first use, stopped at the end of the run. */
let variantServices = null;

/** The proxy origin of the documented-variants services, starting them on first use. */
export async function variantsBase() {
  if (!variantServices) variantServices = startPair(['--variants', 'documented']);
  return (await variantServices).base;
}

/** The third pair: a proxy in signed-session mode that also takes the session from its
 * `__Host-billing-session` cookie (`--session-cookie true`), started on first use. */
let sessionServices = null;

/** The proxy origin of the signed-session services, starting them on first use. */
export async function sessionBase() {
  if (!sessionServices) {
    sessionServices = startPair([], ['--access', 'signed-session', '--session-cookie', 'true'], { PROXY_SESSION_KEY: SESSION_KEY });
  }
  return (await sessionServices).base;
}

/** The fourth pair: the sandbox with the gallery's faults (`--fault gallery`), as the demo runs
 * it, behind a proxy that waits two minutes for the upstream (the gallery's loading state stays
 * loading for the whole test); started on first use. */
let galleryServices = null;

/** The proxy origin of the gallery's services, starting them on first use. */
export async function galleryBase() {
  if (!galleryServices) {
    galleryServices = startPair(['--fault', 'gallery'], ['--access', 'trusted', '--trusted-scope', 'read-write', '--upstream-timeout-ms', '120000']);
  }
  return (await galleryServices).base;
}

/** An HS256 session token for `customerNo`, valid for `lifetimeS` seconds. */
export function mintSession(customerNo, { scope = 'read', lifetimeS = 600 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: `e2e-${customerNo}`, aud: 'billing-proxy', iat: now, exp: now + lifetimeS, ownerNo: '100200', customerNo, scope })}`;
  return `${body}.${createHmac('sha256', SESSION_KEY).update(body).digest('base64url')}`;
}

/** Headless Debian Chromium, as root, with no network beyond loopback. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function run() {
  mkdirSync(ARTIFACTS, { recursive: true });
  let passed = 0, failed = 0;
  let browser, services;
  try {
    services = await startServices();
    browser = await launchBrowser();
    const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
    for (const t of tests.filter((t) => !only || only.test(t.name))) {
      const context = await browser.newContext({ locale: t.locale || 'en-GB', viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
      const page = await context.newPage();
      const errors = [];
      const started = Date.now();
      const ctx = { errors, expectedErrors: [] };
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      // What the page asked for and what became of it, for a failed test's report.
      const exchanges = new Map();
      page.on('request', (r) => {
        traffic.requests.push({ url: r.url(), headers: r.headers() });
        exchanges.set(r, { at: Date.now() - started, method: r.method(), url: r.url(), result: 'pending' });
      });
      page.on('requestfinished', async (r) => {
        const entry = exchanges.get(r);
        if (entry) entry.result = String((await r.response().catch(() => null))?.status() ?? 'finished');
      });
      page.on('requestfailed', (r) => { const entry = exchanges.get(r); if (entry) entry.result = r.failure()?.errorText || 'failed'; });
      page.on('response', async (r) => {
        // Headers and body of a response that arrives as the test closes its page are gone.
        let headers = JSON.stringify(r.headers());
        try { headers = JSON.stringify(await r.allHeaders()); } catch { /* page closed */ }
        let body = '';
        try { body = (r.headers()['content-type'] || '').includes('json') ? await r.text() : ''; } catch { /* navigated away */ }
        if (headers.includes(TOKEN) || body.includes(TOKEN)) traffic.leaks.push(r.url());
      });
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
        // Requests still pending or refused say whether the page waited on the services.
        const notable = [...exchanges.values()].filter((x) => x.result === 'pending' || !/^[23]\d\d$/.test(x.result));
        const report = [
          `console and page errors: ${JSON.stringify(errors)}`,
          `requests pending or not 2xx/3xx (${notable.length} of ${exchanges.size}):`,
          ...notable.slice(-30).map((x) => `  +${x.at} ms ${x.method} ${x.url} -> ${x.result}`),
          `proxy log (last lines):\n${services.recentLogs().proxy}`,
        ].join('\n');
        console.log(`    ${report.split('\n').join('\n    ')}`);
        writeFileSync(path.join(ARTIFACTS, `failed-${passed + failed}.txt`), `${t.name}\n${String(e.stack || e)}\n${report}\n`);
      }
      await context.close();
    }
  } catch (e) {
    failed++;
    console.log(`FAIL setup: ${e.message}`);
  } finally {
    if (browser) await browser.close();
    if (services) services.stop();
    if (variantServices) (await variantServices.catch(() => null))?.stop();
    if (sessionServices) (await sessionServices.catch(() => null))?.stop();
    if (galleryServices) (await galleryServices.catch(() => null))?.stop();
    // The links only, not what they point to.
    if (demoSiteDir) rmSync(demoSiteDir, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed || !passed ? 1 : 0;
}

// ---- the API, read directly through the proxy (as the truth the page is checked against) --

export async function api(link, base = BASE) {
  const r = await fetch(base + link, { headers: { accept: 'application/json' } });
  if (!r.ok) throw new Error(`GET ${link}: ${r.status} ${await r.text()}`);
  return r.json();
}

export async function allItems(link, base = BASE) {
  const items = [];
  for (let next = link; next;) {
    const page = await api(next, base);
    items.push(...page.items);
    next = page.navigation && page.navigation.next;
  }
  return items;
}

export async function invoiceLines(invoice) {
  const customerLines = invoice.recurringProducts ? await allItems(invoice.recurringProducts) : [];
  const subscriptions = invoice.subscriptions ? await allItems(invoice.subscriptions) : [];
  const perSubscription = await Promise.all(subscriptions.map((s) => allItems(s.recurringProducts)));
  const groups = (customerLines.length ? 1 : 0) + perSubscription.filter((l) => l.length).length;
  return { customerLines, subscriptions, perSubscription, groups, all: customerLines.concat(...perSubscription) };
}

/**
 * The widget's folds of one group's lines: lines with the same product, description, unit
 * price and period are one row. Returns the rows as arrays of lines (one line: a plain row).
 */
export function foldGroup(lines) {
  const rows = new Map();
  for (const l of lines) {
    const key = JSON.stringify([l.productNo, l.description, Number(l.unitPrice), l.periodStart ?? null, l.periodEnd ?? null]);
    if (!rows.has(key)) rows.set(key, []);
    rows.get(key).push(l);
  }
  return [...rows.values()];
}

/** Rows, folds and unfolded lines of an invoice's groups as the widget shows them, all expanded folds closed. */
export function foldedRows({ customerLines, perSubscription }) {
  const rows = [customerLines, ...perSubscription].flatMap(foldGroup);
  return { rows: rows.length, folds: rows.filter((r) => r.length > 1), single: rows.filter((r) => r.length === 1).length };
}

/** Money as integer cents: JSON amounts have at most two decimals, so rounding each is exact. */
export const cents = (amount) => Math.round(amount * 100);
export const sumCents = (lines, field) => lines.reduce((s, l) => s + cents(l[field]), 0);

/** Reads an en-GB money text such as "SEK 1,234.50" or "-SEK 50.00" as cents. */
export function textCents(text) {
  const t = text.replace(/[^0-9.\-]/g, '');
  return Math.round(parseFloat(t) * 100);
}
