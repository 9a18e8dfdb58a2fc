//! Where settings come from: command-line flags, environment variables and a TOML file, in that
//! order of precedence. Every setting has one name in all three; secrets are refused as flags and
//! as file keys, without repeating their value.

use super::ConfigError;
use std::collections::HashMap;
use std::path::Path;

/// One setting: its flag (the file key is the flag without `--`) and its environment variable.
pub(super) struct Setting {
    pub(super) flag: &'static str,
    pub(super) env: &'static str,
}

impl Setting {
    pub(super) fn key(&self) -> &'static str {
        self.flag.trim_start_matches('-')
    }
}

macro_rules! settings {
    ($($name:ident = $flag:literal, $env:literal;)*) => {
        $(pub(super) const $name: Setting = Setting { flag: $flag, env: $env };)*
        /// Every setting that may be a flag or a file key.
        const SETTINGS: &[&Setting] = &[$(&$name),*];
    };
}

settings! {
    CONFIG = "--config", "PROXY_CONFIG";
    LISTEN = "--listen", "PROXY_LISTEN";
    ADMIN_LISTEN = "--admin-listen", "PROXY_ADMIN_LISTEN";
    UPSTREAM = "--upstream", "PROXY_UPSTREAM";
    ALLOW_INSECURE_UPSTREAM = "--allow-insecure-upstream", "PROXY_ALLOW_INSECURE_UPSTREAM";
    UPSTREAM_CA = "--upstream-ca", "PROXY_UPSTREAM_CA";
    OWNER_NO = "--owner-no", "PROXY_OWNER_NO";
    TOKEN_FILE = "--token-file", "PROXY_TOKEN_FILE";
    TOKEN_RELOAD_MS = "--token-reload-ms", "PROXY_TOKEN_RELOAD_MS";
    CLIENT_CERT = "--client-cert", "PROXY_CLIENT_CERT";
    CLIENT_KEY = "--client-key", "PROXY_CLIENT_KEY";
    CLIENT_PKCS12 = "--client-pkcs12", "PROXY_CLIENT_PKCS12";
    CERT_EXPIRY_WARNING_DAYS = "--cert-expiry-warning-days", "PROXY_CERT_EXPIRY_WARNING_DAYS";
    ACCESS = "--access", "PROXY_ACCESS";
    TRUSTED_SCOPE = "--trusted-scope", "PROXY_TRUSTED_SCOPE";
    TRUSTED_USER_HEADER = "--trusted-user-header", "PROXY_TRUSTED_USER_HEADER";
    SESSION_KEY_FILE = "--session-key-file", "PROXY_SESSION_KEY_FILE";
    SESSION_PUBLIC_KEY = "--session-public-key", "PROXY_SESSION_PUBLIC_KEY";
    SESSION_AUDIENCE = "--session-audience", "PROXY_SESSION_AUDIENCE";
    SESSION_MAX_LIFETIME_S = "--session-max-lifetime-s", "PROXY_SESSION_MAX_LIFETIME_S";
    SESSION_COOKIE = "--session-cookie", "PROXY_SESSION_COOKIE";
    ALLOWED_ORIGINS = "--allowed-origins", "PROXY_ALLOWED_ORIGINS";
    RATE_LIMIT_PER_SECOND = "--rate-limit-per-second", "PROXY_RATE_LIMIT_PER_SECOND";
    RATE_LIMIT_BURST = "--rate-limit-burst", "PROXY_RATE_LIMIT_BURST";
    STATIC_DIR = "--static-dir", "PROXY_STATIC_DIR";
    FRAME_ANCESTORS = "--frame-ancestors", "PROXY_FRAME_ANCESTORS";
    UPSTREAM_TIMEOUT_MS = "--upstream-timeout-ms", "PROXY_UPSTREAM_TIMEOUT_MS";
    MAX_BODY_BYTES = "--max-body-bytes", "PROXY_MAX_BODY_BYTES";
    MAX_UPSTREAM_BODY_BYTES = "--max-upstream-body-bytes", "PROXY_MAX_UPSTREAM_BODY_BYTES";
    MAX_UPSTREAM_CONCURRENCY = "--max-upstream-concurrency", "PROXY_MAX_UPSTREAM_CONCURRENCY";
    UPSTREAM_QUEUE_TIMEOUT_MS = "--upstream-queue-timeout-ms", "PROXY_UPSTREAM_QUEUE_TIMEOUT_MS";
    MAX_CONNECTIONS = "--max-connections", "PROXY_MAX_CONNECTIONS";
    HEADER_READ_TIMEOUT_MS = "--header-read-timeout-ms", "PROXY_HEADER_READ_TIMEOUT_MS";
    BODY_READ_TIMEOUT_MS = "--body-read-timeout-ms", "PROXY_BODY_READ_TIMEOUT_MS";
    HSTS_MAX_AGE_S = "--hsts-max-age-s", "PROXY_HSTS_MAX_AGE_S";
    LOG_FORMAT = "--log-format", "PROXY_LOG_FORMAT";
    WORKER_THREADS = "--worker-threads", "PROXY_WORKER_THREADS";
}

