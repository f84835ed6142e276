//! What a fan-out costs per element as the runs grow: only the members that woke are polled.
//!
//! Every request of every run is a gate that stays pending until the test opens it (and wakes
//! the waker it was last polled with), one gate at a time, oldest first. The fan-out is polled
//! by hand with a waker that does nothing, so the counts are exact: how many times request
//! futures were polled and how many times member streams were polled, divided by the elements
//! handed out. Both stay below a constant for 8, 64 and 512 runs, all fetching at once or
//! 32 at a time; a fan-out that polls every active member on every wake costs as many polls
//! per element as there are runs in flight. And runs take turns a page at a time.

use std::collections::VecDeque;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use futures_core::Stream;
use paginated::fanout::{FanOut, Member};
use paginated::{Model, PageRequest, Reply, nonblocking};
use serde_json::{Value, json};

/// Pages per run and items per page.
const PAGES: u64 = 3;
const PER_PAGE: u64 = 2;

/// One request's gate: pending until opened.
#[derive(Debug, Default)]
struct Gate {
    open: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

/// The gates of every request not yet opened, and how often request futures were polled.
#[derive(Debug, Default)]
struct Gated {
    closed: Mutex<VecDeque<Arc<Gate>>>,
    polls: AtomicU64,
}

impl Gated {
    /// Opens the oldest closed gate and wakes its request; false if none is closed.
    fn open_one(&self) -> bool {
        let Some(gate) = self.closed.lock().unwrap().pop_front() else {
            return false;
        };
        gate.open.store(true, Ordering::SeqCst);
        let waker = gate.waker.lock().unwrap().take();
        waker.expect("a closed gate was polled").wake();
        true
    }
}

impl nonblocking::Transport for Gated {
    type Error = std::io::Error;

    async fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, std::io::Error> {
        let params = request.params();
        let run = params["Run"].as_u64().unwrap_or(0);
        let page: u64 = params
            .get("Marker")
            .and_then(Value::as_str)
            .map_or(0, |m| m.parse().unwrap());
        let gate = Arc::new(Gate::default());
        self.closed.lock().unwrap().push_back(gate.clone());
        poll_fn(|cx| {
            self.polls.fetch_add(1, Ordering::SeqCst);
            if gate.open.load(Ordering::SeqCst) {
                return Poll::Ready(());
            }
            *gate.waker.lock().unwrap() = Some(cx.waker().clone());
            Poll::Pending
        })
        .await;
        let items: Vec<String> = (0..PER_PAGE)
            .map(|i| format!("r{run}-p{page}-{i}"))
            .collect();
        let mut out = json!({ "Items": items });
        if page + 1 < PAGES {
            out["Marker"] = json!((page + 1).to_string());
        }
        Ok(Reply::value(out))
    }
}

/// A member whose polls are counted.
struct Counted<S> {
    stream: S,
    polls: Arc<AtomicU64>,
}

impl<S: Stream + Unpin> Stream for Counted<S> {
    type Item = S::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = self.get_mut();
        this.polls.fetch_add(1, Ordering::SeqCst);
        Pin::new(&mut this.stream).poll_next(cx)
    }
}

impl<S: Member> Member for Counted<S> {
    fn resume_token(&self) -> Option<String> {
        self.stream.resume_token()
    }

    fn page_done(&self) -> bool {
        self.stream.page_done()
    }

    fn requests_sent(&self) -> u64 {
        self.stream.requests_sent()
    }
}

/// The model of every run here: items at `Items`, the next marker read from `next`.
fn list(next: &str) -> Model {
    Model::builder("List")
        .input_token("Marker")
        .output_token(next)
        .result_key("Items")
        .build()
        .unwrap()
}

/// What `fan` hands out while it is ready, polled with a waker that does nothing.
fn ready_values<S, T>(fan: &mut FanOut<S>) -> Vec<T>
where
    S: Member<Item = Result<T, paginated::Error>>,
{
    let mut cx = Context::from_waker(Waker::noop());
    let mut seen = Vec::new();
    while let Poll::Ready(Some(element)) = Pin::new(&mut *fan).poll_next(&mut cx) {
        seen.push(element.unwrap().value);
    }
    seen
}

/// Polls per element handed out: (request futures, member streams).
fn polls_per_element(runs: u64, concurrency: usize) -> (f64, f64) {
    let model = list("Marker");
    let gated = Gated::default();
    let member_polls = Arc::new(AtomicU64::new(0));
    let mut fan: FanOut<_> = (0..runs)
        .map(|run| Counted {
            stream: model.paginate_async(&gated, json!({ "Run": run })).items(),
            polls: member_polls.clone(),
        })
        .collect::<FanOut<_>>()
        .concurrency(concurrency);
    let mut cx = Context::from_waker(Waker::noop());
    let mut seen = Vec::new();
    loop {
        match Pin::new(&mut fan).poll_next(&mut cx) {
            Poll::Ready(Some(item)) => seen.push(item.unwrap().value),
            Poll::Ready(None) => break,
            Poll::Pending => assert!(gated.open_one(), "pending with no request to answer"),
        }
    }
    let elements = runs * PAGES * PER_PAGE;
    assert_eq!(seen.len() as u64, elements);
    assert!(fan.checkpoint().is_done());
    assert_eq!(fan.requests_sent(), runs * PAGES);
    let per_element = |polls: u64| polls as f64 / elements as f64;
    (
        per_element(gated.polls.load(Ordering::SeqCst)),
        per_element(member_polls.load(Ordering::SeqCst)),
    )
}

