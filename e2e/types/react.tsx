// A React 19 host's use of the elements in JSX (compiled by tsc with @types/react).
import type {} from '../../embed/payex-billing-react.js';

export function CustomerPage({ customerNo, token }: { customerNo: string; token: string }) {
  return (
    <main>
      <payex-invoice-list owner-no="100200" customer-no={customerNo} mode="crm" sessionToken={token} />
      <payex-recurring-products owner-no="100200" customer-no={customerNo} locale="sv-SE" />
      {/* @ts-expect-error an invoice needs its invoice-no */}
      <payex-invoice owner-no="100200" />
      {/* @ts-expect-error the mode is crm or self-service */}
      <payex-recurring-products owner-no="100200" customer-no={customerNo} mode="admin" />
    </main>
  );
}
