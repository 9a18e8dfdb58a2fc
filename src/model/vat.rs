//! Which VAT rates the product form offers: configuration, not code. An explicit list wins, then
//! a country's defaults, then the country of the viewer's locale; without any of them the form
//! takes any rate and the server decides.

use billing_contract::validation::default_vat_rates;
use billing_contract::Decimal;
use std::str::FromStr;

/// The VAT rates a form offers and checks before sending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum VatRates {
    /// The ledger's rates, in the order offered (highest first).
    Listed(Vec<Decimal>),
    /// Not known here: any rate may be typed, and the server's validation decides.
    #[default]
    Unchecked,
}

impl VatRates {
    /// The rates for an element or mount: `explicit` (the `vat-rates` attribute, e.g.
    /// `25.5,13.5,10,0`) if it lists any, else the defaults of `country` (the `country`
    /// attribute, e.g. `FI`), else those of the country of `locale`'s region or language (see
    /// [`country_of_locale`]), else [`VatRates::Unchecked`].
    pub fn configured(explicit: &str, country: &str, locale: &str) -> VatRates {
        if let Some(rates) = parse_rate_list(explicit) {
            return VatRates::Listed(rates);
        }
        let country = Some(country.trim()).filter(|c| !c.is_empty()).or_else(|| country_of_locale(locale));
        country.map_or(VatRates::Unchecked, VatRates::of_country)
    }

    /// The defaults of `country` ([`default_vat_rates`]); unchecked for a country without any.
    pub fn of_country(country: &str) -> VatRates {
        default_vat_rates(country).map_or(VatRates::Unchecked, VatRates::Listed)
    }

    /// The rates to check against, or `None` when the server decides.
    pub fn list(&self) -> Option<&[Decimal]> {
        match self {
            VatRates::Listed(rates) => Some(rates),
            VatRates::Unchecked => None,
        }
    }

    /// These rates and `rate` too: a product's own rate is offered (and accepted) when it is
    /// edited, even if the ledger's list does not have it.
    pub fn with(&self, rate: Decimal) -> VatRates {
        match self {
            VatRates::Listed(rates) if !rates.contains(&rate) => {
                VatRates::Listed(rates.iter().copied().chain([rate.normalize()]).collect())
            }
            other => other.clone(),
        }
    }

    /// The rate a new product starts with: the first listed (the general rate), if any.
    pub fn usual(&self) -> Option<Decimal> {
        self.list().and_then(|rates| rates.first().copied())
    }
}

/// Reads a `vat-rates` attribute: rates in percent with a decimal point, separated by commas,
/// semicolons or spaces (`25.5, 13.5, 10, 0`). `None` when it lists none or any entry is not a
/// rate from 0 to 100 (a typo must not silently drop a rate the ledger uses).
pub fn parse_rate_list(text: &str) -> Option<Vec<Decimal>> {
    let mut rates = Vec::new();
    for entry in text.split([',', ';', ' ']).map(str::trim).filter(|e| !e.is_empty()) {
        let rate = Decimal::from_str(entry).ok().filter(|r| *r >= Decimal::ZERO && *r <= Decimal::ONE_HUNDRED)?;
        let rate = rate.normalize();
        if !rates.contains(&rate) {
            rates.push(rate);
        }
    }
    (!rates.is_empty()).then_some(rates)
}

/// The country (ISO 3166 alpha-2, upper case) a locale tag names: its region subtag when it has
/// one (`sv-FI` is Finland, `en-NO` Norway), else the country of its language where there is
/// one (`sv` Sweden, `nb`/`nn`/`no` Norway, `da` Denmark, `fi` Finland). `None` for the rest
/// (`en`, `de`).
pub fn country_of_locale(locale: &str) -> Option<&'static str> {
    const COUNTRIES: [&str; 4] = ["SE", "NO", "DK", "FI"];
    const LANGUAGES: [(&str, &str); 6] =
        [("sv", "SE"), ("nb", "NO"), ("nn", "NO"), ("no", "NO"), ("da", "DK"), ("fi", "FI")];
    let mut subtags = locale.trim().split(['-', '_']);
    let language = subtags.next().unwrap_or_default();
    // The region is the first two-letter subtag after the language (a script has four letters).
    if let Some(region) = subtags.find(|s| s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic())) {
        return COUNTRIES.into_iter().find(|c| c.eq_ignore_ascii_case(region));
    }
    LANGUAGES.into_iter().find(|(l, _)| l.eq_ignore_ascii_case(language)).map(|(_, country)| country)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates(v: &VatRates) -> Vec<String> {
        v.list().unwrap_or_default().iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn the_country_comes_from_the_region_else_the_language() {
        let cases = [
            ("sv-FI", Some("FI")),
            ("sv-SE", Some("SE")),
            ("sv", Some("SE")),
            ("nb-NO", Some("NO")),
            ("nn", Some("NO")),
            ("no", Some("NO")),
            ("da", Some("DK")),
            ("da-DK", Some("DK")),
            ("fi", Some("FI")),
            ("fi_FI", Some("FI")),
            ("en-FI", Some("FI")),
            ("sr-Latn-NO", Some("NO")),
            ("en", None),
            ("en-GB", None),
            ("sv-AX", None),
            ("de", None),
            ("", None),
        ];
        for (locale, country) in cases {
            assert_eq!(country_of_locale(locale), country, "{locale:?}");
        }
    }

    #[test]
    fn an_explicit_list_wins_then_the_country_then_the_locale() {
        assert_eq!(rates(&VatRates::configured("25.5,13.5,10,0", "SE", "sv-SE")), ["25.5", "13.5", "10", "0"]);
        assert_eq!(rates(&VatRates::configured("", "fi", "sv-SE")), ["25.5", "13.5", "10", "0"]);
        assert_eq!(rates(&VatRates::configured("", "", "nb-NO")), ["25", "15", "12", "0"]);
        assert_eq!(rates(&VatRates::configured(" ", "", "sv-FI")), ["25.5", "13.5", "10", "0"]);
        assert_eq!(rates(&VatRates::configured("", "", "da")), ["25", "0"]);
        assert_eq!(VatRates::configured("", "", "en-GB"), VatRates::Unchecked);
        assert_eq!(
            VatRates::configured("", "DE", "sv-SE"),
            VatRates::Unchecked,
            "a named country is not second-guessed"
        );
        assert_eq!(VatRates::configured("25,12", "", "en").usual(), Some(Decimal::from(25)));
    }

    #[test]
    fn a_products_own_rate_is_offered_when_it_is_edited() {
        let swedish = VatRates::of_country("SE");
        assert_eq!(rates(&swedish.with(Decimal::new(2400, 2))), ["25", "12", "6", "0", "24"]);
        assert_eq!(swedish.with(Decimal::from(12)), swedish);
        assert_eq!(VatRates::Unchecked.with(Decimal::from(24)), VatRates::Unchecked);
    }

    #[test]
    fn a_rate_list_is_read_whole_or_not_at_all() {
        let read = |text: &str| parse_rate_list(text).map(|r| r.iter().map(|d| d.to_string()).collect::<Vec<_>>());
        assert_eq!(read("25.5; 13.50 10 0,0").unwrap(), ["25.5", "13.5", "10", "0"]);
        assert_eq!(read(" 25 , 25 ").unwrap(), ["25"]);
        for bad in ["", " , ", "25,x", "101", "-1", "25 %"] {
            assert_eq!(read(bad), None, "{bad:?}");
        }
    }
}
