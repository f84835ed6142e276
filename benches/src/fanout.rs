//! The `fanout` mode: what a [`FanOut`] costs as the runs grow, over a fast loopback server
//! with no injected latency (issue 20, part 4).
//!
//! The server ([`server`]) is a child process (`paginate-bench fanout-server`, hidden): axum on a
//! current-thread runtime, bound to `127.0.0.1:0`, printing its port on stdout and stopping
//! when its stdin closes or the bench kills it. It serves per-tenant S3 ListObjects-style
//! listings, `GET /fanout/{runs}/tenants/{tenant}/objects?marker=K`, pages of 100 objects
//! (`Key`, `Size`, `ETag`, `StorageClass`) with `IsTruncated` and no `NextMarker`, so the next
//! marker is the page's last key, as in botocore's ListObjects model. Every body is rendered
//! at start-up, so a request costs the server little more than HTTP. Keeping the server in
//! another process lets the bench read its own CPU time (utime + stime of `/proc/self/stat`,
//! in ticks of 10 ms, summed over all rounds) as the client's alone.
//!
//! Three configurations list about the same number of pages: 8 tenants × 250 pages, 32 × 63
//! and 1,000 × 2 (2,000 to 2,016 pages, 100 objects each), 32 runs in flight at most. Sides,
//! both handing every object to the consumer as a typed [`Object`] (the same struct, the same
//! work per object) over one shared keep-alive `reqwest::Client`:
//!
//! - paginate: one [`FanOut`] of `Items` runs over the ready [`HttpTransport`],
//!   `.concurrency(32)`, each run `.typed::<Object>()`; with `--lookahead`, each run
//!   `.lookahead()` (its next request sent while its page is handed out), with `--spawned`,
//!   `.lookahead_spawned()` (that request a task of the runtime);
//! - by hand: a tokio `JoinSet` with at most 32 tasks, each listing one tenant (request, read
//!   the body, `serde_json::from_slice` into a page of `Object`s, consume them, next marker),
//!   a new task spawned as one ends.
//!
//! Runtime, the same for both: a multi-thread tokio runtime with 2 workers (the machine's
//! cores); paginate's fan-out is driven by a task spawned on it and the hand side's tasks are
//! spawned on it, the caller only waits for the result. Each side's first run is checked:
//! every key of every tenant exactly once (sorted key lists equal); every timed run must give
//! the same item count and the same sum of sizes and of key, ETag and storage-class lengths.
//!
//! Rounds alternate which side goes first; each round's ratio is paginate's items/s ÷ the
//! hand side's, reported as the median with the lowest and highest.
//!
//! ```text
//! cargo run --release -p paginate-bench -- fanout [--rounds 9] [--concurrency 32] \
//!     [--lookahead | --spawned] [--only paginate|hand]
//! ```
//!
//! `--concurrency 1` lists one tenant at a time on both sides: what paginate costs per page
//! without any fan-out to speak of. `--only` runs one side alone, `rounds` times, for a
//! profiler (`perf record -g … fanout --only paginate`).

mod server;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use paginated::Model;
use paginated::fanout::FanOut;
use paginated::http::HttpTransport;
use serde::Deserialize;
use serde_json::json;
use tokio::task::JoinSet;

use crate::{error_chain, fail};
use server::ServerChild;
pub(crate) use server::serve;

/// The configurations: tenants (runs) listed, each of `TOTAL_PAGES / runs` pages (rounded up).
const RUNS: [usize; 3] = [8, 32, 1000];
const TOTAL_PAGES: usize = 2000;
const PER_PAGE: usize = 100;
const CONCURRENCY: usize = 32;

fn pages_per_run(runs: usize) -> usize {
    TOTAL_PAGES.div_ceil(runs)
}

fn key(tenant: usize, index: usize) -> String {
    format!("tenants/{tenant:04}/photos/2024/IMG_{index:07}.jpg")
}

// ---------------------------------------------------------------- the two sides

/// One object of a listing, as both sides hand it to the consumer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Object {
    key: String,
    size: u64,
    #[serde(rename = "ETag")]
    etag: String,
    storage_class: String,
}

/// A page as the hand side reads it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct HandPage {
    is_truncated: bool,
    next_marker: Option<String>,
    #[serde(default)]
    contents: Vec<Object>,
}

/// What the consumer makes of the objects: the same work on both sides; the keys kept only
/// when checking.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Tally {
    items: u64,
    /// Key lengths, sizes and ETag lengths summed: equal on both sides or a side lost data.
    sum: u64,
    keys: Option<Vec<String>>,
}

impl Tally {
    fn new(keep_keys: bool) -> Tally {
        Tally {
            keys: keep_keys.then(Vec::new),
            ..Tally::default()
        }
    }

