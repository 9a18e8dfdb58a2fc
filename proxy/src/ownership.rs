//! Defence in depth, in signed-session mode, for what PayEx is only *assumed* to scope.
//!
//! PayEx documents that a resource's route carries the ids of its parents, not that it refuses a
//! child that is not the parent's; nor that `GET …/invoices?customerNo=` lists that customer's
//! invoices only. The session's customer is in the path of every customer API route, but a
//! subscription or recurring product number after it might be another customer's if PayEx
//! looked it up by number alone. So, before anything is sent:
//!
//! - **Writes** ([`Owned::check_write`]): the `subscriptionNo` of
//!   `…/customers/{c}/subscriptions/{s}/recurring-products[/{p}]` must be in the customer's own
//!   `GET …/customers/{c}/subscriptions`, and the `recurringProductNo` `{p}` in the list it belongs
//!   to (`…/customers/{c}/recurring-products` or `…/subscriptions/{s}/recurring-products`).
//!   Otherwise the answer is the proxy's 404, and nothing is forwarded. Write bodies carry no such
//!   number ([`crate::write_body`] refuses `recurringProductNo` and every field that is not the
//!   input's); the one number a body does carry, a new subscription's `subscriptionNo`, is not
//!   anyone's yet, and whether it is taken is PayEx's to say.
//! - **Invoice lists** ([`keep_own_invoices`]): an item whose `customerNo` is present and is not
//!   the session's is dropped. An item without `customerNo` (or with `null`) is kept: PayEx's
//!   documented list item has no `customerNo` at all, the query already names the customer, and
//!   dropping those would empty every documented list. Items that are not objects, or whose
//!   `customerNo` is not text or a number, cannot be attributed and are dropped too.
//!
//! The lists are read with paging (`navigation.next`, at most [`MAX_PAGES`] pages) and kept for
//! [`TIME_TO_LIVE`] in a cache bounded by the number of identifiers held. A number that is not
//! in a cached list is looked up once more before the write is refused (a product created
//! through another replica is not in this one's cache); a create or a delete forgets the list
//! it changed.

use crate::access::{Api, Grant};
use crate::error::{ProxyError, UpstreamAnswer};
use crate::request_id::RequestId;
use crate::route::{ApiRoute, RouteKind};
use axum::body::Bytes;
use axum::http::header::{self, HeaderMap};
use axum::http::{Method, StatusCode};
use billing_contract::ids::{push_segment, IdKind};
use billing_contract::tolerant::{null_as_default, AnyText};
use billing_contract::Navigation;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

/// Pages of one list read at most to check a write.
pub const MAX_PAGES: usize = 100;
/// Identifiers of one list held at most.
pub const MAX_IDS_PER_LIST: usize = 100_000;
/// Identifiers held at most by the whole cache (each list weighs its length).
pub const MAX_CACHED_IDS: u64 = 1_000_000;
/// How long a list is believed.
pub const TIME_TO_LIVE: Duration = Duration::from_secs(60);

/// One of the customer's own lists.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum List {
    /// `…/customers/{c}/subscriptions`: `subscriptionNo`s.
    Subscriptions { customer: String },
    /// `…/customers/{c}/recurring-products`: `recurringProductNo`s.
    CustomerProducts { customer: String },
    /// `…/customers/{c}/subscriptions/{s}/recurring-products`: `recurringProductNo`s.
    SubscriptionProducts { customer: String, subscription: String },
}

impl List {
    /// The list's canonical path in ledger `owner`.
    fn path(&self, owner: &str) -> String {
        let customer = |customer: &str| billing_contract::paths::customer(owner, customer);
        match self {
            List::Subscriptions { customer: c } => format!("{}/subscriptions", customer(c)),
            List::CustomerProducts { customer: c } => format!("{}/recurring-products", customer(c)),
            List::SubscriptionProducts { customer: c, subscription } => {
                let mut path = format!("{}/subscriptions/", customer(c));
                push_segment(&mut path, subscription);
                path.push_str("/recurring-products");
                path
            }
        }
    }

    /// The route of the list, of one of its members, and the members' number field.
    fn shape(&self) -> (RouteKind, RouteKind, IdKind) {
        match self {
            List::Subscriptions { .. } => (RouteKind::Subscriptions, RouteKind::Subscription, IdKind::Subscription),
            List::CustomerProducts { .. } => {
                (RouteKind::CustomerProducts, RouteKind::CustomerProduct, IdKind::RecurringProduct)
            }
            List::SubscriptionProducts { .. } => {
                (RouteKind::SubscriptionProducts, RouteKind::SubscriptionProduct, IdKind::RecurringProduct)
            }
        }
    }

