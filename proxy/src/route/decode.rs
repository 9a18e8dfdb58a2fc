//! Decoding and checking what a request target carries: each path segment percent-decoded
//! exactly once (empty, dot and doubly encoded segments refused) and the query parameters a
//! route takes, decoded and checked against their rules.

use super::table::Query;
use super::RouteError;
use billing_contract::ids::IdKind;
use billing_contract::paths::{CUSTOMER_NO_PARAM, PAGE_PARAM, PAGE_SIZE_PARAM};
use percent_encoding::percent_decode_str;
use smallvec::SmallVec;
use std::borrow::Cow;

/// The largest `pageSize` forwarded: a page of this many items is already as much as one
/// answer should hold (the upstream answer's size is capped as well).
pub const MAX_PAGE_SIZE: u32 = 1_000;

/// Decodes one path segment or query value exactly once, refusing what must not pass (and
/// borrowing `raw` when it holds no escape).
pub(super) fn decode_once(raw: &str) -> Result<Cow<'_, str>, RouteError> {
    if raw.is_empty() {
        return Err(RouteError::EmptySegment);
    }
    // Only characters a browser sends unencoded in a segment may be raw; `%` must start a
    // valid escape.
    let bytes = raw.as_bytes();
    let mut index = 0;
    let mut escaped = false;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'%' {
            let escape = bytes.get(index + 1..index + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit));
            if !escape {
                return Err(RouteError::BadEncoding);
            }
            escaped = true;
            index += 3;
        } else if byte.is_ascii_alphanumeric() || b"-._~!$'()*+,;=:@".contains(&byte) {
            index += 1;
        } else {
            return Err(RouteError::BadEncoding);
        }
    }
    // Without an escape there is nothing to decode: the segment is itself (ASCII).
    let decoded = if escaped {
        percent_decode_str(raw).decode_utf8().map_err(|_| RouteError::BadEncoding)?
    } else {
        Cow::Borrowed(raw)
    };
    if decoded == "." || decoded == ".." {
        return Err(RouteError::DotSegment);
    }
    if escaped {
        if looks_encoded(&decoded) {
            return Err(RouteError::DoubleEncoded);
        }
        // An identifier may hold `/` (`AB/123`), but a hop that decodes `%2F` and removes dot
        // segments would read `..%2F..%2FX` as a move: no `/`-separated part may be `.` or `..`.
        // (Only an escape can bring `/` into a segment; control characters fail the identifier
        // pattern.)
        if decoded.split('/').any(|part| part == "." || part == "..") {
            return Err(RouteError::DotSegment);
        }
    }
    Ok(decoded)
}

/// True if `text` still holds a percent-escape (`%` and two hex digits).
fn looks_encoded(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// A route's query parameters: each accepted name with its decoded value.
pub(super) type QueryParams<'a> = SmallVec<[(&'static str, Cow<'a, str>); 3]>;

/// The query parameters of `raw` accepted by `allowed`, decoded and checked.
pub(super) fn parse_query(allowed: Query, raw: Option<&str>) -> Result<QueryParams<'_>, RouteError> {
    let Some(raw) = raw else { return Ok(SmallVec::new()) };
    let names: &[&'static str] = match allowed {
        Query::None => &[],
        Query::Paged => &[PAGE_PARAM, PAGE_SIZE_PARAM],
        Query::PagedByCustomer => &[CUSTOMER_NO_PARAM, PAGE_PARAM, PAGE_SIZE_PARAM],
    };
    let mut params = QueryParams::new();
    if raw.is_empty() {
        return Ok(params);
    }
    for pair in raw.split('&') {
        let (raw_name, raw_value) = pair.split_once('=').ok_or_else(|| RouteError::UnknownParameter(shown(pair)))?;
        let name = names
            .iter()
            .find(|name| **name == raw_name)
            .ok_or_else(|| RouteError::UnknownParameter(shown(raw_name)))?;
        if params.iter().any(|(n, _)| n == name) {
            return Err(RouteError::UnknownParameter((*name).to_owned()));
        }
        // A query value may carry `+` for a space (form encoding), as the API reads it.
        let value = if raw_value.contains('+') {
            Cow::Owned(decode_once(&raw_value.replace('+', "%20"))?.into_owned())
        } else {
            decode_once(raw_value)?
        };
        if *name == CUSTOMER_NO_PARAM {
            IdKind::Customer.validate(&value)?;
        } else if !(value.len() <= 9
            && value.bytes().all(|b| b.is_ascii_digit())
            && value.parse::<u32>().is_ok_and(|n| n >= 1))
        {
            return Err(RouteError::BadNumber(name));
        } else if *name == PAGE_SIZE_PARAM && value.parse::<u32>().is_ok_and(|n| n > MAX_PAGE_SIZE) {
            return Err(RouteError::PageSizeTooLarge);
        }
        params.push((name, value));
    }
    Ok(params)
}

/// A parameter name fit to echo in an error: short and printable.
fn shown(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(32).collect()
}
