//! What a run says besides its results (G9): `page_done()` on items and search results, true
//! exactly after the last result of each page, and `requests_sent()`, equal to the count the
//! transport keeps. Each is checked through the four drivers (blocking, async, each with and
//! without lookahead, G6, G7), with empty pages, a `max_items` cut (M2, M3), a resume
//! mid-page (R6) and a run that fails before sending (O3).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use paginate_tests::enc;
use paginated::{Model, PageRequest, blocking, nonblocking};
use serde_json::{Map, Value, json};

/// A listing of pages of the given sizes: items `p{page}-{i}`, page `p` fetched with
/// `Marker: "m{p}"` (the first without one), and a count of the requests it received.
#[derive(Debug)]
struct Listing {
    sizes: Vec<usize>,
    received: AtomicU64,
}

impl Listing {
    fn new(sizes: &[usize]) -> Arc<Listing> {
        Arc::new(Listing {
            sizes: sizes.to_vec(),
            received: AtomicU64::new(0),
        })
    }

    fn answer(&self, params: &Map<String, Value>) -> Value {
        self.received.fetch_add(1, Ordering::SeqCst);
        let page = params
            .get("Marker")
            .map_or(0, |m| m.as_str().unwrap()[1..].parse().unwrap());
        let items: Vec<String> = (0..self.sizes[page])
            .map(|i| format!("p{page}-{i}"))
            .collect();
        let mut out = json!({ "Items": items });
        if page + 1 < self.sizes.len() {
            out["NextMarker"] = json!(format!("m{}", page + 1));
        }
        out
    }

    fn received(&self) -> u64 {
        self.received.load(Ordering::SeqCst)
    }

