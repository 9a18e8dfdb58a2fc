// PayEx Billing elements: <payex-invoice>, <payex-invoice-list>, <payex-recurring-products>.
//
//   <script type="module" src="/embed/payex-billing.js"></script>
//   <payex-invoice owner-no="100200" invoice-no="603012" locale="sv-SE"></payex-invoice>
//
// Each element renders into its own shadow root with the widget's stylesheet, so the host's CSS
// cannot break it and its CSS cannot leak out. Read-only unless mode="crm"; the session token is
// a write-only property. Nothing is added to the host's <head>, globals or
// cookies beyond the element definitions. Hosts that prefer JavaScript use mount()/unmount().
// Loading this module twice (even from two URLs) is harmless.
const base = new URL('.', import.meta.url);
// The wasm download starts now, alongside the JS glue, instead of after it.
const wasm = fetch(new URL('billing-widget_bg.wasm', base));
const started = import('./billing-widget.js').then(async (glue) => {
  await glue.default({ module_or_path: wasm });
  return glue;
});
const stylesheet = new URL('widget.css', base).href;

/** Attribute name -> option name. */
const ATTRIBUTES = {
  'owner-no': 'ownerNo',
  'customer-no': 'customerNo',
  'invoice-no': 'invoiceNo',
  mode: 'mode',
  locale: 'locale',
  'api-base': 'apiBase',
  'vat-rates': 'vatRates',
  country: 'country',
};

/** Each element's session token. */
const tokens = new WeakMap();
let warned = false;

/** The element's locale: its attribute, else the nearest `lang`, else the browser's. */
function localeOf(element, options) {
  if (options.locale) return options.locale;
  const nearest = element.closest('[lang]');
  return (nearest && nearest.getAttribute('lang')) || navigator.language || 'en';
}

const views = new WeakMap();

/** The paths of each view's first requests, as `billing_contract::paths` writes them (a native
 * test, `early_paths_are_the_contracts`, checks that): `invoice` and `invoice_charges`;
 * `invoices_of_customer`; `customer`, `customer_products` and `customer_subscriptions`. */
const EARLY_PATHS = {
  invoice: ['/billing/invoice/v1/OWNER/invoices/INVOICE', '/billing/invoice/v1/OWNER/invoices/INVOICE/recurring-products'],
  'invoice-list': ['/billing/invoice/v1/OWNER/invoices?customerNo=CUSTOMER'],
  'recurring-products': ['/billing/customer/v1/OWNER/customers/CUSTOMER', '/billing/customer/v1/OWNER/customers/CUSTOMER/recurring-products', '/billing/customer/v1/OWNER/customers/CUSTOMER/subscriptions'],
};
/** Characters that read the same percent-encoded or not (RFC 3986's unreserved). */
const UNRESERVED = /^[A-Za-z0-9._~-]+$/;
/** A session token `fetch` can send as a header value. */
const SENDABLE = /^[\x20-\x7e]*$/;

/**
 * A view's first requests, sent now while the wasm loads, so that their round trips to PayEx
 * overlap the download instead of following it: an invoice and its customer-level charges, a
 * customer's invoices, or a customer with its own recurring products and its subscriptions (the
 * paths PayEx documents; the invoice list's query is the contract's). Returns `{ key, requests: [{ url, answer }],
 * controller }`, or null for a view without early requests or numbers this module would have to
 * encode.
 *
 * The view takes an answer instead of asking again only when it asks for the same URL
 * (`ClientScope::take_early`), and only in its first load; else it asks itself. So an invoice
 * or customer whose links lead elsewhere (or nowhere) costs a request, never a wrong answer; and the
 * session header only goes to these URLs, built from the element's own attributes, never to a
 * link from a response.
 */
function sendEarly(kind, options) {
  const text = (value) => (typeof value === 'string' ? value.trim() : '');
  const numbers = { OWNER: text(options.ownerNo), INVOICE: text(options.invoiceNo), CUSTOMER: text(options.customerNo) };
  const token = text(options.sessionToken);
  const paths = EARLY_PATHS[kind] || [];
  const used = (name) => paths.some((path) => path.includes(name));
  if (!paths.length || !SENDABLE.test(token)) return null;
  if (Object.entries(numbers).some(([name, value]) => used(name) && !UNRESERVED.test(value))) return null;
  const base = text(options.apiBase).replace(/\/+$/, '');
  const headers = { Accept: 'application/json' };
  if (token) headers['x-billing-session'] = token;
  const controller = new AbortController();
  const requests = [];
  for (const path of paths) {
    const each = base + path.replace(/OWNER|INVOICE|CUSTOMER/g, (name) => numbers[name]);
    let answer;
    try {
      // `Promise.resolve`: a host's replacement `fetch` may return anything, or throw.
      answer = Promise.resolve(fetch(each, { headers, signal: controller.signal }));
    } catch {
      break;
    }
    // Handled here too: an early request aborted or never taken is no page error.
    answer.catch(() => {});
    requests.push({ url: each, answer });
  }
  return requests.length ? { key: earlyKey(kind, options), requests, controller } : null;
}

