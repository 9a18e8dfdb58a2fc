// Accessibility: an axe-core scan of every view in both modes finds no violations (WCAG 2.1 A
// and AA rules, and axe's best practices), and a keyboard alone reaches list -> invoice -> sort.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, assert, assertEqual, BASE, ROOT } from './harness.mjs';

const AXE = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Runs axe in the page (through the debugger protocol, so a page CSP cannot block it). */
export async function violations(page, include) {
  await page.evaluate(AXE);
  const result = await page.evaluate((include) => window.axe.run(include ? { include } : document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    resultTypes: ['violations'],
  }), include);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')}`);
}

const VIEWS = [
  ['invoice list and an open invoice (CRM)', '/?customer=15615616&invoice=603007', '.bw-summary'],
  ['the 50,012-line invoice, virtualized', '/?customer=5566778899&invoice=604004', '.bw-summary'],
  ['recurring products (CRM)', '/?customer=15615616&tab=recurring', '.bw-overview'],
  ['recurring products (self-service)', '/?customer=15615616&tab=recurring&mode=self-service', '.bw-overview'],
  ['an unknown customer (error state)', '/?customer=99999999&tab=recurring', '.bw-recurring .bw-error'],
];

for (const [name, url, ready] of VIEWS) {
  test(`axe finds no violations: ${name}`, async (page, ctx) => {
    ctx.expectedErrors.push(/status of 404/);
    await page.goto(BASE + url);
    await page.waitForSelector(ready, { timeout: 30000 });
    assertEqual(await violations(page), [], 'axe violations');
  });
}

test('axe finds no violations: recurring-product form with errors, and the delete confirmation', async (page) => {
  await page.goto(BASE + '/?customer=15615616&tab=recurring');
  await page.waitForSelector('.bw-overview');
  await page.click('button[aria-label="Add product to the customer"]');
  await page.fill('.bw-form [name=quantity]', '0');
  await page.click('.bw-form button[type=submit]');
  await page.waitForSelector('.bw-field-error');
  assertEqual(await violations(page), [], 'axe violations in the form with errors');
  await page.click('.bw-form .bw-secondary');
  await page.click('button[aria-label="Delete Pappersfaktura"]');
  await page.waitForSelector('.bw-confirm');
  assertEqual(await violations(page), [], 'axe violations in the confirmation');
});

test('axe finds no violations: the elements on the CRM and My Pages host pages', async (page, ctx) => {
  // axe's own checks set inline styles, which these pages' CSP refuses (the widget sets none:
  // the CSP tests of the host pages show that).
  ctx.expectedErrors.push(/Applying inline style violates the following Content Security Policy directive 'style-src 'self''/);
  await page.goto(BASE + '/embed/demo/my-pages.html');
  await page.waitForSelector('payex-recurring-products .bw-overview');
  await page.waitForSelector('payex-invoice-list tbody tr');
  assertEqual(await violations(page), [], 'axe violations on My Pages');
  await page.goto(BASE + '/embed/demo/crm.html');
  await page.waitForSelector('payex-recurring-products .bw-overview');
  await page.waitForSelector('payex-invoice-list tbody tr');
  // The CRM page's own hostile styling is not ours to judge: only the elements are scanned.
  assertEqual(await violations(page, [['payex-recurring-products'], ['payex-invoice-list']]), [], 'axe violations in the CRM elements');
});

test('keyboard only, in the element: list -> invoice -> sort', async (page) => {
  await page.goto(BASE + '/embed/demo/crm.html');
  await page.waitForSelector('payex-invoice-list tbody tr');
  const focused = () => page.evaluate(() => {
    let e = document.activeElement;
    while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
    if (!e) return '';
    return (e.classList.contains('bw-sort') ? 'sort: ' : '') + (e.getAttribute('aria-label') || e.textContent).trim();
  });
  // Tab from the top of the page until the first invoice's button has focus.
  let label = '';
  for (let i = 0; i < 200 && !/^Open invoice/.test(label); i++) {
    await page.keyboard.press('Tab');
    label = await focused();
  }
  assert(/^Open invoice/.test(label), `Tab reaches the invoice list: ${label}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('payex-invoice-list .bw-invoice-header');
  await page.waitForSelector('payex-invoice-list thead .bw-sort');
  for (let i = 0; i < 60 && !/^sort: /.test(label); i++) {
    await page.keyboard.press('Tab');
    label = await focused();
  }
  assert(/^sort: /.test(label), `Tab reaches a sortable column header: ${label}`);
  await page.keyboard.press('Enter');
  const sorted = await page.locator('payex-invoice-list th[aria-sort]').evaluateAll((ths) => ths.map((t) => t.getAttribute('aria-sort')));
  assertEqual(sorted, ['ascending'], 'Enter sorts, and only the sorted column has aria-sort');
});

test('axe finds no violations in dark mode (colour contrast of the dark defaults)', async (page) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(BASE + '/?customer=15615616&invoice=603007');
  await page.waitForSelector('.bw-summary');
  assertEqual(await violations(page), [], 'axe violations, invoice, dark');
  await page.goto(BASE + '/?customer=15615616&tab=recurring');
  await page.waitForSelector('.bw-overview');
  assertEqual(await violations(page), [], 'axe violations, recurring products, dark');
});
