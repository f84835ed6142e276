//! The fault soak (feature `http`): a long listing over loopback HTTP through the ready
//! `RetryPolicy` and its attempt timeout, against a server that resets connections mid-body,
//! truncates bodies, answers bursts of 503s and 429s with `Retry-After`, and stalls bodies past
//! the timeout (`soak/server.rs`). Async (the policy's `tower` layer) and blocking
//! (`retry(policy)`), each:
//!
//! - every item arrives exactly once, by id;
//! - memory stays flat: resident memory after warm-up grows by less than a bound far below
//!   what keeping the pages would take;
//! - an outage armed at 60% of the items spends the retry budget, and the run ends with a
//!   typed error saying so, and with no other error before it;
//! - a run resumed from the failed run's token (a new transport, so a new budget) finishes
//!   the listing, faults still injected.
//!
//! `PAGINATE_SOAK_PAGES` sets the pages of 50 items per run (default 2,000, which CI runs);
//! `PAGINATE_SOAK_PAGES=10000 cargo test -p paginate-tests --features http --test soak --
//! --nocapture` is the long run whose figures are in BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "soak/server.rs"]
mod server;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use paginated::http::{BlockingHttpTransport, HttpError, HttpTransport, RetryPolicy, RetryStop};
use paginated::{Error, Model, PaginationConfig};
use serde_json::{Value, json};
use tower::ServiceBuilder;

use server::{Fault, FaultyServer};

/// Items per page.
const PAGE: usize = 50;
/// The client's limit on each attempt; a slow body stalls for three times as long.
const TIMEOUT: Duration = Duration::from_millis(500);
/// How much resident memory may grow once warmed up. Keeping the pages would take far more:
/// each is about 11 kB of text, so 1,000 pages are 11 MB before parsing, and 10,000 are 110 MB.
const RSS_GROWTH: u64 = 8 << 20;

fn pages() -> usize {
    std::env::var("PAGINATE_SOAK_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

fn model() -> Model {
    Model::builder("ListItems")
        .route("GET /items")
        .input_token("after")
        .output_token("next")
        .limit_key("limit")
        .result_key("items")
        .build()
        .unwrap()
}

/// Retries as production would, faster: the budget (2 s window, 5 retries a second and 10%
/// of requests) is what stops retries, not the attempt limit.
fn policy() -> RetryPolicy {
    RetryPolicy::builder()
        .max_retries(1_000)
        .backoff(Duration::from_millis(1), Duration::from_millis(50))
        .attempt_timeout(TIMEOUT)
        .budget(Duration::from_secs(2), 5, 0.1)
        .build()
        .unwrap()
}

/// Resident memory, from `/proc/self/statm` (pages of 4 KiB).
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let resident: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    resident * 4096
}

/// What the listing has seen: how often each id arrived, and resident memory along the way.
struct Tally {
    seen: Vec<u32>,
    items: usize,
    warm: Option<u64>,
    peak: u64,
}

impl Tally {
    fn new(total: usize) -> Tally {
        Tally {
            seen: vec![0; total],
            items: 0,
            warm: None,
            peak: 0,
        }
    }

    fn item(&mut self, item: &Value) {
        let id = item["id"].as_u64().expect("an id") as usize;
        self.seen[id] += 1;
        self.items += 1;
        // Memory from the 100th page on, every 20 pages.
        if self.items.is_multiple_of(PAGE * 20) && self.items >= PAGE * 100 {
            let now = rss();
            self.warm.get_or_insert(now);
            self.peak = self.peak.max(now);
        }
    }
}

/// What ended a run: its error (if any) and its resume token.
type Ended = (Option<Error>, Option<String>);

fn run_async(base: &str, start: Option<String>, tally: &mut Tally) -> Ended {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let stack = ServiceBuilder::new()
            .layer(policy().layer())
            .service(reqwest::Client::new());
        let api = HttpTransport::with_service(stack, base).unwrap();
        let config = PaginationConfig::default()
            .page_size(PAGE as u64)
            .starting_token(start);
        let model = model();
        let mut run = model.paginate_async(&api, json!({})).config(config).items();
        while let Some(item) = run.next().await {
            match item {
                Ok(item) => tally.item(&item),
                Err(e) => return (Some(e), run.resume_token()),
            }
        }
        (None, run.resume_token())
    })
}

