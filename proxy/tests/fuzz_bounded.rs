//! A bounded fuzz test on stable Rust, run by `cargo test` (and so by CI) in about a second:
//! random request targets built from the pieces that matter (dot segments, escapes of every
//! kind, separators, identifiers, query parameters) and random or mutated session tokens,
//! checked against the properties in `billing_proxy::fuzz_support`. The coverage-guided
//! `cargo fuzz` target in `proxy/fuzz` checks the same properties for as long as it is run.

use billing_proxy::fuzz_support::{check_target, check_token};
use billing_proxy::session::{Scope, Session, SessionKey};
use std::time::Duration;

/// xorshift64*: deterministic, so a failure reproduces; the seed can be changed by
/// `FUZZ_SEED`, the number of cases by `FUZZ_CASES`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PIECES: &[&str] = &[
    "customers",
    "subscriptions",
    "recurring-products",
    "invoices",
    "100200",
    "15615616",
    "603001",
    "Åkesson",
    "%C3%85kesson%20%26%20Co%2F7",
    "V%C3%A4xel%201%2FA",
    "..",
    ".",
    "%2e",
    "%2E%2e",
    "%2F",
    "%2f",
    "%25",
    "%252F",
    "%",
    "%G1",
    "%C3",
    "%FF",
    "%00",
    "%0D%0A",
    "\\",
    "%5C",
    " ",
    "+",
    "&",
    "=",
    "?",
    "#",
    ";",
    "@",
    ":",
    "~",
    "'",
    "(",
    ")",
    "*",
    "a",
    "Z",
    "0",
    "-",
    "_",
    "ä",
    "\u{0}",
    "page",
    "pageSize",
    "customerNo",
];

/// Route shapes with `ID` where an identifier goes.
const SHAPES: &[&str] = &[
    "/billing/customer/v1/100200/customers/ID",
    "/billing/customer/v1/ID/customers/ID/recurring-products/ID",
    "/billing/customer/v1/100200/customers/ID/subscriptions/ID/recurring-products",
    "/billing/invoice/v1/100200/invoices",
    "/billing/invoice/v1/100200/invoices/ID/subscriptions/ID/recurring-products",
];

fn cases() -> usize {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(30_000)
}

fn rng() -> Rng {
    Rng(std::env::var("FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x9E37_79B9_7F4A_7C15))
}

#[test]
fn random_targets_keep_the_route_properties() {
    let mut rng = rng();
    let mut accepted = 0;
    for _ in 0..cases() {
        let mut target = if rng.below(2) == 0 {
            // A route's shape with random identifiers, so that many targets are accepted.
            let shape = rng.pick(SHAPES);
            let parts: Vec<String> = shape
                .split('/')
                .map(|part| match part {
                    "ID" => (0..=rng.below(3)).map(|_| rng.pick(PIECES)).collect(),
                    fixed => fixed.to_owned(),
                })
                .collect();
            parts.join("/")
        } else {
            let api = rng.pick(&["/billing/customer/v1/", "/billing/invoice/v1/", "/billing/customer/v1", "/"]);
            let mut target = String::from(api);
            for index in 0..rng.below(9) {
                if index > 0 {
                    target.push('/');
                }
                for _ in 0..=rng.below(3) {
                    target.push_str(rng.pick(PIECES));
                }
            }
            target
        };
        if rng.below(3) == 0 {
            target.push('?');
            for index in 0..rng.below(4) {
                if index > 0 {
                    target.push('&');
                }
                target.push_str(rng.pick(&["page", "pageSize", "customerNo", "x", ""]));
                if rng.below(5) > 0 {
                    target.push('=');
                }
                for _ in 0..rng.below(3) {
                    target.push_str(rng.pick(PIECES));
                }
            }
        }
        accepted += usize::from(check_target(&target));
    }
    assert!(accepted > cases() / 50, "too few targets accepted to test anything: {accepted}");
}

#[test]
fn known_good_targets_pass_the_properties() {
    for target in [
        "/billing/customer/v1/100200/customers/%C3%85kesson%20%26%20Co%2F7/subscriptions/V%C3%A4xel%201%2FA/recurring-products?page=2",
        "/billing/invoice/v1/100200/invoices?customerNo=A+%26+B&pageSize=10&page=2",
        "/billing/customer/v1/100200/customers/A(1)",
    ] {
        assert!(check_target(target), "{target}");
    }
}

#[test]
fn random_and_mutated_tokens_never_verify_as_something_else() {
    let mut rng = rng();
    let key = SessionKey::new(b"fuzz-key-0123456789abcdef-0123456789", Duration::from_secs(3600)).unwrap();
    let session = Session {
        sub: "user-1".into(),
        owner_no: "100200".into(),
        customer_no: "Åkesson & Co/7".into(),
        scope: Scope::Read,
        iat: 2_000_000_000,
        nbf: None,
        exp: 2_000_000_600,
    };
    let valid = key.sign(&session).unwrap();
    assert!(key.verify(&valid, std::time::UNIX_EPOCH + Duration::from_secs(2_000_000_000)).is_ok());
    check_token(&valid);
    let alphabet: Vec<char> =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %".chars().collect();
    for _ in 0..cases() / 3 {
        let mut token: Vec<char> = valid.chars().collect();
        match rng.below(4) {
            0 => {
                let at = rng.below(token.len());
                token[at] = alphabet[rng.below(alphabet.len())];
            }
            1 => token.truncate(rng.below(token.len())),
            2 => token.insert(rng.below(token.len()), alphabet[rng.below(alphabet.len())]),
            _ => token = (0..rng.below(200)).map(|_| alphabet[rng.below(alphabet.len())]).collect(),
        }
        check_token(&token.into_iter().collect::<String>());
    }
}
