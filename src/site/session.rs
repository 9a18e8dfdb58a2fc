//! The end of a signed session: watching its expiry (and a renewal by the company's login), and
//! the "sign in again" state with its link.

use billing_contract::proxy_protocol::{AccessMode, SessionInfo};
use billing_widget::api::ApiClient;
use billing_widget::format::Texts;
use leptos::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use wasm_bindgen_futures::JsFuture;

/// The longest single wait, in ms: the expiry is checked again at least this often, so a
/// browser that slept (timers paused) notices within a minute of waking, and no wait exceeds
/// what `setTimeout` takes (2³¹ − 1 ms, about 24.8 days).
const LONGEST_WAIT_MS: f64 = 60_000.0;

/// In `login_url`, replaced by where to come back to (see [`login_href`]).
pub(super) const RETURN_TO: &str = "{returnTo}";

/// How long to wait before looking at the expiry again, or `None` when it has passed.
pub(super) fn wait_ms(expires_at_s: u64, now_ms: f64) -> Option<u32> {
    let left = expires_at_s as f64 * 1000.0 - now_ms;
    (left > 0.0).then(|| left.min(LONGEST_WAIT_MS).ceil() as u32)
}

/// Whether `info` renews the session of `customer_no` that ends at `expires_at`: the same
/// customer, a signed session, a later expiry. The expiry it renews to, if so.
fn renewed(info: &SessionInfo, customer_no: &str, expires_at: u64) -> Option<u64> {
    let same = info.mode == AccessMode::SignedSession && info.customer_no.as_deref() == Some(customer_no);
    info.expires_at.filter(|renewed| same && *renewed > expires_at)
}

/// Runs `on_ended` when the session of `customer_no` ends: at `expires_at`, the proxy is asked
/// again (the company's login may have renewed the cookie meanwhile, in this or another tab);
/// anything but the same customer with a later expiry has ended it. Stops without a word
/// when the owner is cleaned up.
pub(super) fn watch_expiry(client: ApiClient, customer_no: String, expires_at: u64, on_ended: Callback<()>) {
    let alive = Arc::new(AtomicBool::new(true));
    on_cleanup({
        let alive = alive.clone();
        move || alive.store(false, Ordering::Relaxed)
    });
    leptos::task::spawn_local(async move {
        let mut expires_at = expires_at;
        loop {
            if let Some(ms) = wait_ms(expires_at, js_sys::Date::now()) {
                sleep(ms).await;
            } else {
                let answer = client.session_info().await;
                match answer.ok().and_then(|info| renewed(&info, &customer_no, expires_at)) {
                    Some(later) => expires_at = later,
                    None => break,
                }
            }
            if !alive.load(Ordering::Relaxed) {
                return;
            }
        }
        if alive.load(Ordering::Relaxed) {
            on_ended.run(());
        }
    });
}

async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The page the visitor is on, for [`login_href`].
pub(super) struct Here {
    /// `https://billing.example.com`
    pub origin: String,
    /// `/?invoice=1234&tab=recurring`
    pub path_and_query: String,
    /// The whole address.
    pub href: String,
}

impl Here {
    fn now() -> Here {
        let location = web_sys::window().map(|w| w.location());
        let read = |f: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>| {
            location.as_ref().and_then(|l| f(l).ok()).unwrap_or_default()
        };
        Here {
            origin: read(web_sys::Location::origin),
            path_and_query: format!("{}{}", read(web_sys::Location::pathname), read(web_sys::Location::search)),
            href: read(web_sys::Location::href),
        }
    }
}

/// The "sign in again" link: `login_url` with [`RETURN_TO`] (if the deployer wrote it, e.g.
/// `/login?next={returnTo}`) replaced by this page, percent-encoded: its path and query for a
/// login on this site, the whole address for one elsewhere. Without the placeholder the URL is
/// used as written, so nothing about the page reaches a login that did not ask for it.
pub(super) fn login_href(login_url: &str, here: &Here) -> String {
    if !login_url.contains(RETURN_TO) {
        return login_url.to_owned();
    }
    let this_origin =
        login_url.get(..here.origin.len()).is_some_and(|origin| origin.eq_ignore_ascii_case(&here.origin))
            && matches!(login_url.as_bytes().get(here.origin.len()), None | Some(b'/' | b'?' | b'#'));
    let same_site = login_url.starts_with('/') || this_origin;
    let back = if same_site { &here.path_and_query } else { &here.href };
    login_url.replace(RETURN_TO, &percent_encode(back))
}

