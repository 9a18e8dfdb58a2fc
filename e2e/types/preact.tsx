/** @jsxImportSource preact */
// A Preact host's use of the elements in JSX (compiled by tsc with Preact's types).
import type {} from '../../embed/payex-billing-preact.js';

export function CustomerPage({ customerNo }: { customerNo: string }) {
  return (
    <main>
      <payex-invoice owner-no="100200" invoice-no="603012" theme="dark" />
      {/* @ts-expect-error a list needs its customer-no */}
      <payex-invoice-list owner-no="100200" />
      <payex-recurring-products owner-no="100200" customer-no={customerNo} />
    </main>
  );
}
