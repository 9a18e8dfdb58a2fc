//! Who is looking: CRM staff, who may change things, or the customer, who only reads.

use std::str::FromStr;

/// Who the view is for. The default is the least privileged: self-service, read-only; CRM
/// must be asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Customer-service staff: identifiers shown, and changes offered where the API allows them.
    Crm,
    /// The end customer on My Pages: read-only, plain language, no internal identifiers.
    #[default]
    SelfService,
}

impl Mode {
    /// The mode an element's `mode` attribute asks for: CRM only when it says `crm`; missing,
    /// empty or unknown (a typo) is self-service, so a host that forgets it shows no edit
    /// controls.
    pub fn from_attribute(text: &str) -> Mode {
        text.parse().unwrap_or(Mode::SelfService)
    }

    /// The attribute or URL text: `crm` or `self-service`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Crm => "crm",
            Mode::SelfService => "self-service",
        }
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(text: &str) -> Result<Mode, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "crm" => Ok(Mode::Crm),
            "self-service" | "selfservice" | "self_service" => Ok(Mode::SelfService),
            other => Err(format!("unknown mode {other:?}: use crm or self-service")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crm_must_be_asked_for() {
        assert_eq!(Mode::default(), Mode::SelfService);
        for text in ["", " ", "CRM-ish", "admin", "self-service"] {
            assert_eq!(Mode::from_attribute(text), Mode::SelfService, "{text:?}");
        }
        assert_eq!(Mode::from_attribute(" CRM "), Mode::Crm);
    }
}