/** What an early request depends on: the view and every option. */
function earlyKey(kind, options) {
  return JSON.stringify([kind, options]);
}

/** Renders `kind` into `element`'s shadow root with `options`; replaces what was there. */
async function render(element, kind, options) {
  const root = element.shadowRoot || element.attachShadow({ mode: 'open' });
  let entry = views.get(element);
  if (!entry) {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = stylesheet;
    const container = document.createElement('div');
    container.className = 'bw-root';
    container.setAttribute('part', 'root');
    root.replaceChildren(link, container);
    entry = { container, view: null, options: null, token: {}, early: null, earlyQueued: false };
    views.set(element, entry);
  }
  const token = (entry.token = {});
  entry.options = { ...options, locale: localeOf(element, options) };
  if (!entry.view && !entry.earlyQueued) {
    // A microtask later, so that a host setting the session token right after appending the
    // element (in the same script) sends it with the first requests.
    entry.earlyQueued = true;
    queueMicrotask(() => {
      entry.earlyQueued = false;
      if (entry.view || views.get(element) !== entry || entry.early?.key === earlyKey(kind, entry.options)) return;
      entry.early?.controller.abort();
      entry.early = sendEarly(kind, entry.options);
    });
  }
  const { mountView } = await started;
  // Removed or re-rendered while the module was starting: the newer call wins.
  if (entry.token !== token || views.get(element) !== entry) return;
  if (entry.view) entry.view.update(entry.options);
  else {
    entry.view = mountView(kind, entry.container, { ...entry.options, early: entry.early?.requests });
  }
}

/** Removes what `render` made: the view's requests, listeners and DOM. */
function release(element) {
  const entry = views.get(element);
  if (!entry) return;
  views.delete(element);
  entry.token = {};
  entry.early?.controller.abort();
  if (entry.view) entry.view.unmount();
  entry.view = null;
  entry.container.replaceChildren();
}

class PayexElement extends HTMLElement {
  static get observedAttributes() {
    return Object.keys(ATTRIBUTES);
  }

  constructor() {
    super();
    // A token set before this definition hides the setter.
    if (Object.hasOwn(this, 'sessionToken')) {
      const token = this.sessionToken;
      delete this.sessionToken;
      this.sessionToken = token;
    }
  }

  /** Write-only; a new token renews the session. */
  set sessionToken(token) {
    tokens.set(this, token == null ? '' : String(token));
    if (this.isConnected && views.has(this)) render(this, this.constructor.view, this.options());
  }

  options() {
    const options = {};
    for (const [attribute, option] of Object.entries(ATTRIBUTES)) {
      const value = this.getAttribute(attribute);
      if (value !== null) options[option] = value;
    }
    const token = tokens.get(this);
    if (token) options.sessionToken = token;
    return options;
  }

  connectedCallback() {
    if (!warned && this.hasAttribute('session-token')) {
      warned = true;
      console.warn('payex-billing: use the sessionToken property, not the attribute');
    }
    render(this, this.constructor.view, this.options());
  }

  attributeChangedCallback() {
    if (this.isConnected && views.has(this)) render(this, this.constructor.view, this.options());
  }

  disconnectedCallback() {
    release(this);
  }
}

const ELEMENTS = {
  'payex-invoice': 'invoice',
  'payex-invoice-list': 'invoice-list',
  'payex-recurring-products': 'recurring-products',
};

for (const [name, view] of Object.entries(ELEMENTS)) {
  if (!customElements.get(name)) {
    customElements.define(name, class extends PayexElement {
      static view = view;
    });
  }
}

/**
 * Mounts a view into any element, for hosts that prefer JavaScript to tags.
 * `options.view` is 'invoice', 'invoice-list' or 'recurring-products'; the rest are the
 * attributes in camelCase, and sessionToken.
 * Call again to change options; returns a promise that settles once the view is mounted.
 */
export function mount(element, options) {
  const { view, ...rest } = options || {};
  if (!Object.values(ELEMENTS).includes(view)) throw new Error(`unknown view ${view}: use ${Object.values(ELEMENTS).join(', ')}`);
  return render(element, view, rest);
}

/** Removes a view mounted with `mount`, releasing its requests and listeners. */
export function unmount(element) {
  release(element);
}
