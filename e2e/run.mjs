// End-to-end tests of the whole path: sandbox -> proxy -> release bundle in headless Chromium.
// Expected values are read from the API itself (through the proxy), so the page is checked
// against the data it claims to show, not against numbers copied into this file.
import path from 'node:path';
import { test, run, assert, assertEqual, api, allItems, invoiceLines, cents, sumCents, textCents, traffic, ARTIFACTS, BASE, TOKEN } from './harness.mjs';

const OWNER = '100200';
const PRIVATE = '15615616';
const BUSINESS = '5566778899';
const SPECIAL = 'Åkesson & Co/7';
const enc = encodeURIComponent;
const invoicesOf = (customer) => allItems(`/billing/invoice/v1/${OWNER}/invoices?customerNo=${enc(customer)}`);
const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent.replace(/\u00a0/g, ' ').trim()));

async function openInvoice(page, customer, invoiceNo) {
  await page.goto(`${BASE}/?customer=${enc(customer)}&invoice=${enc(invoiceNo)}`);
  await page.waitForSelector('.bw-invoice-header', { timeout: 30000 });
}

test('private customer: invoices newest first, recurring products per subscription', async (page) => {
  const invoices = await invoicesOf(PRIVATE);
  assertEqual(invoices.length, 12, 'the private customer has 12 monthly invoices');
  await page.goto(BASE + '/');
  await page.click(`.bw-demo-customers button:has-text("${PRIVATE}")`);
  await page.waitForSelector('.bw-invoice-list tbody tr');
  assertEqual(await texts(page, '.bw-invoice-list tbody th'), invoices.map((i) => i.invoiceNo), 'the list shows the API invoices in order');
  const dates = invoices.map((i) => i.invoiceDate);
  assertEqual(dates, [...dates].sort().reverse(), 'newest first');

  const customer = await api(`/billing/customer/v1/${OWNER}/customers/${PRIVATE}`);
  const subscriptions = await allItems(customer.subscriptions);
  await page.waitForSelector('.bw-recurring h3');
  const headings = await texts(page, '.bw-recurring h3');
  assertEqual(headings.length, 1 + subscriptions.length, 'customer section plus one per subscription');
  assertEqual(headings[0], 'On the customer', 'customer-level products come first');
  subscriptions.forEach((s, i) => assert(headings[i + 1].startsWith(`Subscription ${s.subscriptionNo}`), `heading ${i + 1}: ${headings[i + 1]}`));
  const ownProducts = await allItems(customer.recurringProducts);
  const firstTable = await texts(page, '.bw-recurring .bw-subscription:first-child tbody tr td:nth-child(2)');
  assertEqual(firstTable, ownProducts.map((p) => p.description), 'customer-level products as the API lists them');
  assert(new URL(page.url()).searchParams.get('customer') === PRIVATE, 'the URL keeps the customer');
});

test('opening an invoice shows every line, grouped, with a total that reconciles', async (page) => {
  const [newest] = await invoicesOf(PRIVATE);
  const invoice = await api(newest['@id']);
  const { customerLines, subscriptions, perSubscription, all } = await invoiceLines(invoice);
  await page.goto(`${BASE}/?customer=${PRIVATE}`);
  await page.click(`button[aria-label="Open invoice ${invoice.invoiceNo}"]`);
  await page.waitForSelector('.bw-charges');
  assertEqual(new URL(page.url()).searchParams.get('invoice'), invoice.invoiceNo, 'the URL names the open invoice');

  const expectedGroups = (customerLines.length ? ['Customer-level charges'] : [])
    .concat(subscriptions.filter((_, i) => perSubscription[i].length).map((s) => `Subscription ${s.subscriptionNo} – ${s.description}`));
  assertEqual(await texts(page, '.bw-group-title'), expectedGroups, 'customer-level group first, then one per subscription');
  const rows = await page.$$('.bw-charges tbody tr:not(.bw-group-head):not(.bw-subtotal):not(.bw-more)');
  assertEqual(rows.length, all.length, 'one row per invoice line');

  const total = textCents((await texts(page, '.bw-charges tfoot .bw-total td'))[0]);
  assertEqual(total, sumCents(all, 'totalAmount'), 'total incl. VAT = sum of the lines');
  const invoiced = textCents((await texts(page, '[data-testid=invoice-amount]'))[0]);
  assertEqual(invoiced, cents(invoice.invoiceAmount), 'header shows the invoiced amount');
  assertEqual(await page.$$eval('.bw-difference', (e) => e.length), 0, 'no difference row when it reconciles');
  assert((await texts(page, '.bw-note-ok')).length === 1, 'says that the lines add up');

  // A known line: the first subscription's first charge, every money column.
  const known = perSubscription.find((l) => l.length)[0];
  const row = page.locator('.bw-charges tbody tr', { hasText: known.description }).first();
  const cells = (await row.locator('td').allTextContents()).map((c) => c.replace(/\u00a0/g, ' ').trim());
  // Columns: product, description, period, qty, unit price, excl. VAT, VAT rate, VAT, incl. VAT.
  assertEqual([cells[5], cells[7], cells[8]].map(textCents), [known.amount, known.vatAmount, known.totalAmount].map(cents), 'the known line shows its amounts');
  await page.screenshot({ path: path.join(ARTIFACTS, 'invoice.png'), fullPage: true });
});

