//! `nonblocking::Pages::lookahead_spawned` (feature `tokio` of paginated): the next request
//! reaches the server while the consumer holds a page and does not poll the stream, over a
//! client that opens a new connection for every request, where plain `lookahead()` waits for
//! the next poll (it still does); every token is that of a plain run; dropping the stream
//! aborts the request; a panicking transport, or a runtime shut down under the request, is a
//! transport error; outside a runtime the request is polled in place.
//!
//! The listing here has a server of its own ([`Counted`]) that raises a signal the moment a
//! request arrives, before it answers, and records the client port of each request, which
//! tells new connections from reused ones.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::task::{Poll, Wake, Waker};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Query, State};
use axum::routing::get;
use paginated::nonblocking::{Pages, SpawnedRequestError, from_fn};
use tokio::sync::watch;

use super::server::Server;
use super::*;

/// Pages of the counted listing.
const PAGES: usize = 4;
/// Items on each of them.
const PER_PAGE: usize = 2;

/// How long the consumer waits for a request that must arrive: long enough for any machine,
/// and a test that waits this long has failed.
const MUST_ARRIVE: Duration = Duration::from_secs(20);

/// What the counted server saw: the client address of each request, in order of arrival,
/// and a condition variable raised at each, for a consumer that blocks its thread.
#[derive(Debug, Default)]
struct Seen {
    peers: Mutex<Vec<SocketAddr>>,
    raised: Condvar,
}

type Peers = Arc<Seen>;

/// A listing of `PAGES` pages of `PER_PAGE` numbers at `GET /items?after=N`, each page with
/// `next` while more remain. `arrived` counts requests as they arrive, before the answer.
#[derive(Debug)]
struct Counted {
    addr: SocketAddr,
    arrived: watch::Receiver<usize>,
    peers: Peers,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

type CountedState = (watch::Sender<usize>, Peers);

async fn counted_page(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    State((arrived, peers)): State<CountedState>,
    Query(query): Query<HashMap<String, String>>,
) -> axum::Json<Value> {
    peers
        .peers
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(peer);
    peers.raised.notify_all();
    arrived.send_modify(|n| *n += 1);
    let start = query
        .get("after")
        .and_then(|a| a.parse::<usize>().ok())
        .map_or(0, |a| a + 1);
    let items: Vec<usize> = (start..(start + PER_PAGE).min(PAGES * PER_PAGE)).collect();
    let mut page = json!({ "items": items });
    if start + PER_PAGE < PAGES * PER_PAGE {
        page["next"] = json!((start + PER_PAGE - 1).to_string());
    }
    axum::Json(page)
}

impl Counted {
    /// Serves on 127.0.0.1, on a port the OS picks, from a thread and runtime of its own.
    fn start() -> Counted {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (count, arrived) = watch::channel(0usize);
        let peers = Peers::default();
        let (stop, mut stopped) = watch::channel(false);
        let app = Router::new()
            .route("/items", get(counted_page))
            .with_state((count, peers.clone()));
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(
                    listener,
                    app.into_make_service_with_connect_info::<SocketAddr>(),
                )
                .with_graceful_shutdown(async move {
                    let _ = stopped.wait_for(|stop| *stop).await;
                })
                .await
                .unwrap();
            });
        });
        Counted {
            addr,
            arrived,
            peers,
            stop,
            thread: Some(thread),
        }
    }

    /// Waits until `n` requests have arrived; `false` if they have not within `within`.
    async fn arrived(&self, n: usize, within: Duration) -> bool {
        let mut arrived = self.arrived.clone();
        tokio::time::timeout(within, arrived.wait_for(|seen| *seen >= n))
            .await
            .is_ok_and(|seen| seen.is_ok())
    }

    /// Like [`Counted::arrived`], blocking the thread: for a consumer that computes.
    fn arrived_blocking(&self, n: usize, within: Duration) -> bool {
        let peers = self
            .peers
            .peers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (peers, _) = self
            .peers
            .raised
            .wait_timeout_while(peers, within, |peers| peers.len() < n)
            .unwrap_or_else(PoisonError::into_inner);
        peers.len() >= n
    }

    fn peers(&self) -> Vec<SocketAddr> {
        self.peers
            .peers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn counted_model() -> Model {
    Model::builder("ListItems")
        .route("GET /items")
        .input_token("after")
        .output_token("next")
        .result_key("items")
        .build()
        .unwrap()
}

/// An `HttpTransport` whose client keeps no idle connection: every request opens its own.
fn no_keep_alive(server: &Counted) -> Arc<HttpTransport> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    Arc::new(HttpTransport::new(client, &format!("http://{}", server.addr)).unwrap())
}

