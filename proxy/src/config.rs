//! The proxy's settings, from command-line flags and environment variables (a flag wins over
//! its variable, which wins over the default).

use crate::secret::Secret;
use crate::upstream::Upstream;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Default upstream: the local simulator (`billing-sandbox`).
pub const DEFAULT_UPSTREAM: &str = "http://127.0.0.1:8081";
/// Default directory of the widget's built bundle.
pub const DEFAULT_STATIC_DIR: &str = "dist";
/// Default limit on one upstream exchange, in milliseconds.
pub const DEFAULT_UPSTREAM_TIMEOUT_MS: &str = "15000";
/// Default largest request body, in bytes (256 KiB).
pub const DEFAULT_MAX_BODY_BYTES: &str = "262144";

/// The `--help` text.
pub const USAGE: &str = "\
Usage: billing-proxy [OPTIONS]

Serves the widget's static bundle and forwards /billing/customer/v1/... and
/billing/invoice/v1/... to the Billing API, adding the server-side bearer token.

Options (each may instead be set by the environment variable beside it; a flag wins):
  --listen ADDR             PROXY_LISTEN               [default: 127.0.0.1:8080]
  --upstream URL            PROXY_UPSTREAM             Billing API base URL
                                                       [default: http://127.0.0.1:8081]
  --token-file PATH         PROXY_TOKEN_FILE           file holding the bearer token
                            PROXY_TOKEN                the bearer token (not accepted as a flag:
                                                       command lines are visible to other users)
  --static-dir DIR          PROXY_STATIC_DIR           the widget's bundle [default: dist]
  --upstream-timeout-ms MS  PROXY_UPSTREAM_TIMEOUT_MS  limit on one upstream exchange
                                                       [default: 15000]
  --max-body-bytes N        PROXY_MAX_BODY_BYTES       largest request body [default: 262144]
  -h, --help                                           print this help

Logging: RUST_LOG (default: info).";

/// Everything the proxy is configured with.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// The Billing API to forward to.
    pub upstream: Upstream,
    /// The bearer token sent upstream; never shown.
    pub token: Secret,
    /// Directory of the widget's built bundle.
    pub static_dir: PathBuf,
    /// Limit on one upstream exchange, from connecting to the last byte of the response.
    pub upstream_timeout: Duration,
    /// Largest request body forwarded.
    pub max_body_bytes: usize,
}

