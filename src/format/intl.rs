//! Locale-aware formatting: the widget's own locales from the table in `nordic` (the same text as
//! `Intl`, without its start-up), every other locale through `Intl.NumberFormat` and
//! `Intl.DateTimeFormat`.
//!
//! Amounts go to `Intl` as decimal *strings* (Intl.NumberFormat v3), so `1234.50` is formatted
//! exactly, never through a float. Formatter objects are built once per locale and style and
//! reused: a 50,000-line invoice formats 500,000 cells.

use super::nordic::NordicFormats;
use billing_contract::{Date, Decimal};

/// Formats values for one locale, e.g. `sv-SE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formatter {
    locale: String,
    /// The locale's formats when it is one of the widget's own.
    nordic: Option<&'static NordicFormats>,
}

impl Formatter {
    /// A formatter for `locale` (a BCP 47 tag; an invalid tag falls back to English).
    pub fn new(locale: &str) -> Formatter {
        Formatter { locale: locale.to_owned(), nordic: NordicFormats::of(locale) }
    }

    /// The locale tag.
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// Builds the `Intl` formatters the invoice and list views use, for a locale that is not
    /// one of the widget's own. The browser's first `Intl` formatter takes tens of milliseconds:
    /// call this while a request is in flight so that the start-up overlaps the network instead
    /// of delaying the first render.
    pub fn warm_up(&self) {
        if self.nordic.is_some() {
            return;
        }
        let one = Decimal::ONE;
        let _ = (self.amount(one), self.quantity(one), self.rate(one), self.count(1));
        if let Some(date) = Date::new(2000, 1, 1) {
            let _ = self.date(date);
        }
    }

    /// An amount in a currency with two decimals, e.g. `1 234,50 kr` (sv-SE, SEK).
    pub fn money(&self, amount: Decimal, currency: &str) -> String {
        if let Some(text) = self.nordic.and_then(|n| n.money(amount, currency)) {
            return text;
        }
        let style = Style::Currency(currency.to_owned());
        imp::format_number(&self.locale, &style, amount).unwrap_or_else(|| format!("{amount:.2} {currency}"))
    }

    /// An amount with two decimals and no currency, e.g. `1 234,50`.
    pub fn amount(&self, amount: Decimal) -> String {
        if let Some(nordic) = self.nordic {
            return nordic.number(amount, 2, 2);
        }
        imp::format_number(&self.locale, &Style::Decimal { min_fraction: 2, max_fraction: 2 }, amount)
            .unwrap_or_else(|| format!("{amount:.2}"))
    }

    /// A unit price as billed: every significant decimal the API sent, at least two, e.g.
    /// `199,00` or `0,0125`, so that quantity × the shown price is the shown amount.
    pub fn price(&self, price: Decimal) -> String {
        let decimals = price_decimals(price);
        if let Some(nordic) = self.nordic {
            return nordic.number(price, 2, decimals);
        }
        let max_fraction = u8::try_from(decimals).unwrap_or(2);
        imp::format_number(&self.locale, &Style::Decimal { min_fraction: 2, max_fraction }, price)
            .unwrap_or_else(|| format!("{:.*}", decimals as usize, price.normalize()))
    }

    /// A quantity with as many decimals as it has (up to 4), e.g. `1` or `2,5`.
    pub fn quantity(&self, quantity: Decimal) -> String {
        if let Some(nordic) = self.nordic {
            return nordic.number(quantity, 0, 4);
        }
        imp::format_number(&self.locale, &Style::Decimal { min_fraction: 0, max_fraction: 4 }, quantity)
            .unwrap_or_else(|| quantity.normalize().to_string())
    }

    /// A whole number with grouping, e.g. `50 012` (sv-SE) or `50,012` (en).
    pub fn count(&self, n: usize) -> String {
        if let Some(nordic) = self.nordic {
            return nordic.number(Decimal::from(n), 0, 0);
        }
        imp::format_number(&self.locale, &Style::Decimal { min_fraction: 0, max_fraction: 0 }, Decimal::from(n))
            .unwrap_or_else(|| n.to_string())
    }

    /// The character this locale writes between whole and fractional digits.
    pub fn decimal_separator(&self) -> char {
        let sample = self.quantity(Decimal::new(15, 1));
        sample.chars().find(|c| !c.is_ascii_digit()).unwrap_or('.')
    }

    /// A VAT rate given in percent, e.g. `25 %` (sv-SE) or `25%` (en).
    pub fn rate(&self, percent: Decimal) -> String {
        if let Some(nordic) = self.nordic {
            return nordic.percent(percent);
        }
        imp::format_number(&self.locale, &Style::Percent, percent / Decimal::from(100))
            .unwrap_or_else(|| format!("{}%", percent.normalize()))
    }

    /// A calendar date, short and numeric, e.g. `2026-02-01` (sv-SE) or `01/02/2026` (en-GB).
    pub fn date(&self, date: Date) -> String {
        if let Some(nordic) = self.nordic {
            return nordic.date(date);
        }
        imp::format_date(&self.locale, date).unwrap_or_else(|| date.to_string())
    }
}

