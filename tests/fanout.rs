//! Fan-out over many runs: random listings per run, random transport failures, random stop
//! points and overall `max_items`; after each stop the listing is resumed either from the
//! combined checkpoint (encoded and decoded) or from its split per-run tokens, each run taken
//! over by a separate plain run, as separate workers would. Every item of every run must be
//! committed exactly once, the checkpoint being committed together with the items (R2, R8,
//! L7). Each run's transport answers over a wire drawn for it: a closure returning the page
//! as a `Value` or the same closure returning the page's body (`nonblocking::from_fn`, G8),
//! mixed in one fan-out.
//!
//! `PROPTEST_CASES=5000 cargo test -p paginate-tests --test fanout` runs more chains.
//! `derived` fans out derived requests with typed items and a page size per run; `wakes` counts
//! the polls per element as the runs grow and checks that runs take turns a page at a time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "fanout/derived.rs"]
mod derived;
#[path = "fanout/wakes.rs"]
mod wakes;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Arc, Mutex};

use paginate_tests::Wire;
use paginated::fanout::{FanCheckpoint, FanOut, RunCheckpoint};
use paginated::{Model, PageRequest, PaginationConfig, Reply, nonblocking};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// The listing of one run: pages of items, `r{run}-p{page}-{i}`.
fn listing(run: usize, sizes: &[usize]) -> Vec<Vec<String>> {
    sizes
        .iter()
        .enumerate()
        .map(|(p, n)| (0..*n).map(|i| format!("r{run}-p{p}-{i}")).collect())
        .collect()
}

/// A server for every run at once: the run is the `Run` param, the page the `Marker`.
/// `(run, page)` pairs in `failing` fail on their first request, once.
#[derive(Debug)]
struct Server {
    runs: Vec<Vec<Vec<String>>>,
    failing: Mutex<HashSet<(usize, usize)>>,
    requests: Mutex<u64>,
}

