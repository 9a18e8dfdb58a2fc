// The standalone site as a company deploys it: settings from config.json, who the visitor is
// from the proxy (GET /billing-proxy/session). Signed-session mode against a real proxy in that
// mode (harness `sessionBase()`), the session in the HttpOnly `__Host-billing-session` cookie a
// company's login would set; trusted mode on the main services.
import { test, assert, assertEqual, api, allItems, sessionBase, mintSession, BASE } from './harness.mjs';
import { violations } from './accessibility.mjs';

const OWNER = '100200';
const PRIVATE = '15615616';
const BUSINESS = '5566778899';
const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent.replace(/\u00a0/g, ' ').trim()));

/** Signs in as a company's login would: its answer sets the session cookie, HttpOnly, Secure,
 * SameSite=Strict, with the `__Host-` prefix's rules (Path=/, no Domain). The login page is
 * played here (page.route); the browser takes the cookie from its `Set-Cookie`. */
async function signIn(page, base, token, login = 'e2e-login') {
  await page.route(`${base}/${login}`, (route) => route.fulfill({
    status: 200,
    contentType: 'text/html',
    headers: { 'set-cookie': `__Host-billing-session=${token}; Path=/; Secure; HttpOnly; SameSite=Strict` },
    body: '<!DOCTYPE html><title>Signed in</title>',
  }));
  await page.goto(`${base}/${login}`);
  const cookies = await page.context().cookies(base);
  assert(cookies.some((c) => c.name === '__Host-billing-session' && c.httpOnly && c.secure), `the browser kept the session cookie: ${JSON.stringify(cookies.map((c) => c.name))}`);
}

test('site, signed session in an HttpOnly cookie: that customer only, no picker, no script holds the token', async (page) => {
  const base = await sessionBase();
  const token = mintSession(PRIVATE);
  await signIn(page, base, token);
  const sessionHeaders = [];
  page.on('request', (r) => { if (r.headers()['x-billing-session']) sessionHeaders.push(r.url()); });
  // A deep link naming another customer: the session decides whose invoices are shown.
  await page.goto(`${base}/?customer=${BUSINESS}`);
  await page.waitForSelector('.bw-invoice-list tbody tr', { timeout: 30000 });
  const invoices = await allItems(`/billing/invoice/v1/${OWNER}/invoices?customerNo=${PRIVATE}`);
  assertEqual(await texts(page, '.bw-invoice-list tbody th'), invoices.map((i) => i.invoiceNo), "the session's customer's invoices, from the API");
  assertEqual(await page.locator('#bw-customer-no').count(), 0, 'no customer picker');
  assertEqual(await page.locator('.bw-demo-customers').count(), 0, 'no shortcuts, no view switch');
  assert((await page.textContent('.bw-site-header')).includes(PRIVATE), 'the header names the customer');
  assert(!page.url().includes(BUSINESS), `the other customer left the URL: ${page.url()}`);
  assertEqual(await page.evaluate(() => document.cookie), '', 'no script can read the session cookie');
  assertEqual(sessionHeaders, [], 'no request carries the token in a header: the cookie does');
  const info = await page.evaluate(async () => (await fetch('/billing-proxy/session')).json());
  assertEqual([info.mode, info.customerNo, info.scope], ['signed-session', PRIVATE, 'read'], 'the proxy says who the session is');
  assert(!JSON.stringify(info).includes(token), 'the session info never repeats the token');

  // Recurring products of the same customer, read-only (a read session).
  await page.click('#bw-tab-recurring');
  await page.waitForSelector('.bw-recurring h3', { timeout: 30000 });
  const customer = await api(`/billing/customer/v1/${OWNER}/customers/${PRIVATE}`);
  const subscriptions = await allItems(customer.subscriptions);
  assertEqual((await texts(page, '.bw-recurring h3')).length, 1 + subscriptions.length, 'the customer section plus one per subscription');
  assertEqual(await page.locator('.bw-recurring button:has-text("Add")').count(), 0, 'a read session offers no changes');
  assertEqual(await violations(page), [], 'axe violations, signed-session site');
});

test('site, signed session: expiry shows "sign in again" with the configured login link, and so does a 401', async (page, ctx) => {
  ctx.expectedErrors.push(/401/);
  const base = await sessionBase();
  // Ends in 4 s: the page opens with it, then the timer signs the visitor out.
  await signIn(page, base, mintSession(PRIVATE, { lifetimeS: 4 }));
  await page.goto(`${base}/?tab=recurring`);
  await page.waitForSelector('.bw-recurring h3', { timeout: 30000 });
  await page.waitForSelector('.bw-signed-out', { timeout: 15000 });
  assertEqual(await page.locator('.bw-recurring').count(), 0, 'the customer views are gone');
  const link = page.locator('.bw-signed-out a');
  assertEqual(await link.textContent(), 'Sign in again');
  assertEqual(await link.getAttribute('href'), `/embed/demo/crm.html?returnTo=${encodeURIComponent('/?tab=recurring')}`,
    "the login URL from the demo's config.json, its {returnTo} this page's path");
  assertEqual(await page.evaluate(() => document.activeElement?.textContent), 'Your session has ended', 'focus moves to the notice');
  assertEqual(await violations(page), [], 'axe violations, signed out');

  // No session at all: the proxy answers 401 and the page says so at once.
  await page.context().clearCookies();
  await page.goto(`${base}/`);
  await page.waitForSelector('.bw-signed-out', { timeout: 30000 });
  assertEqual(await page.locator('[role=alert] h2').textContent(), 'Your session has ended');
});