/// The most decimals a price is shown with: `Intl.NumberFormat`'s limit before ES2023 (a
/// decimal holds up to 28; no price of a billing API comes near 20).
pub const PRICE_MAX_DECIMALS: u32 = 20;

/// How many decimals `price` is shown with: its significant ones, at least 2, at most
/// [`PRICE_MAX_DECIMALS`].
pub fn price_decimals(price: Decimal) -> u32 {
    price.normalize().scale().clamp(2, PRICE_MAX_DECIMALS)
}

/// The number styles the widget uses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Style {
    Currency(String),
    Decimal { min_fraction: u8, max_fraction: u8 },
    Percent,
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::Style;
    use billing_contract::{Date, Decimal};
    use js_sys::{Array, Function, Object, Reflect};
    use std::cell::RefCell;
    use std::collections::HashMap;
    use wasm_bindgen::{JsCast, JsValue};

    thread_local! {
        static NUMBER_FORMATS: RefCell<HashMap<(String, Style), Function>> = RefCell::new(HashMap::new());
        static DATE_FORMATS: RefCell<HashMap<String, Function>> = RefCell::new(HashMap::new());
    }

    fn options(pairs: &[(&str, JsValue)]) -> Object {
        let object = Object::new();
        for (key, value) in pairs {
            let _ = Reflect::set(&object, &JsValue::from_str(key), value);
        }
        object
    }

    /// `new Intl[constructor](locale, options).format`, falling back to `en` for a bad locale.
    fn intl_format(constructor: &str, locale: &str, options: &Object) -> Option<Function> {
        let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
        let ctor: Function = Reflect::get(&intl, &JsValue::from_str(constructor)).ok()?.dyn_into().ok()?;
        let build = |tag: &str| Reflect::construct(&ctor, &Array::of2(&JsValue::from_str(tag), options)).ok();
        let formatter = build(locale).or_else(|| build("en"))?;
        Reflect::get(&formatter, &JsValue::from_str("format")).ok()?.dyn_into().ok()
    }

    pub fn format_number(locale: &str, style: &Style, value: Decimal) -> Option<String> {
        let key = (locale.to_owned(), style.clone());
        let cached = NUMBER_FORMATS.with(|m| m.borrow().get(&key).cloned());
        let format = match cached {
            Some(f) => f,
            None => {
                let opts = match style {
                    Style::Currency(code) => options(&[
                        ("style", "currency".into()),
                        ("currency", code.as_str().into()),
                        ("minimumFractionDigits", 2.into()),
                        ("maximumFractionDigits", 2.into()),
                    ]),
                    Style::Decimal { min_fraction, max_fraction } => options(&[
                        ("minimumFractionDigits", (*min_fraction).into()),
                        ("maximumFractionDigits", (*max_fraction).into()),
                    ]),
                    Style::Percent => options(&[("style", "percent".into()), ("maximumFractionDigits", 2.into())]),
                };
                let f = intl_format("NumberFormat", locale, &opts)?;
                NUMBER_FORMATS.with(|m| m.borrow_mut().insert(key, f.clone()));
                f
            }
        };
        // A string argument is read as an exact decimal by Intl.NumberFormat v3.
        format.call1(&JsValue::NULL, &JsValue::from_str(&value.to_string())).ok()?.as_string()
    }

    pub fn format_date(locale: &str, date: Date) -> Option<String> {
        let cached = DATE_FORMATS.with(|m| m.borrow().get(locale).cloned());
        let format = match cached {
            Some(f) => f,
            None => {
                let opts = options(&[
                    ("year", "numeric".into()),
                    ("month", "2-digit".into()),
                    ("day", "2-digit".into()),
                    ("timeZone", "UTC".into()),
                ]);
                let f = intl_format("DateTimeFormat", locale, &opts)?;
                DATE_FORMATS.with(|m| m.borrow_mut().insert(locale.to_owned(), f.clone()));
                f
            }
        };
        let js_date = js_sys::Date::new(&JsValue::from_str(&format!("{date}T00:00:00Z")));
        format.call1(&JsValue::NULL, &js_date).ok()?.as_string()
    }
}

/// Outside a browser there is no `Intl`: callers fall back to plain text.
#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Style;
    use billing_contract::{Date, Decimal};

    pub fn format_number(_locale: &str, _style: &Style, _value: Decimal) -> Option<String> {
        None
    }

    pub fn format_date(_locale: &str, _date: Date) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn prices_show_every_decimal_the_api_sent_and_at_least_two() {
        let sv = Formatter::new("sv-SE");
        assert_eq!(sv.price(dec("0.0125")), "0,0125", "not 0,01: quantity × shown price is the amount");
        assert_eq!(sv.price(dec("199")), "199,00");
        assert_eq!(sv.price(dec("199.5000")), "199,50", "trailing zeros are not significant");
        assert_eq!(Formatter::new("en").price(dec("-1234.56789")), "-1,234.56789");
        assert_eq!(sv.price(dec("0.0000000000000000000000000001")), "0,00", "beyond 20 decimals it is rounded");
        // Outside a browser there is no Intl: other locales fall back to plain digits.
        assert_eq!(Formatter::new("de-DE").price(dec("0.0125")), "0.0125");
        assert_eq!(Formatter::new("de-DE").price(dec("7")), "7.00");
    }
}
