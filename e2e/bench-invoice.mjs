// Benchmark of the invoice view on the release bundle: invoices of 50, 5,012 and 50,012 lines
// from the sandbox, through the proxy, in headless Chromium, on the standalone site, and the 50-line
// one as the one-element host page (/embed/demo/invoice.html). Prints medians of RUNS cold loads.
//   node e2e/bench-invoice.mjs [runs]        (scripts/bench.sh builds everything first)
import { startServices, launchBrowser, BASE } from './harness.mjs';
import { instrument, median, signal } from './paint-probe.mjs';

const RUNS = Number(process.argv[2] || 5);
const CASES = [
  { lines: '50', invoice: '604001', paintTarget: 150 },
  // The same invoice as the smallest embedding: one <payex-invoice> element on a host page.
  { lines: '50, element', invoice: '604001', page: '/embed/demo/invoice.html', paintTarget: 150 },
  { lines: '5,012', invoice: '604002' },
  { lines: '50,012', invoice: '604004', afterDataTarget: 300 },
].filter((c) => !process.env.BENCH_CASES || new RegExp(process.env.BENCH_CASES).test(c.lines)); // e.g. BENCH_CASES='^50,012'
const TARGET_SORT_FILTER = 150;
const TARGET_DOM_ROWS = 200;


/** Milliseconds from an action in the page to the next painted frame after it. */
async function timed(page, action, arg) {
  return page.evaluate(async ([source, a]) => {
    const run = new Function('a', source);
    const t0 = performance.now();
    run(a);
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
    return performance.now() - t0;
  }, [action, arg]);
}

const urlOf = (c) => (c.page ? `${BASE}${c.page}?invoice=${c.invoice}` : `${BASE}/?customer=5566778899&invoice=${c.invoice}`);

const services = await startServices();
const browser = await launchBrowser();
const results = [];
try {
  for (const c of CASES) {
    const samples = [];
    for (let run = 0; run < RUNS; run++) {
      // bypassCSP: `timed` runs actions through `new Function`, which the proxy's CSP (no 'unsafe-eval') forbids.
      const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1400, height: 1000 }, bypassCSP: true });
      const page = await context.newPage();
      await page.addInitScript(instrument);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const settled = signal(page, 'bench:settled', 120000);
      await Promise.all([signal(page, 'bench:first-line', 120000), page.goto(urlOf(c))]);
      await settled;
      const firstLine = await page.evaluate(() => window.__bench.firstLinePainted);
      const firstPage = await page.evaluate(() => Math.min(...performance.getEntriesByType('resource')
        .filter((e) => /\/recurring-products/.test(e.name) && /\/invoices\//.test(e.name)).map((e) => e.responseEnd)));
      const sort = await timed(page, "__root().querySelectorAll('thead .bw-sort')[8].click()");
      const filter = await timed(page, "const i = __root().querySelector('input[type=search]'); i.value = a; i.dispatchEvent(new Event('input'))", 'roaming');
      const clear = await timed(page, "const i = __root().querySelector('input[type=search]'); i.value = ''; i.dispatchEvent(new Event('input'))");
      const domRows = await page.$$eval('.bw-charges tr', (r) => r.length);
      const { metrics } = await cdp.send('Performance.getMetrics');
      const jsHeap = metrics.find((m) => m.name === 'JSHeapUsedSize').value;
      const wasmMemory = await page.evaluate(() => (window.__bench.memory ? window.__bench.memory.buffer.byteLength : 0));
      // The same page again in the same browser profile: bundle from the HTTP cache, wasm from V8's code cache.
      const again = await context.newPage();
      await again.addInitScript(instrument);
      await Promise.all([signal(again, 'bench:first-line', 120000), again.goto(urlOf(c))]);
      const warm = await again.evaluate(() => window.__bench.firstLinePainted);
      samples.push({ firstLine, warm, afterData: firstLine - firstPage, sort, filter, clear, domRows, jsHeap, wasmMemory });
      await context.close();
    }
    const m = (k) => median(samples.map((s) => s[k]));
    results.push({ c, firstLine: m('firstLine'), warm: m('warm'), afterData: m('afterData'), sort: m('sort'), filter: m('filter'), clear: m('clear'), domRows: m('domRows'), jsHeap: m('jsHeap'), wasmMemory: m('wasmMemory') });
  }
} finally {
  await browser.close();
  services.stop();
}

const ms = (x) => `${x.toFixed(0)} ms`;
const mb = (x) => `${(x / 1048576).toFixed(1)} MB`;
const verdict = (value, target) => (target === undefined ? '' : value <= target ? ' ok' : ' OVER');
console.log(`\nInvoice view, release bundle, headless Chromium, median of ${RUNS} cold loads (${new Date().toISOString().slice(0, 10)}):\n`);
console.log('lines       | first line painted | same, warm cache | after 1st data page | re-sort | filter | clear filter | DOM rows | JS heap | wasm memory');
console.log('------------|--------------------|------------------|---------------------|---------|--------|--------------|----------|---------|------------');
for (const r of results) {
  console.log([
    r.c.lines.padEnd(11),
    (ms(r.firstLine) + verdict(r.firstLine, r.c.paintTarget)).padEnd(18),
    (ms(r.warm) + verdict(r.warm, r.c.paintTarget)).padEnd(16),
    (ms(r.afterData) + verdict(r.afterData, r.c.afterDataTarget)).padEnd(19),
    (ms(r.sort) + verdict(r.sort, TARGET_SORT_FILTER)).padEnd(7),
    (ms(r.filter) + verdict(r.filter, TARGET_SORT_FILTER)).padEnd(6),
    ms(r.clear).padEnd(12),
    (String(r.domRows) + verdict(r.domRows, TARGET_DOM_ROWS)).padEnd(8),
    mb(r.jsHeap).padEnd(7),
    r.wasmMemory ? mb(r.wasmMemory) : 'n/a',
  ].join(' | '));
}
console.log(`\nTargets: 50 lines painted within 150 ms of navigation; 50,000 lines: first lines within 300 ms of the first data page, sort and filter under ${TARGET_SORT_FILTER} ms, under ${TARGET_DOM_ROWS} DOM rows.`);
