//! How the upstream is reached: its base URL, the bearer token sent to it and the client
//! certificate for mutual TLS.

use super::sources::{
    read_file, Setting, Sources, ALLOW_INSECURE_UPSTREAM, CLIENT_CERT, CLIENT_KEY, CLIENT_PKCS12, PKCS12_PASSWORD,
    TOKEN, TOKEN_FILE, UPSTREAM,
};
use super::values::parse_bool;
use super::ConfigError;
use crate::secret::Secret;
use crate::upstream::Upstream;
use std::path::PathBuf;

/// How the upstream's mutual TLS client identity is given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientIdentity {
    /// A PEM certificate (chain) and a PEM private key.
    Pem {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
    },
    /// A PKCS#12 archive and its password.
    Pkcs12 {
        /// The archive.
        path: PathBuf,
        /// Its password.
        password: Secret,
    },
}

impl<E: Fn(&str) -> Option<String>> Sources<E> {
    /// The token and the file it was read from: `--token-file`, else `PROXY_TOKEN_FILE` or
    /// `PROXY_TOKEN` (not both), else the file's `token-file`.
    pub(super) fn token(&self) -> Result<(Secret, Option<PathBuf>), ConfigError> {
        let env_file = (self.env)(TOKEN_FILE.env);
        let env_token = (self.env)(TOKEN.env);
        let from_file = |path: String, origin: String| -> Result<(String, String, Option<PathBuf>), ConfigError> {
            Ok((read_file(&path, &origin)?, origin, Some(PathBuf::from(path))))
        };
        let (token, origin, file) = match (self.flags.get(TOKEN_FILE.flag), env_file, env_token) {
            (Some(path), _, _) => from_file(path.clone(), TOKEN_FILE.flag.to_owned())?,
            (None, Some(_), Some(_)) => return Err(ConfigError::AmbiguousToken),
            (None, Some(path), None) => from_file(path, TOKEN_FILE.env.to_owned())?,
            (None, None, Some(token)) => (token, TOKEN.env.to_owned(), None),
            (None, None, None) => match self.file.get(TOKEN_FILE.flag) {
                Some(path) => from_file(path.clone(), format!("config key `{}`", TOKEN_FILE.key()))?,
                None => return Err(ConfigError::MissingToken),
            },
        };
        Ok((check_token(&token, &origin)?, file))
    }

    /// The upstream (required) and whether it may be plain `http://`: only when
    /// `allow-insecure-upstream` says so, since the token would cross unencrypted.
    pub(super) fn upstream(&self) -> Result<(Upstream, bool), ConfigError> {
        let Some((value, origin)) = self.get(&UPSTREAM) else {
            return Err(ConfigError::Missing(
                "no upstream: set --upstream (PROXY_UPSTREAM, config key `upstream`) to the Billing API's base URL, \
                 e.g. https://lf-api.payex.com; for the local sandbox, --upstream http://127.0.0.1:8081 \
                 --allow-insecure-upstream true",
            ));
        };
        let upstream = Upstream::parse(&value).map_err(|err| ConfigError::Invalid {
            origin: origin.clone(),
            value: value.clone(),
            reason: err.to_string(),
        })?;
        let allow_insecure = self.parse(&ALLOW_INSECURE_UPSTREAM, "false", parse_bool)?;
        if !upstream.is_https() && !allow_insecure {
            return Err(ConfigError::Invalid {
                origin,
                value,
                reason: "an http:// upstream would receive the bearer token unencrypted: use https://, or, for a \
                         local simulator only, also set --allow-insecure-upstream true \
                         (PROXY_ALLOW_INSECURE_UPSTREAM=true)"
                    .to_owned(),
            });
        }
        Ok((upstream, allow_insecure))
    }

    pub(super) fn client_identity(&self) -> Result<Option<ClientIdentity>, ConfigError> {
        let path = |setting: &Setting| self.get(setting).map(|(path, origin)| (PathBuf::from(path), origin));
        match (path(&CLIENT_CERT), path(&CLIENT_KEY), path(&CLIENT_PKCS12)) {
            (None, None, None) => Ok(None),
            (Some((cert, _)), Some((key, _)), None) => Ok(Some(ClientIdentity::Pem { cert, key })),
            (None, None, Some((path, _))) => {
                let password = (self.env)(PKCS12_PASSWORD.env).unwrap_or_default();
                Ok(Some(ClientIdentity::Pkcs12 { path, password: Secret::new(password) }))
            }
            (Some(_), None, None) | (None, Some(_), None) => Err(ConfigError::Missing(
                "mutual TLS needs both --client-cert and --client-key (PEM), or --client-pkcs12 alone",
            )),
            _ => Err(ConfigError::Missing(
                "give the client certificate either as PEM (--client-cert and --client-key) or as PKCS#12 \
                 (--client-pkcs12), not both",
            )),
        }
    }
}

