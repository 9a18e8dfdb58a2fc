//! The widget's built bundle (`index.html`, JavaScript, WebAssembly, styles), served from a
//! directory the way production needs it:
//!
//! - a precompressed `.br` or `.gz` sibling is sent when the browser accepts it;
//! - a file whose name carries a content hash (`name-0123456789abcdef.js`, as Trunk writes
//!   them) is cached for a year as `immutable`; everything else (`index.html`) is revalidated
//!   every time with an `ETag` (answered 304 when unchanged);
//! - `.wasm` is `application/wasm`, so browsers compile the module while it streams in.
//!
//! Security headers go on every response of the proxy ([`SecurityHeaders`], added by
//! [`crate::request_id::TrackLayer`]).

use axum::extract::Request;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::path::Path;
use tower_http::services::ServeDir;

/// `cache-control` of a file whose name carries a content hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `cache-control` of any other file: use it only after revalidating.
pub const REVALIDATE: &str = "no-cache";

/// A router answering every request with the file at its path under `dir`: `index.html` for
/// `/` and for directories, 404 for anything missing (no single-page-app fallback).
pub fn router(dir: &Path) -> Router {
    let files = ServeDir::new(dir).append_index_html_on_directories(true).precompressed_br().precompressed_gzip();
    Router::new().fallback_service(files).layer(middleware::from_fn(caching))
}

/// Middleware: `cache-control` by file name, and an `ETag` with `If-None-Match` for files
/// that are revalidated.
async fn caching(request: Request, next: Next) -> Response {
    let hashed = has_content_hash(request.uri().path());
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    if !(response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED) {
        return response;
    }
    let cache_control = if hashed { IMMUTABLE } else { REVALIDATE };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if hashed || response.status() != StatusCode::OK {
        return response;
    }
    let Some(etag) = etag_of(&response) else { return response };
    if if_none_match.is_some_and(|value| value.to_str().is_ok_and(|v| v.split(',').any(|tag| tag.trim() == etag))) {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        for name in [header::CACHE_CONTROL, header::VARY, header::LAST_MODIFIED] {
            if let Some(value) = response.headers().get(&name) {
                not_modified.headers_mut().insert(name, value.clone());
            }
        }
        response = not_modified;
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// A weak validator from the representation's length, encoding and modification time.
fn etag_of(response: &Response) -> Option<String> {
    let headers = response.headers();
    let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok()).unwrap_or_default();
    let length = text(header::CONTENT_LENGTH);
    let modified = text(header::LAST_MODIFIED);
    if length.is_empty() || modified.is_empty() {
        return None;
    }
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        format!("{modified}|{}", text(header::CONTENT_ENCODING)).as_bytes(),
    );
    let short: String = digest.as_ref()[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("W/\"{length}-{short}\""))
}

/// Whether the last path segment carries a Trunk-style content hash: `-` and at least 16 hex
/// digits before the extension, e.g. `billing-widget-site-54cd80eb8842626a_bg.wasm`.
pub fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    stem.split('-').skip(1).any(|part| {
        let hex = part.split('_').next().unwrap_or_default();
        hex.len() >= 16 && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The security headers of every response, built once.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    /// `strict-transport-security`, when configured (`hsts-max-age-s`): the proxy speaks plain
    /// HTTP behind a TLS terminator, so HSTS is the terminator's unless the deployment asks.
    hsts: Option<HeaderValue>,
}

impl SecurityHeaders {
    /// The headers for a bundle in `dir`, embeddable by `frame_ancestors`. The inline
    /// start-up script that Trunk writes into `index.html` is allowed by its SHA-256 hash
    /// (read at start: restart after deploying a new bundle), everything else must come from
    /// the page's own origin; `'wasm-unsafe-eval'` lets the WebAssembly module compile.
    pub fn new(dir: &Path, frame_ancestors: &str) -> SecurityHeaders {
        let index = std::fs::read_to_string(dir.join("index.html")).unwrap_or_default();
        let hashes: String = inline_scripts(&index)
            .map(|script| {
                format!(" 'sha256-{}'", STANDARD.encode(ring::digest::digest(&ring::digest::SHA256, script.as_bytes())))
            })
            .collect();
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors {frame_ancestors}"
        );
        let csp = HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
        SecurityHeaders { csp, hsts: None }
    }

    /// The same headers with `strict-transport-security: max-age=…` (whole seconds); none
    /// for `None`. Browsers heed it only on HTTPS, so it is for a proxy every client reaches
    /// through a TLS terminator.
    pub fn with_hsts(mut self, max_age: Option<std::time::Duration>) -> SecurityHeaders {
        self.hsts = max_age.and_then(|age| HeaderValue::from_str(&format!("max-age={}", age.as_secs())).ok());
        self
    }

    /// A copy for one worker thread ([`crate::app::worker_copy`]).
    pub fn for_worker(&self) -> SecurityHeaders {
        SecurityHeaders {
            csp: crate::app::worker_copy(&self.csp),
            hsts: self.hsts.as_ref().map(crate::app::worker_copy),
        }
    }

    /// Adds the headers to a response's `headers`.
    pub fn apply(&self, headers: &mut HeaderMap) {
        headers.insert(header::CONTENT_SECURITY_POLICY, self.csp.clone());
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
        if let Some(hsts) = &self.hsts {
            headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
        }
    }
}

/// The contents of the `<script>` elements without `src` in `html`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        if attributes.contains("src=") {
            return None;
        }
        after.split_once("</script>").map(|(content, _)| content)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashes_in_trunk_names() {
        assert!(has_content_hash("/billing-widget-site-54cd80eb8842626a.js"));
        assert!(has_content_hash("/billing-widget-site-54cd80eb8842626a_bg.wasm"));
        assert!(has_content_hash("/widget-6ccca792c7bd3831.css"));
        assert!(!has_content_hash("/index.html"));
        assert!(!has_content_hash("/"));
        assert!(!has_content_hash("/billing-widget-site.js"));
    }

    #[test]
    fn inline_scripts_are_found_and_src_scripts_skipped() {
        let html = "<script type=\"module\">init()</script><script src=\"/a.js\"></script>";
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), ["init()"]);
    }
}
