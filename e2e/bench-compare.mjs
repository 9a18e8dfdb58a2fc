// Benchmark of the comparison of two ~50,000-line invoices (604005 against 604004, the business
// customer's two largest) on the release bundle, through the proxy, in headless Chromium: from
// both invoices loaded to the summary painted (user-timing marks the view sets), the whole wait
// from the click, and the rows in the DOM. Prints medians of RUNS.
//   node e2e/bench-compare.mjs [runs]        (scripts/bench.sh builds everything first)
import { startServices, launchBrowser, BASE } from './harness.mjs';
import { median } from './paint-probe.mjs';

const RUNS = Number(process.argv[2] || 5);
const TARGET_READY = 300; // ms from both loaded to the summary painted (issue 21)
const TARGET_DOM_ROWS = 200;

const services = await startServices();
const browser = await launchBrowser();
const samples = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${BASE}/?customer=5566778899&invoice=604005`);
    await page.waitForSelector('.bw-compare-toggle button', { timeout: 120000 });
    const clicked = await page.evaluate(() => performance.now());
    await page.click('.bw-compare-toggle button');
    await page.waitForFunction(() => performance.getEntriesByName('payex-compare-painted').length > 0, null, { timeout: 300000 });
    const figures = await page.evaluate(() => ({
      loaded: performance.getEntriesByName('payex-compare-loaded')[0].startTime,
      painted: performance.getEntriesByName('payex-compare-painted')[0].startTime,
      changes: document.querySelector('.bw-compare-changes')?.getAttribute('aria-rowcount'),
      domRows: document.querySelectorAll('.bw-compare-changes tr').length,
      summary: document.querySelector('.bw-compare-summary')?.textContent,
    }));
    samples.push({ ready: figures.painted - figures.loaded, total: figures.painted - clicked, ...figures });
    await context.close();
  }
} finally {
  await browser.close();
  services.stop();
}

const m = (k) => median(samples.map((s) => s[k]));
const verdict = (value, target) => (value <= target ? 'ok' : 'OVER');
console.log(`\nComparison of invoice 604005 with 604004 (2 x 50,012 lines), release bundle, headless Chromium, median of ${RUNS} (${new Date().toISOString().slice(0, 10)}):\n`);
console.log(`  summary: ${samples[0].summary}`);
console.log(`  rows in the comparison: ${Number(samples[0].changes) - 1}`);
console.log(`  both loaded -> summary painted: ${m('ready').toFixed(0)} ms (target ${TARGET_READY}: ${verdict(m('ready'), TARGET_READY)})`);
console.log(`  click -> summary painted (loading both included): ${m('total').toFixed(0)} ms`);
console.log(`  DOM rows: ${m('domRows')} (target under ${TARGET_DOM_ROWS}: ${verdict(m('domRows'), TARGET_DOM_ROWS - 1)})`);
