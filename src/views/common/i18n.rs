//! The viewer's language and formats, provided once per mounted view and read where needed:
//! the texts to show and one formatter for money, dates and numbers.
//!
//! # Usage
//!
//! ```no_run
//! use billing_widget::views::{provide_i18n, use_i18n, I18n};
//! use leptos::prelude::*;
//! leptos::mount::mount_to_body(|| provide_i18n(I18n::new("sv-SE"), || {
//!     let i18n = use_i18n();
//!     view! { <p>{i18n.texts().loading}</p> }
//! }));
//! ```

use crate::format::{texts, Formatter, Texts};
use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;
use std::sync::Arc;

/// The texts and the formatter for one locale.
#[derive(Clone, Debug)]
pub struct I18n {
    texts: &'static Texts,
    formatter: Arc<Formatter>,
}

impl I18n {
    /// The texts and formats of `locale` (a BCP 47 tag; unknown languages read English).
    pub fn new(locale: &str) -> I18n {
        I18n { texts: texts(locale), formatter: Arc::new(Formatter::new(locale)) }
    }

    /// The texts in the viewer's language.
    pub fn texts(&self) -> &'static Texts {
        self.texts
    }

    /// The formatter every part of the view shares.
    pub fn formatter(&self) -> Arc<Formatter> {
        self.formatter.clone()
    }

    /// The locale tag.
    pub fn locale(&self) -> &str {
        self.formatter.locale()
    }
}

/// The view `inner` builds, with `i18n` provided to it and to everything it renders. The
/// context lives in an owner of its own, so it reaches neither the caller's other children nor
/// its parent (two views side by side may have different locales).
pub fn provide_i18n<V: IntoView + 'static>(i18n: I18n, inner: impl FnOnce() -> V) -> impl IntoView {
    let owner = Owner::new();
    let view = owner.with(|| {
        provide_context(i18n);
        inner()
    });
    OwnedView::new_with_owner(view, owner)
}

/// The [`I18n`] provided by the view this is part of, or English where none is.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n::new("en"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_provided_locale_the_parts_speak_english() {
        let i18n = use_i18n();
        assert_eq!(i18n.texts().loading, texts("en").loading);
        assert_eq!(i18n.locale(), "en");
    }

    #[test]
    fn a_provided_locale_reaches_the_parts_inside_and_not_the_parent() {
        let owner = Owner::new();
        owner.with(|| {
            let _view = provide_i18n(I18n::new("sv-SE"), || {
                let inside = use_i18n();
                assert_eq!(inside.texts().loading, texts("sv-SE").loading);
                assert_eq!(inside.formatter().locale(), "sv-SE");
            });
            assert_eq!(use_i18n().locale(), "en", "the caller's own context is untouched");
        });
    }
}
