//! DynamoDB's parallel Scan through paginate's fan-out, end to end on moto and dynalite,
//! checked against boto3's sequential Scan of the same table.
//!
//! One run per segment (`Segment` 0..4 of `TotalSegments` 4, a small `Limit` so that each
//! segment takes several pages), made by the fan-out over the async client, at most 4
//! fetching at once ([`paginated::Model::fan_out`]). The test checks:
//!
//! - the items of all runs are exactly the items of boto3's sequential Scan of the whole
//!   table: the same items, and as many (none twice);
//! - every item is tagged with the run of the segment the server puts it in. Both servers
//!   assign segments deterministically from the hash key (moto: the first byte of its MD5
//!   modulo `TotalSegments`; dynalite: the range of its hash prefix), so boto3's sequential
//!   Scan of each segment alone is the oracle: run `s` gives exactly that segment's items,
//!   with as many requests as boto3 needed pages. The segments' item sets are disjoint and
//!   their union is the table;
//! - the fan-out overlaps the segments: 4 requests are in flight together, never more;
//! - a fan-out stopped by `max_items` (2 fetching at once) leaves one checkpoint that, encoded
//!   and decoded, resumes every segment where it stood: the two parts together are boto3's
//!   sequential Scan again, with no item lost or repeated (dynalite refuses an
//!   `ExclusiveStartKey` outside the segment, so each resumed run must carry its own).
//!
//! Opt-in like `tests/peers/` (feature `peers`, servers from `peers/peers.sh start`):
//!
//! ```text
//! cargo test -p paginate-peers --features peers --test parallel_scan -- --nocapture
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use paginate_peers::{AsyncClient, AwsJson, PeerError, Replies};
use paginated::fanout::{FanCheckpoint, FanOut, Member, Tagged};
use paginated::{Error, PageRequest, Reply, nonblocking};
use serde_json::{Value, json};
use support::{Config, Server, boto3_job, dynamodb, model, oracle, poll, setup, unique};

/// Segments of the parallel Scan.
const SEGMENTS: u64 = 4;
/// `Limit` of every request: each segment's share of the table takes several pages.
const LIMIT: u64 = 3;
/// Items in the table: about 15 per segment, so about 5 pages each.
const ITEMS: usize = 60;

/// The table's items: a string hash key (some outside ASCII), a number and a string.
fn table_items() -> Vec<Value> {
    (0..ITEMS)
        .map(|i| {
            let pk = if i % 7 == 0 {
                format!("élément-{i:03}")
            } else {
                format!("item-{i:03}")
            };
            json!({"pk": {"S": pk}, "n": {"N": i.to_string()}, "note": {"S": format!("row {i}")}})
        })
        .collect()
}

/// A table keyed by `pk` (string) holding `items`; ACTIVE when this returns. Blocking.
fn create_table(server: Server, name: &str, items: &[Value]) {
    let api = dynamodb(server);
    setup(
        server,
        &api,
        "CreateTable",
        json!({
            "TableName": name,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        }),
    );
    poll(
        &format!("table {name} on {}", server.name()),
        Duration::from_secs(30),
        || {
            let table = setup(server, &api, "DescribeTable", json!({"TableName": name}));
            (table["Table"]["TableStatus"] == "ACTIVE").then_some(())
        },
    );
    for item in items {
        setup(
            server,
            &api,
            "PutItem",
            json!({"TableName": name, "Item": item}),
        );
    }
}

/// The params of segment `segment`'s run.
fn segment_params(table: &str, segment: u64) -> Value {
    json!({"TableName": table, "Segment": segment, "TotalSegments": SEGMENTS, "Limit": LIMIT})
}

/// The hash key of an item, which names it.
fn key_of(item: &Value) -> String {
    item["pk"]["S"]
        .as_str()
        .unwrap_or_else(|| panic!("an item without a string `pk`: {item}"))
        .to_owned()
}

