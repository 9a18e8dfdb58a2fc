// End-to-end tests of the whole path: sandbox -> proxy -> release bundle in headless Chromium.
// Expected values are read from the API itself (through the proxy), so the page is checked
// against the data it claims to show, not against numbers copied into this file.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import './elements.mjs';
import './accessibility.mjs';
import './layout.mjs';
import './variants.mjs';
import './compare.mjs';
import './site.mjs';
import './react-host.mjs';
import './gallery.mjs';
import { test, run, assert, assertEqual, api, allItems, invoiceLines, foldedRows, cents, sumCents, textCents, traffic, ARTIFACTS, BASE, TOKEN } from './harness.mjs';

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
  assertEqual(await page.$$eval('.bw-recurring', (e) => e.length), 0, 'recurring products load only when their tab is chosen');
  await page.focus('[role=tab][aria-selected=true]');
  await page.keyboard.press('ArrowRight');
  assertEqual(await page.getAttribute('[role=tab][aria-selected=true]', 'id'), 'bw-tab-recurring', 'arrow keys move between tabs');
  await page.waitForSelector('.bw-recurring h3');
  const headings = await texts(page, '.bw-recurring h3');
  assertEqual(headings.length, 1 + subscriptions.length, 'customer section plus one per subscription');
  assertEqual(headings[0], 'On the customer', 'customer-level products come first');
  subscriptions.forEach((s, i) => assert(headings[i + 1].startsWith(`Subscription ${s.subscriptionNo}`), `heading ${i + 1}: ${headings[i + 1]}`));
  const ownProducts = await allItems(customer.recurringProducts);
  const firstTable = await texts(page, '.bw-recurring section.bw-subscription:first-of-type tbody tr.bw-product td:nth-child(2)');
  assertEqual(firstTable, ownProducts.map((p) => p.description), 'customer-level products as the API lists them');
  assert(new URL(page.url()).searchParams.get('customer') === PRIVATE, 'the URL keeps the customer');
  assertEqual(new URL(page.url()).searchParams.get('tab'), 'recurring', 'and the tab');
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
  // Groups arrive progressively: wait for every line, then check nothing more arrives.
  // Identical charges (same product, description, unit price and period) are one fold row.
  const folded = foldedRows({ customerLines, perSubscription });
  await page.waitForFunction((n) => document.querySelectorAll('.bw-charges tr.bw-line, .bw-charges tr.bw-fold').length >= n && !document.querySelector('.bw-progress'), folded.rows, { timeout: 20000 }).catch(() => {});
  assertEqual((await page.$$('.bw-charges tr.bw-line')).length, folded.single, 'one row per line with no identical sibling');
  assertEqual((await page.$$('.bw-charges tr.bw-fold')).length, folded.folds.length, 'one row per fold of identical lines');
  // Opened, every fold shows its lines: then every invoice line has its row.
  for (const button of await page.$$('.bw-charges tr.bw-fold button[aria-expanded=false]')) await button.click();
  await page.waitForFunction((n) => document.querySelectorAll('.bw-charges tr.bw-line').length === n, all.length, { timeout: 5000 }).catch(() => {});
  assertEqual((await page.$$('.bw-charges tr.bw-line')).length, all.length, 'one row per invoice line once the folds are open');

  const total = textCents((await texts(page, '.bw-summary .bw-total td'))[0]);
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

