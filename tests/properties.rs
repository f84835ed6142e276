//! Fault injection, as properties: whatever the model, the pages, the transport failures, the
//! `max_items`, the page size and where the consumer stops, a chain of runs, each resumed from
//! the previous run's resume token, returns every item of one uninterrupted run exactly once,
//! in order. The same through the async streams. Each run of a chain gets its pages over a
//! wire drawn for it, as `Value`s or as response bodies (SEMANTICS G8), so chains also resume
//! over one path from tokens the other path made.
//!
//! `PROPTEST_CASES=20000 cargo test -p paginate-tests --test properties --release` runs many
//! more cases than the default 256.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use paginate_tests::{FakeError, Wire, Wired};
use paginated::{Error, Model, PageRequest, Reply, blocking};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// How a page's continuation values look.
#[derive(Debug, Clone, Copy)]
enum TokenKind {
    Text,
    Integer,
    Object,
}

#[derive(Debug, Clone)]
struct PageSpec {
    /// `None`: the primary key is missing from the page.
    primary: Option<usize>,
    secondary: Vec<usize>,
    /// Which input tokens the page *after* this one is fetched with (at least one).
    present: Vec<bool>,
}

#[derive(Debug, Clone)]
struct Case {
    kinds: Vec<TokenKind>,
    result_keys: usize,
    more_results: bool,
    limit_key: bool,
    pages: Vec<PageSpec>,
    /// Calls (counted across the whole chain) on which the transport fails.
    failures: Vec<u32>,
    max_items: Option<u64>,
    page_size: Option<u64>,
    /// Where the consumer stops each run, in items (or pages); `None` reads to the end.
    stops: Vec<Option<usize>>,
    /// Consume through `pages()` instead of `items()`.
    by_pages: bool,
    /// The wire of each run (cycled): its pages as `Value`s or as bodies.
    wires: Vec<Wire>,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..=3, 1usize..=3, any::<bool>(), any::<bool>()).prop_flat_map(
        |(tokens, keys, more, limit)| {
            let kind = prop_oneof![
                Just(TokenKind::Text),
                Just(TokenKind::Integer),
                Just(TokenKind::Object)
            ];
            let page = (
                prop_oneof![1 => Just(None), 4 => (0usize..6).prop_map(Some)],
                prop::collection::vec(0usize..3, keys - 1),
                prop::collection::vec(any::<bool>(), tokens),
            )
                .prop_map(|(primary, secondary, mut present)| {
                    if !present.contains(&true) {
                        present[0] = true;
                    }
                    PageSpec {
                        primary,
                        secondary,
                        present,
                    }
                });
            (
                prop::collection::vec(kind, tokens),
                prop::collection::vec(page, 1..9),
                prop::collection::vec(0u32..40, 0..6),
                prop::option::of(1u64..12),
                prop::option::of(1u64..5),
                prop::collection::vec(prop::option::of(1usize..6), 1..4),
                any::<bool>(),
                prop::collection::vec(prop::sample::select(Wire::ALL.to_vec()), 1..4),
            )
                .prop_map(
                    move |(
                        kinds,
                        pages,
                        failures,
                        max_items,
                        page_size,
                        stops,
                        by_pages,
                        wires,
                    )| Case {
                        kinds,
                        result_keys: keys,
                        more_results: more,
                        limit_key: limit,
                        pages,
                        failures,
                        max_items,
                        page_size,
                        stops,
                        by_pages,
                        wires,
                    },
                )
        },
    )
}

/// A service built from a case: page `i` is answered to the token values that page `i - 1`
/// returned; anything else is a request the service never invited, and fails the test.
struct Service {
    pages: Vec<Value>,
    /// The token values (model order) that fetch each page.
    keys: Vec<Vec<Option<Value>>>,
    failures: Vec<u32>,
    calls: AtomicU32,
    strays: Mutex<Vec<Value>>,
    inputs: Vec<String>,
}

impl Case {
    fn model(&self) -> Model {
        let mut b = Model::builder("ListThings");
        for i in 0..self.kinds.len() {
            b = b
                .input_token(format!("In{i}"))
                .output_token(format!("Page.Next{i}"));
        }
        for k in 0..self.result_keys {
            b = b.result_key(if k == 0 {
                "Items".to_owned()
            } else {
                format!("Extra{k}")
            });
        }
        if self.more_results {
            b = b.more_results("Page.More");
        }
        if self.limit_key {
            b = b.limit_key("Limit");
        }
        b.build().unwrap()
    }

    fn token(&self, page: usize, i: usize) -> Value {
        match self.kinds[i] {
            TokenKind::Text => json!(format!("p{page}/t{i}")),
            TokenKind::Integer => json!(1000 * page + i + 1),
            TokenKind::Object => {
                json!({"pk": {"S": format!("p{page}")}, "n": {"N": i.to_string()}})
            }
        }
    }

    fn service(&self) -> Service {
        let last = self.pages.len() - 1;
        let mut keys = vec![vec![None; self.kinds.len()]];
        let mut pages = Vec::new();
        for (p, spec) in self.pages.iter().enumerate() {
            let mut page = Map::new();
            if let Some(n) = spec.primary {
                page.insert(
                    "Items".into(),
                    (0..n).map(|i| json!(format!("item-{p}-{i}"))).collect(),
                );
            }
            for (k, n) in spec.secondary.iter().enumerate() {
                page.insert(
                    format!("Extra{}", k + 1),
                    (0..*n).map(|i| json!(format!("extra-{p}-{i}"))).collect(),
                );
            }
            let mut meta = Map::new();
            if p < last {
                let next: Vec<Option<Value>> = (0..self.kinds.len())
                    .map(|i| spec.present[i].then(|| self.token(p + 1, i)))
                    .collect();
                for (i, v) in next.iter().enumerate() {
                    if let Some(v) = v {
                        meta.insert(format!("Next{i}"), v.clone());
                    }
                }
                keys.push(next);
            }
            if self.more_results {
                meta.insert("More".into(), json!(p < last));
            }
            page.insert("Page".into(), Value::Object(meta));
            pages.push(Value::Object(page));
        }
        Service {
            pages,
            keys,
            failures: self.failures.clone(),
            calls: AtomicU32::new(0),
            strays: Mutex::new(Vec::new()),
            inputs: (0..self.kinds.len()).map(|i| format!("In{i}")).collect(),
        }
    }