/// Takes page 1, then, holding it and not polling the stream, waits up to `within` for the
/// request for page 2 to reach the server; then reads the rest. Returns whether it arrived
/// in time, and every item.
async fn hold_page_one(
    server: &Counted,
    mut pages: Pages<'static, Arc<HttpTransport>>,
    within: Duration,
) -> (bool, Vec<Value>) {
    let first = pages.next().await.unwrap().unwrap();
    let mut items = first["items"].as_array().unwrap().clone();
    let sent_ahead = server.arrived(2, within).await;
    while let Some(page) = pages.next().await {
        items.extend(page.unwrap()["items"].as_array().unwrap().iter().cloned());
    }
    (sent_ahead, items)
}

fn all_items() -> Vec<Value> {
    (0..PAGES * PER_PAGE).map(|n| json!(n)).collect()
}

#[test]
fn spawned_lookahead_sends_while_the_consumer_holds_a_page_on_a_new_connection() {
    let server = Counted::start();
    let api = no_keep_alive(&server);
    let pages = counted_model()
        .paginate_async(api, json!({}))
        .lookahead_spawned();
    // A current-thread runtime: the request's task runs while the consumer awaits something
    // other than the stream.
    let (sent_ahead, items) = block_on(hold_page_one(&server, pages, MUST_ARRIVE));
    assert!(
        sent_ahead,
        "the request for page 2 did not reach the server while the consumer held page 1"
    );
    assert_eq!(items, all_items());
    // One request per page, each from a port of its own: no connection was reused.
    let peers = server.peers();
    assert_eq!(peers.len(), PAGES);
    let mut ports: Vec<u16> = peers.iter().map(SocketAddr::port).collect();
    ports.sort_unstable();
    ports.dedup();
    assert_eq!(ports.len(), PAGES, "a connection was reused: {peers:?}");
}

#[test]
fn spawned_lookahead_sends_while_the_consumer_blocks_its_thread() {
    // A consumer that holds its thread (as computation does) on a multi-threaded runtime: the
    // request runs on the worker meanwhile.
    let server = Counted::start();
    let api = no_keep_alive(&server);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (sent_ahead, items) = runtime.block_on(async {
        let mut pages = counted_model()
            .paginate_async(api, json!({}))
            .lookahead_spawned();
        let mut items = Vec::new();
        let mut sent_ahead = Vec::new();
        let mut page_number = 0;
        while let Some(page) = pages.next().await {
            page_number += 1;
            items.extend(page.unwrap()["items"].as_array().unwrap().iter().cloned());
            if page_number < PAGES {
                sent_ahead.push(server.arrived_blocking(page_number + 1, MUST_ARRIVE));
            }
        }
        (sent_ahead, items)
    });
    assert_eq!(
        sent_ahead,
        [true; PAGES - 1],
        "a request waited for the next poll"
    );
    assert_eq!(items, all_items());
    assert_eq!(server.peers().len(), PAGES);
}