impl Server {
    fn answer(&self, params: &Map<String, Value>) -> Result<Value, std::io::Error> {
        *self.requests.lock().unwrap() += 1;
        let run = params["Run"].as_u64().unwrap() as usize;
        let page = match params.get("Marker").and_then(Value::as_str) {
            None => 0,
            Some(m) => m.trim_start_matches('m').parse::<usize>().unwrap(),
        };
        if self.failing.lock().unwrap().remove(&(run, page)) {
            return Err(std::io::Error::other(format!(
                "run {run} page {page} failed"
            )));
        }
        let pages = &self.runs[run];
        let mut out = json!({"Items": pages[page]});
        if page + 1 < pages.len() {
            out["NextMarker"] = json!(format!("m{}", page + 1));
        }
        Ok(out)
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

#[derive(Debug, Clone)]
struct Chain {
    sizes: Vec<Vec<usize>>,
    failing: Vec<(usize, usize)>,
    concurrency: usize,
    /// Per attempt: stop after this many items (None: run to the end), overall max_items,
    /// and whether the next attempt resumes from split per-run tokens.
    attempts: Vec<(Option<usize>, Option<u64>, bool)>,
    per_run_max: Option<u64>,
    /// The wire of each run's transport (G8).
    wires: Vec<Wire>,
}

fn chain() -> impl Strategy<Value = Chain> {
    (1usize..6)
        .prop_flat_map(|runs| {
            (
                prop::collection::vec(prop::collection::vec(0usize..5, 1..5), runs),
                prop::collection::vec((0..runs, 0usize..4), 0..4),
                1usize..5,
                prop::collection::vec(
                    (
                        prop::option::of(0usize..12),
                        prop::option::of(0u64..10),
                        any::<bool>(),
                    ),
                    0..5,
                ),
                prop::option::of(1u64..6),
                prop::collection::vec(prop::sample::select(Wire::ALL.to_vec()), runs),
            )
        })
        .prop_map(
            |(sizes, failing, concurrency, attempts, per_run_max, wires)| Chain {
                sizes,
                failing,
                concurrency,
                attempts,
                per_run_max,
                wires,
            },
        )
}

/// The answering closure of the test transport: the server's page, as a `Value` or as its
/// body, as the run's wire carries it.
type Answer = Box<
    dyn Fn(PageRequest<'static>) -> std::future::Ready<Result<Reply, std::io::Error>> + Send + Sync,
>;

/// The test transport of one run.
type Api = nonblocking::FromFn<Answer>;

/// The transport of each run, over the wire given for that run: one closure type for both
/// wires, so runs answering `Value`s and runs answering bodies mix in one fan-out.
fn apis(server: &Arc<Server>, wires: &[Wire]) -> Vec<Arc<Api>> {
    let api = |wire: Wire| {
        let server = server.clone();
        let answer: Answer = Box::new(move |request| {
            let page = server.answer(request.params()).map(Reply::value);
            std::future::ready(page.map(|reply| wire.carry(reply)))
        });
        Arc::new(nonblocking::from_fn(answer))
    };
    wires.iter().map(|&wire| api(wire)).collect()
}

fn member(
    apis: &[Arc<Api>],
    run: usize,
    token: Option<String>,
    per_run_max: Option<u64>,
) -> nonblocking::Items<'static, Arc<Api>> {
    let mut config = PaginationConfig::default().starting_token(token);
    if let Some(max) = per_run_max {
        config = config.max_items(max);
    }
    model()
        .paginate_async(apis[run].clone(), json!({"Run": run}))
        .config(config)
        .items()
}

/// What was committed: items, each with how many times, and the checkpoint stored with them.
#[derive(Debug, Default)]
struct Ledger {
    items: BTreeMap<String, u32>,
    checkpoint: Option<FanCheckpoint>,
}

impl Ledger {
    fn commit(&mut self, item: &Value, checkpoint: FanCheckpoint) {
        *self
            .items
            .entry(item.as_str().unwrap().to_owned())
            .or_default() += 1;
        self.checkpoint = Some(checkpoint);
    }
}

/// One fan-out attempt from the ledger's checkpoint; returns when it stops or ends.
async fn attempt(
    api: &[Arc<Api>],
    chain: &Chain,
    ledger: &mut Ledger,
    stop_after: Option<usize>,
    max_items: Option<u64>,
) {
    let runs = chain.sizes.len();
    let per_run_max = chain.per_run_max;
    let mut fan = match &ledger.checkpoint {
        None => FanOut::new(
            (0..runs)
                .map(|run| member(api, run, None, per_run_max))
                .collect(),
        ),
        Some(checkpoint) => {
            // The stored checkpoint went through its text form.
            let checkpoint = FanCheckpoint::decode(&checkpoint.encode()).unwrap();
            FanOut::resume(&checkpoint, |run, token| {
                member(api, run, token, per_run_max)
            })
        }
    }
    .concurrency(chain.concurrency);
    if let Some(max) = max_items {
        fan = fan.max_items(max);
    }
    // A checkpoint before the first item: a failure or stop before any item keeps it.
    if ledger.checkpoint.is_none() {
        ledger.checkpoint = Some(fan.checkpoint());
    }
    // A stop before the first item: nothing handed out, the checkpoint unchanged.
    if stop_after == Some(0) {
        return;
    }
    let mut handed = 0;
    while let Some(next) = fan.next().await {
        match next {
            Ok(tagged) => {
                assert!(
                    tagged
                        .value
                        .as_str()
                        .unwrap()
                        .starts_with(&format!("r{}-", tagged.run))
                );
                ledger.commit(&tagged.value, fan.checkpoint());
                handed += 1;
                if stop_after == Some(handed) {
                    return;
                }
            }
            // L7: the failed run keeps its position; commit the checkpoint as it now stands.
            Err(_) => ledger.checkpoint = Some(fan.checkpoint()),
        }
    }
    ledger.checkpoint = Some(fan.checkpoint());
}

/// Takes every unfinished run over with a plain run per run, as separate workers would, each
/// from its split per-run token, for at most `budget` items each; merges their positions back.
async fn workers(api: &[Arc<Api>], chain: &Chain, ledger: &mut Ledger, budget: usize) {
    let Some(checkpoint) = ledger.checkpoint.clone() else {
        return;
    };
    let mut runs: Vec<RunCheckpoint> = checkpoint.runs().to_vec();
    for (run, token) in checkpoint.unfinished() {
        let mut items = member(api, run, token, chain.per_run_max);
        let mut taken = 0;
        loop {
            if taken == budget {
                break;
            }
            match items.next().await {
                Some(Ok(item)) => {
                    runs[run] = match items.resume_token() {
                        Some(token) => RunCheckpoint::Resume(Some(token)),
                        None => RunCheckpoint::Done,
                    };
                    ledger.commit(&item, FanCheckpoint::new(runs.clone()));
                    taken += 1;
                }
                Some(Err(_)) => {
                    runs[run] = RunCheckpoint::Resume(items.resume_token());
                    ledger.checkpoint = Some(FanCheckpoint::new(runs.clone()));
                    break;
                }
                None => {
                    // A run cut by its own max_items ends with a token: it has more to give.
                    runs[run] = match items.resume_token() {
                        Some(token) => RunCheckpoint::Resume(Some(token)),
                        None => RunCheckpoint::Done,
                    };
                    ledger.checkpoint = Some(FanCheckpoint::new(runs.clone()));
                    break;
                }
            }
        }
    }
}

async fn run_chain(chain: &Chain) -> (Ledger, Vec<Vec<Vec<String>>>) {
    let runs: Vec<Vec<Vec<String>>> = chain
        .sizes
        .iter()
        .enumerate()
        .map(|(run, sizes)| listing(run, sizes))
        .collect();
    let server = Arc::new(Server {
        runs: runs.clone(),
        failing: Mutex::new(chain.failing.iter().copied().collect()),
        requests: Mutex::new(0),
    });
    let api = apis(&server, &chain.wires);
    let mut ledger = Ledger::default();
    for (stop_after, max_items, split) in &chain.attempts {
        if *split {
            workers(&api, chain, &mut ledger, stop_after.unwrap_or(3)).await;
        } else {
            attempt(&api, chain, &mut ledger, *stop_after, *max_items).await;
        }
    }
    // Then as many plain attempts as it takes; each hands out at least one item or finishes
    // a run, and every failure happens once, so this ends.
    for _ in 0..1000 {
        if ledger
            .checkpoint
            .as_ref()
            .is_some_and(FanCheckpoint::is_done)
        {
            break;
        }
        attempt(&api, chain, &mut ledger, None, None).await;
    }
    (ledger, runs)
}

fn check(chain: &Chain, ledger: &Ledger, runs: &[Vec<Vec<String>>]) {
    let expected: BTreeSet<String> = runs.iter().flatten().flatten().cloned().collect();
    let got: BTreeSet<String> = ledger.items.keys().cloned().collect();
    assert_eq!(got, expected, "lost or invented items in {chain:?}");
    let repeated: Vec<_> = ledger.items.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        repeated.is_empty(),
        "items repeated {repeated:?} in {chain:?}"
    );
    assert!(
        ledger
            .checkpoint
            .as_ref()
            .is_some_and(FanCheckpoint::is_done)
    );
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: paginate_tests::proptest_cases(1500),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fan_out_chains_give_every_item_exactly_once(chain in chain()) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let (ledger, runs) = runtime.block_on(run_chain(&chain));
        check(&chain, &ledger, &runs);
    }
}