test("business customer's 20,000-line invoice: every page loaded, only the rows in view in the DOM", async (page) => {
  const large = await api(`/billing/invoice/v1/${OWNER}/invoices/604003`);
  const { all, groups } = await invoiceLines(large);
  assert(all.length >= 20000, `at least 20,000 lines (${all.length})`);
  const started = Date.now();
  await openInvoice(page, BUSINESS, large.invoiceNo);
  await page.waitForSelector('.bw-charges tr.bw-line', { timeout: 60000 });
  const firstLines = Date.now() - started;
  await page.waitForSelector('.bw-summary + .bw-note:not(:has-text("Still loading"))', { timeout: 60000 });
  const allLoaded = Date.now() - started;
  assertEqual(await texts(page, '.bw-status'), [`${all.length.toLocaleString('en-GB')} lines in ${groups} groups.`], 'the lines of every page of every group');
  assertEqual(textCents((await texts(page, '.bw-summary .bw-total td'))[0]), sumCents(all, 'totalAmount'), 'total of all lines');
  const { rows: foldedCount } = foldedRows(await invoiceLines(large));
  assertEqual(await page.getAttribute('table.bw-charges', 'aria-rowcount'), String(foldedCount + 2 * groups + 1), 'aria-rowcount counts every row (a fold is one)');
  const domRows = await page.$$eval('.bw-charges tbody tr', (r) => r.length);
  assert(domRows < 200, `the DOM holds the rows in view, not 20,000 (${domRows})`);
  // Scroll to the end: the last group's subtotal comes into view.
  await page.$eval('.bw-charges-scroll', (el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction((rows) => Math.max(...[...document.querySelectorAll('.bw-charges tr[aria-rowindex]')].map((r) => Number(r.getAttribute('aria-rowindex')))) === rows,
    foldedCount + 2 * groups + 1);
  console.log(`     ${all.length} lines: first lines ${firstLines} ms, all loaded ${allLoaded} ms after navigation; ${domRows} rows in the DOM`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'large-invoice.png') });
});

test('keyboard: list -> invoice, then sort, filter and download the lines as CSV', async (page) => {
  const [newest] = await invoicesOf(PRIVATE);
  const { all } = await invoiceLines(await api(newest['@id']));
  await page.goto(`${BASE}/?customer=${PRIVATE}`);
  await page.waitForSelector('.bw-invoice-list tbody tr');
  await page.focus('.bw-invoice-list tbody tr:first-child button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.bw-charges tr.bw-line');

  // Sort by amount incl. VAT, descending: a second press on the same header button.
  const sortButton = page.locator('thead .bw-sort', { hasText: 'Incl. VAT' });
  await sortButton.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  assertEqual(await page.getAttribute('th[aria-sort]', 'aria-sort'), 'descending', 'aria-sort on the sorted column');
  assertEqual(await page.$$eval('th[aria-sort]', (t) => t.length), 1, 'only on that column');
  const groups = await page.$$eval('tbody.bw-group', (bodies) => bodies.map((b) => [...b.querySelectorAll('tr.bw-line td:last-child')].map((td) => td.textContent)));
  for (const amounts of groups.filter((g) => g.length)) {
    const values = amounts.map(textCents);
    assertEqual(values, [...values].sort((a, b) => b - a), 'each group is sorted by amount incl. VAT, largest first');
  }

  // Filter: product or description, stated, with subtotals for the shown lines.
  await page.fill('input[type=search]', 'mobil');
  const matching = all.filter((l) => `${l.productNo} ${l.description}`.toLowerCase().includes('mobil'));
  assertEqual(await texts(page, '.bw-status'), [`Showing ${matching.length} of ${all.length} lines matching “mobil”.`], 'the filter is stated');
  assertEqual(textCents((await texts(page, '.bw-summary .bw-total td'))[0]), sumCents(matching, 'totalAmount'), 'totals of the shown lines');

  // CSV of the lines as shown.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-action=csv]')]);
  assertEqual(download.suggestedFilename(), `invoice-${newest.invoiceNo}.csv`, 'file name');
  const csv = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
  const records = csv.trim().split('\r\n').map((r) => r.split(','));
  assertEqual(records[0], ['Group', 'Subscription', 'Product', 'Description', 'From', 'To', 'Qty', 'Unit price', 'Excl. VAT', 'VAT rate', 'VAT', 'Incl. VAT', 'Kind'], 'CSV header');
  assertEqual(records.length - 1, matching.length, 'one record per shown line');
  const byDescription = new Map(records.slice(1).map((r) => [r[3], r]));
  for (const line of matching) {
    const r = byDescription.get(line.description);
    assert(r, `line ${line.description} exported`);
    assertEqual([r[4], r[5], cents(Number(r[8])), cents(Number(r[10])), cents(Number(r[11]))],
      [line.periodStart, line.periodEnd, cents(line.amount), cents(line.vatAmount), cents(line.totalAmount)], `CSV values of ${line.description}`);
  }
});