    fn expected(&self) -> Vec<Value> {
        self.service()
            .pages
            .iter()
            .flat_map(|p| {
                p.get("Items")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            })
            .collect()
    }
}

impl blocking::Transport for Service {
    type Error = FakeError;
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, FakeError> {
        let params = request.params();
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        if self.failures.contains(&call) {
            return Err(FakeError(format!("injected failure on call {call}")));
        }
        let wanted: Vec<Option<Value>> =
            self.inputs.iter().map(|k| params.get(k).cloned()).collect();
        match self.keys.iter().position(|k| *k == wanted) {
            Some(p) => Ok(self.pages[p].clone().into()),
            None => {
                self.strays
                    .lock()
                    .unwrap()
                    .push(Value::Object(params.clone()));
                Err(FakeError(format!("no page for {params:?}")))
            }
        }
    }
}

paginate_tests::answers_at_once!(Service);

fn primary(page: &Value) -> Vec<Value> {
    page.get("Items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The bound on runs: every run makes progress unless a failure is injected into it.
fn run_limit(case: &Case) -> usize {
    (case.expected().len() + case.pages.len() + case.failures.len() + 2) * 2
}

/// Applies a case's options to a run; pages and streams share the option names, not a trait.
macro_rules! configure {
    ($run:expr, $case:expr, $token:expr) => {{
        let mut run = $run;
        if let Some(n) = $case.max_items {
            run = run.max_items(n);
        }
        if let (Some(n), true) = ($case.page_size, $case.limit_key) {
            run = run.page_size(n);
        }
        if let Some(t) = $token {
            run = run.starting_token(Some(t));
        }
        run
    }};
}

fn check_error(e: &Error, svc: &Service) {
    assert!(
        matches!(e, Error::Transport { .. }),
        "only injected failures may end a run: {e}"
    );
    assert!(
        svc.strays.lock().unwrap().is_empty(),
        "requests no page invited: {:?}",
        svc.strays.lock().unwrap()
    );
}

fn chain_blocking(case: &Case) -> Vec<Value> {
    let svc = case.service();
    let model = case.model();
    let (mut got, mut token) = (Vec::new(), None);
    for run in 0.. {
        assert!(run < run_limit(case), "the chain does not end: {case:?}");
        let api = Wired::new(&svc, case.wires[run % case.wires.len()]);
        let pages = configure!(
            model.paginate(&api, json!({"Fixed": "param"})),
            case,
            token.take()
        );
        let stop = case.stops[run % case.stops.len()];
        let next = if case.by_pages {
            let mut pages = pages;
            for _ in 0..stop.unwrap_or(usize::MAX) {
                match pages.next() {
                    Some(Ok(page)) => got.extend(primary(&page)),
                    Some(Err(e)) => {
                        check_error(&e, &svc);
                        break;
                    }
                    None => break,
                }
            }
            pages.resume_token()
        } else {
            let mut items = pages.items();
            for _ in 0..stop.unwrap_or(usize::MAX) {
                match items.next() {
                    Some(Ok(item)) => got.push(item),
                    Some(Err(e)) => {
                        check_error(&e, &svc);
                        break;
                    }
                    None => break,
                }
            }
            items.resume_token()
        };
        match next {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert!(svc.strays.lock().unwrap().is_empty());
    got
}

async fn chain_async(case: &Case) -> Vec<Value> {
    let svc = case.service();
    let model = case.model();
    let (mut got, mut token) = (Vec::new(), None);
    for run in 0.. {
        assert!(run < run_limit(case), "the chain does not end: {case:?}");
        let api = Wired::new(&svc, case.wires[run % case.wires.len()]);
        let pages = configure!(
            model.paginate_async(&api, json!({"Fixed": "param"})),
            case,
            token.take()
        );
        let stop = case.stops[run % case.stops.len()];
        let next = if case.by_pages {
            let mut pages = pages;
            for _ in 0..stop.unwrap_or(usize::MAX) {
                match pages.next().await {
                    Some(Ok(page)) => got.extend(primary(&page)),
                    Some(Err(e)) => {
                        check_error(&e, &svc);
                        break;
                    }
                    None => break,
                }
            }
            pages.resume_token()
        } else {
            let mut items = pages.items();
            for _ in 0..stop.unwrap_or(usize::MAX) {
                match items.next().await {
                    Some(Ok(item)) => got.push(item),
                    Some(Err(e)) => {
                        check_error(&e, &svc);
                        break;
                    }
                    None => break,
                }
            }
            items.resume_token()
        };
        match next {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    got
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: paginate_tests::proptest_cases(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn chains_of_resumed_runs_return_every_item_exactly_once(case in case()) {
        prop_assert_eq!(chain_blocking(&case), case.expected());
    }

    #[test]
    fn async_chains_of_resumed_runs_return_every_item_exactly_once(case in case()) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        prop_assert_eq!(runtime.block_on(chain_async(&case)), case.expected());
    }
}
