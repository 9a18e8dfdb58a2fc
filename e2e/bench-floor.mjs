// The floor under the invoice view's cold first paint: alternating cold loads, in one browser,
// of four pages served by the same proxy, each timed from navigation to its first painted line
// (e2e/paint-probe.mjs):
//   - a static HTML page with one table row (what the browser alone costs);
//   - the smallest Leptos page that renders 50 lines of nine columns (e2e/floor, built here
//     with the widget's release settings);
//   - the same page after requesting the invoice and then its customer-level charges, the two
//     requests the contract puts before the first line (without decoding them);
//   - the widget's element page (/embed/demo/invoice.html?invoice=604001) from dist/.
// Usage: node e2e/bench-floor.mjs [runs]   (after scripts/build-bundle.sh and the services'
// build, as scripts/bench.sh does). BENCH_UPSTREAM_MS=80 delays every API answer by 80 ms, as an
// upstream across the internet would (on loopback the sandbox answers in under a millisecond).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { coldFirstLine, median } from './paint-probe.mjs';

const RUNS = Number(process.argv[2] || 11);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CRATE = path.join(ROOT, 'e2e', 'floor');
const TARGET = path.join(ROOT, 'target', 'floor');
const served = mkdtempSync(path.join(tmpdir(), 'bench-floor-'));
const floor = path.join(served, 'floor');

const run = (cmd, args, options = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], ...options });
console.log('building the Leptos floor (e2e/floor)…');
run('cargo', ['build', '--locked', '--release', '--target', 'wasm32-unknown-unknown', '--target-dir', TARGET], {
  cwd: CRATE,
  env: { ...process.env, RUSTFLAGS: '--cfg erase_components' },
});
cpSync(path.join(CRATE, 'page'), floor, { recursive: true });
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', floor, path.join(TARGET, 'wasm32-unknown-unknown', 'release', 'leptos_floor.wasm')]);
const wasm = path.join(floor, 'leptos-floor_bg.wasm');
// wasm-bindgen names its output after the crate (leptos_floor); the page expects dashes.
cpSync(path.join(floor, 'leptos_floor_bg.wasm'), wasm);
cpSync(path.join(floor, 'leptos_floor.js'), path.join(floor, 'leptos-floor.js'));
run('wasm-opt', ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', '-o', wasm, wasm]);
// Precompressed like the widget's bundle, so that the proxy sends both as brotli.
for (const file of ['leptos-floor_bg.wasm', 'leptos-floor.js', 'boot.js']) {
  const data = readFileSync(path.join(floor, file));
  writeFileSync(path.join(floor, `${file}.br`), zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(path.join(floor, `${file}.gz`), zlib.gzipSync(data, { level: 9 }));
}
symlinkSync(path.join(ROOT, 'dist'), path.join(served, 'widget'));
process.env.E2E_DIST = served;
const harness = await import('./harness.mjs');

const PAGES = {
  'static page, one row': '/floor/static.html',
  'Leptos, 50 lines': '/floor/index.html',
  'Leptos, 50 lines after the 2 requests': '/floor/index.html?data',
  'the widget (<payex-invoice>)': '/widget/embed/demo/invoice.html?invoice=604001',
};
const times = Object.fromEntries(Object.keys(PAGES).map((name) => [name, []]));
const services = await harness.startServices();
const browser = await harness.launchBrowser();
try {
  for (let round = 0; round < RUNS; round++) {
    const order = Object.entries(PAGES);
    if (round % 2) order.reverse();
    for (const [name, url] of order) {
      times[name].push(await coldFirstLine(browser, harness.BASE + url));
    }
  }
} finally {
  await browser.close();
  services.stop();
  rmSync(served, { recursive: true, force: true });
}
const widget = median(times['the widget (<payex-invoice>)']);
console.log(`first line painted, median of ${RUNS} alternating cold loads each, API answers ${process.env.BENCH_UPSTREAM_MS || 0} ms late:`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(`  ${name.padEnd(40)} ${m.toFixed(0).padStart(4)} ms   (widget / this: ${(widget / m).toFixed(2)})`);
}