fn run_blocking(base: &str, start: Option<String>, tally: &mut Tally) -> Ended {
    let api = BlockingHttpTransport::new(reqwest::blocking::Client::new(), base)
        .unwrap()
        .retry(policy());
    let config = PaginationConfig::default()
        .page_size(PAGE as u64)
        .starting_token(start);
    let model = model();
    let mut run = model.paginate(&api, json!({})).config(config).items();
    for item in &mut run {
        match item {
            Ok(item) => tally.item(&item),
            Err(e) => return (Some(e), run.resume_token()),
        }
    }
    (None, run.resume_token())
}

/// One soak at a time: resident memory is the process's.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn soak(via: &str, run: fn(&str, Option<String>, &mut Tally) -> Ended) {
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let pages = pages();
    let total = pages * PAGE;
    let server = FaultyServer::start(total, TIMEOUT * 3);
    server.arm_outage(total * 3 / 5);
    let mut tally = Tally::new(total);
    let started = Instant::now();

    // The outage spends the budget; nothing else ends the run.
    let (error, token) = run(server.base_url(), None, &mut tally);
    let error = error.expect("the outage ends the first run");
    let Error::Transport { page, .. } = &error else {
        panic!("{via}: not a transport error: {error}");
    };
    let http = std::error::Error::source(&error)
        .and_then(|s| s.downcast_ref::<HttpError>())
        .unwrap_or_else(|| panic!("{via}: not an HttpError: {error}"));
    let HttpError::Retries { source, .. } = http else {
        panic!("{via}: a failure other than the spent budget: {http}");
    };
    assert_eq!(source.stop, RetryStop::Budget, "{via}: {http}");
    assert_eq!(http.status().map(|s| s.as_u16()), Some(503), "{via}");
    let failed_at = tally.items;
    assert_eq!(failed_at, total * 3 / 5, "{via}: the outage starts at 60%");
    let outage = server.counters().outage.load(Ordering::SeqCst);
    assert!(outage >= 2, "{via}: {outage} requests in the outage");

    // A new transport, as a restarted program would have, resumes from the token.
    server.end_outage();
    let token = token.expect("a resume token for the rest");
    let (error, rest) = run(server.base_url(), Some(token), &mut tally);
    assert!(error.is_none(), "{via}: the resumed run failed: {error:?}");
    assert_eq!(rest, None, "{via}");
    let elapsed = started.elapsed();

    let missing = tally.seen.iter().filter(|n| **n == 0).count();
    let repeated = tally.seen.iter().filter(|n| **n > 1).count();
    assert_eq!(
        (missing, repeated),
        (0, 0),
        "{via}: items missing, repeated"
    );
    assert_eq!(tally.items, total, "{via}");

    let counters = server.counters();
    let faults: Vec<u64> = counters
        .faults
        .iter()
        .map(|f| f.load(Ordering::SeqCst))
        .collect();
    // Every kind of fault was met and cured, when the run is long enough to meet them all.
    if pages >= 1_000 {
        for (kind, count) in Fault::ALL.iter().zip(&faults) {
            assert!(*count > 0, "{via}: no {kind:?} injected");
        }
    }
    let (warm, peak) = (tally.warm.unwrap_or(0), tally.peak);
    println!(
        "soak {via}: {pages} pages, {} items, {} requests, {:.1} s; faults: reset {}, truncated {}, 503 {}, 429 {}, slow body {}; outage 503s {outage}; page {page} failed after {failed_at} items (budget spent), resumed to the end; resident memory {} MiB after warm-up, peak {} MiB",
        tally.items,
        counters.requests.load(Ordering::SeqCst),
        elapsed.as_secs_f64(),
        faults[0],
        faults[1],
        faults[2],
        faults[3],
        faults[4],
        warm >> 20,
        peak >> 20,
    );
    assert!(
        peak.saturating_sub(warm) < RSS_GROWTH,
        "{via}: resident memory grew from {warm} to {peak} bytes"
    );
}

#[test]
fn soak_async_through_the_retry_layer() {
    soak("async", run_async);
}

#[test]
fn soak_blocking_through_retry() {
    soak("blocking", run_blocking);
}
