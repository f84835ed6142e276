//! The benchmark of issue #6: what paginate costs beside parsing pages.
//!
//! One workload: a transport that parses canned S3 ListObjects response bodies (pages of 100
//! and of 1,000 objects with `Key`, `Size`, `ETag`, `StorageClass`; no `NextMarker`, so the
//! token comes from `Contents[-1].Key`; `IsTruncated`). Each case runs through paginate and
//! through a hand-written loop over the same transport, alternating within every round, and
//! the ratio of the medians is reported: ratios, not wall-clock limits, are what travel
//! between machines.
//!
//! ```text
//! cargo run --release -p paginate-bench               # speed: every case, both page sizes
//! cargo run --release -p paginate-bench -- --json F   # the same, also written to F
//! cargo run --release -p paginate-bench -- memory     # peak RSS of streaming and full results
//! cargo run --release -p paginate-bench -- dump DIR   # the canned bodies, for botocore_compare.py
//! cargo run --release -p paginate-bench -- latency    # lookahead over loopback HTTP (latency/)
//! ```

mod latency;
mod memory;

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use paginate_core::{AsyncTransport, Model, Transport};
use serde::Deserialize;
use serde_json::{Map, Value, json};

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

    fn fetch(&self, marker: &str) -> Result<Value, String> {
        serde_json::from_str(self.body(marker)?).map_err(|e| e.to_string())
    }
}

impl Transport for Canned {
    type Error = String;
    fn call(&self, _: &str, params: &Map<String, Value>) -> Result<Value, String> {
        self.fetch(params.get("Marker").and_then(Value::as_str).unwrap_or(""))
    }
}

impl AsyncTransport for Canned {
    type Error = String;
    async fn call(&self, _: &str, params: &Map<String, Value>) -> Result<Value, String> {
        self.fetch(params.get("Marker").and_then(Value::as_str).unwrap_or(""))
    }
}

// ---------------------------------------------------------------- hand-written loops

/// The hand-written loop's view of a page: where the next marker is and whether there is one.
fn next_marker(page: &Value) -> Option<String> {
    if page.get("IsTruncated").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    page.get("NextMarker")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .or_else(|| {
            page.get("Contents")?
                .as_array()?
                .last()?
                .get("Key")?
                .as_str()
        })
        .map(str::to_owned)
}

fn take_contents(page: &mut Value) -> Vec<Value> {
    match page.get_mut("Contents").map(Value::take) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    }
}

fn hand_items(api: &Canned) -> usize {
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let Ok(mut page) = api.fetch(&marker) else {
            return n;
        };
        let next = next_marker(&page);
        for item in take_contents(&mut page) {
            black_box(item);
            n += 1;
        }
        match next {
            Some(m) => marker = m,
            None => return n,
        }
    }
}

fn hand_search(api: &Canned) -> usize {
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let Ok(page) = api.fetch(&marker) else {
            return n;
        };
        if let Some(items) = page.get("Contents").and_then(Value::as_array) {
            for item in items {
                if item
                    .get("Size")
                    .and_then(Value::as_f64)
                    .is_some_and(|s| s > 500.0)
                    && let Some(k) = item.get("Key")
                {
                    black_box(k.clone());
                    n += 1;
                }
            }
        }
        match next_marker(&page) {
            Some(m) => marker = m,
            None => return n,
        }
    }
}

fn hand_full(api: &Canned) -> usize {
    let (mut marker, mut all) = (String::new(), Vec::new());
    loop {
        let Ok(mut page) = api.fetch(&marker) else {
            break;
        };
        let next = next_marker(&page);
        all.extend(take_contents(&mut page));
        match next {
            Some(m) => marker = m,
            None => break,
        }
    }
    let n = all.len();
    let mut full = Map::new();
    full.insert("Contents".to_owned(), Value::Array(all));
    black_box(Value::Object(full));
    n
}

