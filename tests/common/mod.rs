//! What the browser test files share: mounting into a real DOM and reading it back.
#![allow(dead_code)] // each test file uses its own part

use billing_contract::Decimal;
use leptos::prelude::*;
use std::str::FromStr;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The widget's stylesheet, so sizes (the virtualized scroll container) are as in production.
pub fn with_widget_css() {
    let document = web_sys::window().unwrap().document().unwrap();
    if document.get_element_by_id("bw-test-css").is_none() {
        let style = document.create_element("style").unwrap();
        style.set_id("bw-test-css");
        style.set_text_content(Some(include_str!("../../style/widget.css")));
        document.head().unwrap().append_child(&style).unwrap();
    }
}

pub fn mount<V: IntoView + 'static>(f: impl FnOnce() -> V + 'static) -> (HtmlElement, impl Drop) {
    with_widget_css();
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), f);
    (host, handle)
}

pub fn texts(host: &HtmlElement, selector: &str) -> Vec<String> {
    let nodes = host.query_selector_all(selector).unwrap();
    // Intl separates with no-break spaces; compare with plain ones for readability.
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default().replace('\u{a0}', " ").trim().to_owned())
        .collect()
}

pub fn click(host: &HtmlElement, selector: &str) {
    host.query_selector(selector).unwrap().unwrap().unchecked_into::<HtmlElement>().click();
}

pub fn count(host: &HtmlElement, selector: &str) -> u32 {
    host.query_selector_all(selector).unwrap().length()
}

pub fn attribute(host: &HtmlElement, selector: &str, name: &str) -> Option<String> {
    host.query_selector(selector).unwrap().and_then(|e| e.get_attribute(name))
}

pub fn type_into(host: &HtmlElement, selector: &str, text: &str) {
    let input: web_sys::HtmlInputElement = host.query_selector(selector).unwrap().unwrap().unchecked_into();
    input.set_value(text);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

pub async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

/// A stand-in for the page's `fetch` that records every request it is called with and answers
/// as `answer` says; the page's own `fetch` is back when it is dropped.
pub struct RecordingFetch {
    original: wasm_bindgen::JsValue,
}

impl RecordingFetch {
    /// Replaces `fetch` with one that records its request and then runs `answer`, the body of
    /// a JavaScript function of `request` that returns (or throws) what `fetch` would, or what a
    /// hostile host page's replacement might.
    pub fn answering(answer: &str) -> RecordingFetch {
        let window = web_sys::window().unwrap();
        let original = js_sys::Reflect::get(&window, &"fetch".into()).unwrap();
        js_sys::Reflect::set(&window, &"__bwRequests".into(), &js_sys::Array::new()).unwrap();
        let fake = js_sys::Function::new_with_args("request", &format!("window.__bwRequests.push(request);\n{answer}"));
        js_sys::Reflect::set(&window, &"fetch".into(), &fake).unwrap();
        RecordingFetch { original }
    }

    /// Replaces `fetch` with one that records its request and never answers, unless the
    /// request is aborted: then it rejects as the browser's `fetch` does.
    pub fn hanging() -> RecordingFetch {
        RecordingFetch::answering(
            "return new Promise((resolve, reject) =>
               request.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));",
        )
    }

    /// Every request sent so far, oldest first.
    pub fn requests(&self) -> Vec<web_sys::Request> {
        let requests = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__bwRequests".into()).unwrap();
        js_sys::Array::from(&requests).iter().map(|request| request.unchecked_into()).collect()
    }
}

impl Drop for RecordingFetch {
    fn drop(&mut self) {
        js_sys::Reflect::set(&web_sys::window().unwrap(), &"fetch".into(), &self.original).unwrap();
    }
}

/// Serves `pages` (URL path -> JSON body, for any method) from a stand-in `fetch`, recording
/// every URL asked for; any other path is a 404, or the status [`FakeFetch::failing`] gave it.
/// The real `fetch` is back when this is dropped.
pub struct FakeFetch {
    original: wasm_bindgen::JsValue,
}