/// Items by hash key; a key seen twice fails, naming `what`.
fn by_key(what: &str, items: impl IntoIterator<Item = Value>) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for item in items {
        let key = key_of(&item);
        if let Some(earlier) = out.insert(key.clone(), item) {
            panic!("{what}: item {key} came twice (first {earlier})");
        }
    }
    out
}

/// boto3's pages of one job, as the oracle printed them.
fn pages_of(result: &Value) -> &[Value] {
    result["pages"].as_array().unwrap()
}

fn items_of_pages(pages: &[Value]) -> Vec<Value> {
    pages
        .iter()
        .flat_map(|p| p["Items"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// What boto3 lists from the table: the whole table in one sequential Scan, and each segment
/// alone in a sequential Scan of its own (its pages, for their number).
struct Boto3 {
    sequential: BTreeMap<String, Value>,
    segments: Vec<(BTreeMap<String, Value>, usize)>,
}

/// Asks boto3, in one oracle call. Blocking.
fn boto3_scans(server: Server, table: &str) -> Boto3 {
    let mut jobs = vec![boto3_job(
        server,
        "dynamodb",
        "Scan",
        &json!({"TableName": table, "Limit": LIMIT}),
        &Config::default(),
    )];
    for segment in 0..SEGMENTS {
        jobs.push(boto3_job(
            server,
            "dynamodb",
            "Scan",
            &segment_params(table, segment),
            &Config::default(),
        ));
    }
    let answer = oracle(&json!({ "jobs": jobs }));
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), jobs.len(), "one oracle result per job");
    let sequential = by_key(
        "boto3's sequential Scan",
        items_of_pages(pages_of(&results[0])),
    );
    let segments = results[1..]
        .iter()
        .enumerate()
        .map(|(segment, result)| {
            let pages = pages_of(result);
            let items = by_key(
                &format!("boto3's Scan of segment {segment}"),
                items_of_pages(pages),
            );
            (items, pages.len())
        })
        .collect();
    Boto3 {
        sequential,
        segments,
    }
}

/// An async transport that counts what passes through it: the requests in flight now and at
/// most, and the requests of each segment.
struct Counting<T> {
    inner: T,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    requests: Mutex<BTreeMap<u64, usize>>,
}

impl<T> Counting<T> {
    fn new(inner: T) -> Counting<T> {
        Counting {
            inner,
            in_flight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            requests: Mutex::new(BTreeMap::new()),
        }
    }

    fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    fn requests(&self) -> BTreeMap<u64, usize> {
        self.requests.lock().unwrap().clone()
    }
}

/// Takes one request off the in-flight count when it ends, answered or dropped.
struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl<T: nonblocking::Transport<Error = PeerError> + Sync> nonblocking::Transport for Counting<T> {
    type Error = PeerError;

    async fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, PeerError> {
        let segment = request.params().get("Segment").and_then(Value::as_u64);
        *self
            .requests
            .lock()
            .unwrap()
            .entry(segment.unwrap_or(u64::MAX))
            .or_default() += 1;
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        let _guard = InFlight(&self.in_flight);
        self.inner.fetch(request).await
    }
}

/// Drains a fan-out; a failed run fails the test.
async fn drain<S>(what: &str, fan: &mut FanOut<S>) -> Vec<Tagged<Value>>
where
    S: Member<Item = Result<Value, Error>>,
{
    let mut out = Vec::new();
    while let Some(item) = fan.next().await {
        match item {
            Ok(tagged) => out.push(tagged),
            Err(failed) => panic!("{what}: {failed}: {}", failed.error),
        }
    }
    out
}

/// The tagged items of each run, by hash key (a key twice in a run fails).
fn by_run(what: &str, tagged: &[Tagged<Value>]) -> Vec<BTreeMap<String, Value>> {
    (0..SEGMENTS as usize)
        .map(|run| {
            by_key(
                &format!("{what}, run {run}"),
                tagged
                    .iter()
                    .filter(|t| t.run == run)
                    .map(|t| t.value.clone()),
            )
        })
        .collect()
}

/// Asserts that the items of each run are those boto3 listed from its segment, and that the
/// segments split the table; returns the items compared.
fn check_segments(what: &str, runs: &[BTreeMap<String, Value>], boto3: &Boto3) -> usize {
    let mut compared = 0;
    let mut union = BTreeMap::new();
    for (segment, (ours, (theirs, _))) in runs.iter().zip(&boto3.segments).enumerate() {
        assert_eq!(
            ours.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>(),
            "{what}: run {segment} does not hold the items boto3 scans from segment {segment}"
        );
        assert_eq!(
            ours, theirs,
            "{what}: run {segment}'s items differ from boto3's"
        );
        compared += ours.len();
        for (key, item) in theirs {
            assert!(
                union.insert(key.clone(), item.clone()).is_none(),
                "{what}: boto3 scanned {key} in two segments"
            );
        }
    }
    assert_eq!(
        union, boto3.sequential,
        "{what}: the segments together are not boto3's sequential Scan"
    );
    compared
}

async fn parallel_scan(server: Server) {
    let items = table_items();
    let table = unique("parallel-scan");
    // Set-up and the oracle are blocking (their own HTTP clients and a Python process).
    let (scan, boto3) = {
        let (table, items) = (table.clone(), items.clone());
        tokio::task::spawn_blocking(move || {
            create_table(server, &table, &items);
            (model("dynamodb", "Scan"), boto3_scans(server, &table))
        })
        .await
        .unwrap()
    };
    let created = by_key("the items created", items);
    assert_eq!(
        boto3.sequential,
        created,
        "boto3's sequential Scan of {} is not the table the test created",
        server.describe()
    );
    let mut compared = 0;

    // Each segment is a real share of the table that takes several pages.
    for (segment, (theirs, pages)) in boto3.segments.iter().enumerate() {
        assert!(
            *pages >= 3 && !theirs.is_empty(),
            "{}: segment {segment} has {} items in {pages} pages at Limit {LIMIT}; the test \
             needs several pages per segment",
            server.describe(),
            theirs.len()
        );
    }

    // The whole table, 4 segments at once.
    let what = format!("parallel Scan on {}", server.describe());
    let client = Counting::new(AsyncClient::new(AwsJson::dynamodb(server.endpoint())).unwrap());
    let mut fan = scan
        .fan_out(&client, (0..SEGMENTS).map(|s| segment_params(&table, s)))
        .concurrency(SEGMENTS as usize);
    let tagged = drain(&what, &mut fan).await;
    assert!(fan.checkpoint().is_done(), "{what}: not done after the end");
    assert_eq!(
        tagged.len(),
        boto3.sequential.len(),
        "{what}: {} items, boto3's sequential Scan has {}",
        tagged.len(),
        boto3.sequential.len()
    );
    let all = by_key(&what, tagged.iter().map(|t| t.value.clone()));
    assert_eq!(
        all, boto3.sequential,
        "{what}: not the items of boto3's sequential Scan"
    );
    compared += all.len();
    compared += check_segments(&what, &by_run(&what, &tagged), &boto3);
    // The same pages as boto3's (so the same page boundaries), and the segments overlapped.
    let boto3_pages: BTreeMap<u64, usize> = boto3
        .segments
        .iter()
        .enumerate()
        .map(|(segment, (_, pages))| (segment as u64, *pages))
        .collect();
    assert_eq!(
        client.requests(),
        boto3_pages,
        "{what}: requests per segment differ from boto3's pages per segment"
    );
    let peak = client.peak();
    assert_eq!(
        peak, SEGMENTS as usize,
        "{what}: the 4 segments were not all fetching at once"
    );
    // DynamoDB answers JSON: every page reached the runs as its response body.
    let bodies = client.requests().values().sum::<usize>() as u64;
    assert_eq!(
        client.inner.replies(),
        Replies { bodies, values: 0 },
        "{what}: not every page was read from its response body"
    );

    // Stopped half way, 2 segments fetching at a time, then resumed from the checkpoint by a
    // new fan-out over a new client, as another process would.
    let what = format!(
        "parallel Scan resumed from a checkpoint on {}",
        server.describe()
    );
    // About half the table, but no sum of whole segments, so the fan-out stops inside a
    // segment and the checkpoint holds a run resumed from a real token.
    let sizes: Vec<u64> = boto3.segments.iter().map(|(s, _)| s.len() as u64).collect();
    let whole_segments: Vec<u64> = (0..1u32 << sizes.len())
        .map(|set| {
            (0..sizes.len())
                .filter(|i| set & (1 << i) != 0)
                .map(|i| sizes[i])
                .sum()
        })
        .collect();
    let half = (ITEMS as u64 / 2..)
        .find(|n| !whole_segments.contains(n))
        .unwrap();
    let first = Counting::new(AsyncClient::new(AwsJson::dynamodb(server.endpoint())).unwrap());
    let mut fan = scan
        .fan_out(&first, (0..SEGMENTS).map(|s| segment_params(&table, s)))
        .concurrency(2)
        .max_items(half);
    let mut tagged = drain(&what, &mut fan).await;
    assert_eq!(tagged.len() as u64, half, "{what}: max_items");
    let checkpoint = fan.checkpoint().encode();
    // A run stopped at the bound may have its next request in flight; dropping the fan-out
    // cancels it.
    drop(fan);
    assert_eq!(
        first.in_flight.load(Ordering::SeqCst),
        0,
        "{what}: requests left in flight by a dropped fan-out"
    );
    let checkpoint = FanCheckpoint::decode(&checkpoint).unwrap();
    assert!(
        checkpoint.unfinished().any(|(_, token)| token.is_some()),
        "{what}: no run stopped inside its segment after {half} items: {}",
        checkpoint.encode()
    );
    let second = Counting::new(AsyncClient::new(AwsJson::dynamodb(server.endpoint())).unwrap());
    let mut rest = FanOut::resume(&checkpoint, |run, token| {
        scan.paginate_async(&second, segment_params(&table, run as u64))
            .starting_token(token)
            .items()
    })
    .concurrency(2);
    tagged.extend(drain(&what, &mut rest).await);
    assert!(
        rest.checkpoint().is_done(),
        "{what}: not done after the end"
    );
    for (part, client) in [("first part", &first), ("resumed part", &second)] {
        assert!(
            (1..=2).contains(&client.peak()),
            "{what}: {part}: {} requests in flight at once, concurrency 2",
            client.peak()
        );
        // A request cancelled with the dropped fan-out gave no reply; every other one was a
        // body.
        let replies = client.inner.replies();
        assert!(
            replies.values == 0 && replies.bodies > 0,
            "{what}: {part}: not every page was read from its response body: {replies:?}"
        );
    }
    let all = by_key(&what, tagged.iter().map(|t| t.value.clone()));
    assert_eq!(
        all, boto3.sequential,
        "{what}: the two parts are not boto3's sequential Scan"
    );
    compared += all.len();
    compared += check_segments(&what, &by_run(&what, &tagged), &boto3);

    let pages: Vec<String> = boto3
        .segments
        .iter()
        .map(|(_, pages)| pages.to_string())
        .collect();
    println!(
        "peers: parallel_scan_on_{}: compared {compared} items against boto3 ({ITEMS} items in \
         {SEGMENTS} segments of {} items in {} pages at Limit {LIMIT}, whole and resumed after \
         {half} from a checkpoint; peak {peak} requests in flight; all {bodies} pages of the \
         whole Scan read from response bodies)",
        server.name(),
        sizes
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("/"),
        pages.join("/"),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_scan_on_moto() {
    parallel_scan(Server::Moto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_scan_on_dynalite() {
    parallel_scan(Server::Dynalite).await;
}