/// Stateless chunks of `CHUNK` items: each chunk starts from (marker, offset) as a resume
/// token would, refetching a page it starts inside of.
fn hand_chunks(api: &Canned) -> usize {
    let (mut marker, mut offset, mut n) = (String::new(), 0usize, 0);
    loop {
        let mut left = CHUNK as usize;
        loop {
            let Ok(mut page) = api.fetch(&marker) else {
                return n;
            };
            let next = next_marker(&page);
            let items = take_contents(&mut page);
            let available = items.len().saturating_sub(offset);
            let taken = available.min(left);
            for item in items.into_iter().skip(offset).take(taken) {
                black_box(item);
            }
            n += taken;
            left -= taken;
            if taken < available {
                offset += taken;
                break; // the chunk ends inside this page
            }
            offset = 0;
            match next {
                Some(m) => marker = m,
                None => return n,
            }
            if left == 0 {
                break;
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Object {
    key: String,
    size: u64,
    e_tag: String,
    storage_class: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TypedPage {
    #[serde(default)]
    contents: Vec<Object>,
    is_truncated: bool,
}

fn hand_typed(api: &Canned) -> usize {
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let Ok(body) = api.body(&marker) else {
            return n;
        };
        let Ok(page) = serde_json::from_str::<TypedPage>(body) else {
            return n;
        };
        let next = page.contents.last().map(|o| o.key.clone());
        let more = page.is_truncated;
        for object in page.contents {
            black_box(object);
            n += 1;
        }
        match next.filter(|_| more) {
            Some(m) => marker = m,
            None => return n,
        }
    }
}

/// Typed items from JSON pages, as a loop over a `Value` transport would get them.
fn hand_typed_from_value(api: &Canned) -> usize {
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let Ok(mut page) = api.fetch(&marker) else {
            return n;
        };
        let next = next_marker(&page);
        for item in take_contents(&mut page) {
            if let Ok(object) = serde_json::from_value::<Object>(item) {
                black_box(object);
                n += 1;
            }
        }
        match next {
            Some(m) => marker = m,
            None => return n,
        }
    }
}

async fn hand_async_items(api: &Canned) -> usize {
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let params: Map<String, Value> = [("Marker".to_owned(), Value::String(marker.clone()))]
            .into_iter()
            .collect();
        let Ok(mut page) = AsyncTransport::call(api, "ListObjects", &params).await else {
            return n;
        };
        let next = next_marker(&page);
        for item in take_contents(&mut page) {
            black_box(item);
            n += 1;
        }
        match next {
            Some(m) => marker = m,
            None => return n,
        }
    }
}

// ---------------------------------------------------------------- paginate

/// Takes every item, so none of the work can be optimized away; counts them.
fn consume<T>(items: impl Iterator<Item = T>) -> usize {
    let mut n = 0;
    for item in items {
        black_box(item);
        n += 1;
    }
    n
}

fn paginate_items(m: &Model, api: &Canned) -> usize {
    consume(m.paginate(api, json!({"Bucket": "media"})).items())
}

fn paginate_search(m: &Model, api: &Canned) -> usize {
    match m.paginate(api, json!({"Bucket": "media"})).search(SEARCH) {
        Ok(results) => consume(results),
        Err(e) => fail(&e.to_string()),
    }
}

fn paginate_full(m: &Model, api: &Canned) -> usize {
    match m
        .paginate(api, json!({"Bucket": "media"}))
        .build_full_result()
    {
        Ok(full) => black_box(full)["Contents"].as_array().map_or(0, Vec::len),
        Err(e) => fail(&e.to_string()),
    }
}

fn paginate_chunks(m: &Model, api: &Canned) -> usize {
    let (mut n, mut token) = (0, None);
    loop {
        let mut run = m.paginate(api, json!({"Bucket": "media"})).max_items(CHUNK);
        if let Some(t) = token.take() {
            run = run.starting_token(Some(t));
        }
        let mut items = run.items();
        n += consume(items.by_ref());
        match items.resume_token() {
            Some(t) => token = Some(t),
            None => return n,
        }
    }
}

fn paginate_typed(m: &Model, api: &Canned) -> usize {
    consume(
        m.paginate(api, json!({"Bucket": "media"}))
            .items_as::<Object>(),
    )
}

async fn paginate_async_items(m: &Model, api: &Canned) -> usize {
    let mut items = m.paginate_async(api, json!({"Bucket": "media"})).items();
    let mut n = 0;
    while let Some(item) = items.next().await {
        black_box(item.is_ok());
        n += 1;
    }
    n
}

// ---------------------------------------------------------------- harness

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

struct Row {
    case: &'static str,
    page: usize,
    paginate: Duration,
    hand: Duration,
}

/// Runs both sides once to warm up and check they agree, then `ROUNDS` rounds alternating
/// which side goes first; returns the medians.
fn measure(
    case: &'static str,
    page: usize,
    mut ours: impl FnMut() -> usize,
    mut hand: impl FnMut() -> usize,
) -> Row {
    let (a, b) = (ours(), hand());
    if a != b {
        fail(&format!(
            "{case}/{page}: paginate gave {a} results, the hand-written loop {b}"
        ));
    }
    let (mut p, mut h) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let time = |f: &mut dyn FnMut() -> usize| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        };
        if round % 2 == 0 {
            p.push(time(&mut ours));
            h.push(time(&mut hand));
        } else {
            h.push(time(&mut hand));
            p.push(time(&mut ours));
        }
    }
    Row {
        case,
        page,
        paginate: median(p),
        hand: median(h),
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
        rows.push(measure(
            "items",
            page,
            || paginate_items(&m, &api),
            || hand_items(&api),
        ));
        rows.push(measure(
            "search",
            page,
            || paginate_search(&m, &api),
            || hand_search(&api),
        ));
        rows.push(measure(
            "full_result",
            page,
            || paginate_full(&m, &api),
            || hand_full(&api),
        ));
        rows.push(measure(
            "max_items_chunks",
            page,
            || paginate_chunks(&m, &api),
            || hand_chunks(&api),
        ));
        rows.push(measure(
            "typed_items",
            page,
            || paginate_typed(&m, &api),
            || hand_typed(&api),
        ));
        rows.push(measure(
            "typed_via_value",
            page,
            || paginate_typed(&m, &api),
            || hand_typed_from_value(&api),
        ));
        rows.push(measure(
            "async_items",
            page,
            || runtime.block_on(paginate_async_items(&m, &api)),
            || runtime.block_on(hand_async_items(&api)),
        ));
    }
    println!("{OBJECTS} objects per run, median of {ROUNDS} alternating rounds");
    println!(
        "{:<18} {:>5} {:>12} {:>12} {:>8}",
        "case", "page", "paginate", "by hand", "ratio"
    );
    let mut json_rows = Vec::new();
    for r in &rows {
        let ratio = r.paginate.as_secs_f64() / r.hand.as_secs_f64();
        println!(
            "{:<18} {:>5} {:>10.2}ms {:>10.2}ms {:>7.3}x",
            r.case,
            r.page,
            r.paginate.as_secs_f64() * 1e3,
            r.hand.as_secs_f64() * 1e3,
            ratio
        );
        json_rows.push(json!({"case": r.case, "page": r.page, "objects": OBJECTS,
                              "paginate_s": r.paginate.as_secs_f64(), "hand_s": r.hand.as_secs_f64(),
                              "ratio": ratio}));
    }
    if let Some(path) = json_out
        && let Err(e) = std::fs::write(&path, Value::Array(json_rows).to_string())
    {
        fail(&format!("{path}: {e}"));
    }
}

/// One run of one case, for a profiler: `valgrind --tool=callgrind paginate-bench once items 100`.
fn once(case: &str, page: usize) {
    let (m, api) = (model(), Canned::new(page));
    let n = match case {
        "items" => paginate_items(&m, &api),
        "search" => paginate_search(&m, &api),
        "full_result" => paginate_full(&m, &api),
        "hand_items" => hand_items(&api),
        other => fail(&format!("unknown case {other}")),
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
        ["dump", dir] => dump(dir),
        ["once", case, page] => once(case, page.parse().unwrap_or(100)),
        ["memory-child", what, pages] => memory::memory_child(what, pages.parse().unwrap_or(1)),
        _ => fail(
            "usage: paginate-bench [--json FILE | memory | latency [OPTIONS] | dump DIR | once CASE PAGE]",
        ),
    }
}
