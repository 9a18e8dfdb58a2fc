// The gallery's script: for each figure, does what its data-action says (open a comparison, an
// estimate, a form with errors, save a change), then waits until its element shows data-ready
// (a selector in the element's shadow root). Marks each figure data-shown="true" or "false", says
// in the status line how many states are shown, and sets <html data-gallery="ready"> (every
// state shown) or "incomplete" for the end-to-end test.
const TIMEOUT_MS = 60000;

/** Resolves with the first match of `selector` in `element`'s shadow root, or null after the timeout. */
function shown(element, selector, timeoutMs = TIMEOUT_MS) {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve) => {
    const look = () => {
      const found = element.shadowRoot && element.shadowRoot.querySelector(selector);
      if (found) resolve(found);
      else if (performance.now() > deadline) resolve(null);
      else setTimeout(look, 50);
    };
    look();
  });
}

/** Clicks the first match of `selector` once it shows; false if it never does. */
async function click(element, selector) {
  const target = await shown(element, selector);
  if (target) target.click();
  return Boolean(target);
}

/** Types `value` into the form field `name`, as a person would (an input event). */
async function type(element, name, value) {
  const field = await shown(element, `.bw-form [name=${name}]`);
  if (!field) return false;
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  return true;
}

const ACTIONS = {
  async compare(element) {
    return (await click(element, 'tbody tr:first-child button')) && click(element, '.bw-compare-toggle button');
  },
  estimate: (element) => click(element, '.bw-preview > button'),
  async 'field-errors'(element) {
    if (!(await click(element, 'button[aria-label="Add product to the customer"]'))) return false;
    for (const [name, value] of [['productNo', 'EXTRA-SIM'], ['quantity', '0'], ['unitPrice', '1,000']]) {
      if (!(await type(element, name, value))) return false;
    }
    return click(element, '.bw-form button[type=submit]');
  },
  // Saves the customer's paper-invoice fee unchanged: a real save, the same on every visit.
  async save(element) {
    return (await click(element, 'button[aria-label="Edit Pappersfaktura"]')) && click(element, '.bw-form button[type=submit]');
  },
};

async function show(figure) {
  const element = figure.querySelector('payex-invoice, payex-invoice-list, payex-recurring-products');
  await customElements.whenDefined(element.localName);
  const action = ACTIONS[figure.dataset.action];
  const acted = action ? await action(element) : true;
  const state = acted ? await shown(element, figure.dataset.ready) : null;
  // What an action opened may be below the figure's fold: scrolled to its top (the figure only).
  if (state && action) figure.scrollTop += state.getBoundingClientRect().top - figure.getBoundingClientRect().top - 48;
  const reached = state !== null;
  figure.dataset.shown = String(reached);
  return reached;
}

const figures = [...document.querySelectorAll('figure[data-ready]')];
const results = await Promise.all(figures.map(show));
const missing = figures.filter((_, i) => !results[i]).map((f) => f.querySelector('figcaption').textContent);
document.getElementById('gallery-status').textContent = missing.length === 0
  ? `All ${figures.length} states are shown.`
  : `${figures.length - missing.length} of ${figures.length} states are shown; not reached: ${missing.join('; ')}.`;
document.documentElement.dataset.gallery = missing.length === 0 ? 'ready' : 'incomplete';
