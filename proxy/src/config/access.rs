//! Who may do what: the access policy (`trusted` or `signed-session`), its ledger and, for signed
//! sessions, the key session tokens are verified with.

use super::sources::{
    read_file, Sources, ACCESS, OWNER_NO, SESSION_AUDIENCE, SESSION_COOKIE, SESSION_KEY, SESSION_KEY_FILE,
    SESSION_MAX_LIFETIME_S, SESSION_PUBLIC_KEY, TRUSTED_SCOPE, TRUSTED_USER_HEADER,
};
use super::values::parse_bool;
use super::ConfigError;
use crate::access::AccessPolicy;
use crate::secret::Secret;
use crate::session::{Scope, SessionKey, DEFAULT_AUDIENCE};
use axum::http::HeaderName;
use std::time::Duration;

impl<E: Fn(&str) -> Option<String>> Sources<E> {
    pub(super) fn access(&self) -> Result<AccessPolicy, ConfigError> {
        let owner_no = self.parse(&OWNER_NO, "", |v| {
            if v.is_empty() {
                return Err(
                    "set the ledger (ownerNo) the token is for, e.g. --owner-no 100200 or PROXY_OWNER_NO=100200"
                        .to_owned(),
                );
            }
            billing_contract::ids::IdKind::Owner.validate(v).map(|()| v.to_owned()).map_err(|e| e.to_string())
        })?;
        if self.get(&ACCESS).is_none() {
            return Err(ConfigError::Missing(
                "no access mode: set --access (PROXY_ACCESS, config key `access`) to `trusted` (the host's own \
                 login is in front of the proxy, which forwards everything within owner-no; read-only unless \
                 trusted-scope is read-write) or `signed-session` (every request carries a session the host's \
                 backend signed for one customer; needs session-key-file)",
            ));
        }
        let mode = self.parse(&ACCESS, "", |v| match v {
            "trusted" | "signed-session" => Ok(v.to_owned()),
            _ => Err("expected trusted or signed-session".to_owned()),
        })?;
        if mode == "trusted" {
            let scope = self.parse(&TRUSTED_SCOPE, "read", |v| match v {
                "read" => Ok(Scope::Read),
                "read-write" => Ok(Scope::ReadWrite),
                _ => Err("expected read or read-write".to_owned()),
            })?;
            let user_header = match self.get(&TRUSTED_USER_HEADER) {
                None => None,
                Some((value, origin)) => Some(HeaderName::try_from(value.as_str()).map_err(|_| {
                    ConfigError::Invalid { origin, value, reason: "expected an HTTP header name".to_owned() }
                })?),
            };
            return Ok(AccessPolicy::Trusted { owner_no, scope, user_header });
        }
        let max_lifetime = self.parse(&SESSION_MAX_LIFETIME_S, "3600", |v| match v.parse::<u64>() {
            Ok(0) | Err(_) => Err("expected a positive number of seconds".to_owned()),
            Ok(secs) => Ok(Duration::from_secs(secs)),
        })?;
        let audience = self.parse(&SESSION_AUDIENCE, DEFAULT_AUDIENCE, |v| {
            if v.is_empty() || v.len() > 200 || v.chars().any(char::is_control) {
                return Err("expected the audience name session tokens carry in `aud`, e.g. billing-proxy".to_owned());
            }
            Ok(v.to_owned())
        })?;
        let key =
            match (self.secret(&SESSION_KEY_FILE, &SESSION_KEY)?, self.get(&SESSION_PUBLIC_KEY)) {
                (Some((secret, origin)), None) => {
                    SessionKey::hs256(secret.trim().as_bytes(), &audience, max_lifetime).map_err(|err| {
                        ConfigError::Invalid { origin, value: Secret::REDACTED.to_owned(), reason: err.to_string() }
                    })?
                }
                (None, Some((path, origin))) => {
                    let pem = read_file(&path, &origin)?;
                    SessionKey::ed25519(pem.as_bytes(), &audience, max_lifetime)
                        .map_err(|err| ConfigError::Invalid { origin, value: path, reason: err.to_string() })?
                }
                (None, None) => {
                    return Err(ConfigError::Missing(
                        "the signed-session mode needs the key session tokens are verified with: for HS256 set \
                     PROXY_SESSION_KEY, or write it to a file and pass --session-key-file PATH; for EdDSA pass \
                     --session-public-key PATH (an Ed25519 public key in PEM)",
                    ))
                }
                (Some(_), Some(_)) => {
                    return Err(ConfigError::Missing(
                        "give the signed-session mode one key: the HS256 key (PROXY_SESSION_KEY or \
                     --session-key-file) or the EdDSA public key (--session-public-key), not both",
                    ))
                }
            };
        let cookie = self.parse(&SESSION_COOKIE, "false", parse_bool)?;
        Ok(AccessPolicy::SignedSession { owner_no, key, cookie })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::test_support::*;
    use crate::config::Config;

    #[test]
    fn the_access_mode_is_required_and_the_message_names_both_modes() {
        let mode = |access: Option<&'static str>| {
            let mut vars = vec![
                ("PROXY_TOKEN", TOKEN_VALUE),
                ("PROXY_OWNER_NO", "100200"),
                ("PROXY_UPSTREAM", "https://api.test"),
            ];
            vars.extend(access.map(|mode| ("PROXY_ACCESS", mode)));
            Config::parse(Vec::<String>::new(), env_with(&vars)).map(|config| config.access.mode())
        };
        let err = mode(None).unwrap_err().to_string();
        for part in ["--access", "PROXY_ACCESS", "`trusted`", "`signed-session`"] {
            assert!(err.contains(part), "{part} missing from: {err}");
        }
        assert_eq!(mode(Some("trusted")).unwrap(), "trusted");
    }

