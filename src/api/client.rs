//! The HTTP client: GET a resource, follow a collection's pages, send writes.

use super::{ApiError, ClientScope};
use billing_contract::links::resolve;
use billing_contract::proxy_protocol::{SessionInfo, CSRF_HEADER, CSRF_VALUE, SESSION_HEADER, SESSION_INFO_PATH};
use billing_contract::{Link, LinkRefused, Page, Unreadable};
use gloo_net::http::{Headers, Method, QueryParams, Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use std::collections::HashSet;
use std::future::Future;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Pages followed at most for one collection: past it, the collection fails rather than show
/// part of itself as the whole (50,000 lines at the sandbox's 500 a page are 100 pages).
pub const MAX_PAGES: usize = 1_000;

/// The response header that carries the proxy's id of a request, shown as the error id.
const REQUEST_ID_HEADER: &str = "x-request-id";

/// Every item of a collection that could be read, and the ones that could not.
#[derive(Clone, Debug, PartialEq)]
pub struct Listing<T> {
    /// The readable items, in the API's order.
    pub items: Vec<T>,
    /// The items that could not be read (their page position, and why).
    pub unreadable: Vec<Unreadable>,
}

/// An empty listing, for any item type.
impl<T> Default for Listing<T> {
    fn default() -> Listing<T> {
        Listing { items: Vec::new(), unreadable: Vec::new() }
    }
}

/// A client for the billing API behind the same-origin proxy.
///
/// Links from the API are relative paths (`/billing/...`) and are requested as given,
/// prefixed with `base` (empty: the page's own origin), once [`resolve`] has checked that
/// they stay on the API: a link to another origin or outside `/billing/` is refused and never
/// requested, so the session header cannot travel elsewhere.
///
/// ```no_run
/// # async fn demo() -> Result<(), billing_widget::api::ApiError> {
/// use billing_widget::api::{ApiClient, contract::{self, Customer}};
/// let client = ApiClient::new("");
/// let customer: Customer = client.get(&contract::paths::customer("100200", "15615616")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ApiClient {
    base: String,
    session: Option<String>,
    scope: Option<ClientScope>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        // The session token is a credential: never in logs or panic messages.
        f.debug_struct("ApiClient")
            .field("base", &self.base)
            .field("session", &self.session.as_ref().map(|_| "…"))
            .finish()
    }
}

impl ApiClient {
    /// A client for the API at `base` (an origin such as `https://crm.example`, or empty for
    /// the page's own origin).
    pub fn new(base: &str) -> ApiClient {
        ApiClient { base: base.trim_end_matches('/').to_owned(), session: None, scope: None }
    }

    /// This client sending a host-signed session token with every request (the proxy's
    /// `signed-session` mode); an empty token sends none.
    pub fn with_session_token(mut self, token: &str) -> ApiClient {
        self.session = Some(token.trim().to_owned()).filter(|t| !t.is_empty());
        self
    }

    /// This client sending its requests in `scope`: aborted when the scope closes, and
    /// carrying the scope's session token (which the host may renew) when it has one.
    pub fn in_scope(mut self, scope: ClientScope) -> ApiClient {
        self.scope = Some(scope);
        self
    }

    /// A request to `url` (its query included), built by gloo-net, with the headers every call
    /// carries and an optional JSON body; `Ok(None)` once the client's scope is closed, `Err`
    /// with the browser's reason if it refuses to build the request.
    ///
    /// Two parts of gloo-net's builder are not used as they stand:
    /// - headers are set on a `web_sys::Headers` here and handed over whole: gloo-net's
    ///   `header` throws (`unwrap_throw`) on a value the browser refuses, and the session token
    ///   comes from the host (a line break or a character beyond Latin-1 in it must fail the
    ///   request, not the widget);
    /// - the URL's query is given to the builder as parameters, not left in the URL: gloo-net
    ///   0.6 adds `&` to a query already in the URL (gloo issue 498), and the proxy refuses
    ///   that empty parameter. The parameters are written back form-encoded (a space as `+`,
    ///   which the proxy and the API read as a space).
    fn request(&self, method: Method, url: &str, json_body: Option<&str>) -> Result<Option<Request>, String> {
        let failed = |e: JsValue| reason(&e);
        let headers = web_sys::Headers::new().map_err(failed)?;
        headers.set("Accept", "application/json").map_err(failed)?;
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let query = QueryParams::from_raw(web_sys::UrlSearchParams::new_with_str(query).map_err(failed)?);
        let parameters: Vec<(String, String)> = query.iter().collect();
        let mut builder = RequestBuilder::new(path)
            .query(parameters.iter().map(|(name, value)| (name.as_str(), value.as_str())))
            .method(method.clone());
        let mut session = self.session.clone();
        if let Some(scope) = self.scope {
            let Some(signal) = scope.abort_signal() else { return Ok(None) };
            builder = builder.abort_signal(Some(&signal));
            session = scope.session().or(session);
        }
        if let Some(token) = session {
            headers.set(SESSION_HEADER, &token).map_err(failed)?;
        }
        if method != Method::GET {
            headers.set(CSRF_HEADER, CSRF_VALUE).map_err(failed)?;
        }
        if json_body.is_some() {
            headers.set("Content-Type", "application/json").map_err(failed)?;
        }
        let builder = builder.headers(Headers::from_raw(headers));
        let request = match json_body {
            Some(body) => builder.body(JsValue::from_str(body)),
            None => builder.build(),
        };
        request.map(Some).map_err(|e| e.to_string())
    }