test('the invoice that does not reconcile shows and explains the difference', async (page) => {
  const invoices = await invoicesOf(PRIVATE);
  const checked = await Promise.all(invoices.map(async (i) => ({ i, diff: cents(i.invoiceAmount) - sumCents((await invoiceLines(i)).all, 'totalAmount') })));
  const off = checked.filter((c) => c.diff !== 0);
  assertEqual(off.length, 1, 'exactly one demo invoice does not reconcile');
  await openInvoice(page, PRIVATE, off[0].i.invoiceNo);
  await page.waitForSelector('.bw-difference');
  assertEqual(textCents((await texts(page, '.bw-difference td'))[0]), off[0].diff, 'the difference row shows invoiceAmount minus the lines');
  const note = (await texts(page, '.bw-note-warning'))[0];
  assert(note.includes('differs from the sum of the lines'), `explained: ${note}`);
});

test("business customer's 20,000-line invoice loads through paging, grouped and summed", async (page) => {
  const invoices = await invoicesOf(BUSINESS);
  const sized = await Promise.all(invoices.map(async (i) => ({ i, lines: await invoiceLines(i) })));
  const large = sized.filter((s) => s.lines.all.length >= 20000).sort((a, b) => a.lines.all.length - b.lines.all.length)[0];
  assert(large, 'the business customer has an invoice of at least 20,000 lines');
  const started = Date.now();
  await openInvoice(page, BUSINESS, large.i.invoiceNo);
  await page.waitForSelector('.bw-charges', { timeout: 60000 });
  const shownAfter = Date.now() - started;
  const counts = (await texts(page, '.bw-count')).map((t) => Number(t.replace(/[^0-9]/g, '')));
  assertEqual(counts.reduce((a, b) => a + b, 0), large.lines.all.length, 'every line of every page was loaded');
  assertEqual(textCents((await texts(page, '.bw-charges tfoot .bw-total td'))[0]), sumCents(large.lines.all, 'totalAmount'), 'total of all lines');
  const expanded = await page.$$eval('.bw-toggle', (b) => b.map((x) => x.getAttribute('aria-expanded')));
  assert(expanded.every((e) => e === 'false'), 'a large invoice starts with its groups collapsed');
  const domRows = await page.$$eval('.bw-charges tr', (r) => r.length);
  assert(domRows < 1000, `the DOM holds group rows, not 20,000 lines (${domRows})`);
  await page.click('.bw-toggle >> nth=1');
  await page.waitForSelector('.bw-charges tbody tr.bw-more');
  console.log(`     ${large.lines.all.length} lines shown ${shownAfter} ms after navigation, ${domRows} table rows in the DOM`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'large-invoice.png') });
});

test('a customer number with space, & and / travels as one encoded segment', async (page) => {
  const invoices = await invoicesOf(SPECIAL);
  assert(invoices.length >= 1, 'the special customer has invoices');
  await page.goto(`${BASE}/?customer=${enc(SPECIAL)}`);
  await page.waitForSelector('.bw-invoice-list tbody tr');
  assertEqual(await texts(page, '.bw-invoice-list tbody th'), invoices.map((i) => i.invoiceNo), 'its invoices are listed');
  await page.waitForSelector('.bw-recurring h3');
  assertEqual(await page.$$eval('.bw-recurring .bw-error', (e) => e.length), 0, 'its recurring products load');
  const apiRequests = traffic.requests.filter((r) => r.url.includes('/billing/customer/'));
  assert(apiRequests.some((r) => r.url.includes('%C3%85kesson%20%26%20Co%2F7')), 'requested as one percent-encoded segment');
});

test('an unknown customer shows the API problem with its instance id', async (page, ctx) => {
  ctx.expectedErrors.push(/status of 404/);
  await page.goto(`${BASE}/?customer=99999999`);
  await page.waitForSelector('.bw-recurring .bw-error');
  assertEqual(await texts(page, '.bw-recurring .bw-error-title'), ['Customer not found'], 'the problem title');
  const instance = await texts(page, '.bw-recurring .bw-instance');
  assert(instance.length === 1 && instance[0].length > 0, 'the instance id support asks for is shown');
  assert((await texts(page, '.bw-recurring .bw-error-detail'))[0].includes('99999999'), 'the detail names the customer');
  await page.waitForSelector('.bw-invoices .bw-empty');
});

test('credentials stay on the server: no token in any request or response the page saw', async (page) => {
  await openInvoice(page, PRIVATE, (await invoicesOf(PRIVATE))[0].invoiceNo);
  assert(traffic.requests.length > 20, 'the earlier tests made requests');
  const withAuth = traffic.requests.filter((r) => Object.keys(r.headers).some((h) => h.toLowerCase() === 'authorization'));
  assertEqual(withAuth.map((r) => r.url), [], 'the browser never sends an Authorization header');
  assertEqual(traffic.leaks, [], `no response contains the token ${TOKEN.slice(0, 4)}…`);
});

await run();
