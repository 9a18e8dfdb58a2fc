//! Reading numbers people type: `199,50`, `199.50`, `1 234,50`, `-10`, `−10`.

use billing_contract::Decimal;
use std::str::FromStr;

/// Reads a decimal number typed in a form, exactly (no float on the way).
///
/// Spaces (also no-break and narrow no-break spaces, as `Intl` writes them) and `'` group
/// digits and are dropped. When both `,` and `.` occur, the last one is the decimal separator
/// and the other groups digits. When only one of them occurs, once, it is the decimal
/// separator (people type `199.50` and `199,50` in every Nordic locale); when it occurs more
/// than once it groups digits (`1.000.000`). A Unicode minus sign is read as `-`.
///
/// ```
/// use billing_widget::format::parse_decimal;
/// assert_eq!(parse_decimal("1 234,50").unwrap().to_string(), "1234.50");
/// assert!(parse_decimal("12 kr").is_none());
/// ```
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let mut cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .map(|c| if c == '\u{2212}' { '-' } else { c })
        .collect();
    let (commas, dots) = (cleaned.matches(',').count(), cleaned.matches('.').count());
    let decimal = match (commas, dots) {
        (0, 0) => None,
        (_, 0) if commas == 1 => Some(','),
        (0, _) if dots == 1 => Some('.'),
        (0, _) | (_, 0) => None,
        _ => cleaned.rfind([',', '.']).and_then(|at| cleaned[at..].chars().next()),
    };
    cleaned = cleaned.chars().filter(|&c| !matches!(c, ',' | '.') || Some(c) == decimal).collect();
    if let Some(separator) = decimal {
        if cleaned.matches(separator).count() > 1 {
            return None;
        }
        cleaned = cleaned.replace(separator, ".");
    }
    let valid = !cleaned.is_empty()
        && cleaned.trim_start_matches('-').chars().all(|c| c.is_ascii_digit() || c == '.')
        && cleaned.chars().any(|c| c.is_ascii_digit());
    if !valid {
        return None;
    }
    Decimal::from_str(&cleaned).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<String> {
        parse_decimal(text).map(|d| d.to_string())
    }

    #[test]
    fn reads_both_decimal_separators_and_intl_grouping() {
        assert_eq!(read("199,50").as_deref(), Some("199.50"));
        assert_eq!(read("199.50").as_deref(), Some("199.50"));
        assert_eq!(read(" 1\u{a0}234,50 ").as_deref(), Some("1234.50"));
        assert_eq!(read("1\u{202f}234,5").as_deref(), Some("1234.5"));
        assert_eq!(read("1,234.50").as_deref(), Some("1234.50"));
        assert_eq!(read("1.234,50").as_deref(), Some("1234.50"));
        assert_eq!(read("1.000.000").as_deref(), Some("1000000"));
        assert_eq!(read("−50").as_deref(), Some("-50"));
        assert_eq!(read("-0,125").as_deref(), Some("-0.125"));
        assert_eq!(read("2").as_deref(), Some("2"));
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for text in ["", " ", "abc", "12 kr", "1e5", "1,2,3.4.5", "--1", "1-2", ".", "-", "0x10", "NaN"] {
            assert_eq!(read(text), None, "{text:?}");
        }
    }
}
