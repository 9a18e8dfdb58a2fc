// The host's backend, as the page sees it: POST `session` with the customer shown, answered with
// a session token that the host's server signed for that customer (as
// proxy/examples/mint_session.py does). The widget never sees how; it only gets the token.

/** Asks the host's backend for a session for `customerNo`; rejects if it refuses. */
export async function fetchSession(customerNo: string): Promise<string> {
  const response = await fetch('session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerNo }),
  });
  if (!response.ok) throw new Error(`the session service answered ${response.status}`);
  const { token } = (await response.json()) as { token?: unknown };
  if (typeof token !== 'string' || !token) throw new Error('the session service sent no token');
  return token;
}
