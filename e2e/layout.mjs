// Layout at any width: each view in an element alone on a page, at 320, 420, 768 and 1280 px.
// At every width: no sideways page scroll, no clipped text (no cell, button, label or table
// scroller whose content is wider than its box), every control at least 24 × 24 CSS px (44 × 44
// in self-service), and axe clean. Screenshots land in e2e/artifacts/layout-<view>-<width>.png.
// One more view is one more entry in VIEWS.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { test, assertEqual, ARTIFACTS, BASE, ROOT } from './harness.mjs';

const AXE = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const WIDTHS = [320, 420, 768, 1280];
const OWNER = '100200';
const PRIVATE = '15615616';
/** The invoice the accessibility scan opens too: four groups, credits and prorations. */
const INVOICE = '603007';
/** 5,012 lines: virtualized (only the rows in view are in the DOM). */
const LARGE = '604002';

/** Opens the newest invoice of the list and its comparison with the one before it. */
async function openComparison(page) {
  await page.click('.bw-invoice-list tbody tr:first-child button');
  await page.click('.bw-compare-toggle button');
  await page.waitForSelector('.bw-compare-summary', { timeout: 30000 });
  await page.waitForSelector('.bw-summary', { timeout: 30000 });
}

/** Opens the next invoice's estimate. */
async function openEstimate(page) {
  await page.click('.bw-preview > button');
  await page.waitForSelector('.bw-preview-table', { timeout: 10000 });
}

/** A host page with one element and nothing else around it (served by the test itself). */
const HOST = '/embed/demo/layout-host.html';
const element = (tag, attributes) => `${HOST}?${new URLSearchParams({ tag, ...attributes })}`;

/**
 * The views: `url` (a page of the proxy, or an element on the bare host page), `ready` (a
 * selector inside the element's shadow root, or on the page), `targets` (the smallest control
 * size in CSS px) and an optional `setup(page)` run once the view is ready.
 */
const VIEWS = [
  { name: 'invoice', url: element('payex-invoice', { 'invoice-no': INVOICE, locale: 'en-GB', mode: 'crm' }), ready: '.bw-summary', targets: 24 },
  { name: 'invoice-nb', url: element('payex-invoice', { 'invoice-no': INVOICE, locale: 'nb-NO', mode: 'crm' }), ready: '.bw-summary', targets: 24 },
  { name: 'invoice-self-service', url: element('payex-invoice', { 'invoice-no': INVOICE, locale: 'sv-SE' }), ready: '.bw-summary', targets: 44 },
  { name: 'invoice-virtualized-nb', url: element('payex-invoice', { 'invoice-no': LARGE, locale: 'nb-NO', mode: 'crm' }), ready: '.bw-virtual tr.bw-line', targets: 24 },
  { name: 'invoice-list', url: element('payex-invoice-list', { 'customer-no': PRIVATE, locale: 'en-GB', mode: 'crm' }), ready: 'tbody tr', targets: 24 },
  { name: 'recurring-crm', url: element('payex-recurring-products', { 'customer-no': PRIVATE, locale: 'en-GB', mode: 'crm' }), ready: '.bw-overview', targets: 24, setup: openEstimate },
  { name: 'recurring-self-service', url: element('payex-recurring-products', { 'customer-no': PRIVATE, locale: 'sv-SE', mode: 'self-service' }), ready: '.bw-overview', targets: 44, setup: openEstimate },
  { name: 'comparison', url: element('payex-invoice-list', { 'customer-no': PRIVATE, locale: 'en-GB', mode: 'crm' }), ready: 'tbody tr', targets: 24, setup: openComparison },
  { name: 'comparison-self-service', url: element('payex-invoice-list', { 'customer-no': PRIVATE, locale: 'fi-FI', mode: 'self-service' }), ready: 'tbody tr', targets: 44, setup: openComparison },
];

