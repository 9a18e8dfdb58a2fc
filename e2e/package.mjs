// The elements' end-to-end tests against the npm package as a host installed it: run by
// scripts/npm-package.sh with E2E_DIST serving the installed copy's files as /embed/ (and the
// demo host pages beside them) and E2E_PACKAGE_DIR naming that installed copy.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import './elements.mjs';
import { test, run, assert, assertEqual, BASE } from './harness.mjs';

const INSTALLED = process.env.E2E_PACKAGE_DIR;
if (!INSTALLED || !process.env.E2E_DIST) throw new Error('run by scripts/npm-package.sh: E2E_PACKAGE_DIR and E2E_DIST name the installed package and the directory serving it');

test('the page loads the elements from the installed npm package', async (page) => {
  const installed = JSON.parse(await readFile(path.join(INSTALLED, 'package.json'), 'utf8'));
  assertEqual((await (await page.request.get(BASE + '/embed/package.json')).json()).name, '@payex-billing/elements', 'the served directory is the package');
  const loaded = [];
  page.on('requestfinished', (r) => { if (/\.(js|wasm|css)$/.test(new URL(r.url()).pathname)) loaded.push(r); });
  await page.goto(BASE + '/embed/demo/crm.html');
  await page.waitForFunction(() => (window.payexEvents || []).filter((e) => e.name === 'payex-loaded').length >= 2, null, { timeout: 20000 });
  const bundle = loaded.filter((r) => !new URL(r.url()).pathname.startsWith('/embed/demo/'));
  assertEqual(bundle.map((r) => new URL(r.url()).pathname).sort(), ['/embed/billing-widget.js', '/embed/billing-widget_bg.wasm', '/embed/payex-billing.js', '/embed/widget.css'], 'the script, its glue, wasm and stylesheet');
  for (const r of bundle) {
    const name = path.basename(new URL(r.url()).pathname);
    // The installed files are what the page got (the bodies of uncompressed responses).
    const body = await (await page.request.get(r.url(), { headers: { 'accept-encoding': 'identity' } })).body();
    assert(body.equals(await readFile(path.join(INSTALLED, name))), `${name} is the installed ${installed.name}@${installed.version}'s`);
  }
});

await run();
