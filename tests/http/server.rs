//! The embedded HTTP server of the HTTP transport tests: an axum app on 127.0.0.1 (a port the
//! OS picks) with in-memory data, and a log of every request exactly as it arrived (method,
//! raw path, query pairs, headers, body, arrival time) for the tests to read.
//!
//! These APIs are served:
//!
//! - `GET /buckets/{Bucket}/objects?prefix=&marker=&max-keys=`: an S3-style listing of
//!   [`bucket_keys`] in the bucket [`BUCKET`] (other buckets are a 404 with a JSON body);
//! - `POST /v1/users/search` with a JSON body `{"filter": {"team": …}, "cursor": …,
//!   "limit": …}`: [`users`] of a team, a page at a time;
//! - [`things`] in the pagination styles of REST APIs (SEMANTICS §8), each page's next
//!   position where that API puts it:
//!   - `GET /repos/things?page=&per_page=`: GitHub's, a bare JSON array and a `Link` header
//!     with the absolute URL of the next page;
//!   - `GET /honeycomb/things?page[size]=&page[after]=`: Honeycomb's, `{"data": […],
//!     "links": {"next": "/honeycomb/things?page[after]=…"}}`, a URL relative to the host;
//!   - `GET /shop/orders?status=&limit=&api-version=` then `?page_info=&limit=&api-version=`:
//!     Shopify's, `{"orders": […]}` and a `Link` header; `api-version` is required on every
//!     request, and a filter next to `page_info` is a 400, as Shopify answers;
//!   - `GET /cursor/things?limit=` with the request header `X-Cursor`: `{"items": […]}` and
//!     the next cursor in the response header `X-Next-Cursor`.
//!
//!   Absolute links are written under the URL the request came to, or under the base set with
//!   [`Server::link_base`] (another server, a host behind a proxy).
//!
//! Any request can be given another answer by a [`Reply`] scripted for the n-th *distinct*
//! request (same method, path, query and body = same request: a retry is the same page), so a
//! test can fail the first try of page 2, or answer page 1 with HTML.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Instant;

use axum::Router;
use axum::body::to_bytes;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::watch;

/// The bucket the listing serves: its name needs encoding in a path (`/`, space, non-ASCII).
pub(crate) const BUCKET: &str = "a/b c ü";

/// The keys of [`BUCKET`], in S3's order. Those under `photos/` hold characters a query
/// string must escape (`&`, `=`, `+`, `#`, `?`, space, `%`, non-ASCII), so every marker sent
/// back exercises the query encoding.
pub(crate) fn bucket_keys() -> Vec<String> {
    let mut keys: Vec<String> = (0..4).map(|i| format!("logs/{i}.txt")).collect();
    keys.extend((0..23).map(|i| format!("photos/{i:02} ü &=+#?%20.jpg")));
    keys
}

/// The users the search serves: 17, on two teams.
pub(crate) fn users() -> Vec<Value> {
    (0..17)
        .map(|i| {
            let team = if i % 2 == 0 { "core" } else { "web" };
            json!({"id": i, "name": format!("user {i} ✓"), "team": team})
        })
        .collect()
}

/// The things the styles APIs list: 10, every other one open.
pub(crate) fn things() -> Vec<Value> {
    (0..10)
        .map(|i| {
            let status = if i % 2 == 0 { "open" } else { "closed" };
            json!({"id": i, "name": format!("thing {i}"), "status": status})
        })
        .collect()
}

/// One request, as the server received it.
#[derive(Debug, Clone)]
pub(crate) struct Logged {
    /// `GET`, `POST`, …
    pub(crate) method: String,
    /// The path as sent, still percent-encoded.
    pub(crate) path: String,
    /// The query string's pairs, decoded, in order.
    pub(crate) query: Vec<(String, String)>,
    /// The headers.
    pub(crate) headers: HeaderMap,
    /// The body, as JSON (`None` when empty or not JSON).
    pub(crate) body: Option<Value>,
    /// When the handler first saw it.
    pub(crate) at: Instant,
    /// Which distinct request it was, from 1: a retry has the number of the try it repeats.
    pub(crate) page: usize,
    /// The status answered (0 for a request left hanging).
    pub(crate) status: u16,
}