#[test]
fn plain_lookahead_still_waits_for_a_poll_to_open_a_connection() {
    // The runtime-free behaviour is unchanged: the request's future moves only when the
    // stream is polled, so on a new connection nothing reaches the server while the consumer
    // holds page 1. (A lower bound: however slow the machine, it cannot arrive sooner.)
    let server = Counted::start();
    let api = no_keep_alive(&server);
    let pages = counted_model().paginate_async(api, json!({})).lookahead();
    let (sent_ahead, items) = block_on(hold_page_one(&server, pages, Duration::from_millis(300)));
    assert!(
        !sent_ahead,
        "page 2 was requested before the stream was polled again"
    );
    assert_eq!(items, all_items());
    assert_eq!(server.peers().len(), PAGES);
}

/// Every page's and every item's resume token of a run, and the requests it sent.
async fn tokens_of(
    pages: Pages<'static, Arc<HttpTransport>>,
    by_item: bool,
) -> (Vec<(Value, Option<String>)>, Option<String>) {
    let mut seen = Vec::new();
    if by_item {
        let mut items = pages.items();
        while let Some(item) = items.next().await {
            seen.push((item.unwrap(), items.resume_token()));
        }
        return (seen, items.resume_token());
    }
    let mut pages = pages;
    while let Some(page) = pages.next().await {
        seen.push((page.unwrap(), pages.resume_token()));
    }
    let last = pages.resume_token();
    (seen, last)
}

#[test]
fn spawned_lookahead_gives_the_tokens_and_requests_of_a_plain_run() {
    for by_item in [false, true] {
        for max_items in [None, Some(8)] {
            let mut config = PaginationConfig::default().page_size(3);
            if let Some(max) = max_items {
                config = config.max_items(max);
            }
            let run = |lookahead: bool| {
                let server = Server::start();
                let api = Arc::new(client(&server));
                let pages = objects_model()
                    .paginate_async(api, photos_params())
                    .config(config.clone());
                let pages = if lookahead {
                    pages.lookahead_spawned()
                } else {
                    pages
                };
                let tokens = block_on(tokens_of(pages, by_item));
                let queries: Vec<_> = server.log().into_iter().map(|l| l.query).collect();
                (tokens, queries)
            };
            let (plain, plain_queries) = run(false);
            let (ahead, ahead_queries) = run(true);
            assert!(plain.0.len() > 2, "the run has several pages");
            assert_eq!(ahead, plain, "by item: {by_item}, max_items: {max_items:?}");
            assert_eq!(ahead_queries, plain_queries);
        }
    }
}

/// Raises `flag` when dropped.
struct RaiseOnDrop(watch::Sender<bool>);

impl Drop for RaiseOnDrop {
    fn drop(&mut self) {
        let _ = self.0.send(true);
    }
}

#[test]
fn dropping_the_stream_aborts_the_spawned_request() {
    let (started, mut has_started) = watch::channel(false);
    let (dropped, mut was_dropped) = watch::channel(false);
    let dropped = Arc::new(Mutex::new(Some(dropped)));
    let api = Arc::new(from_fn(move |request| {
        let page_two = request.params().contains_key("after");
        let guard = page_two.then(|| {
            let _ = started.send(true);
            let sender = dropped
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            sender.map(RaiseOnDrop)
        });
        async move {
            if guard.is_some() {
                // Page 2 never answers: only an abort ends it.
                std::future::pending::<()>().await;
            }
            drop(guard);
            Ok::<_, std::io::Error>(json!({"items": [0, 1], "next": "1"}))
        }
    }));
    block_on(async move {
        let mut pages = counted_model()
            .paginate_async(api, json!({}))
            .lookahead_spawned();
        pages.next().await.unwrap().unwrap();
        tokio::time::timeout(MUST_ARRIVE, has_started.wait_for(|s| *s))
            .await
            .expect("page 2 is requested ahead")
            .unwrap();
        drop(pages);
        let aborted = tokio::time::timeout(MUST_ARRIVE, was_dropped.wait_for(|d| *d)).await;
        assert!(
            matches!(aborted, Ok(Ok(_))),
            "the request for page 2 still runs after its stream was dropped"
        );
    });
}

