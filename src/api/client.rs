//! The HTTP client: GET a resource, follow a collection's pages, send writes.

use super::{ApiError, ClientScope};
use billing_contract::proxy_protocol::{CSRF_HEADER, CSRF_VALUE, SESSION_HEADER};
use billing_contract::{Collection, Link};
use gloo_net::http::{Method, Request, RequestBuilder};
use serde::de::DeserializeOwned;

/// Pages followed at most for one collection; protects against a `next` that loops.
const MAX_PAGES: usize = 10_000;

/// A client for the billing API behind the same-origin proxy.
///
/// Links from the API are relative paths (`/billing/...`) and are requested as given,
/// prefixed with `base` (empty: the page's own origin).
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

    /// A request with the headers every call carries; `None` once the client's scope is closed.
    fn request(&self, method: Method, url: &str) -> Option<RequestBuilder> {
        let mut request = RequestBuilder::new(url).method(method).header("Accept", "application/json");
        let mut session = self.session.clone();
        if let Some(scope) = self.scope {
            let signal = scope.abort_signal()?;
            request = request.abort_signal(Some(&signal));
            session = scope.session().or(session);
        }
        Some(match session {
            Some(token) => request.header(SESSION_HEADER, &token),
            None => request,
        })
    }

    /// The full URL of an API path or link.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GETs one resource.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let url = self.url(path);
        let request = self.request(Method::GET, &url).ok_or_else(removed)?;
        read_json(&url, request.send().await).await
    }

    /// Sends a write (`method` as the API advertised it) with an optional JSON body. Writes
    /// carry the proxy's CSRF marker. Succeeds on any 2xx answer, whose body is not read.
    pub async fn send(&self, method: &str, path: &str, json_body: Option<String>) -> Result<(), ApiError> {
        let url = self.url(path);
        let method = Method::from_bytes(method.as_bytes()).map_err(|e| ApiError::Request(e.to_string()))?;
        let request = self.request(method, &url).ok_or_else(removed)?.header(CSRF_HEADER, CSRF_VALUE);
        let request: Result<Request, _> = match json_body {
            Some(body) => request.header("Content-Type", "application/json").body(body),
            None => request.build(),
        };
        let response = request.map_err(|e| ApiError::Request(e.to_string()))?.send().await;
        let response = response.map_err(|e| ApiError::Network(e.to_string()))?;
        if response.ok() {
            Ok(())
        } else {
            Err(error_from(response).await)
        }
    }

    /// GETs every item of a collection, following `navigation.next` page by page.
    /// `on_page` sees each page's items as they arrive (for progress and early display).
    pub async fn get_all_with<T: DeserializeOwned>(
        &self,
        link: &Link,
        mut on_page: impl FnMut(&[T]),
    ) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        let mut next = Some(link.clone());
        let mut pages = 0;
        while let Some(page_link) = next.take() {
            let page: Collection<T> = self.get(page_link.as_str()).await?;
            on_page(&page.items);
            items.extend(page.items);
            pages += 1;
            next = page.navigation.next.filter(|n| *n != page_link && pages < MAX_PAGES);
        }
        Ok(items)
    }

    /// GETs every item of a collection, following `navigation.next`.
    pub async fn get_all<T: DeserializeOwned>(&self, link: &Link) -> Result<Vec<T>, ApiError> {
        self.get_all_with(link, |_| {}).await
    }
}

/// The error of a request asked for after its view was removed.
fn removed() -> ApiError {
    ApiError::Network("the view was removed".into())
}

async fn read_json<T: DeserializeOwned>(
    url: &str,
    response: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = response.map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(error_from(response).await);
    }
    let body = response.text().await.map_err(|e| ApiError::Network(e.to_string()))?;
    serde_json::from_str(&body).map_err(|e| ApiError::Decode { url: url.to_owned(), message: e.to_string() })
}

async fn error_from(response: gloo_net::http::Response) -> ApiError {
    let content_type = response.headers().get("content-type").unwrap_or_default();
    let body = response.text().await.unwrap_or_default();
    ApiError::from_error_body(response.status(), &response.status_text(), &content_type, &body)
}
