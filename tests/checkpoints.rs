//! R8 as a property: a checkpoint never loses data, blocking and async.
//!
//! A generated listing (pages of random sizes, empty ones included, each with a primary key
//! `Contents` and a secondary key `CommonPrefixes`) is served by token. A consumer checkpoints
//! in one of the documented ways, chosen per chain: the item iterator's `resume_token()` after
//! each item (primary key, or `items_of("CommonPrefixes")`), the page iterator's after each
//! page, the token of the `on_page` hook, or a search's `resume_token()` after each result. It
//! stores the checkpoint *together with* what it processed, atomically, dies at random points
//! (mid-page, or right after a hook before any item of the arriving page), optionally stops
//! early with `max_items` (M2, M3), and a new run resumes from the stored checkpoint until the
//! listing ends. Processed items not yet covered by a checkpoint die with the consumer.
//!
//! Each run is checked against a model of the contract (§4, §5): what it delivers, what it
//! commits, every checkpoint it stores (decoded: page and `boto_truncate_amount`), and what the
//! hook reports. Each chain is then checked without the model: nothing lost; nothing handed out
//! again that was committed, for the exactly-once strategies (item and page tokens, and the
//! hook: with atomic commits its token covers exactly the pages before the arriving one, so
//! its repeats are only re-deliveries of items lost in the crash); for the at-least-once ones
//! (secondary-key items, search), repeats only of the page the crash happened in.
//!
//! Each run of a chain receives its pages over a wire drawn for it, as `Value`s or as response
//! bodies (SEMANTICS G8): the contract is the same, and checkpoints made over one path resume
//! over the other.
//!
//! `PROPTEST_CASES=5000 cargo test -p paginate-tests --test checkpoints` runs more chains than
//! the default 4000 per property.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use paginate_tests::{FakeError, Wire, Wired, dec};
use paginated::{Model, PageRequest, Progress, Reply, blocking};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::Checkpointing as C;
use crate::contract::check;

#[path = "checkpoints/contract.rs"]
mod contract;

/// Results of a page, secondary key first: a page cut by `max_items` keeps all of them and
/// a prefix of the primary ones (M1, M2), so every run delivers a contiguous part of this order.
const SEARCH: &str = "[CommonPrefixes, Contents][]";

#[derive(Debug, Clone)]
struct PageSpec {
    primary: usize,
    secondary: usize,
    /// An empty key is left out of the page rather than sent as `[]`.
    omit_empty: bool,
}

/// How the consumer checkpoints; one per chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checkpointing {
    /// `Items::resume_token()` after each primary item (R2: exactly-once).
    ItemTokens,
    /// `Pages::resume_token()` after processing each page, both keys (R2: exactly-once).
    PageTokens,
    /// `Progress::resume_token` in the hook, consuming pages (R8: re-fetches the arriving page).
    HookPages,
    /// The same, consuming primary items.
    HookItems,
    /// `items_of("CommonPrefixes")` tokens after each item (at-least-once within a page).
    SecondaryTokens,
    /// `Search::resume_token()` after each result (at-least-once within a page).
    SearchTokens,
}

impl Checkpointing {
    fn hook(self) -> bool {
        matches!(self, C::HookPages | C::HookItems)
    }

    /// With atomic commits a hook checkpoint covers exactly the pages before the arriving one
    /// and re-fetches that one, so it is exactly-once in the ledger; its repeats are deliveries.
    fn exactly_once(self) -> bool {
        !matches!(self, C::SecondaryTokens | C::SearchTokens)
    }

