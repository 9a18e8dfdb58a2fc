//! What a form says about a failing field, in the viewer's language: the contract's rules and
//! the reader's refusals from the texts, the server's messages as it sent them.

use crate::format::i18n::fill;
use crate::format::{Formatter, ParseError, Texts};
use crate::model::FieldError;
use billing_contract::validation::Rule;

/// The sentence shown under a failing field.
pub fn field_message(t: &Texts, f: &Formatter, error: &FieldError) -> String {
    match error {
        FieldError::Rule(rule) => rule_message(t, f, rule),
        FieldError::Number(ParseError::Ambiguous { whole, decimal }) => fill(t.number_ambiguous, &[whole, decimal]),
        FieldError::Number(ParseError::OutOfRange) => t.number_too_large.to_owned(),
        FieldError::Number(ParseError::NotANumber | ParseError::Empty) => t.number_not_a_number.to_owned(),
        FieldError::NotADate => t.not_a_date.to_owned(),
        FieldError::Server(message) => sentence(message),
    }
}

fn rule_message(t: &Texts, f: &Formatter, rule: &Rule) -> String {
    match rule {
        Rule::Required => t.rule_required.to_owned(),
        Rule::Length { max } | Rule::IdLength { max } => fill(t.rule_length, &[&max.to_string()]),
        Rule::TooLong { max } => fill(t.rule_too_long, &[&max.to_string()]),
        Rule::NotPositive => t.rule_not_positive.to_owned(),
        Rule::VatRateNotAllowed { allowed } => {
            // Rates with a decimal comma are listed with semicolons, so a list stays readable.
            let joiner = if f.decimal_separator() == ',' { "; " } else { ", " };
            let rates: Vec<String> = allowed.iter().map(|r| f.rate(*r)).collect();
            fill(t.rule_vat_rate, &[&rates.join(joiner)])
        }
        Rule::UnknownPeriodicity => t.rule_periodicity.to_owned(),
        Rule::EndBeforeStart => t.rule_end_before_start.to_owned(),
        Rule::IdCharacter { character } => fill(t.rule_id_character, &[&character.to_string()]),
    }
}

/// The server's message as a sentence: `must be a number` reads "Must be a number.".
fn sentence(message: &str) -> String {
    let mut out = crate::format::case::capitalized(message.trim());
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::texts;
    use billing_contract::Decimal;

    fn say(locale: &str, error: FieldError) -> String {
        field_message(texts(locale), &Formatter::new(locale), &error)
    }

    #[test]
    fn each_rule_is_said_in_the_viewers_language() {
        let cases = [
            ("en", FieldError::Rule(Rule::NotPositive), "Must be greater than 0."),
            ("sv", FieldError::Rule(Rule::NotPositive), "Måste vara större än 0."),
            ("nb", FieldError::Rule(Rule::Required), "Påkrevd."),
            ("da", FieldError::Rule(Rule::EndBeforeStart), "Må ikke være før startdatoen."),
            ("fi", FieldError::Rule(Rule::Length { max: 100 }), "Pituuden on oltava 1–100 merkkiä."),
            ("sv", FieldError::Rule(Rule::IdLength { max: 30 }), "Måste vara 1 till 30 tecken."),
            ("en", FieldError::Rule(Rule::IdCharacter { character: '<' }), "May not contain “<”."),
            ("sv", FieldError::NotADate, "Måste vara ett datum."),
            ("fi", FieldError::Number(ParseError::NotANumber), "Oltava luku."),
        ];
        for (locale, error, said) in cases {
            assert_eq!(say(locale, error.clone()), said, "{locale}: {error:?}");
        }
    }

    #[test]
    fn the_vat_rates_are_listed_as_the_locale_writes_them() {
        let allowed: Vec<Decimal> = ["25.5", "13.5", "10", "0"].iter().map(|r| r.parse().unwrap()).collect();
        let error = FieldError::Rule(Rule::VatRateNotAllowed { allowed });
        assert_eq!(say("en", error.clone()), "Must be one of these VAT rates: 25.5%, 13.5%, 10%, 0%.");
        assert_eq!(
            say("sv-FI", error),
            "Måste vara en av dessa momssatser: 25,5\u{a0}%; 13,5\u{a0}%; 10\u{a0}%; 0\u{a0}%."
        );
    }

    #[test]
    fn an_ambiguous_number_shows_both_ways_to_write_it() {
        let ambiguous = |whole: &str, decimal: &str| {
            FieldError::Number(ParseError::Ambiguous { whole: whole.into(), decimal: decimal.into() })
        };
        assert_eq!(
            say("en", ambiguous("1000", "1.000")),
            "Unclear: write 1000 for a whole number, or 1.000 with a decimal separator."
        );
        assert_eq!(
            say("da", ambiguous("1250", "1,250")),
            "Uklart: skriv 1250 for et heltal, eller 1,250 med decimaltegn."
        );
    }

    #[test]
    fn the_servers_words_are_shown_as_sent() {
        assert_eq!(say("sv", FieldError::Server("exceeds the price list".into())), "Exceeds the price list.");
        assert_eq!(say("fi", FieldError::Server("Liian suuri!".into())), "Liian suuri!");
    }
}
