//! Formatting for people: money, numbers, rates and dates through the browser's `Intl` for the
//! viewer's locale, and the widget's UI texts.

pub mod case;
pub mod i18n;
mod intl;
mod parse;

pub use i18n::{texts, Texts};
pub use intl::Formatter;
pub use parse::parse_decimal;
