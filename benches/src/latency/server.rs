//! The loopback listing server of the `latency` mode: axum on a current-thread tokio runtime
//! of its own, on a thread of its own, bound to `127.0.0.1:0`.
//!
//! `GET /objects?run=R&limit=N[&cursor=C][&segment=S&segments=T]` answers one page of a listing
//! of `objects` items after waiting `latency` (a server-side sleep: that wait *is* the network
//! and the backend being simulated; other requests are served meanwhile). The answer is
//! `{"objects": [...], "next_cursor": "123"}`, without `next_cursor` on the last page.
//!
//! Every request is counted under its `run` parameter on arrival, before the wait, so a
//! request whose answer is thrown away still counts: each measured run passes a `run` of its
//! own and asks [`Server::requests`] how many it sent. The client's address of each request is
//! kept too, so [`Server::connections`] tells how many connections a run used.
//!
//! `segment`/`segments` (optional) serve the `segment`-th of `segments` contiguous slices of
//! the listing, for the fan-out measurement (`fan_out` in `mod.rs`).
//!
//! The listener is bound before [`Server::start`] returns, so the server is usable at once:
//! connections made before the accept loop runs wait in the listen backlog.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::oneshot;

/// What the handler needs: the listing's length, the wait, and the counts per run.
#[derive(Debug)]
struct Listing {
    objects: usize,
    latency: Duration,
    requests: Mutex<HashMap<String, u64>>,
    /// The client addresses (one per connection) each run's requests came from.
    peers: Mutex<HashMap<String, HashSet<SocketAddr>>>,
}

/// The query of one page request.
#[derive(Debug, Deserialize)]
struct PageQuery {
    run: String,
    limit: usize,
    cursor: Option<String>,
    segment: Option<usize>,
    segments: Option<usize>,
}

/// A running server; dropping it shuts it down and waits for its thread.
#[derive(Debug)]
pub(super) struct Server {
    addr: SocketAddr,
    listing: Arc<Listing>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves a listing of `objects` items, each request answered after `latency`.
    pub(super) fn start(objects: usize, latency: Duration) -> Result<Server, String> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let listing = Arc::new(Listing {
            objects,
            latency,
            requests: Mutex::new(HashMap::new()),
            peers: Mutex::new(HashMap::new()),
        });
        let (tx, rx) = oneshot::channel::<()>();
        let app = Router::new()
            .route("/objects", get(page))
            .with_state(listing.clone());
        let thread = std::thread::Builder::new()
            .name("latency-server".into())
            .spawn(move || {
                let served = runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    axum::serve(
                        listener,
                        app.into_make_service_with_connect_info::<SocketAddr>(),
                    )
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                });
                if let Err(e) = served {
                    eprintln!("paginate-bench: latency server: {e}");
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(Server {
            addr,
            listing,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    pub(super) fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many requests carried `run` so far.
    pub(super) fn requests(&self, run: &str) -> u64 {
        let counts = self
            .listing
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        counts.get(run).copied().unwrap_or(0)
    }

    /// How many connections the requests that carried `run` came on.
    pub(super) fn connections(&self, run: &str) -> u64 {
        let peers = self
            .listing
            .peers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        peers.get(run).map_or(0, |p| p.len() as u64)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The items `[first, end)` of one segment: the `segment`-th of `segments` contiguous slices.
fn segment_bounds(objects: usize, segment: usize, segments: usize) -> (usize, usize) {
    let per = objects.div_ceil(segments);
    (
        (segment * per).min(objects),
        ((segment + 1) * per).min(objects),
    )
}

async fn page(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    State(listing): State<Arc<Listing>>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Value>, (StatusCode, String)> {
    {
        let mut counts = listing
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *counts.entry(query.run.clone()).or_insert(0) += 1;
    }
    listing
        .peers
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(query.run.clone())
        .or_default()
        .insert(peer);
    tokio::time::sleep(listing.latency).await;
    let bad = |why: String| (StatusCode::BAD_REQUEST, why);
    let (segment, segments) = match (query.segment, query.segments) {
        (None, None) => (0, 1),
        (Some(s), Some(t)) if s < t => (s, t),
        _ => {
            return Err(bad(
                "segment must come with segments, and be below it".into()
            ));
        }
    };
    let (start, end) = segment_bounds(listing.objects, segment, segments);
    let first = match &query.cursor {
        None => start,
        Some(c) => match c.parse::<usize>() {
            Ok(i) if (start..end).contains(&i) => i,
            _ => return Err(bad(format!("no such cursor {c:?}"))),
        },
    };
    if query.limit == 0 {
        return Err(bad("limit must be at least 1".into()));
    }
    let last = (first + query.limit).min(end);
    let objects: Vec<Value> = (first..last)
        .map(|i| {
            json!({"id": i, "key": format!("photos/2024/IMG_{i:07}.jpg"), "size": (i * 7919) % 100_000,
                   "etag": format!("{:032x}", i.wrapping_mul(2_654_435_761))})
        })
        .collect();
    let mut body = json!({ "objects": objects });
    if last < end {
        body["next_cursor"] = Value::String(last.to_string());
    }
    Ok(Json(body))
}