test('site, signed session: a cookie renewed by the login keeps the page past the first expiry; a view answered 401 signs out', async (page, ctx) => {
  ctx.expectedErrors.push(/401/);
  const base = await sessionBase();
  await signIn(page, base, mintSession(PRIVATE, { lifetimeS: 5 }));
  const started = Date.now();
  await page.goto(`${base}/`);
  await page.waitForSelector('.bw-invoice-list tbody tr', { timeout: 30000 });
  // The company's login renews the session in the background (another tab, a refresh call).
  await page.route(`${base}/e2e-renew`, (route) => route.fulfill({
    status: 204,
    headers: { 'set-cookie': `__Host-billing-session=${mintSession(PRIVATE)}; Path=/; Secure; HttpOnly; SameSite=Strict` },
  }));
  await page.evaluate(() => fetch('/e2e-renew'));
  await page.waitForTimeout(Math.max(0, started + 7000 - Date.now()));
  assertEqual(await page.locator('.bw-signed-out').count(), 0, 'the renewed session goes on past the first one\'s end');
  assert(await page.locator('.bw-invoice-list tbody tr').count() > 0, 'the invoices stay');

  // The session is gone (signed out elsewhere): the next view to ask is refused, and the page says so.
  await page.context().clearCookies();
  await page.click('#bw-tab-recurring');
  await page.waitForSelector('.bw-signed-out', { timeout: 30000 });
  assertEqual(await page.evaluate(() => document.activeElement?.textContent), 'Your session has ended', 'focus moves to the notice');
});

test('site, trusted mode: the proxy says trusted, the picker and the configured shortcuts stay', async (page) => {
  await page.goto(`${BASE}/`);
  await page.waitForSelector('#bw-customer-no', { timeout: 30000 });
  const info = await page.evaluate(async () => (await fetch('/billing-proxy/session')).json());
  assertEqual([info.mode, info.ownerNo], ['trusted', OWNER], 'the proxy runs in trusted mode');
  assert((await texts(page, '.bw-demo-customers button.bw-chip')).includes(BUSINESS), "the demo config's shortcuts");
  await page.fill('#bw-customer-no', BUSINESS);
  await page.click('.bw-customer-form button[type=submit]');
  await page.waitForSelector('.bw-invoice-list tbody tr', { timeout: 30000 });
  const invoices = await allItems(`/billing/invoice/v1/${OWNER}/invoices?customerNo=${BUSINESS}`);
  assertEqual(await texts(page, '.bw-invoice-list tbody th'), invoices.map((i) => i.invoiceNo), 'any customer, by number');
});

test('site, config.json: a wrong field or one the proxy contradicts is named on the page; none at all is the defaults', async (page, ctx) => {
  ctx.expectedErrors.push(/status of 404/);
  let config = null;
  await page.route(`${BASE}/config.json`, (route) => (config === null
    ? route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' })
    : route.fulfill({ status: 200, contentType: 'application/json', body: config })));
  for (const [body, names] of [
    ['{"view": "admin"}', '`view`'],
    ['{"locale": "sv-SE", "customerShortcuts": [{"label": "no number"}]}', '`customerShortcuts`'],
    ['{"locale": "sv-SE", "ownerNo": "999999"}', '`ownerNo` 999999 but the proxy serves ledger 100200'],
    ['{"mode": "signed-session"}', '`mode` signed-session but the proxy runs in trusted mode'],
    ['{"loginUrl": "javascript:alert(1)"}', '`loginUrl`'],
    ['{locale: sv}', 'not JSON'],
  ]) {
    config = body;
    await page.goto(`${BASE}/`);
    await page.waitForSelector('.bw-site [role=alert]', { timeout: 30000 });
    const title = await page.textContent('.bw-site [role=alert] h2');
    const detail = await page.textContent('.bw-site [role=alert] p');
    // A config that could not be read cannot set the language; one that was read does.
    const read = body.includes('sv-SE') && !body.includes('customerShortcuts');
    assertEqual(title, read ? 'Webbplatsen är inte rätt inställd' : 'This site is not set up correctly', `${body}: the configuration error`);
    assert(detail.includes(names), `${body}: names what is wrong: ${detail}`);
    assert(!/expected|line \d+ column|invalid type/i.test(detail), `${body}: no decoder message: ${detail}`);
    assertEqual(await page.locator('#bw-customer-no').count(), 0, `${body}: no customer views`);
  }
  assertEqual(await violations(page), [], 'axe violations, configuration error');

  // No config.json: the product's defaults (trusted here: the picker, no shortcuts).
  config = null;
  await page.goto(`${BASE}/`);
  await page.waitForSelector('#bw-customer-no', { timeout: 30000 });
  assertEqual(await page.locator('nav.bw-demo-customers').count(), 0, 'no shortcuts without a config');
});
