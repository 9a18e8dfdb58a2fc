//! Checked decimal arithmetic for money: a sum or product beyond `Decimal`'s range is a
//! [`TooLarge`] error that the views state in words, never a panic.
//!
//! `Decimal`'s `+`, `-`, `*`, `/` and its `Sum` panic on overflow, and the release build aborts on
//! a panic, which stops every element on the page. The contract bounds each number it reads at
//! 10^15 in magnitude, but products (quantity × unit price × VAT × months) and sums of many
//! lines are only bounded by this module.

use billing_contract::Decimal;
use std::fmt;

/// Amounts too large to add up or multiply within `Decimal`'s range (about 7.9 × 10^28).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TooLarge;

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("amounts too large to add up")
    }
}

impl std::error::Error for TooLarge {}

/// `a + b`.
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, TooLarge> {
    a.checked_add(b).ok_or(TooLarge)
}

/// `a - b`.
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, TooLarge> {
    a.checked_sub(b).ok_or(TooLarge)
}

/// `a × b`.
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, TooLarge> {
    a.checked_mul(b).ok_or(TooLarge)
}

/// `a / b`; dividing by zero is an error too (no amount is divided by a number from the network).
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal, TooLarge> {
    a.checked_div(b).ok_or(TooLarge)
}

/// The sum of `values` (what `Iterator::sum` computes, without its panic).
pub fn sum(values: impl IntoIterator<Item = Decimal>) -> Result<Decimal, TooLarge> {
    values.into_iter().try_fold(Decimal::ZERO, add)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        assert_eq!(add(Decimal::MAX, Decimal::ONE), Err(TooLarge));
        assert_eq!(sub(Decimal::MIN, Decimal::ONE), Err(TooLarge));
        assert_eq!(mul(Decimal::MAX, Decimal::TWO), Err(TooLarge));
        assert_eq!(div(Decimal::ONE, Decimal::ZERO), Err(TooLarge));
        assert_eq!(sum([Decimal::MAX, Decimal::ONE, Decimal::NEGATIVE_ONE]), Err(TooLarge), "no wrapping back");
        assert_eq!(sum([Decimal::new(125, 2), Decimal::new(-25, 2)]), Ok(Decimal::ONE));
        assert_eq!(sum([]), Ok(Decimal::ZERO));
    }
}
