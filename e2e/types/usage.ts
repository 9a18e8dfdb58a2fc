// What a TypeScript host writes with the shipped declarations (embed/payex-billing.d.ts). CI
// compiles it with `tsc --noEmit`: the right uses must compile, and each `@ts-expect-error` line
// is a wrong use that must not (tsc fails if one of them compiles).
import { mount, unmount, type PayexInvoiceComparedDetail } from '../../embed/payex-billing.js';

// Elements come typed from the tag name.
const invoice = document.createElement('payex-invoice');
invoice.setAttribute('owner-no', '100200');
invoice.sessionToken = 'token-from-the-host-backend';
const list: HTMLElementTagNameMap['payex-invoice-list'] | null = document.querySelector('payex-invoice-list');

// Events are typed by name, on the element and on document.
invoice.addEventListener('payex-loaded', (event) => {
  if (event.detail.view === 'invoice') console.log(event.detail.invoiceNo, event.detail.lines, event.detail.failedGroups);
});
document.addEventListener('payex-invoice-compared', (event) => {
  const detail: PayexInvoiceComparedDetail = event.detail;
  const difference: string = detail.difference; // exact decimal text, never a float
  console.log(detail.invoiceNo, detail.comparedWith, difference, detail.newCharges ?? 0);
});
document.addEventListener('payex-authentication-required', (event) => {
  const status: 401 = event.detail.status;
  list?.addEventListener('payex-invoice-opened', (opened) => console.log(opened.detail.invoiceNo, status));
});

// mount() needs the number its view shows.
const container = document.createElement('div');
await mount(container, { view: 'invoice', ownerNo: '100200', invoiceNo: '603012', locale: 'sv-SE', mode: 'crm' });
await mount(container, { view: 'recurring-products', ownerNo: '100200', customerNo: '15615616' });
unmount(container);

// Wrong uses: each must fail to compile.
// @ts-expect-error an invoice view needs invoiceNo, not customerNo
await mount(container, { view: 'invoice', ownerNo: '100200', customerNo: '15615616' });
// @ts-expect-error there is no view 'invoices'
await mount(container, { view: 'invoices', ownerNo: '100200', customerNo: '15615616' });
// @ts-expect-error the mode is 'crm' or 'self-service'
await mount(container, { view: 'invoice-list', ownerNo: '100200', customerNo: '15615616', mode: 'admin' });
document.addEventListener('payex-invoice-compared', (event) => {
  // @ts-expect-error amounts are decimal strings, not numbers
  const wrong: number = event.detail.amount;
  console.log(wrong);
});
