// End-to-end tests of the embeddable bundle: the custom elements on the example host pages
// (dist/embed/demo/), served by the proxy like any host's static files.
import path from 'node:path';
import { test, assert, assertEqual, allItems, ARTIFACTS, BASE } from './harness.mjs';

const OWNER = '100200';
const PRIVATE = '15615616';
const CRM = '/embed/demo/crm.html';
const MY_PAGES = '/embed/demo/my-pages.html';
const invoicesOf = (customer) => allItems(`/billing/invoice/v1/${OWNER}/invoices?customerNo=${encodeURIComponent(customer)}`);
const texts = (page, selector) => page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent.replace(/[\u00a0\u202f]/g, ' ').trim()));
const events = (page) => page.evaluate(() => window.payexEvents);

/** Waits until the host page has seen `count` events named `name`; returns them. */
async function seen(page, name, count = 1) {
  await page.waitForFunction(([n, c]) => (window.payexEvents || []).filter((e) => e.name === n).length >= c, [name, count], { timeout: 20000 });
  return (await events(page)).filter((e) => e.name === name);
}

/** Records CSP violations before any script of the page runs. */
async function watchCsp(page) {
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

test('CRM host page: hostile CSS and a strict CSP break nothing, and the widget CSS stays inside', async (page) => {
  await watchCsp(page);
  const wasmRequests = [];
  page.on('request', (request) => { if (request.url().endsWith('.wasm')) wasmRequests.push(request.url().replace(BASE, '')); });
  await page.goto(BASE + CRM);
  const loaded = await seen(page, 'payex-loaded', 2);
  assertEqual(loaded.map((e) => e.target).sort(), ['payex-invoice-list', 'payex-recurring-products'], 'both elements on the page loaded');
  assertEqual(await page.evaluate(() => window.cspViolations), [], 'the strict policy (only wasm-unsafe-eval) is enough');
  // The page's <link rel=preload> of the wasm is the download the module uses: not a second one.
  assertEqual(wasmRequests, ['/embed/billing-widget_bg.wasm'], 'the wasm is downloaded once, through the preload hint');

  // Inside: the widget's own look, whatever the page says about fonts, tables and buttons.
  const inside = await page.locator('payex-recurring-products').evaluate((host) => {
    const root = host.shadowRoot.querySelector('.bw-root');
    const table = host.shadowRoot.querySelector('table');
    const headRow = host.shadowRoot.querySelector('thead tr');
    const button = host.shadowRoot.querySelector('button');
    const style = (e) => getComputedStyle(e);
    return {
      font: style(root).fontSize, transform: style(root).textTransform, spacing: style(root).letterSpacing,
      table: style(table).display, rowHeight: headRow.getBoundingClientRect().height,
      buttonBackground: style(button).backgroundColor, accent: style(root).getPropertyValue('--bw-color-accent').trim(),
    };
  });
  assertEqual([inside.font, inside.transform, inside.spacing, inside.table], ['15px', 'none', 'normal', 'table'], 'host CSS does not reach inside');
  assert(inside.rowHeight < 50, `rows keep their size despite a 40px root font and line-height 3: ${inside.rowHeight}px`);
  assert(!/255, 105, 180/.test(inside.buttonBackground), `the host's hotpink !important buttons stay outside: ${inside.buttonBackground}`);
  assertEqual(inside.accent, '#00695c', 'the host themes the widget through --bw-color-accent');

  // Outside: the page is as its own CSS says, and nothing was added to its head.
  const outside = await page.evaluate(() => ({
    h2: getComputedStyle(document.querySelector('h2')).textTransform,
    headSheets: [...document.head.querySelectorAll('link[rel=stylesheet], style')].map((e) => e.getAttribute('href')),
    globals: Object.keys(window).filter((k) => /wasm|bindgen|leptos|payex(?!Events)/i.test(k)),
  }));
  assertEqual(outside.h2, 'uppercase', "the page's own headings keep the page's style");
  assertEqual(outside.headSheets, ['crm.css'], 'no stylesheet was added to the host head');
  assertEqual(outside.globals, [], 'no globals beyond the element definitions');
  await page.screenshot({ path: path.join(ARTIFACTS, 'crm-host-page.png'), fullPage: true });
});

test('events reach the host with their documented detail; attribute changes update the view', async (page, ctx) => {
  ctx.expectedErrors.push(/status of 404/);
  const invoices = await invoicesOf(PRIVATE);
  await page.goto(BASE + CRM);
  await seen(page, 'payex-loaded', 2);
  const list = (await events(page)).find((e) => e.target === 'payex-invoice-list').detail;
  assertEqual(list, { view: 'invoice-list', customerNo: PRIVATE, invoices: invoices.length }, 'loaded: the list and its size (keys in the documented order)');

  await page.click(`payex-invoice-list button[aria-label="Open invoice ${invoices[1].invoiceNo}"]`);
  const [opened] = await seen(page, 'payex-invoice-opened');
  assertEqual(opened.detail, { ownerNo: OWNER, customerNo: PRIVATE, invoiceNo: invoices[1].invoiceNo }, 'invoice opened');
  const invoiceLoaded = (await seen(page, 'payex-loaded', 3)).find((e) => e.detail.view === 'invoice');
  assertEqual(invoiceLoaded.detail.invoiceNo, invoices[1].invoiceNo, 'the opened invoice reports when it has loaded');
  await page.waitForSelector('payex-invoice-list .bw-invoice-header');

  // A new customer number reloads the element; an unknown one reports the problem.
  await page.locator('payex-recurring-products').evaluate((e) => e.setAttribute('customer-no', '99999999'));
  const [error] = await seen(page, 'payex-error');
  assertEqual([error.target, error.detail.view, error.detail.status, error.detail.type], ['payex-recurring-products', 'recurring-products', 404, 'billing/customer/problems/customer-not-found'], 'error: view, status and problem type');
  assert(error.detail.instance, 'error: the instance id support asks for');
  await page.waitForSelector('payex-recurring-products .bw-error');
  await page.locator('payex-recurring-products').evaluate((e, no) => e.setAttribute('customer-no', no), PRIVATE);
  await seen(page, 'payex-loaded', 4);
  await page.waitForSelector('payex-recurring-products h3');
});

test('removing an element aborts its requests and leaves no listeners behind', async (page) => {
  await page.goto(BASE + MY_PAGES);
  await seen(page, 'payex-loaded', 2);
  const cdp = await page.context().newCDPSession(page);
  const windowListeners = async () => {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    return listeners.length;
  };
  const before = await windowListeners();
  const aborted = [];
  const started = [];
  page.on('requestfailed', (r) => { if (/ERR_ABORTED/.test(r.failure()?.errorText || '')) aborted.push(r.url()); });
  page.on('request', (r) => started.push({ url: r.url(), at: Date.now() }));

  // The 50,012-line invoice, its subscription lines answered slowly, removed while they load.
  await page.route('**/invoices/604004/subscriptions/*/recurring-products**', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue().catch(() => {}); // aborted by the page meanwhile
  });
  await page.evaluate(() => {
    const element = document.createElement('payex-invoice');
    element.id = 'big';
    element.setAttribute('owner-no', '100200');
    element.setAttribute('invoice-no', '604004');
    element.setAttribute('locale', 'sv-SE');
    document.querySelector('main').append(element);
  });
  await page.waitForSelector('#big .bw-invoice-header');
  for (let i = 0; i < 100 && !started.some((r) => /604004\/subscriptions\/[^/]+\/recurring-products/.test(r.url)); i++) await page.waitForTimeout(20);
  assert(await windowListeners() > before, 'the invoice listens to the window (print mode) while it is shown');
  const removedAt = Date.now();
  await page.evaluate(() => document.getElementById('big').remove());
  await page.waitForTimeout(2000);
  assert(aborted.some((u) => u.includes('/invoices/604004')), `requests in flight were aborted (${aborted.length})`);
  const late = started.filter((r) => r.at > removedAt + 50 && r.url.includes('/invoices/604004'));
  assertEqual(late.map((r) => r.url), [], 'no request starts after the element is gone');
  assertEqual(await windowListeners(), before, 'every window listener it added is removed');
});

