// Checks that what a host reads about the elements agrees with the code: the Custom Elements
// Manifest (embed/custom-elements.json), the TypeScript declarations (embed/payex-billing.d.ts)
// and the README's embedding section, against the sources (embed/payex-billing.js for the
// elements and attributes, src/embed/events.rs for the events, the views' `part` attributes,
// style/widget.css for the custom properties and the theme attribute).
// Prints each check and `N passed, N failed`; exits 1 on a difference.
//   node scripts/check-embed-api.mjs
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file) => readFileSync(path.join(ROOT, file), 'utf8');
const rustFiles = (dir) => readdirSync(path.join(ROOT, dir)).flatMap((name) => {
  const file = path.join(dir, name);
  return statSync(path.join(ROOT, file)).isDirectory() ? rustFiles(file) : name.endsWith('.rs') ? [file] : [];
});
const all = (text, pattern) => [...text.matchAll(pattern)].map((m) => m[1]);
const sorted = (values) => [...new Set(values)].sort();

// ---- the sources ------------------------------------------------------------------------------
const loader = read('embed/payex-billing.js');
const block = (name) => loader.slice(loader.indexOf(`const ${name} = {`), loader.indexOf('};', loader.indexOf(`const ${name} = {`)));
const attributePairs = [...block('ATTRIBUTES').matchAll(/^\s*'?([a-z-]+)'?: '([a-zA-Z]+)'/gm)].map((m) => [m[1], m[2]]);
const css = read('style/widget.css');
// The theme attribute is read by the stylesheet alone (:host([theme=dark])).
const themeAttributes = all(css, /:host\(\[?(?::not\(\[)?([a-z-]+)=/g);
const source = {
  elements: sorted(all(block('ELEMENTS'), /'(payex-[a-z-]+)'/g)),
  attributes: sorted([...attributePairs.map(([a]) => a), ...themeAttributes]),
  options: sorted(attributePairs.map(([, o]) => o)),
  events: sorted(all(read('src/embed/events.rs'), /=> "(payex-[a-z-]+)"/g)),
  parts: sorted([
    ...rustFiles('src').flatMap((file) => all(read(file), /part="([a-z-]+)"/g)),
    ...all(loader, /setAttribute\('part', '([a-z-]+)'\)/g),
  ]),
  cssProperties: sorted(all(css, /(--bw-[a-z-]+):/g)),
};

// ---- what hosts read --------------------------------------------------------------------------
const manifest = JSON.parse(read('embed/custom-elements.json'));
const classes = manifest.modules.flatMap((m) => m.declarations).filter((d) => d.customElement);
const types = read('embed/payex-billing.d.ts');
const readme = read('README.md');
const embedding = readme.slice(readme.indexOf('**Events**'), readme.indexOf('**Languages**'));

if (process.env.VERBOSE) console.log(source);
let passed = 0;
let failed = 0;
function check(what, actual, expected) {
  const a = JSON.stringify(sorted(actual));
  const e = JSON.stringify(expected);
  if (a === e) {
    passed++;
    console.log(`ok   ${what}`);
  } else {
    failed++;
    const missing = expected.filter((x) => !actual.includes(x));
    const extra = sorted(actual).filter((x) => !expected.includes(x));
    console.log(`FAIL ${what}\n     missing: ${missing.join(', ') || '-'}\n     not in the code: ${extra.join(', ') || '-'}`);
  }
}

check('manifest: the elements', classes.map((c) => c.tagName), source.elements);
for (const c of classes) {
  check(`manifest: ${c.tagName}'s attributes`, c.attributes.map((a) => a.name), source.attributes);
  check(`manifest: ${c.tagName}'s events`, c.events.map((e) => e.name), source.events);
  check(`manifest: ${c.tagName}'s ::part names`, c.cssParts.map((p) => p.name), source.parts);
  check(`manifest: ${c.tagName}'s CSS custom properties`, c.cssProperties.map((p) => p.name), source.cssProperties);
}
const typeBlock = (name) => types.slice(types.indexOf(`interface ${name}`), types.indexOf('}', types.indexOf(`interface ${name}`)));
check('types: HTMLElementTagNameMap', all(typeBlock('HTMLElementTagNameMap'), /'(payex-[a-z-]+)'/g), source.elements);
check('types: PayexEventMap', all(typeBlock('PayexEventMap'), /'(payex-[a-z-]+)'/g), source.events);
check('types: mount() options', [...all(typeBlock('PayexOptions'), /^\s*([a-zA-Z]+)\??:/gm), 'customerNo', 'invoiceNo'].filter((o) => o !== 'sessionToken'), source.options);
const jsx = read('embed/payex-billing-jsx.d.ts');
const jsxProps = jsx.slice(jsx.indexOf('interface PayexElementProps'), jsx.indexOf('}', jsx.indexOf('interface PayexElementProps')));
check('JSX types: the attributes', [...all(jsxProps, /^\s*'?([a-z-]+)'?\??:/gm).filter((a) => !['id', 'class', 'style', 'lang', 'ref', 'key'].includes(a)), ...all(jsx, /& \{ '([a-z-]+)': string \}/g)], source.attributes);
check('JSX types: the elements', all(jsx.slice(jsx.indexOf('interface PayexIntrinsicElements')), /'(payex-[a-z-]+)'/g), source.elements);
check('README: the events table', all(embedding, /^\| `(payex-[a-z-]+)` \|/gm), source.events);
const partsSentence = embedding.slice(embedding.indexOf('`::part()` names:'), embedding.indexOf('.', embedding.indexOf('`::part()` names:') + 20));
check('README: the ::part names', all(partsSentence, /`([a-z-]+)`/g), source.parts);
const theming = embedding.slice(embedding.indexOf('**Theming**'), embedding.indexOf('`::part()`'));
const named = all(theming, /`(--bw-[a-z-]+)`/g);
// The README names colours once in full and then by their tails (`-muted`, `-bg`, ...).
const tails = all(theming.slice(theming.indexOf('Colours:'), theming.indexOf(';', theming.indexOf('Colours:'))), /`(-[a-z][a-z-]*)`/g)
  .map((t) => `--bw-color${t}`);
check('README: the CSS custom properties', [...named, ...tails], source.cssProperties);

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