/** Serves the bare host page: `tag` with the demo ledger and the other query parameters as attributes. */
async function serveHost(page) {
  await page.route((url) => new URL(url).pathname === HOST, (route) => {
    const query = new URL(route.request().url()).searchParams;
    const tag = query.get('tag');
    const attributes = [...query].filter(([k]) => k !== 'tag')
      .map(([k, v]) => ` ${k}="${v.replace(/[&"<]/g, (c) => `&#${c.charCodeAt(0)};`)}"`).join('');
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Layout check</title><link rel="icon" href="data:,"><script type="module" src="../payex-billing.js"></script>
<style>body { margin: 0; font: 14px system-ui, sans-serif; } h1 { font-size: 1em; margin: 0.25em 0.5em; }</style></head>
<body><main><h1>Layout check</h1><h2>${tag}</h2><${tag} owner-no="${OWNER}"${attributes}></${tag}></main></body></html>`,
    });
  });
}

/** Waits for `selector` on the page or inside any element's shadow root. */
async function waitReady(page, selector) {
  await page.waitForFunction((s) => {
    const inside = [...document.querySelectorAll('*')].filter((e) => e.shadowRoot).some((e) => e.shadowRoot.querySelector(s));
    return inside || document.querySelector(s);
  }, selector, { timeout: 30000 });
  // Fonts and the last reflow of what arrived.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** What the page does wrong at its current width: sideways scroll, clipped text, small targets. */
function layoutProblems(page, minTarget) {
  return page.evaluate((minTarget) => {
    const problems = [];
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth > width) problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    // The document and every shadow root in it.
    const roots = [document];
    for (let i = 0; i < roots.length; i++) {
      for (const e of roots[i].querySelectorAll('*')) if (e.shadowRoot) roots.push(e.shadowRoot);
    }
    const name = (e) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''} "${(e.getAttribute('aria-label') || e.textContent).replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
    // Shown to the eye: laid out, and not inside a visually hidden (clipped 1 px) box.
    const seen = (e) => {
      if (!e.getClientRects().length) return false;
      for (let a = e; a; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.visibility === 'hidden' || (style.clip !== 'auto' && style.position === 'absolute')) return false;
      }
      return true;
    };
    for (const root of roots.slice(1)) {
      const texts = root.querySelectorAll('td, th, button, label, dt, dd, caption, h2, h3, p, .bw-table-scroll, .bw-charges-scroll');
      for (const e of texts) {
        if (!seen(e) || e.clientWidth === 0) continue;
        if (e.scrollWidth > e.clientWidth + 1) problems.push(`clipped: ${name(e)} (${e.scrollWidth} > ${e.clientWidth})`);
      }
      for (const e of root.querySelectorAll('button, input, select, textarea, a[href], [role=tab]')) {
        if (!seen(e) || e.type === 'hidden') continue;
        const r = e.getBoundingClientRect();
        if (r.width < minTarget - 0.5 || r.height < minTarget - 0.5) problems.push(`target under ${minTarget} px: ${name(e)} (${r.width.toFixed(1)} × ${r.height.toFixed(1)})`);
      }
    }
    return problems;
  }, minTarget);
}

/** axe over the whole page (WCAG 2.2 A/AA and best practices), as e2e/accessibility.mjs runs it. */
async function axeViolations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')}`);
}

for (const view of VIEWS) {
  test(`layout at ${WIDTHS.join(', ')} px: ${view.name}`, async (page) => {
    await serveHost(page);
    const found = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(BASE + view.url);
      await waitReady(page, view.ready);
      if (view.setup) await view.setup(page);
      await page.screenshot({ path: path.join(ARTIFACTS, `layout-${view.name}-${width}.png`), fullPage: true });
      found.push(...(await layoutProblems(page, view.targets)).map((p) => `${width} px: ${p}`));
      found.push(...(await axeViolations(page)).map((v) => `${width} px: ${v}`));
    }
    assertEqual(found, [], 'layout problems');
  });
}

test('a virtualized invoice stacked at 320 px: one row height, the DOM holds the rows in view, the end is reachable', async (page) => {
  await serveHost(page);
  await page.setViewportSize({ width: 320, height: 900 });
  await page.goto(BASE + element('payex-invoice', { 'invoice-no': LARGE, locale: 'nb-NO', mode: 'crm' }));
  await waitReady(page, '.bw-virtual tr.bw-line');
  const table = page.locator('payex-invoice table.bw-charges');
  const before = await table.evaluate((t) => ({
    display: getComputedStyle(t.querySelector('tr.bw-line td')).display,
    heights: [...new Set([...t.querySelectorAll('tbody:not(.bw-spacer) tr')].map((r) => Math.round(r.getBoundingClientRect().height)))],
    overflowing: [...t.querySelectorAll('tr.bw-line')].filter((r) => r.scrollHeight > r.clientHeight + 1).length,
  }));
  assertEqual(before.display === 'table-cell', false, 'the lines are stacked cards');
  assertEqual(before.heights.length, 1, `every rendered row one height (${before.heights} px)`);
  assertEqual(before.overflowing, 0, 'no card is taller than its row');
  const rows = Number(await table.getAttribute('aria-rowcount'));
  await page.locator('payex-invoice .bw-charges-scroll').evaluate((s) => { s.scrollTop = s.scrollHeight; });
  await page.waitForFunction((n) => {
    const t = document.querySelector('payex-invoice').shadowRoot.querySelector('table.bw-charges');
    return Math.max(...[...t.querySelectorAll('tr[aria-rowindex]')].map((r) => Number(r.getAttribute('aria-rowindex')))) === n;
  }, rows, { timeout: 10000 });
  const dom = await table.evaluate((t) => t.querySelectorAll('tbody tr').length);
  assertEqual(dom < 100, true, `the DOM holds the rows in view (${dom} of ${rows})`);
});