test('a Swedish viewer gets a CSV with semicolons and decimal commas', async (page) => {
  const [newest] = await invoicesOf(PRIVATE);
  await openInvoice(page, PRIVATE, newest.invoiceNo);
  await page.waitForSelector('.bw-charges tr.bw-line');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-action=csv]')]);
  const csv = await readFile(await download.path(), 'utf8');
  assert(csv.startsWith('\ufeff'), 'a byte order mark, so spreadsheets read å ä ö');
  const record = csv.split('\r\n')[1].split(';');
  assertEqual(record.length, 13, 'semicolon-separated');
  assert(/^-?\d+,\d{2}$/.test(record[11]), `decimal comma in ${record[11]}`);
}, { locale: 'sv-SE' });

test('keyboard: a fold of identical charges opens and closes with Enter and Space, its lines adding up to it', async (page) => {
  const invoice = await api(`/billing/invoice/v1/${OWNER}/invoices/604002`);
  const lines = await invoiceLines(invoice);
  const { folds } = foldedRows(lines);
  assert(folds.length > 0, 'the demo invoice has identical charges');
  await openInvoice(page, BUSINESS, invoice.invoiceNo);
  await page.waitForSelector('.bw-summary + .bw-note:not(:has-text("Still loading"))', { timeout: 60000 });
  const total = textCents((await texts(page, '.bw-summary .bw-total td'))[0]);
  // Scroll until a fold is drawn, then bring it to the top, so its lines will be drawn too.
  for (let i = 0; i < 400 && !(await page.$('.bw-charges tr.bw-fold')); i++) {
    await page.$eval('.bw-charges-scroll', (el) => { el.scrollTop += el.clientHeight; el.dispatchEvent(new Event('scroll')); });
    await page.waitForTimeout(20);
  }
  const key = await page.locator('.bw-charges tr.bw-fold button.bw-fold-toggle').first().getAttribute('data-fold');
  const toggle = page.locator(`button[data-fold="${key}"]`);
  const row = page.locator('.bw-charges tr.bw-fold', { has: toggle });
  await row.evaluate((tr) => tr.scrollIntoView({ block: 'center' }));
  await page.waitForTimeout(100);
  const cells = (await row.locator('td').allTextContents()).map((c) => c.replace(/\u00a0/g, ' ').trim());
  const count = Number(cells[1].match(/(\d+) ×/)[1]);
  // Columns: product, description, period, qty, unit price, excl. VAT, VAT rate, VAT, incl. VAT.
  const same = folds.filter((f) => f.length === count && f[0].productNo === cells[0] && cells[1].includes(f[0].description)
    && sumCents(f, 'totalAmount') === textCents(cells[8]) && sumCents(f, 'amount') === textCents(cells[5]));
  assert(same.length > 0, `the fold ${cells.join(' | ')} is ${count} identical lines of the API with their sums`);
  assertEqual(await toggle.getAttribute('aria-expanded'), 'false', 'closed at first');

  await toggle.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector(`button[data-fold="${key}"][aria-expanded=true]`);
  const focused = await page.evaluate(() => {
    let e = document.activeElement;
    while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
    return e && e.getAttribute('data-fold');
  });
  assertEqual(focused, key, 'the keyboard stays on the button');
  const opened = await row.evaluate((tr) => {
    const rows = [];
    for (let next = tr.nextElementSibling; next && next.classList.contains('bw-fold-line'); next = next.nextElementSibling) {
      rows.push([...next.querySelectorAll('td')].map((td) => td.textContent.replace(/\u00a0/g, ' ').trim()));
    }
    return rows;
  });
  assertEqual(opened.length, count, 'its lines follow it');
  for (const r of opened) assertEqual([r[0], r[1].startsWith(same[0][0].description)], [cells[0], true], 'each one of the identical lines');
  assertEqual(opened.reduce((s, r) => s + textCents(r[8]), 0), textCents(cells[8]), 'the lines add up to the fold');
  assertEqual(textCents((await texts(page, '.bw-summary .bw-total td'))[0]), total, 'the totals do not change');

  await page.keyboard.press(' ');
  await page.waitForSelector(`button[data-fold="${key}"][aria-expanded=false]`);
  assertEqual(await page.$$eval('.bw-charges tr.bw-fold-line', (r) => r.length), 0, 'Space closes it');
});

