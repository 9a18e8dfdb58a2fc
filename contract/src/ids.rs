//! Identifiers and how they travel in paths.
//!
//! \[doc\] Identifiers are strings. A customer number is 1-15 characters matching PayEx's pattern
//! `[a-zA-Z0-9äåöÄÅÖ&/_ -.]*`, whose ` -.` is a character *range* (space to full stop), so it
//! also admits `!"#$%'()*+,`. \[assumed\] An identifier always travels as ONE percent-encoded path
//! segment (`AB/123` becomes `AB%2F123`), and the other identifiers follow the same character
//! set with the lengths below.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Every byte except RFC 3986's unreserved characters is encoded, so `/`, space, `&`, `%` and
/// non-ASCII letters can never be read as path or query structure.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Encodes an identifier as one path segment (or one query value).
pub fn encode_segment(id: &str) -> String {
    let mut segment = String::with_capacity(id.len());
    push_segment(&mut segment, id);
    segment
}

/// Appends `id` encoded as one path segment (or one query value) to `out`, as
/// [`encode_segment`] encodes it.
pub fn push_segment(out: &mut String, id: &str) {
    out.extend(utf8_percent_encode(id, SEGMENT));
}

/// Decodes one path segment exactly once. Fails on invalid UTF-8.
pub fn decode_segment(segment: &str) -> Result<String, IdError> {
    percent_decode_str(segment).decode_utf8().map(|s| s.into_owned()).map_err(|_| IdError::NotUtf8)
}

/// The kinds of identifier in PayEx Billing routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    /// `ownerNo`: the ledger number [assumed: 1-20 letters, digits, `-` or `_`].
    Owner,
    /// `customerNo` [doc: 1-15 characters of the customer pattern].
    Customer,
    /// `subscriptionNo` [assumed: 1-30 characters of the customer pattern].
    Subscription,
    /// `invoiceNo` [assumed: 1-30 characters of the customer pattern].
    Invoice,
    /// `recurringProductNo` [assumed: 1-30 characters of the customer pattern].
    RecurringProduct,
}

impl IdKind {
    /// The JSON field name of this identifier.
    pub fn field(self) -> &'static str {
        match self {
            IdKind::Owner => "ownerNo",
            IdKind::Customer => "customerNo",
            IdKind::Subscription => "subscriptionNo",
            IdKind::Invoice => "invoiceNo",
            IdKind::RecurringProduct => "recurringProductNo",
        }
    }

    fn max_chars(self) -> usize {
        match self {
            IdKind::Owner => 20,
            IdKind::Customer => 15,
            _ => 30,
        }
    }

    fn allows(self, c: char) -> bool {
        match self {
            IdKind::Owner => c.is_ascii_alphanumeric() || c == '-' || c == '_',
            _ => c.is_ascii_alphanumeric() || "äåöÄÅÖ&/_".contains(c) || (' '..='.').contains(&c),
        }
    }

    /// Checks an identifier (already decoded) against the contract's pattern for its kind.
    pub fn validate(self, id: &str) -> Result<(), IdError> {
        let chars = id.chars().count();
        if chars == 0 || chars > self.max_chars() {
            return Err(IdError::Length { field: self.field(), max: self.max_chars() });
        }
        match id.chars().find(|&c| !self.allows(c)) {
            Some(c) => Err(IdError::Character { field: self.field(), character: c }),
            None => Ok(()),
        }
    }
}

/// Why an identifier is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Empty or too long.
    #[error("{field} must be 1 to {max} characters long")]
    Length { field: &'static str, max: usize },
    /// Holds a character outside the pattern.
    #[error("{field} may not contain {character:?}")]
    Character { field: &'static str, character: char },
    /// The percent-encoding does not decode to UTF-8.
    #[error("the identifier is not valid percent-encoded UTF-8")]
    NotUtf8,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_stay_in_one_segment() {
        assert_eq!(encode_segment("AB/123"), "AB%2F123");
        assert_eq!(encode_segment("Åkesson & Co/7"), "%C3%85kesson%20%26%20Co%2F7");
        assert_eq!(encode_segment("15615616"), "15615616");
        assert_eq!(decode_segment("%C3%85kesson%20%26%20Co%2F7").unwrap(), "Åkesson & Co/7");
    }

    #[test]
    fn decoding_happens_exactly_once() {
        assert_eq!(decode_segment("AB%252F1").unwrap(), "AB%2F1");
        assert_eq!(decode_segment("%FF"), Err(IdError::NotUtf8));
    }

    #[test]
    fn customer_numbers_follow_the_published_pattern() {
        assert!(IdKind::Customer.validate("15615616").is_ok());
        assert!(IdKind::Customer.validate("Åkesson & Co/7").is_ok());
        // The range ` -.` in PayEx's pattern admits these as well.
        assert!(IdKind::Customer.validate("A+B,(C)").is_ok());
        assert!(IdKind::Customer.validate("").is_err());
        assert!(IdKind::Customer.validate("1234567890123456").is_err());
        assert!(IdKind::Customer.validate("a?b").is_err());
        assert!(IdKind::Customer.validate("ü").is_err());
        assert!(IdKind::Owner.validate("100200").is_ok());
        assert!(IdKind::Owner.validate("10 20").is_err());
    }
}
