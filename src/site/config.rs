//! The standalone site's settings: `config.json` beside `index.html`, written by whoever
//! deploys `dist/`. Every field is optional; what the proxy knows (mode, ledger) comes from
//! the proxy, and a field given here must agree with it.
//!
//! ```json
//! { "apiBase": "", "locale": "sv-SE", "view": "self-service", "loginUrl": "/login?next={returnTo}",
//!   "mode": "signed-session", "ownerNo": "100200",
//!   "customerShortcuts": [{ "customerNo": "15615616", "label": "Private customer" }] }
//! ```

use billing_contract::proxy_protocol::AccessMode;
use billing_widget::views::Mode;
use serde_json::{Map, Value};

/// What `config.json` says. A missing file is [`SiteConfig::default`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SiteConfig {
    /// The proxy's origin (and path prefix); empty for the page's own.
    pub api_base: String,
    /// The UI locale, e.g. `sv-SE`; `None` for the browser's.
    pub locale: Option<String>,
    /// The mode the proxy must run in, if the deployer says.
    pub mode: Option<AccessMode>,
    /// The ledger the proxy must serve, if the deployer says.
    pub owner_no: Option<String>,
    /// The audience: customer service (changes allowed where the session allows them) or the
    /// customer; `None` for the mode's own (trusted: customer service; signed session: customer).
    pub view: Option<Mode>,
    /// Where a signed-out user signs in again: a path on this site or an `https://` URL, in
    /// which `{returnTo}` stands for the page they were on.
    pub login_url: Option<String>,
    /// Customers offered as shortcuts beside the picker (trusted mode).
    pub customer_shortcuts: Vec<(String, String)>,
}

impl SiteConfig {
    /// Reads `config.json`'s text, or says which field is wrong and how to write it.
    pub fn from_json(json: &str) -> Result<SiteConfig, String> {
        let value: Value = serde_json::from_str(json)
            .map_err(|_| "config.json is not JSON: write an object such as {\"locale\": \"sv-SE\"}.".to_owned())?;
        let Value::Object(fields) = value else {
            return Err("config.json must hold one object, such as {\"locale\": \"sv-SE\"}.".to_owned());
        };
        let text = |name: &str| text_field(&fields, name);
        let mode = match text("mode")?.as_deref() {
            None => None,
            Some("trusted") => Some(AccessMode::Trusted),
            Some("signed-session") => Some(AccessMode::SignedSession),
            Some(_) => return Err("config.json: `mode` must be \"trusted\" or \"signed-session\".".to_owned()),
        };
        let view = match text("view")?.as_deref() {
            None => None,
            Some(view) => Some(
                view.parse::<Mode>()
                    .map_err(|_| "config.json: `view` must be \"crm\" or \"self-service\".".to_owned())?,
            ),
        };
        let login_url = text("loginUrl")?;
        if let Some(url) = &login_url {
            if !is_login_url(url) {
                return Err("config.json: `loginUrl` must be a path on this site (\"/login\") or an https:// address."
                    .to_owned());
            }
        }
        Ok(SiteConfig {
            api_base: text("apiBase")?.unwrap_or_default().trim_end_matches('/').to_owned(),
            locale: text("locale")?.filter(|locale| locale != "auto"),
            mode,
            owner_no: text("ownerNo")?,
            view,
            login_url,
            customer_shortcuts: shortcuts(&fields)?,
        })
    }
}

/// A text field: absent, `null` or blank is `None`; another type is an error naming it.
fn text_field(fields: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.trim().to_owned()).filter(|t| !t.is_empty())),
        Some(_) => Err(format!("config.json: `{name}` must be a text in quotes.")),
    }
}

/// `customerShortcuts`: a list of `{ "customerNo": …, "label": … }`.
fn shortcuts(fields: &Map<String, Value>) -> Result<Vec<(String, String)>, String> {
    let wrong =
        || "config.json: `customerShortcuts` must be a list of {\"customerNo\": \"…\", \"label\": \"…\"}.".to_owned();
    match fields.get("customerShortcuts") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                let Value::Object(item) = item else { return Err(wrong()) };
                let customer_no = text_field(item, "customerNo").map_err(|_| wrong())?.ok_or_else(wrong)?;
                let label = text_field(item, "label").map_err(|_| wrong())?.unwrap_or_else(|| customer_no.clone());
                Ok((customer_no, label))
            })
            .collect(),
        Some(_) => Err(wrong()),
    }
}

/// A path on this site (not `//host`, which leaves it) or an `https://` address; nothing that
/// runs script (`javascript:`) or leaves TLS.
fn is_login_url(url: &str) -> bool {
    (url.starts_with('/') && !url.starts_with("//") && !url.contains('\\'))
        || url.get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_optional_and_read_when_given() {
        assert_eq!(SiteConfig::from_json("{}").unwrap(), SiteConfig::default());
        let config = SiteConfig::from_json(
            r#"{"apiBase":"https://billing.example.com/","locale":"sv-SE","mode":"signed-session","ownerNo":"100200",
                "view":"self-service","loginUrl":"/login","extra":1,
                "customerShortcuts":[{"customerNo":"15615616","label":"Private"},{"customerNo":"20000001"}]}"#,
        )
        .unwrap();
        assert_eq!(config.api_base, "https://billing.example.com");
        assert_eq!((config.locale.as_deref(), config.mode), (Some("sv-SE"), Some(AccessMode::SignedSession)));
        assert_eq!((config.view, config.login_url.as_deref()), (Some(Mode::SelfService), Some("/login")));
        assert_eq!(
            config.customer_shortcuts,
            [("15615616".to_owned(), "Private".to_owned()), ("20000001".to_owned(), "20000001".to_owned())]
        );
        let nulls = SiteConfig::from_json(r#"{"locale":null,"loginUrl":"  ","view":null}"#).unwrap();
        assert_eq!(nulls, SiteConfig::default(), "null and blank are absent");
        assert_eq!(SiteConfig::from_json(r#"{"locale":"auto"}"#).unwrap().locale, None);
    }

    #[test]
    fn a_wrong_field_is_named_with_how_to_write_it() {
        for (json, names) in [
            ("[1]", "one object"),
            ("{locale: sv}", "not JSON"),
            (r#"{"mode":"open"}"#, "`mode`"),
            (r#"{"view":"admin"}"#, "`view`"),
            (r#"{"ownerNo":100200}"#, "`ownerNo` must be a text"),
            (r#"{"customerShortcuts":"15615616"}"#, "`customerShortcuts`"),
            (r#"{"customerShortcuts":[{"label":"x"}]}"#, "`customerShortcuts`"),
        ] {
            let err = SiteConfig::from_json(json).unwrap_err();
            assert!(err.contains(names), "{json}: {err}");
        }
    }

    #[test]
    fn the_login_url_stays_on_this_site_or_https() {
        for good in [
            "/login",
            "/auth/login?next=billing",
            "/login?next={returnTo}",
            "https://login.example.com/",
            "HTTPS://id.example.com",
        ] {
            assert!(SiteConfig::from_json(&format!(r#"{{"loginUrl":"{good}"}}"#)).is_ok(), "{good}");
        }
        for bad in
            ["javascript:alert(1)", "//evil.example/login", "http://login.example.com", "login", "/\\\\evil.example"]
        {
            let err = SiteConfig::from_json(&format!(r#"{{"loginUrl":"{bad}"}}"#)).unwrap_err();
            assert!(err.contains("`loginUrl`"), "{bad}: {err}");
        }
    }
}
