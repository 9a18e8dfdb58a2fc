//! Letter case for the lines' filter and sort, which the model needs and cannot provide itself.
//!
//! Lower-casing needs Unicode's case tables. Rust's `str::to_lowercase` links them into the
//! wasm (about 25 KB) although the browser already has them, and the model may not call the
//! browser (it is plain Rust, tested natively). So the model's functions that lower-case take a
//! [`Lowercase`]: the views hand in the browser's (`format::case::BrowserLowercase`), native
//! code and tests [`StdLowercase`]. The functions are generic over it, so only the one that is
//! handed in is linked: the wasm holds no copy of the standard library's tables.
//!
//! # Usage
//!
//! ```
//! use billing_widget::model::text::{Lowercase, StdLowercase};
//! assert_eq!(StdLowercase.lowercase_all(&["Roaming ÅLAND", "SMS"]), ["roaming åland", "sms"]);
//! ```

/// Lower-cases texts for searching and sorting.
pub trait Lowercase {
    /// Each of `texts` in lower case by Unicode's default case mapping, in the same order.
    /// Many texts in one call: a call into the browser has a cost of its own.
    fn lowercase_all(&self, texts: &[&str]) -> Vec<String>;
}

/// Lower-cases with the standard library (`str::to_lowercase`): for native code and tests. Not
/// for the browser, where it would add the standard library's case tables to the wasm.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StdLowercase;

impl Lowercase for StdLowercase {
    fn lowercase_all(&self, texts: &[&str]) -> Vec<String> {
        texts.iter().map(|text| text.to_lowercase()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_nordic_letters_and_keeps_every_text_in_its_place() {
        assert_eq!(
            StdLowercase.lowercase_all(&["ÆØÅ ÄÖ", "", "Mobilt Bredband", "ÜBERSICHT ÕÞÐ"]),
            ["æøå äö", "", "mobilt bredband", "übersicht õþð"]
        );
        assert!(StdLowercase.lowercase_all(&[]).is_empty());
    }

    #[test]
    fn follows_unicodes_default_mapping_as_the_browser_does() {
        // Final sigma depends on its place in the word; dotted capital I becomes two characters.
        assert_eq!(StdLowercase.lowercase_all(&["ΟΔΟΣ ΣΑΣ", "İ"]), ["οδος σας", "i\u{307}"]);
        // Lower case and signs stay as they are.
        assert_eq!(StdLowercase.lowercase_all(&["åland 4g/5g – 50 %"]), ["åland 4g/5g – 50 %"]);
    }
}
