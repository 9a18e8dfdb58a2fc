// Prints the embeddable bundle's size (what a host downloads: wasm + JS + CSS; raw, gzip -9,
// brotli 11) and fails above the budget. Usage: node scripts/bundle-size.mjs [dist/embed]
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const BUDGET = 150 * 1024; // brotli bytes; aim for 100 KB
const dir = process.argv[2] || 'dist/embed';
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
console.log(`\nbudget: ${kb(BUDGET).trim()} brotli: ${verdict} (${((total.brotli / BUDGET) * 100).toFixed(0)} % of it; aim for 100 KB)`);
process.exitCode = total.brotli <= BUDGET ? 0 : 1;