/// At most `concurrency` runs are ever fetching: with a transport that records how many
/// requests are open at once (each answer waits for the test to release it), the peak is
/// the bound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_concurrency_requests_are_in_flight() {
    // (open now, most open at once, released): the first requests hold their answers until
    // three are open together, which a fan-out fetching fewer at a time never reaches (the
    // timeout below then fails the test instead of hanging).
    let open = Arc::new(Mutex::new((0usize, 0usize, false)));
    let transport = {
        let open = open.clone();
        Arc::new(nonblocking::from_fn(
            move |request: PageRequest<'static>| {
                let open = open.clone();
                async move {
                    {
                        let mut o = open.lock().unwrap();
                        o.0 += 1;
                        o.1 = o.1.max(o.0);
                        o.2 |= o.0 == 3;
                    }
                    while !open.lock().unwrap().2 {
                        tokio::task::yield_now().await;
                    }
                    tokio::task::yield_now().await;
                    open.lock().unwrap().0 -= 1;
                    let page = request.params().get("Marker").map_or(0, |_| 1);
                    Ok::<_, std::io::Error>(if page == 0 {
                        json!({"Items": [1, 2], "NextMarker": "m1"})
                    } else {
                        json!({"Items": [3]})
                    })
                }
            },
        ))
    };
    let members: Vec<_> = (0..8)
        .map(|run| {
            model()
                .paginate_async(transport.clone(), json!({"Run": run}))
                .items()
        })
        .collect();
    let mut fan = FanOut::new(members).concurrency(3);
    let n = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        let mut n = 0;
        while let Some(item) = fan.next().await {
            item.unwrap();
            n += 1;
        }
        n
    })
    .await
    .expect("three requests were never in flight at once");
    assert_eq!(n, 24);
    let peak = open.lock().unwrap().1;
    assert_eq!(
        peak, 3,
        "at most, and at some point exactly, 3 requests in flight"
    );
}

