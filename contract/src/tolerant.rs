//! Tolerant reading: what arrives from PayEx may leave out or `null` any field a view can do
//! without, carry fields and enum values this client does not know, and hold an item a client
//! cannot read among items it can.
//!
//! Readings chosen where PayEx's documentation is silent \[assumed\]:
//! - an absent field and a `null` one mean the same ([`null_as_default`]);
//! - a collection item that cannot be read costs that item, not its page: a client reads pages
//!   as [`Page`]s, which keep the readable items and count the others with their reason;
//! - a resource without `@id` is identified by the URL it was fetched from, and an item of a
//!   collection without `@id` by the collection's path plus its number as one more segment
//!   (PayEx documents that "a resource's route always carries the ids of its parents"):
//!   [`Identified`].

use crate::ids::push_segment;
use crate::links::{Link, Navigation, Operation};
use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;

/// Reads a field that may be `null` as its default (`""`, `[]`, `None`…), the same as absent.
///
/// Use with `#[serde(default, deserialize_with = "crate::tolerant::null_as_default")]`.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// Reads an optional date: absent, `null` and `""` are none; any other text must be a
/// `YYYY-MM-DD` date (a wrong date is an error, not a guess).
///
/// Use with `#[serde(default, deserialize_with = "crate::tolerant::optional_date")]`.
pub fn optional_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<crate::Date>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        Some(text) if !text.trim().is_empty() => text.trim().parse().map(Some).map_err(serde::de::Error::custom),
        _ => Ok(None),
    }
}

/// An item of a collection that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// Where it stood on its page, counting from 0.
    pub position: usize,
    /// Why it could not be read: a decoder's words, for a "details" toggle, never a headline.
    pub reason: String,
}

/// A collection page as a client reads it: the items it could read, and the others counted
/// with their reason (an item missing a field the view needs, an amount out of range…).
///
/// Reads only from JSON text (`serde_json::from_str` / `from_slice`), whose numbers keep their
/// exact digits; for the strict shape both sides write, see [`crate::Collection`].
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items that could be read, in page order.
    pub items: Vec<T>,
    /// The items that could not.
    pub unreadable: Vec<Unreadable>,
    /// Paging information.
    pub navigation: Navigation,
    /// Operations on the collection.
    pub operations: Vec<Operation>,
}

impl<T: DeserializeOwned> Page<T> {
    /// Reads a page from its JSON text: whole when every item reads (the common case, at the
    /// cost of one pass), else item by item.
    pub fn from_json(json: &str) -> serde_json::Result<Page<T>> {
        match serde_json::from_str::<crate::Collection<T>>(json) {
            Ok(whole) => Ok(Page {
                items: whole.items,
                unreadable: Vec::new(),
                navigation: whole.navigation,
                operations: whole.operations,
            }),
            Err(_) => serde_json::from_str(json),
        }
    }
}

#[derive(Deserialize)]
struct PageWire {
    #[serde(default, deserialize_with = "null_as_default")]
    items: Vec<Box<RawValue>>,
    #[serde(default, deserialize_with = "null_as_default")]
    navigation: Navigation,
    #[serde(default, deserialize_with = "tolerant_operations")]
    operations: Vec<Operation>,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Page<T>, D::Error> {
        let wire = PageWire::deserialize(deserializer)?;
        let mut items = Vec::with_capacity(wire.items.len());
        let mut unreadable = Vec::new();
        for (position, raw) in wire.items.iter().enumerate() {
            match serde_json::from_str::<T>(raw.get()) {
                Ok(item) => items.push(item),
                Err(e) => unreadable.push(Unreadable { position, reason: e.to_string() }),
            }
        }
        Ok(Page { items, unreadable, navigation: wire.navigation, operations: wire.operations })
    }
}

/// Reads `operations` leniently: `null` is none, and an operation without a usable `rel`,
/// `method` or `href` is dropped (a UI offers only what it can send).
pub fn tolerant_operations<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Operation>, D::Error> {
    #[derive(Deserialize)]
    struct Loose {
        #[serde(default)]
        rel: AnyText,
        #[serde(default)]
        method: AnyText,
        #[serde(default)]
        href: AnyText,
    }
    let listed: Option<Vec<Option<Loose>>> = Option::deserialize(deserializer)?;
    let text = |v: AnyText| v.0.filter(|s| !s.trim().is_empty());
    Ok(listed
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .filter_map(|op| Some(Operation { rel: text(op.rel)?, method: text(op.method)?, href: Link(text(op.href)?) }))
        .collect())
}

