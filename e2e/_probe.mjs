import { startServices, launchBrowser, BASE } from './harness.mjs';
const s = await startServices(); const b = await launchBrowser();
const p = await (await b.newContext({ locale: 'en-GB' })).newPage();
await p.goto(`${BASE}/?customer=5566778899&invoice=604002`);
await p.waitForTimeout(2000);
await p.emulateMedia({ media: 'print' });
await p.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
for (let i = 0; i < 4; i++) { await p.waitForTimeout(1000); console.log('after', await p.$$eval('tr.bw-line', (r) => r.length), await p.evaluate(() => matchMedia('print').matches)); }
await b.close(); s.stop();
