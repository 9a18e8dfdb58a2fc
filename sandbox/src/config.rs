//! Sandbox settings: defaults, overridden by environment variables, overridden by flags.

use crate::fault::Faults;
use crate::paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::variants::Variants;
use crate::{DEMO_OWNER_NO, DEMO_TOKEN};
use billing_contract::ids::IdKind;
use std::net::SocketAddr;

/// The default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8081";

/// Command-line help.
pub const USAGE: &str = "\
usage: billing-sandbox [--listen ADDR] [--owner-no OWNER] [--token TOKEN] [--page-size N] [--fault RULES]
                      [--variants MODE]

  --listen ADDR      address to listen on (env SANDBOX_LISTEN, default 127.0.0.1:8081)
  --owner-no OWNER   the ledger the token is for (env SANDBOX_OWNER_NO, default 100200)
  --token TOKEN      the bearer token clients must send (env SANDBOX_TOKEN, default sandbox-token)
  --page-size N      default page size, 1 to 1000 (env SANDBOX_PAGE_SIZE, default 500)
  --fault RULES      misbehave for tests: none, slow:MILLISECONDS, failing (503 problems) or
                     garbling (200 with a broken body), everywhere or, as MODE@/PATH, only
                     under a path; comma-separated, the first that applies decides; or gallery:
                     the states demo/gallery.html shows (env SANDBOX_FAULT, default none)
  --variants MODE    none, or documented: answer as a stricter reading of PayEx's documentation
                     would (customers without @id, nulls, PascalCase problems, unknown fields,
                     invoice summaries, an unreadable line, a link loop, foreign links)
                     (env SANDBOX_VARIANTS, default none)";

/// How the sandbox runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The one bearer token accepted.
    pub token: String,
    /// The one ledger (`ownerNo`) the token is for.
    pub owner_no: String,
    /// The page size of collections when the client names none.
    pub page_size_default: usize,
    /// How the sandbox misbehaves, and where (for fault tests and the gallery).
    pub faults: Faults,
    /// Which documented variants the answers take (for tolerance tests).
    pub variants: Variants,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8081)),
            token: DEMO_TOKEN.into(),
            owner_no: DEMO_OWNER_NO.into(),
            page_size_default: DEFAULT_PAGE_SIZE,
            faults: Faults::default(),
            variants: Variants::None,
        }
    }
}

/// Why the settings cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `--help` was asked for.
    #[error("{USAGE}")]
    Help,
    /// A flag nobody knows.
    #[error("unknown argument {0:?}\n{USAGE}")]
    UnknownArgument(String),
    /// A flag without its value.
    #[error("{0} needs a value")]
    MissingValue(String),
    /// A value that cannot be used.
    #[error("{setting} {value:?}: {reason}")]
    Invalid { setting: String, value: String, reason: String },
}

/// The settings, each with its flag and environment variable.
#[derive(Clone, Copy)]
enum Setting {
    Listen,
    OwnerNo,
    Token,
    PageSize,
    Fault,
    Variants,
}

impl Setting {
    const ALL: [Setting; 6] =
        [Setting::Listen, Setting::OwnerNo, Setting::Token, Setting::PageSize, Setting::Fault, Setting::Variants];

