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

/// Cookie that may carry the same session token instead of [`SESSION_HEADER`], when the proxy
/// is started with `session-cookie` on: set by the company's login, `HttpOnly`, `Secure`,
/// `SameSite=Strict`, `Path=/` and no `Domain` (what the `__Host-` prefix makes the browser
/// enforce), so that no script on the page ever holds the token.
pub const SESSION_COOKIE: &str = "__Host-billing-session";

/// The proxy's own `GET`: who the request's session is ([`SessionInfo`]), answered from the
/// verified session without asking the upstream.
pub const SESSION_INFO_PATH: &str = "/billing-proxy/session";

/// The access mode a proxy runs in, as [`SessionInfo`] names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AccessMode {
    /// Behind the host's own login: every customer of the ledger (a customer picker is in order).
    #[serde(rename = "trusted")]
    Trusted,
    /// One customer per host-signed session.
    #[serde(rename = "signed-session")]
    SignedSession,
}

/// What a session may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SessionScope {
    /// Reading only.
    #[serde(rename = "read")]
    Read,
    /// Reading and changing recurring products.
    #[serde(rename = "read-write")]
    ReadWrite,
}

/// The answer to [`SESSION_INFO_PATH`]: the proxy's mode and ledger, and in the signed-session
/// mode the session's customer and expiry. Never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// The proxy's access mode.
    pub mode: AccessMode,
    /// The one ledger the proxy serves.
    pub owner_no: String,
    /// The session's customer (signed-session mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_no: Option<String>,
    /// Whether changes are allowed.
    pub scope: SessionScope,
    /// When the session ends, in seconds since the Unix epoch (signed-session mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_info_reads_both_modes_and_leaves_out_what_a_mode_lacks() {
        let session: SessionInfo = serde_json::from_str(
            r#"{"mode":"signed-session","ownerNo":"100200","customerNo":"15615616","scope":"read","expiresAt":1765000000}"#,
        )
        .unwrap();
        assert_eq!(session.customer_no.as_deref(), Some("15615616"));
        assert_eq!(
            (session.mode, session.scope, session.expires_at),
            (AccessMode::SignedSession, SessionScope::Read, Some(1_765_000_000))
        );
        let trusted = SessionInfo {
            mode: AccessMode::Trusted,
            owner_no: "100200".into(),
            customer_no: None,
            scope: SessionScope::ReadWrite,
            expires_at: None,
        };
        assert_eq!(
            serde_json::to_string(&trusted).unwrap(),
            r#"{"mode":"trusted","ownerNo":"100200","scope":"read-write"}"#
        );
    }
}
