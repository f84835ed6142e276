//! The driver layer itself: each `Driver` really drives the way its name says. Lookahead is
//! invisible in what the cases assert (that is its contract), so without this check a
//! lookahead module that silently ran without lookahead, or an async module that polled on the
//! test's own thread, would pass every case; and a body wire that handed the run `Value`s
//! would pass every `body_` case. Loaded by `tests/rules.rs` only.

use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use paginate_tests::{FakeError, Scripted, Wire, Wired, model};
use paginated::{PageRequest, Reply, blocking, nonblocking};
use serde_json::{Map, Value, json};

use crate::matrix::Driver;

/// A scripted service that also records the thread of every request.
#[derive(Debug)]
struct Threads {
    script: Scripted,
    threads: Mutex<Vec<ThreadId>>,
}

impl Threads {
    fn new() -> Arc<Threads> {
        Arc::new(Threads {
            script: Scripted::new([
                json!({"Users": ["a"], "NextMarker": "m1"}),
                json!({"Users": ["b"], "NextMarker": "m2"}),
                json!({"Users": ["c"]}),
            ]),
            threads: Mutex::new(Vec::new()),
        })
    }

    fn threads(&self) -> Vec<ThreadId> {
        self.threads.lock().unwrap().clone()
    }

    /// Waits until `n` requests were sent: a blocking lookahead sends from its own thread.
    fn wait_for(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.script.calls().len() < n && Instant::now() < deadline {
            thread::yield_now();
        }
    }
}

impl blocking::Transport for Threads {
    type Error = FakeError;

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, FakeError> {
        self.threads.lock().unwrap().push(thread::current().id());
        blocking::Transport::fetch(&self.script, request)
    }
}

paginate_tests::answers_at_once!(Threads);

/// After the first page: how many requests were sent, and whether any came from this thread.
fn after_first_page(driver: Driver) -> (Vec<Value>, bool) {
    let users = model(
        "ListUsers",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": "Users"}),
    );
    let api = Threads::new();
    let mut pages = driver.paginate(&users, &api, json!({}));
    let first = pages.next().unwrap().unwrap();
    assert_eq!(
        first,
        json!({"Users": ["a"], "NextMarker": "m1"}),
        "{driver:?}"
    );
    if driver == Driver::LookaheadBlocking {
        api.wait_for(2);
    }
    let calls = api.script.calls();
    let here = thread::current().id();
    let on_this_thread = api.threads().contains(&here);
    // The rest of the run is as without lookahead, and sends nothing more than it needs.
    let rest: Vec<Value> = pages.map(Result::unwrap).collect();
    assert_eq!(
        rest,
        [
            json!({"Users": ["b"], "NextMarker": "m2"}),
            json!({"Users": ["c"]})
        ],
        "{driver:?}"
    );
    assert_eq!(
        api.script.calls(),
        [json!({}), json!({"Marker": "m1"}), json!({"Marker": "m2"})],
        "{driver:?}"
    );
    (calls, on_this_thread)
}

#[test]
fn blocking_sends_one_request_per_page_from_the_callers_thread() {
    assert_eq!(after_first_page(Driver::Blocking), (vec![json!({})], true));
}

#[test]
fn async_polls_on_a_runtime_worker_and_does_not_fetch_ahead() {
    assert_eq!(after_first_page(Driver::Async), (vec![json!({})], false));
}

#[test]
fn lookahead_blocking_sends_the_next_request_from_another_thread_before_it_is_asked_for() {
    let (calls, on_this_thread) = after_first_page(Driver::LookaheadBlocking);
    assert_eq!(calls, [json!({}), json!({"Marker": "m1"})]);
    // A threaded fetch: no request of the run is sent from the caller's thread.
    assert!(!on_this_thread);
}

#[test]
fn lookahead_async_starts_the_next_request_before_it_is_asked_for() {
    assert_eq!(
        after_first_page(Driver::LookaheadAsync),
        (vec![json!({}), json!({"Marker": "m1"})], false)
    );
}

/// The wire layer: over `Wire::Body` the run is handed the page's bytes, not the `Value`
/// (else every `body_` module would quietly test the Value path again), and over
/// `Wire::Value` the service's own reply; errors pass through on both.
#[test]
fn the_body_wire_hands_the_run_bytes_and_the_value_wire_the_value() {
    let page = json!({"Users": ["a", "é"], "NextMarker": 1.5});
    let params = Map::new();
    let request = PageRequest::new("ListUsers", &params);
    for wire in Wire::ALL {
        let api = Wired::new(Arc::new(Scripted::new([page.clone(), page.clone()])), wire);
        let expected = match wire {
            Wire::Value => Reply::value(page.clone()),
            Wire::Body => Reply::body(serde_json::to_vec(&page).unwrap()),
        };
        assert_eq!(
            blocking::Transport::fetch(&api, request.clone()).unwrap(),
            expected,
            "{wire:?}"
        );
        let answered =
            crate::matrix::block_on(nonblocking::Transport::fetch(&api, request.clone()));
        assert_eq!(answered.unwrap(), expected, "{wire:?}");
        let failed = blocking::Transport::fetch(&api, request.clone()).unwrap_err();
        assert!(failed.0.starts_with("no response scripted"), "{failed}");
    }
}
