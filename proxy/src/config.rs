//! The proxy's settings: a TOML file (`--config` / `PROXY_CONFIG`), overridden by environment
//! variables, overridden by command-line flags (12-factor). Every setting has one name in all
//! three: `upstream-timeout-ms` in the file, `PROXY_UPSTREAM_TIMEOUT_MS` in the environment,
//! `--upstream-timeout-ms` on the command line. Secrets (the bearer token, the session key, the
//! PKCS#12 password) are never taken from the command line.
//!
//! A bad setting fails at start with a message naming the setting, where it came from and what
//! to do.

use crate::access::AccessPolicy;
use crate::secret::Secret;
use crate::session::{Scope, SessionKey, DEFAULT_AUDIENCE};
use crate::upstream::Upstream;
use axum::http::HeaderName;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Default address of the admin listener (`/metrics`, `/readyz`, `/healthz`): loopback only.
pub const DEFAULT_ADMIN_LISTEN: &str = "127.0.0.1:9090";
/// Default directory of the widget's built bundle.
pub const DEFAULT_STATIC_DIR: &str = "dist";
/// Default limit on one upstream exchange, in milliseconds.
pub const DEFAULT_UPSTREAM_TIMEOUT_MS: &str = "15000";
/// Default largest request body, in bytes (256 KiB).
pub const DEFAULT_MAX_BODY_BYTES: &str = "262144";
/// Default largest upstream answer, in bytes (16 MiB).
pub const DEFAULT_MAX_UPSTREAM_BODY_BYTES: &str = "16777216";
/// Default number of upstream requests in flight at once, across the process.
pub const DEFAULT_MAX_UPSTREAM_CONCURRENCY: &str = "64";
/// Default wait for a turn at the upstream, in milliseconds.
pub const DEFAULT_UPSTREAM_QUEUE_TIMEOUT_MS: &str = "2000";
/// Default number of client connections open at once.
pub const DEFAULT_MAX_CONNECTIONS: &str = "1024";
/// Default limit on reading a request's head, in milliseconds.
pub const DEFAULT_HEADER_READ_TIMEOUT_MS: &str = "30000";
/// Default limit on reading a request's body, in milliseconds.
pub const DEFAULT_BODY_READ_TIMEOUT_MS: &str = "10000";

/// The `--help` text.
pub const USAGE: &str = "\
Usage: billing-proxy [OPTIONS]

Serves the widget's static bundle and forwards the allowlisted routes of
/billing/customer/v1/... and /billing/invoice/v1/... to the Billing API, adding the
server-side credentials.

