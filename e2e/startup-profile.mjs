// Where the main thread's time goes before the widget's first invoice line: cold loads of the
// one-element invoice page under a light Chrome trace, each cut into two phases (up to the
// invoice's request, and from it to the first painted line), with the medians of:
//   - wasm functions compiled on first call (V8 compiles wasm lazily, on the main thread),
//   - script tasks (the widget's wasm and JS, including that compilation),
//   - style, layout and paint, and the font lookups inside them (one per new face and size).
// The trace itself slows the page (about 1.3x); compare runs of this script with each other,
// and use bench-floor.mjs / bench-ab.mjs for the figures.
//   node e2e/startup-profile.mjs [runs] [page]   (after scripts/build-bundle.sh and the services' build)
import { instrument, median } from './paint-probe.mjs';

const RUNS = Number(process.argv[2] || 7);
const PAGE = process.argv[3] || '/embed/demo/invoice.html?invoice=604001';
const CATEGORIES = ['devtools.timeline', 'loading', 'v8.wasm', 'fonts'];
const SCRIPT = new Set(['FunctionCall', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'v8.evaluateModule', 'EventDispatch']);
const RENDERING = new Set(['Layout', 'UpdateLayoutTree', 'PrePaint', 'Paint', 'ParseAuthorStyleSheet']);

const harness = await import('./harness.mjs');

/** Durations (ms) of the outermost events among `events`. */
function outermost(events) {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  let end = -Infinity;
  let total = 0;
  for (const e of sorted) {
    if (e.ts >= end) {
      total += e.dur / 1000;
      end = e.ts + e.dur;
    }
  }
  return total;
}

/** The phases of one traced load, or null when the trace lacks a landmark. */
function phases(traceEvents) {
  const sent = (part) => traceEvents.find((e) => e.name === 'ResourceSendRequest' && e.args?.data?.url?.includes(part));
  const loader = sent('payex-billing.js');
  const invoice = sent('/invoices/604001');
  if (!loader || !invoice) return null;
  const pid = loader.pid;
  const main = traceEvents.filter((e) => e.pid === pid && e.tid === pid && e.ph === 'X' && e.dur > 0);
  // The first layout of the invoice's content (more than a loading state), and its paint.
  const layout = main.find((e) => e.name === 'Layout' && e.ts > invoice.ts && (e.args?.beginData?.totalObjects || 0) > 50);
  const paint = layout && main.find((e) => e.name === 'Paint' && e.ts > layout.ts);
  if (!paint) return null;
  const firstLine = paint.ts + paint.dur;
  const document = traceEvents.find((e) => e.name === 'ResourceSendRequest' && e.args?.data?.url?.includes(PAGE.split('?')[0]));
  const start = document ? document.ts : loader.ts;
  const window = (from, to) => {
    const inside = main.filter((e) => e.ts >= from && e.ts < to);
    const lazy = inside.filter((e) => e.name === 'wasm.CompileLazy');
    return {
      ms: (to - from) / 1000,
      lazyFunctions: lazy.length,
      lazyMs: lazy.reduce((s, e) => s + e.dur / 1000, 0),
      scriptMs: outermost(inside.filter((e) => SCRIPT.has(e.name))),
      renderingMs: outermost(inside.filter((e) => RENDERING.has(e.name))),
      fontLookups: inside.filter((e) => e.name === 'FontCache::GetFontPlatformData').length,
    };
  };
  return { 'to the invoice request': window(start, invoice.ts), 'from it to the first line': window(invoice.ts, firstLine) };
}

const services = await harness.startServices();
const browser = await harness.launchBrowser();
const results = [];
try {
  for (let run = 0; run < RUNS + 1; run++) {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.addInitScript(instrument);
    if (run > 0) await browser.startTracing(page, { categories: CATEGORIES });
    await page.goto(harness.BASE + PAGE);
    await page.waitForFunction(() => window.__bench.firstLinePainted > 0, null, { timeout: 30000 });
    if (run > 0) {
      const trace = JSON.parse((await browser.stopTracing()).toString());
      const found = phases(trace.traceEvents);
      if (found) results.push(found);
    }
    await context.close(); // the first load only warms the browser
  }
} finally {
  await browser.close();
  services.stop();
}
if (!results.length) {
  console.error('no traced load had the landmarks (the invoice request and a painted table)');
  process.exit(1);
}
console.log(`main thread of ${results.length} traced cold loads of ${PAGE}, medians:`);
for (const phase of Object.keys(results[0])) {
  const m = (key) => median(results.map((r) => r[phase][key]));
  console.log(`  ${phase.padEnd(26)} ${m('ms').toFixed(0).padStart(4)} ms: script ${m('scriptMs').toFixed(1)} ms `
    + `(wasm compiled on first call: ${m('lazyFunctions')} functions, ${m('lazyMs').toFixed(1)} ms), `
    + `style/layout/paint ${m('renderingMs').toFixed(1)} ms, font lookups ${m('fontLookups')}`);
}
