// Lays out the npm package of the embeddable bundle from the finished dist/embed/ (no second
// build): the elements' module, its JS glue, wasm and stylesheet under their stable and hashed
// names, manifest.json, the TypeScript declarations, the Custom Elements Manifest, a
// package.json whose version is the root crate's (Cargo.toml) and a short README.
// `npm pack` of the result is the tarball a host installs.
//
// Usage: node scripts/package-layout.mjs [dist/embed [dist/package]]
import { readFileSync, writeFileSync, readdirSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = process.argv[2] || 'dist/embed';
const to = process.argv[3] || 'dist/package';
const NAME = '@payex-billing/elements';

/** The root crate's `version` in Cargo.toml (the first `version =` after `[package]`). */
function cargoVersion() {
  const toml = readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8');
  const match = toml.split(/^\[package\]$/m)[1]?.match(/^version = "([^"]+)"$/m);
  if (!match) throw new Error('Cargo.toml: no version under [package]');
  return match[1];
}

const manifest = JSON.parse(readFileSync(path.join(from, 'manifest.json'), 'utf8'));
// What ships: the stable names, their hashed variants (manifest.json's values), the declarations
// and the Custom Elements Manifest. Not the .br/.gz siblings (a host's server compresses) nor the
// demo pages.
const files = [
  ...Object.keys(manifest),
  ...Object.values(manifest),
  'manifest.json',
  ...readdirSync(from).filter((name) => name.endsWith('.d.ts')).sort(),
  'custom-elements.json',
];

rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
for (const name of files) copyFileSync(path.join(from, name), path.join(to, name));

const loaders = ['./payex-billing.js', `./${manifest['payex-billing.js']}`];
const pkg = {
  name: NAME,
  version: cargoVersion(),
  description: 'PayEx Billing custom elements: <payex-invoice>, <payex-invoice-list> and <payex-recurring-products> (Leptos, WebAssembly), with TypeScript and JSX types',
  license: 'MIT',
  type: 'module',
  module: './payex-billing.js',
  types: './payex-billing.d.ts',
  exports: {
    '.': { types: './payex-billing.d.ts', default: './payex-billing.js' },
    './react': { types: './payex-billing-react.d.ts' },
    './preact': { types: './payex-billing-preact.d.ts' },
    './widget.css': './widget.css',
    './billing-widget_bg.wasm': './billing-widget_bg.wasm',
    './manifest.json': './manifest.json',
    './custom-elements.json': './custom-elements.json',
    './package.json': './package.json',
  },
  files: [...files, 'README.md'],
  // The elements' module defines the custom elements and starts the wasm download when it is
  // imported: a bundler must keep that import even though nothing of it is used by name.
  sideEffects: loaders,
  customElements: 'custom-elements.json',
};
writeFileSync(path.join(to, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');

writeFileSync(path.join(to, 'README.md'), `# ${NAME}

The PayEx Billing views as custom elements: \`<payex-invoice>\`, \`<payex-invoice-list>\` and
\`<payex-recurring-products>\`, each in its own shadow root. Version ${pkg.version}.

\`\`\`js
import '${NAME}';            // defines the elements (a side effect) and starts the wasm download
import type {} from '${NAME}/react';   // React 19 JSX types (or '${NAME}/preact')
\`\`\`

\`\`\`html
<payex-invoice-list owner-no="100200" customer-no="15615616"></payex-invoice-list>
\`\`\`

\`payex-billing.js\` loads \`billing-widget.js\`, \`billing-widget_bg.wasm\` and \`widget.css\` from
beside itself (\`import.meta.url\`). Serve this directory as it is, or, when a bundler inlines the
module into your own script, copy \`billing-widget_bg.wasm\` and \`widget.css\` beside that
script. \`manifest.json\` names the hashed variants (\`payex-billing-<hash>.js\` and its files)
for caching them for a year. A session token is a property (\`element.sessionToken = token\`),
never an attribute; renew it on \`payex-authentication-required\`.

Types: \`payex-billing.d.ts\` (elements, \`mount()\`/\`unmount()\`, every event's \`detail\`);
Custom Elements Manifest: \`custom-elements.json\`.
`);
console.log(`npm package laid out in ${to}: ${NAME}@${pkg.version}, ${files.length + 2} files`);
