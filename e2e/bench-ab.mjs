// A/B of two builds: cold loads of one element page, alternating between the two bundles in the
// same browser, so that both see the same machine. Prints each build's median time from
// navigation to the first painted invoice line (as bench-invoice.mjs measures it).
//   node e2e/bench-ab.mjs <dist A> <dist B> [runs] [page]
// e.g. node e2e/bench-ab.mjs /tmp/dist-before dist 21
// Each dist is a build's dist/ (with embed/); page defaults to the one-element invoice page.
// BENCH_UPSTREAM_MS=80 delays every API answer by 80 ms (an upstream across the internet).
import { mkdtempSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coldFirstLine, median } from './paint-probe.mjs';

const [distA, distB, runsArg, pageArg] = process.argv.slice(2);
if (!distA || !distB) {
  console.error('usage: node e2e/bench-ab.mjs <dist A> <dist B> [runs] [page]');
  process.exit(2);
}
const RUNS = Number(runsArg || 15);
const PAGE = pageArg || '/embed/demo/invoice.html?invoice=604001';
// One proxy serves both: /a/... from A and /b/... from B. (The element pages load their bundle
// by relative URLs; the standalone site's absolute ones would not work under a prefix.)
const both = mkdtempSync(path.join(tmpdir(), 'bench-ab-'));
symlinkSync(path.resolve(distA), path.join(both, 'a'));
symlinkSync(path.resolve(distB), path.join(both, 'b'));
process.env.E2E_DIST = both;
const harness = await import('./harness.mjs');

const services = await harness.startServices();
const browser = await harness.launchBrowser();
const times = { a: [], b: [] };
try {
  for (let run = 0; run < RUNS; run++) {
    for (const variant of run % 2 ? ['a', 'b'] : ['b', 'a']) {
      times[variant].push(await coldFirstLine(browser, `${harness.BASE}/${variant}${PAGE}`));
    }
  }
} finally {
  await browser.close();
  services.stop();
  rmSync(both, { recursive: true, force: true });
}
const [a, b] = [median(times.a), median(times.b)];
console.log(`first line painted, median of ${RUNS} cold loads each, alternating (${PAGE}, API answers ${process.env.BENCH_UPSTREAM_MS || 0} ms late):`);
console.log(`  A ${distA}: ${a.toFixed(0)} ms`);
console.log(`  B ${distB}: ${b.toFixed(0)} ms  (B/A ${(b / a).toFixed(2)})`);
