// Mint a billing-proxy session token on the host's backend (Node 18+, no packages).
// The proxy (access = "signed-session") verifies it with the same key; the widget sends it
// as `x-billing-session`.
import { createHmac } from 'node:crypto';

export function mintSession(key, { ownerNo, customerNo, scope = 'read', lifetimeS = 900, sub, now }) {
  const claims = { ownerNo, customerNo, scope, exp: Math.floor((now ?? Date.now() / 1000)) + lifetimeS };
  if (sub !== undefined) claims.sub = sub; // who is signed in, for the proxy's audit log
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  const signature = createHmac('sha256', key).update(payload).digest('base64url');
  return `${payload}.${signature}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const key = Buffer.from('0123456789abcdef0123456789abcdef'); // in production: the key file
  console.log(mintSession(key, { ownerNo: '100200', customerNo: 'Åkesson & Co/7', scope: 'read', lifetimeS: 600, sub: 'user-1', now: 2000000000 }));
}
