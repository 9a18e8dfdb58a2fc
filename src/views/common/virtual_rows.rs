//! What a virtualized table needs from the DOM: its scroll container's visible height, a
//! measured row height, and spacer rows that stand for the rows not rendered.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Sets `signal` to `value` when it is a real measurement that differs by more than half a pixel.
pub(crate) fn set_if_changed(signal: RwSignal<f64>, value: f64) {
    if value > 0.0 && signal.try_get_untracked().is_some_and(|old| (old - value).abs() > 0.5) {
        signal.try_set(value);
    }
}

/// Keeps `height` equal to the element's visible height, whatever resizes it (the window, the
/// host page's layout, print).
pub(crate) fn observe_height(element: NodeRef<leptos::html::Div>, height: RwSignal<f64>) {
    type Observer = (web_sys::ResizeObserver, Closure<dyn FnMut()>);
    let observer = StoredValue::new_local(None::<Observer>);
    Effect::new(move |_| {
        let Some(target) = element.get() else { return };
        let measured = target.clone();
        let callback = Closure::<dyn FnMut()>::new(move || set_if_changed(height, f64::from(measured.client_height())));
        if let Ok(resize) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            resize.observe(&target);
            observer.set_value(Some((resize, callback)));
        }
    });
    on_cleanup(move || {
        observer.try_with_value(|o| {
            if let Some((resize, _)) = o {
                resize.disconnect();
            }
        });
    });
}

/// A row group of `height` pixels spanning `columns` columns, hidden from assistive technology,
/// in place of rows not rendered.
pub(crate) fn spacer(height: f64, columns: usize) -> AnyView {
    view! {
        <tbody aria-hidden="true" class="bw-spacer">
            <tr style:height=format!("{}px", height.round() as i64)><td colspan=columns></td></tr>
        </tbody>
    }
    .into_any()
}
