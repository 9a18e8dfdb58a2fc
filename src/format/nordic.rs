//! The number and date formats of the widget's own locales (English, Swedish, Norwegian Bokmål,
//! Danish, Finnish), written out, so that a view's first render does not wait for `Intl`.
//!
//! Chromium's first `Intl.NumberFormat` or `Intl.DateTimeFormat` in a page loads its locale
//! data, which took 15–50 ms on the 2-core benchmark machine, and every formatted cell is a call
//! into JavaScript. The text here is the browser's own: the browser tests compare every locale,
//! style and currency of this table with `Intl` (`tests/web.rs`), so a browser that changes its
//! data fails a test instead of drifting. Other locales and currencies go to `Intl`.
//!
//! Amounts are rounded half away from zero, as `Intl` does, on the exact decimal.

use billing_contract::{Date, Decimal};
use rust_decimal::RoundingStrategy;

/// A locale's separators, signs, currency placement and date order.
#[derive(Debug, PartialEq, Eq)]
pub struct NordicFormats {
    decimal: char,
    group: char,
    minus: char,
    /// Between the number and `%`: nothing in English, a no-break space elsewhere.
    percent_gap: &'static str,
    /// English writes the currency first (`SEK 1,234.50`), the Nordic languages last.
    currency_first: bool,
    /// Whose currency symbols.
    symbols: Symbols,
    /// How a date is written.
    dates: DateOrder,
}

/// The short numeric date of each locale (`Intl.DateTimeFormat` with a numeric year and
/// two-digit month and day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateOrder {
    /// `03/31/2026` (American English).
    MonthDayYear,
    /// `31/03/2026` (British English).
    DaySlashMonth,
    /// `2026-03-31` (Swedish).
    YearMonthDay,
    /// `31.03.2026` (Finland Swedish, Norwegian, Danish, Finnish).
    DayDotMonth,
}

/// Whose names for currencies: each language has its own, and British English its own dollar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Symbols {
    English,
    British,
    Swedish,
    Norwegian,
    Danish,
    Finnish,
}

impl Symbols {
    /// The currency's symbol, or `None` for a currency this table does not know.
    fn of(self, code: &str) -> Option<&'static str> {
        match self {
            Symbols::English => english_symbol(code),
            Symbols::British => british_symbol(code),
            Symbols::Swedish => swedish_symbol(code),
            Symbols::Norwegian => norwegian_symbol(code),
            Symbols::Danish => danish_symbol(code),
            Symbols::Finnish => finnish_symbol(code),
        }
    }
}

const NBSP: char = '\u{a0}';

static ENGLISH: NordicFormats = NordicFormats {
    decimal: '.',
    group: ',',
    minus: '-',
    percent_gap: "",
    currency_first: true,
    symbols: Symbols::English,
    dates: DateOrder::MonthDayYear,
};
static BRITISH: NordicFormats = NordicFormats { symbols: Symbols::British, dates: DateOrder::DaySlashMonth, ..ENGLISH };
static SWEDISH: NordicFormats = NordicFormats {
    decimal: ',',
    group: NBSP,
    minus: '\u{2212}',
    percent_gap: "\u{a0}",
    currency_first: false,
    symbols: Symbols::Swedish,
    dates: DateOrder::YearMonthDay,
};
static FINLAND_SWEDISH: NordicFormats = NordicFormats { dates: DateOrder::DayDotMonth, ..SWEDISH };
static NORWEGIAN: NordicFormats = NordicFormats { symbols: Symbols::Norwegian, ..FINLAND_SWEDISH };
static FINNISH: NordicFormats = NordicFormats { symbols: Symbols::Finnish, ..FINLAND_SWEDISH };
static DANISH: NordicFormats =
    NordicFormats { decimal: ',', group: '.', minus: '-', symbols: Symbols::Danish, ..FINLAND_SWEDISH };

fn english_symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "SEK" => "SEK\u{a0}",
        "NOK" => "NOK\u{a0}",
        "DKK" => "DKK\u{a0}",
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        _ => return None,
    })
}

