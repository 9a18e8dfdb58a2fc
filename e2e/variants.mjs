// End-to-end tests against the sandbox's documented-variants mode (`--variants documented`, see
// sandbox/src/variants.rs): every view — the demo site's invoice list, invoice and recurring
// products (CRM and self-service), and the three custom elements on a host page — must show its
// content with no page error and no decoder message, and each defect of issue 18 has a test.
// The variants services are a second sandbox + proxy pair (harness `variantsBase()`).
import { test, assert, assertEqual, allItems, api, variantsBase, BASE } from './harness.mjs';

const OWNER = '100200';
const PRIVATE = '15615616';
const ANNA = '46701234567';
const ERIK = '46702345678';
const SOFIA = '46703456789';
const STUGAN = '46704567890';
const CRM = '/embed/demo/crm.html';
const MY_PAGES = '/embed/demo/my-pages.html';
const INVOICE_API = `/billing/invoice/v1/${OWNER}`;
const CUSTOMER = `/billing/customer/v1/${OWNER}/customers/${PRIVATE}`;
/** What a decoder says; never visible outside a closed `details.bw-error-details`. */
const DECODER = /missing field|unknown variant|invalid type|expected .* at line|line \d+ column \d+|unexpected answer from/i;
const texts = (page, selector) => page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent.replace(/[\u00a0\u202f]/g, ' ').trim()));

/** The page's visible text, inside shadow roots too; a closed `details.bw-error-details`
 * contributes its summary only. */
function visibleText(page) {
  return page.evaluate(() => {
    const out = [];
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
      if (node.nodeType === Node.ELEMENT_NODE) {
        if (['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(node.tagName)) return;
        const style = getComputedStyle(node);
        if (style.display === 'none' || style.visibility === 'hidden') return;
        if (node.matches('details.bw-error-details') && !node.open) {
          const summary = node.querySelector(':scope > summary');
          if (summary) walk(summary);
          return;
        }
        if (node.shadowRoot) walk(node.shadowRoot);
      }
      for (const child of node.childNodes) walk(child);
    };
    walk(document.body);
    return out.join(' ').replace(/\s+/g, ' ');
  });
}

async function assertNoDecoderText(page) {
  const text = await visibleText(page);
  const match = text.match(DECODER);
  assert(!match, `a decoder message is visible: “…${match ? text.slice(Math.max(0, match.index - 100), match.index + 120) : ''}…”`);
}

/** Records the URL of every request the page makes, and every CSP-blocked one. */
async function recordRequests(page) {
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.addInitScript(() => {
    window.__blocked = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__blocked.push(e.blockedURI));
  });
  return urls;
}

