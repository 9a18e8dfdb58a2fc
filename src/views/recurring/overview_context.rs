//! The state the overview's sections and product rows share: the texts and formats, the mode,
//! the day, and which change form is open and which button opened it.

use crate::format::{Formatter, Texts};
use crate::model::change::ChangeNotice;
use crate::model::VatRates;
use crate::views::forms::editing::Editing;
use crate::views::Mode;
use billing_contract::{Date, Link};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Which change form is open; one at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Editor {
    /// Adding a product to the customer or subscription with this `@id`.
    AddProduct(Link),
    /// Editing the product with this `@id`.
    Edit(Link),
    /// Ending the product with this `@id`.
    End(Link),
    /// Confirming the deletion of the product with this `@id`.
    Delete(Link),
    /// Adding a subscription.
    AddSubscription,
}

/// What every section and row of the overview shares.
#[derive(Clone)]
pub(super) struct Context {
    /// The viewer's texts.
    pub(super) t: &'static Texts,
    /// The viewer's number, money and date formats.
    pub(super) f: Arc<Formatter>,
    /// Self-service or CRM.
    pub(super) mode: Mode,
    /// The VAT rates the product forms offer.
    pub(super) vat_rates: VatRates,
    /// The day statuses and totals are computed for.
    pub(super) today: Date,
    /// Whether ended products show.
    pub(super) show_ended: RwSignal<bool>,
    /// Set in CRM mode when changes can be sent.
    pub(super) editing: Option<Editing>,
    /// The change form that is open, if any.
    pub(super) open: RwSignal<Option<Editor>>,
    /// The button that opened the form, to return focus to on Cancel.
    pub(super) opener: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
}

impl Context {
    /// How to send changes, when in CRM mode and changes can be sent.
    pub(super) fn crm(&self) -> Option<&Editing> {
        self.editing.as_ref().filter(|_| self.mode == Mode::Crm)
    }

    /// How many columns a products table has in this mode.
    pub(super) fn columns(&self) -> usize {
        match (self.mode, self.crm().is_some()) {
            (Mode::Crm, true) => 12,
            (Mode::Crm, false) => 11,
            (Mode::SelfService, _) => 8,
        }
    }

    /// Opens `editor`, remembering the button that did so.
    pub(super) fn opener(&self, editor: Editor) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
        let (open, opener) = (self.open, self.opener);
        move |ev| {
            let button = ev.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
            opener.set_value(button);
            open.set(Some(editor.clone()));
        }
    }

    /// Closes the open form and puts focus back on the button that opened it.
    pub(super) fn cancel(&self) -> Callback<()> {
        let (open, opener) = (self.open, self.opener);
        Callback::new(move |()| {
            open.set(None);
            if let Some(button) = opener.try_get_value().flatten() {
                let _ = button.focus();
            }
        })
    }

    /// Closes the open form and reports the saved change.
    pub(super) fn saved(&self, editing: &Editing) -> Callback<ChangeNotice> {
        let (open, on_saved) = (self.open, editing.on_saved);
        Callback::new(move |notice| {
            open.set(None);
            on_saved.run(notice);
        })
    }

    /// Whether `editor` is the open form.
    pub(super) fn is_open(&self, editor: Editor) -> impl Fn() -> bool + Send + Sync + 'static {
        let open = self.open;
        move || open.with(|o| o.as_ref() == Some(&editor))
    }
}