impl FakeFetch {
    pub fn serve(pages: &[(&str, &str)]) -> FakeFetch {
        let window = web_sys::window().unwrap();
        let original = js_sys::Reflect::get(&window, &"fetch".into()).unwrap();
        let table = js_sys::Object::new();
        for (path, body) in pages {
            js_sys::Reflect::set(&table, &(*path).into(), &(*body).into()).unwrap();
        }
        js_sys::Reflect::set(&window, &"__bwPages".into(), &table).unwrap();
        js_sys::Reflect::set(&window, &"__bwAsked".into(), &js_sys::Array::new()).unwrap();
        js_sys::Reflect::set(&window, &"__bwFailing".into(), &js_sys::Object::new()).unwrap();
        let fake = js_sys::Function::new_with_args(
            "request",
            "const url = new URL(request.url); window.__bwAsked.push(request.url);
             const body = window.__bwPages[url.pathname + url.search];
             return Promise.resolve(body === undefined
               ? new Response('{}', { status: window.__bwFailing[url.pathname + url.search] || 404 })
               : new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' } }));",
        );
        js_sys::Reflect::set(&window, &"fetch".into(), &fake).unwrap();
        FakeFetch { original }
    }

    /// Answers `path` (not served) with `status` instead of a 404.
    pub fn failing(self, path: &str, status: u16) -> FakeFetch {
        let failing = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__bwFailing".into()).unwrap();
        js_sys::Reflect::set(&failing, &path.into(), &status.into()).unwrap();
        self
    }

    pub fn asked(&self) -> Vec<String> {
        let asked = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__bwAsked".into()).unwrap();
        js_sys::Array::from(&asked).iter().filter_map(|v| v.as_string()).collect()
    }
}

impl Drop for FakeFetch {
    fn drop(&mut self) {
        js_sys::Reflect::set(&web_sys::window().unwrap(), &"fetch".into(), &self.original).unwrap();
    }
}

/// The value of header `name` on `request`, if it has one.
pub fn header(request: &web_sys::Request, name: &str) -> Option<String> {
    request.headers().get(name).unwrap()
}

/// Resolves after `duration` (a browser timer).
pub async fn sleep(duration: std::time::Duration) {
    let (sender, receiver) = futures::channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = sender.send(());
        },
        duration,
    );
    let _ = receiver.await;
}

/// Waits (up to five seconds) until `done` holds; panics with `what` if it never does.
pub async fn wait_until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..250 {
        if done() {
            return;
        }
        sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("timed out waiting until {what}");
}

/// Reports collected from the [`ViewEvents`](billing_widget::views::ViewEvents) callbacks a
/// test provides to the view it mounts.
#[derive(Clone, Default)]
pub struct Heard {
    pub loaded: std::sync::Arc<std::sync::Mutex<Vec<billing_widget::views::Loaded>>>,
    pub failed: std::sync::Arc<std::sync::Mutex<Vec<billing_widget::views::Failed>>>,
    pub changed: std::sync::Arc<std::sync::Mutex<Vec<billing_widget::model::change::ChangeNotice>>>,
    pub opened: std::sync::Arc<std::sync::Mutex<Vec<billing_widget::views::InvoiceOpened>>>,
    pub auth_required: std::sync::Arc<std::sync::Mutex<Vec<billing_widget::views::AuthRequired>>>,
    pub compared: std::sync::Arc<std::sync::Mutex<Vec<billing_widget::views::InvoiceCompared>>>,
}

impl Heard {
    /// Provides callbacks recording into this (call inside the mount).
    pub fn provide(&self) {
        use billing_widget::views::ViewEvents;
        let heard = self.clone();
        provide_context(ViewEvents {
            on_loaded: Some(Callback::new({
                let list = heard.loaded.clone();
                move |v| list.lock().unwrap().push(v)
            })),
            on_error: Some(Callback::new({
                let list = heard.failed.clone();
                move |v| list.lock().unwrap().push(v)
            })),
            on_changed: Some(Callback::new({
                let list = heard.changed.clone();
                move |v| list.lock().unwrap().push(v)
            })),
            on_invoice_opened: Some(Callback::new({
                let list = heard.opened.clone();
                move |v| list.lock().unwrap().push(v)
            })),
            on_auth_required: Some(Callback::new({
                let list = heard.auth_required.clone();
                move |v| list.lock().unwrap().push(v)
            })),
            on_compared: Some(Callback::new({
                let list = heard.compared.clone();
                move |v| list.lock().unwrap().push(v)
            })),
        });
    }
}

/// Mounts `f`'s view with the texts and formats of `locale` provided, as a top-level view
/// provides them to the components inside it.
pub fn mount_with_locale<V: IntoView + 'static>(
    locale: &'static str,
    f: impl FnOnce() -> V + 'static,
) -> (HtmlElement, impl Drop) {
    use billing_widget::views::{provide_i18n, I18n};
    mount(move || provide_i18n(I18n::new(locale), f))
}