    /// Waits, polling, until the transport has received `n` requests: a blocking lookahead
    /// calls it on a thread of its own. Gives up (and lets the caller's assertion fail)
    /// after a generous bound.
    fn await_received(&self, n: u64) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.received() < n && Instant::now() < deadline {
            std::thread::yield_now();
        }
    }

    /// Every item with whether it ends its page and the token after its page, as an
    /// uninterrupted run gives them.
    fn expected(&self) -> Vec<(String, bool)> {
        self.sizes
            .iter()
            .enumerate()
            .flat_map(|(page, &n)| (0..n).map(move |i| (format!("p{page}-{i}"), i + 1 == n)))
            .collect()
    }

    /// The token a run holds once page `page` is all handed out: the next page's marker, or
    /// none after the last page.
    fn after_page(&self, page: usize) -> Option<String> {
        (page + 1 < self.sizes.len()).then(|| enc(&format!(r#"{{"Marker": "m{}"}}"#, page + 1)))
    }
}

fn model() -> Model {
    Model::builder("List")
        .input_token("Marker")
        .output_token("NextMarker")
        .result_key("Items")
        .build()
        .unwrap()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Driver {
    Blocking,
    BlockingLookahead,
    Async,
    AsyncLookahead,
}

const DRIVERS: [Driver; 4] = [
    Driver::Blocking,
    Driver::BlockingLookahead,
    Driver::Async,
    Driver::AsyncLookahead,
];

/// What a consumer sees after each item: the item, `page_done()`, `resume_token()`,
/// `requests_sent()` and the transport's own count (once it has caught up with a lookahead).
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    item: String,
    page_done: bool,
    token: Option<String>,
    sent: u64,
    received: u64,
}

/// What a whole run gave: each item as seen, then the counts at the end.
#[derive(Debug)]
struct Outcome {
    seen: Vec<Seen>,
    sent_at_end: u64,
    received_at_end: u64,
}

type BlockingApi = Arc<dyn Fn(PageRequest<'_>) -> Result<Value, std::io::Error> + Send + Sync>;
type AsyncAnswer = Box<
    dyn Fn(PageRequest<'static>) -> std::future::Ready<Result<Value, std::io::Error>> + Send + Sync,
>;

/// Runs the listing's items to the end (or to `max_items`, from `token`) on `driver`.
fn run(
    driver: Driver,
    listing: &Arc<Listing>,
    max_items: Option<u64>,
    token: Option<String>,
) -> Outcome {
    let mut config = paginated::PaginationConfig::default().starting_token(token);
    if let Some(max) = max_items {
        config = config.max_items(max);
    }
    match driver {
        Driver::Blocking | Driver::BlockingLookahead => {
            let api: BlockingApi = {
                let listing = listing.clone();
                Arc::new(move |request: PageRequest<'_>| Ok(listing.answer(request.params())))
            };
            let mut pages = model().paginate(api, json!({})).config(config);
            if driver == Driver::BlockingLookahead {
                pages = pages.lookahead();
            }
            let mut items = pages.items();
            assert!(!items.page_done(), "nothing is done before the first item");
            assert_eq!(
                items.requests_sent(),
                0,
                "nothing is sent before the first item"
            );
            let mut seen = Vec::new();
            while let Some(item) = items.next() {
                let sent = items.requests_sent();
                listing.await_received(sent);
                seen.push(Seen {
                    item: item.unwrap().as_str().unwrap().to_owned(),
                    page_done: items.page_done(),
                    token: items.resume_token(),
                    sent,
                    received: listing.received(),
                });
            }
            Outcome {
                seen,
                sent_at_end: items.requests_sent(),
                received_at_end: listing.received(),
            }
        }
        Driver::Async | Driver::AsyncLookahead => {
            let answer: AsyncAnswer = {
                let listing = listing.clone();
                Box::new(move |request| std::future::ready(Ok(listing.answer(request.params()))))
            };
            let api = Arc::new(nonblocking::from_fn(answer));
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            runtime.block_on(async {
                let mut pages = model().paginate_async(api, json!({})).config(config);
                if driver == Driver::AsyncLookahead {
                    pages = pages.lookahead();
                }
                let mut items = pages.items();
                assert!(!items.page_done());
                assert_eq!(items.requests_sent(), 0);
                let mut seen = Vec::new();
                while let Some(item) = items.next().await {
                    let sent = items.requests_sent();
                    // However the request in flight is driven, let it reach the transport.
                    let deadline = Instant::now() + Duration::from_secs(30);
                    while listing.received() < sent && Instant::now() < deadline {
                        tokio::task::yield_now().await;
                    }
                    seen.push(Seen {
                        item: item.unwrap().as_str().unwrap().to_owned(),
                        page_done: items.page_done(),
                        token: items.resume_token(),
                        sent,
                        received: listing.received(),
                    });
                }
                Outcome {
                    seen,
                    sent_at_end: items.requests_sent(),
                    received_at_end: listing.received(),
                }
            })
        }
    }
}

/// The page each item of the listing comes from.
fn page_of(item: &str) -> usize {
    item[1..item.find('-').unwrap()].parse().unwrap()
}

/// `page_done()` is true exactly after the last item of each page, empty pages included
/// (they hand nothing out, so nothing marks them), and when it is true the resume token is
/// the page boundary: the next page's marker, with no offset, or none at the end (R8).
#[test]
fn page_done_is_true_exactly_after_the_last_item_of_each_page() {
    let sizes = [3, 0, 2, 1, 0, 0, 4, 0];
    for driver in DRIVERS {
        let listing = Listing::new(&sizes);
        let outcome = run(driver, &listing, None, None);
        let got: Vec<(String, bool)> = outcome
            .seen
            .iter()
            .map(|s| (s.item.clone(), s.page_done))
            .collect();
        assert_eq!(got, listing.expected(), "{driver:?}");
        for seen in outcome.seen.iter().filter(|s| s.page_done) {
            let page = page_of(&seen.item);
            // The empty pages after it are fetched again by the token: nothing is lost.
            assert_eq!(seen.token, listing.after_page(page), "{driver:?} {seen:?}");
        }
    }
}

/// A page cut by `max_items` ends at its last item kept (M2); a run stopped by `max_items`
/// exactly at a page's end ends it there (M3); the first page of a run resumed mid-page ends
/// where the page does (R6). The same on every driver.
#[test]
fn page_done_with_max_items_and_a_resume_mid_page() {
    let sizes = [3, 3, 2];
    for driver in DRIVERS {
        let listing = Listing::new(&sizes);
        let cut = run(driver, &listing, Some(4), None);
        let flags: Vec<(&str, bool)> = cut
            .seen
            .iter()
            .map(|s| (s.item.as_str(), s.page_done))
            .collect();
        assert_eq!(
            flags,
            [
                ("p0-0", false),
                ("p0-1", false),
                ("p0-2", true),
                ("p1-0", true)
            ],
            "{driver:?}"
        );
        let token = cut.seen[3].token.clone();
        assert_eq!(
            token,
            Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#))
        );

        let resumed = run(driver, &listing, None, token);
        let flags: Vec<(&str, bool)> = resumed
            .seen
            .iter()
            .map(|s| (s.item.as_str(), s.page_done))
            .collect();
        assert_eq!(
            flags,
            [
                ("p1-1", false),
                ("p1-2", true),
                ("p2-0", false),
                ("p2-1", true)
            ],
            "{driver:?}"
        );

        // Stopped exactly at the first page's end: done there, and nothing more sent.
        let listing = Listing::new(&sizes);
        let exact = run(driver, &listing, Some(3), None);
        assert_eq!(exact.seen.last().map(|s| s.page_done), Some(true));
        assert_eq!(
            (exact.sent_at_end, exact.received_at_end),
            (1, 1),
            "{driver:?}"
        );
    }
}

/// `requests_sent()` is what the transport received, after every item and at the end; a
/// lookahead's request counts as soon as it is sent (before its page is handed out), and a
/// resumed run counts from 0.
#[test]
fn requests_sent_is_the_transports_own_count() {
    let sizes = [2, 0, 3, 1];
    for driver in DRIVERS {
        let listing = Listing::new(&sizes);
        let outcome = run(driver, &listing, None, None);
        for seen in &outcome.seen {
            assert_eq!(seen.sent, seen.received, "{driver:?} {seen:?}");
        }
        assert_eq!(outcome.sent_at_end, sizes.len() as u64, "{driver:?}");
        assert_eq!(outcome.received_at_end, sizes.len() as u64, "{driver:?}");
        // After the first item of the first page: that page's request, and with lookahead
        // the next page's, already sent while the consumer works on the first.
        let lookahead = matches!(driver, Driver::BlockingLookahead | Driver::AsyncLookahead);
        assert_eq!(
            outcome.seen[0].sent,
            if lookahead { 2 } else { 1 },
            "{driver:?}"
        );

        // A run resumed from a token counts only its own requests.
        let listing = Listing::new(&sizes);
        let resumed = run(driver, &listing, None, listing.after_page(1));
        assert_eq!(resumed.seen.len(), 4);
        assert_eq!(
            (resumed.sent_at_end, resumed.received_at_end),
            (2, 2),
            "{driver:?}"
        );
    }
}

/// A run whose first result is an error found before sending counts no request.
#[test]
fn a_run_that_fails_before_sending_counts_nothing() {
    let listing = Listing::new(&[1]);
    let api = {
        let listing = listing.clone();
        blocking::from_fn(move |request: PageRequest<'_>| {
            Ok::<_, std::io::Error>(listing.answer(request.params()))
        })
    };
    let mut items = model()
        .paginate(&api, json!({}))
        .starting_token(Some("eyJ!not base64".into()))
        .items();
    assert!(matches!(
        items.next(),
        Some(Err(paginated::Error::InvalidToken { .. }))
    ));
    assert!(items.next().is_none());
    assert_eq!((items.requests_sent(), listing.received()), (0, 0));
    assert!(!items.page_done());
}

/// Search results carry the same signals: a page's last result ends it, a page whose list
/// result is empty hands nothing out, and the requests are counted.
#[test]
fn search_results_say_where_their_pages_end() {
    let listing = Listing::new(&[2, 0, 1]);
    let api = {
        let listing = listing.clone();
        blocking::from_fn(move |request: PageRequest<'_>| {
            Ok::<_, std::io::Error>(listing.answer(request.params()))
        })
    };
    let mut search = model().paginate(&api, json!({})).search("Items").unwrap();
    let mut got = Vec::new();
    while let Some(result) = search.next() {
        got.push((result.unwrap(), search.page_done()));
    }
    assert_eq!(
        got,
        [
            (json!("p0-0"), false),
            (json!("p0-1"), true),
            (json!("p2-0"), true)
        ]
    );
    assert_eq!((search.requests_sent(), listing.received()), (3, 3));
}

/// An item that fails to deserialize is handed out in its place (G2), so when it is the last
/// of its page, it is the one that ends the page.
#[test]
fn an_item_that_fails_to_deserialize_can_end_its_page() {
    let api = blocking::from_fn(|request: PageRequest<'_>| {
        Ok::<_, std::io::Error>(match request.params().get("Marker") {
            None => json!({"Items": ["a", 1], "NextMarker": "m1"}),
            Some(_) => json!({"Items": ["b"]}),
        })
    });
    let mut items = model().paginate(&api, json!({})).items().typed::<String>();
    let mut got = Vec::new();
    while let Some(item) = items.next() {
        got.push((item.ok(), items.page_done()));
    }
    assert_eq!(
        got,
        [
            (Some("a".to_owned()), false),
            (None, true),
            (Some("b".to_owned()), true)
        ]
    );
}
