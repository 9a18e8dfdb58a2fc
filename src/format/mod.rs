//! Formatting for people: money, numbers, rates and dates for the viewer's locale (the browser's
//! `Intl`, or for the widget's own locales the same text from a table), and the UI texts.

pub mod case;
pub mod i18n;
mod intl;
mod nordic;

pub use i18n::{texts, Texts};
pub use intl::{price_decimals, Formatter, PRICE_MAX_DECIMALS};
pub use nordic::NORDIC_LOCALES;
// Reading typed numbers is the model's (`model::number_input`); kept here too, where the forms
// and host code have always found it.
pub use crate::model::number_input::{parse_decimal, ParseError, Separators};