/// Secrets: environment only, never a flag or a file key (a file names a file instead).
pub(super) const TOKEN: Setting = Setting { flag: "--token", env: "PROXY_TOKEN" };
pub(super) const SESSION_KEY: Setting = Setting { flag: "--session-key", env: "PROXY_SESSION_KEY" };
pub(super) const PKCS12_PASSWORD: Setting =
    Setting { flag: "--client-pkcs12-password", env: "PROXY_CLIENT_PKCS12_PASSWORD" };
const SECRETS: [&Setting; 3] = [&TOKEN, &SESSION_KEY, &PKCS12_PASSWORD];

/// The values of the flags in `args`, by flag; `--flag value` and `--flag=value` both work.
fn parse_flags<A>(args: A) -> Result<HashMap<&'static str, String>, ConfigError>
where
    A: IntoIterator,
    A::Item: Into<String>,
{
    let mut values = HashMap::new();
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        let (name, inline_value) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        if name == "-h" || name == "--help" {
            return Err(ConfigError::HelpRequested);
        }
        if let Some(secret) = SECRETS.iter().find(|secret| secret.flag == name) {
            return Err(ConfigError::SecretOnCommandLine(secret.env));
        }
        let Some(setting) = SETTINGS.iter().find(|setting| setting.flag == name) else {
            // Only the name is echoed: a mistyped flag's value might be a secret.
            return Err(ConfigError::UnknownArgument(name.to_owned()));
        };
        let value = match inline_value {
            Some(value) => value,
            None => args.next().ok_or(ConfigError::MissingValue(setting.flag))?,
        };
        values.insert(setting.flag, value);
    }
    Ok(values)
}

/// The settings of a TOML file, by flag.
fn read_config_file(path: &Path) -> Result<HashMap<&'static str, String>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::File {
        origin: CONFIG.flag.to_owned(),
        path: path.to_owned(),
        source,
    })?;
    let invalid = |reason: String| ConfigError::ConfigFile { path: path.to_owned(), reason };
    let table: toml::Table = text.parse().map_err(|err: toml::de::Error| invalid(err.message().to_owned()))?;
    let mut values = HashMap::new();
    for (key, value) in table {
        if SECRETS.iter().any(|secret| secret.flag.trim_start_matches('-') == key) {
            return Err(invalid(format!(
                "`{key}` is a secret: name a file holding it, or set its environment variable"
            )));
        }
        let Some(setting) = SETTINGS.iter().find(|setting| setting.key() == key && setting.flag != CONFIG.flag) else {
            return Err(invalid(format!("unknown key `{key}` (the keys are the options of --help without --)")));
        };
        let value = match value {
            toml::Value::String(text) => text,
            toml::Value::Integer(number) => number.to_string(),
            toml::Value::Boolean(flag) => flag.to_string(),
            toml::Value::Array(items) => items
                .into_iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| invalid(format!("`{key}` must be a list of strings")))?
                .join(","),
            _ => return Err(invalid(format!("`{key}` must be a string, number or list of strings"))),
        };
        values.insert(setting.flag, value);
    }
    Ok(values)
}

