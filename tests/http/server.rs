//! The embedded HTTP server of the HTTP transport tests: an axum app on 127.0.0.1 (a port the
//! OS picks) with in-memory data, and a log of every request exactly as it arrived (method,
//! raw path, query pairs, headers, body, arrival time) for the tests to read.
//!
//! Two APIs are served:
//!
//! - `GET /buckets/{Bucket}/objects?prefix=&marker=&max-keys=`: an S3-style listing of
//!   [`bucket_keys`] in the bucket [`BUCKET`] (other buckets are a 404 with a JSON body);
//! - `POST /v1/users/search` with a JSON body `{"filter": {"team": …}, "cursor": …,
//!   "limit": …}`: [`users`] of a team, a page at a time.
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
    let (page, scripted) = {
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
        (page, scripted)
    };
    let (status, content_type, text) = match scripted {
        Some(Reply::Answer {
            status,
            content_type,
            body,
        }) => (status, content_type, body),
        Some(Reply::Hang) => (0, "", String::new()),
        None => {
            let (status, page) = api(
                parts.method.as_str(),
                parts.uri.path(),
                &query,
                &parts.headers,
                json_body.as_ref(),
            );
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
    (status, [(header::CONTENT_TYPE, content_type)], text).into_response()
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
