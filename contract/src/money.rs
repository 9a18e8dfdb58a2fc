//! Money and other decimal quantities.
//!
//! \[doc\] PayEx sends money as a JSON number with decimals (`"invoiceAmount": 499.00`). We parse
//! every such number into [`Decimal`] from its decimal text, so `248.75` stays exactly `248.75`,
//! and never sum money in floating point: the double's shortest text, which is the literal PayEx
//! wrote for any amount of up to 15 significant digits. (A deserializer that hands over a number's
//! own text, such as serde_json with `arbitrary_precision`, is read exactly as well.)

pub use rust_decimal::Decimal;

/// Serde adapter for a decimal sent as a JSON number (also accepts a numeric string).
///
/// Use with `#[serde(with = "billing_contract::money::number")]`.
pub mod number {
    use super::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;
    use std::str::FromStr;

    /// Writes the decimal as a JSON number.
    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(nearest_f64(value))
    }

    /// Reads a JSON number (or numeric string) into an exact decimal.
    ///
    /// serde_json (with its `raw_value` feature, which this workspace turns on) hands over the
    /// number's own text, so no float is involved at all; any other deserializer is asked for
    /// whatever it holds.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_newtype_struct(JSON_RAW_VALUE_TOKEN, DecimalVisitor)
    }

    /// How serde_json (with `arbitrary_precision`) hands over a number: a one-entry map from this
    /// key to the number's text.
    const JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

    /// The newtype name for which serde_json (with `raw_value`) hands over a value's JSON text,
    /// as a one-entry map from this key to the text.
    const JSON_RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

    /// The double nearest to `value`, without going through text: below 2^53 with at most 22
    /// decimals, both the digits and the power of ten are exact doubles and IEEE division rounds
    /// once, to the nearest. Larger values (never an amount) are converted by `rust_decimal`.
    fn nearest_f64(value: &Decimal) -> f64 {
        const EXACT_POWERS_OF_TEN: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
            1e19, 1e20, 1e21, 1e22,
        ];
        let mantissa = value.mantissa();
        match (u64::try_from(mantissa.unsigned_abs()), EXACT_POWERS_OF_TEN.get(value.scale() as usize)) {
            (Ok(digits), Some(power)) if digits < 1 << 53 => {
                let quotient = digits as f64 / power;
                if mantissa < 0 {
                    -quotient
                } else {
                    quotient
                }
            }
            _ => rust_decimal::prelude::ToPrimitive::to_f64(value).unwrap_or(f64::NAN),
        }
    }

    struct DecimalVisitor;

    /// The largest magnitude read [assumed: no amount, quantity or rate of a billing API comes
    /// near it]. Bounding what the network may send keeps every sum and product of a few of
    /// them far inside `Decimal`'s range, so arithmetic on API data cannot overflow.
    pub const MAX_MAGNITUDE: u64 = 1_000_000_000_000_000;

    fn bounded<E: de::Error>(value: Decimal) -> Result<Decimal, E> {
        if value.abs() < Decimal::from(MAX_MAGNITUDE) {
            Ok(value)
        } else {
            Err(E::custom(format!("number {value} is out of range (at most 10^15 in magnitude)")))
        }
    }

    impl<'de> Visitor<'de> for DecimalVisitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a decimal number")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            bounded(Decimal::from(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            bounded(Decimal::from(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            if !v.is_finite() {
                return Err(E::custom("not a finite number"));
            }
            // The shortest text that reads back as the same double, which is the literal PayEx
            // wrote for any amount with up to 15 significant digits (`1e16` style for large ones).
            let mut buffer = zmij::Buffer::new();
            let text = buffer.format_finite(v);
            Decimal::from_str(text)
                .or_else(|_| Decimal::from_scientific(text))
                .map_err(|e| E::custom(format!("number {text} is out of range: {e}")))
                .and_then(bounded)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            Decimal::from_str(v.trim())
                .or_else(|_| Decimal::from_scientific(v.trim()))
                .map_err(|e| E::custom(format!("{v:?} is not a number: {e}")))
                .and_then(bounded)
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Decimal, D::Error> {
            deserializer.deserialize_any(self)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
            match map.next_key::<String>()? {
                Some(key) if key == JSON_NUMBER_TOKEN => {
                    let text: String = map.next_value()?;
                    self.visit_str(&text)
                }
                Some(key) if key == JSON_RAW_VALUE_TOKEN => {
                    let json: String = map.next_value()?;
                    read_json_text(json.trim())
                }
                _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
            }
        }
    }

    /// A value's JSON text: a number literal, or a string holding one.
    fn read_json_text<E: de::Error>(json: &str) -> Result<Decimal, E> {
        if let Some(quoted) = json.strip_prefix('"').and_then(|rest| rest.strip_suffix('"')) {
            return if quoted.contains('\\') {
                Err(E::custom(format!("{json} is not a number")))
            } else {
                DecimalVisitor.visit_str(quoted)
            };
        }
        if !json.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            return Err(E::custom(format!("expected a decimal number, found {json}")));
        }
        // Trailing zeros go, as they did when numbers came through a double: `499.00` reads 499.
        Decimal::from_str(json)
            .or_else(|_| Decimal::from_scientific(json))
            .map(|value| value.normalize())
            .map_err(|e| E::custom(format!("number {json} is out of range: {e}")))
            .and_then(bounded)
    }
}

