//! The invoice list's Due date and Amount columns when the list items do not carry them.
//!
//! \[doc\] PayEx documents the list item with `invoiceNo`, `invoiceDate` and links only; the
//! invoice itself has `dueDate`, `invoiceAmount` and `currency`. So each row that lacks a value
//! is filled from its invoice (the view fetches a few at a time). A cell shows the listed value,
//! else the fetched one, a quiet placeholder while its invoice loads, or that it could not be
//! loaded; a column is shown as long as any of its cells can hold something.

use billing_contract::{Date, Decimal, Invoice};

/// How far a row's invoice has been fetched.
#[derive(Clone, Debug, PartialEq)]
pub enum Fill {
    /// Not fetched: the list item has what the columns show, or there is nothing to fetch.
    Listed,
    /// Waiting to be fetched, or on its way.
    Waiting,
    /// The invoice, as fetched.
    Loaded(Invoice),
    /// The invoice could not be loaded.
    Failed,
}

impl Fill {
    /// The starting state of a row: [`Fill::Waiting`] when the list item lacks a due date or an
    /// amount (its invoice may have them), else [`Fill::Listed`].
    pub fn of(listed: &Invoice) -> Fill {
        if needs_fill(listed) {
            Fill::Waiting
        } else {
            Fill::Listed
        }
    }
}

/// True when the list item lacks a value that its invoice may have.
pub fn needs_fill(listed: &Invoice) -> bool {
    listed.due_date.is_none() || listed.invoice_amount.is_none()
}

/// What one cell of a filled column shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListCell<T> {
    /// A value, listed or fetched.
    Value(T),
    /// The invoice is still loading.
    Waiting,
    /// The invoice could not be loaded.
    Failed,
    /// Neither the list item nor its invoice has a value.
    Empty,
}

impl<T> ListCell<T> {
    /// The listed value, else what the fill has for the cell (`from` picks it from the invoice).
    fn of(listed: Option<T>, fill: &Fill, from: impl FnOnce(&Invoice) -> Option<T>) -> ListCell<T> {
        if let Some(value) = listed {
            return ListCell::Value(value);
        }
        match fill {
            Fill::Listed => ListCell::Empty,
            Fill::Waiting => ListCell::Waiting,
            Fill::Loaded(invoice) => from(invoice).map_or(ListCell::Empty, ListCell::Value),
            Fill::Failed => ListCell::Failed,
        }
    }

    /// The cell with its value changed by `f` (e.g. formatted).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ListCell<U> {
        match self {
            ListCell::Value(value) => ListCell::Value(f(value)),
            ListCell::Waiting => ListCell::Waiting,
            ListCell::Failed => ListCell::Failed,
            ListCell::Empty => ListCell::Empty,
        }
    }

    /// True unless the cell is [`ListCell::Empty`]. A column is shown while any of its cells can
    /// hold something, and hidden once none can.
    pub fn can_hold_something(&self) -> bool {
        !matches!(self, ListCell::Empty)
    }
}

/// The due date cell of a row.
pub fn due_date(listed: &Invoice, fill: &Fill) -> ListCell<Date> {
    ListCell::of(listed.due_date, fill, |i| i.due_date)
}

/// The amount cell of a row: the amount and its currency (ISO 4217).
pub fn amount(listed: &Invoice, fill: &Fill) -> ListCell<(Decimal, String)> {
    let listed_amount = listed.invoice_amount.map(|a| (a, listed.currency_code().to_owned()));
    // A fetched invoice without a currency keeps the list item's.
    let fallback = listed.currency.clone();
    ListCell::of(listed_amount, fill, |i| {
        let currency = i.currency.clone().or(fallback).unwrap_or_else(|| i.currency_code().to_owned());
        i.invoice_amount.map(|a| (a, currency))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(json: &str) -> Invoice {
        serde_json::from_str(json).unwrap()
    }

    fn bare() -> Invoice {
        listed(r#"{"@id":"/i/1","invoiceNo":"1","invoiceDate":"2026-03-01"}"#)
    }

    fn full() -> Invoice {
        listed(
            r#"{"@id":"/i/1","invoiceNo":"1","invoiceDate":"2026-03-01","dueDate":"2026-03-31",
                "invoiceAmount":499.00,"currency":"NOK"}"#,
        )
    }

    #[test]
    fn a_list_item_with_both_values_is_not_fetched_and_shows_them() {
        let item = full();
        assert_eq!(Fill::of(&item), Fill::Listed);
        assert_eq!(due_date(&item, &Fill::Listed), ListCell::Value("2026-03-31".parse().unwrap()));
        assert_eq!(amount(&item, &Fill::Listed), ListCell::Value((Decimal::from(499), "NOK".into())));
    }

    #[test]
    fn a_bare_list_item_waits_for_its_invoice_then_shows_its_values_or_that_it_failed() {
        let item = bare();
        assert_eq!(Fill::of(&item), Fill::Waiting);
        assert_eq!(due_date(&item, &Fill::Waiting), ListCell::Waiting);
        assert_eq!(amount(&item, &Fill::Loaded(full())), ListCell::Value((Decimal::from(499), "NOK".into())));
        assert_eq!(due_date(&item, &Fill::Failed), ListCell::Failed);
        // The invoice has no due date either: the cell is empty.
        assert_eq!(due_date(&item, &Fill::Loaded(bare())), ListCell::Empty);
    }

    #[test]
    fn a_cell_counts_for_its_column_unless_nothing_can_fill_it() {
        let item = bare();
        assert!(due_date(&item, &Fill::Waiting).can_hold_something(), "while loading it may still come");
        assert!(due_date(&item, &Fill::Failed).can_hold_something(), "a failure is said in its cell");
        assert!(!due_date(&item, &Fill::Loaded(bare())).can_hold_something());
        assert!(!due_date(&item, &Fill::Listed).can_hold_something());
        assert!(due_date(&full(), &Fill::Listed).can_hold_something());
        assert_eq!(due_date(&item, &Fill::Loaded(full())).map(|d| d.to_string()), ListCell::Value("2026-03-31".into()));
    }
}
