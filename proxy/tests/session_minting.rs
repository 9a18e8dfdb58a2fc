//! A host backend mints sessions with an ordinary JWT library, nothing of ours: the examples
//! `proxy/examples/mint_session.py` (PyJWT) and `proxy/examples/mint-session.mjs` (jose) are
//! run as they are documented, for HS256 and EdDSA, and their tokens are checked with the
//! proxy's verifier, as is a tampered copy.
//!
//! A missing tool (python3 with PyJWT and cryptography, node with jose) fails the test in CI
//! (`CI=true`); elsewhere the test says loudly that it skipped. `scripts/setup.sh` installs both.

use billing_proxy::session::{Scope, SessionError, SessionKey, DEFAULT_AUDIENCE};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

/// A 64-character HS256 key, as `openssl rand -hex 32` prints one.
const HS256_KEY: &str = "7f3c9a1e5b2d4f6081a3c5e7092b4d6f8a1c3e5072946b8dafc1e3f5a7092b4d";
const CUSTOMER: &str = "Åkesson & Co/7";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Whether `probe` runs successfully; if not, fails in CI and says so loudly elsewhere.
fn available(tool: &str, install: &str, probe: &mut Command) -> bool {
    let ok = probe.current_dir(root()).output().is_ok_and(|output| output.status.success());
    if !ok {
        let message = format!("{tool} is missing: {install} (or run scripts/setup.sh)");
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
        eprintln!("\n!!! SKIPPED: {message}; session minting with {tool} is NOT tested here !!!\n");
    }
    ok
}

/// Runs `program args…` from the repository root and returns the one line it prints.
fn mint(program: &str, script: &str, algorithm: &str, key_file: &Path, scope: &str) -> String {
    let output = Command::new(program)
        .current_dir(root())
        .arg(script)
        .args([algorithm, key_file.to_str().unwrap(), "100200", CUSTOMER, "user-1", scope])
        .output()
        .unwrap();
    assert!(output.status.success(), "{script} {algorithm}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn hs256_key_file(library: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("billing-proxy-minting-{library}-{}", std::process::id()));
    std::fs::write(&path, format!("{HS256_KEY}\n")).unwrap();
    path
}

/// Checks both tokens of one library: what they say, that they verify with the configured
/// key and algorithm only, and that a changed payload under the same signature is refused.
fn check(library: &str, hs256_token: &str, eddsa_token: &str) {
    let lifetime = Duration::from_secs(900);
    let hs256 = SessionKey::hs256(HS256_KEY.as_bytes(), DEFAULT_AUDIENCE, lifetime).unwrap();
    let public_pem = std::fs::read(fixture("session-ed25519.pub.pem")).unwrap();
    let eddsa = SessionKey::ed25519(&public_pem, DEFAULT_AUDIENCE, lifetime).unwrap();
    let now = SystemTime::now();

    let session = hs256.verify(hs256_token, now).unwrap_or_else(|err| panic!("{library} HS256: {err}"));
    assert_eq!((session.owner_no.as_str(), session.customer_no.as_str()), ("100200", CUSTOMER));
    assert_eq!((session.sub.as_str(), session.scope), ("user-1", Scope::Read));
    assert_eq!(session.exp - session.iat, 600, "{library}");
    let session = eddsa.verify(eddsa_token, now).unwrap_or_else(|err| panic!("{library} EdDSA: {err}"));
    assert_eq!((session.customer_no.as_str(), session.scope), (CUSTOMER, Scope::ReadWrite));

    // Each token verifies with its own algorithm's key only.
    assert_eq!(eddsa.verify(hs256_token, now), Err(SessionError::BadSignature), "{library}");
    assert_eq!(hs256.verify(eddsa_token, now), Err(SessionError::BadSignature), "{library}");
    let other_audience = SessionKey::hs256(HS256_KEY.as_bytes(), "another-service", lifetime).unwrap();
    assert_eq!(other_audience.verify(hs256_token, now), Err(SessionError::WrongAudience), "{library}");

    // Tampered: another customer's claims under the original signature.
    for (token, key) in [(hs256_token, &hs256), (eddsa_token, &eddsa)] {
        let [header, payload, signature]: [&str; 3] = token.split('.').collect::<Vec<_>>().try_into().unwrap();
        let claims = base64_url_decode(payload);
        let forged_claims = String::from_utf8(claims).unwrap().replace("Co/7", "Co/8");
        let forged = format!("{header}.{}.{signature}", base64_url_encode(forged_claims.as_bytes()));
        assert_ne!(forged, token);
        assert_eq!(key.verify(&forged, now), Err(SessionError::BadSignature), "{library} tampered");
    }
}

fn base64_url_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).unwrap()
}

fn base64_url_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn tokens_minted_with_python_pyjwt_verify() {
    let install = "pip install --user pyjwt cryptography";
    if !available(
        "python3 with PyJWT and cryptography",
        install,
        Command::new("python3").args(["-c", "import jwt, cryptography"]),
    ) {
        return;
    }
    let script = "proxy/examples/mint_session.py";
    let key_file = hs256_key_file("pyjwt");
    let hs256 = mint("python3", script, "HS256", &key_file, "read");
    let eddsa = mint("python3", script, "EdDSA", &fixture("session-ed25519.pem"), "read-write");
    std::fs::remove_file(key_file).unwrap();
    check("PyJWT", &hs256, &eddsa);
}

#[test]
fn tokens_minted_with_node_jose_verify() {
    let mut probe = Command::new("node");
    probe.args(["--input-type=module", "-e", "await import('jose')"]);
    if !available("node with the npm package jose", "npm ci (jose is a devDependency)", &mut probe) {
        return;
    }
    let script = "proxy/examples/mint-session.mjs";
    let key_file = hs256_key_file("jose");
    let hs256 = mint("node", script, "HS256", &key_file, "read");
    let eddsa = mint("node", script, "EdDSA", &fixture("session-ed25519.pem"), "read-write");
    std::fs::remove_file(key_file).unwrap();
    check("jose", &hs256, &eddsa);
}
