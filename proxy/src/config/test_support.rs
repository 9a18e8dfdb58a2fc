//! What the configuration tests share: an environment from a list, a parse with the required
//! settings filled in, temporary files and fixtures.

use super::{Config, ConfigError};
use std::path::{Path, PathBuf};

pub(super) const TOKEN_VALUE: &str = "s3cr3t-token";

pub(super) fn env_with<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
}

/// Parses with `vars` and, unless they name their own, the ledger `100200`, the trusted
/// mode and an `https://` upstream.
pub(super) fn parse(args: &[&str], vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
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

/// A file in the temp directory holding `text`, removed when dropped (also when the test
/// fails).
pub(super) struct TempFile(PathBuf);

impl TempFile {
    pub(super) fn to_str(&self) -> Option<&str> {
        self.0.to_str()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

pub(super) fn temp_file(name: &str, text: &str) -> TempFile {
    let path = std::env::temp_dir().join(format!("billing-proxy-{name}-{}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    TempFile(path)
}

pub(super) fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).to_string_lossy().into_owned()
}
