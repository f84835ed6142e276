//! A fake REST API that pages one listing in each style of STYLES.md (SEMANTICS §8): a bare
//! array with a `Link` header (GitHub), a next URL in the body, absolute or relative (Django
//! REST framework, Honeycomb), an offset ended by a short page (Attio), a page number with
//! `next` (json-server 1.x) or `page + 1` and a total (Spring), a cursor in request and
//! response headers (Cosmos), a continuation route (Dropbox), a page number in a response
//! header over a bare array (GitLab).
//!
//! It reads each request as a server would (the URL's query, the params, the headers, the
//! route) and answers with status, headers and the URL it was fetched from. It refuses what a
//! real server would refuse in that style (a continuation with the first request's filters,
//! a next-URL request with params it did not write), so a run that sends too much fails. Every
//! request is logged as the server saw it.

use std::sync::Mutex;

use http::{HeaderMap, HeaderValue};
use paginate_tests::FakeError;
use paginated::{PageRequest, Reply, blocking, nonblocking};
use serde_json::{Map, Value, json};
use url::Url;

/// The origin every page is served from.
pub(crate) const BASE: &str = "https://api.test";

/// One style of the fake API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// GitHub: `GET /items?per_page=N`, a bare array, `Link: <…page=2…>; rel="next"`.
    LinkArray,
    /// Django REST framework: `{"results": […], "next": "https://api.test/items?offset=…"}`.
    BodyUrl,
    /// Honeycomb: `{"data": […], "links": {"next": "/items?after=KEY"}}`, relative.
    RelativeUrl,
    /// Attio: `{"data": […]}` at `offset`/`limit`, the last page short.
    Offset,
    /// An offset API that serves at most 7 items a page, whatever the limit asked for.
    OffsetCapped,
    /// json-server 1.x: `{"data": […], "next": 3}` at `_page`/`_per_page`; a page past the
    /// end answers the last page again, and a request without `_page` a bare array of
    /// everything, as json-server does.
    PageNext,
    /// Spring: `{"content": […], "totalElements": N}` at `page` (from 0) and `size`.
    PageTotal,
    /// Cosmos: `x-ms-continuation` request and response headers, `{"Documents": […]}`.
    HeaderCursor,
    /// Dropbox: `POST /list_folder` then `POST /list_folder/continue` with the cursor only.
    Continue,
    /// GitLab: a bare array and `X-Next-Page`, sent back as `page`.
    HeaderPage,
}

/// The fake API over `total` items `{"Key": "item-NNN", "Size": N}`.
#[derive(Debug)]
pub(crate) struct Api {
    kind: Kind,
    total: usize,
    /// What each request looked like to the server: method and path, query or params,
    /// headers it reads.
    log: Mutex<Vec<String>>,
}

pub(crate) fn item(i: usize) -> Value {
    json!({"Key": format!("item-{i:03}"), "Size": i})
}

/// Every item of a listing of `total`, in order.
pub(crate) fn all_items(total: usize) -> Vec<Value> {
    (0..total).map(item).collect()
}

impl Api {
    pub(crate) fn new(kind: Kind, total: usize) -> Api {
        Api {
            kind,
            total,
            log: Mutex::new(Vec::new()),
        }
    }

