//! The floor under the invoice view's cold first paint: a Leptos page that renders a 50-line
//! table (nine columns, as the widget's) and nothing else. With `?data` it first requests the
//! invoice and then the invoice's customer-level charges, as the widget must, without decoding
//! either.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The invoice the widget's benchmark page shows.
const INVOICE: &str = "/billing/invoice/v1/100200/invoices/604001";

#[derive(Clone)]
struct Line {
    cells: [String; 9],
}

fn lines() -> Vec<Line> {
    (0..50)
        .map(|i| Line {
            cells: [
                format!("P-{i:04}"),
                format!("Mobile subscription {i}"),
                "1 Oct 2026 – 31 Oct 2026".into(),
                "1".into(),
                format!("SEK {}.00", 100 + i),
                format!("SEK {}.00", 100 + i),
                "25%".into(),
                format!("SEK {}.00", 25 + i),
                format!("SEK {}.00", 125 + i),
            ],
        })
        .collect()
}

/// The body of `url`, or `None`.
async fn text(url: &str) -> Option<String> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await.ok()?.dyn_into().ok()?;
    JsFuture::from(response.text().ok()?).await.ok()?.as_string()
}

/// The invoice's `recurringProducts` link, found in its text.
fn charges_link(invoice: &str) -> Option<String> {
    let rest = invoice.split_once("\"recurringProducts\":\"")?.1;
    Some(rest.split_once('"')?.0.to_owned())
}

#[wasm_bindgen(start)]
pub fn start() {
    let shown = RwSignal::new(Vec::<Line>::new());
    let Some(body) = document().body() else { return };
    mount_to(body, move || {
        view! {
            <table>
                <caption>"Invoice 604001"</caption>
                <thead><tr>
                    <th>"Product"</th><th>"Description"</th><th>"Period"</th><th>"Quantity"</th><th>"Unit price"</th>
                    <th>"Excl. VAT"</th><th>"VAT rate"</th><th>"VAT"</th><th>"Incl. VAT"</th>
                </tr></thead>
                <tbody>
                    <For each=move || shown.get().into_iter().enumerate() key=|(i, _)| *i let:((_, line))>
                        <tr class="bw-line">{line.cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                    </For>
                </tbody>
            </table>
        }
    })
    .forget();
    let with_data = web_sys::window().and_then(|w| w.location().search().ok()).is_some_and(|q| q.contains("data"));
    if !with_data {
        shown.set(lines());
        return;
    }
    spawn_local(async move {
        let Some(invoice) = text(INVOICE).await else { return };
        let Some(link) = charges_link(&invoice) else { return };
        if text(&link).await.is_some() {
            shown.set(lines());
        }
    });
}
