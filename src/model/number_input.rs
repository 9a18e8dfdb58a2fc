//! Reading numbers people type, per locale: `199,50`, `199.50`, `1 234,50`, `1,234.50`, `−10`.
//!
//! A rule of the model, not of formatting: it decides what a typed amount means. Plain Rust, no
//! JavaScript: the forms get the locale's [`Separators`] from its formatter and hand them in.
//! Never guesses with money: a lone `,` or `.` that may as well group thousands as separate
//! decimals (`1,000` in English, `1.250` in Danish) is refused with [`ParseError::Ambiguous`],
//! which carries both readings for the message.

use billing_contract::Decimal;
use std::str::FromStr;

/// The characters a locale writes between whole and fractional digits, and between groups of
/// thousands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Separators {
    /// `.` in English, `,` in the Nordic languages.
    pub decimal: char,
    /// `,` in English, `.` in Danish, a no-break space in Swedish, Norwegian and Finnish.
    pub group: char,
}

impl Separators {
    /// English: `1,234.5`.
    pub const ENGLISH: Separators = Separators { decimal: '.', group: ',' };

    /// The number to format for [`Separators::of_sample`]: seven whole digits (so that locales
    /// which group only from five digits on still group) and one decimal.
    pub fn sample() -> Decimal {
        Decimal::new(12_345_675, 1)
    }

    /// The separators in `sample`, a formatter's text for [`Separators::sample`] (e.g.
    /// `1 234 567,5`): of the spaces, points, commas and apostrophes in it (Arabic ones too),
    /// the last separates decimals and the first groups. English when the text has none.
    pub fn of_sample(sample: &str) -> Separators {
        let mut marks = sample.trim().chars().filter(|c| is_space(*c) || is_separator_sign(*c));
        let Some(first) = marks.next() else { return Separators::ENGLISH };
        let decimal = marks.next_back().unwrap_or(first);
        let group = if first == decimal { Separators::ENGLISH.group } else { first };
        Separators { decimal, group }
    }
}

/// Why a typed number was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Nothing was typed.
    Empty,
    /// The text is not a number (letters, two signs, misplaced separators, …).
    NotANumber,
    /// A lone `,` or `.` before exactly three digits, which may group thousands or separate
    /// decimals. Both readings, as the person should type them: `whole` without the separator
    /// (`1000`), `decimal` with the locale's own decimal separator (`1.000` in English).
    Ambiguous { whole: String, decimal: String },
    /// A number with more digits than an exact decimal holds.
    OutOfRange,
}

/// Spaces of every kind and apostrophes (Swiss `1'234`) only ever group digits.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '\u{2019}')
}

/// Signs that separate digits in some locale: point, comma, and the Arabic decimal and
/// thousands separators.
fn is_separator_sign(c: char) -> bool {
    matches!(c, '.' | ',' | '\u{66b}' | '\u{66c}')
}

fn is_minus(c: char) -> bool {
    matches!(c, '-' | '\u{2212}')
}

