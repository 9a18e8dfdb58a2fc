//! Who is looking: CRM staff, who may change things, or the customer, who only reads.

use std::str::FromStr;

/// Who the view is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Customer-service staff: identifiers shown, and changes offered where the API allows them.
    #[default]
    Crm,
    /// The end customer on My Pages: read-only, plain language, no internal identifiers.
    SelfService,
}

impl Mode {
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
