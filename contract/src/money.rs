//! Money and other decimal quantities.
//!
//! [doc] PayEx sends money as a JSON number with decimals (`"invoiceAmount": 499.00`). We parse
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
        // f64 keeps 15 significant digits exactly; amounts are far below that.
        let as_float: f64 = value.to_string().parse().map_err(serde::ser::Error::custom)?;
        serializer.serialize_f64(as_float)
    }

    /// Reads a JSON number (or numeric string) into an exact decimal.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }

    /// How serde_json (with `arbitrary_precision`) hands over a number: a one-entry map from this
    /// key to the number's text.
    const JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

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
            // `Display` for f64 prints the shortest text that reads back as the same double,
            // which is the literal PayEx wrote for any amount with up to 15 significant digits.
            Decimal::from_str(&v.to_string())
                .or_else(|_| Decimal::from_scientific(&format!("{v:e}")))
                .map_err(|e| E::custom(format!("number {v} is out of range: {e}")))
                .and_then(bounded)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            Decimal::from_str(v.trim())
                .or_else(|_| Decimal::from_scientific(v.trim()))
                .map_err(|e| E::custom(format!("{v:?} is not a number: {e}")))
                .and_then(bounded)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
            match map.next_key::<String>()? {
                Some(key) if key == JSON_NUMBER_TOKEN => {
                    let text: String = map.next_value()?;
                    self.visit_str(&text)
                }
                _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
            }
        }
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