Every option can be set in the TOML file (key without the leading --), by the
environment variable beside it, or as a flag; a flag wins over the variable, which
wins over the file. Settings marked (secret) are not accepted as flags.

  --config PATH                  PROXY_CONFIG                 TOML file of settings
  --listen ADDR                  PROXY_LISTEN                 [default: 127.0.0.1:8080]
  --admin-listen ADDR            PROXY_ADMIN_LISTEN           /metrics, /readyz and /healthz, kept
                                                              off the public listener
                                                              [default: 127.0.0.1:9090]
  --upstream URL                 PROXY_UPSTREAM               Billing API base URL (required), e.g.
                                                              https://lf-api.payex.com
  --allow-insecure-upstream BOOL PROXY_ALLOW_INSECURE_UPSTREAM
                                                              allow an http:// upstream (the token
                                                              crosses unencrypted: a local
                                                              simulator only) [default: false]
  --owner-no OWNER               PROXY_OWNER_NO               the ledger forwarded to (required)
  --token-file PATH              PROXY_TOKEN_FILE             file holding the bearer token;
                                                              re-read when it changes
                                 PROXY_TOKEN                  the bearer token (secret)
  --token-reload-ms MS           PROXY_TOKEN_RELOAD_MS        how often the token file is checked
                                                              [default: 5000]
  --upstream-ca PATH             PROXY_UPSTREAM_CA            PEM certificates trusted for the
                                                              upstream besides the public roots
  --client-cert PATH             PROXY_CLIENT_CERT            PEM client certificate (chain) for
                                                              mutual TLS with the upstream
  --client-key PATH              PROXY_CLIENT_KEY             its PEM private key
  --client-pkcs12 PATH           PROXY_CLIENT_PKCS12          or both in one PKCS#12 file
                                 PROXY_CLIENT_PKCS12_PASSWORD its password (secret)
  --cert-expiry-warning-days N   PROXY_CERT_EXPIRY_WARNING_DAYS
                                                              /readyz fails this close to the
                                                              certificate's expiry [default: 14]
  --access MODE                  PROXY_ACCESS                 trusted | signed-session (required)
  --trusted-scope SCOPE          PROXY_TRUSTED_SCOPE          read | read-write [default: read];
                                                              read-write needs --allowed-origins
  --trusted-user-header NAME     PROXY_TRUSTED_USER_HEADER    header naming the signed-in user,
                                                              set (overwritten, never appended)
                                                              by the host's reverse proxy
  --session-key-file PATH        PROXY_SESSION_KEY_FILE       HS256 key of session JWTs
                                 PROXY_SESSION_KEY            the key itself (secret), >= 32 bytes
  --session-public-key PATH      PROXY_SESSION_PUBLIC_KEY     or: Ed25519 public key (PEM) of EdDSA
                                                              session JWTs; give exactly one key
  --session-audience AUD         PROXY_SESSION_AUDIENCE       the `aud` session JWTs must carry
                                                              [default: billing-proxy]
  --session-max-lifetime-s S     PROXY_SESSION_MAX_LIFETIME_S longest session (exp - iat) accepted
                                                              [default: 3600]
  --allowed-origins LIST         PROXY_ALLOWED_ORIGINS        origins allowed to write, comma-separated
                                                              [default: none: every write refused]
  --rate-limit-per-second N      PROXY_RATE_LIMIT_PER_SECOND  per subject; 0 = no limit [default: 50]
  --rate-limit-burst N           PROXY_RATE_LIMIT_BURST       [default: 500]
  --static-dir DIR               PROXY_STATIC_DIR             the widget's bundle [default: dist]
  --frame-ancestors LIST         PROXY_FRAME_ANCESTORS        CSP frame-ancestors [default: 'self']
  --upstream-timeout-ms MS       PROXY_UPSTREAM_TIMEOUT_MS    limit on one upstream exchange
                                                              [default: 15000]
  --max-body-bytes N             PROXY_MAX_BODY_BYTES         largest request body [default: 262144]
  --max-upstream-body-bytes N    PROXY_MAX_UPSTREAM_BODY_BYTES
                                                              largest upstream answer; larger is a
                                                              502 [default: 16777216]
  --max-upstream-concurrency N   PROXY_MAX_UPSTREAM_CONCURRENCY
                                                              upstream requests in flight at once,
                                                              all workers together [default: 64]
  --upstream-queue-timeout-ms MS PROXY_UPSTREAM_QUEUE_TIMEOUT_MS
                                                              longest wait for a turn at the
                                                              upstream, then 503 with Retry-After
                                                              [default: 2000]
  --max-connections N            PROXY_MAX_CONNECTIONS        client connections open at once; when
                                                              full, no more are accepted until one
                                                              closes [default: 1024]
  --header-read-timeout-ms MS    PROXY_HEADER_READ_TIMEOUT_MS limit on reading a request's head; the
                                                              connection is closed [default: 30000]
  --body-read-timeout-ms MS      PROXY_BODY_READ_TIMEOUT_MS   limit on reading a request's body, then
                                                              408 [default: 10000]
  --hsts-max-age-s S             PROXY_HSTS_MAX_AGE_S         send Strict-Transport-Security with this
                                                              max-age; only where every client comes
                                                              through HTTPS (the proxy speaks plain
                                                              HTTP behind a TLS terminator); 0 = off
                                                              [default: 0]
  --log-format FORMAT            PROXY_LOG_FORMAT             text | json [default: text]
  --worker-threads N             PROXY_WORKER_THREADS         threads serving requests, each with its
                                                              own single-threaded runtime and upstream
                                                              connections: 0 = one per core
                                                              [default: 0]
  -h, --help                                                  print this help

