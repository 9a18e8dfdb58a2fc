// End-to-end tests of the React host example (examples/react-host/), built with esbuild from the
// installed npm package into dist/react-host/ by scripts/npm-package.sh. The host's backend (its
// `session` endpoint, which signs sessions in a real deployment) is played by the test, as is
// the proxy's 401 for a session the test declares expired; everything else is the real path.
import { test, assert, assertEqual, allItems, api, BASE } from './harness.mjs';

const OWNER = '100200';
const A = '15615616';
const B = 'Åkesson & Co/7';
const PAGE = '/react-host/';
const enc = encodeURIComponent;
const invoicesOf = (customer) => allItems(`/billing/invoice/v1/${OWNER}/invoices?customerNo=${enc(customer)}`);
const subscriptionsOf = async (customer) => allItems((await api(`/billing/customer/v1/${OWNER}/customers/${enc(customer)}`)).subscriptions);
const texts = (page, selector) => page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent.replace(/[\u00a0\u202f]/g, ' ').trim()));
const status = (page) => page.locator('.host-status').textContent();

/** Waits until the React page shows `customer`'s invoices, as many as the API lists. */
async function showsInvoices(page, invoices) {
  await page.waitForFunction((numbers) => {
    const rows = [...document.querySelector('payex-invoice-list')?.shadowRoot?.querySelectorAll('.bw-invoice-list tbody th') ?? []];
    return rows.map((r) => r.textContent.trim()).join() === numbers.join();
  }, invoices.map((i) => i.invoiceNo), { timeout: 30000 });
}

