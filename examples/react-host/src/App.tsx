// A React 19 host's customer page: the customer's invoices and recurring products as the PayEx
// Billing elements, with the host's session passed as a property. The page shows which invoice
// the user opened, and renews the session when an element asks for it.
import { useEffect, useRef, useState } from 'react';
// Defines the three custom elements (a side effect) before React creates any of them, so React
// sets `sessionToken` as the element's property, not as an attribute.
import '@payex-billing/elements';
import type {} from '@payex-billing/elements/react';
import type { PayexAuthenticationRequiredDetail, PayexInvoiceOpenedDetail } from '@payex-billing/elements';
import { fetchSession } from './session';

const OWNER_NO = '100200';

/** The customers this page switches between (the demo ledger's). */
export const CUSTOMERS = [
  { customerNo: '15615616', name: 'Anna Andersson' },
  { customerNo: 'Åkesson & Co/7', name: 'Åkesson & Co' },
];

/** A session and the one customer it was signed for. */
interface Session {
  customerNo: string;
  token: string;
}

export function App() {
  const [customerNo, setCustomerNo] = useState(CUSTOMERS[0].customerNo);
  const [session, setSession] = useState<Session | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const [renewals, setRenewals] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const page = useRef<HTMLDivElement>(null);
  // The customer shown, for the listeners (set once) to renew the right session.
  const shown = useRef(customerNo);
  // One renewal at a time: both elements may be refused at once.
  const renewing = useRef<Promise<void> | null>(null);

  // A session for the chosen customer first; the elements then switch customer and session in
  // one render.
  useEffect(() => {
    let current = true;
    fetchSession(customerNo).then(
      (token) => {
        if (!current) return;
        shown.current = customerNo;
        setSession({ customerNo, token });
        setOpened(null);
        setProblem(null);
      },
      (error: Error) => current && setProblem(`Could not sign in: ${error.message}`),
    );
    return () => {
      current = false;
    };
  }, [customerNo]);

  // The elements' events bubble out of their shadow roots: one listener on the page hears both.
  useEffect(() => {
    const element = page.current;
    if (!element) return;
    const onOpened = (event: CustomEvent<PayexInvoiceOpenedDetail>) => setOpened(event.detail.invoiceNo);
    const onAuthenticationRequired = (_event: CustomEvent<PayexAuthenticationRequiredDetail>) => {
      if (renewing.current) return;
      const customer = shown.current;
      renewing.current = fetchSession(customer)
        .then(
          (token) => {
            // A new token (through the property) makes the refused element retry by itself.
            if (shown.current === customer) setSession({ customerNo: customer, token });
            setRenewals((n) => n + 1);
          },
          (error: Error) => setProblem(`Could not renew the session: ${error.message}`),
        )
        .finally(() => {
          renewing.current = null;
        });
    };
    element.addEventListener('payex-invoice-opened', onOpened);
    element.addEventListener('payex-authentication-required', onAuthenticationRequired);
    return () => {
      element.removeEventListener('payex-invoice-opened', onOpened);
      element.removeEventListener('payex-authentication-required', onAuthenticationRequired);
    };
  }, []);

  const customer = CUSTOMERS.find((c) => c.customerNo === session?.customerNo);
  return (
    <div className="host-page" ref={page}>
      <header>
        <h1>Customer {customer ? `${customer.name} (${customer.customerNo})` : '…'}</h1>
        <nav aria-label="Customers">
          {CUSTOMERS.map((c) => (
            <button key={c.customerNo} type="button" aria-pressed={c.customerNo === customerNo} onClick={() => setCustomerNo(c.customerNo)}>
              {c.name}
            </button>
          ))}
        </nav>
      </header>
      <p role="status" className="host-status">
        {opened ? `Opened invoice ${opened}` : 'No invoice opened'}
        {renewals > 0 ? ` · session renewed ${renewals} ${renewals === 1 ? 'time' : 'times'}` : ''}
      </p>
      {problem && <p role="alert">{problem}</p>}
      {session && (
        <main>
          <section aria-labelledby="invoices-title">
            <h2 id="invoices-title">Invoices</h2>
            {/* sessionToken first: on a switch, the element sees the new session before the new customer. */}
            <payex-invoice-list sessionToken={session.token} owner-no={OWNER_NO} customer-no={session.customerNo} mode="crm" locale="en-GB" />
          </section>
          <section aria-labelledby="products-title">
            <h2 id="products-title">Recurring products</h2>
            <payex-recurring-products sessionToken={session.token} owner-no={OWNER_NO} customer-no={session.customerNo} mode="crm" locale="en-GB" />
          </section>
        </main>
      )}
    </div>
  );
}