    fn take(&mut self, object: Object) {
        self.items += 1;
        self.sum += object.key.len() as u64
            + object.size
            + object.etag.len() as u64
            + object.storage_class.len() as u64;
        if let Some(keys) = &mut self.keys {
            keys.push(object.key);
        }
    }

    fn merge(&mut self, other: Tally) {
        self.items += other.items;
        self.sum += other.sum;
        if let (Some(keys), Some(more)) = (&mut self.keys, other.keys) {
            keys.extend(more);
        }
    }
}

/// Whether paginate's runs request their next page ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ahead {
    No,
    /// `lookahead()`: polled with the run.
    Polled,
    /// `lookahead_spawned()`: a task of the runtime.
    Spawned,
}

impl Ahead {
    fn describe(self) -> &'static str {
        match self {
            Ahead::No => "",
            Ahead::Polled => ", runs with lookahead",
            Ahead::Spawned => ", runs with lookahead_spawned",
        }
    }
}

/// What both sides share: the model, the transport, the client, the runtime.
struct Setup {
    model: Model,
    http: Arc<HttpTransport>,
    client: reqwest::Client,
    base: String,
    runtime: tokio::runtime::Runtime,
    ahead: Ahead,
    /// Runs in flight at most, on both sides.
    concurrency: usize,
}

impl Setup {
    fn new(addr: SocketAddr, ahead: Ahead, concurrency: usize) -> Result<Setup, String> {
        // botocore's ListObjects pagination, on the server's route.
        let model = Model::builder("ListObjects")
            .more_results("IsTruncated")
            .input_token("marker")
            .output_token("NextMarker || Contents[-1].Key")
            .result_key("Contents")
            .route("GET /fanout/{runs}/tenants/{tenant}/objects")
            .build()
            .map_err(|e| e.to_string())?;
        let base = format!("http://{addr}");
        let client = reqwest::Client::new();
        let http = Arc::new(HttpTransport::new(client.clone(), &base).map_err(|e| e.to_string())?);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Setup {
            model,
            http,
            client,
            base,
            runtime,
            ahead,
            concurrency,
        })
    }

    /// paginate: one fan-out over every tenant, 32 at a time.
    async fn paginate(
        model: Model,
        http: Arc<HttpTransport>,
        (runs, concurrency): (usize, usize),
        ahead: Ahead,
        keep_keys: bool,
    ) -> Result<Tally, String> {
        let members = (0..runs).map(|tenant| {
            let pages = model.paginate_async(http.clone(), json!({"runs": runs, "tenant": tenant}));
            let pages = match ahead {
                Ahead::No => pages,
                Ahead::Polled => pages.lookahead(),
                Ahead::Spawned => pages.lookahead_spawned(),
            };
            pages.items().typed::<Object>()
        });
        let mut fan = members.collect::<FanOut<_>>().concurrency(concurrency);
        let mut tally = Tally::new(keep_keys);
        while let Some(object) = fan.next().await {
            let object = object.map_err(|e| error_chain(&e))?;
            tally.take(object.value);
        }
        Ok(tally)
    }

    /// By hand: a `JoinSet` of at most 32 tenant listings.
    async fn hand(
        client: reqwest::Client,
        base: String,
        (runs, concurrency): (usize, usize),
        keep_keys: bool,
    ) -> Result<Tally, String> {
        let mut set = JoinSet::new();
        let mut tally = Tally::new(keep_keys);
        let mut next = 0;
        loop {
            while next < runs && set.len() < concurrency {
                let url = format!("{base}/fanout/{runs}/tenants/{next}/objects");
                set.spawn(list_tenant(client.clone(), url, keep_keys));
                next += 1;
            }
            match set.join_next().await {
                Some(done) => tally.merge(done.map_err(|e| e.to_string())??),
                None => return Ok(tally),
            }
        }
    }

    fn run(&self, paginate: bool, runs: usize, keep_keys: bool) -> Result<Tally, String> {
        let task = if paginate {
            let (model, http) = (self.model.clone(), self.http.clone());
            self.runtime.spawn(Setup::paginate(
                model,
                http,
                (runs, self.concurrency),
                self.ahead,
                keep_keys,
            ))
        } else {
            let (client, base) = (self.client.clone(), self.base.clone());
            self.runtime.spawn(Setup::hand(
                client,
                base,
                (runs, self.concurrency),
                keep_keys,
            ))
        };
        self.runtime.block_on(task).map_err(|e| e.to_string())?
    }
}