test('React host: invoices and recurring products, invoice-opened and session renewal reach the host, another customer re-renders', async (page, ctx) => {
  ctx.expectedErrors.push(/status of 401/);
  const built = await page.request.get(BASE + PAGE + 'main.js');
  assert(built.ok(), `${PAGE}main.js: ${built.status()}; scripts/npm-package.sh builds the example into dist/react-host/`);
  const issued = []; // sessions the host's backend signed: { customerNo, token }
  const expired = new Set();
  const calls = []; // API requests: { path, token, status }
  await page.route('**/react-host/session', async (route) => {
    const { customerNo } = JSON.parse(route.request().postData() || '{}');
    const token = `session-${issued.length + 1}`;
    issued.push({ customerNo, token });
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ token }) });
  });
  await page.route((url) => url.pathname.startsWith('/billing/'), (route) => {
    const url = new URL(route.request().url());
    const token = route.request().headers()['x-billing-session'];
    const call = { path: decodeURIComponent(url.pathname + url.search), token, status: expired.has(token) ? 401 : 'forwarded' };
    calls.push(call);
    if (call.status !== 401) return route.continue();
    return route.fulfill({
      status: 401, contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'billing/proxy/problems/session-expired', title: 'Session expired', status: 401, instance: `e2e-react-${calls.length}` }),
    });
  });
  const assets = [];
  page.on('request', (r) => { if (/\.(js|wasm|css)$/.test(new URL(r.url()).pathname)) assets.push(new URL(r.url()).pathname); });

  // Customer A: the page asks its backend for A's session, and both elements show A's data.
  const [invoicesA, subscriptionsA] = await Promise.all([invoicesOf(A), subscriptionsOf(A)]);
  await page.goto(BASE + PAGE);
  await showsInvoices(page, invoicesA);
  await page.waitForSelector('payex-recurring-products .bw-recurring h3');
  const headings = await texts(page, 'payex-recurring-products .bw-recurring h3');
  assertEqual(headings.length, 1 + subscriptionsA.length, `the recurring products: the customer's, then one section per subscription: ${headings}`);
  subscriptionsA.forEach((s, i) => assert(headings[i + 1].startsWith(`Subscription ${s.subscriptionNo}`), `heading ${i + 1}: ${headings[i + 1]}`));
  assertEqual(await page.locator('h1').textContent(), `Customer Anna Andersson (${A})`, 'the host page names the customer');
  assertEqual(issued, [{ customerNo: A, token: 'session-1' }], "one session, A's, from the host's backend");
  assertEqual([...new Set(calls.map((c) => c.token))], ['session-1'], 'every API request carried it (the property reached both elements)');
  assertEqual(await page.evaluate(() => [...document.querySelectorAll('[sessiontoken], [session-token]')].length), 0, 'the token is no attribute in the DOM');
  assertEqual([...new Set(assets)].sort(), ['/react-host/billing-widget_bg.wasm', '/react-host/main.js', '/react-host/widget.css'], "the host's bundle and the installed package's wasm and stylesheet, nothing from /embed/");
  assertEqual(await status(page), 'No invoice opened', 'nothing opened yet');

  // Opening an invoice: the host hears payex-invoice-opened.
  await page.click(`payex-invoice-list button[aria-label="Open invoice ${invoicesA[0].invoiceNo}"]`);
  await page.waitForFunction((no) => document.querySelector('.host-status')?.textContent === `Opened invoice ${no}`, invoicesA[0].invoiceNo);
  await page.waitForSelector(`payex-invoice-list .bw-invoice-header:has-text("${invoicesA[0].invoiceNo}")`);

  // The session expires; the next invoice is refused, the host renews and the element retries.
  expired.add('session-1');
  const before = calls.length;
  await page.click(`payex-invoice-list button[aria-label="Open invoice ${invoicesA[1].invoiceNo}"]`);
  await page.waitForSelector(`payex-invoice-list .bw-invoice-header:has-text("${invoicesA[1].invoiceNo}")`, { timeout: 20000 });
  await page.waitForFunction(() => /session renewed 1 time$/.test(document.querySelector('.host-status')?.textContent || ''));
  assertEqual(await status(page), `Opened invoice ${invoicesA[1].invoiceNo} · session renewed 1 time`, 'the host shows the opened invoice and the renewal');
  assertEqual(issued.slice(1), [{ customerNo: A, token: 'session-2' }], "renewed once, for A (one renewal, however many requests were refused)");
  const after = calls.slice(before);
  const refused = after.filter((c) => c.status === 401);
  assert(refused.length >= 1 && refused.every((c) => c.token === 'session-1'), `the expired session was refused: ${JSON.stringify(refused)}`);
  const retried = after.filter((c) => c.status !== 401 && c.path.endsWith(`/invoices/${invoicesA[1].invoiceNo}`));
  assert(retried.length >= 1 && retried.every((c) => c.token === 'session-2'), `the retry carried the renewed session: ${JSON.stringify(after)}`);
  await page.waitForSelector('payex-invoice-list .bw-charges tr.bw-line, payex-invoice-list .bw-charges tr.bw-fold');

  // Customer B: a new session for B, then the same elements re-render with B's data.
  const [invoicesB, subscriptionsB] = await Promise.all([invoicesOf(B), subscriptionsOf(B)]);
  await page.evaluate(() => { for (const e of document.querySelectorAll('payex-invoice-list, payex-recurring-products')) e.hostMark = 'A'; });
  const beforeB = calls.length;
  await page.click('nav[aria-label=Customers] button:has-text("Åkesson & Co")');
  await showsInvoices(page, invoicesB);
  await page.waitForFunction((n) => document.querySelector('payex-recurring-products')?.shadowRoot?.querySelectorAll('.bw-recurring h3').length === n, 1 + subscriptionsB.length);
  const headingsB = await texts(page, 'payex-recurring-products .bw-recurring h3');
  subscriptionsB.forEach((s, i) => assert(headingsB[i + 1].startsWith(`Subscription ${s.subscriptionNo}`), `B's heading ${i + 1}: ${headingsB[i + 1]}`));
  assertEqual(await page.locator('h1').textContent(), `Customer Åkesson & Co (${B})`, 'the host page names customer B');
  assertEqual(await status(page), 'No invoice opened · session renewed 1 time', "B's page starts with no invoice opened");
  assertEqual(issued.slice(2), [{ customerNo: B, token: 'session-3' }], "B's session, from the host's backend");
  const callsB = calls.slice(beforeB).filter((c) => c.path.includes(B));
  assert(callsB.length >= 2 && callsB.every((c) => c.token === 'session-3'), `B's data was asked for with B's session: ${JSON.stringify(callsB)}`);
  assertEqual(await page.evaluate(() => [...document.querySelectorAll('payex-invoice-list, payex-recurring-products')].map((e) => e.hostMark)), ['A', 'A'], 'the same elements, re-rendered (not replaced)');
});