/// Reads a decimal number typed in a form in a locale that writes numbers with `separators`,
/// exactly (no float on the way).
///
/// - Spaces (also no-break and narrow no-break spaces, as `Intl` writes them) group digits, as
///   does the locale's own group separator.
/// - When both `,` and `.` occur, the last one separates decimals and the other groups digits
///   (`1,234.50`, `1.234,50`); a separator that occurs more than once groups digits
///   (`1.000.000`). Groups after the first have exactly three digits.
/// - A lone `,` or `.` is the decimal separator when it is the locale's own, or when it is not
///   followed by exactly three digits (people type `199.50` and `199,50` in every locale).
///   Otherwise it may group thousands as well: [`ParseError::Ambiguous`].
/// - A leading `-` or Unicode minus `−` makes the number negative.
///
/// ```
/// use billing_widget::model::number_input::{parse_decimal, ParseError, Separators};
/// let swedish = Separators { decimal: ',', group: '\u{a0}' };
/// assert_eq!(parse_decimal("1 234,50", swedish).unwrap().to_string(), "1234.50");
/// assert_eq!(parse_decimal("12 kr", swedish), Err(ParseError::NotANumber));
/// assert!(matches!(parse_decimal("1,000", Separators::ENGLISH), Err(ParseError::Ambiguous { .. })));
/// ```
pub fn parse_decimal(text: &str, separators: Separators) -> Result<Decimal, ParseError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ParseError::Empty);
    }
    let (negative, body) = match text.chars().next() {
        Some(c) if is_minus(c) => (true, &text[c.len_utf8()..]),
        _ => (false, text),
    };
    let Separators { decimal: own_decimal, group: own_group } = separators;
    let is_mark = |c: char| matches!(c, ',' | '.') || c == own_decimal;
    let is_group = |c: char| is_space(c) || (c == own_group && !is_mark(c));
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || is_mark(c) || is_group(c)) {
        return Err(ParseError::NotANumber);
    }

    // Where the decimal separator is, if there is one: the last mark, when it occurs once.
    let decimal_at = match body.char_indices().rev().find(|(_, c)| is_mark(*c)) {
        None => None,
        Some((at, last)) => {
            let last_count = body.chars().filter(|c| *c == last).count();
            let mut others = body.chars().filter(|c| is_mark(*c) && *c != last);
            let other = others.next();
            if others.any(|c| Some(c) != other) {
                return Err(ParseError::NotANumber);
            }
            match (last_count, other.is_none()) {
                // `1.000.000`: every mark groups.
                (n, true) if n > 1 => None,
                (1, false) => Some(at),
                (1, true) => {
                    let (whole, fraction) = (&body[..at], &body[at + last.len_utf8()..]);
                    let may_group = last != own_decimal
                        && fraction.len() == 3
                        && fraction.chars().all(|c| c.is_ascii_digit())
                        && !whole.starts_with('0')
                        && grouped_digits(whole, is_group)
                            .is_some_and(|d| !d.is_empty() && (d.len() <= 3 || has_group(whole)));
                    if may_group {
                        let sign = if negative { "-" } else { "" };
                        let whole_digits: String = whole.chars().filter(char::is_ascii_digit).collect();
                        return Err(ParseError::Ambiguous {
                            whole: format!("{sign}{whole_digits}{fraction}"),
                            decimal: format!("{sign}{whole_digits}{own_decimal}{fraction}"),
                        });
                    }
                    Some(at)
                }
                // The last mark occurs twice and another mark too: `1,000.000.5`.
                _ => return Err(ParseError::NotANumber),
            }
        }
    };

    let (whole, fraction) = match decimal_at {
        Some(at) => {
            let separator_len = body[at..].chars().next().map_or(1, char::len_utf8);
            (&body[..at], Some(&body[at + separator_len..]))
        }
        None => (body, None),
    };
    // Before the decimal separator every mark groups digits.
    let whole_digits = grouped_digits(whole, |c| is_group(c) || is_mark(c)).ok_or(ParseError::NotANumber)?;
    let mut number = String::with_capacity(body.len() + 1);
    if negative {
        number.push('-');
    }
    number.push_str(if whole_digits.is_empty() { "0" } else { &whole_digits });
    match fraction {
        Some(fraction) => {
            if fraction.is_empty() || !fraction.chars().all(|c| c.is_ascii_digit()) {
                return Err(ParseError::NotANumber);
            }
            number.push('.');
            number.push_str(fraction);
        }
        None if whole_digits.is_empty() => return Err(ParseError::NotANumber),
        None => {}
    }
    Decimal::from_str(&number).map_err(|_| ParseError::OutOfRange)
}

/// Whether `whole` holds a sign that groups digits.
fn has_group(whole: &str) -> bool {
    whole.chars().any(|c| !c.is_ascii_digit())
}

