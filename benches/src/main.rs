//! The benchmark of issue #6: what paginate costs beside parsing pages.
//!
//! One workload: a transport that parses canned S3 ListObjects response bodies (pages of 100
//! and of 1,000 objects with `Key`, `Size`, `ETag`, `StorageClass`; no `NextMarker`, so the
//! token comes from `Contents[-1].Key`; `IsTruncated`), and one that answers with the same
//! bodies unparsed (`Content::Body`, the `*_body` cases, [`mod@body`]). Each case runs through
//! paginate and through a hand-written loop over the same transport, alternating within every
//! round, and both the ratio of the medians and the median of the per-round ratios are
//! reported: ratios, not wall-clock limits, are what travel between machines.
//!
//! ```text
//! cargo run --release -p paginate-bench               # speed: every case, both page sizes
//! cargo run --release -p paginate-bench -- --json F   # the same, also written to F
//! cargo run --release -p paginate-bench -- memory     # peak RSS of streaming and full results
//! cargo run --release -p paginate-bench -- dump DIR   # the canned bodies, for botocore_compare.py
//! cargo run --release -p paginate-bench -- serve      # timings on request, for botocore_compare.py
//! cargo run --release -p paginate-bench -- latency    # lookahead over loopback HTTP (latency/)
//! cargo run --release -p paginate-bench -- fanout     # fan-out against a JoinSet loop (fanout.rs)
//! cargo run --release -p paginate-bench --features simd -- simd  # SIMD JSON parsers (simd.rs)
//! ```

mod body;
mod cases;
mod fanout;
mod latency;
mod memory;
mod serve;
#[cfg(feature = "simd")]
mod simd;

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use paginated::{Model, PageRequest, Reply, blocking, nonblocking};
use serde_json::{Value, json};

const OBJECTS: usize = 20_000;
const ROUNDS: usize = 15;
const CHUNK: u64 = 250;
const SEARCH: &str = "Contents[?Size > `500`].Key";

fn model() -> Model {
    // botocore's S3 ListObjects model.
    let entry = json!({
        "more_results": "IsTruncated", "limit_key": "MaxKeys",
        "output_token": "NextMarker || Contents[-1].Key", "input_token": "Marker",
        "result_key": ["Contents", "CommonPrefixes"]
    });
    match Model::from_botocore("ListObjects", &entry) {
        Ok(m) => m,
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("paginate-bench: {message}");
    std::process::exit(2)
}

fn key(i: usize) -> String {
    format!("photos/2024/{:02}/IMG_{i:07}.jpg", i % 12 + 1)
}

fn body(first: usize, count: usize, total: usize, marker: &str) -> String {
    let contents: Vec<Value> = (first..(first + count).min(total))
        .map(|i| {
            json!({"Key": key(i), "Size": (i * 7919) % 1000, "ETag": format!("\"{:032x}\"", i * 2_654_435_761),
                   "StorageClass": "STANDARD"})
        })
        .collect();
    json!({"Name": "media", "Prefix": "", "Marker": marker, "MaxKeys": count,
           "IsTruncated": first + count < total, "Contents": contents})
    .to_string()
}

/// Canned bodies keyed by the marker that fetches them; each call parses one.
struct Canned {
    bodies: HashMap<String, String>,
}

impl Canned {
    fn new(page: usize) -> Canned {
        let mut bodies = HashMap::new();
        let mut marker = String::new();
        for first in (0..OBJECTS).step_by(page) {
            bodies.insert(marker.clone(), body(first, page, OBJECTS, &marker));
            marker = key((first + page).min(OBJECTS) - 1);
        }
        Canned { bodies }
    }

    fn body(&self, marker: &str) -> Result<&str, String> {
        self.bodies
            .get(marker)
            .map(String::as_str)
            .ok_or_else(|| format!("no page after {marker}"))
    }

    fn page(&self, marker: &str) -> Result<Value, String> {
        serde_json::from_str(self.body(marker)?).map_err(|e| e.to_string())
    }
}

impl blocking::Transport for Canned {
    type Error = String;
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, String> {
        let marker = request.params().get("Marker").and_then(Value::as_str);
        self.page(marker.unwrap_or("")).map(Reply::value)
    }
}

impl nonblocking::Transport for Canned {
    type Error = String;
    async fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, String> {
        let marker = request.params().get("Marker").and_then(Value::as_str);
        self.page(marker.unwrap_or("")).map(Reply::value)
    }
}

// ---------------------------------------------------------------- the cases

/// A warm-up check that both sides of a case return equal results.
type Check = fn(&Model, &Canned) -> Result<(), String>;

/// One case: paginate's side and the hand-written loop's over the same canned pages, each
/// returning how many results it got, and for some a check, run at warm-up, that both sides
/// return equal results (not only as many).
pub(crate) struct Case {
    pub(crate) name: &'static str,
    pub(crate) ours: fn(&Model, &Canned) -> usize,
    pub(crate) hand: fn(&Canned) -> usize,
    check: Option<Check>,
}

const fn case(
    name: &'static str,
    ours: fn(&Model, &Canned) -> usize,
    hand: fn(&Canned) -> usize,
) -> Case {
    Case {
        name,
        ours,
        hand,
        check: None,
    }
}

const fn checked(
    name: &'static str,
    ours: fn(&Model, &Canned) -> usize,
    hand: fn(&Canned) -> usize,
    check: Check,
) -> Case {
    Case {
        name,
        ours,
        hand,
        check: Some(check),
    }
}

/// Every blocking case; `async_items` needs a runtime and is added by [`speed`].
pub(crate) const CASES: &[Case] = &[
    case("items", cases::paginate_items, cases::hand_items),
    case("search", cases::paginate_search, cases::hand_search),
    case("full_result", cases::paginate_full, cases::hand_full),
    case(
        "max_items_chunks",
        cases::paginate_chunks,
        cases::hand_chunks,
    ),
    case("typed_items", cases::paginate_typed, cases::hand_typed),
    case(
        "typed_via_value",
        cases::paginate_typed,
        cases::hand_typed_from_value,
    ),
    checked(
        "items_body",
        body::items,
        body::hand_items,
        body::check_items,
    ),
    checked(
        "typed_items_body",
        body::typed_items,
        body::hand_typed_items,
        body::check_typed_items,
    ),
    checked(
        "typed_pages_body",
        body::typed_pages,
        body::hand_typed_pages,
        body::check_typed_pages,
    ),
    checked(
        "typed_full_result_body",
        body::typed_full,
        body::hand_typed_full,
        body::check_typed_full,
    ),
];

pub(crate) fn find_case(name: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| fail(&format!("unknown case {name}")))
}