#[test]
fn a_transport_that_panics_in_the_spawned_request_is_a_transport_error() {
    let api = Arc::new(from_fn(|request| async move {
        if request.params().contains_key("after") {
            panic!("page 2 is out of reach");
        }
        Ok::<_, std::io::Error>(json!({"items": [0, 1], "next": "1"}))
    }));
    let results = block_on(async move {
        let mut pages = counted_model()
            .paginate_async(api, json!({}))
            .lookahead_spawned();
        let mut results = Vec::new();
        while let Some(page) = pages.next().await {
            results.push(page);
        }
        (results, pages.resume_token())
    });
    let (results, token) = results;
    assert_eq!(results.len(), 2, "{results:?}");
    assert!(results[0].is_ok());
    let error = results[1].as_ref().unwrap_err();
    let Error::Transport { page, .. } = error else {
        panic!("not a transport error: {error}");
    };
    assert_eq!(*page, 2, "{error}");
    let source = std::error::Error::source(error).unwrap();
    match source.downcast_ref::<SpawnedRequestError>() {
        Some(SpawnedRequestError::Panicked { message }) => {
            assert_eq!(message, "page 2 is out of reach");
        }
        other => panic!("not a caught panic: {other:?} ({source})"),
    }
    // The run's token fetches page 2 again (L7).
    assert!(token.is_some_and(|t| !t.is_empty()));
}

/// Polls `future` to the end on this thread, with no tokio runtime anywhere near it.
fn block_on_without_runtime<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park();
    }
}

#[test]
fn without_a_runtime_the_spawned_lookahead_polls_in_place() {
    let api = Arc::new(from_fn(|request| async move {
        let after = request.params().get("after").and_then(Value::as_str);
        Ok::<_, std::io::Error>(match after {
            None => json!({"items": [0, 1], "next": "1"}),
            Some("1") => json!({"items": [2, 3], "next": "3"}),
            Some(_) => json!({"items": [4]}),
        })
    }));
    assert!(tokio::runtime::Handle::try_current().is_err());
    let listed = block_on_without_runtime(async move {
        let mut items = counted_model()
            .paginate_async(api, json!({}))
            .lookahead_spawned()
            .items();
        let mut listed = Vec::new();
        while let Some(item) = items.next().await {
            listed.push((item.unwrap(), items.resume_token()));
        }
        listed
    });
    let items: Vec<Value> = listed.iter().map(|(item, _)| item.clone()).collect();
    assert_eq!(items, [json!(0), json!(1), json!(2), json!(3), json!(4)]);
    assert_eq!(listed.last().map(|(_, token)| token.clone()), Some(None));
}

#[test]
fn a_runtime_shut_down_under_the_spawned_request_is_a_transport_error() {
    let api = Arc::new(from_fn(|request| async move {
        if request.params().contains_key("after") {
            // Page 2 is still in flight when its runtime goes away.
            std::future::pending::<()>().await;
        }
        Ok::<_, std::io::Error>(json!({"items": [0, 1], "next": "1"}))
    }));
    let first_runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut pages = counted_model()
        .paginate_async(api, json!({}))
        .lookahead_spawned();
    let first = first_runtime.block_on(pages.next());
    assert!(matches!(first, Some(Ok(_))), "{first:?}");
    drop(first_runtime);
    let second = block_on_without_runtime(pages.next());
    let Some(Err(error @ Error::Transport { page, .. })) = &second else {
        panic!("not a transport error: {second:?}");
    };
    assert_eq!(*page, 2, "{error}");
    let source = std::error::Error::source(error).unwrap();
    assert!(
        matches!(
            source.downcast_ref::<SpawnedRequestError>(),
            Some(SpawnedRequestError::Cancelled)
        ),
        "{source}"
    );
    assert!(block_on_without_runtime(pages.next()).is_none());
}