/// One tenant's listing, page after page, each object consumed as it is read.
async fn list_tenant(
    client: reqwest::Client,
    url: String,
    keep_keys: bool,
) -> Result<Tally, String> {
    let mut tally = Tally::new(keep_keys);
    let mut marker: Option<String> = None;
    loop {
        let mut request = client.get(&url);
        if let Some(m) = &marker {
            request = request.query(&[("marker", m)]);
        }
        let body = request
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| e.to_string())?
            .bytes()
            .await
            .map_err(|e| e.to_string())?;
        let page: HandPage = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        let last = page.contents.last().map(|o| o.key.clone());
        for object in page.contents {
            tally.take(object);
        }
        if !page.is_truncated {
            return Ok(tally);
        }
        marker = match page.next_marker.or(last) {
            Some(m) => Some(m),
            None => return Err(format!("{url}: truncated page without a marker")),
        };
    }
}

// ---------------------------------------------------------------- measuring

/// The CPU time this process has used, user and system, from `/proc/self/stat` (fields 14
/// and 15, in ticks of 1/100 s, Linux's fixed `USER_HZ`).
fn cpu_time() -> Result<Duration, String> {
    let stat =
        std::fs::read_to_string("/proc/self/stat").map_err(|e| format!("/proc/self/stat: {e}"))?;
    // The command name, in parentheses, may hold spaces: count fields after its `)`.
    let after = stat
        .rfind(')')
        .map(|i| &stat[i + 1..])
        .ok_or("/proc/self/stat: no command name")?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // Field 3 (state) is the first after the name, so fields 14 and 15 are at 11 and 12.
    let ticks = |i: usize| -> Result<u64, String> {
        fields
            .get(i)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| format!("/proc/self/stat: no field {}", i + 3))
    };
    Ok(Duration::from_millis((ticks(11)? + ticks(12)?) * 10))
}

/// One timed run of one side: wall time and CPU time.
fn timed(setup: &Setup, paginate: bool, runs: usize, expected: &Tally) -> (Duration, Duration) {
    let (cpu, start) = (cpu_time(), Instant::now());
    let got = setup.run(paginate, runs, false);
    let (wall, cpu_end) = (start.elapsed(), cpu_time());
    let side = if paginate { "paginate" } else { "by hand" };
    match got {
        Ok(tally) if tally == *expected => {}
        Ok(tally) => fail(&format!(
            "{runs} runs, {side}: {} items (sum {}), expected {} (sum {})",
            tally.items, tally.sum, expected.items, expected.sum
        )),
        Err(e) => fail(&format!("{runs} runs, {side}: {e}")),
    }
    match (cpu, cpu_end) {
        (Ok(a), Ok(b)) => (wall, b.saturating_sub(a)),
        (Err(e), _) | (_, Err(e)) => fail(&e),
    }
}

/// Both sides once, keeping the keys: every key of every tenant exactly once on each side.
/// Returns the tally (without keys) that every timed run must give.
fn check(setup: &Setup, runs: usize) -> Tally {
    let pages = pages_per_run(runs);
    let mut expected: Vec<String> = (0..runs)
        .flat_map(|t| (0..pages * PER_PAGE).map(move |i| key(t, i)))
        .collect();
    expected.sort();
    let mut tallies = Vec::new();
    for paginate in [true, false] {
        let side = if paginate { "paginate" } else { "by hand" };
        let mut tally = match setup.run(paginate, runs, true) {
            Ok(t) => t,
            Err(e) => fail(&format!("{runs} runs, {side}: {e}")),
        };
        let mut keys = tally.keys.take().unwrap_or_default();
        keys.sort();
        if keys != expected {
            fail(&format!(
                "{runs} runs, {side}: {} keys, not the {} of the listings",
                keys.len(),
                expected.len()
            ));
        }
        tallies.push(tally);
    }
    if tallies[0] != tallies[1] {
        fail(&format!("{runs} runs: the sides' sums differ: {tallies:?}"));
    }
    tallies.swap_remove(0)
}

/// The measurements of one configuration over all rounds.
#[derive(Debug, Default)]
struct Row {
    /// paginate's items/s ÷ the hand side's, per round.
    ratios: Vec<f64>,
    paginate_wall: Duration,
    hand_wall: Duration,
    paginate_cpu: Duration,
    hand_cpu: Duration,
}