impl Case {
    /// Runs both sides once: they must return as many results, and equal ones where the case
    /// has a check. Returns the count.
    pub(crate) fn warm_up(&self, m: &Model, api: &Canned, page: usize) -> usize {
        let (a, b) = ((self.ours)(m, api), (self.hand)(api));
        if a != b {
            fail(&format!(
                "{}/{page}: paginate gave {a} results, the hand-written loop {b}",
                self.name
            ));
        }
        if let Some(check) = self.check
            && let Err(e) = check(m, api)
        {
            fail(&format!("{}/{page}: {e}", self.name));
        }
        a
    }
}

// ---------------------------------------------------------------- harness

fn median<T: PartialOrd + Copy>(mut samples: Vec<T>) -> T {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    samples[samples.len() / 2]
}

/// Takes a result the way a consumer would, so that nothing producing it is optimized away.
pub(crate) fn sink<T>(item: T) {
    black_box(item);
}

/// Checks that two sides of a case gave equal results, each side named by its `(name,
/// results)`.
pub(crate) fn same_results<T: PartialEq + std::fmt::Debug>(
    what: &str,
    (first, firsts): (&str, &[T]),
    (second, seconds): (&str, &[T]),
) -> Result<(), String> {
    if firsts.len() != seconds.len() {
        return Err(format!(
            "{what}: {first} gave {} results, {second} {}",
            firsts.len(),
            seconds.len()
        ));
    }
    match firsts.iter().zip(seconds).position(|(a, b)| a != b) {
        None => Ok(()),
        Some(i) => Err(format!(
            "{what}: result {i} differs: {first} {:?}, {second} {:?}",
            firsts[i], seconds[i]
        )),
    }
}

/// An error with its causes, one after the other.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Times one call.
pub(crate) fn time(f: impl FnOnce() -> usize) -> (Duration, usize) {
    let start = Instant::now();
    let n = black_box(f());
    (start.elapsed(), n)
}

struct Row {
    case: &'static str,
    page: usize,
    paginate: Duration,
    hand: Duration,
    /// The median of the per-round ratios paginate / hand, and their least and greatest.
    round_ratio: f64,
    round_min: f64,
    round_max: f64,
}

/// `ROUNDS` rounds alternating which side goes first (after the caller's warm-up); returns
/// the medians and the median of the per-round ratios.
fn measure(
    case: &'static str,
    page: usize,
    mut ours: impl FnMut() -> usize,
    mut hand: impl FnMut() -> usize,
) -> Row {
    let (mut p, mut h, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (a, b) = if round % 2 == 0 {
            let a = time(&mut ours).0;
            (a, time(&mut hand).0)
        } else {
            let b = time(&mut hand).0;
            (time(&mut ours).0, b)
        };
        p.push(a);
        h.push(b);
        r.push(a.as_secs_f64() / b.as_secs_f64());
    }
    let round_min = r.iter().copied().fold(f64::INFINITY, f64::min);
    let round_max = r.iter().copied().fold(0.0, f64::max);
    Row {
        case,
        page,
        paginate: median(p),
        hand: median(h),
        round_ratio: median(r),
        round_min,
        round_max,
    }
}