    /// Drops the answers of requests sent early for this client's view that it has not taken
    /// (see [`super::EarlyRequest`]): what loads from now on is asked for afresh.
    pub(crate) fn forget_early(&self) {
        if let Some(scope) = self.scope {
            scope.forget_early();
        }
    }

    /// The full URL of an API path or link, or why it is not followed.
    pub fn url(&self, path: &str) -> Result<String, LinkRefused> {
        let path = resolve(&self.base, path)?;
        Ok(format!("{}{}", self.base, path))
    }

    /// GETs one resource. The request goes out when `get` is called, not when the answer is
    /// first awaited, so a view can send it before it renders.
    pub fn get<T: DeserializeOwned + 'static>(
        &self,
        path: &str,
    ) -> impl Future<Output = Result<T, ApiError>> + 'static {
        self.get_with(path, |json| serde_json::from_str::<T>(json))
    }

    /// Asks the proxy who this page's session is (its own `GET`, outside the APIs): the mode
    /// and ledger, and in a signed session the customer, scope and expiry. A missing or expired
    /// session is an [`ApiError`] with status 401.
    pub fn session_info(&self) -> impl Future<Output = Result<SessionInfo, ApiError>> + 'static {
        let url = format!("{}{SESSION_INFO_PATH}", self.base);
        let sent = match self.request(Method::GET, &url, None) {
            Ok(Some(request)) => Ok(fetch(request)),
            Ok(None) => Err(removed()),
            Err(reason) => Err(ApiError::Request(reason)),
        };
        async move { read_json(&url, sent?.await?, |json| serde_json::from_str::<SessionInfo>(json)).await }
    }

    /// GETs one page of a collection, read by [`Page::from_json`].
    fn get_page<T: DeserializeOwned + 'static>(
        &self,
        path: &str,
    ) -> impl Future<Output = Result<Page<T>, ApiError>> + 'static {
        self.get_with(path, Page::<T>::from_json)
    }

    /// GETs `path` and reads its JSON body with `decode`.
    fn get_with<T: 'static>(
        &self,
        path: &str,
        decode: fn(&str) -> serde_json::Result<T>,
    ) -> impl Future<Output = Result<T, ApiError>> + 'static {
        let sent = match self.url(path) {
            Ok(url) => {
                // The answer to a request the element's script already sent for it, else a new one.
                let fetched = match self.scope.and_then(|scope| scope.take_early(&url)) {
                    Some(answer) => Ok(Ok(answer.into())),
                    None => match self.request(Method::GET, &url, None) {
                        Ok(Some(request)) => Ok(call_fetch(&request.into())),
                        Ok(None) => Err(removed()),
                        Err(reason) => Err(ApiError::Request(reason)),
                    },
                };
                fetched.map(|fetched| (url, answer_of(fetched)))
            }
            Err(refused) => Err(ApiError::LinkRefused(refused)),
        };
        async move {
            let (url, answer) = sent?;
            read_json(&url, answer.await?, decode).await
        }
    }

    /// Sends a write (`method` as the API advertised it) with an optional JSON body. Writes
    /// carry the proxy's CSRF marker. Succeeds on any 2xx answer with the answer's body
    /// (empty if it has none), e.g. a created resource.
    pub async fn send(&self, method: &str, path: &str, json_body: Option<String>) -> Result<String, ApiError> {
        let url = self.url(path).map_err(ApiError::LinkRefused)?;
        let method = match method.trim().to_ascii_uppercase().as_str() {
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "PATCH" => Method::PATCH,
            "DELETE" => Method::DELETE,
            other => return Err(ApiError::Request(format!("{other} is not a write this client sends"))),
        };
        let request =
            self.request(method, &url, json_body.as_deref()).map_err(ApiError::Request)?.ok_or_else(removed)?;
        let response = fetch(request).await?;
        if response.ok() {
            // The write is done whatever its body holds: an unreadable body is no failure.
            Ok(text_of(response).await.unwrap_or_default())
        } else {
            Err(error_from(response).await)
        }
    }

    /// GETs every item of a collection, following `navigation.next` page by page.
    /// `on_page` sees each page's readable items as they arrive (for progress and early
    /// display). A `next` that leads back to a page already read, or past [`MAX_PAGES`], fails
    /// the collection: part of it is never shown as the whole.
    pub async fn get_all_with<T: DeserializeOwned + 'static>(
        &self,
        link: &Link,
        mut on_page: impl FnMut(&[T]),
    ) -> Result<Listing<T>, ApiError> {
        let mut listing = Listing::default();
        let mut seen = HashSet::new();
        let mut next = Some(link.clone());
        while let Some(page_link) = next.take() {
            if !seen.insert(page_link.0.clone()) {
                return Err(ApiError::Paging { link: page_link.0, reason: PagingFault::Loop });
            }
            if seen.len() > MAX_PAGES {
                return Err(ApiError::Paging { link: page_link.0, reason: PagingFault::TooMany });
            }
            let page: Page<T> = self.get_page(page_link.as_str()).await?;
            on_page(&page.items);
            let offset = listing.items.len() + listing.unreadable.len();
            listing.unreadable.extend(
                page.unreadable.into_iter().map(|u| Unreadable { position: offset + u.position, reason: u.reason }),
            );
            listing.items.extend(page.items);
            next = page.navigation.next.filter(|n| !n.is_empty());
        }
        Ok(listing)
    }

    /// GETs every item of a collection, following `navigation.next`.
    pub async fn get_all<T: DeserializeOwned + 'static>(&self, link: &Link) -> Result<Listing<T>, ApiError> {
        self.get_all_with(link, |_| {}).await
    }
}