    /// What of a page this consumer sees, in listing order: secondary, then primary.
    fn visible(self, mut secondary: Vec<String>, primary: Vec<String>) -> Vec<String> {
        match self {
            C::ItemTokens | C::HookItems => primary,
            C::SecondaryTokens => secondary,
            _ => {
                secondary.extend(primary);
                secondary
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct RunPlan {
    /// Dies after this many events (items processed, hooks run); `None` runs to the end.
    die_after: Option<usize>,
    max_items: Option<u64>,
    /// How the run receives its pages: as `Value`s or as bodies (G8).
    wire: Wire,
}

#[derive(Debug, Clone)]
struct Chain {
    pages: Vec<PageSpec>,
    checkpointing: Checkpointing,
    plan: Vec<RunPlan>,
    /// The wire of the run that finishes the listing after the plan.
    finish: Wire,
}

fn chain() -> impl Strategy<Value = Chain> {
    let page = (0usize..6, 0usize..4, any::<bool>());
    let page = page.prop_map(|(primary, secondary, omit_empty)| PageSpec {
        primary,
        secondary,
        omit_empty,
    });
    let checkpointing = prop::sample::select(
        &[
            C::ItemTokens,
            C::PageTokens,
            C::HookPages,
            C::HookItems,
            C::SecondaryTokens,
            C::SearchTokens,
        ][..],
    );
    let wire = || prop::sample::select(Wire::ALL.to_vec());
    let run = (
        prop_oneof![1 => Just(None), 4 => (1usize..10).prop_map(Some)],
        prop::option::of(1u64..8),
        wire(),
    )
        .prop_map(|(die_after, max_items, wire)| RunPlan {
            die_after,
            max_items,
            wire,
        });
    (
        prop::collection::vec(page, 1..9),
        checkpointing,
        prop::collection::vec(run, 0..7),
        wire(),
    )
        .prop_map(|(pages, checkpointing, plan, finish)| Chain {
            pages,
            checkpointing,
            plan,
            finish,
        })
}

fn primary_of(p: usize, spec: &PageSpec) -> Vec<String> {
    (0..spec.primary).map(|i| format!("p{p}-c{i}")).collect()
}

fn secondary_of(p: usize, spec: &PageSpec) -> Vec<String> {
    (0..spec.secondary).map(|i| format!("p{p}-d{i}")).collect()
}

/// The page an item belongs to, from its name.
fn page_of(item: &str) -> usize {
    item[1..].split('-').next().unwrap().parse().unwrap()
}

impl Chain {
    /// Every item this consumer must end up with, in listing order.
    fn listing(&self) -> Vec<String> {
        let pages = self.pages.iter().enumerate();
        pages
            .flat_map(|(p, s)| {
                self.checkpointing
                    .visible(secondary_of(p, s), primary_of(p, s))
            })
            .collect()
    }

    /// After the plan, one more run without a crash or `max_items` finishes the listing.
    fn plan(&self, run: usize) -> RunPlan {
        let last = RunPlan {
            die_after: None,
            max_items: None,
            wire: self.finish,
        };
        self.plan.get(run).copied().unwrap_or(last)
    }
}

fn model() -> Model {
    Model::builder("ListObjects")
        .input_token("Marker")
        .output_token("NextMarker")
        .result_key("Contents")
        .result_key("CommonPrefixes")
        .build()
        .unwrap()
}

/// The server side: page 0 without a marker, page `p` for marker `m{p}`. Anything else,
/// or a request without the caller's own parameter (O4), is a stray and fails the chain.
#[derive(Debug)]
struct Service {
    pages: Vec<Value>,
    strays: Mutex<Vec<Value>>,
}

impl Service {
    fn new(chain: &Chain) -> Service {
        let last = chain.pages.len() - 1;
        let pages = chain.pages.iter().enumerate().map(|(p, spec)| {
            let mut page = Map::new();
            for (key, items) in [
                ("Contents", primary_of(p, spec)),
                ("CommonPrefixes", secondary_of(p, spec)),
            ] {
                if !(items.is_empty() && spec.omit_empty) {
                    page.insert(key.into(), json!(items));
                }
            }
            if p < last {
                page.insert("NextMarker".into(), json!(format!("m{}", p + 1)));
            }
            Value::Object(page)
        });
        Service {
            pages: pages.collect(),
            strays: Mutex::new(Vec::new()),
        }
    }

    fn page(&self, params: &Map<String, Value>) -> Option<Value> {
        if params.get("Fixed") != Some(&json!("param")) {
            return None;
        }
        let p = match params.get("Marker") {
            None => 0,
            Some(Value::String(m)) => m.strip_prefix('m')?.parse().ok().filter(|&p| p > 0)?,
            Some(_) => return None,
        };
        self.pages.get(p).cloned()
    }
}

impl blocking::Transport for Service {
    type Error = FakeError;
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, FakeError> {
        let params = request.params();
        self.page(params).map(Reply::value).ok_or_else(|| {
            let request = Value::Object(params.clone());
            self.strays.lock().unwrap().push(request.clone());
            FakeError(format!("no page for {request}"))
        })
    }
}

paginate_tests::answers_at_once!(Service);

/// A position in the listing as a token describes it: the page it fetches and the offset into
/// that page's primary key (`boto_truncate_amount`, R3; with one, the secondary key is
/// emptied, R6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    page: usize,
    offset: Option<u64>,
}

fn pos(page: usize, offset: Option<u64>) -> Pos {
    Pos { page, offset }
}

/// Reads a token this library handed out (R1: base64 of a JSON object).
fn decode_pos(token: &str) -> Pos {
    let json: Value = serde_json::from_str(&dec(token)).unwrap();
    let fields = json.as_object().expect("a token is a JSON object");
    assert!(
        fields
            .keys()
            .all(|k| k == "Marker" || k == "boto_truncate_amount"),
        "R5: only input tokens and the offset: {json}"
    );
    let page = match &fields["Marker"] {
        Value::Null => 0,
        Value::String(m) => m[1..].parse().unwrap(),
        other => panic!("unexpected marker {other}"),
    };
    pos(
        page,
        fields
            .get("boto_truncate_amount")
            .map(|n| n.as_u64().unwrap()),
    )
}

/// What one run did, as observed (or, from [`simulate`], as the contract says).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct RunLog {
    /// Items handed to the consumer while it was alive.
    delivered: Vec<String>,
    /// Items that became durable, in commit order.
    committed: Vec<String>,
    /// Every checkpoint stored; `None`: the listing is finished.
    checkpoints: Vec<Option<Pos>>,
    /// `(page, last)` of each `Progress` the hook saw while the consumer was alive.
    hooks: Vec<(u64, bool)>,
    crashed: bool,
}

/// The consumer's durable store and the volatile state of its current run.
#[derive(Debug, Default)]
struct Ledger {
    log: RunLog,
    /// Processed since the last checkpoint: lost if the consumer dies.
    pending: Vec<String>,
    /// The durable checkpoint: `None` before any, `Some(None)` once the listing is done.
    stored: Option<Option<String>>,
    events: usize,
    die_after: Option<usize>,
}

impl Ledger {
    fn new(stored: Option<Option<String>>, die_after: Option<usize>) -> Ledger {
        Ledger {
            stored,
            die_after,
            ..Ledger::default()
        }
    }

    /// Stores a token with everything processed so far, in one step.
    fn commit(&mut self, token: Option<String>) {
        self.commit_pos(token.as_deref().map(decode_pos));
        self.stored = Some(token);
    }

    fn commit_pos(&mut self, pos: Option<Pos>) {
        self.log.committed.append(&mut self.pending);
        self.log.checkpoints.push(pos);
    }

    fn process(&mut self, item: String) {
        self.log.delivered.push(item.clone());
        self.pending.push(item);
    }

    /// Counts an event; the consumer dies when it reaches its plan's number.
    fn event(&mut self) {
        self.events += 1;
        if Some(self.events) == self.die_after {
            self.log.crashed = true;
        }
    }
}

/// The `on_page` checkpoint (R8): stored with everything processed before the page arrived.
fn hook(ledger: Arc<Mutex<Ledger>>) -> impl FnMut(&Progress) + Send + 'static {
    move |progress: &Progress| {
        let mut l = ledger.lock().unwrap();
        if l.log.crashed {
            return;
        }
        l.log.hooks.push((progress.page, progress.last));
        l.commit(progress.resume_token.clone());
        l.event();
    }
}

fn text(item: Value) -> String {
    item.as_str().expect("items are strings").to_owned()
}

/// A page's results in listing order: secondary, then primary.
fn page_items(page: &Value) -> Vec<String> {
    ["CommonPrefixes", "Contents"]
        .iter()
        .filter_map(|key| page.get(*key).and_then(Value::as_array))
        .flatten()
        .map(|item| text(item.clone()))
        .collect()
}

/// Consumes items or search results; `$per_item`: store `resume_token()` after each.
/// `$($aw)*` is `.await` for streams, nothing for iterators.
macro_rules! drain {
    ($it:ident, $ledger:expr, $per_item:expr, $($aw:tt)*) => {
        loop {
            let next = $it.next() $($aw)*;
            let mut l = $ledger.lock().unwrap();
            if l.log.crashed {
                break;
            }
            let Some(item) = next else {
                // A run that ends by itself stores where it stopped (R2; M2, M3).
                l.commit($it.resume_token());
                break;
            };
            l.process(text(item.unwrap()));
            if $per_item {
                l.commit($it.resume_token());
            }
            l.event();
            if l.log.crashed {
                break;
            }
        }
    };
}

/// One run of the consumer over `blocking::Pages` or `nonblocking::Pages`, which share their
/// method names.
macro_rules! run_once {
    ($pages:expr, $c:expr, $ledger:expr, $($aw:tt)*) => {{
        let (c, ledger): (Checkpointing, &Arc<Mutex<Ledger>>) = ($c, $ledger);
        let mut pages = $pages;
        if c.hook() {
            pages = pages.on_page(hook(ledger.clone()));
        }
        match c {
            C::PageTokens | C::HookPages => loop {
                let next = pages.next() $($aw)*;
                let mut l = ledger.lock().unwrap();
                if l.log.crashed {
                    break;
                }
                let Some(page) = next else {
                    l.commit(pages.resume_token());
                    break;
                };
                for item in page_items(&page.unwrap()) {
                    l.process(item);
                    l.event();
                    if l.log.crashed {
                        break;
                    }
                }
                if l.log.crashed {
                    break;
                }
                if c == C::PageTokens {
                    l.commit(pages.resume_token());
                }
            },
            C::SearchTokens => {
                let mut results = pages.search(SEARCH).unwrap();
                drain!(results, ledger, true, $($aw)*);
            }
            _ => {
                let mut items = if c == C::SecondaryTokens {
                    pages.items_of("CommonPrefixes").unwrap()
                } else {
                    pages.items()
                };
                drain!(items, ledger, c != C::HookItems, $($aw)*);
            }
        }
    }};
}

/// Runs until the listing ends, each from the checkpoint the last one stored, over
/// `paginate` or `paginate_async`.
macro_rules! chain_of_runs {
    ($chain:expr, $paginate:ident, $($aw:tt)*) => {{
        let (chain, svc, model) = ($chain, Service::new($chain), model());
        let (mut stored, mut logs) = (None::<Option<String>>, Vec::new());
        for run in 0.. {
            // Bounded: the plan, then one run that neither crashes nor stops early.
            assert!(run <= chain.plan.len(), "the chain does not end: {chain:?}");
            let plan = chain.plan(run);
            let ledger = Arc::new(Mutex::new(Ledger::new(stored.clone(), plan.die_after)));
            let api = Wired::new(&svc, plan.wire);
            let mut pages = model
                .$paginate(&api, json!({"Fixed": "param"}))
                .starting_token(stored.clone().flatten());
            if let Some(n) = plan.max_items {
                pages = pages.max_items(n);
            }
            run_once!(pages, chain.checkpointing, &ledger, $($aw)*);
            let mut l = ledger.lock().unwrap();
            stored = l.stored.clone();
            logs.push(std::mem::take(&mut l.log));
            if stored == Some(None) {
                break;
            }
        }
        assert_eq!(*svc.strays.lock().unwrap(), Vec::<Value>::new());
        logs
    }};
}

fn chain_blocking(chain: &Chain) -> Vec<RunLog> {
    chain_of_runs!(chain, paginate,)
}

async fn chain_async(chain: &Chain) -> Vec<RunLog> {
    chain_of_runs!(chain, paginate_async, .await)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: paginate_tests::proptest_cases(4000),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn r8_checkpoints_never_lose_data(chain in chain()) {
        check(&chain, &chain_blocking(&chain));
    }

    #[test]
    fn r8_async_checkpoints_never_lose_data(chain in chain()) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        check(&chain, &runtime.block_on(chain_async(&chain)));
    }
}
