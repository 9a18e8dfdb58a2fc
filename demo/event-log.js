// The host page's side: listens to the widget's events and shows them (and keeps them in
// window.payexEvents for the end-to-end tests).
const names = ['payex-loaded', 'payex-error', 'payex-invoice-opened', 'payex-recurring-products-changed', 'payex-authentication-required'];
window.payexEvents = [];
for (const name of names) {
  document.addEventListener(name, (event) => {
    const entry = { name, target: event.target.tagName.toLowerCase(), detail: event.detail };
    window.payexEvents.push(entry);
    const log = document.getElementById('event-log');
    if (log) log.textContent = `${entry.target} ${name} ${JSON.stringify(event.detail)}\n` + log.textContent;
  });
}