test('My Pages in Swedish: the nearest lang decides, amounts in Swedish format, nothing to edit', async (page) => {
  await watchCsp(page);
  await page.goto(BASE + MY_PAGES);
  await seen(page, 'payex-loaded', 2);
  const amounts = await texts(page, 'payex-invoice-list tbody td.bw-num');
  assert(amounts.length > 0 && amounts.every((a) => /^-?\d{1,3}( \d{3})*,\d{2} kr$/.test(a)), `Swedish money: ${amounts.slice(0, 3)}`);
  const accent = await page.locator('payex-recurring-products').evaluate((h) => getComputedStyle(h.shadowRoot.querySelector('.bw-root')).getPropertyValue('--bw-color-accent').trim());
  assertEqual(accent, '#0b5d3b', 'the portal brand colour reaches the widget');
  // The estimate's disclosure reads only; in the overview, nothing but the ended-products toggle.
  const buttons = await texts(page, 'payex-recurring-products .bw-overview button');
  assertEqual(buttons.length, 1, `self-service: only the ended-products toggle, no edit controls: ${buttons}`);
  assertEqual(await page.evaluate(() => window.cspViolations), [], 'the page CSP allows the widget');
});

test("the host page's listeners hear both views load even when their script arrives late", async (page) => {
  // The views' first requests leave with the element's script, so a view can have its data
  // before a slow listener script has run; the page runs its listeners first.
  await page.route('**/demo/event-log.js', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
  await page.goto(BASE + MY_PAGES);
  const loaded = await seen(page, 'payex-loaded', 2);
  assertEqual(loaded.map((e) => e.target).sort(), ['payex-invoice-list', 'payex-recurring-products'], 'each view told the page once');
});

test('loading the script twice is harmless; mount() and unmount() for hosts that prefer JavaScript', async (page) => {
  await page.goto(BASE + MY_PAGES);
  await seen(page, 'payex-loaded', 2);
  const result = await page.evaluate(async () => {
    const definition = customElements.get('payex-invoice');
    await import('/embed/payex-billing.js?loaded-again');
    const again = customElements.get('payex-invoice') === definition;
    const { mount, unmount } = await import('/embed/payex-billing.js');
    const host = document.createElement('div');
    document.querySelector('main').append(host);
    await mount(host, { view: 'invoice', ownerNo: '100200', invoiceNo: '603012', locale: 'en-GB' });
    for (let i = 0; i < 100 && !host.shadowRoot.querySelector('.bw-invoice-header'); i++) await new Promise((r) => setTimeout(r, 50));
    const header = host.shadowRoot.querySelector('.bw-invoice-header')?.textContent || '';
    await mount(host, { view: 'invoice', ownerNo: '100200', invoiceNo: '603011', locale: 'en-GB' });
    for (let i = 0; i < 100 && !(host.shadowRoot.querySelector('.bw-invoice-header')?.textContent || '').includes('603011'); i++) await new Promise((r) => setTimeout(r, 50));
    const updated = host.shadowRoot.querySelector('.bw-invoice-header')?.textContent || '';
    unmount(host);
    return { again, header, updated, after: host.shadowRoot.querySelector('.bw-root')?.childElementCount ?? 0 };
  });
  assert(result.again, 'the second load kept the first definition');
  assert(result.header.includes('603012'), `mount() shows the invoice: ${result.header.slice(0, 80)}`);
  assert(result.updated.includes('603011'), 'mount() again with other options updates the view');
  assertEqual(result.after, 0, 'unmount() leaves nothing rendered');
});

test('a 401 asks the host for a new session; once the host sets it, the element retries by itself', async (page, ctx) => {
  ctx.expectedErrors.push(/status of 401/);
  const sessions = [];
  await page.route(`**/billing/customer/v1/${OWNER}/customers/${PRIVATE}`, (route) => {
    const session = route.request().headers()['x-billing-session'];
    sessions.push(session);
    if (session === 'expired') {
      return route.fulfill({ status: 401, contentType: 'application/problem+json', body: JSON.stringify({ type: 'billing/proxy/problems/session-expired', title: 'Session expired', status: 401, instance: 'e2e-401-2' }) });
    }
    return route.continue();
  });
  await page.goto(BASE + CRM);
  await seen(page, 'payex-loaded', 2);
  await page.evaluate(() => {
    // The host's side: on a 401, renew the session (here: at once) and hand it to the element,
    // as a property: a token is a secret, not an attribute anyone on the page can read.
    document.addEventListener('payex-authentication-required', (e) => { e.target.sessionToken = 'fresh'; });
    const element = document.createElement('payex-recurring-products');
    for (const [k, v] of Object.entries({ 'owner-no': '100200', 'customer-no': '15615616', locale: 'en-GB', id: 'renewing' })) element.setAttribute(k, v);
    element.sessionToken = 'expired';
    document.querySelector('main').append(element);
  });
  const [required] = await seen(page, 'payex-authentication-required');
  assertEqual([required.target, required.detail.instance], ['payex-recurring-products', 'e2e-401-2'], 'the host is asked, with the instance id');
  assert(!JSON.stringify(required.detail).includes('expired'), 'no event detail carries the token');
  await page.waitForSelector('#renewing .bw-overview');
  assertEqual(sessions.slice(-2), ['expired', 'fresh'], 'the retry carried the renewed session');
  const exposed = await page.evaluate(() => {
    const element = document.getElementById('renewing');
    return [element.sessionToken, element.getAttribute('session-token'), element.outerHTML.includes('fresh')];
  });
  assertEqual(exposed, [undefined, null, false], 'the token cannot be read back from the element or the DOM');
});

test('least privilege: an element without mode="crm" offers no changes; a session-token attribute is ignored', async (page, ctx) => {
  const warnings = [];
  page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
  const sessions = [];
  await page.route(`**/billing/customer/v1/${OWNER}/customers/${PRIVATE}`, (route) => {
    sessions.push(route.request().headers()['x-billing-session']);
    return route.continue();
  });
  await page.goto(BASE + CRM);
  await seen(page, 'payex-loaded', 2);
  await page.evaluate(() => {
    for (const [id, mode] of [['no-mode', null], ['typo-mode', 'crm-admin']]) {
      const element = document.createElement('payex-recurring-products');
      for (const [k, v] of Object.entries({ 'owner-no': '100200', 'customer-no': '15615616', locale: 'en-GB', id, 'session-token': 'in-the-dom' })) element.setAttribute(k, v);
      if (mode) element.setAttribute('mode', mode);
      document.querySelector('main').append(element);
    }
  });
  for (const id of ['no-mode', 'typo-mode']) {
    await page.waitForSelector(`#${id} .bw-overview`);
    const buttons = await texts(page, `#${id} .bw-overview button`);
    assertEqual(buttons.length, 1, `${id}: only the ended-products toggle, no edit controls: ${buttons}`);
  }
  assert(!sessions.includes('in-the-dom'), `the attribute's token is not sent: ${sessions}`);
  assertEqual(warnings.filter((w) => w.includes('sessionToken property')).length, 1, `the host is told once: ${warnings}`);
});

test('the hashed bundle loads under its own names, cached for a year, sent precompressed', async (page) => {
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await watchCsp(page);
  await page.goto(BASE + '/embed/demo/cached.html');
  await seen(page, 'payex-loaded');
  assert((await texts(page, 'payex-invoice >> .bw-invoice-header')).join(' ').includes('604001'), 'the invoice shows');
  const manifest = await (await page.request.get(BASE + '/embed/manifest.json')).json();
  const bundle = responses.filter((r) => /\/embed\/[^/]+\.(js|wasm|css)$/.test(new URL(r.url()).pathname));
  const names = bundle.map((r) => path.basename(new URL(r.url()).pathname)).sort();
  assertEqual(names, Object.values(manifest).sort(), 'only the hashed files are loaded, each once');
  for (const r of bundle) {
    const headers = await r.allHeaders();
    assertEqual(headers['cache-control'], 'public, max-age=31536000, immutable', `${r.url()} is cached for a year`);
    assertEqual(headers['content-encoding'], 'br', `${r.url()} is sent precompressed`);
  }
  assertEqual(await page.evaluate(() => window.cspViolations), [], 'the strict policy is enough');
});

/** Loads `url` with the wasm held back until every request in `paths` (path and query) has been
 * asked for, or 10 s have passed, and waits for `loads` views to load; returns each request asked
 * for in `paths`, whether it went while the wasm was held, and its Accept header. Only the
 * element's script can ask while the wasm is held, ahead of the view. */
async function earlyRequests(page, url, paths, loads = 1) {
  const asked = [];
  let heldWasm = true;
  page.on('request', (r) => {
    const { pathname, search } = new URL(r.url());
    if (paths.includes(pathname + search)) asked.push({ path: pathname + search, whileWasmHeld: heldWasm, accept: r.headers().accept });
  });
  await page.route('**/billing-widget_bg.wasm', async (route) => {
    for (let i = 0; i < 500 && asked.length < paths.length; i++) await new Promise((r) => setTimeout(r, 20));
    heldWasm = false;
    await route.continue();
  });
  await page.goto(BASE + url);
  await seen(page, 'payex-loaded', loads);
  return asked.sort((x, y) => x.path.localeCompare(y.path));
}

test('an invoice element asks for its invoice and its charges while the wasm still loads, each once', async (page) => {
  const invoice = `/billing/invoice/v1/${OWNER}/invoices/604001`;
  const asked = await earlyRequests(page, '/embed/demo/invoice.html?invoice=604001', [invoice, `${invoice}/recurring-products`]);
  assert((await texts(page, 'payex-invoice >> tr.bw-line')).length > 0, 'its lines show');
  assertEqual(asked, [
    { path: invoice, whileWasmHeld: true, accept: 'application/json' },
    { path: `${invoice}/recurring-products`, whileWasmHeld: true, accept: 'application/json' },
  ], 'each asked once, before the view existed');
});

test("My Pages asks for the customer's invoices, the customer, its products and its subscriptions while the wasm still loads, each once", async (page) => {
  const list = `/billing/invoice/v1/${OWNER}/invoices?customerNo=${PRIVATE}`;
  const customer = `/billing/customer/v1/${OWNER}/customers/${PRIVATE}`;
  const paths = [list, customer, `${customer}/recurring-products`, `${customer}/subscriptions`];
  const asked = await earlyRequests(page, MY_PAGES, paths, 2);
  assert((await texts(page, 'payex-invoice-list >> tbody tr')).length > 0, 'the invoices show');
  assert((await texts(page, 'payex-recurring-products >> tr.bw-product')).length > 0, 'the products show');
  assertEqual(
    asked,
    paths.map((path) => ({ path, whileWasmHeld: true, accept: 'application/json' })).sort((x, y) => x.path.localeCompare(y.path)),
    'each asked once, before the views existed',
  );
});

test('a session token set right after the element is appended travels with the early requests', async (page) => {
  const invoice = `/billing/invoice/v1/${OWNER}/invoices/603012`;
  const sessions = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith(invoice)) sessions.push(r.headers()['x-billing-session'] || 'none');
  });
  await page.goto(BASE + '/embed/demo/invoice.html?invoice=604001');
  await seen(page, 'payex-loaded');
  await page.evaluate((no) => {
    const element = document.createElement('payex-invoice');
    for (const [k, v] of Object.entries({ 'owner-no': '100200', 'invoice-no': no, locale: 'en-GB', id: 'second' })) element.setAttribute(k, v);
    document.querySelector('main, body').append(element);
    element.sessionToken = 'set-after-append';
  }, '603012');
  await page.waitForSelector('#second .bw-invoice-header');
  assert(sessions.length >= 2, `the invoice and its charges were asked for (${sessions.length})`);
  assertEqual([...new Set(sessions)], ['set-after-append'], 'every request carried the token, none went without');
});
