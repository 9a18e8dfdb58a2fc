//! What the element bundle does when the widget panics: say so, in every mounted element.
//!
//! The release build aborts on a panic (`panic = "abort"`): the WebAssembly instance stops, and
//! every element on the page stops with it, silently. Before that, the panic hook installed
//! here (once, when the first view mounts) reports the panic to the console
//! (`console_error_panic_hook`) and turns each mounted view into an error state: its container's
//! content is replaced, with plain DOM calls (Leptos may be in the middle of a borrow), by a
//! translated `<p class="bw-error" role="alert">`, and the element dispatches `payex-error`
//! (bubbling, composed) with `detail.type` `"panic"` and the panic's text in `detail.detail`, so
//! the host can log it or reload.
//!
//! Each view registers its container when it mounts ([`register`]); the returned
//! [`Registration`] unregisters it when dropped, i.e. when the view unmounts.

use super::events::{dispatch, Detail, HostEvent};
use crate::format::texts;
use std::cell::{Cell, RefCell};
use std::sync::Once;
use wasm_bindgen::JsCast;

/// One mounted view's container.
struct Mounted {
    id: u32,
    container: web_sys::HtmlElement,
    /// The view, e.g. `invoice`, for the event's `detail.view`.
    view: String,
    /// The sentence to show, in the view's language.
    text: &'static str,
}

thread_local! {
    static MOUNTED: RefCell<Vec<Mounted>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

static INSTALL: Once = Once::new();

/// Keeps a view's container registered until dropped.
#[must_use = "the container is unregistered when this is dropped"]
pub struct Registration(u32);

impl Registration {
    /// The view is now shown in `locale`: a panic says so in that language.
    pub fn relabel(&self, locale: &str) {
        let (id, text) = (self.0, texts(locale).view_stopped);
        let _ = MOUNTED.try_with(|m| {
            m.try_borrow_mut().map(|mut m| m.iter_mut().filter(|v| v.id == id).for_each(|v| v.text = text))
        });
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let id = self.0;
        let _ = MOUNTED.try_with(|m| m.try_borrow_mut().map(|mut m| m.retain(|v| v.id != id)));
    }
}

/// Registers the container of a view of kind `view` (e.g. `invoice`) shown in `locale`, and
/// installs the panic hook if this is the first.
pub fn register(container: &web_sys::HtmlElement, view: &str, locale: &str) -> Registration {
    INSTALL.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            stop_views(&info.to_string());
        }))
    });
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    });
    let text = texts(locale).view_stopped;
    let _ = MOUNTED.try_with(|m| {
        m.try_borrow_mut()
            .map(|mut m| m.push(Mounted { id, container: container.clone(), view: view.to_owned(), text }))
    });
    Registration(id)
}

/// What the panic hook does after reporting to the console: replaces the content of every
/// registered view's container with the translated error sentence and dispatches `payex-error`
/// from its element (the shadow root's host, else the container). Returns how many views it
/// stopped. `message` is the panic's text (location and message), for the event's
/// `detail.detail`, on one line.
pub fn stop_views(message: &str) -> usize {
    // A copy of the list, so that nothing stays borrowed while events run host code.
    let views: Vec<(web_sys::HtmlElement, String, &'static str)> = MOUNTED
        .try_with(|m| {
            m.try_borrow()
                .map(|m| m.iter().map(|v| (v.container.clone(), v.view.clone(), v.text)).collect())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let mut stopped = 0;
    for (container, view, text) in views {
        if show_error(&container, text).is_none() {
            continue;
        }
        stopped += 1;
        let detail = Detail::new()
            .with("view", view)
            .with("status", None::<u32>)
            .with("type", "panic")
            .with("title", text)
            .with("detail", message.split_whitespace().collect::<Vec<_>>().join(" "))
            .with("instance", None::<String>);
        dispatch(&element_of(&container), &HostEvent::Error(detail));
    }
    stopped
}

/// Replaces `container`'s children with `<p class="bw-error" role="alert">text</p>`.
fn show_error(container: &web_sys::HtmlElement, text: &str) -> Option<()> {
    let document = container.owner_document()?;
    let p = document.create_element("p").ok()?;
    p.set_class_name("bw-error");
    p.set_attribute("role", "alert").ok()?;
    p.set_text_content(Some(text));
    container.set_text_content(None);
    container.append_child(&p).ok()?;
    Some(())
}

/// The custom element whose shadow root holds `container`, or the container itself.
fn element_of(container: &web_sys::HtmlElement) -> web_sys::EventTarget {
    match container.get_root_node().dyn_into::<web_sys::ShadowRoot>() {
        Ok(root) => root.host().into(),
        Err(_) => container.clone().into(),
    }
}