/// Why following a collection's pages stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PagingFault {
    /// A `next` led back to a page already read.
    Loop,
    /// More than [`MAX_PAGES`] pages.
    TooMany,
}

/// The error of a request asked for after its view was removed.
fn removed() -> ApiError {
    ApiError::Network("the view was removed".into())
}

#[wasm_bindgen]
extern "C" {
    /// The page's `fetch`, called with `request`; `Err` with what it threw if it throws.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn call_fetch(request: &web_sys::Request) -> Result<JsValue, JsValue>;
}

/// Sends `request` with the page's `fetch` now; the future answers `Err` if no answer came
/// (offline, refused, aborted).
///
/// Not gloo-net's `Request::send`, which is an `async fn`: it would send nothing until its
/// future is first polled, and the invoice view sends its first request before it renders.
/// It also panics when `fetch` rejects with something other than an `Error` (`unreachable!`)
/// or answers with something other than a `Response`, both of which a host page that replaces
/// `window.fetch` can do: here any throw, rejection or answer becomes a network error.
fn fetch(request: Request) -> impl Future<Output = Result<Response, ApiError>> + 'static {
    answer_of(call_fetch(&request.into()))
}

/// The response `fetch` returned (or threw), once it arrives.
fn answer_of(fetched: Result<JsValue, JsValue>) -> impl Future<Output = Result<Response, ApiError>> + 'static {
    // `Promise.resolve`: whatever a replaced `fetch` returns can be awaited.
    let answer = fetched.map(|answer| JsFuture::from(js_sys::Promise::resolve(&answer)));
    async move {
        let answer = answer.map_err(|e| ApiError::Network(reason(&e)))?.await;
        answer
            .and_then(JsCast::dyn_into::<web_sys::Response>)
            .map(Response::from)
            .map_err(|e| ApiError::Network(reason(&e)))
    }
}

/// The body of `response` as text.
///
/// Not gloo-net's `Response::text`, which panics when the body fails with something other than
/// an `Error` (a stream that a replaced `fetch` errors with any value).
async fn text_of(response: Response) -> Result<String, JsValue> {
    let text = JsFuture::from(web_sys::Response::from(response).text()?).await?;
    text.as_string().ok_or_else(|| JsValue::from_str("the body is not text"))
}

/// A browser error as words: `TypeError: Failed to fetch`.
fn reason(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => format!("{}: {}", String::from(error.name()), String::from(error.message())),
        None => error.as_string().unwrap_or_else(|| "the browser refused the request".to_owned()),
    }
}

/// The JSON body of `response` from `url` as a `T`, or the error it answers with.
async fn read_json<T>(url: &str, response: Response, decode: fn(&str) -> serde_json::Result<T>) -> Result<T, ApiError> {
    if !response.ok() {
        return Err(error_from(response).await);
    }
    let request_id = response.headers().get(REQUEST_ID_HEADER);
    let body = text_of(response).await.map_err(|e| ApiError::Network(reason(&e)))?;
    decode(&body).map_err(|e| ApiError::Decode { url: url.to_owned(), message: e.to_string(), request_id })
}

/// The error an error answer stands for: its problem document, else its status.
async fn error_from(response: Response) -> ApiError {
    let headers = response.headers();
    let content_type = headers.get("content-type").unwrap_or_default();
    let request_id = headers.get(REQUEST_ID_HEADER);
    let (status, status_text) = (response.status(), response.status_text());
    let body = text_of(response).await.unwrap_or_default();
    ApiError::from_error_body(status, &status_text, &content_type, &body).with_request_id(request_id)
}