/// The token as sent: trimmed, non-empty, fit for a header.
pub fn check_token(token: &str, origin: &str) -> Result<Secret, ConfigError> {
    let token = Secret::new(token.trim());
    if token.expose().is_empty() {
        return Err(ConfigError::EmptyToken(origin.to_owned()));
    }
    if token.bearer_header().is_err() {
        return Err(ConfigError::TokenNotHeaderSafe(origin.to_owned()));
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::test_support::*;
    use crate::config::Config;

    #[test]
    fn the_upstream_is_required() {
        let vars = [("PROXY_TOKEN", TOKEN_VALUE), ("PROXY_OWNER_NO", "100200"), ("PROXY_ACCESS", "trusted")];
        let err = Config::parse(Vec::<String>::new(), env_with(&vars)).unwrap_err().to_string();
        assert!(err.contains("--upstream") && err.contains("PROXY_UPSTREAM"), "{err}");
        assert!(err.contains("--allow-insecure-upstream true"), "says how to reach the sandbox: {err}");
    }

    #[test]
    fn an_http_upstream_needs_allow_insecure_upstream_even_on_loopback() {
        let token = ("PROXY_TOKEN", TOKEN_VALUE);
        for upstream in ["http://127.0.0.1:8081", "http://[::1]:8081", "http://localhost:8081", "http://api.test"] {
            let err = parse(&["--upstream", upstream], &[token]).unwrap_err().to_string();
            assert!(err.starts_with(&format!("invalid --upstream `{upstream}`")), "{err}");
            assert!(err.contains("--allow-insecure-upstream true") && err.contains("unencrypted"), "{err}");
        }
        let sandbox = ["--upstream", "http://127.0.0.1:8081", "--allow-insecure-upstream", "true"];
        assert!(parse(&sandbox, &[token]).unwrap().allow_insecure_upstream);
        let by_env = [token, ("PROXY_UPSTREAM", "http://127.0.0.1:8081"), ("PROXY_ALLOW_INSECURE_UPSTREAM", "true")];
        assert!(parse(&[], &by_env).is_ok());
        let off = [token, ("PROXY_UPSTREAM", "http://127.0.0.1:8081"), ("PROXY_ALLOW_INSECURE_UPSTREAM", "false")];
        assert!(parse(&[], &off).is_err());
        let err = parse(&["--allow-insecure-upstream", "yes"], &[token]).unwrap_err().to_string();
        assert!(err.starts_with("invalid --allow-insecure-upstream `yes`: expected true or false"), "{err}");
        let file = temp_file("insecure.toml", "upstream = \"http://127.0.0.1:8081\"\nallow-insecure-upstream = true\n");
        let vars = [token, ("PROXY_OWNER_NO", "100200"), ("PROXY_ACCESS", "trusted")];
        let config = Config::parse(["--config", file.to_str().unwrap()], env_with(&vars)).unwrap();
        assert_eq!(config.upstream.to_string(), "http://127.0.0.1:8081");
        drop(file);
    }

    #[test]
    fn token_file_is_read_and_trimmed() {
        let path = std::env::temp_dir().join(format!("billing-proxy-token-{}", std::process::id()));
        std::fs::write(&path, format!("  {TOKEN_VALUE}\n")).unwrap();
        let path = path.to_str().unwrap();
        assert_eq!(parse(&["--token-file", path], &[]).unwrap().token.expose(), TOKEN_VALUE);
        assert_eq!(parse(&[], &[("PROXY_TOKEN_FILE", path)]).unwrap().token.expose(), TOKEN_VALUE);
        // The flag wins over both variables.
        let both = [("PROXY_TOKEN_FILE", "/nonexistent"), ("PROXY_TOKEN", "other")];
        assert_eq!(parse(&["--token-file", path], &both).unwrap().token.expose(), TOKEN_VALUE);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn missing_token_says_how_to_provide_one() {
        let message = parse(&[], &[]).unwrap_err().to_string();
        assert!(
            message.contains("PROXY_TOKEN") && message.contains("--token-file") && message.contains("PROXY_TOKEN_FILE"),
            "{message}"
        );
    }

    #[test]
    fn token_errors() {
        assert!(
            matches!(parse(&[], &[("PROXY_TOKEN", " \n")]), Err(ConfigError::EmptyToken(origin)) if origin == "PROXY_TOKEN")
        );
        assert!(matches!(parse(&[], &[("PROXY_TOKEN", "a\u{7}b")]), Err(ConfigError::TokenNotHeaderSafe(_))));
        assert!(matches!(
            parse(&[], &[("PROXY_TOKEN", "a"), ("PROXY_TOKEN_FILE", "f")]),
            Err(ConfigError::AmbiguousToken)
        ));
        assert!(matches!(parse(&["--token-file", "/nonexistent/token"], &[]), Err(ConfigError::File { .. })));
        let err = parse(&["--token=hunter2"], &[]).unwrap_err();
        assert!(matches!(err, ConfigError::SecretOnCommandLine("PROXY_TOKEN")));
        assert!(!err.to_string().contains("hunter2"));
    }
}