/// Why the configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `--help` was asked for: not an error, but no configuration either.
    #[error("help requested")]
    HelpRequested,
    /// An argument that is not one of the flags.
    #[error("unknown argument `{0}` (see --help)")]
    UnknownArgument(String),
    /// A flag without its value.
    #[error("{0} needs a value (see --help)")]
    MissingValue(&'static str),
    /// A value that does not parse.
    #[error("invalid {origin} `{value}`: {reason}")]
    Invalid {
        /// The flag or environment variable it came from.
        origin: &'static str,
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The token was given as a flag.
    #[error(
        "the token is not accepted on the command line, where other users can see it: \
             set PROXY_TOKEN, or write it to a file and pass --token-file PATH or PROXY_TOKEN_FILE"
    )]
    TokenOnCommandLine,
    /// No token from anywhere.
    #[error(
        "no upstream bearer token: set PROXY_TOKEN to the token, or write it to a file \
             and pass --token-file PATH or set PROXY_TOKEN_FILE"
    )]
    MissingToken,
    /// Both token variables are set.
    #[error("both PROXY_TOKEN and PROXY_TOKEN_FILE are set: set only one")]
    AmbiguousToken,
    /// The token file cannot be read.
    #[error("cannot read the token file `{path}` (from {origin}): {source}")]
    TokenFile {
        /// The flag or environment variable naming the file.
        origin: &'static str,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The token is empty or blank.
    #[error("the token from {0} is empty")]
    EmptyToken(&'static str),
    /// The token has characters that cannot be sent in a header.
    #[error("the token from {0} contains characters that cannot be sent in an HTTP header")]
    TokenNotHeaderSafe(&'static str),
}

/// One setting: its flag and its environment variable.
struct Setting {
    flag: &'static str,
    env: &'static str,
}

const LISTEN: Setting = Setting { flag: "--listen", env: "PROXY_LISTEN" };
const UPSTREAM: Setting = Setting { flag: "--upstream", env: "PROXY_UPSTREAM" };
const TOKEN: Setting = Setting { flag: "--token", env: "PROXY_TOKEN" };
const TOKEN_FILE: Setting = Setting { flag: "--token-file", env: "PROXY_TOKEN_FILE" };
const STATIC_DIR: Setting = Setting { flag: "--static-dir", env: "PROXY_STATIC_DIR" };
const UPSTREAM_TIMEOUT_MS: Setting = Setting { flag: "--upstream-timeout-ms", env: "PROXY_UPSTREAM_TIMEOUT_MS" };
const MAX_BODY_BYTES: Setting = Setting { flag: "--max-body-bytes", env: "PROXY_MAX_BODY_BYTES" };

/// The settings that may be given as flags (`--token` is not one of them).
const FLAGS: [&Setting; 6] = [&LISTEN, &UPSTREAM, &TOKEN_FILE, &STATIC_DIR, &UPSTREAM_TIMEOUT_MS, &MAX_BODY_BYTES];

impl Config {
    /// The configuration of this process: its arguments and environment.
    pub fn from_process() -> Result<Config, ConfigError> {
        Config::parse(std::env::args().skip(1), |name| std::env::var(name).ok())
    }

    /// The configuration given by `args` (without the program name) and the environment
    /// variables that `env` looks up.
    pub fn parse<A, E>(args: A, env: E) -> Result<Config, ConfigError>
    where
        A: IntoIterator,
        A::Item: Into<String>,
        E: Fn(&str) -> Option<String>,
    {
        let sources = Sources { flags: parse_flags(args)?, env };
        Ok(Config {
            listen: sources.parse(&LISTEN, DEFAULT_LISTEN, |v| {
                v.parse().map_err(|_| "expected an IP address and port, e.g. 127.0.0.1:8080".to_owned())
            })?,
            upstream: sources.parse(&UPSTREAM, DEFAULT_UPSTREAM, |v| Upstream::parse(v).map_err(|e| e.to_string()))?,
            token: sources.token()?,
            static_dir: sources.parse(&STATIC_DIR, DEFAULT_STATIC_DIR, |v| Ok(PathBuf::from(v)))?,
            upstream_timeout: sources.parse(&UPSTREAM_TIMEOUT_MS, DEFAULT_UPSTREAM_TIMEOUT_MS, parse_millis)?,
            max_body_bytes: sources.parse(&MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, |v| {
                v.parse().map_err(|_| "expected a number of bytes".to_owned())
            })?,
        })
    }
}

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
        if name == TOKEN.flag {
            return Err(ConfigError::TokenOnCommandLine);
        }
        let Some(setting) = FLAGS.iter().find(|setting| setting.flag == name) else {
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

fn parse_millis(value: &str) -> Result<Duration, String> {
    match value.parse() {
        Ok(0) | Err(_) => Err("expected a positive number of milliseconds".to_owned()),
        Ok(millis) => Ok(Duration::from_millis(millis)),
    }
}

/// Where settings are looked up: flags first, then the environment.
struct Sources<E> {
    flags: HashMap<&'static str, String>,
    env: E,
}

impl<E: Fn(&str) -> Option<String>> Sources<E> {
    /// The value of `setting` and the flag or variable it came from, if given.
    fn get(&self, setting: &Setting) -> Option<(String, &'static str)> {
        match self.flags.get(setting.flag) {
            Some(value) => Some((value.clone(), setting.flag)),
            None => (self.env)(setting.env).map(|value| (value, setting.env)),
        }
    }

    /// The value of `setting` (or `default`) parsed by `parse`, whose error is the reason.
    fn parse<T>(
        &self,
        setting: &Setting,
        default: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        let (value, origin) = self.get(setting).unwrap_or_else(|| (default.to_owned(), "default"));
        parse(&value).map_err(|reason| ConfigError::Invalid { origin, value, reason })
    }

    /// The token: from `--token-file`, else from `PROXY_TOKEN_FILE` or `PROXY_TOKEN`.
    fn token(&self) -> Result<Secret, ConfigError> {
        let (token, origin) = match (self.flags.get(TOKEN_FILE.flag), (self.env)(TOKEN_FILE.env), (self.env)(TOKEN.env))
        {
            (Some(path), _, _) => (read_token_file(path, TOKEN_FILE.flag)?, TOKEN_FILE.flag),
            (None, Some(_), Some(_)) => return Err(ConfigError::AmbiguousToken),
            (None, Some(path), None) => (read_token_file(&path, TOKEN_FILE.env)?, TOKEN_FILE.env),
            (None, None, Some(token)) => (token, TOKEN.env),
            (None, None, None) => return Err(ConfigError::MissingToken),
        };
        let token = Secret::new(token.trim());
        if token.expose().is_empty() {
            return Err(ConfigError::EmptyToken(origin));
        }
        if token.bearer_header().is_err() {
            return Err(ConfigError::TokenNotHeaderSafe(origin));
        }
        Ok(token)
    }
}

fn read_token_file(path: &str, origin: &'static str) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::TokenFile { origin, path: path.into(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN_VALUE: &str = "s3cr3t-token";

    fn env_with<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    fn parse(args: &[&str], vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::parse(args.iter().copied(), env_with(vars))
    }

    #[test]
    fn defaults_need_only_a_token() {
        let config = parse(&[], &[("PROXY_TOKEN", TOKEN_VALUE)]).unwrap();
        assert_eq!(config.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(config.upstream.to_string(), "http://127.0.0.1:8081");
        assert_eq!(config.token.expose(), TOKEN_VALUE);
        assert_eq!(config.static_dir, PathBuf::from("dist"));
        assert_eq!(config.upstream_timeout, Duration::from_secs(15));
        assert_eq!(config.max_body_bytes, 256 * 1024);
    }

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
        assert!(matches!(parse(&[], &[("PROXY_TOKEN", " \n")]), Err(ConfigError::EmptyToken("PROXY_TOKEN"))));
        assert!(matches!(parse(&[], &[("PROXY_TOKEN", "a\u{7}b")]), Err(ConfigError::TokenNotHeaderSafe(_))));
        assert!(matches!(
            parse(&[], &[("PROXY_TOKEN", "a"), ("PROXY_TOKEN_FILE", "f")]),
            Err(ConfigError::AmbiguousToken)
        ));
        assert!(matches!(parse(&["--token-file", "/nonexistent/token"], &[]), Err(ConfigError::TokenFile { .. })));
        let err = parse(&["--token=hunter2"], &[]).unwrap_err();
        assert!(matches!(err, ConfigError::TokenOnCommandLine));
        assert!(!err.to_string().contains("hunter2"));
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
            Err(ConfigError::Invalid { origin: "--upstream-timeout-ms", .. })
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
    fn debug_output_does_not_show_the_token() {
        let config = parse(&[], &[("PROXY_TOKEN", TOKEN_VALUE)]).unwrap();
        let debug = format!("{config:?}");
        assert!(debug.contains("[redacted]") && !debug.contains(TOKEN_VALUE), "{debug}");
    }
}