fn british_symbol(code: &str) -> Option<&'static str> {
    match code {
        "USD" => Some("US$"),
        _ => english_symbol(code),
    }
}

fn swedish_symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "SEK" => "kr",
        "NOK" => "Nkr",
        "DKK" => "Dkr",
        "EUR" => "€",
        "USD" => "US$",
        "GBP" => "GBP",
        _ => return None,
    })
}

fn norwegian_symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "SEK" => "SEK",
        "NOK" => "kr",
        "DKK" => "DKK",
        "EUR" => "€",
        "USD" => "USD",
        "GBP" => "£",
        _ => return None,
    })
}

fn danish_symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "SEK" => "SEK",
        "NOK" => "NOK",
        "DKK" => "kr.",
        "EUR" => "€",
        "USD" => "US$",
        "GBP" => "£",
        _ => return None,
    })
}

fn finnish_symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "SEK" => "SEK",
        "NOK" => "NOK",
        "DKK" => "DKK",
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        _ => return None,
    })
}

/// The locale tags this table answers for, exactly (any letter case); `None` for the rest,
/// e.g. `en-IN`, which groups digits differently.
pub const NORDIC_LOCALES: [&str; 13] =
    ["en", "en-US", "en-GB", "sv", "sv-SE", "sv-FI", "nb", "nb-NO", "no", "da", "da-DK", "fi", "fi-FI"];