    /// Whether `route` (a page of the list, or one member) has this list's customer and
    /// subscription.
    fn is_parent_of(&self, route: &ApiRoute<'_>) -> bool {
        match self {
            List::Subscriptions { customer } | List::CustomerProducts { customer } => {
                route.id(IdKind::Customer) == Some(customer.as_str())
            }
            List::SubscriptionProducts { customer, subscription } => {
                route.id(IdKind::Customer) == Some(customer.as_str())
                    && route.id(IdKind::Subscription) == Some(subscription.as_str())
            }
        }
    }
}

/// The session customers' lists, shared by every worker.
#[derive(Clone)]
pub struct Owned {
    lists: moka::sync::Cache<List, Arc<HashSet<String>>>,
}

impl std::fmt::Debug for Owned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Owned").field("lists", &self.lists.entry_count()).finish()
    }
}

impl Default for Owned {
    fn default() -> Owned {
        Owned::new(MAX_CACHED_IDS, TIME_TO_LIVE)
    }
}

/// An upstream `GET` of a path, as the forwarder makes it: status, headers, body.
pub type Fetched = (StatusCode, HeaderMap, Bytes);

/// Makes the upstream `GET`s of a check.
pub trait Lookup {
    /// `GET` the canonical `path` upstream.
    fn get(&self, path: &str) -> impl std::future::Future<Output = Result<Fetched, ProxyError>> + Send;
}

/// The forwarder's lookups for one request.
impl Lookup for (&crate::forward::Forwarder, &RequestId) {
    fn get(&self, path: &str) -> impl std::future::Future<Output = Result<Fetched, ProxyError>> + Send {
        self.0.lookup(self.1, path)
    }
}

impl Owned {
    /// A cache of at most `max_ids` identifiers, each list believed for `ttl`.
    pub fn new(max_ids: u64, ttl: Duration) -> Owned {
        let lists = moka::sync::Cache::builder()
            .max_capacity(max_ids)
            .weigher(|_: &List, ids: &Arc<HashSet<String>>| {
                u32::try_from(ids.len().saturating_add(1)).unwrap_or(u32::MAX)
            })
            .time_to_live(ttl)
            .build();
        Owned { lists }
    }

    /// In a signed session, checks that the subscription and recurring product a write names
    /// in its path are in the session's customer's own lists, fetched with `fetch` (an upstream
    /// `GET` of a canonical path). Not theirs: [`ProxyError::NotFound`].
    pub async fn check_write(
        &self,
        route: &ApiRoute<'_>,
        method: &Method,
        grant: &Grant,
        fetch: &impl Lookup,
    ) -> Result<(), ProxyError> {
        let Some(customer) = grant.session_customer.as_deref() else { return Ok(()) };
        if !ApiRoute::is_write(method) {
            return Ok(());
        }
        // The access policy has already checked the path's customer; checked again, so that a
        // list fetched here is never another customer's.
        if route.id(IdKind::Customer) != Some(customer) {
            return Err(ProxyError::NotFound);
        }
        let owner = route.owner();
        let subscription = route.id(IdKind::Subscription);
        let product = route.id(IdKind::RecurringProduct);
        if let Some(subscription) = subscription {
            let list = List::Subscriptions { customer: customer.to_owned() };
            self.ensure(owner, &list, subscription, fetch).await?;
        }
        if let Some(product) = product {
            let list = match subscription {
                Some(subscription) => {
                    List::SubscriptionProducts { customer: customer.to_owned(), subscription: subscription.to_owned() }
                }
                None => List::CustomerProducts { customer: customer.to_owned() },
            };
            self.ensure(owner, &list, product, fetch).await?;
        }
        Ok(())
    }

    /// After a write answered `status`: a create or a delete that was done forgets the list it
    /// changed, so the next write reads it again.
    pub fn after_write(&self, route: &ApiRoute<'_>, method: &Method, status: StatusCode) {
        if !status.is_success() || !(*method == Method::POST || *method == Method::DELETE) {
            return;
        }
        let Some(customer) = route.id(IdKind::Customer).map(str::to_owned) else { return };
        let list = match (route.kind, route.id(IdKind::Subscription)) {
            (RouteKind::Subscriptions, _) => List::Subscriptions { customer },
            (RouteKind::CustomerProducts | RouteKind::CustomerProduct, _) => List::CustomerProducts { customer },
            (RouteKind::SubscriptionProducts | RouteKind::SubscriptionProduct, Some(subscription)) => {
                List::SubscriptionProducts { customer, subscription: subscription.to_owned() }
            }
            _ => return,
        };
        self.lists.invalidate(&list);
    }