/// A failing run is reported with its index; the others finish, and the checkpoint keeps the
/// failed run at the page that failed. The failing run's pages come as `Value`s, then as
/// bodies (L7, G8).
#[tokio::test(flavor = "current_thread")]
async fn a_failing_run_does_not_stop_the_others() {
    for wires in [
        [Wire::Body, Wire::Value, Wire::Body],
        [Wire::Value, Wire::Body, Wire::Value],
    ] {
        let server = Arc::new(Server {
            runs: vec![
                listing(0, &[2, 2]),
                listing(1, &[1, 1, 1]),
                listing(2, &[3]),
            ],
            failing: Mutex::new([(1, 1)].into_iter().collect()),
            requests: Mutex::new(0),
        });
        let api = apis(&server, &wires);
        let mut fan = FanOut::new((0..3).map(|run| member(&api, run, None, None)).collect());
        let (mut items, mut failures) = (Vec::new(), Vec::new());
        while let Some(next) = fan.next().await {
            match next {
                Ok(t) => items.push(t.value),
                Err(e) => {
                    assert!(e.to_string().starts_with("run 1 of the fan-out failed"));
                    failures.push(e.run);
                }
            }
        }
        assert_eq!(failures, [1]);
        assert_eq!(items.len(), 2 + 2 + 1 + 3);
        let checkpoint = fan.checkpoint();
        assert_eq!(checkpoint.runs()[0], RunCheckpoint::Done);
        assert_eq!(checkpoint.runs()[2], RunCheckpoint::Done);
        assert_eq!(
            checkpoint.runs()[1],
            RunCheckpoint::Resume(Some(paginate_tests::enc(r#"{"Marker": "m1"}"#)))
        );
        // Garbage is a typed error, not a panic.
        for bad in ["", "[]", r#"{"runs": [1]}"#, r#"{"runs": [{"token": 5}]}"#] {
            assert!(matches!(
                FanCheckpoint::decode(bad),
                Err(paginated::Error::InvalidCheckpoint { .. })
            ));
        }
    }
}