/// Where settings are looked up: flags first, then the environment, then the file.
pub(super) struct Sources<E> {
    pub(super) flags: HashMap<&'static str, String>,
    pub(super) env: E,
    pub(super) file: HashMap<&'static str, String>,
}

impl<E: Fn(&str) -> Option<String>> Sources<E> {
    /// The flags in `args`, the environment variables that `env` looks up, and the
    /// configuration file they name.
    pub(super) fn new<A>(args: A, env: E) -> Result<Self, ConfigError>
    where
        A: IntoIterator,
        A::Item: Into<String>,
    {
        let mut sources = Sources { flags: parse_flags(args)?, env, file: HashMap::new() };
        if let Some((path, _)) = sources.get(&CONFIG) {
            sources.file = read_config_file(Path::new(&path))?;
        }
        Ok(sources)
    }

    /// The value of `setting` and the flag, variable or file key it came from, if given.
    pub(super) fn get(&self, setting: &Setting) -> Option<(String, String)> {
        if let Some(value) = self.flags.get(setting.flag) {
            return Some((value.clone(), setting.flag.to_owned()));
        }
        if let Some(value) = (self.env)(setting.env) {
            return Some((value, setting.env.to_owned()));
        }
        self.file.get(setting.flag).map(|value| (value.clone(), format!("config key `{}`", setting.key())))
    }

    /// The value of `setting` (or `default`) parsed by `parse`, whose error is the reason.
    pub(super) fn parse<T>(
        &self,
        setting: &Setting,
        default: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        let (value, origin) = self.get(setting).unwrap_or_else(|| (default.to_owned(), "default".to_owned()));
        parse(&value).map_err(|reason| ConfigError::Invalid { origin, value, reason })
    }

    /// A secret: from the file named by `file_setting`, or from the `secret` variable.
    pub(super) fn secret(
        &self,
        file_setting: &Setting,
        secret: &Setting,
    ) -> Result<Option<(String, String)>, ConfigError> {
        match (self.get(file_setting), (self.env)(secret.env)) {
            (Some((path, origin)), None) => Ok(Some((read_file(&path, &origin)?, origin))),
            (Some((_, origin)), Some(_)) if origin.starts_with("config key") => {
                // The environment overrides the file.
                Ok((self.env)(secret.env).map(|value| (value, secret.env.to_owned())))
            }
            (Some((_, origin)), Some(_)) => Err(ConfigError::Invalid {
                origin,
                value: String::new(),
                reason: format!("{} is set too: set only one", secret.env),
            }),
            (None, Some(value)) => Ok(Some((value, secret.env.to_owned()))),
            (None, None) => Ok(None),
        }
    }
}