/// Serde adapter for an optional decimal sent as a JSON number or `null`.
pub mod option_number {
    use super::Decimal;
    use serde::{Deserializer, Serializer};

    /// Writes `Some` as a JSON number and `None` as `null`.
    pub fn serialize<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => super::number::serialize(v, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads a JSON number, numeric string or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
        deserializer.deserialize_option(OptionVisitor)
    }

    struct OptionVisitor;

    impl<'de> serde::de::Visitor<'de> for OptionVisitor {
        type Value = Option<Decimal>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a decimal number or null")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Option<Decimal>, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Decimal>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<Decimal>, D::Error> {
            super::number::deserialize(deserializer).map(Some)
        }
    }
}

/// Rounds an amount to whole öre/cents (two decimals), half away from zero, as invoices do.
pub fn round_cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use std::str::FromStr;

    #[derive(Serialize, Deserialize)]
    struct Amount(#[serde(with = "number")] Decimal);

    fn parse(json: &str) -> Decimal {
        serde_json::from_str::<Amount>(json).map(|a| a.0).unwrap()
    }

    #[test]
    fn json_numbers_become_exact_decimals() {
        assert_eq!(parse("248.75").to_string(), "248.75");
        assert_eq!(parse("499.00"), Decimal::from(499));
        assert_eq!(parse("-0.1"), Decimal::from_str("-0.1").unwrap());
        assert_eq!(parse("1234567.89").to_string(), "1234567.89");
        assert_eq!(parse("\"12.5\""), Decimal::from_str("12.5").unwrap());
        assert_eq!(parse("7"), Decimal::from(7));
    }

    #[test]
    fn sums_stay_exact_where_floats_drift() {
        let total: Decimal = (0..10).map(|_| parse("0.1")).sum();
        assert_eq!(total, Decimal::from(1));
        let float_total: f64 = (0..10).map(|_| 0.1f64).sum();
        assert_ne!(float_total, 1.0, "the float sum drifts; the decimal one must not");
    }

    #[test]
    fn reads_the_number_text_that_serde_json_hands_over_with_arbitrary_precision() {
        use serde::de::value::{Error, MapDeserializer};
        // Beyond a double's 15-16 digits: only the text keeps every digit.
        let entries = vec![("$serde_json::private::Number", "123456789012345.6789")];
        let parsed = number::deserialize(MapDeserializer::<_, Error>::new(entries.into_iter())).unwrap();
        assert_eq!(parsed.to_string(), "123456789012345.6789");
        let other = vec![("unexpected", "1")];
        assert!(number::deserialize(MapDeserializer::<_, Error>::new(other.into_iter())).is_err());
    }

    #[test]
    fn serde_json_hands_over_the_number_text_so_every_digit_is_kept() {
        // 19 significant digits: a double would have lost the last ones.
        assert_eq!(parse("123456789012345.6789").to_string(), "123456789012345.6789");
        assert_eq!(parse(" 1.5e2 ").to_string(), "150");
        assert!(serde_json::from_str::<Amount>("null").is_err());
    }

    #[test]
    fn other_deserializers_still_read_numbers_exactly() {
        let value = serde_json::json!(248.75);
        let amount: Amount = serde_json::from_value(value).unwrap();
        assert_eq!(amount.0.to_string(), "248.75");
        let amount: Amount = serde_json::from_value(serde_json::json!(12)).unwrap();
        assert_eq!(amount.0, Decimal::from(12));
    }

    #[test]
    fn writes_the_double_nearest_to_the_decimal() {
        for text in ["0.1", "199.50", "-0.07", "1234567.89", "999999999999.99", "0.000001", "25"] {
            let decimal = Decimal::from_str(text).unwrap();
            let json = serde_json::to_string(&Amount(decimal)).unwrap();
            let expected: f64 = text.parse().unwrap();
            assert_eq!(json.parse::<f64>().unwrap(), expected, "{text} written as {json}");
            assert_eq!(parse(&json), decimal, "{text} reads back");
        }
    }

    #[test]
    fn refuses_magnitudes_no_billing_api_sends() {
        assert!(serde_json::from_str::<Amount>("1e20").is_err(), "1e20 is refused, so sums cannot overflow");
        assert!(serde_json::from_str::<Amount>("\"79228162514264337593543950335\"").is_err());
        assert_eq!(parse("-999999999999.99"), Decimal::from_str("-999999999999.99").unwrap());
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        assert!(serde_json::from_str::<Amount>("\"ten\"").is_err());
        assert!(serde_json::from_str::<Amount>("true").is_err());
    }

    #[test]
    fn round_trips_as_a_json_number() {
        let json = serde_json::to_string(&Amount(Decimal::from_str("199.50").unwrap())).unwrap();
        assert_eq!(json, "199.5");
        assert_eq!(parse(&json), Decimal::from_str("199.5").unwrap());
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_cents(Decimal::from_str("49.875").unwrap()).to_string(), "49.88");
        assert_eq!(round_cents(Decimal::from_str("-49.875").unwrap()).to_string(), "-49.88");
    }
}
