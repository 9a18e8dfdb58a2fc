//! Calendar dates as PayEx writes them: `YYYY-MM-DD` \[doc\].

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A valid calendar date. Ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date of the form YYYY-MM-DD")]
pub struct DateError(pub String);

impl Date {
    /// 1970-01-01, a valid date to fall back on.
    pub const UNIX_EPOCH: Date = Date { year: 1970, month: 1, day: 1 };

    /// The date, if `year-month-day` exists on the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        (year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date {
            year,
            month,
            day,
        })
    }
    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }
    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// The day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }
    /// The last day of this date's month.
    pub fn end_of_month(self) -> Date {
        Date { day: days_in_month(self.year, self.month), ..self }
    }
    /// The number of this date's month counted from the year 0's first: a difference of two
    /// is the number of months between them.
    pub fn month_number(self) -> i32 {
        i32::from(self.year) * 12 + i32::from(self.month) - 1
    }
    /// The first day of the month `months` after this date's month (negative goes back).
    pub fn first_of_month_offset(self, months: i32) -> Date {
        let index = self.month_number() + months;
        let year = u16::try_from(index.div_euclid(12)).unwrap_or(1).max(1);
        let month = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1);
        Date { year, month, day: 1 }
    }
    /// The number of days in this date's month.
    pub fn days_in_month(self) -> u8 {
        days_in_month(self.year, self.month)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(text: &str) -> Result<Date, DateError> {
        let err = || DateError(text.to_owned());
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(err());
        }
        let number = |range: std::ops::Range<usize>| -> Result<u16, DateError> {
            let part = text.get(range).ok_or_else(err)?;
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            part.parse().map_err(|_| err())
        };
        let year = number(0..4)?;
        let month = u8::try_from(number(5..7)?).map_err(|_| err())?;
        let day = u8::try_from(number(8..10)?).map_err(|_| err())?;
        Date::new(year, month, day).ok_or_else(err)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso_dates() {
        let d: Date = "2026-02-28".parse().unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2026, 2, 28));
        assert_eq!(d.to_string(), "2026-02-28");
        assert_eq!(d.end_of_month().to_string(), "2026-02-28");
        assert_eq!("2024-02-01".parse::<Date>().unwrap().end_of_month().to_string(), "2024-02-29");
    }

    #[test]
    fn rejects_impossible_or_malformed_dates() {
        for bad in
            ["2026-02-30", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01", "2026-01-0a", "", "2026-01-01T00:00"]
        {
            assert!(bad.parse::<Date>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn orders_chronologically_and_steps_months() {
        let a: Date = "2025-12-31".parse().unwrap();
        let b: Date = "2026-01-01".parse().unwrap();
        assert!(a < b);
        assert_eq!(a.first_of_month_offset(1).to_string(), "2026-01-01");
        assert_eq!(b.first_of_month_offset(-1).to_string(), "2025-12-01");
        assert_eq!(b.first_of_month_offset(-13).to_string(), "2024-12-01");
    }
}