/** Every http(s) request (made or blocked by CSP) went to the proxy's own origin. */
async function assertSameOrigin(page, urls, base) {
  const origin = new URL(base).origin;
  const blocked = await page.evaluate(() => window.__blocked || []).catch(() => []);
  const foreign = [...urls, ...blocked].filter((u) => /^(https?:)?\/\//.test(u) && new URL(u, base).origin !== origin);
  assertEqual(foreign, [], `every request goes to the proxy (${origin})`);
}

/** Waits (up to 10 s) until no column of `table` is empty in every row; then asserts it. */
async function assertNoEmptyColumn(page, table) {
  const emptyColumns = () => page.locator(table).first().evaluate((t) => {
    const headers = [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    const rows = [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()));
    return headers.filter((_, i) => rows.length > 0 && rows.every((cells) => !cells[i]));
  });
  let empty = await emptyColumns();
  for (let i = 0; i < 20 && empty.length; i++) {
    await page.waitForTimeout(500);
    empty = await emptyColumns();
  }
  assertEqual(empty, [], 'no column of empty cells (fill it from each invoice, or leave it out)');
}

/** All lines of an invoice, per group, read through the variants proxy (not for the loop). */
async function linesOf(base, invoiceNo) {
  const invoice = `${INVOICE_API}/invoices/${invoiceNo}`;
  const customerLines = await allItems(`${invoice}/recurring-products`, base);
  const subscriptions = await allItems(`${invoice}/subscriptions`, base);
  const perSubscription = await Promise.all(subscriptions.map((s) => allItems(`${invoice}/subscriptions/${encodeURIComponent(s.subscriptionNo)}/recurring-products`, base)));
  return { customerLines, subscriptions, perSubscription, all: customerLines.concat(...perSubscription) };
}

/** Waits until an invoice's charges have stopped loading (or 30 s). */
async function chargesSettled(page, scope = '') {
  await page.waitForSelector(`${scope} .bw-invoice-header`, { timeout: 30000 });
  await page.waitForFunction(
    (scope) => {
      const root = scope ? document.querySelector(scope)?.shadowRoot : document;
      return root && root.querySelector('.bw-summary') && !root.querySelector('.bw-progress');
    },
    scope, { timeout: 30000 },
  ).catch(() => {});
}

/** A subscription's section of a recurring-products view: the customer's section comes first,
 * then one per subscription in the API's order (self-service headings name no number). */
async function section(page, base, scope, subscriptionNo) {
  const subscriptions = await allItems(`${CUSTOMER}/subscriptions`, base);
  const index = subscriptions.findIndex((s) => s.subscriptionNo === subscriptionNo);
  assert(index >= 0, `the API lists subscription ${subscriptionNo}`);
  return page.locator(`${scope} section.bw-subscription`).nth(index + 1);
}

/** The recurring-products view under `scope` shows the customer's products, the readable
 * subscriptions' products, an error for the two whose link leads to another origin, and
 * nothing went there. Descriptions are in the second column in CRM mode, the first in
 * self-service. */
async function checkRecurringProducts(page, base, urls, { scope = '', selfService = false } = {}) {
  const description = `tr.bw-product td:nth-child(${selfService ? 1 : 2})`;
  await page.waitForSelector(`${scope} .bw-recurring h3, ${scope} .bw-overview h3`, { timeout: 20000 });
  const customerLevel = await allItems(`${CUSTOMER}/recurring-products`, base);
  const shown = await texts(page, `${scope} section.bw-subscription >> nth=0 >> ${description}`);
  assertEqual(shown, customerLevel.map((p) => p.description), 'customer-level products as the API lists them (one with periodicity "biweekly")');
  for (const no of [ANNA, ERIK]) {
    const products = await allItems(`${CUSTOMER}/subscriptions/${no}/recurring-products`, base);
    const rows = await (await section(page, base, scope, no)).locator(description).allTextContents();
    for (const p of products.filter((p) => !p.endDate)) assert(rows.includes(p.description), `subscription ${no} shows ${p.description}: ${rows}`);
  }
  for (const no of [SOFIA, STUGAN]) {
    const errors = await (await section(page, base, scope, no)).locator('.bw-error, .bw-error-inline').count();
    assert(errors > 0, `subscription ${no}, whose products link leads to another origin, shows an error`);
  }
  await assertSameOrigin(page, urls, base);
  await assertNoDecoderText(page);
}

// ---- every view is usable ---------------------------------------------------------------------

test('variants: demo site invoice list: every invoice listed, no column of empty cells', async (page) => {
  const base = await variantsBase();
  const invoices = await allItems(`${INVOICE_API}/invoices?customerNo=${PRIVATE}`, base);
  assertEqual(invoices.length, 12, 'twelve invoice summaries');
  assert(invoices.every((i) => i.invoiceAmount === undefined && i.dueDate === undefined), 'the summaries carry no amount and no due date');
  await page.goto(`${base}/?customer=${PRIVATE}`);
  await page.waitForSelector('.bw-invoice-list tbody tr');
  assertEqual(await texts(page, '.bw-invoice-list tbody th'), invoices.map((i) => i.invoiceNo), 'the list shows every invoice in order');
  await assertNoEmptyColumn(page, '.bw-invoice-list');
  await assertNoDecoderText(page);
});

test('variants: demo site invoices with nulls and unknown fields show every line', async (page) => {
  const base = await variantsBase();
  for (const invoiceNo of ['603010', '604001']) {
    const { all } = await linesOf(base, invoiceNo);
    const customer = invoiceNo === '604001' ? '5566778899' : PRIVATE;
    await page.goto(`${base}/?customer=${customer}&invoice=${invoiceNo}`);
    await chargesSettled(page);
    assertEqual(await texts(page, '.bw-title'), [`Invoice ${invoiceNo}`], 'the invoice is shown');
    assertEqual(await page.locator('.bw-charges tr.bw-line').count(), all.length, `invoice ${invoiceNo}: one row per line`);
    assertEqual(await page.locator('.bw-invoice .bw-error, .bw-invoice .bw-error-inline').count(), 0, `invoice ${invoiceNo}: no error`);
    await assertNoDecoderText(page);
  }
});

test('variants: <payex-invoice-list> and <payex-recurring-products> on the CRM host page', async (page) => {
  const base = await variantsBase();
  const urls = await recordRequests(page);
  await page.goto(base + CRM);
  await page.waitForSelector('payex-invoice-list .bw-invoice-list tbody tr', { timeout: 20000 });
  assertEqual(await page.locator('payex-invoice-list .bw-invoice-list tbody tr').count(), 12, 'the list element lists every invoice');
  await checkRecurringProducts(page, base, urls, { scope: 'payex-recurring-products' });
  await assertNoEmptyColumn(page, 'payex-invoice-list .bw-invoice-list');
  // Opening an invoice from the list element.
  await page.click('payex-invoice-list button[aria-label="Open invoice 603009"]');
  await page.waitForSelector('payex-invoice-list .bw-invoice-header', { timeout: 20000 });
  await page.waitForSelector('payex-invoice-list .bw-charges tr.bw-line', { timeout: 20000 });
  await assertSameOrigin(page, urls, base);
  await assertNoDecoderText(page);
});

test('variants: <payex-invoice> on a host page shows the invoice with the unreadable line', async (page) => {
  const base = await variantsBase();
  const urls = await recordRequests(page);
  await page.goto(base + MY_PAGES);
  await page.evaluate(() => {
    // The invoice element alone: the page's own elements are tested elsewhere.
    document.querySelectorAll('payex-invoice-list, payex-recurring-products').forEach((e) => e.remove());
    const element = document.createElement('payex-invoice');
    for (const [k, v] of Object.entries({ id: 'variant-invoice', 'owner-no': '100200', 'invoice-no': '603012', locale: 'en-GB', mode: 'crm' })) element.setAttribute(k, v);
    document.querySelector('main').append(element);
  });
  await chargesSettled(page, '#variant-invoice');
  assert(await page.locator('#variant-invoice .bw-charges tr.bw-line').count() > 0, 'the element shows the readable lines');
  await assertSameOrigin(page, urls, base);
  await assertNoDecoderText(page);
});

// ---- one test per defect -----------------------------------------------------------------------

test('variants: a customer without @id shows its recurring products (CRM, demo site)', async (page) => {
  const base = await variantsBase();
  const customer = await api(CUSTOMER, base);
  assert(!('@id' in customer), 'the customer is served without @id, as PayEx documents it');
  const urls = await recordRequests(page);
  await page.goto(`${base}/?customer=${PRIVATE}&tab=recurring`);
  await checkRecurringProducts(page, base, urls);
});

test('variants: a customer without @id shows its recurring products (self-service, demo site and My Pages element)', async (page) => {
  const base = await variantsBase();
  const urls = await recordRequests(page);
  await page.goto(`${base}/?customer=${PRIVATE}&tab=recurring&mode=self-service`);
  await checkRecurringProducts(page, base, urls, { selfService: true });
  assertEqual(await page.locator('details.bw-error-details').count(), 0, 'self-service errors carry no raw details (CRM only)');
  await page.goto(base + MY_PAGES);
  await page.waitForSelector('payex-invoice-list .bw-invoice-list tbody tr', { timeout: 20000 });
  await assertNoEmptyColumn(page, 'payex-invoice-list .bw-invoice-list');
  const my = 'payex-recurring-products';
  await page.waitForSelector(`${my} h3`, { timeout: 20000 });
  const customerLevel = await allItems(`${CUSTOMER}/recurring-products`, base);
  const shown = await page.locator(`${my} section.bw-subscription`).first().locator('tr.bw-product td:nth-child(1)').allTextContents();
  assertEqual(shown.map((s) => s.trim()), customerLevel.map((p) => p.description), 'My Pages shows the customer-level products');
  assertEqual(await page.locator(`${my} details.bw-error-details`).count(), 0, 'self-service errors carry no raw details (CRM only)');
  await assertSameOrigin(page, urls, base);
  await assertNoDecoderText(page);
});

test('variants: a group with one unreadable line shows its readable lines, the unreadable row and incomplete totals', async (page) => {
  const base = await variantsBase();
  const { perSubscription, subscriptions, all } = await linesOf(base, '603012');
  const anna = perSubscription[subscriptions.findIndex((s) => s.subscriptionNo === ANNA)];
  const unreadable = anna.filter((l) => l.totalAmount === undefined);
  assertEqual(unreadable.map((l) => l.productNo), ['STREAM-MUSIC'], 'the API serves one line without its money fields');
  await page.goto(`${base}/?customer=${PRIVATE}&invoice=603012`);
  await chargesSettled(page);
  const readable = await texts(page, '.bw-charges tr.bw-line:not(.bw-unreadable)');
  assertEqual(readable.length, all.length - 1, 'every readable line is shown (including one without description and one without period)');
  for (const line of anna.filter((l) => l.totalAmount !== undefined)) assert(readable.some((r) => r.includes(line.description)), `Anna's readable line ${line.description} is shown`);
  const rows = await texts(page, '.bw-charges tr.bw-unreadable');
  assertEqual(rows.length, 1, 'one row for the unreadable line');
  assert(/could not be read/i.test(rows[0]), `it says the line could not be read: ${rows[0]}`);
  assert(await page.locator('.bw-totals-incomplete').first().isVisible(), 'the totals say they are incomplete');
  await assertNoDecoderText(page);
});

test('variants: a link loop shows an error for that group instead of partial data as complete', async (page) => {
  const base = await variantsBase();
  const loopUrls = [];
  page.on('request', (r) => { if (r.url().includes(`/invoices/603011/subscriptions/${ERIK}/recurring-products`)) loopUrls.push(r.url()); });
  await page.goto(`${base}/?customer=${PRIVATE}&invoice=603011`);
  await page.waitForSelector('.bw-invoice-header', { timeout: 20000 });
  const error = page.locator('.bw-invoice .bw-error, .bw-invoice .bw-error-inline').first();
  await error.waitFor({ timeout: 20000 });
  assert(loopUrls.length < 10, `the loop was stopped (${loopUrls.length} requests of that group)`);
  const anna = await allItems(`${INVOICE_API}/invoices/603011/subscriptions/${ANNA}/recurring-products`, base);
  // The looping group's error may show before the other groups have arrived: wait until the
  // loading has settled (or Anna's lines are there) before asking what is shown.
  await chargesSettled(page);
  await page.waitForFunction(
    (wanted) => {
      const shown = [...document.querySelectorAll('.bw-charges tr.bw-line')].map((r) => r.textContent);
      return wanted.every((d) => shown.some((r) => r.includes(d)));
    },
    anna.map((l) => l.description), { timeout: 10000 },
  ).catch(() => {});
  const lines = await texts(page, '.bw-charges tr.bw-line');
  for (const line of anna) assert(lines.some((r) => r.includes(line.description)), `another group's line ${line.description} is shown`);
  await assertNoDecoderText(page);
});

test('variants: links to another origin in the invoice list are never followed', async (page) => {
  const base = await variantsBase();
  const urls = await recordRequests(page);
  await page.goto(`${base}/?customer=${PRIVATE}`);
  await page.waitForSelector('.bw-invoice-list tbody tr');
  for (const invoiceNo of ['603001', '603002']) {
    await page.click(`button[aria-label="Open invoice ${invoiceNo}"]`);
    await page.waitForSelector(`.bw-invoice .bw-error, .bw-invoice-header:has-text("${invoiceNo}")`, { timeout: 20000 });
    await page.waitForTimeout(500);
    assertEqual(await page.locator('.bw-invoice-list tbody tr').count(), 12, 'the rest of the list still shows');
  }
  await assertSameOrigin(page, urls, base);
  await assertNoDecoderText(page);
});

test('variants: a PascalCase problem with "Status": "404" shows its title and instance id', async (page, ctx) => {
  ctx.expectedErrors.push(/status of 404/);
  const base = await variantsBase();
  const answer = await fetch(`${base}/billing/customer/v1/${OWNER}/customers/99999999`);
  const problem = await answer.json();
  assertEqual([answer.status, problem.Status, problem.Title], [404, '404', 'Customer not found'], 'the sandbox answers a PascalCase problem');
  await page.goto(`${base}/?customer=99999999&tab=recurring`);
  await page.waitForSelector('.bw-recurring .bw-error', { timeout: 20000 });
  assertEqual(await texts(page, '.bw-recurring .bw-error-title'), ['Customer not found'], 'the problem title');
  const instance = await texts(page, '.bw-recurring .bw-instance');
  assert(instance.length === 1 && /^sbx-\d+$/.test(instance[0]), `the instance id: ${instance}`);
  await assertNoDecoderText(page);
});

test('variants: an element without a mode attribute shows no edit controls', async (page) => {
  // On the default services: this defect does not depend on the variants.
  await page.goto(BASE + MY_PAGES);
  await page.evaluate(() => {
    const element = document.createElement('payex-recurring-products');
    for (const [k, v] of Object.entries({ id: 'no-mode', 'owner-no': '100200', 'customer-no': '15615616', locale: 'en-GB' })) element.setAttribute(k, v);
    document.querySelector('main').append(element);
  });
  await page.waitForSelector('#no-mode h3', { timeout: 20000 });
  const labels = await page.locator('#no-mode button').evaluateAll((b) => b.map((e) => e.getAttribute('aria-label') || e.textContent.trim()));
  assertEqual(labels.filter((l) => /^(Add|Edit|End|Delete)\b/.test(l)), [], 'no add, edit, end or delete buttons');
});

// Last: it changes the variants sandbox's data.
test('variants: a product at 25.5 % VAT can be ended in CRM mode and the change is saved', async (page) => {
  const base = await variantsBase();
  const link = `${CUSTOMER}/subscriptions/${ERIK}/recurring-products`;
  const before = (await allItems(link, base)).find((p) => p.productNo === 'ROAM-FI');
  assertEqual([before.vatRate, before.endDate], [25.5, null], 'the product at 25.5 % has no end');
  await page.goto(`${base}/?customer=${PRIVATE}&tab=recurring`);
  await page.waitForSelector('button[aria-label="End Roaming Finland"]', { timeout: 20000 });
  await page.click('button[aria-label="End Roaming Finland"]');
  const endDate = await page.inputValue('.bw-form [name=endDate]');
  await page.click('.bw-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('.bw-change-status')?.textContent === 'Ended “Roaming Finland”.', null, { timeout: 10000 });
  const after = (await allItems(link, base)).find((p) => p.productNo === 'ROAM-FI');
  assertEqual([after.vatRate, after.endDate], [25.5, endDate], 'the sandbox stored the end, at the same rate');
  await assertNoDecoderText(page);
});
