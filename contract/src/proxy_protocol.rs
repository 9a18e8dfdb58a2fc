//! What the widget and this project's own proxy agree on beyond PayEx's API: request headers
//! that never go upstream.
//!
//! These are not PayEx shapes; they live here so the widget and the proxy cannot disagree.

/// Header every write (POST, PUT, PATCH, DELETE) from the widget carries. A cross-site form or
/// `fetch` without CORS cannot set a custom header, so the proxy refuses writes without it (CSRF).
pub const CSRF_HEADER: &str = "x-billing-csrf";

/// The value of [`CSRF_HEADER`].
pub const CSRF_VALUE: &str = "1";

/// Header carrying the host-signed session token in the proxy's `signed-session` mode. The proxy
/// verifies it and never forwards it upstream.
pub const SESSION_HEADER: &str = "x-billing-session";