#[test]
fn polls_per_element_do_not_grow_with_the_runs() {
    for runs in [8, 64, 512] {
        for concurrency in [runs as usize, 32] {
            let (requests, members) = polls_per_element(runs, concurrency);
            // A request is polled at most three times (pending when its run asks for the
            // next page, again once its run is parked to wait for a wake, then ready) for a
            // page of two elements; a member once per element and at most twice more per page
            // while its request is pending. A fan-out that polls every active member on every
            // wake makes both grow with the runs in flight.
            assert!(
                requests <= 1.5 && members <= 2.5,
                "{runs} runs, {concurrency} at a time: {requests:.2} request polls and \
                 {members:.2} member polls per element"
            );
        }
    }
}

/// Fairness: runs take turns a page at a time. A run hands out its page in one go, and once
/// it is done the run is asked for its next page at once (so that its request goes out while
/// the others' pages are handed out); a page it already has in hand then waits its turn,
/// behind the others, after its first element.
#[test]
fn runs_take_turns_a_page_at_a_time() {
    let model = list("Next");
    // Two pages of three items per run, all ready at once.
    let ready = nonblocking::from_fn(|request| async move {
        let run = request.params()["Run"].as_u64().unwrap_or(0);
        let second = request.params().contains_key("Marker");
        let page = u64::from(second);
        let items: Vec<String> = (0..3).map(|i| format!("r{run}-p{page}-{i}")).collect();
        let next = (!second).then_some("m");
        Ok::<_, std::io::Error>(json!({ "Items": items, "Next": next }))
    });
    let mut fan: FanOut<_> = (0..2)
        .map(|run| model.paginate_async(&ready, json!({ "Run": run })).items())
        .collect();
    let seen: Vec<Value> = ready_values(&mut fan);
    let expected = [
        "r0-p0-0", "r0-p0-1", "r0-p0-2", "r0-p1-0", "r1-p0-0", "r1-p0-1", "r1-p0-2", "r1-p1-0",
        "r0-p1-1", "r0-p1-2", "r1-p1-1", "r1-p1-2",
    ];
    assert_eq!(seen, expected);
}

/// Runs of pages whose answers are all in hand at once (an in-process transport, a run whose
/// lookahead answer is in) still take turns: a run's next page, got as soon as its page is
/// handed out, sends it behind the others, even though that element ends a page too.
#[test]
fn runs_of_pages_in_hand_take_turns() {
    let model = list("Next");
    // Four pages of one item per run, all ready at once.
    let ready = nonblocking::from_fn(|request| async move {
        let run = request.params()["Run"].as_u64().unwrap_or(0);
        let page: u64 = request
            .params()
            .get("Marker")
            .and_then(|m| m.as_str()?.parse().ok())
            .unwrap_or(0);
        let next = (page < 3).then(|| (page + 1).to_string());
        Ok::<_, std::io::Error>(json!({ "Items": [format!("r{run}-p{page}")], "Next": next }))
    });
    let expected = [
        "r0-p0", "r0-p1", "r1-p0", "r1-p1", "r0-p2", "r0-p3", "r1-p2", "r1-p3",
    ];
    let mut pages: FanOut<_> = (0..2)
        .map(|run| model.paginate_async(&ready, json!({ "Run": run })))
        .collect();
    let seen: Vec<Value> = ready_values(&mut pages);
    let first_items: Vec<&Value> = seen.iter().map(|page| &page["Items"][0]).collect();
    assert_eq!(first_items, expected, "pages");
    let mut items: FanOut<_> = (0..2)
        .map(|run| model.paginate_async(&ready, json!({ "Run": run })).items())
        .collect();
    let seen: Vec<Value> = ready_values(&mut items);
    assert_eq!(seen, expected, "items of one-item pages");
}

/// A member scripted poll by poll: `per_page` elements a page, `total` in all; with
/// `pending_first`, every element comes after a poll that is pending and wakes the member at
/// once (its answer arrives right after).
struct Scripted {
    name: &'static str,
    polls: usize,
    given: usize,
    per_page: usize,
    pending_first: bool,
    total: usize,
}

impl Stream for Scripted {
    type Item = Result<String, paginated::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.polls += 1;
        if this.given == this.total {
            return Poll::Ready(None);
        }
        if this.pending_first && this.polls % 2 == 1 {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        this.given += 1;
        Poll::Ready(Some(Ok(format!("{}{}", this.name, this.given))))
    }
}

impl Member for Scripted {
    fn resume_token(&self) -> Option<String> {
        None
    }
    fn page_done(&self) -> bool {
        self.given.is_multiple_of(self.per_page)
    }
    fn requests_sent(&self) -> u64 {
        0
    }
}

/// A member with elements in hand is not kept waiting for as long as another keeps waking:
/// the members that woke and those with elements in hand take turns.
#[test]
fn a_run_with_elements_in_hand_is_not_starved_by_runs_that_keep_waking() {
    let ready = Scripted {
        name: "a",
        polls: 0,
        given: 0,
        per_page: 2,
        pending_first: false,
        total: 6,
    };
    let waking = Scripted {
        name: "b",
        polls: 0,
        given: 0,
        per_page: 1,
        pending_first: true,
        total: 40,
    };
    let seen: Vec<String> = ready_values(&mut FanOut::new(vec![ready, waking]));
    assert_eq!(seen.len(), 46);
    // Every element of `a` comes within a few of `b`'s after the one before it.
    let a_at: Vec<usize> = (0..seen.len())
        .filter(|&i| seen[i].starts_with('a'))
        .collect();
    assert_eq!(a_at.len(), 6);
    let longest_wait = a_at.windows(2).map(|w| w[1] - w[0] - 1).max().unwrap();
    assert!(
        longest_wait <= 2,
        "a waited {longest_wait} elements of b: {seen:?}"
    );
}