    /// Every request as the server saw it.
    pub(crate) fn log(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    fn items(&self, from: usize, count: usize) -> Vec<Value> {
        (from..(from + count).min(self.total)).map(item).collect()
    }

    /// The request's parameters as the server reads them: a URL's query (params the run
    /// sends replace same-named ones, P2), or the params as they are.
    fn query(request: &PageRequest<'_>) -> (Url, Map<String, Value>) {
        let mut map = Map::new();
        let url = match request.url() {
            Some(url) => {
                for (k, v) in url.query_pairs() {
                    map.insert(k.into_owned(), Value::String(v.into_owned()));
                }
                url.clone()
            }
            None => {
                let route = request.route().map_or("GET /", |r| r.as_str());
                let path = route.split_once(' ').map_or("/", |(_, path)| path);
                Url::parse(&format!("{BASE}{path}")).unwrap()
            }
        };
        for (k, v) in request.params() {
            map.insert(k.clone(), v.clone());
        }
        let mut url = url;
        url.set_query(None);
        let mut pairs: Vec<(String, String)> =
            map.iter().map(|(k, v)| (k.clone(), text(v))).collect();
        pairs.sort();
        if !pairs.is_empty() {
            url.query_pairs_mut().extend_pairs(pairs);
        }
        (url, map)
    }

    fn answer(&self, request: &PageRequest<'_>) -> Result<Reply, FakeError> {
        let (url, q) = Api::query(request);
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let num = |name: &str, default: usize| -> Result<usize, FakeError> {
            match q.get(name) {
                None => Ok(default),
                Some(v) => text(v)
                    .parse()
                    .map_err(|_| FakeError(format!("400: `{name}` is not a number: {v}"))),
            }
        };
        let method = request.route().map_or("GET", |r| r.method().as_str());
        let path = url.path().to_owned();
        let mut seen = format!("{method} {path}");
        if let Some(query) = url.query() {
            seen.push('?');
            seen.push_str(query);
        }
        for name in ["x-ms-max-item-count", "x-ms-continuation"] {
            if let Some(value) = header(name) {
                seen.push_str(&format!(" [{name}: {value}]"));
            }
        }
        self.log.lock().unwrap().push(seen);
        let mut headers = HeaderMap::new();
        let page = match self.kind {
            Kind::LinkArray | Kind::HeaderPage => {
                let size = num("per_page", 5)?;
                let page = num("page", 1)?.max(1);
                let from = (page - 1) * size;
                if from + size < self.total {
                    if self.kind == Kind::LinkArray {
                        let next = format!(
                            "<{BASE}/items?page={}&per_page={size}>; rel=\"next\", <{BASE}/items?page=1&per_page={size}>; rel=\"first\"",
                            page + 1
                        );
                        headers.insert("link", HeaderValue::from_str(&next).unwrap());
                    } else {
                        headers.insert("x-next-page", HeaderValue::from(page + 1));
                    }
                } else if self.kind == Kind::HeaderPage {
                    // GitLab sends the header empty on the last page.
                    headers.insert("x-next-page", HeaderValue::from_static(""));
                }
                Value::Array(self.items(from, size))
            }
            Kind::BodyUrl => {
                let (offset, limit) = (num("offset", 0)?, num("limit", 5)?);
                if q.keys().any(|k| k == "filter") && request.url().is_some() {
                    return Err(FakeError(
                        "400: `filter` is not accepted with a next link".into(),
                    ));
                }
                let next = (offset + limit < self.total)
                    .then(|| format!("{BASE}/items?limit={limit}&offset={}", offset + limit));
                json!({"count": self.total, "next": next, "results": self.items(offset, limit)})
            }
            Kind::RelativeUrl => {
                let after = q.get("after").map(text);
                let from = match after {
                    None => 0,
                    Some(key) => (0..self.total)
                        .find(|i| item(*i)["Key"] == key.as_str())
                        .map(|i| i + 1)
                        .ok_or_else(|| FakeError(format!("400: unknown cursor {key}")))?,
                };
                let data = self.items(from, 4);
                let next = (from + 4 < self.total).then(|| {
                    format!(
                        "/items?after={}",
                        data[data.len() - 1]["Key"].as_str().unwrap()
                    )
                });
                json!({"data": data, "links": {"next": next}})
            }
            Kind::Offset => {
                let (offset, limit) = (num("offset", 0)?, num("limit", 10)?);
                json!({"data": self.items(offset, limit)})
            }
            Kind::OffsetCapped => {
                let (offset, limit) = (num("offset", 0)?, num("limit", 10)?);
                json!({"data": self.items(offset, limit.min(7))})
            }
            Kind::PageNext if !q.contains_key("_page") => {
                // json-server 1.x without `_page`: everything, as a bare array.
                Value::Array(self.items(0, self.total))
            }
            Kind::PageNext => {
                let size = num("_per_page", 10)?.max(1);
                let pages = self.total.div_ceil(size).max(1);
                // json-server 1.x: a page past the end is the last page again.
                let page = num("_page", 1)?.clamp(1, pages);
                let next = (page < pages).then_some(page + 1);
                json!({"first": 1, "next": next, "last": pages, "pages": pages,
                       "items": self.total, "data": self.items((page - 1) * size, size)})
            }
            Kind::PageTotal => {
                let (page, size) = (num("page", 0)?, num("size", 20)?);
                json!({"content": self.items(page * size, size), "totalElements": self.total,
                       "number": page})
            }
            Kind::HeaderCursor => {
                let from = match header("x-ms-continuation") {
                    None => 0,
                    Some(c) => c
                        .strip_prefix("rid:")
                        .and_then(|n| n.parse().ok())
                        .ok_or_else(|| FakeError(format!("400: bad continuation {c}")))?,
                };
                let size = match header("x-ms-max-item-count") {
                    None => 6,
                    Some(n) => n
                        .parse()
                        .map_err(|_| FakeError(format!("400: bad max item count {n}")))?,
                };
                if from + size < self.total {
                    let next = HeaderValue::from_str(&format!("rid:{}", from + size)).unwrap();
                    headers.insert("x-ms-continuation", next);
                }
                json!({"Documents": self.items(from, size), "_count": size})
            }
            Kind::Continue => {
                let limit = 7;
                let from = if path.ends_with("/continue") {
                    if q.keys().any(|k| k != "cursor") {
                        return Err(FakeError(format!(
                            "400: /continue takes the cursor only, got {:?}",
                            q.keys().collect::<Vec<_>>()
                        )));
                    }
                    let cursor = q.get("cursor").map(text).unwrap_or_default();
                    cursor
                        .strip_prefix("c")
                        .and_then(|n| n.parse().ok())
                        .ok_or_else(|| FakeError(format!("400: bad cursor {cursor}")))?
                } else {
                    if q.get("path") != Some(&json!("/docs")) {
                        return Err(FakeError("400: `path` is required".into()));
                    }
                    0
                };
                let next = from + limit;
                json!({"entries": self.items(from, limit), "cursor": format!("c{next}"),
                       "has_more": next < self.total})
            }
        };
        Ok(Reply::value(page).with_headers(headers).with_url(url))
    }
}

/// A parameter's value as it would be written in a query string.
pub(crate) fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl blocking::Transport for Api {
    type Error = FakeError;
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, FakeError> {
        self.answer(&request)
    }
}

impl nonblocking::Transport for Api {
    type Error = FakeError;
    async fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, FakeError> {
        self.answer(&request)
    }
}