    /// `id` is in `list`: as remembered, or else as read now.
    async fn ensure(&self, owner: &str, list: &List, id: &str, fetch: &impl Lookup) -> Result<(), ProxyError> {
        if self.lists.get(list).is_some_and(|ids| ids.contains(id)) {
            return Ok(());
        }
        let ids = Arc::new(read_list(owner, list, fetch).await?);
        self.lists.insert(list.clone(), ids.clone());
        if ids.contains(id) {
            Ok(())
        } else {
            Err(ProxyError::NotFound)
        }
    }
}

/// A list page as far as this check reads it.
#[derive(Deserialize)]
struct ListPage {
    #[serde(default, deserialize_with = "null_as_default")]
    items: Vec<Box<RawValue>>,
    #[serde(default, deserialize_with = "null_as_default")]
    navigation: Navigation,
}

/// A list item as far as this check reads it: its number, or else its `@id`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Numbered {
    #[serde(rename = "@id", default)]
    id: AnyText,
    #[serde(default)]
    subscription_no: AnyText,
    #[serde(default)]
    recurring_product_no: AnyText,
}

/// Every number in `list`, following `navigation.next` within the list. A `404` for the list
/// (no such customer or subscription) is an empty list; another answer that is not `200` is
/// passed on as the upstream's, an unreadable one is a 502.
async fn read_list(owner: &str, list: &List, fetch: &impl Lookup) -> Result<HashSet<String>, ProxyError> {
    let (list_kind, member_kind, number) = list.shape();
    let mut target = list.path(owner);
    let mut ids = HashSet::new();
    for _ in 0..MAX_PAGES {
        let (status, headers, body) = fetch.get(&target).await?;
        if status == StatusCode::NOT_FOUND {
            return Ok(ids);
        }
        if status != StatusCode::OK {
            return Err(ProxyError::Upstream(Box::new(UpstreamAnswer { status, headers, body })));
        }
        let page: ListPage = serde_json::from_slice(&body).map_err(|_| ProxyError::UpstreamGarbled)?;
        for item in &page.items {
            let Ok(item) = serde_json::from_str::<Numbered>(item.get()) else { continue };
            let given = match number {
                IdKind::Subscription => item.subscription_no.0,
                _ => item.recurring_product_no.0,
            };
            let from_id = || {
                let id = item.id.0.as_deref()?;
                let route = parse_link(id)?;
                (route.kind == member_kind && route.owner() == owner && list.is_parent_of(&route))
                    .then(|| route.id(number).map(str::to_owned))
                    .flatten()
            };
            if let Some(found) = given.filter(|n| !n.is_empty()).or_else(from_id) {
                if ids.len() >= MAX_IDS_PER_LIST {
                    return Err(ProxyError::OwnershipUnchecked);
                }
                ids.insert(found);
            }
        }
        let Some(next) = page.navigation.next else { return Ok(ids) };
        // The next page must be a page of the same list (only the query differs), sent in its
        // canonical form; anything else is not followed.
        let route = parse_link(next.as_str()).ok_or(ProxyError::UpstreamGarbled)?;
        if route.kind != list_kind || route.owner() != owner || !list.is_parent_of(&route) {
            return Err(ProxyError::UpstreamGarbled);
        }
        target = route.canonical_target();
    }
    Err(ProxyError::OwnershipUnchecked)
}

/// A link of the customer API (`/billing/customer/v1/…`) read as a `GET` route.
fn parse_link(link: &str) -> Option<ApiRoute<'_>> {
    let (path, query) = match link.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (link, None),
    };
    let (api, rest) = Api::of_path(path).filter(|(api, _)| *api == Api::Customer)?;
    ApiRoute::parse(api, &Method::GET, rest, query).ok()
}

