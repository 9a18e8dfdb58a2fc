// The benchmarks' probe of a page's first painted invoice line (see instrument()).

// Runs in the page before any script: records when the first invoice line is painted and when
// every group has loaded, and reports both on the console, so that the benchmark does not touch
// the page (Playwright's injected helpers cost tens of milliseconds) until loading is over.
//
// The first line is noticed by a MutationObserver on the page and on every shadow root the
// moment it enters the DOM. It is painted by the end of the frame that renders it: the current
// frame if it entered during the frame's animation callbacks (where the widget applies loaded
// groups), else the next one. A task queued after that frame runs once the frame is painted,
// and its time is the figure. (Looking only once per frame instead, as this benchmark did until
// 2026-11-21, notices a line a frame after its paint and then waited one frame more.) The task
// is a user-blocking one (`scheduler.postTask`): until 2026-12-06 it was a `setTimeout`, which
// ran after timers the page had queued in the same frame (the widget's requests for the further
// groups, sent once the first lines are painted), so their work counted as painting time.
export function instrument() {
  window.__bench = {};
  window.__root = () => document.querySelector('payex-invoice')?.shadowRoot || document;
  addEventListener('TrunkApplicationStarted', (e) => { window.__bench.memory = e.detail && e.detail.wasm && e.detail.wasm.memory; });
  const nativeFrame = window.requestAnimationFrame.bind(window);
  let inFrame = false;
  window.requestAnimationFrame = (callback) => nativeFrame((time) => {
    if (!inFrame) {
      inFrame = true;
      setTimeout(() => { inFrame = false; });
    }
    callback(time);
  });
  // A user-blocking task runs before the tasks the page queued itself (its timers), which would
  // otherwise add their work after the paint to the figure.
  const task = (f) => (window.scheduler?.postTask ? window.scheduler.postTask(f, { priority: 'user-blocking' }) : setTimeout(f));
  const afterPaint = (f) => (inFrame ? task(f) : nativeFrame(() => task(f)));
  const observers = [];
  const seeLine = () => {
    if (window.__bench.firstLinePainted || !window.__root().querySelector('tr.bw-line')) return;
    window.__bench.firstLinePainted = -1;
    observers.forEach((o) => o.disconnect());
    afterPaint(() => { window.__bench.firstLinePainted = performance.now(); console.debug('bench:first-line'); });
  };
  const observe = (root) => {
    const observer = new MutationObserver(seeLine);
    observer.observe(root, { childList: true, subtree: true });
    observers.push(observer);
  };
  observe(document);
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    if (!window.__bench.firstLinePainted) observe(root);
    return root;
  };
  const settle = () => {
    const root = window.__root();
    const note = root.querySelector('.bw-summary + .bw-note');
    if (window.__bench.firstLinePainted && note && !/^Still loading/.test(note.textContent) && !root.querySelector('.bw-progress')) {
      nativeFrame(() => setTimeout(() => console.debug('bench:settled')));
      return;
    }
    nativeFrame(settle);
  };
  nativeFrame(settle);
}

/** Resolves once the page logs `text` (the probe's signals), or fails after `timeout` ms. */
export const signal = (page, text, timeout = 30000) =>
  page.waitForEvent('console', { predicate: (m) => m.text() === text, timeout });

/** Loads `url` in a new browser context (a cold cache) and resolves to the time from navigation
 *  to its first painted invoice line (see instrument()).
 *
 *  Nothing is evaluated in the page before that line: it waits for the probe's console signal.
 *  (Until 2026-12-06 it waited with `waitForFunction` after `goto`'s load event, which makes
 *  Playwright evaluate its injected script, 10–15 ms of main thread, at the page's load event:
 *  inside the widget's critical path, which is still running then, but in the idle network
 *  wait of the floor's smaller pages.) */
export async function coldFirstLine(browser, url) {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1400, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(instrument);
    const painted = signal(page, 'bench:first-line');
    await page.goto(url, { waitUntil: 'commit' });
    await painted;
    return await page.evaluate(() => window.__bench.firstLinePainted);
  } finally {
    await context.close();
  }
}

/** The median of `values`. */
export const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