Logging: RUST_LOG (default: info). Audit records have the target billing_proxy::audit.";

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

/// The log line format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Everything the proxy is configured with.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Address of the admin listener: `/metrics`, `/readyz` and `/healthz`.
    pub admin_listen: SocketAddr,
    /// The Billing API to forward to.
    pub upstream: Upstream,
    /// Whether an `http://` upstream was explicitly allowed (the token then crosses unencrypted).
    pub allow_insecure_upstream: bool,
    /// The bearer token sent upstream; never shown.
    pub token: Secret,
    /// The file the token came from, re-read when it changes.
    pub token_file: Option<PathBuf>,
    /// How often the token file is checked for a change.
    pub token_reload: Duration,
    /// Certificates (PEM) trusted for the upstream besides the public roots, e.g. a private
    /// test environment's CA.
    pub upstream_ca: Option<PathBuf>,
    /// The client certificate for mutual TLS with the upstream.
    pub client_identity: Option<ClientIdentity>,
    /// `/readyz` fails when the client certificate expires within this many days.
    pub cert_expiry_warning_days: u32,
    /// Who may do what.
    pub access: AccessPolicy,
    /// Origins allowed to write; empty means that every write is refused.
    pub allowed_origins: Vec<String>,
    /// Requests per second per subject (0: no limit).
    pub rate_limit_per_second: u32,
    /// Requests a subject may send at once.
    pub rate_limit_burst: u32,
    /// Directory of the widget's built bundle.
    pub static_dir: PathBuf,
    /// The CSP `frame-ancestors` sources: who may embed the page.
    pub frame_ancestors: String,
    /// Limit on one upstream exchange, from connecting to the last byte of the response.
    pub upstream_timeout: Duration,
    /// Largest request body forwarded.
    pub max_body_bytes: usize,
    /// Largest upstream answer read; a larger one is answered 502.
    pub max_upstream_body_bytes: usize,
    /// Upstream requests in flight at once, across all workers.
    pub max_upstream_concurrency: u32,
    /// How long a request waits for a turn at the upstream before a 503.
    pub upstream_queue_timeout: Duration,
    /// Client connections open at once, across all workers.
    pub max_connections: u32,
    /// Limit on reading a request's head.
    pub header_read_timeout: Duration,
    /// Limit on reading a request's body.
    pub body_read_timeout: Duration,
    /// `max-age` of the `Strict-Transport-Security` header; `None`: not sent.
    pub hsts_max_age: Option<Duration>,
    /// Log line format.
    pub log_format: LogFormat,
    /// Worker threads, each serving requests on a single-threaded runtime of its own and
    /// accepting from the same socket: 0 for one per core.
    pub worker_threads: u32,
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
        /// The flag, environment variable or file key it came from.
        origin: String,
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A required setting is missing.
    #[error("{0}")]
    Missing(&'static str),
    /// A secret was given as a flag.
    #[error(
        "{0} is not accepted on the command line, where other users can see it: set its \
         environment variable, or write it to a file and name the file (see --help)"
    )]
    SecretOnCommandLine(&'static str),
    /// No token from anywhere.
    #[error(
        "no upstream bearer token: set PROXY_TOKEN to the token, or write it to a file \
             and pass --token-file PATH or set PROXY_TOKEN_FILE"
    )]
    MissingToken,
    /// Both token variables are set.
    #[error("both PROXY_TOKEN and PROXY_TOKEN_FILE are set: set only one")]
    AmbiguousToken,
    /// A file named by a setting cannot be read.
    #[error("cannot read the file `{path}` (from {origin}): {source}")]
    File {
        /// The setting naming the file.
        origin: String,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The configuration file is not valid.
    #[error("the configuration file `{path}`: {reason}")]
    ConfigFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The token is empty or blank.
    #[error("the token from {0} is empty")]
    EmptyToken(String),
    /// The token has characters that cannot be sent in a header.
    #[error("the token from {0} contains characters that cannot be sent in an HTTP header")]
    TokenNotHeaderSafe(String),
}