fn speed(json_out: Option<String>) {
    let m = model();
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(r) => r,
        Err(e) => fail(&e.to_string()),
    };
    let mut rows = Vec::new();
    for page in [100, 1000] {
        let api = Canned::new(page);
        for c in CASES {
            c.warm_up(&m, &api, page);
            rows.push(measure(
                c.name,
                page,
                || (c.ours)(&m, &api),
                || (c.hand)(&api),
            ));
        }
        let ours = || runtime.block_on(cases::paginate_async_items(&m, &api));
        let hand = || runtime.block_on(cases::hand_async_items(&api));
        let (a, b) = (ours(), hand());
        if a != b {
            fail(&format!(
                "async_items/{page}: paginate gave {a} results, the hand-written loop {b}"
            ));
        }
        rows.push(measure("async_items", page, ours, hand));
    }
    println!("{OBJECTS} objects per run, {ROUNDS} alternating rounds");
    println!(
        "{:<24} {:>5} {:>12} {:>12} {:>8} {:>8} {:>13}",
        "case", "page", "paginate", "by hand", "ratio", "rounds", "rounds"
    );
    println!(
        "{:<24} {:>5} {:>12} {:>12} {:>8} {:>8} {:>13}",
        "", "", "(median)", "(median)", "medians", "median", "(min-max)"
    );
    let mut json_rows = Vec::new();
    for r in &rows {
        let ratio = r.paginate.as_secs_f64() / r.hand.as_secs_f64();
        println!(
            "{:<24} {:>5} {:>10.2}ms {:>10.2}ms {:>7.3}x {:>7.3}x {:>13}",
            r.case,
            r.page,
            r.paginate.as_secs_f64() * 1e3,
            r.hand.as_secs_f64() * 1e3,
            ratio,
            r.round_ratio,
            format!("{:.2}-{:.2}", r.round_min, r.round_max)
        );
        json_rows.push(json!({"case": r.case, "page": r.page, "objects": OBJECTS,
                              "paginate_s": r.paginate.as_secs_f64(), "hand_s": r.hand.as_secs_f64(),
                              "ratio": ratio, "round_ratio": r.round_ratio,
                              "round_min": r.round_min, "round_max": r.round_max}));
    }
    if let Some(path) = json_out
        && let Err(e) = std::fs::write(&path, Value::Array(json_rows).to_string())
    {
        fail(&format!("{path}: {e}"));
    }
}

/// One run of one case, for a profiler: `valgrind --tool=callgrind paginate-bench once items 100`
/// (`hand_items` for the hand-written side of `items`, and so on for every case).
fn once(case: &str, page: usize) {
    let (m, api) = (model(), Canned::new(page));
    let n = match case.strip_prefix("hand_") {
        Some(name) => (find_case(name).hand)(&api),
        None => (find_case(case).ours)(&m, &api),
    };
    println!("{case}: {n}");
}

/// Writes the canned bodies as JSON lines (`{"marker": …, "body": …}`), one file per page
/// size, so botocore parses exactly the same bytes.
fn dump(dir: &str) {
    for page in [100, 1000] {
        let api = Canned::new(page);
        let mut lines = String::new();
        let mut markers: Vec<&String> = api.bodies.keys().collect();
        markers.sort();
        for marker in markers {
            lines.push_str(&json!({"marker": marker, "body": api.bodies[marker]}).to_string());
            lines.push('\n');
        }
        let path = format!("{dir}/pages-{page}.jsonl");
        if let Err(e) = std::fs::write(&path, lines) {
            fail(&format!("{path}: {e}"));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => speed(None),
        ["--json", path] => speed(Some((*path).to_owned())),
        ["memory"] => memory::memory(),
        ["latency", rest @ ..] => latency::main(rest),
        ["fanout", rest @ ..] => fanout::main(rest),
        ["fanout-server"] => fanout::serve(),
        ["dump", dir] => dump(dir),
        ["serve"] => serve::serve(),
        #[cfg(feature = "simd")]
        ["simd"] => simd::main(),
        ["once", case, page] => once(case, page.parse().unwrap_or(100)),
        ["memory-child", what, pages] => memory::memory_child(what, pages.parse().unwrap_or(1)),
        _ => fail(
            "usage: paginate-bench [--json FILE | memory | latency [OPTIONS] | fanout [OPTIONS] | dump DIR | serve | once CASE PAGE | simd (feature simd)]",
        ),
    }
}