/// Reads a file named by the setting `origin`.
pub(super) fn read_file(path: &str, origin: &str) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::File {
        origin: origin.to_owned(),
        path: path.into(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::AccessPolicy;
    use crate::config::test_support::*;
    use crate::config::{Config, LogFormat};
    use crate::session::Scope;
    use std::path::PathBuf;
    use std::time::Duration;

    #[test]
    fn flags_win_over_environment() {
        let vars = [
            ("PROXY_TOKEN", TOKEN_VALUE),
            ("PROXY_LISTEN", "127.0.0.1:1"),
            ("PROXY_STATIC_DIR", "env-dir"),
            ("PROXY_UPSTREAM", "http://env.test"),
        ];
        let args = [
            "--listen",
            "0.0.0.0:9000",
            "--upstream=https://lf-api.payex.com",
            "--upstream-timeout-ms",
            "300",
            "--max-body-bytes=10",
        ];
        let config = parse(&args, &vars).unwrap();
        assert_eq!(config.listen, "0.0.0.0:9000".parse().unwrap());
        assert_eq!(config.upstream.to_string(), "https://lf-api.payex.com");
        assert_eq!(config.static_dir, PathBuf::from("env-dir"));
        assert_eq!(config.upstream_timeout, Duration::from_millis(300));
        assert_eq!(config.max_body_bytes, 10);
    }

    #[test]
    fn invalid_values_name_their_origin() {
        let token = [("PROXY_TOKEN", TOKEN_VALUE)];
        let err = parse(&["--listen", "localhost"], &token).unwrap_err().to_string();
        assert!(err.starts_with("invalid --listen `localhost`"), "{err}");
        let err = parse(&[], &[("PROXY_TOKEN", TOKEN_VALUE), ("PROXY_UPSTREAM", "ftp://x")]).unwrap_err().to_string();
        assert!(err.starts_with("invalid PROXY_UPSTREAM `ftp://x`"), "{err}");
        assert!(matches!(
            parse(&["--upstream-timeout-ms", "0"], &token),
            Err(ConfigError::Invalid { origin, .. }) if origin == "--upstream-timeout-ms"
        ));
        assert!(matches!(parse(&["--max-body-bytes", "-1"], &token), Err(ConfigError::Invalid { .. })));
    }

    #[test]
    fn argument_errors() {
        let token = [("PROXY_TOKEN", TOKEN_VALUE)];
        assert!(matches!(parse(&["--help"], &token), Err(ConfigError::HelpRequested)));
        assert!(matches!(parse(&["--listen"], &token), Err(ConfigError::MissingValue("--listen"))));
        let err = parse(&["--tokn=hunter2"], &token).unwrap_err();
        assert!(matches!(&err, ConfigError::UnknownArgument(name) if name == "--tokn"));
        assert!(!err.to_string().contains("hunter2"));
    }

    #[test]
    fn a_toml_file_is_overridden_by_the_environment_and_flags() {
        let file = temp_file(
            "config.toml",
            r#"
listen = "0.0.0.0:9100"
upstream = "https://lf-api.payex.com"
owner-no = "555"
upstream-timeout-ms = 2500
allowed-origins = ["https://crm.example.com", "https://portal.example.com"]
access = "trusted"
trusted-scope = "read"
log-format = "json"
"#,
        );
        let path = file.to_str().unwrap();
        let vars = [("PROXY_TOKEN", TOKEN_VALUE), ("PROXY_CONFIG", path), ("PROXY_OWNER_NO", "777")];
        let config = Config::parse(["--listen", "127.0.0.1:9200"], env_with(&vars)).unwrap();
        assert_eq!(config.listen, "127.0.0.1:9200".parse().unwrap(), "the flag wins");
        assert_eq!(config.access.owner_no(), "777", "the environment wins over the file");
        assert_eq!(config.upstream.to_string(), "https://lf-api.payex.com");
        assert_eq!(config.upstream_timeout, Duration::from_millis(2500));
        assert_eq!(config.allowed_origins, ["https://crm.example.com", "https://portal.example.com"]);
        assert_eq!(config.log_format, LogFormat::Json);
        assert!(matches!(config.access, AccessPolicy::Trusted { scope: Scope::Read, .. }));
        drop(file);
    }

    #[test]
    fn config_file_mistakes_say_what_to_fix() {
        let token = ("PROXY_TOKEN", TOKEN_VALUE);
        for (text, expected) in [
            ("listen = ", "configuration file"),
            ("listn = \"x\"", "unknown key `listn`"),
            ("token = \"abc\"", "`token` is a secret"),
            ("upstream-timeout-ms = 0", "invalid config key `upstream-timeout-ms`"),
        ] {
            let file = temp_file("bad.toml", text);
            let err = parse(&["--config", file.to_str().unwrap()], &[token]).unwrap_err().to_string();
            assert!(err.contains(expected), "{text}: {err}");
            assert!(!err.contains("abc"), "a secret is not repeated: {err}");
        }
    }

    #[test]
    fn the_example_configuration_has_known_keys_only() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/billing-proxy.toml");
        let settings = read_config_file(&example).unwrap();
        assert!(settings.contains_key("--owner-no") && settings.contains_key("--session-key-file"));
    }
}
