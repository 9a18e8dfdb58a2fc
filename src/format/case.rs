//! Letter case for searching and for sentences, by the browser's own Unicode tables.
//!
//! Rust's `str::to_lowercase` brings its Unicode case tables (about 25 KB) into the wasm; the
//! browser already has them. In the browser these functions ask JavaScript, many texts in one
//! call; elsewhere (native tests) they use the standard library. Both follow Unicode's default
//! case mapping, so the results are the same. [`BrowserLowercase`] hands [`lowercase_all`] to
//! the model, which declares the letter case it needs but cannot call the browser itself.
//!
//! # Usage
//!
//! ```
//! use billing_widget::format::case::{lowercase_all, capitalized};
//! assert_eq!(lowercase_all(&["Roaming ÅLAND", "SMS"]), ["roaming åland", "sms"]);
//! assert_eq!(capitalized("är inget tal"), "Är inget tal");
//! ```

use crate::model::text::Lowercase;

/// The browser's lower-casing ([`lowercase_all`]) for the model's filter and sort.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BrowserLowercase;

impl Lowercase for BrowserLowercase {
    fn lowercase_all(&self, texts: &[&str]) -> Vec<String> {
        lowercase_all(texts)
    }
}

/// Separates the texts of one batch; a text that contains it is lower-cased on its own.
#[cfg(target_arch = "wasm32")]
const SEPARATOR: &str = "\u{1f}";

/// Each text in lower case, in the same order.
pub fn lowercase_all<S: AsRef<str>>(texts: &[S]) -> Vec<String> {
    if texts.is_empty() {
        return Vec::new();
    }
    #[cfg(target_arch = "wasm32")]
    {
        let batchable = texts.iter().all(|t| !t.as_ref().contains(SEPARATOR));
        if batchable {
            let joined = texts.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(SEPARATOR);
            let lowered = String::from(js_sys::JsString::from(joined).to_lower_case());
            let parts: Vec<String> = lowered.split(SEPARATOR).map(str::to_owned).collect();
            if parts.len() == texts.len() {
                return parts;
            }
        }
        texts.iter().map(|t| String::from(js_sys::JsString::from(t.as_ref()).to_lower_case())).collect()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        texts.iter().map(|t| t.as_ref().to_lowercase()).collect()
    }
}

/// The text with its first letter in upper case: "är inget tal" reads "Är inget tal".
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return String::new() };
    #[cfg(target_arch = "wasm32")]
    let mut out = String::from(js_sys::JsString::from(first.to_string()).to_upper_case());
    #[cfg(not(target_arch = "wasm32"))]
    let mut out: String = first.to_uppercase().collect();
    out.push_str(chars.as_str());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_nordic_letters_and_keeps_order() {
        assert_eq!(lowercase_all(&["ÆØÅ ÄÖ", "", "Mobilt Bredband"]), ["æøå äö", "", "mobilt bredband"]);
    }

    #[test]
    fn capitalizes_the_first_letter_only() {
        assert_eq!(capitalized("är inget tal"), "Är inget tal");
        assert_eq!(capitalized("must be a NUMBER"), "Must be a NUMBER");
        assert_eq!(capitalized(""), "");
    }
}
