//! The proxy's settings: a TOML file (`--config` / `PROXY_CONFIG`), overridden by environment
//! variables, overridden by command-line flags (12-factor). Every setting has one name in all
//! three: `upstream-timeout-ms` in the file, `PROXY_UPSTREAM_TIMEOUT_MS` in the environment,
//! `--upstream-timeout-ms` on the command line. Secrets (the bearer token, the session key, the
//! PKCS#12 password) are never taken from the command line.
//!
//! A bad setting fails at start with a message naming the setting, where it came from and what
//! to do.

mod access;
mod sources;
#[cfg(test)]
mod test_support;
mod upstream;
mod usage;
mod values;

pub use upstream::{check_token, ClientIdentity};
pub use usage::USAGE;

use crate::access::AccessPolicy;
use crate::secret::Secret;
use crate::session::Scope;
use crate::upstream::Upstream;
use sources::{
    Sources, ADMIN_LISTEN, ALLOWED_ORIGINS, BODY_READ_TIMEOUT_MS, CERT_EXPIRY_WARNING_DAYS, FRAME_ANCESTORS,
    HEADER_READ_TIMEOUT_MS, HSTS_MAX_AGE_S, LISTEN, LOG_FORMAT, MAX_BODY_BYTES, MAX_CONNECTIONS,
    MAX_UPSTREAM_BODY_BYTES, MAX_UPSTREAM_CONCURRENCY, RATE_LIMIT_BURST, RATE_LIMIT_PER_SECOND, STATIC_DIR,
    TOKEN_RELOAD_MS, UPSTREAM_CA, UPSTREAM_QUEUE_TIMEOUT_MS, UPSTREAM_TIMEOUT_MS, WORKER_THREADS,
};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use values::{
    parse_address, parse_bytes, parse_csp_sources, parse_hsts_max_age, parse_log_format, parse_millis, parse_number,
    parse_origins, parse_positive_bytes, parse_positive_count, parse_worker_threads,
};

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
        let sources = Sources::new(args, env)?;
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
            max_body_bytes: sources.parse(&MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, parse_bytes)?,
            max_upstream_body_bytes: sources.parse(
                &MAX_UPSTREAM_BODY_BYTES,
                DEFAULT_MAX_UPSTREAM_BODY_BYTES,
                parse_positive_bytes,
            )?,
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
            hsts_max_age: sources.parse(&HSTS_MAX_AGE_S, "0", parse_hsts_max_age)?,
            log_format: sources.parse(&LOG_FORMAT, "text", parse_log_format)?,
            worker_threads: sources.parse(&WORKER_THREADS, "0", parse_worker_threads)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_support::*;

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
    fn debug_output_does_not_show_the_token() {
        let config = parse(&[], &[("PROXY_TOKEN", TOKEN_VALUE)]).unwrap();
        let debug = format!("{config:?}");
        assert!(debug.contains("[redacted]") && !debug.contains(TOKEN_VALUE), "{debug}");
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
}
