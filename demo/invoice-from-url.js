// Lets the one-invoice page show any invoice of the demo ledger: invoice.html?invoice=603012.
const invoice = new URLSearchParams(location.search).get('invoice');
if (invoice) document.querySelector('payex-invoice').setAttribute('invoice-no', invoice);