/// `paginate-bench fanout [--rounds N] [--concurrency N] [--lookahead | --spawned] [--only SIDE]`.
pub(crate) fn main(args: &[&str]) {
    let (mut rounds, mut ahead, mut only) = (9usize, Ahead::No, None);
    let mut concurrency = CONCURRENCY;
    let mut args = args.iter();
    while let Some(&flag) = args.next() {
        match flag {
            "--lookahead" => ahead = Ahead::Polled,
            "--spawned" => ahead = Ahead::Spawned,
            "--only" => only = args.next().map(|side| *side == "paginate"),
            "--concurrency" => match args.next().and_then(|r| r.parse().ok()) {
                Some(n) if n > 0 => concurrency = n,
                _ => fail("--concurrency needs a number above 0"),
            },
            "--rounds" => match args.next().and_then(|r| r.parse().ok()) {
                Some(r) if r > 0 => rounds = r,
                _ => fail("--rounds needs a number above 0"),
            },
            other => fail(&format!("fanout: unknown option {other}")),
        }
    }
    let server = ServerChild::start().unwrap_or_else(|e| fail(&e));
    let setup = Setup::new(server.addr, ahead, concurrency).unwrap_or_else(|e| fail(&e));
    let expected: Vec<Tally> = RUNS.iter().map(|&runs| check(&setup, runs)).collect();
    if let Some(paginate) = only {
        // For a profiler: one side alone, every configuration, `rounds` times.
        for _ in 0..rounds {
            for (i, &runs) in RUNS.iter().enumerate() {
                timed(&setup, paginate, runs, &expected[i]);
            }
        }
        return;
    }
    let mut rows: Vec<Row> = RUNS.iter().map(|_| Row::default()).collect();
    for round in 0..rounds {
        for (i, &runs) in RUNS.iter().enumerate() {
            let order = if round % 2 == 0 {
                [true, false]
            } else {
                [false, true]
            };
            let mut walls = [Duration::ZERO; 2];
            for paginate in order {
                let (wall, cpu) = timed(&setup, paginate, runs, &expected[i]);
                let row = &mut rows[i];
                if paginate {
                    (walls[0], row.paginate_wall, row.paginate_cpu) =
                        (wall, row.paginate_wall + wall, row.paginate_cpu + cpu);
                } else {
                    (walls[1], row.hand_wall, row.hand_cpu) =
                        (wall, row.hand_wall + wall, row.hand_cpu + cpu);
                }
            }
            // Items/s paginate ÷ items/s by hand: the same items, so the inverse time ratio.
            rows[i]
                .ratios
                .push(walls[1].as_secs_f64() / walls[0].as_secs_f64());
        }
    }
    drop(server);
    print_table(&rows, &expected, rounds, (ahead, concurrency));
}

fn print_table(
    rows: &[Row],
    expected: &[Tally],
    rounds: usize,
    (ahead, concurrency): (Ahead, usize),
) {
    println!(
        "fan-out over loopback HTTP, no latency: pages of {PER_PAGE}, concurrency {concurrency}, \
         {rounds} alternating rounds, typed items{}",
        ahead.describe()
    );
    println!(
        "{:>5} {:>9} {:>6} {:>8} {:>12} {:>12} {:>8} {:>15} {:>10} {:>10}",
        "runs",
        "pages/run",
        "pages",
        "items",
        "paginate",
        "by hand",
        "ratio",
        "min-max",
        "CPU/page",
        "CPU/page"
    );
    println!(
        "{:>5} {:>9} {:>6} {:>8} {:>12} {:>12} {:>8} {:>15} {:>10} {:>10}",
        "", "", "", "", "items/s", "items/s", "median", "", "paginate", "by hand"
    );
    for ((row, &runs), tally) in rows.iter().zip(RUNS.iter()).zip(expected) {
        let pages = (runs * pages_per_run(runs)) as f64 * rounds as f64;
        let items = tally.items as f64 * rounds as f64;
        let mut ratios = row.ratios.clone();
        ratios.sort_by(f64::total_cmp);
        let (low, mid, high) = (
            ratios.first().copied().unwrap_or(0.0),
            ratios.get(ratios.len() / 2).copied().unwrap_or(0.0),
            ratios.last().copied().unwrap_or(0.0),
        );
        println!(
            "{:>5} {:>9} {:>6} {:>8} {:>12.0} {:>12.0} {:>7.3}x {:>6.3}-{:<6.3}x {:>8.1}us {:>8.1}us",
            runs,
            pages_per_run(runs),
            runs * pages_per_run(runs),
            tally.items,
            items / row.paginate_wall.as_secs_f64(),
            items / row.hand_wall.as_secs_f64(),
            mid,
            low,
            high,
            row.paginate_cpu.as_secs_f64() * 1e6 / pages,
            row.hand_cpu.as_secs_f64() * 1e6 / pages,
        );
    }
    println!(
        "items/s: all rounds together; ratio: median of the per-round ratios paginate / by hand"
    );
    println!(
        "CPU/page: the bench process's utime+stime over all rounds (server in a child process)"
    );
}
