// The comparison of two invoices, end to end: "why is my invoice different this month?".
// Expected values come from the API (through the proxy), not from numbers copied here.
import { readFile } from 'node:fs/promises';
import { test, assert, assertEqual, api, allItems, invoiceLines, sumCents, textCents, BASE } from './harness.mjs';

const OWNER = '100200';
const PRIVATE = '15615616';
const invoicesOf = (customer) => allItems(`/billing/invoice/v1/${OWNER}/invoices?customerNo=${encodeURIComponent(customer)}`);
const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent.replace(/\u00a0/g, ' ').trim()));

/** Opens `invoiceNo` of the private customer and its comparison; returns the invoices compared. */
async function openComparison(page, invoiceNo, mode = 'crm') {
  await page.addInitScript(() => {
    window.compared = [];
    document.addEventListener('payex-invoice-compared', (e) => window.compared.push(e.detail));
  });
  await page.goto(`${BASE}/?customer=${PRIVATE}&invoice=${invoiceNo}&mode=${mode}`);
  const toggle = page.locator('.bw-compare-toggle button');
  await toggle.waitFor({ timeout: 30000 });
  assertEqual(await toggle.getAttribute('aria-expanded'), 'false', 'the comparison starts closed');
  await toggle.focus();
  await page.keyboard.press('Enter');
  assertEqual(await toggle.getAttribute('aria-expanded'), 'true', 'the disclosure says it is open');
  await page.waitForSelector('.bw-compare-summary', { timeout: 30000 });
}

/** The sum of every line's total, per invoice, in cents. */
async function linesTotal(invoice) {
  return sumCents((await invoiceLines(await api(invoice['@id']))).all, 'totalAmount');
}

test('compare: the newest invoice against the one before it, with changes that add up, a CSV and the host event', async (page) => {
  const [newest, previous] = await invoicesOf(PRIVATE);
  const [now, before] = [await api(newest['@id']), await api(previous['@id'])];
  await openComparison(page, newest.invoiceNo);

  const summary = (await texts(page, '.bw-compare-summary')).join('');
  const difference = Math.round(now.invoiceAmount * 100) - Math.round(before.invoiceAmount * 100);
  assert(summary.startsWith(`Invoice ${newest.invoiceNo}: `), summary);
  assert(summary.endsWith(`${difference >= 0 ? 'more' : 'less'} than invoice ${previous.invoiceNo}.`) || difference === 0, summary);

  const [detail] = await page.evaluate(() => window.compared);
  assertEqual([detail.invoiceNo, detail.comparedWith, detail.currency], [newest.invoiceNo, previous.invoiceNo, 'SEK'], 'the event names both invoices');
  assertEqual(Math.round(Number(detail.difference) * 100), difference, 'the event has the exact difference of the invoice amounts');

  // Every change row's difference adds up to the difference of the lines (the rest, if any, is stated).
  const rows = await texts(page, 'tr.bw-change td:last-child');
  const changed = rows.reduce((s, t) => s + textCents(t), 0);
  assertEqual(changed, (await linesTotal(now)) - (await linesTotal(before)), 'the changes add up to the difference of the lines');
  assertEqual(Number(detail.changes), rows.length, 'the event counts the changes shown');
  const kinds = await texts(page, '.bw-compare-kinds tbody td:first-of-type');
  assertEqual(kinds.reduce((s, t) => s + Number(t.replace(/[^0-9]/g, '')), 0), rows.length, 'the kinds table counts every change');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-action=compare-csv]')]);
  assertEqual(download.suggestedFilename(), `invoice-${newest.invoiceNo}-compared-with-${previous.invoiceNo}.csv`, 'file name');
  const csv = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '').trim().split('\r\n');
  assertEqual(csv.length - 1, rows.length, 'one CSV record per change');
});

test('compare: a mid-period plan change reads as prorations and credits, and either invoice can be changed', async (page) => {
  const invoices = await invoicesOf(PRIVATE);
  // The plan-change invoice of the demo data: the one with a credit line.
  let planChange = null;
  for (const invoice of invoices) {
    const lines = (await invoiceLines(await api(invoice['@id']))).all;
    if (lines.some((l) => l.amount < 0 && /kreditering/i.test(l.description))) { planChange = invoice; break; }
  }
  assert(planChange, 'the demo data has an invoice with a plan change');
  const index = invoices.findIndex((i) => i.invoiceNo === planChange.invoiceNo);
  await openComparison(page, planChange.invoiceNo);
  assert((await page.$$('tr.bw-change[data-kind=proration-or-credit]')).length > 0, 'the credit and the part-period charge are classified');

  // Compare with another, older invoice: the summary follows.
  const other = invoices[index + 2] ?? invoices[invoices.length - 1];
  await page.selectOption('.bw-compare-pick select >> nth=1', other.invoiceNo);
  await page.waitForFunction((no) => document.querySelector('.bw-compare-summary')?.textContent.includes(no), other.invoiceNo);
  assertEqual((await page.evaluate(() => window.compared)).at(-1).comparedWith, other.invoiceNo, 'the host hears of the new comparison');
});

test('compare: customers read it by date, without product numbers', async (page) => {
  const [newest] = await invoicesOf(PRIVATE);
  await openComparison(page, newest.invoiceNo, 'self-service');
  const summary = (await texts(page, '.bw-compare-summary')).join('');
  assert(summary.startsWith('Your invoice of '), summary);
  assert(!summary.includes(newest.invoiceNo), `no invoice number in ${summary}`);
  assertEqual((await texts(page, '.bw-compare-changes thead th')).length, 5, 'no product column');
});
