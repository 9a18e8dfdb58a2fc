//! Paged collections: `?page=N` (1-based) and `pageSize`, with `navigation.next` pointing at the
//! following page and absent on the last.

use crate::href::Href;
use crate::problem::{Api, ProblemResponse};
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use billing_contract::paths::{PAGE_PARAM, PAGE_SIZE_PARAM};
use billing_contract::problem::FieldProblem;
use billing_contract::{Collection, Navigation};
use percent_encoding::percent_decode_str;

/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: usize = 1000;
/// The page size when the client names none (unless configured otherwise).
pub const DEFAULT_PAGE_SIZE: usize = 500;

/// Which page of a collection is asked for, and the request's other query parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageQuery {
    page: usize,
    size: usize,
    size_given: bool,
    /// Every parameter except the paging ones, in request order.
    filters: Vec<(String, String)>,
}

impl PageQuery {
    /// Reads a query string; `default_size` applies when `pageSize` is absent.
    pub fn parse(query: Option<&str>, default_size: usize) -> Result<PageQuery, Vec<FieldProblem>> {
        let mut page = Ok(1);
        let mut size = Ok(None);
        let mut filters = Vec::new();
        for pair in query.unwrap_or_default().split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (name, value) = (decode(name), decode(value));
            if name == PAGE_PARAM {
                page = number(&value, usize::MAX)
                    .ok_or_else(|| FieldProblem::new(PAGE_PARAM, "must be a whole number from 1"));
            } else if name == PAGE_SIZE_PARAM {
                size = number(&value, MAX_PAGE_SIZE).map(Some).ok_or_else(|| {
                    FieldProblem::new(PAGE_SIZE_PARAM, &format!("must be a whole number from 1 to {MAX_PAGE_SIZE}"))
                });
            } else {
                filters.push((name, value));
            }
        }
        match (page, size) {
            (Ok(page), Ok(size)) => {
                Ok(PageQuery { page, size: size.unwrap_or(default_size), size_given: size.is_some(), filters })
            }
            (page, size) => Err(page.err().into_iter().chain(size.err()).collect()),
        }
    }

    /// The value of a non-paging parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.filters.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// This page of `items`, rendered. `navigation.@id` is the collection with its filters;
    /// `navigation.next` adds the next page number (and the page size, if one was asked for).
    pub fn paginate<R, T>(&self, items: &[R], collection: &Href, render: impl FnMut(&R) -> T) -> Collection<T> {
        let start = (self.page - 1).saturating_mul(self.size).min(items.len());
        let end = start.saturating_add(self.size).min(items.len());
        let filters: Vec<(&str, &str)> = self.filters.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let next = (end < items.len()).then(|| {
            let (size, page) = (self.size.to_string(), (self.page + 1).to_string());
            let mut params = filters.clone();
            if self.size_given {
                params.push((PAGE_SIZE_PARAM, &size));
            }
            params.push((PAGE_PARAM, &page));
            collection.with_query(params)
        });
        Collection {
            items: items[start..end].iter().map(render).collect(),
            navigation: Navigation { id: Some(collection.with_query(filters)), next },
            operations: Vec::new(),
        }
    }
}

/// Percent-decodes a query name or value (`+` is a space), keeping invalid UTF-8 visible.
fn decode(text: &str) -> String {
    percent_decode_str(&text.replace('+', " ")).decode_utf8_lossy().into_owned()
}

/// A whole number in `1..=max`.
fn number(text: &str, max: usize) -> Option<usize> {
    text.parse().ok().filter(|n| (1..=max).contains(n))
}

impl FromRequestParts<AppState> for PageQuery {
    type Rejection = ProblemResponse;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        PageQuery::parse(parts.uri.query(), state.config().page_size_default)
            .map_err(|problems| ProblemResponse::invalid(Api::of_path(parts.uri.path()), problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(query: &str) -> PageQuery {
        PageQuery::parse(Some(query), DEFAULT_PAGE_SIZE).unwrap()
    }

    #[test]
    fn pages_through_and_keeps_the_other_parameters() {
        let items: Vec<u32> = (0..25).collect();
        let base = Href::invoices("1");
        let first = page("customerNo=A%26B&pageSize=10").paginate(&items, &base, |n| *n);
        assert_eq!(first.items, (0..10).collect::<Vec<_>>());
        assert_eq!(first.navigation.id.unwrap().as_str(), "/billing/invoice/v1/1/invoices?customerNo=A%26B");
        let next = first.navigation.next.unwrap();
        assert_eq!(next.as_str(), "/billing/invoice/v1/1/invoices?customerNo=A%26B&pageSize=10&page=2");
        let last = page(next.as_str().split_once('?').unwrap().1.replace("page=2", "page=3").as_str()).paginate(
            &items,
            &base,
            |n| *n,
        );
        assert_eq!(last.items, (20..25).collect::<Vec<_>>());
        assert_eq!(last.navigation.next, None);
    }

    #[test]
    fn a_page_past_the_end_is_empty() {
        let items = [1, 2, 3];
        let beyond = page("page=9").paginate(&items, &Href::invoices("1"), |n| *n);
        assert!(beyond.items.is_empty() && beyond.navigation.next.is_none());
        let exact = page("pageSize=3").paginate(&items, &Href::invoices("1"), |n| *n);
        assert_eq!((exact.items.len(), exact.navigation.next), (3, None));
    }

    #[test]
    fn invalid_paging_names_the_parameter() {
        for (query, fields) in [
            ("page=0", vec![PAGE_PARAM]),
            ("page=x&pageSize=1001", vec![PAGE_PARAM, PAGE_SIZE_PARAM]),
            ("pageSize=0", vec![PAGE_SIZE_PARAM]),
            ("pageSize=-1", vec![PAGE_SIZE_PARAM]),
        ] {
            let problems = PageQuery::parse(Some(query), DEFAULT_PAGE_SIZE).unwrap_err();
            assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), fields, "{query}");
        }
    }
}
