// Mint a billing-proxy session token, a JWT, on the host's backend with jose (npm install jose).
// The proxy (access = "signed-session") verifies it with the HS256 key you share with it
// (session-key-file) or with your Ed25519 public key (session-public-key); the widget sends it
// as `x-billing-session`.
//   node mint-session.mjs HS256 KEY_FILE OWNER_NO CUSTOMER_NO SUB [read|read-write]
//   node mint-session.mjs EdDSA PRIVATE_KEY_PEM_FILE OWNER_NO CUSTOMER_NO SUB [read|read-write]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { SignJWT, importPKCS8 } from 'jose';

// key: the HS256 key's text, or the Ed25519 private key in PEM (PKCS#8). Keep lifetimeS within
// the proxy's session-max-lifetime-s; audience is its session-audience.
export async function mintSession(key, alg, { ownerNo, customerNo, sub, scope = 'read', lifetimeS = 600, audience = 'billing-proxy' }) {
  const signingKey = alg === 'EdDSA' ? await importPKCS8(key, 'EdDSA') : new TextEncoder().encode(key);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ownerNo, customerNo, scope })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setSubject(sub)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeS)
    .sign(signingKey);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [alg, keyFile, ownerNo, customerNo, sub, scope] = process.argv.slice(2);
  const key = readFileSync(keyFile, 'utf8').trim(); // the proxy trims the key file too
  console.log(await mintSession(key, alg, { ownerNo, customerNo, sub, scope }));
}