/// One setting: its flag (the file key is the flag without `--`) and its environment variable.
struct Setting {
    flag: &'static str,
    env: &'static str,
}

impl Setting {
    fn key(&self) -> &'static str {
        self.flag.trim_start_matches('-')
    }
}

macro_rules! settings {
    ($($name:ident = $flag:literal, $env:literal;)*) => {
        $(const $name: Setting = Setting { flag: $flag, env: $env };)*
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
const TOKEN: Setting = Setting { flag: "--token", env: "PROXY_TOKEN" };
const SESSION_KEY: Setting = Setting { flag: "--session-key", env: "PROXY_SESSION_KEY" };
const PKCS12_PASSWORD: Setting = Setting { flag: "--client-pkcs12-password", env: "PROXY_CLIENT_PKCS12_PASSWORD" };
const SECRETS: [&Setting; 3] = [&TOKEN, &SESSION_KEY, &PKCS12_PASSWORD];

impl Config {
    /// The configuration of this process: its arguments and environment.
    pub fn from_process() -> Result<Config, ConfigError> {
        Config::parse(std::env::args().skip(1), |name| std::env::var(name).ok())
    }

    /// The configuration given by `args` (without the program name), the environment
    /// variables that `env` looks up, and the configuration file they name.
    pub fn parse<A, E>(args: A, env: E) -> Result<Config, ConfigError>
    where
        A: IntoIterator,
        A::Item: Into<String>,
        E: Fn(&str) -> Option<String>,
    {
        let mut sources = Sources { flags: parse_flags(args)?, env, file: HashMap::new() };
        if let Some((path, _)) = sources.get(&CONFIG) {
            sources.file = read_config_file(Path::new(&path))?;
        }
        let (token, token_file) = sources.token()?;
        let upstream_timeout = sources.parse(&UPSTREAM_TIMEOUT_MS, DEFAULT_UPSTREAM_TIMEOUT_MS, parse_millis)?;
        let (upstream, allow_insecure_upstream) = sources.upstream()?;
        let access = sources.access()?;
        let allowed_origins = sources.parse(&ALLOWED_ORIGINS, "", parse_origins)?;
        if matches!(access, AccessPolicy::Trusted { scope: Scope::ReadWrite, .. }) && allowed_origins.is_empty() {
            return Err(ConfigError::Missing(
                "trusted-scope read-write needs allowed-origins, the origins of the pages that may write (the \
                 request's own Host does not count: DNS rebinding controls it): set --allowed-origins \
                 https://crm.example.com or PROXY_ALLOWED_ORIGINS, or use trusted-scope read",
            ));
        }
        Ok(Config {
            listen: sources.parse(&LISTEN, DEFAULT_LISTEN, parse_address)?,
            admin_listen: sources.parse(&ADMIN_LISTEN, DEFAULT_ADMIN_LISTEN, parse_address)?,
            upstream,
            allow_insecure_upstream,
            token,
            token_file,
            token_reload: sources.parse(&TOKEN_RELOAD_MS, "5000", parse_millis)?,
            upstream_ca: sources.get(&UPSTREAM_CA).map(|(path, _)| PathBuf::from(path)),
            client_identity: sources.client_identity()?,
            cert_expiry_warning_days: sources.parse(&CERT_EXPIRY_WARNING_DAYS, "14", parse_number)?,
            access,
            allowed_origins,
            rate_limit_per_second: sources.parse(&RATE_LIMIT_PER_SECOND, "50", parse_number)?,
            rate_limit_burst: sources.parse(&RATE_LIMIT_BURST, "500", parse_number)?,
            static_dir: sources.parse(&STATIC_DIR, DEFAULT_STATIC_DIR, |v| Ok(PathBuf::from(v)))?,
            frame_ancestors: sources.parse(&FRAME_ANCESTORS, "'self'", parse_csp_sources)?,
            upstream_timeout,
            max_body_bytes: sources.parse(&MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, |v| {
                v.parse().map_err(|_| "expected a number of bytes".to_owned())
            })?,
            max_upstream_body_bytes: sources.parse(&MAX_UPSTREAM_BODY_BYTES, DEFAULT_MAX_UPSTREAM_BODY_BYTES, |v| {
                match v.parse::<usize>() {
                    Ok(0) | Err(_) => Err("expected a positive number of bytes".to_owned()),
                    Ok(bytes) => Ok(bytes),
                }
            })?,
            max_upstream_concurrency: sources.parse(
                &MAX_UPSTREAM_CONCURRENCY,
                DEFAULT_MAX_UPSTREAM_CONCURRENCY,
                parse_positive_count,
            )?,
            upstream_queue_timeout: sources.parse(
                &UPSTREAM_QUEUE_TIMEOUT_MS,
                DEFAULT_UPSTREAM_QUEUE_TIMEOUT_MS,
                parse_millis,
            )?,
            max_connections: sources.parse(&MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS, parse_positive_count)?,
            header_read_timeout: sources.parse(
                &HEADER_READ_TIMEOUT_MS,
                DEFAULT_HEADER_READ_TIMEOUT_MS,
                parse_millis,
            )?,
            body_read_timeout: sources.parse(&BODY_READ_TIMEOUT_MS, DEFAULT_BODY_READ_TIMEOUT_MS, parse_millis)?,
            hsts_max_age: sources.parse(&HSTS_MAX_AGE_S, "0", |v| match v.parse::<u64>() {
                Ok(0) => Ok(None),
                Ok(secs) => Ok(Some(Duration::from_secs(secs))),
                Err(_) => Err("expected a whole number of seconds from 0 (0 = off)".to_owned()),
            })?,
            log_format: sources.parse(&LOG_FORMAT, "text", |v| match v {
                "text" => Ok(LogFormat::Text),
                "json" => Ok(LogFormat::Json),
                _ => Err("expected text or json".to_owned()),
            })?,
            worker_threads: sources.parse(&WORKER_THREADS, "0", |v| match parse_number(v)? {
                threads @ 0..=1024 => Ok(threads),
                _ => Err("expected 0 (one per core) up to 1024".to_owned()),
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

fn parse_address(value: &str) -> Result<SocketAddr, String> {
    value.parse().map_err(|_| "expected an IP address and port, e.g. 127.0.0.1:8080".to_owned())
}

fn parse_bool(value: &str) -> Result<bool, String> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("expected true or false".to_owned()),
    }
}

fn parse_millis(value: &str) -> Result<Duration, String> {
    match value.parse() {
        Ok(0) | Err(_) => Err("expected a positive number of milliseconds".to_owned()),
        Ok(millis) => Ok(Duration::from_millis(millis)),
    }
}

/// A count from 1 up to 1,000,000 (a semaphore's permits).
fn parse_positive_count(value: &str) -> Result<u32, String> {
    match value.parse() {
        Ok(count @ 1..=1_000_000) => Ok(count),
        _ => Err("expected a whole number from 1 up to 1000000".to_owned()),
    }
}

fn parse_number(value: &str) -> Result<u32, String> {
    value.parse().map_err(|_| "expected a whole number from 0".to_owned())
}

fn parse_origins(value: &str) -> Result<Vec<String>, String> {
    let origins: Vec<String> = value.split(',').map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned).collect();
    match origins.iter().find(|origin| {
        let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
        !authority.is_some_and(|a| !a.is_empty() && !a.contains('/'))
    }) {
        Some(bad) => Err(format!("`{bad}` is not an origin like https://crm.example.com (no path, no trailing /)")),
        None => Ok(origins),
    }
}

fn parse_csp_sources(value: &str) -> Result<String, String> {
    if value.trim().is_empty() || value.contains([';', ',', '\n', '\r']) {
        return Err("expected CSP sources separated by spaces, e.g. 'self' https://crm.example.com".to_owned());
    }
    Ok(value.trim().to_owned())
}

/// Where settings are looked up: flags first, then the environment, then the file.
struct Sources<E> {
    flags: HashMap<&'static str, String>,
    env: E,
    file: HashMap<&'static str, String>,
}

impl<E: Fn(&str) -> Option<String>> Sources<E> {
    /// The value of `setting` and the flag, variable or file key it came from, if given.
    fn get(&self, setting: &Setting) -> Option<(String, String)> {
        if let Some(value) = self.flags.get(setting.flag) {
            return Some((value.clone(), setting.flag.to_owned()));
        }
        if let Some(value) = (self.env)(setting.env) {
            return Some((value, setting.env.to_owned()));
        }
        self.file.get(setting.flag).map(|value| (value.clone(), format!("config key `{}`", setting.key())))
    }

    /// The value of `setting` (or `default`) parsed by `parse`, whose error is the reason.
    fn parse<T>(
        &self,
        setting: &Setting,
        default: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        let (value, origin) = self.get(setting).unwrap_or_else(|| (default.to_owned(), "default".to_owned()));
        parse(&value).map_err(|reason| ConfigError::Invalid { origin, value, reason })
    }

    /// A secret: from the file named by `file_setting`, or from the `secret` variable.
    fn secret(&self, file_setting: &Setting, secret: &Setting) -> Result<Option<(String, String)>, ConfigError> {
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

    /// The token and the file it was read from: `--token-file`, else `PROXY_TOKEN_FILE` or
    /// `PROXY_TOKEN` (not both), else the file's `token-file`.
    fn token(&self) -> Result<(Secret, Option<PathBuf>), ConfigError> {
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
    fn upstream(&self) -> Result<(Upstream, bool), ConfigError> {
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

    fn client_identity(&self) -> Result<Option<ClientIdentity>, ConfigError> {
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

    fn access(&self) -> Result<AccessPolicy, ConfigError> {
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
        Ok(AccessPolicy::SignedSession { owner_no, key })
    }
}

/// Reads a file named by the setting `origin`.
fn read_file(path: &str, origin: &str) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::File {
        origin: origin.to_owned(),
        path: path.into(),
        source,
    })
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

    const TOKEN_VALUE: &str = "s3cr3t-token";

    fn env_with<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    /// Parses with `vars` and, unless they name their own, the ledger `100200`, the trusted
    /// mode and an `https://` upstream.
    fn parse(args: &[&str], vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut vars = vars.to_vec();
        for (name, value) in
            [("PROXY_OWNER_NO", "100200"), ("PROXY_ACCESS", "trusted"), ("PROXY_UPSTREAM", "https://api.billing.test")]
        {
            if !vars.iter().any(|(given, _)| *given == name) {
                vars.push((name, value));
            }
        }
        Config::parse(args.iter().copied(), env_with(&vars))
    }

    #[test]
    fn defaults_beside_the_required_settings() {
        let required = [
            ("PROXY_TOKEN", TOKEN_VALUE),
            ("PROXY_OWNER_NO", "100200"),
            ("PROXY_ACCESS", "trusted"),
            ("PROXY_UPSTREAM", "https://lf-api.payex.com"),
        ];
        let config = Config::parse(Vec::<String>::new(), env_with(&required)).unwrap();
        assert_eq!(config.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(config.admin_listen, "127.0.0.1:9090".parse().unwrap());
        assert_eq!(config.upstream.to_string(), "https://lf-api.payex.com");
        assert!(!config.allow_insecure_upstream);
        assert_eq!(config.token.expose(), TOKEN_VALUE);
        assert!(matches!(config.access, AccessPolicy::Trusted { scope: Scope::Read, .. }), "read-only by default");
        assert!(config.allowed_origins.is_empty());
        assert_eq!(config.static_dir, PathBuf::from("dist"));
        assert_eq!(config.upstream_timeout, Duration::from_secs(15));
        assert_eq!(config.max_body_bytes, 256 * 1024);
    }

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
    fn read_write_needs_allowed_origins() {
        let vars = [("PROXY_TOKEN", TOKEN_VALUE), ("PROXY_TRUSTED_SCOPE", "read-write")];
        let err = parse(&[], &vars).unwrap_err().to_string();
        assert!(err.contains("allowed-origins") && err.contains("PROXY_ALLOWED_ORIGINS"), "{err}");
        let config = parse(&["--allowed-origins", "https://crm.example.com"], &vars).unwrap();
        assert!(matches!(config.access, AccessPolicy::Trusted { scope: Scope::ReadWrite, .. }));
        assert_eq!(config.allowed_origins, ["https://crm.example.com"]);
    }

    #[test]
    fn the_admin_listener_is_its_own_setting() {
        let config = parse(&["--admin-listen", "127.0.0.1:9999"], &[("PROXY_TOKEN", TOKEN_VALUE)]).unwrap();
        assert_eq!(config.admin_listen, "127.0.0.1:9999".parse().unwrap());
        let err = parse(&[], &[("PROXY_TOKEN", TOKEN_VALUE), ("PROXY_ADMIN_LISTEN", "9090")]).unwrap_err();
        assert!(err.to_string().starts_with("invalid PROXY_ADMIN_LISTEN `9090`"), "{err}");
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
    fn debug_output_does_not_show_the_token() {
        let config = parse(&[], &[("PROXY_TOKEN", TOKEN_VALUE)]).unwrap();
        let debug = format!("{config:?}");
        assert!(debug.contains("[redacted]") && !debug.contains(TOKEN_VALUE), "{debug}");
    }

    /// A file in the temp directory holding `text`, removed when dropped (also when the test
    /// fails).
    struct TempFile(PathBuf);

    impl TempFile {
        fn to_str(&self) -> Option<&str> {
            self.0.to_str()
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn temp_file(name: &str, text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("billing-proxy-{name}-{}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        TempFile(path)
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
        let AccessPolicy::SignedSession { key: session_key, .. } = &config.access else { panic!("not a session") };
        assert_eq!(session_key.algorithm(), jsonwebtoken::Algorithm::HS256);
        drop(key);
    }

    fn fixture(name: &str) -> String {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).to_string_lossy().into_owned()
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

    #[test]
    fn worker_threads_default_to_one_per_core_and_are_bounded() {
        assert_eq!(parse(&[], &[("PROXY_TOKEN", TOKEN_VALUE)]).unwrap().worker_threads, 0);
        let single = parse(&["--worker-threads", "1"], &[("PROXY_TOKEN", TOKEN_VALUE)]).unwrap();
        assert_eq!(single.worker_threads, 1);
        let err = parse(&["--worker-threads", "100000"], &[("PROXY_TOKEN", TOKEN_VALUE)]).unwrap_err();
        assert!(err.to_string().contains("worker-threads"), "{err}");
    }

    #[test]
    fn bounds_have_defaults_and_refuse_zero() {
        let token = [("PROXY_TOKEN", TOKEN_VALUE)];
        let config = parse(&[], &token).unwrap();
        assert_eq!(config.max_upstream_body_bytes, 16 * 1024 * 1024);
        assert_eq!(config.max_upstream_concurrency, 64);
        assert_eq!(config.upstream_queue_timeout, Duration::from_secs(2));
        assert_eq!(config.max_connections, 1024);
        assert_eq!(config.header_read_timeout, Duration::from_secs(30));
        assert_eq!(config.body_read_timeout, Duration::from_secs(10));
        assert_eq!(config.hsts_max_age, None, "HSTS belongs to the TLS terminator unless asked for");
        let hsts = parse(&["--hsts-max-age-s", "31536000"], &token).unwrap();
        assert_eq!(hsts.hsts_max_age, Some(Duration::from_secs(31_536_000)));
        for flag in [
            "--max-upstream-body-bytes",
            "--max-upstream-concurrency",
            "--upstream-queue-timeout-ms",
            "--max-connections",
            "--header-read-timeout-ms",
            "--body-read-timeout-ms",
        ] {
            assert!(
                matches!(parse(&[flag, "0"], &token), Err(ConfigError::Invalid { origin, .. }) if origin == flag),
                "{flag} 0"
            );
        }
    }

    #[test]
    fn the_example_configuration_has_known_keys_only() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/billing-proxy.toml");
        let settings = read_config_file(&example).unwrap();
        assert!(settings.contains_key("--owner-no") && settings.contains_key("--session-key-file"));
    }
}