/// Encodes everything but the unreserved characters (RFC 3986), as `encodeURIComponent` does
/// for all that matters here.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The signed-out state: what happened and where to sign in again. Focus moves to it.
#[component]
pub(super) fn SignedOut(login_url: Option<String>, t: &'static Texts) -> impl IntoView {
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    let action = match login_url {
        Some(url) => {
            let href = login_href(&url, &Here::now());
            view! { <p><a class="bw-button" href=href>{t.sign_in_again}</a></p> }.into_any()
        }
        None => view! { <p>{t.sign_in_elsewhere}</p> }.into_any(),
    };
    view! {
        <section class="bw-panel bw-signed-out" role="alert">
            <h2 tabindex="-1" node_ref=heading>{t.session_ended}</h2>
            <p>{t.session_ended_detail}</p>
            {action}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use billing_contract::proxy_protocol::SessionScope;

    #[test]
    fn the_expiry_is_looked_at_again_at_least_every_minute_and_never_past_settimeout() {
        let now = 1_800_000_000_000.0;
        assert_eq!(wait_ms(1_800_000_004, now), Some(4_000), "four seconds left");
        assert_eq!(wait_ms(1_800_000_000, now), None, "ended now");
        assert_eq!(wait_ms(1_700_000_000, now), None, "ended long ago");
        assert_eq!(wait_ms(1_800_003_600, now), Some(60_000), "an hour left: look again in a minute");
        assert_eq!(wait_ms(u64::MAX, now), Some(60_000), "a session 'forever' does not overflow the timer");
        assert_eq!(wait_ms(1_800_000_001, now + 999.5), Some(1), "half a millisecond is not yet the end");
    }

    #[test]
    fn only_the_same_customer_with_a_later_expiry_renews_the_session() {
        let info = |customer: &str, expires_at| SessionInfo {
            mode: AccessMode::SignedSession,
            owner_no: "100200".into(),
            customer_no: Some(customer.into()),
            scope: SessionScope::Read,
            expires_at: Some(expires_at),
        };
        assert_eq!(renewed(&info("15615616", 2_000), "15615616", 1_000), Some(2_000));
        assert_eq!(
            renewed(&info("15615616", 1_000), "15615616", 1_000),
            None,
            "the same expiry: in the proxy's leeway"
        );
        assert_eq!(renewed(&info("20000001", 2_000), "15615616", 1_000), None, "another customer signed in");
        let trusted = SessionInfo { mode: AccessMode::Trusted, ..info("15615616", 2_000) };
        assert_eq!(renewed(&trusted, "15615616", 1_000), None);
    }

    #[test]
    fn return_to_is_filled_in_only_where_the_login_url_asks_for_it() {
        let here = Here {
            origin: "https://billing.example.com".into(),
            path_and_query: "/?invoice=12 34&tab=recurring".into(),
            href: "https://billing.example.com/?invoice=12 34&tab=recurring".into(),
        };
        assert_eq!(login_href("/login", &here), "/login", "no placeholder: as written");
        assert_eq!(
            login_href("/login?next={returnTo}", &here),
            "/login?next=%2F%3Finvoice%3D12%2034%26tab%3Drecurring"
        );
        assert_eq!(
            login_href("HTTPS://billing.example.com/login?r={returnTo}", &here),
            "HTTPS://billing.example.com/login?r=%2F%3Finvoice%3D12%2034%26tab%3Drecurring",
            "this site by its full address: the path"
        );
        assert_eq!(
            login_href("https://billing.example.com.evil.example/login?r={returnTo}", &here),
            "https://billing.example.com.evil.example/login?r=https%3A%2F%2Fbilling.example.com%2F%3Finvoice%3D12%2034%26tab%3Drecurring",
            "a look-alike host is another site: the whole address"
        );
        assert_eq!(
            login_href("https://id.example.com/authorize?return_url={returnTo}", &here),
            "https://id.example.com/authorize?return_url=https%3A%2F%2Fbilling.example.com%2F%3Finvoice%3D12%2034%26tab%3Drecurring"
        );
    }
}
