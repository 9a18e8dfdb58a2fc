// Loads the hashed variant of the bundle, as named in manifest.json (a host's build would put
// the name straight into its page instead).
const base = new URL('../', import.meta.url);
const manifest = await fetch(new URL('manifest.json', base)).then((r) => r.json());
await import(new URL(manifest['payex-billing.js'], base).href);
