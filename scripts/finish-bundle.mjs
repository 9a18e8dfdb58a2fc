// Finishes the embeddable bundle in dist/embed/ after Trunk: adds the hashed variant for
// long-term caching and precompressed siblings for the proxy (or any static server) to send.
//
// - Hashed variant: `payex-billing-<hash>.js` loads `billing-widget-<hash>.js`,
//   `billing-widget-<hash>_bg.wasm` and `widget-<hash>.css`; each name carries 16 hex digits of
//   its content's SHA-256, so a server may cache it for a year (`immutable`), and a new release
//   gets new names. `manifest.json` maps the stable names to the hashed ones for a host's build.
//   The stable names stay: a host that prefers one unchanging URL keeps it (revalidated).
// - Precompressed: `.br` (quality 11) and `.gz` (level 9) beside every wasm, JS and CSS file.
//
// Usage: node scripts/finish-bundle.mjs [dist/embed [more directories only to precompress...]]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dir = process.argv[2] || 'dist/embed';
const precompressOnly = process.argv.slice(3);
const LOADER = 'payex-billing.js';
const GLUE = 'billing-widget.js';
const WASM = 'billing-widget_bg.wasm';
const CSS = 'widget.css';
const HASHED = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/;

// A rebuild starts from Trunk's fresh output: drop an earlier run's hashed and compressed files.
for (const name of readdirSync(dir)) {
  if (HASHED.test(name) || /\.(br|gz)$/.test(name)) rmSync(path.join(dir, name));
}
for (const other of precompressOnly) {
  for (const name of readdirSync(other)) if (/\.(br|gz)$/.test(name)) rmSync(path.join(other, name));
}

const read = (name) => readFileSync(path.join(dir, name));

// The stylesheet ships without its comments, the whitespace around braces, semicolons, commas
// and child combinators, and after colons (the source keeps them); refused if a string in it holds
// one of those.
const css = read(CSS).toString().replace(/\/\*[\s\S]*?\*\//g, '');
if ((css.match(/"[^"]*"/g) || []).some((s) => /[{};,:>]/.test(s))) throw new Error(`${CSS}: a string holds { } ; , : or >`);
writeFileSync(path.join(dir, CSS), css.replace(/\s*([{};,>])\s*/g, '$1').replace(/:\s+/g, ':').replace(/;}/g, '}').trim() + '\n');
const hash = (data) => createHash('sha256').update(data).digest('hex').slice(0, 16);

/** Writes `data` under `stem-<hash><ext>` and returns that name. */
function writeHashed(data, stem, ext) {
  const name = `${stem}-${hash(data)}${ext}`;
  writeFileSync(path.join(dir, name), data);
  return name;
}

const wasmName = writeHashed(read(WASM), 'billing-widget', '_bg.wasm');
const glueName = writeHashed(read(GLUE), 'billing-widget', '.js');
const cssName = writeHashed(read(CSS), 'widget', '.css');

// The loader names its three files once each, in quotes; each must be found, or the hashed
// loader would silently load the stable files.
let loader = read(LOADER).toString();
for (const [from, to] of [[`'${WASM}'`, `'${wasmName}'`], [`'./${GLUE}'`, `'./${glueName}'`], [`'${CSS}'`, `'${cssName}'`]]) {
  const count = loader.split(from).length - 1;
  if (count !== 1) throw new Error(`${LOADER} names ${from} ${count} times, expected once`);
  loader = loader.replace(from, to);
}
const loaderName = writeHashed(Buffer.from(loader), 'payex-billing', '.js');

const manifest = { [LOADER]: loaderName, [GLUE]: glueName, [WASM]: wasmName, [CSS]: cssName };
writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

let compressed = 0;
for (const folder of [dir, ...precompressOnly]) {
  for (const name of readdirSync(folder)) {
    if (!/\.(js|wasm|css)$/.test(name)) continue;
    const file = path.join(folder, name);
    const data = readFileSync(file);
    const brotli = zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    });
    writeFileSync(`${file}.br`, brotli);
    writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
    compressed += 1;
  }
}
console.log(`hashed bundle: ${loaderName} (manifest.json); ${compressed} files precompressed (.br, .gz)`);
