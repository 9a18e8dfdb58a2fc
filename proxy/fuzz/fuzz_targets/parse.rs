//! Any bytes, as a request target and as a session token: the properties of
//! `billing_proxy::fuzz_support` must hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        billing_proxy::fuzz_support::check_target(text);
        billing_proxy::fuzz_support::check_token(text);
    }
});
