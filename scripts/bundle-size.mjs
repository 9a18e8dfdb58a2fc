// Prints the embeddable bundle's size (what a host downloads: wasm + JS + CSS; raw, gzip -9,
// brotli 11) against the 150 KB brotli budget, and fails when the bundle grows past its
// ceiling (today's size and a little room), so it only ever shrinks; `--strict` fails above the
// budget itself. Usage: node scripts/bundle-size.mjs [--strict] [dist/embed]
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const BUDGET = 150 * 1024; // brotli bytes; aim for 100 KB
// Lower it whenever the bundle shrinks (248.4 KB brotli on 2026-11-22; 269.8 KB on 2026-12-04
// with all of issue 18: the tolerant reader, link checks and translated errors, about +11 KB;
// the panic hook +2.3 KB; the invoice list's filled columns +3.5 KB; checked money arithmetic
// and CSV neutralising +0.6 KB; amounts read per locale, configurable VAT rates and the forms'
// translated messages, the rest; 273.8 KB on 2026-12-05 with issue 20's gloo-net client, +1.4 KB,
// and the views' report callbacks and locale context, +2.1 KB; 308.4 KB on 2026-12-05 with issue
// 21's comparison and estimate, +34.6 KB, most of it Leptos's reactive and view code instantiated
// for the new components (reactive_graph, tachys and core +78 KB before wasm-opt, the widget's own
// code +26 KB), and the narrow layouts' CSS; 313.3 KB with the folded charges, +4.9 KB).
// 312.7 KB on 2026-12-06 with a second wasm-opt -Oz pass (embed.html), -1.2 KB; 313.1 KB with a
// retry offered only where it may pass (ApiError::may_pass_on_retry), +0.4 KB. 314.9 KB on
// 2026-12-06 with issue 20's early requests (payex-billing.js sends the invoice and invoice-list
// views' first requests while the wasm loads; the views take their answers): +1.2 KB of loader
// and +0.5 KB of wasm; 315.2 KB with the recurring products' early requests (+0.3 KB). CI has
// read up to 0.3 KB more than a local build, hence 315.5.
const CEILING = 315.5 * 1024;
const args = process.argv.slice(2);
const strict = args.includes('--strict');
const dir = args.find((a) => !a.startsWith('--')) || 'dist/embed';
const files = ['billing-widget_bg.wasm', 'billing-widget.js', 'payex-billing.js', 'widget.css'];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
let total = { raw: 0, gzip: 0, brotli: 0 };
console.log(`file                       |       raw |      gzip |    brotli`);
console.log(`---------------------------|-----------|-----------|----------`);
for (const name of files) {
  const file = path.join(dir, name);
  statSync(file);
  const data = readFileSync(file);
  const size = {
    raw: data.length,
    gzip: zlib.gzipSync(data, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }).length,
  };
  for (const k of Object.keys(total)) total[k] += size[k];
  console.log(`${name.padEnd(26)} | ${kb(size.raw)} | ${kb(size.gzip)} | ${kb(size.brotli)}`);
}
console.log(`${'total'.padEnd(26)} | ${kb(total.raw)} | ${kb(total.gzip)} | ${kb(total.brotli)}`);
const verdict = total.brotli <= BUDGET ? 'within' : 'OVER';
const grown = total.brotli > CEILING;
console.log(`\nbudget: ${kb(BUDGET).trim()} brotli: ${verdict} (${((total.brotli / BUDGET) * 100).toFixed(0)} % of it; aim for 100 KB)`);
console.log(`ceiling: ${kb(CEILING).trim()} brotli: ${grown ? 'GROWN PAST IT' : 'not exceeded'}`);
process.exitCode = grown || (strict && total.brotli > BUDGET) ? 1 : 0;