impl NordicFormats {
    /// The formats of `locale`, if it is one of [`NORDIC_LOCALES`].
    pub fn of(locale: &str) -> Option<&'static NordicFormats> {
        let tag = locale.to_ascii_lowercase();
        Some(match tag.as_str() {
            "en" | "en-us" => &ENGLISH,
            "en-gb" => &BRITISH,
            "sv" | "sv-se" => &SWEDISH,
            "sv-fi" => &FINLAND_SWEDISH,
            "nb" | "nb-no" | "no" => &NORWEGIAN,
            "da" | "da-dk" => &DANISH,
            "fi" | "fi-fi" => &FINNISH,
            _ => return None,
        })
    }

    /// `value` with at least `min_fraction` and at most `max_fraction` decimals, grouped,
    /// e.g. `-1,234.5` or `−1 234,50`.
    pub fn number(&self, value: Decimal, min_fraction: u32, max_fraction: u32) -> String {
        let mut out = String::new();
        if value.is_sign_negative() {
            out.push(self.minus);
        }
        self.push_digits(&mut out, value, min_fraction, max_fraction);
        out
    }

    /// A percentage with up to two decimals, e.g. `25%` or `25,5 %`.
    pub fn percent(&self, percent: Decimal) -> String {
        let mut out = self.number(percent, 0, 2);
        out.push_str(self.percent_gap);
        out.push('%');
        out
    }

    /// An amount with two decimals in `currency` (ISO 4217), e.g. `SEK 1,234.50` or
    /// `1 234,50 kr`; `None` for a currency this table does not know.
    pub fn money(&self, amount: Decimal, currency: &str) -> Option<String> {
        let symbol = self.symbols.of(currency)?;
        let mut out = String::new();
        if amount.is_sign_negative() {
            out.push(self.minus);
        }
        if self.currency_first {
            out.push_str(symbol);
            self.push_digits(&mut out, amount, 2, 2);
        } else {
            self.push_digits(&mut out, amount, 2, 2);
            out.push(NBSP);
            out.push_str(symbol);
        }
        Some(out)
    }

    /// A calendar date, short and numeric, e.g. `31/03/2026` (en-GB) or `2026-03-31` (sv-SE).
    pub fn date(&self, date: Date) -> String {
        let (y, m, d) = (date.year(), date.month(), date.day());
        match self.dates {
            DateOrder::MonthDayYear => format!("{m:02}/{d:02}/{y}"),
            DateOrder::DaySlashMonth => format!("{d:02}/{m:02}/{y}"),
            DateOrder::YearMonthDay => format!("{y}-{m:02}-{d:02}"),
            DateOrder::DayDotMonth => format!("{d:02}.{m:02}.{y}"),
        }
    }

    /// The digits of `value`'s magnitude, rounded half away from zero to `max_fraction`
    /// decimals, with trailing zeros dropped down to `min_fraction`.
    fn push_digits(&self, out: &mut String, value: Decimal, min_fraction: u32, max_fraction: u32) {
        let rounded = value.abs().round_dp_with_strategy(max_fraction, RoundingStrategy::MidpointAwayFromZero);
        let plain = rounded.to_string();
        let (whole, fraction) = plain.split_once('.').unwrap_or((plain.as_str(), ""));
        let fraction = fraction.trim_end_matches('0');
        let digits = whole.len();
        for (index, digit) in whole.chars().enumerate() {
            if index > 0 && (digits - index) % 3 == 0 {
                out.push(self.group);
            }
            out.push(digit);
        }
        let shown = fraction.len().max(min_fraction as usize);
        if shown > 0 {
            out.push(self.decimal);
            out.push_str(fraction);
            out.extend(std::iter::repeat_n('0', shown - fraction.len()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn of(locale: &str) -> &'static NordicFormats {
        NordicFormats::of(locale).unwrap()
    }

    #[test]
    fn amounts_are_grouped_and_rounded_half_away_from_zero() {
        assert_eq!(of("en-GB").number(dec("1234567.5"), 2, 2), "1,234,567.50");
        assert_eq!(of("en").number(dec("999.995"), 2, 2), "1,000.00");
        assert_eq!(of("en").number(dec("-0.005"), 2, 2), "-0.01");
        assert_eq!(of("en").number(dec("2.675"), 2, 2), "2.68", "exact decimals: no float on the way");
        assert_eq!(of("sv-SE").number(dec("-1234.5"), 2, 2), "\u{2212}1\u{a0}234,50");
        assert_eq!(of("da").number(dec("1234567"), 0, 0), "1.234.567");
        assert_eq!(of("fi").number(dec("123"), 0, 0), "123");
    }

    #[test]
    fn quantities_keep_their_decimals_up_to_four() {
        assert_eq!(of("en").number(dec("2.50"), 0, 4), "2.5");
        assert_eq!(of("en").number(dec("1.00005"), 0, 4), "1.0001");
        assert_eq!(of("nb").number(dec("3"), 0, 4), "3");
        assert_eq!(of("en").number(dec("0"), 0, 4), "0");
    }

    #[test]
    fn a_negative_amount_that_rounds_to_zero_keeps_its_sign_as_intl_does() {
        assert_eq!(of("en").number(dec("-0.001"), 2, 2), "-0.00");
    }

    #[test]
    fn money_is_placed_as_each_language_writes_it() {
        assert_eq!(of("sv-SE").money(dec("1234.50"), "SEK").unwrap(), "1\u{a0}234,50\u{a0}kr");
        assert_eq!(of("nb-NO").money(dec("1234.5"), "NOK").unwrap(), "1\u{a0}234,50\u{a0}kr");
        assert_eq!(of("da-DK").money(dec("-1234.5"), "DKK").unwrap(), "-1.234,50\u{a0}kr.");
        assert_eq!(of("en-GB").money(dec("-50"), "SEK").unwrap(), "-SEK\u{a0}50.00");
        assert_eq!(of("en-GB").money(dec("5"), "USD").unwrap(), "US$5.00");
        assert_eq!(of("en-US").money(dec("5"), "USD").unwrap(), "$5.00");
        assert_eq!(of("fi").money(dec("5"), "JPY"), None, "an unknown currency goes to Intl");
    }

    #[test]
    fn percentages_follow_the_language() {
        assert_eq!(of("en").percent(dec("25.5")), "25.5%");
        assert_eq!(of("sv").percent(dec("25.00")), "25\u{a0}%");
        assert_eq!(of("fi").percent(dec("12.345")), "12,35\u{a0}%");
    }

    #[test]
    fn dates_follow_the_locale() {
        let date = Date::new(2026, 3, 1).unwrap();
        assert_eq!(of("en-US").date(date), "03/01/2026");
        assert_eq!(of("en-GB").date(date), "01/03/2026");
        assert_eq!(of("sv-SE").date(date), "2026-03-01");
        assert_eq!(of("sv-FI").date(date), "01.03.2026");
        assert_eq!(of("fi").date(date), "01.03.2026");
    }

    #[test]
    fn only_the_listed_locales_are_answered_here() {
        for locale in NORDIC_LOCALES {
            assert!(NordicFormats::of(locale).is_some(), "{locale}");
        }
        assert!(NordicFormats::of("SV-se").is_some(), "tags are compared without letter case");
        for other in ["en-IN", "de-DE", "sv-AX", "", "not a locale!"] {
            assert!(NordicFormats::of(other).is_none(), "{other}");
        }
    }
}

/// The table's numbers agree with the model's reader of typed numbers: the separators the forms
/// read from the table are the ones the reader knows, and what the table prints reads back.
#[cfg(test)]
mod read_back_by_the_number_input {
    use super::NordicFormats;
    use crate::model::number_input::{parse_decimal, ParseError, Separators};
    use billing_contract::Decimal;
    use std::str::FromStr;

    /// The widget's locales, with the separators their formatter writes.
    fn locales() -> Vec<(&'static str, Separators)> {
        ["en", "en-GB", "sv", "sv-FI", "nb", "da", "fi"]
            .into_iter()
            .map(|locale| {
                let formats = NordicFormats::of(locale).expect("one of the widget's locales");
                (locale, Separators::of_sample(&formats.number(Separators::sample(), 0, 4)))
            })
            .collect()
    }

    #[test]
    fn the_separators_are_read_from_what_the_formatter_prints() {
        let found: Vec<(&str, char, char)> = locales().into_iter().map(|(l, s)| (l, s.decimal, s.group)).collect();
        assert_eq!(
            found,
            [
                ("en", '.', ','),
                ("en-GB", '.', ','),
                ("sv", ',', '\u{a0}'),
                ("sv-FI", ',', '\u{a0}'),
                ("nb", ',', '\u{a0}'),
                ("da", ',', '.'),
                ("fi", ',', '\u{a0}'),
            ]
        );
    }

    /// A small, seeded generator (xorshift), so the property test is the same on every run.
    struct Seeded(u64);

    impl Seeded {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    /// For every locale, what the widget's formatter prints reads back as the same number:
    /// whole numbers, grouped thousands, negatives, up to six decimals. The one exception is the
    /// refusal the reader exists for: a single group of thousands written with `,` or `.` and no
    /// decimals (`1,000` in English) may also be a decimal, and its "whole" reading is the number.
    #[test]
    fn what_the_formatter_prints_reads_back_as_the_same_number() {
        let mut random = Seeded(0x5eed_cafe_f00d);
        let mut refused = 0;
        for (locale, separators) in locales() {
            let formats = NordicFormats::of(locale).expect("one of the widget's locales");
            for case in 0..20_000 {
                let magnitude = [10, 1_000, 100_000, 10_000_000, 1_000_000_000_000][case % 5];
                let scale = (random.next() % 7) as u32;
                let mantissa =
                    (random.next() % magnitude) as i64 * if random.next().is_multiple_of(3) { -1 } else { 1 };
                let value = Decimal::new(mantissa, scale);
                for (min, max) in [(0, scale), (2, scale.max(2)), (scale, scale)] {
                    let printed = formats.number(value, min, max);
                    match parse_decimal(&printed, separators) {
                        Ok(read) => assert_eq!(read, value, "{locale}: {printed:?}"),
                        Err(ParseError::Ambiguous { whole, .. }) => {
                            refused += 1;
                            assert!(matches!(separators.group, ',' | '.'), "{locale}: {printed:?} refused");
                            assert_eq!(Decimal::from_str(&whole), Ok(value), "{locale}: {printed:?}");
                        }
                        Err(e) => panic!("{locale}: {printed:?} not read: {e:?}"),
                    }
                }
            }
        }
        assert!(refused > 0, "the generator reaches the ambiguous case");
    }
}