/// In a signed session, an invoice list answer (`GET …/invoices?customerNo=`, `200`) keeps
/// only the items that are the session's customer's (see the module's notes); the page is
/// otherwise passed on as PayEx wrote it, member by member and item by item. A body the proxy
/// cannot read as a page is a 502: it cannot be checked.
pub fn keep_own_invoices(
    request_id: &RequestId,
    route: &ApiRoute<'_>,
    grant: &Grant,
    status: StatusCode,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Bytes, ProxyError> {
    let Some(customer) = grant.session_customer.as_deref() else { return Ok(body) };
    if route.kind != RouteKind::Invoices || status != StatusCode::OK || body.is_empty() {
        return Ok(body);
    }
    if headers.get(header::CONTENT_ENCODING).is_some_and(|v| v != "identity") {
        tracing::warn!(request_id = %request_id, "invoice list compressed: cannot be checked");
        return Err(ProxyError::UpstreamGarbled);
    }
    let members = crate::write_body::object_members(&body).ok_or(ProxyError::UpstreamGarbled)?;
    let mut names = HashSet::new();
    if !members.iter().all(|(name, _)| names.insert(name.as_str())) {
        // A browser would read the last of repeated members, serde the first: not passed on.
        return Err(ProxyError::UpstreamGarbled);
    }
    let Some((_, items)) = members.iter().find(|(name, _)| name == "items") else { return Ok(body) };
    if items.get().trim() == "null" {
        return Ok(body);
    }
    let items: Vec<Box<RawValue>> = serde_json::from_str(items.get()).map_err(|_| ProxyError::UpstreamGarbled)?;
    let total = items.len();
    let kept: Vec<&RawValue> = items.iter().map(|item| &**item).filter(|item| is_customers(item, customer)).collect();
    let dropped = total - kept.len();
    if dropped == 0 {
        return Ok(body);
    }
    tracing::warn!(request_id = %request_id, dropped, "invoice list held items of another customer: dropped");
    let mut out = Vec::with_capacity(body.len());
    out.push(b'{');
    for (index, (name, value)) in members.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, name).map_err(|_| ProxyError::UpstreamGarbled)?;
        out.push(b':');
        if name == "items" {
            serde_json::to_writer(&mut out, &kept).map_err(|_| ProxyError::UpstreamGarbled)?;
        } else {
            out.extend_from_slice(value.get().as_bytes());
        }
    }
    out.push(b'}');
    Ok(Bytes::from(out))
}