    #[test]
    fn access_mistakes_say_what_to_fix() {
        let token = ("PROXY_TOKEN", TOKEN_VALUE);
        let no_ledger = [token, ("PROXY_ACCESS", "trusted"), ("PROXY_UPSTREAM", "https://api.billing.test")];
        let err = Config::parse(Vec::<String>::new(), env_with(&no_ledger)).unwrap_err().to_string();
        assert!(err.contains("PROXY_OWNER_NO"), "{err}");
        let err = parse(&["--access", "signed-session"], &[token]).unwrap_err().to_string();
        assert!(err.contains("PROXY_SESSION_KEY"), "{err}");
        let err = parse(&["--access", "signed-session"], &[token, ("PROXY_SESSION_KEY", "short")]).unwrap_err();
        assert!(err.to_string().contains("at least 32 bytes") && !err.to_string().contains("short"), "{err}");
        assert!(matches!(parse(&["--session-key=x"], &[token]), Err(ConfigError::SecretOnCommandLine(_))));
        let err = parse(&["--client-cert", "c.pem"], &[token]).unwrap_err().to_string();
        assert!(err.contains("--client-key"), "{err}");
        let err = parse(&["--access", "open"], &[token]).unwrap_err().to_string();
        assert!(err.contains("trusted or signed-session"), "{err}");
        let err = parse(&["--allowed-origins", "https://crm.example.com/"], &[token]).unwrap_err().to_string();
        assert!(err.contains("not an origin"), "{err}");
    }

    #[test]
    fn signed_session_mode_with_a_key_file() {
        let key = temp_file("session-key", "0123456789abcdef0123456789abcdef\n");
        let args = ["--access", "signed-session", "--session-key-file", key.to_str().unwrap()];
        let config = parse(&args, &[("PROXY_TOKEN", TOKEN_VALUE)]).unwrap();
        assert_eq!(config.access.mode(), "signed-session");
        assert!(!format!("{config:?}").contains("0123456789abcdef"));
        let AccessPolicy::SignedSession { key: session_key, cookie, .. } = &config.access else {
            panic!("not a session")
        };
        assert_eq!(session_key.algorithm(), jsonwebtoken::Algorithm::HS256);
        assert!(!cookie, "the cookie is not taken unless asked for");
        let with_cookie = [&args[..], &["--session-cookie", "true"]].concat();
        let config = parse(&with_cookie, &[("PROXY_TOKEN", TOKEN_VALUE)]).unwrap();
        assert!(matches!(config.access, AccessPolicy::SignedSession { cookie: true, .. }));
        drop(key);
    }

    #[test]
    fn signed_session_mode_with_an_ed25519_public_key_and_an_audience() {
        let public = fixture("session-ed25519.pub.pem");
        let args = ["--access", "signed-session", "--session-public-key", &public, "--session-audience", "crm-billing"];
        let config = parse(&args, &[("PROXY_TOKEN", TOKEN_VALUE)]).unwrap();
        let AccessPolicy::SignedSession { key, .. } = &config.access else { panic!("not a session") };
        assert_eq!(key.algorithm(), jsonwebtoken::Algorithm::EdDSA);
        assert!(format!("{key:?}").contains("crm-billing"), "{key:?}");
    }

    #[test]
    fn session_key_mistakes_say_what_to_fix() {
        let token = ("PROXY_TOKEN", TOKEN_VALUE);
        let secret = ("PROXY_SESSION_KEY", "0123456789abcdef0123456789abcdef");
        let public = fixture("session-ed25519.pub.pem");
        let both = ["--access", "signed-session", "--session-public-key", &public];
        let err = parse(&both, &[token, secret]).unwrap_err().to_string();
        assert!(err.contains("not both"), "{err}");
        let private = fixture("session-ed25519.pem");
        let err = parse(&["--access", "signed-session", "--session-public-key", &private], &[token]).unwrap_err();
        assert!(err.to_string().contains("Ed25519 public key in PEM"), "{err}");
        assert!(!err.to_string().contains("PRIVATE KEY"), "the key file's content is not repeated: {err}");
        let err = parse(&["--access", "signed-session", "--session-public-key", "/nonexistent.pem"], &[token]);
        assert!(err.unwrap_err().to_string().contains("cannot read"));
        let err = parse(&["--access", "signed-session", "--session-audience", ""], &[token, secret]).unwrap_err();
        assert!(err.to_string().contains("session-audience"), "{err}");
    }
}