test('printing renders every line, not the scroll window', async (page) => {
  const invoice = await api(`/billing/invoice/v1/${OWNER}/invoices/604002`);
  const { all } = await invoiceLines(invoice);
  await openInvoice(page, BUSINESS, invoice.invoiceNo);
  await page.waitForSelector('.bw-summary + .bw-note:not(:has-text("Still loading"))', { timeout: 60000 });
  assert((await page.$$eval('tr.bw-line', (r) => r.length)) < 200, 'virtualized on screen');
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.waitForFunction((n) => document.querySelectorAll('tr.bw-line').length === n, all.length, { timeout: 30000 });
  const printed = await page.pdf({ format: 'A4' });
  assert(printed.length > 100000, `a PDF of every line (${printed.length} bytes)`);
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await page.emulateMedia({ media: 'screen' });
  await page.waitForFunction(() => document.querySelectorAll('tr.bw-line').length < 200);
});

test('a late answer for the previously chosen invoice never replaces the current one', async (page) => {
  const small = await api(`/billing/invoice/v1/${OWNER}/invoices/604001`);
  const { all, groups } = await invoiceLines(small);
  await openInvoice(page, BUSINESS, '604004');
  await page.click('button[aria-label="Open invoice 604001"]');
  await page.waitForFunction(() => document.querySelector('.bw-title')?.textContent === 'Invoice 604001');
  await page.waitForSelector('.bw-summary + .bw-note:not(:has-text("Still loading"))', { timeout: 60000 });
  await page.waitForTimeout(2500); // 604004's 100 groups would have arrived by now
  assertEqual(await texts(page, '.bw-title'), ['Invoice 604001'], 'still the chosen invoice');
  assertEqual(await texts(page, '.bw-status'), [`${all.length} lines in ${groups} groups.`], 'only its own lines');
});

test('a fast invoice paints its header together with its first charges', async (page) => {
  // Notes what the page holds when the invoice's header first appears.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (!document.querySelector('.bw-invoice-header')) return;
      window.__header = { at: performance.now(), lines: document.querySelectorAll('tr.bw-line').length };
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  await openInvoice(page, BUSINESS, '604001');
  const { header, answered } = await page.evaluate(() => ({
    header: window.__header,
    answered: performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname.endsWith('/invoices/604001')).responseEnd,
  }));
  // Held for at most 100 ms after the invoice arrived; a header alone before then is a frame
  // painted for nothing (the lines follow a few milliseconds later and move it all).
  assert(header.lines > 0 || header.at - answered >= 95, `the header came with ${header.lines} lines, ${(header.at - answered).toFixed(0)} ms after the invoice`);
});