/// Any JSON value read as text where it has one: a string as is, a number or boolean as its
/// JSON text, `null`, an object or an array as none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnyText(pub Option<String>);

impl<'de> Deserialize<'de> for AnyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AnyText, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = AnyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<AnyText, E> {
                Ok(AnyText(Some(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<AnyText, E> {
                Ok(AnyText(Some(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<AnyText, E> {
                Ok(AnyText(Some(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<AnyText, E> {
                Ok(AnyText(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<AnyText, E> {
                // Not `f64`'s Display: the shortest round-trip text, as money reads numbers.
                Ok(AnyText(v.is_finite().then(|| zmij::Buffer::new().format_finite(v).to_owned())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<AnyText, E> {
                Ok(AnyText(Some(if v { "true" } else { "false" }.to_owned())))
            }
            fn visit_unit<E>(self) -> Result<AnyText, E> {
                Ok(AnyText(None))
            }
            fn visit_none<E>(self) -> Result<AnyText, E> {
                Ok(AnyText(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<AnyText, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyText, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(AnyText(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyText, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(AnyText(None))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// Reads an identifier or other text that may arrive as a string or a number; `null` or
/// absent read as empty.
///
/// Use with `#[serde(default, deserialize_with = "crate::tolerant::text")]`.
pub fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    AnyText::deserialize(deserializer).map(|t| t.0.unwrap_or_default())
}

/// Reads a required identifier that may arrive as a string or a number; fails when it is
/// `null`, empty or of another type.
pub fn required_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match AnyText::deserialize(deserializer)?.0 {
        Some(text) if !text.trim().is_empty() => Ok(text),
        _ => Err(serde::de::Error::custom("expected a non-empty identifier")),
    }
}

/// Reads optional text that may arrive as a string or a number; `null`, empty or another type
/// reads as `None`.
pub fn optional_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    AnyText::deserialize(deserializer).map(|t| t.0.filter(|s| !s.is_empty()))
}

/// A resource that is identified by its `@id`, or, without one, by where it was found.
pub trait Identified {
    /// Its `@id` as read (empty when the API sent none).
    fn id_mut(&mut self) -> &mut Link;
    /// Its number, the last segment of its path (e.g. `subscriptionNo`).
    fn number(&self) -> &str;

    /// Gives the resource the identity `fetched_from` (the URL it was fetched from) when it
    /// came without `@id`.
    fn identify_as(&mut self, fetched_from: &str) {
        let id = self.id_mut();
        if id.0.is_empty() {
            id.0 = strip_query(fetched_from).to_owned();
        }
    }

    /// Gives an item of the collection at `collection` the identity `collection/{number}`
    /// when it came without `@id`. An item without `@id` and without a number stays
    /// unidentified (empty): a view offers nothing that needs its identity.
    fn identify_in(&mut self, collection: &str) {
        if !self.id_mut().0.is_empty() || self.number().is_empty() {
            return;
        }
        let mut path = strip_query(collection).trim_end_matches('/').to_owned();
        path.push('/');
        push_segment(&mut path, self.number());
        self.id_mut().0 = path;
    }
}

macro_rules! identified_by {
    ($($resource:ty => $number:ident,)*) => {$(
        impl Identified for $resource {
            fn id_mut(&mut self) -> &mut Link {
                &mut self.id
            }
            fn number(&self) -> &str {
                &self.$number
            }
        }
    )*};
}

identified_by! {
    crate::Customer => customer_no,
    crate::Subscription => subscription_no,
    crate::RecurringProduct => recurring_product_no,
    crate::Invoice => invoice_no,
    crate::InvoiceSubscription => subscription_no,
}

fn strip_query(link: &str) -> &str {
    link.split(['?', '#']).next().unwrap_or(link)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Invoice, InvoiceLine, RecurringProduct, Subscription};

    #[test]
    fn a_page_keeps_what_it_can_read_and_counts_the_rest() {
        let page: Page<InvoiceLine> = serde_json::from_str(
            r#"{ "items": [
                { "description": "ok", "quantity": 1, "unitPrice": 10, "amount": 10, "vatRate": 25, "vatAmount": 2.5, "totalAmount": 12.5 },
                { "description": "no money at all" },
                { "description": null, "quantity": 2, "unitPrice": 5, "amount": 10, "vatRate": 25, "totalAmount": 12.5, "extra": [1, {"x": null}] }
              ], "navigation": null, "operations": null }"#,
        )
        .unwrap();
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.unreadable.len(), 1);
        assert_eq!(page.unreadable[0].position, 1);
        assert!(page.unreadable[0].reason.contains("has no quantity"), "{}", page.unreadable[0].reason);
        assert_eq!(page.items[1].description, "", "null reads as absent");
        assert_eq!(page.items[1].vat_amount.to_string(), "2.5", "VAT is the total less the amount");
        assert_eq!(page.navigation, Navigation::default());
    }

    #[test]
    fn from_json_reads_whole_pages_at_once_and_broken_ones_item_by_item() {
        let good = r#"{ "items": [{ "subscriptionNo": "1" }, { "subscriptionNo": 2 }], "navigation": { "next": "/billing/n" } }"#;
        let page = Page::<Subscription>::from_json(good).unwrap();
        assert_eq!((page.items.len(), page.unreadable.len()), (2, 0));
        assert_eq!(page.navigation.next, Some(Link("/billing/n".into())));
        let broken = r#"{ "items": [{ "subscriptionNo": "1" }, { "subscriptionNo": null }, 7], "navigation": null }"#;
        let page = Page::<Subscription>::from_json(broken).unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.unreadable.iter().map(|u| u.position).collect::<Vec<_>>(), [1, 2]);
        assert!(Page::<Subscription>::from_json("{ not json").is_err());
    }

    #[test]
    fn a_page_that_is_not_a_page_is_an_error() {
        assert!(serde_json::from_str::<Page<Invoice>>("[1, 2]").is_err());
        assert!(serde_json::from_str::<Page<Invoice>>(r#"{"items": 3}"#).is_err());
        let empty: Page<Invoice> = serde_json::from_str("{}").unwrap();
        assert!(empty.items.is_empty() && empty.unreadable.is_empty());
    }

    #[test]
    fn unusable_operations_are_dropped_not_fatal() {
        let s: Subscription = serde_json::from_str(
            r#"{ "subscriptionNo": "1", "operations": [
                { "rel": "add-recurring-product", "method": "POST", "href": "/billing/x" },
                { "rel": "add-recurring-product", "method": null, "href": "/billing/x" },
                null, { "rel": 5 }
            ] }"#,
        )
        .unwrap();
        assert_eq!(s.operations.len(), 1);
    }

    #[test]
    fn resources_without_id_are_identified_by_where_they_were_found() {
        let mut listed: Subscription = serde_json::from_str(r#"{ "subscriptionNo": "AB/1 2" }"#).unwrap();
        assert_eq!(listed.id.as_str(), "");
        listed.identify_in("/billing/customer/v1/x/customers/7/subscriptions?page=2");
        assert_eq!(listed.id.as_str(), "/billing/customer/v1/x/customers/7/subscriptions/AB%2F1%202");
        let mut product: RecurringProduct = serde_json::from_str(
            r#"{ "@id": null, "recurringProductNo": "9", "quantity": 1, "unitPrice": 1, "vatRate": 25,
                 "periodicity": "monthly", "startDate": "2026-01-01" }"#,
        )
        .unwrap();
        product.identify_as("/billing/customer/v1/x/customers/7/recurring-products/9?x=1");
        assert_eq!(product.id.as_str(), "/billing/customer/v1/x/customers/7/recurring-products/9");
        let mut kept: Subscription = serde_json::from_str(r#"{ "@id": "/own", "subscriptionNo": "1" }"#).unwrap();
        kept.identify_in("/elsewhere");
        assert_eq!(kept.id.as_str(), "/own", "an @id the API sent is kept");
    }
}