impl Logged {
    /// The value of a header, as text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The value of a query param.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server answers instead of the API's page.
#[derive(Debug, Clone)]
pub(crate) enum Reply {
    /// This status, content type and body.
    Answer {
        /// The status.
        status: u16,
        /// The `content-type`.
        content_type: &'static str,
        /// The body.
        body: String,
    },
    /// No answer at all until the server stops.
    Hang,
    /// This status (a 429 or a 503) with a `Retry-After` header of this value.
    RetryAfter {
        /// The status.
        status: u16,
        /// The header's value: seconds, or an HTTP date.
        after: String,
    },
}

impl Reply {
    /// `503 Service Unavailable`, as a busy server says it.
    pub(crate) fn busy() -> Reply {
        Reply::Answer {
            status: 503,
            content_type: "text/plain",
            body: "slow down".into(),
        }
    }
}

#[derive(Default)]
struct Shared {
    log: Vec<Logged>,
    /// The distinct requests seen, in order of first arrival.
    seen: Vec<String>,
    /// Replies by distinct request number, each with how many more times to give it.
    script: HashMap<usize, (Reply, usize)>,
    /// Where absolute links point instead of the server itself.
    link_base: Option<String>,
}

type AppState = (Arc<Mutex<Shared>>, watch::Receiver<bool>);

/// A running server; dropping it stops it.
#[derive(Debug)]
pub(crate) struct Server {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("requests", &self.log.len())
            .finish_non_exhaustive()
    }
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Server {
    /// Binds 127.0.0.1 on a port the OS picks and serves on a thread of its own (with its own
    /// runtime, so blocking clients can use it too). The listener is bound before this
    /// returns, so requests can be sent at once.
    pub(crate) fn start() -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("the bound address");
        let shared = Arc::new(Mutex::new(Shared::default()));
        let (stop, stopped) = watch::channel(false);
        let state: AppState = (shared.clone(), stopped.clone());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("the server's runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                let app = Router::new().fallback(handle).with_state(state);
                let mut stopped = stopped;
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.wait_for(|stop| *stop).await;
                    })
                    .await
                    .expect("the server runs");
            });
        });
        Server {
            addr,
            shared,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Answers the `page`-th distinct request (from 1) with `reply`, the first `times` times it
    /// arrives.
    pub(crate) fn script(&self, page: usize, times: usize, reply: Reply) {
        lock(&self.shared).script.insert(page, (reply, times));
    }

    /// Writes absolute links (`Link` headers, Shopify's and GitHub's) under `base`
    /// (`http://host:port`) instead of under the URL the request came to.
    pub(crate) fn link_base(&self, base: &str) {
        lock(&self.shared).link_base = Some(base.to_owned());
    }

    /// Every request so far, in order of arrival.
    pub(crate) fn log(&self) -> Vec<Logged> {
        lock(&self.shared).log.clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Every request comes here: it is logged, then answered by the script or the API.
async fn handle(State((shared, mut stopped)): State<AppState>, request: Request) -> Response {
    let at = Instant::now();
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let query = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
        .map(|q| q.0)
        .unwrap_or_default();
    let json_body: Option<Value> = serde_json::from_slice(&body).ok();
    let identity = format!(
        "{} {}?{} {}",
        parts.method,
        parts.uri.path(),
        parts.uri.query().unwrap_or(""),
        String::from_utf8_lossy(&body)
    );
    let (page, scripted, link_base) = {
        let mut shared = lock(&shared);
        let page = match shared.seen.iter().position(|s| *s == identity) {
            Some(i) => i + 1,
            None => {
                shared.seen.push(identity);
                shared.seen.len()
            }
        };
        let scripted = match shared.script.get_mut(&page) {
            Some((reply, times)) if *times > 0 => {
                *times -= 1;
                Some(reply.clone())
            }
            _ => None,
        };
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        let link_base = shared
            .link_base
            .clone()
            .unwrap_or_else(|| format!("http://{host}"));
        (page, scripted, link_base)
    };
    let mut extra = Vec::new();
    let (status, content_type, text) = match scripted {
        Some(Reply::Answer {
            status,
            content_type,
            body,
        }) => (status, content_type, body),
        Some(Reply::Hang) => (0, "", String::new()),
        Some(Reply::RetryAfter { status, after }) => {
            extra.push(("retry-after", after));
            (status, "text/plain", "try again later".to_owned())
        }
        None => {
            let (status, page) = match styles_api(
                parts.uri.path(),
                &query,
                &parts.headers,
                &link_base,
                &mut extra,
            ) {
                Some(answer) => answer,
                None => api(
                    parts.method.as_str(),
                    parts.uri.path(),
                    &query,
                    &parts.headers,
                    json_body.as_ref(),
                ),
            };
            (status, "application/json", page.to_string())
        }
    };
    lock(&shared).log.push(Logged {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query,
        headers: parts.headers,
        body: json_body,
        at,
        page,
        status,
    });
    if status == 0 {
        let _ = stopped.wait_for(|stop| *stop).await;
    }
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, [(header::CONTENT_TYPE, content_type)], text).into_response();
    for (name, value) in extra {
        response.headers_mut().append(
            header::HeaderName::from_static(name),
            header::HeaderValue::from_str(&value).expect("a header value"),
        );
    }
    response
}

/// The styles APIs (see the module's documentation), for GETs of their paths; `None` for any
/// other request. Response headers go in `headers`.
fn styles_api(
    path: &str,
    query: &[(String, String)],
    request_headers: &HeaderMap,
    link_base: &str,
    headers: &mut Vec<(&'static str, String)>,
) -> Option<(u16, Value)> {
    let get = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let number = |name: &str, default: usize| match get(name) {
        None => Ok(default),
        Some(text) => text.parse::<usize>().ok().filter(|n| *n > 0).ok_or(()),
    };
    let bad = |what: &str| Some((400, json!({"error": format!("bad {what}")})));
    let all = things();
    match path {
        "/repos/things" => {
            let (Ok(page), Ok(per_page)) = (number("page", 1), number("per_page", 30)) else {
                return bad("page or per_page");
            };
            let start = (page - 1) * per_page;
            let items: Vec<Value> = all.iter().skip(start).take(per_page).cloned().collect();
            let pages = all.len().div_ceil(per_page);
            let link = |n: usize, rel: &str| {
                format!("<{link_base}/repos/things?page={n}&per_page={per_page}>; rel=\"{rel}\"")
            };
            if page < pages {
                let links = [link(page + 1, "next"), link(pages, "last")];
                headers.push(("link", links.join(", ")));
            }
            Some((200, Value::Array(items)))
        }
        "/honeycomb/things" => {
            let Ok(size) = number("page[size]", 3) else {
                return bad("page[size]");
            };
            let after = match get("page[after]").map(str::parse::<usize>) {
                None => None,
                Some(Ok(id)) => Some(id),
                Some(Err(_)) => return bad("page[after]"),
            };
            let start = after.map_or(0, |id| id + 1);
            let items: Vec<Value> = all.iter().skip(start).take(size).cloned().collect();
            let mut links = json!({});
            if start + size < all.len() {
                let last = start + size - 1;
                links["next"] = json!(format!("/honeycomb/things?page[after]={last}"));
            }
            Some((200, json!({"data": items, "links": links})))
        }
        "/shop/orders" => {
            if get("api-version") != Some("2024-04") {
                return Some((400, json!({"error": "api-version 2024-04 is required"})));
            }
            let Ok(limit) = number("limit", 50) else {
                return bad("limit");
            };
            let (status, start) = match get("page_info") {
                Some(info) => {
                    if get("status").is_some() {
                        return Some((
                            400,
                            json!({"error": "page_info cannot be combined with status"}),
                        ));
                    }
                    match info.split_once('.').map(|(s, n)| (s, n.parse::<usize>())) {
                        Some((status, Ok(start))) => (status.to_owned(), start),
                        _ => return bad("page_info"),
                    }
                }
                None => (get("status").unwrap_or("any").to_owned(), 0),
            };
            let matching: Vec<Value> = all
                .into_iter()
                .filter(|t| status == "any" || t["status"] == status.as_str())
                .collect();
            let items: Vec<Value> = matching.iter().skip(start).take(limit).cloned().collect();
            if start + limit < matching.len() {
                let next = format!("{status}.{}", start + limit);
                // A stale api-version in the link: the one the client re-sends replaces it.
                headers.push((
                    "link",
                    format!(
                        "<{link_base}/shop/orders?limit={limit}&page_info={next}&api-version=1999-01>; rel=\"next\""
                    ),
                ));
            }
            Some((200, json!({"orders": items})))
        }
        "/cursor/things" => {
            let Ok(limit) = number("limit", 4) else {
                return bad("limit");
            };
            let start = match request_headers.get("x-cursor").map(|v| v.to_str()) {
                None => 0,
                Some(Ok(cursor)) => match cursor.strip_prefix("after-").map(str::parse::<usize>) {
                    Some(Ok(id)) => id + 1,
                    _ => return bad("X-Cursor"),
                },
                Some(Err(_)) => return bad("X-Cursor"),
            };
            let items: Vec<Value> = all.iter().skip(start).take(limit).cloned().collect();
            if start + limit < all.len() {
                headers.push(("x-next-cursor", format!("after-{}", start + limit - 1)));
            }
            Some((200, json!({"items": items})))
        }
        _ => None,
    }
}

/// The two APIs, over the in-memory data.
fn api(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &HeaderMap,
    body: Option<&Value>,
) -> (u16, Value) {
    let segments: Vec<String> = path
        .split('/')
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    match (method, segments.as_slice()) {
        ("GET", [_, b, bucket, o]) if b == "buckets" && o == "objects" => {
            list_objects(bucket, query)
        }
        ("POST", [_, v, u, s]) if v == "v1" && u == "users" && s == "search" => {
            let json = headers
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| v == "application/json");
            match body {
                Some(body) if json => search_users(body),
                _ => (415, json!({"error": "expected a JSON body"})),
            }
        }
        _ => (404, json!({"error": "no such route", "path": path})),
    }
}

fn list_objects(bucket: &str, query: &[(String, String)]) -> (u16, Value) {
    if bucket != BUCKET {
        return (404, json!({"error": "NoSuchBucket", "bucket": bucket}));
    }
    let get = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let prefix = get("prefix").unwrap_or("");
    let marker = get("marker").unwrap_or("");
    let max = match get("max-keys").map(str::parse::<usize>) {
        None => 1000,
        Some(Ok(max)) if max > 0 => max,
        Some(_) => return (400, json!({"error": "bad max-keys"})),
    };
    let rest: Vec<String> = bucket_keys()
        .into_iter()
        .filter(|k| k.starts_with(prefix) && k.as_str() > marker)
        .collect();
    let page: Vec<Value> = rest
        .iter()
        .take(max)
        .map(|k| json!({"key": k, "size": k.len()}))
        .collect();
    let truncated = rest.len() > max;
    let mut answer = json!({"contents": page, "is_truncated": truncated});
    if truncated {
        answer["next_marker"] = json!(rest[max - 1]);
    }
    (200, answer)
}

fn search_users(body: &Value) -> (u16, Value) {
    let team = body.pointer("/filter/team").and_then(Value::as_str);
    let offset = match body.get("cursor").and_then(Value::as_str) {
        None => 0,
        Some(cursor) => match cursor.strip_prefix("after:").map(str::parse::<usize>) {
            Some(Ok(n)) => n,
            _ => return (400, json!({"error": "bad cursor"})),
        },
    };
    let limit = body.get("limit").and_then(Value::as_u64).unwrap_or(100) as usize;
    let matching: Vec<Value> = users()
        .into_iter()
        .filter(|u| team.is_none_or(|t| u["team"] == t))
        .collect();
    let page: Vec<Value> = matching.iter().skip(offset).take(limit).cloned().collect();
    let mut answer = json!({"users": page});
    if offset + limit < matching.len() {
        answer["next_cursor"] = json!(format!("after:{}", offset + limit));
    }
    (200, answer)
}