/// Whether an invoice list item may be shown to `customer`: an object whose `customerNo` is
/// absent, `null`, or `customer` (as text or a number's text).
fn is_customers(item: &RawValue, customer: &str) -> bool {
    #[derive(Deserialize)]
    struct Item {
        #[serde(rename = "customerNo", default)]
        customer_no: Option<Box<RawValue>>,
    }
    match serde_json::from_str::<Item>(item.get()) {
        Ok(Item { customer_no: None }) => true,
        Ok(Item { customer_no: Some(raw) }) => {
            serde_json::from_str::<AnyText>(raw.get()).is_ok_and(|text| text.0.as_deref() == Some(customer))
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;
    use std::sync::Mutex;

    fn route<'a>(method: &Method, target: &'a str) -> ApiRoute<'a> {
        let (path, query) = target.split_once('?').map_or((target, None), |(p, q)| (p, Some(q)));
        let (api, rest) = Api::of_path(path).unwrap();
        ApiRoute::parse(api, method, rest, query).unwrap()
    }

    fn session(customer: &str) -> Grant {
        Grant {
            subject: Cow::Borrowed("s"),
            invoice_customer: None,
            session_customer: Some(customer.into()),
            rate_limited: true,
        }
    }

    fn ok(body: &str) -> Result<Fetched, ProxyError> {
        Ok((StatusCode::OK, HeaderMap::new(), Bytes::from(body.to_owned())))
    }

    /// An upstream answering fixed bodies by path, recording what was asked.
    struct Fake {
        pages: Vec<(&'static str, &'static str)>,
        asked: Mutex<Vec<String>>,
    }

    impl Fake {
        fn new(pages: Vec<(&'static str, &'static str)>) -> Fake {
            Fake { pages, asked: Mutex::new(Vec::new()) }
        }
        async fn fetch(&self, path: &str) -> Result<Fetched, ProxyError> {
            self.asked.lock().unwrap().push(path.to_owned());
            match self.pages.iter().find(|(p, _)| *p == path) {
                Some((_, body)) => ok(body),
                None => Ok((StatusCode::NOT_FOUND, HeaderMap::new(), Bytes::new())),
            }
        }
        fn asked(&self) -> Vec<String> {
            std::mem::take(&mut self.asked.lock().unwrap())
        }
    }

    impl Lookup for Fake {
        fn get(&self, path: &str) -> impl std::future::Future<Output = Result<Fetched, ProxyError>> + Send {
            self.fetch(path)
        }
    }

    #[tokio::test]
    async fn a_write_passes_only_for_the_customers_own_subscription_and_product() {
        let fake = Fake::new(vec![
            (
                "/billing/customer/v1/100200/customers/15615616/subscriptions",
                r#"{"items":[{"subscriptionNo":"S1"},{"subscriptionNo":46701234567}],
                    "navigation":{"next":"/billing/customer/v1/100200/customers/15615616/subscriptions?page=2"}}"#,
            ),
            (
                "/billing/customer/v1/100200/customers/15615616/subscriptions?page=2",
                r#"{"items":[{"@id":"/billing/customer/v1/100200/customers/15615616/subscriptions/V%C3%A4xel%201%2FA"}]}"#,
            ),
            (
                "/billing/customer/v1/100200/customers/15615616/subscriptions/S1/recurring-products",
                r#"{"items":[{"recurringProductNo":"1001","unitPrice":1},{"recurringProductNo":null},7]}"#,
            ),
        ]);
        let owned = Owned::default();
        let grant = session("15615616");
        let get = &fake;
        let put = |target: &'static str| route(&Method::PUT, target);
        let check =
            async |target: &'static str, method: Method| owned.check_write(&put(target), &method, &grant, get).await;

        let mine = "/billing/customer/v1/100200/customers/15615616/subscriptions/S1/recurring-products/1001";
        assert!(check(mine, Method::PUT).await.is_ok());
        assert_eq!(fake.asked().len(), 3, "two pages of subscriptions, one of products");
        assert!(check(mine, Method::PUT).await.is_ok());
        assert!(fake.asked().is_empty(), "remembered");
        let special =
            "/billing/customer/v1/100200/customers/15615616/subscriptions/V%C3%A4xel%201%2FA/recurring-products";
        assert!(owned.check_write(&route(&Method::POST, special), &Method::POST, &grant, get).await.is_ok(), "by @id");
        let numeric = "/billing/customer/v1/100200/customers/15615616/subscriptions/46701234567/recurring-products";
        assert!(owned.check_write(&route(&Method::POST, numeric), &Method::POST, &grant, get).await.is_ok());
        fake.asked();

        let foreign_product = "/billing/customer/v1/100200/customers/15615616/subscriptions/S1/recurring-products/2002";
        assert!(matches!(check(foreign_product, Method::PUT).await, Err(ProxyError::NotFound)));
        assert_eq!(
            fake.asked(),
            ["/billing/customer/v1/100200/customers/15615616/subscriptions/S1/recurring-products"],
            "looked up once more"
        );
        let foreign_subscription =
            "/billing/customer/v1/100200/customers/15615616/subscriptions/S9/recurring-products/1001";
        assert!(matches!(check(foreign_subscription, Method::DELETE).await, Err(ProxyError::NotFound)));
        let customer_level = "/billing/customer/v1/100200/customers/15615616/recurring-products/1001";
        assert!(matches!(check(customer_level, Method::PUT).await, Err(ProxyError::NotFound)), "404 list is empty");

        // Trusted mode and reads are not checked.
        let trusted = Grant { session_customer: None, ..grant.clone() };
        assert!(owned.check_write(&put(foreign_product), &Method::PUT, &trusted, get).await.is_ok());
        let read = route(&Method::GET, foreign_product);
        assert!(owned.check_write(&read, &Method::GET, &grant, get).await.is_ok());
    }

    #[tokio::test]
    async fn a_next_link_off_the_list_is_not_followed() {
        for next in [
            "/billing/customer/v1/100200/customers/5566778899/subscriptions?page=2",
            "/billing/customer/v1/100200/customers/15615616/recurring-products?page=2",
            "https://elsewhere.example/billing/customer/v1/100200/customers/15615616/subscriptions?page=2",
            "/billing/customer/v1/100200/customers/15615616/subscriptions/../../5566778899/subscriptions",
        ] {
            let body: &'static str =
                Box::leak(format!(r#"{{"items":[],"navigation":{{"next":"{next}"}}}}"#).into_boxed_str());
            let fake = Fake::new(vec![("/billing/customer/v1/100200/customers/15615616/subscriptions", body)]);
            let get = &fake;
            let target = "/billing/customer/v1/100200/customers/15615616/subscriptions/S1/recurring-products";
            let result = Owned::default()
                .check_write(&route(&Method::POST, target), &Method::POST, &session("15615616"), get)
                .await;
            assert!(matches!(result, Err(ProxyError::UpstreamGarbled)), "{next}");
            assert_eq!(fake.asked().len(), 1, "{next}");
        }
    }

    #[tokio::test]
    async fn paging_is_bounded() {
        let page = r#"{"items":[{"subscriptionNo":"X"}],"navigation":{"next":"/billing/customer/v1/100200/customers/15615616/subscriptions?page=2"}}"#;
        let fake = Fake::new(vec![
            ("/billing/customer/v1/100200/customers/15615616/subscriptions", page),
            ("/billing/customer/v1/100200/customers/15615616/subscriptions?page=2", page),
        ]);
        let get = &fake;
        let target = "/billing/customer/v1/100200/customers/15615616/subscriptions/S1/recurring-products";
        let result =
            Owned::default().check_write(&route(&Method::POST, target), &Method::POST, &session("15615616"), get).await;
        assert!(matches!(result, Err(ProxyError::OwnershipUnchecked)));
        assert_eq!(fake.asked().len(), MAX_PAGES);
    }

    #[tokio::test]
    async fn a_create_forgets_the_list_it_added_to() {
        let fake = Fake::new(vec![(
            "/billing/customer/v1/100200/customers/15615616/recurring-products",
            r#"{"items":[{"recurringProductNo":"1"}]}"#,
        )]);
        let get = &fake;
        let owned = Owned::default();
        let grant = session("15615616");
        let product = route(&Method::PUT, "/billing/customer/v1/100200/customers/15615616/recurring-products/1");
        assert!(owned.check_write(&product, &Method::PUT, &grant, get).await.is_ok());
        assert!(owned.check_write(&product, &Method::PUT, &grant, get).await.is_ok());
        assert_eq!(fake.asked().len(), 1);
        let create = route(&Method::POST, "/billing/customer/v1/100200/customers/15615616/recurring-products");
        owned.after_write(&create, &Method::POST, StatusCode::CREATED);
        assert!(owned.check_write(&product, &Method::PUT, &grant, get).await.is_ok());
        assert_eq!(fake.asked().len(), 1, "read again after the create");
        owned.after_write(&product, &Method::PUT, StatusCode::OK);
        assert!(owned.check_write(&product, &Method::PUT, &grant, get).await.is_ok());
        assert!(fake.asked().is_empty(), "a replacement does not change the list");
    }

    fn filtered(body: &str) -> Result<String, ProxyError> {
        let list = route(&Method::GET, "/billing/invoice/v1/100200/invoices?customerNo=15615616");
        let out = keep_own_invoices(
            &RequestId::generate(),
            &list,
            &session("15615616"),
            StatusCode::OK,
            &HeaderMap::new(),
            Bytes::from(body.to_owned()),
        )?;
        Ok(String::from_utf8(out.to_vec()).unwrap())
    }

    #[test]
    fn an_invoice_list_keeps_the_customers_items_and_everything_else() {
        let page = r#"{"items":[{"invoiceNo":"1","customerNo":"15615616","invoiceAmount":499.00},{"invoiceNo":"2","customerNo":"5566778899"},{"invoiceNo":"3"},{"invoiceNo":"4","customerNo":null},{"invoiceNo":"5","customerNo":15615616},7,{"invoiceNo":"6","customerNo":{"x":1}}],"navigation":{"@id":"/n","next":"/n?page=2"},"future":[1.10,{"a":null}]}"#;
        assert_eq!(
            filtered(page).unwrap(),
            r#"{"items":[{"invoiceNo":"1","customerNo":"15615616","invoiceAmount":499.00},{"invoiceNo":"3"},{"invoiceNo":"4","customerNo":null},{"invoiceNo":"5","customerNo":15615616}],"navigation":{"@id":"/n","next":"/n?page=2"},"future":[1.10,{"a":null}]}"#
        );
        let own = r#"{ "items": [ {"invoiceNo":"1"} ], "navigation": {} }"#;
        assert_eq!(filtered(own).unwrap(), own, "nothing dropped: passed on byte for byte");
        assert!(matches!(
            filtered(r#"{"items":[],"items":[{"customerNo":"5566778899"}]}"#),
            Err(ProxyError::UpstreamGarbled)
        ));
        assert!(matches!(filtered(r#"{"items":{}}"#), Err(ProxyError::UpstreamGarbled)));
        let twice = r#"{"items":[{"customerNo":"15615616","customerNo":"5566778899"}]}"#;
        assert_eq!(filtered(twice).unwrap(), r#"{"items":[]}"#, "an item with two customers is dropped");
    }
}
