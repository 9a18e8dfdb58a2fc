// Types of the PayEx Billing elements (payex-billing.js): the three elements, their attributes
// and properties, mount()/unmount(), and every event's `detail`. Checked in CI against the
// sources (scripts/check-embed-api.mjs) and compiled with tsc (e2e/types/).

/** Who is looking: customer service (edits where the API allows) or the customer (read-only). */
export type PayexMode = 'crm' | 'self-service';

/** The views an element or mount() shows. */
export type PayexView = 'invoice' | 'invoice-list' | 'recurring-products';

/** Options every view reads: the element's attributes in camelCase, and the session token. */
export interface PayexOptions {
  /** `owner-no`: the ledger. */
  ownerNo: string;
  /** `mode`: missing, empty or unknown means self-service. */
  mode?: PayexMode;
  /** `locale`: a BCP 47 tag; else the nearest `lang`, else the browser's language. */
  locale?: string;
  /** `api-base`: the proxy's origin; empty or missing for the page's own. */
  apiBase?: string;
  /** `vat-rates`: the ledger's VAT rates, e.g. `25,12,6,0` (wins over `country`). */
  vatRates?: string;
  /** `country`: the ledger's country (ISO 3166 alpha-2), for its default VAT rates. */
  country?: string;
  /** A host-signed session for the proxy's signed-session mode (never an attribute). */
  sessionToken?: string;
}

/** What mount() takes: the view and what it needs. */
export type PayexMountOptions =
  | (PayexOptions & { view: 'invoice'; invoiceNo: string })
  | (PayexOptions & { view: 'invoice-list'; customerNo: string })
  | (PayexOptions & { view: 'recurring-products'; customerNo: string });

/** Mounts a view into any element; call again to change options. Settles once mounted. */
export function mount(element: Element, options: PayexMountOptions): Promise<void>;

/** Removes a view mounted with mount(), releasing its requests and listeners. */
export function unmount(element: Element): void;

/** `payex-loaded`: a view has all its data. */
export type PayexLoadedDetail =
  | { view: 'invoice'; invoiceNo: string; lines: number; failedGroups: number }
  | { view: 'invoice-list'; customerNo: string; invoices: number }
  | { view: 'recurring-products'; customerNo: string; products: number; subscriptions: number };

/** `payex-error`: a view could not load (or, `type: 'panic'`, stopped working). */
export interface PayexErrorDetail {
  view: PayexView;
  status: number | null;
  type: string | null;
  title: string;
  detail: string | null;
  instance: string | null;
}

/** `payex-invoice-opened`: an invoice was chosen from a list. */
export interface PayexInvoiceOpenedDetail {
  ownerNo: string;
  customerNo: string;
  invoiceNo: string;
}

/** `payex-invoice-compared`: two invoices were compared. Amounts include VAT and are exact
 * decimal strings (`'254.42'`); a kind of change that did not occur is left out. */
export interface PayexInvoiceComparedDetail {
  ownerNo: string;
  invoiceNo: string;
  comparedWith: string;
  currency: string;
  amount: string;
  previousAmount: string;
  difference: string;
  unexplained: string;
  changes: number;
  newCharges?: number;
  endedCharges?: number;
  priceChanges?: number;
  quantityChanges?: number;
  prorationsOrCredits?: number;
  oneOffCharges?: number;
  usageChanges?: number;
  amountChanges?: number;
}

/** `payex-recurring-products-changed`: a change was saved. */
export interface PayexRecurringProductsChangedDetail {
  action: 'product-added' | 'product-updated' | 'product-ended' | 'product-deleted' | 'subscription-added';
  ownerNo: string;
  customerNo: string;
  subscriptionNo: string | null;
  recurringProductNo: string | null;
  productNo: string | null;
  description: string | null;
}

/** `payex-authentication-required`: the API answered 401; renew the session and set it. */
export interface PayexAuthenticationRequiredDetail {
  status: 401;
  instance: string | null;
}

/** Every event the elements send (bubbling and composed: they reach `document`). */
export interface PayexEventMap {
  'payex-loaded': CustomEvent<PayexLoadedDetail>;
  'payex-error': CustomEvent<PayexErrorDetail>;
  'payex-invoice-opened': CustomEvent<PayexInvoiceOpenedDetail>;
  'payex-invoice-compared': CustomEvent<PayexInvoiceComparedDetail>;
  'payex-recurring-products-changed': CustomEvent<PayexRecurringProductsChangedDetail>;
  'payex-authentication-required': CustomEvent<PayexAuthenticationRequiredDetail>;
}

/** What the three elements share. */
export interface PayexElement extends HTMLElement {
  /** Write-only: a host-signed session; a new one renews it (and retries what a 401 refused). */
  set sessionToken(token: string | null | undefined);
  addEventListener<K extends keyof PayexEventMap>(type: K, listener: (this: PayexElement, event: PayexEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** `<payex-invoice owner-no invoice-no>`: one invoice's charges. */
export interface PayexInvoiceElement extends PayexElement {}
/** `<payex-invoice-list owner-no customer-no>`: a customer's invoices; the one opened below. */
export interface PayexInvoiceListElement extends PayexElement {}
/** `<payex-recurring-products owner-no customer-no>`: the recurring products. */
export interface PayexRecurringProductsElement extends PayexElement {}

declare global {
  interface HTMLElementTagNameMap {
    'payex-invoice': PayexInvoiceElement;
    'payex-invoice-list': PayexInvoiceListElement;
    'payex-recurring-products': PayexRecurringProductsElement;
  }
  interface DocumentEventMap extends PayexEventMap {}
  interface HTMLElementEventMap extends PayexEventMap {}
}