test('a slow invoice shows a skeleton, and slow charges do not hold its header back', async (page) => {
  // The invoice answers after 700 ms; its customer-level charges and its subscriptions only
  // when released. A fast load paints once, whole; a slow one shows what it has by 100 ms.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const path = (url) => new URL(url).pathname;
  await page.route((url) => path(url).endsWith('/invoices/604001'), async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue();
  });
  await page.route((url) => /\/invoices\/604001\/(recurring-products|subscriptions)$/.test(path(url)), async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${BASE}/?customer=${BUSINESS}&invoice=604001`);
  await page.waitForSelector('.bw-invoice .bw-loading');
  assertEqual(await page.$$eval('.bw-invoice-header', (h) => h.length), 0, 'a skeleton while the invoice is on its way');
  await page.waitForSelector('.bw-invoice-header');
  assertEqual(await texts(page, '.bw-title'), ['Invoice 604001'], 'the header shows while its charges are held');
  assertEqual(await page.$$eval('.bw-invoice .bw-loading', (l) => l.length), 0, 'the skeleton is gone');
  assert(await page.$('.bw-progress'), 'the charges say they are loading');
  release();
  await page.waitForSelector('.bw-summary + .bw-note:not(:has-text("Still loading"))', { timeout: 30000 });
  assert((await page.$$eval('tr.bw-line', (r) => r.length)) > 0, 'then the lines');
});

test('a customer number with space, & and / travels as one encoded segment', async (page) => {
  const invoices = await invoicesOf(SPECIAL);
  assert(invoices.length >= 1, 'the special customer has invoices');
  await page.goto(`${BASE}/?customer=${enc(SPECIAL)}`);
  await page.waitForSelector('.bw-invoice-list tbody tr');
  assertEqual(await texts(page, '.bw-invoice-list tbody th'), invoices.map((i) => i.invoiceNo), 'its invoices are listed');
  await page.click('#bw-tab-recurring');
  await page.waitForSelector('.bw-recurring h3');
  assertEqual(await page.$$eval('.bw-recurring .bw-error', (e) => e.length), 0, 'its recurring products load');
  const apiRequests = traffic.requests.filter((r) => r.url.includes('/billing/customer/'));
  assert(apiRequests.some((r) => r.url.includes('%C3%85kesson%20%26%20Co%2F7')), 'requested as one percent-encoded segment');
});

test('an unknown customer shows the API problem with its instance id', async (page, ctx) => {
  ctx.expectedErrors.push(/status of 404/);
  await page.goto(`${BASE}/?customer=99999999`);
  await page.waitForSelector('.bw-invoices .bw-empty');
  await page.click('#bw-tab-recurring');
  await page.waitForSelector('.bw-recurring .bw-error');
  assertEqual(await texts(page, '.bw-recurring .bw-error-title'), ['Customer not found'], 'the problem title');
  const instance = await texts(page, '.bw-recurring .bw-instance');
  assert(instance.length === 1 && instance[0].length > 0, 'the instance id support asks for is shown');
  assert((await texts(page, '.bw-recurring .bw-error-detail'))[0].includes('99999999'), 'the detail names the customer');
});

test('credentials stay on the server: no token in any request or response the page saw', async (page) => {
  await openInvoice(page, PRIVATE, (await invoicesOf(PRIVATE))[0].invoiceNo);
  assert(traffic.requests.length > 20, 'the earlier tests made requests');
  const withAuth = traffic.requests.filter((r) => Object.keys(r.headers).some((h) => h.toLowerCase() === 'authorization'));
  assertEqual(withAuth.map((r) => r.url), [], 'the browser never sends an Authorization header');
  assertEqual(traffic.leaks, [], `no response contains the token ${TOKEN.slice(0, 4)}…`);
});

// ---- recurring products: changes in CRM mode, read-only self-service ------------------------

const STUGAN = '46704567890';
const stuganProducts = () => allItems(`/billing/customer/v1/${OWNER}/customers/${PRIVATE}/subscriptions/${STUGAN}/recurring-products`);
const stuganSection = '.bw-recurring section.bw-subscription:has(h3:has-text("46704567890"))';

/** Collects the widget's events on the host page, in order. */
async function recordEvents(page, ...names) {
  await page.evaluate((names) => {
    window.__events = [];
    for (const name of names) document.addEventListener(name, (e) => window.__events.push({ name, detail: e.detail, composed: e.composed, bubbles: e.bubbles }));
  }, names);
}

async function announced(page, text) {
  await page.waitForFunction((t) => document.querySelector('.bw-change-status')?.textContent === t, text, { timeout: 10000 });
}

test('CRM: add a product to a subscription, edit it, end it, delete another; a reload shows exactly that', async (page) => {
  const before = await stuganProducts();
  const router = before.find((p) => p.description === 'Hyra 4G-router');
  assert(router, 'the subscription has the router to delete');
  await page.goto(`${BASE}/?customer=${PRIVATE}&tab=recurring`);
  await page.waitForSelector(stuganSection);
  await recordEvents(page, 'payex-recurring-products-changed');

  await page.click('button[aria-label="Add product to Subscription 46704567890 – Mobilt bredband – Stugan"]');
  await page.fill('.bw-form [name=productNo]', 'E2E-EXTRA');
  await page.fill('.bw-form [name=description]', 'Extra datapott');
  await page.fill('.bw-form [name=unitPrice]', '12,50');
  await page.selectOption('.bw-form [name=vatRate]', '25');
  await page.click('.bw-form button[type=submit]');
  await announced(page, 'Added “Extra datapott”.');
  await page.waitForSelector(`${stuganSection} tr.bw-product:has-text("Extra datapott")`);

  await page.click('button[aria-label="Edit Extra datapott"]');
  assertEqual(await page.inputValue('.bw-form [name=unitPrice]'), '12.50', 'the edit form starts with the stored price');
  await page.fill('.bw-form [name=unitPrice]', '15');
  await page.fill('.bw-form [name=description]', 'Extra datapott 5 GB');
  await page.click('.bw-form button[type=submit]');
  await announced(page, 'Saved “Extra datapott 5 GB”.');

  await page.click('button[aria-label="End Extra datapott 5 GB"]');
  const endDate = await page.inputValue('.bw-form [name=endDate]');
  assert(/^\d{4}-\d{2}-\d{2}$/.test(endDate), `an end date is offered: ${endDate}`);
  await page.click('.bw-form button[type=submit]');
  await announced(page, 'Ended “Extra datapott 5 GB”.');

  await page.click('button[aria-label="Delete Hyra 4G-router"]');
  await page.click('.bw-confirm .bw-danger');
  await announced(page, 'Deleted “Hyra 4G-router”.');

  const events = await page.evaluate(() => window.__events);
  assertEqual(events.map((e) => e.detail.action), ['product-added', 'product-updated', 'product-ended', 'product-deleted'], 'one event per change');
  assert(events.every((e) => e.bubbles && e.composed), 'events bubble and cross shadow roots');
  assert(events.every((e) => e.detail.customerNo === PRIVATE && e.detail.subscriptionNo === STUGAN && e.detail.ownerNo === OWNER), 'events name the customer and subscription');
  assertEqual(events[3].detail.recurringProductNo, router.recurringProductNo, 'the deleted product is named');

  // The sandbox really stored exactly these changes.
  const after = await stuganProducts();
  const added = after.filter((p) => !before.some((b) => b.recurringProductNo === p.recurringProductNo));
  assertEqual(added.length, 1, 'one product added');
  assertEqual(events[0].detail.recurringProductNo, added[0].recurringProductNo, 'the added product is named by the number the API gave it');
  assertEqual([added[0].productNo, added[0].description, added[0].unitPrice, added[0].endDate], ['E2E-EXTRA', 'Extra datapott 5 GB', 15, endDate], 'edited and ended');
  const untouched = before.filter((p) => p.recurringProductNo !== router.recurringProductNo);
  assertEqual(after.filter((p) => p !== added[0]), untouched, 'the router is gone and nothing else changed');

  await page.reload();
  await page.waitForSelector(stuganSection);
  const rows = await texts(page, `${stuganSection} tr.bw-product td:nth-child(2)`);
  assertEqual(rows, after.map((p) => p.description), 'after a reload the page shows the stored products');
  assert(!rows.includes('Hyra 4G-router'), 'the deleted product stays deleted');
});

test('CRM: an invalid form shows its field errors and keeps what was typed; a server problem too', async (page, ctx) => {
  ctx.expectedErrors.push(/status of 409/);
  await page.goto(`${BASE}/?customer=${PRIVATE}&tab=recurring`);
  await page.waitForSelector('.bw-recurring h3');
  await page.click('button[aria-label="Add product to the customer"]');
  await page.fill('.bw-form [name=productNo]', 'BAD');
  await page.fill('.bw-form [name=quantity]', '0');
  await page.fill('.bw-form [name=unitPrice]', 'tolv kronor');
  await page.click('.bw-form button[type=submit]');
  await page.waitForSelector('.bw-field-error');
  assertEqual(await texts(page, '.bw-field-error'), ['Must be 1 to 100 characters.', 'Must be greater than 0.', 'Must be a number.'], 'each failing field says why');
  assertEqual(await page.getAttribute('.bw-form [name=unitPrice]', 'aria-invalid'), 'true', 'marked invalid for screen readers');
  assertEqual(await page.evaluate(() => document.activeElement.name), 'description', 'focus on the first failing field');
  assertEqual([await page.inputValue('.bw-form [name=productNo]'), await page.inputValue('.bw-form [name=unitPrice]')], ['BAD', 'tolv kronor'], 'input kept');
  await page.click('.bw-form .bw-secondary');

  // The server refuses what the form cannot know: a subscription number already in use.
  await page.click('.bw-overview-bar button:has-text("Add subscription")');
  await page.fill('.bw-form [name=subscriptionNo]', STUGAN);
  await page.fill('.bw-form [name=description]', 'Dubblett');
  await page.click('.bw-form button[type=submit]');
  await page.waitForSelector('.bw-form .bw-error-title');
  const instance = await texts(page, '.bw-form .bw-instance');
  assert(instance.length === 1 && instance[0], 'the problem instance id is shown');
  assertEqual(await page.inputValue('.bw-form [name=description]'), 'Dubblett', 'input kept after the server refused');
});

test('self-service: the same overview, read-only, without internal identifiers', async (page) => {
  const customer = await api(`/billing/customer/v1/${OWNER}/customers/${PRIVATE}`);
  const subscriptions = await allItems(customer.subscriptions);
  await page.goto(`${BASE}/?customer=${PRIVATE}&tab=recurring&mode=self-service`);
  await page.waitForSelector('.bw-recurring h3');
  assertEqual(await texts(page, '.bw-recurring h3'), ['On your account', ...subscriptions.map((s) => s.description)], 'subscriptions by what they are');
  assertEqual(await texts(page, '.bw-recurring .bw-overview button'), [(await texts(page, '.bw-ended-toggle'))[0]], 'no change controls, only the ended toggle');
  assertEqual(await texts(page, '.bw-recurring .bw-preview > button'), ['▸Next invoice: estimate'], 'and the estimate, which only reads');
  const text = await page.textContent('.bw-recurring');
  for (const s of subscriptions) assert(!text.includes(s.subscriptionNo), `no subscription number ${s.subscriptionNo}`);
  assert(!text.includes('INV-PAPER'), 'no product numbers');

  await page.goto(`${BASE}/?customer=20000001&tab=recurring&mode=self-service`);
  await page.waitForSelector('.bw-recurring .bw-empty');
  assertEqual(await texts(page, '.bw-recurring .bw-empty'), ['You have no services or subscriptions with us.'], 'an empty customer is told so');
});

test('an expired session is told to the host page and shown, not swallowed', async (page, ctx) => {
  ctx.expectedErrors.push(/status of 401/);
  await page.route(`**/billing/customer/v1/${OWNER}/customers/${PRIVATE}`, (route) => route.fulfill({
    status: 401, contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'billing/proxy/problems/session-expired', title: 'Session expired', status: 401, detail: 'Sign in again.', instance: 'e2e-401-1' }),
  }));
  await page.goto(`${BASE}/?customer=${PRIVATE}`);
  await page.waitForSelector('.bw-invoice-list');
  await recordEvents(page, 'payex-authentication-required');
  await page.click('#bw-tab-recurring');
  await page.waitForSelector('.bw-recurring .bw-error');
  assertEqual(await texts(page, '.bw-recurring .bw-error-title'), ['Session expired'], 'the problem is shown');
  const events = await page.evaluate(() => window.__events);
  assertEqual(events.map((e) => [e.detail.status, e.detail.instance]), [[401, 'e2e-401-1']], 'the host is told, with the instance id');
  await page.unroute(`**/billing/customer/v1/${OWNER}/customers/${PRIVATE}`);
  await page.click('.bw-recurring .bw-error button');
  await page.waitForSelector('.bw-recurring h3');
});

await run();