/// The digits of `whole`, if its groups are well formed: split at `is_group`, the first group
/// has one to three digits and every other exactly three (`1 234 567`); ungrouped, any number
/// of digits (also none, as in `,5`).
fn grouped_digits(whole: &str, is_group: impl Fn(char) -> bool) -> Option<String> {
    let mut groups = whole.split(is_group);
    let first = groups.next().unwrap_or_default();
    let mut digits = first.to_owned();
    let mut grouped = false;
    for group in groups {
        grouped = true;
        if group.len() != 3 {
            return None;
        }
        digits.push_str(group);
    }
    let first_ok = if grouped { (1..=3).contains(&first.len()) } else { true };
    (first_ok && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SWEDISH: Separators = Separators { decimal: ',', group: '\u{a0}' };
    const DANISH: Separators = Separators { decimal: ',', group: '.' };

    /// The separators the widget's locales write: English (`en`, `en-GB`), Swedish (also `nb`,
    /// `fi`, `sv-FI`) and Danish. The format module's tests check that its formatter writes
    /// exactly these.
    const WIDGET_SEPARATORS: [(&str, Separators); 3] =
        [("English", Separators::ENGLISH), ("Swedish", SWEDISH), ("Danish", DANISH)];

    fn read(text: &str, separators: Separators) -> Result<String, ParseError> {
        parse_decimal(text, separators).map(|d| d.to_string())
    }

    fn ambiguous(whole: &str, decimal: &str) -> Result<String, ParseError> {
        Err(ParseError::Ambiguous { whole: whole.into(), decimal: decimal.into() })
    }

    #[test]
    fn the_separators_are_read_from_a_formatted_sample() {
        assert_eq!(Separators::of_sample("1,234,567.5"), Separators::ENGLISH);
        assert_eq!(Separators::of_sample("1\u{a0}234\u{a0}567,5"), SWEDISH);
        assert_eq!(Separators::of_sample("1.234.567,5"), DANISH);
        assert_eq!(Separators::of_sample("1\u{202f}234\u{202f}567,5"), Separators { decimal: ',', group: '\u{202f}' });
        assert_eq!(Separators::of_sample("1234567"), Separators::ENGLISH);
        assert_eq!(Separators::of_sample("−1.234.567,5"), DANISH);
    }

    #[test]
    fn reads_both_decimal_separators_and_intl_grouping() {
        for (locale, separators) in WIDGET_SEPARATORS {
            let read = |text: &str| read(text, separators);
            assert_eq!(read("199,50").as_deref(), Ok("199.50"), "{locale}");
            assert_eq!(read("199.50").as_deref(), Ok("199.50"), "{locale}");
            assert_eq!(read(" 1\u{a0}234,50 ").as_deref(), Ok("1234.50"), "{locale}");
            assert_eq!(read("1\u{202f}234,5").as_deref(), Ok("1234.5"), "{locale}");
            assert_eq!(read("1 000").as_deref(), Ok("1000"), "{locale}");
            assert_eq!(read("1,234.50").as_deref(), Ok("1234.50"), "{locale}");
            assert_eq!(read("1.234,50").as_deref(), Ok("1234.50"), "{locale}");
            assert_eq!(read("1.000.000").as_deref(), Ok("1000000"), "{locale}");
            assert_eq!(read("1,000,000.25").as_deref(), Ok("1000000.25"), "{locale}");
            assert_eq!(read("−50").as_deref(), Ok("-50"), "{locale}");
            assert_eq!(read("-0,125").as_deref(), Ok("-0.125"), "{locale}");
            assert_eq!(read("0.125").as_deref(), Ok("0.125"), "{locale}");
            assert_eq!(read(",5").as_deref(), Ok("0.5"), "{locale}");
            assert_eq!(read("1234,567").as_deref(), Ok("1234.567"), "{locale}: four whole digits cannot be grouped");
            assert_eq!(read("2").as_deref(), Ok("2"), "{locale}");
        }
    }

    #[test]
    fn a_lone_separator_before_three_digits_is_refused_unless_it_is_the_locales_decimal() {
        let english = Separators::ENGLISH;
        assert_eq!(read("1,000", english), ambiguous("1000", "1.000"));
        assert_eq!(read("12,500", english), ambiguous("12500", "12.500"));
        assert_eq!(read("−1,000", english), ambiguous("-1000", "-1.000"));
        assert_eq!(read("1,000.50", english).as_deref(), Ok("1000.50"));
        assert_eq!(read("1.250", english).as_deref(), Ok("1.250"), "English writes decimals with a point");
        assert_eq!(read("1.250", DANISH), ambiguous("1250", "1,250"));
        assert_eq!(read("1.250,00", DANISH).as_deref(), Ok("1250.00"));
        assert_eq!(read("1,250", DANISH).as_deref(), Ok("1.250"), "Danish writes decimals with a comma");
        // A point is not Swedish at all: before three digits it may mean either.
        assert_eq!(read("1.250", SWEDISH), ambiguous("1250", "1,250"));
        assert_eq!(read("1,250", SWEDISH).as_deref(), Ok("1.250"));
        assert_eq!(read("1 000,000", english), ambiguous("1000000", "1000.000"));
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for (locale, separators) in WIDGET_SEPARATORS {
            assert_eq!(read("", separators), Err(ParseError::Empty));
            assert_eq!(read(" \u{a0}", separators), Err(ParseError::Empty));
            for text in [
                "abc",
                "12 kr",
                "1e5",
                "1,2,3.4.5",
                "--1",
                "1-2",
                ".",
                "-",
                "0x10",
                "NaN",
                "1,00,000",
                "12 34",
                "5.",
                "1.2.3,4,5",
                "1,000.000.5",
                "+5",
            ] {
                assert_eq!(read(text, separators), Err(ParseError::NotANumber), "{locale}: {text:?}");
            }
            assert_eq!(read(&"9".repeat(40), separators), Err(ParseError::OutOfRange), "{locale}");
        }
    }
}