    fn flag(self) -> &'static str {
        match self {
            Setting::Listen => "--listen",
            Setting::OwnerNo => "--owner-no",
            Setting::Token => "--token",
            Setting::PageSize => "--page-size",
            Setting::Fault => "--fault",
            Setting::Variants => "--variants",
        }
    }

    fn env(self) -> &'static str {
        match self {
            Setting::Listen => "SANDBOX_LISTEN",
            Setting::OwnerNo => "SANDBOX_OWNER_NO",
            Setting::Token => "SANDBOX_TOKEN",
            Setting::PageSize => "SANDBOX_PAGE_SIZE",
            Setting::Fault => "SANDBOX_FAULT",
            Setting::Variants => "SANDBOX_VARIANTS",
        }
    }

    fn apply(self, config: &mut Config, value: String) -> Result<(), ConfigError> {
        let invalid =
            |reason: String| ConfigError::Invalid { setting: self.flag().into(), value: value.clone(), reason };
        match self {
            Setting::Listen => config.listen = value.parse().map_err(|e| invalid(format!("{e}")))?,
            Setting::OwnerNo => {
                IdKind::Owner.validate(&value).map_err(|e| invalid(e.to_string()))?;
                config.owner_no = value;
            }
            Setting::Token => {
                if value.trim().is_empty() || value.chars().any(char::is_whitespace) {
                    return Err(invalid("must be non-empty without spaces".into()));
                }
                config.token = value;
            }
            Setting::PageSize => {
                config.page_size_default = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                    .ok_or_else(|| invalid(format!("must be 1 to {MAX_PAGE_SIZE}")))?;
            }
            Setting::Fault => config.faults = Faults::parse(&value).map_err(invalid)?,
            Setting::Variants => config.variants = Variants::parse(&value).map_err(invalid)?,
        }
        Ok(())
    }
}

impl Config {
    /// Reads the process environment and command line.
    pub fn load() -> Result<Config, ConfigError> {
        Config::from_sources(|name| std::env::var(name).ok(), std::env::args().skip(1))
    }

    /// Defaults, then `env` variables, then `args` flags (`--flag value` or `--flag=value`).
    pub fn from_sources(
        env: impl Fn(&str) -> Option<String>,
        args: impl IntoIterator<Item = String>,
    ) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        for setting in Setting::ALL {
            if let Some(value) = env(setting.env()) {
                setting.apply(&mut config, value)?;
            }
        }
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "-h" || arg == "--help" {
                return Err(ConfigError::Help);
            }
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
                None => (arg.clone(), None),
            };
            let setting = Setting::ALL
                .into_iter()
                .find(|s| s.flag() == flag)
                .ok_or_else(|| ConfigError::UnknownArgument(arg.clone()))?;
            let value = inline.or_else(|| args.next()).ok_or(ConfigError::MissingValue(flag))?;
            setting.apply(&mut config, value)?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_then_env_then_flags() {
        let none = |_: &str| None;
        assert_eq!(Config::from_sources(none, []).unwrap(), Config::default());
        assert_eq!(Config::default().listen.to_string(), DEFAULT_LISTEN);
        let env = |name: &str| (name == "SANDBOX_OWNER_NO").then(|| "777".to_string());
        let config =
            Config::from_sources(env, args(&["--listen", "0.0.0.0:9000", "--token=abc", "--page-size", "20"])).unwrap();
        assert_eq!(config.owner_no, "777");
        assert_eq!(config.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(config.token, "abc");
        assert_eq!(config.page_size_default, 20);
        let config = Config::from_sources(env, args(&["--owner-no", "888"])).unwrap();
        assert_eq!(config.owner_no, "888");
        assert_eq!(config.variants, Variants::None);
        let env = |name: &str| (name == "SANDBOX_VARIANTS").then(|| "documented".to_string());
        assert_eq!(Config::from_sources(env, []).unwrap().variants, Variants::Documented);
        assert_eq!(
            Config::from_sources(none, args(&["--variants=documented"])).unwrap().variants,
            Variants::Documented
        );
    }

    #[test]
    fn rejects_bad_input() {
        let none = |_: &str| None;
        assert_eq!(Config::from_sources(none, args(&["--help"])), Err(ConfigError::Help));
        assert!(matches!(Config::from_sources(none, args(&["--nope"])), Err(ConfigError::UnknownArgument(_))));
        assert!(matches!(Config::from_sources(none, args(&["--token"])), Err(ConfigError::MissingValue(_))));
        for bad in [
            ["--listen", "nowhere"],
            ["--owner-no", "1 2"],
            ["--page-size", "0"],
            ["--token", "a b"],
            ["--variants", "loose"],
        ] {
            assert!(matches!(Config::from_sources(none, args(&bad)), Err(ConfigError::Invalid { .. })), "{bad:?}");
        }
    }
}
