// The gallery (demo/gallery.html, served at /gallery.html): every state of every view on one
// page, against the sandbox with its gallery faults (`--fault gallery`). Every state is reached
// and is what its caption says, the page is axe clean, and its screenshot lands in
// e2e/artifacts/gallery.png (docs/gallery.png in the README is a copy).
import path from 'node:path';
import { test, assert, assertEqual, galleryBase, ARTIFACTS } from './harness.mjs';
import { violations } from './accessibility.mjs';

/** The texts of `selector` in the shadow root of the element of the figure whose caption starts with `caption`. */
async function textsIn(page, caption, selector) {
  const texts = await page.evaluate(([caption, selector]) => {
    const figure = [...document.querySelectorAll('figure')].find((f) => f.querySelector('figcaption').textContent.startsWith(caption));
    if (!figure) return null;
    const root = figure.querySelector('payex-invoice, payex-invoice-list, payex-recurring-products').shadowRoot;
    return [...root.querySelectorAll(selector)].map((e) => e.textContent.trim());
  }, [caption, selector]);
  assert(texts !== null, `the gallery has a figure captioned "${caption}…"`);
  return texts;
}

test('gallery: every state of every view on one page, each reached, axe clean, screenshot for review', async (page, ctx) => {
  ctx.expectedErrors.push(/status of 403/, /status of 404/, /status of 503/);
  const base = await galleryBase();
  await page.setViewportSize({ width: 2040, height: 1200 });
  await page.goto(`${base}/gallery.html`);
  await page.waitForFunction(() => document.documentElement.dataset.gallery, null, { timeout: 90000 });
  const status = await page.textContent('#gallery-status');
  assertEqual(await page.evaluate(() => document.documentElement.dataset.gallery), 'ready', `every state shown (${status})`);
  assert(/^All \d+ states are shown\.$/.test(status), `the page says so: ${status}`);

  // Each state is what its caption says.
  assertEqual((await textsIn(page, 'Loading', '.bw-loading')).length, 1, 'the held customer is still loading');
  assertEqual((await textsIn(page, 'Empty', '.bw-empty')).length, 1, 'the customer without invoices says so');
  const forbidden = await textsIn(page, 'Forbidden', '.bw-error-title');
  assert(forbidden.length === 1 && forbidden[0].length > 0, `another ledger is refused with a title: ${forbidden}`);
  assertEqual(await textsIn(page, 'Forbidden', 'button'), [], 'a refusal offers no retry: it would be refused again');
  const failedGroup = await textsIn(page, 'A failed group', '.bw-error-inline');
  assertEqual(failedGroup.length, 1, 'exactly one group of the invoice failed');
  assert((await textsIn(page, 'A failed group', '.bw-group-status button')).some((t) => /retry|try again/i.test(t)), 'it offers a retry');
  assert((await textsIn(page, 'A failed group', 'tr.bw-line')).length > 0, 'the other groups are shown');
  const difference = (await textsIn(page, 'Reconciliation difference', '.bw-summary')).join(' ');
  assert(difference.includes('35.00'), `the invoice names its difference of 35.00: ${difference}`);
  const rows = await textsIn(page, '50,000 lines', 'tr.bw-line');
  assert(rows.length > 0 && rows.length < 500, `the 50,000-line invoice keeps only the rows in view in the page: ${rows.length}`);
  const ended = (await textsIn(page, 'CRM: an ended product', 'tr.bw-product')).join(' | ');
  assert(ended.includes('Streamingtjänst TV') && /ended/i.test(ended), `the ended product is shown as ended: ${ended}`);
  const errors = await textsIn(page, 'A form with field errors', '.bw-field-error');
  assert(errors.some((e) => e.startsWith('Unclear')), `"1,000" is refused as ambiguous: ${errors}`);
  assertEqual(await textsIn(page, 'A saved change', '.bw-change-status'), ['Saved “Pappersfaktura”.'], 'the change is saved');
  assertEqual((await textsIn(page, 'Read-only', '.bw-form, button[aria-label^="Edit"], button[aria-label^="Lägg till"]')).length, 0, 'self-service offers no changes');
  const headers = [];
  for (const caption of ['English', 'Svenska', 'Norsk', 'Dansk', 'Suomi']) headers.push((await textsIn(page, caption, 'thead th')).join(' '));
  assertEqual(new Set(headers).size, 5, `each language has its own column names: ${headers.join(' / ')}`);

  await page.screenshot({ path: path.join(ARTIFACTS, 'gallery.png'), fullPage: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'gallery.jpg'), fullPage: true, type: 'jpeg', quality: 70 });
  const blocked = ctx.errors.filter((e) => /Content Security Policy/.test(e));
  assertEqual(blocked, [], 'the views need nothing the strict CSP of the page blocks');
  // axe itself sets inline styles while it checks contrast, which the page's CSP blocks.
  ctx.expectedErrors.push(/Applying inline style violates the following Content Security Policy/);
  assertEqual(await violations(page), [], 'axe violations on the gallery');
});
