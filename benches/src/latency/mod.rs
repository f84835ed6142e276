//! The `latency` mode: what lookahead (`.lookahead()`) buys over real HTTP when every request
//! takes time and so does the consumer.
//!
//! A loopback axum server ([`server`]) answers each page of a listing after a set latency and
//! counts the requests of every run. The variants ([`variants`]) walk the whole listing, the
//! consumer spending a set time on each page: the hand-written sequential loop (request a
//! page, process it, request the next), paginate without lookahead and paginate with it, each
//! blocking and async; async lookahead polled in place and spawned on the runtime; and the
//! async ones again over a client that opens a new connection for every request. They run in interleaved rounds, the order rotated every round; each
//! variant's ratio is `loop time / variant time` within a round (above 1 means faster than
//! the loop), taken against the sequential loop of its own kind (blocking, async, async
//! without keep-alive), and the median over rounds is reported with the lowest and highest,
//! so the machine's drift between rounds cancels out.
//!
//! Every run's requests are counted by the server and must equal the loop's (one per page):
//! a variant that sends one more, or one less, fails the bench at once (exit status 1). So does
//! a run of a variant without keep-alive whose requests did not each come on a connection of
//! their own; the "conns" column is the most connections a run of the variant used.
//!
//! ```text
//! cargo run --release -p paginate-bench -- latency
//! cargo run --release -p paginate-bench -- latency --latency-ms 20 --work-ms 20 --pages 30 \
//!     --per-page 100 --rounds 9 [--spin]
//! ```

mod server;
mod variants;

use std::time::{Duration, Instant};

use server::Server;
use variants::{Setup, Variant, Work};

/// The knobs of one `latency` run.
#[derive(Debug, Clone, Copy)]
struct Options {
    latency: Duration,
    work: Work,
    pages: usize,
    per_page: usize,
    rounds: usize,
}

impl Options {
    fn parse(args: &[&str]) -> Result<Options, String> {
        let (mut latency_ms, mut work_ms, mut spin) = (20u64, 20u64, false);
        let (mut pages, mut per_page, mut rounds) = (30usize, 100usize, 9usize);
        let mut args = args.iter();
        while let Some(&flag) = args.next() {
            if flag == "--spin" {
                spin = true;
                continue;
            }
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = value
                .parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {value}"))?;
            match flag {
                "--latency-ms" => latency_ms = number,
                "--work-ms" => work_ms = number,
                "--pages" => pages = number as usize,
                "--per-page" => per_page = number as usize,
                "--rounds" => rounds = number as usize,
                other => return Err(format!("unknown option {other}")),
            }
        }
        if pages == 0 || per_page == 0 || rounds == 0 {
            return Err("--pages, --per-page and --rounds must be at least 1".into());
        }
        let work = Duration::from_millis(work_ms);
        Ok(Options {
            latency: Duration::from_millis(latency_ms),
            work: if spin {
                Work::Spin(work)
            } else {
                Work::Sleep(work)
            },
            pages,
            per_page,
            rounds,
        })
    }
}

/// Fails the bench loudly: a message on stderr and exit status 1.
fn broken(message: &str) -> ! {
    eprintln!("paginate-bench latency: FAILED: {message}");
    std::process::exit(1)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// What the rounds recorded for one variant.
#[derive(Debug, Default, Clone)]
struct Record {
    seconds: Vec<f64>,
    requests: Vec<u64>,
    connections: Vec<u64>,
}

pub(crate) fn main(args: &[&str]) {
    if let ["fan-out", rest @ ..] = args {
        fan_out(rest);
        return;
    }
    let options = Options::parse(args).unwrap_or_else(|e| {
        crate::fail(&format!(
            "{e}\nusage: paginate-bench latency [--latency-ms N] [--work-ms N] [--pages N] \
             [--per-page N] [--rounds N] [--spin]"
        ))
    });
    let server = Server::start(options.pages * options.per_page, options.latency)
        .unwrap_or_else(|e| crate::fail(&e));
    let setup = Setup::new(&server.base_url(), options.per_page, options.work)
        .unwrap_or_else(|e| crate::fail(&e));
    let records = measure(&server, &setup, &options);
    report(&options, &records);
}

/// Round 0 warms up (connections, allocator) and is checked but not timed; rounds
/// `1..=rounds` are timed. Every run is checked as soon as it ends, and every count once more
/// at the end, in case a request arrived after its run had returned.
fn measure(server: &Server, setup: &Setup, options: &Options) -> Vec<Record> {
    let expected_items = options.pages * options.per_page;
    let expected_requests = options.pages as u64;
    let mut records = vec![Record::default(); Variant::ALL.len()];
    let mut checked: Vec<(String, u64)> = Vec::new();
    for round in 0..=options.rounds {
        for k in 0..Variant::ALL.len() {
            let index = (k + round) % Variant::ALL.len();
            let variant = Variant::ALL[index];
            let run = variant.run_id(round);
            let start = Instant::now();
            let items = setup
                .run(variant, &run)
                .unwrap_or_else(|e| broken(&format!("{} (round {round}): {e}", variant.name())));
            let elapsed = start.elapsed().as_secs_f64();
            let requests = server.requests(&run);
            if items != expected_items {
                broken(&format!(
                    "{} (round {round}) saw {items} items, the listing has {expected_items}",
                    variant.name()
                ));
            }
            if requests != expected_requests {
                broken(&format!(
                    "{} (round {round}) sent {requests} requests for {} pages; the sequential \
                     loop sends {expected_requests}",
                    variant.name(),
                    options.pages
                ));
            }
            let connections = server.connections(&run);
            if variant.fresh_connections() && connections != requests {
                broken(&format!(
                    "{} (round {round}) sent {requests} requests on {connections} connections; \
                     without keep-alive each request opens its own",
                    variant.name()
                ));
            }
            checked.push((run, requests));
            if round > 0 {
                records[index].seconds.push(elapsed);
                records[index].requests.push(requests);
                records[index].connections.push(connections);
            }
        }
    }
    for (run, requests) in &checked {
        let now = server.requests(run);
        if now != *requests {
            broken(&format!(
                "run {run} had sent {requests} requests when it returned, {now} by the end: \
                 a request went out after the run was over"
            ));
        }
    }
    records
}

fn report(options: &Options, records: &[Record]) {
    let (latency, work) = (options.latency.as_secs_f64(), options.work);
    let work_s = match work {
        Work::Sleep(d) | Work::Spin(d) => d.as_secs_f64(),
    };
    let pages = options.pages as f64;
    // Sequential: every page costs latency + work. With one request ahead: the first page's
    // latency, then the larger of the two per page.
    let ideal = pages * (latency + work_s) / (latency + pages * latency.max(work_s));
    println!(
        "latency: {} pages of {} objects, {} ms per request (server side), {} per page in the \
         consumer; median of {} interleaved rounds after a warm-up",
        options.pages,
        options.per_page,
        options.latency.as_millis(),
        work.describe(),
        options.rounds
    );
    println!(
        "{:<50} {:>11} {:>10} {:>15} {:>10} {:>6}",
        "variant", "median", "vs loop", "min-max", "requests", "conns"
    );
    let position = |v: Variant| Variant::ALL.iter().position(|&w| w == v).unwrap_or(0);
    for (index, &variant) in Variant::ALL.iter().enumerate() {
        let record = &records[index];
        let baseline = &records[position(variant.baseline())];
        let ratios: Vec<f64> = baseline
            .seconds
            .iter()
            .zip(&record.seconds)
            .map(|(b, v)| b / v)
            .collect();
        let requests = record.requests.iter().max().copied().unwrap_or(0);
        let connections = record.connections.iter().max().copied().unwrap_or(0);
        let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        let high = ratios.iter().copied().fold(0.0, f64::max);
        println!(
            "{:<50} {:>9.1}ms {:>9.3}x {:>15} {:>10} {:>6}",
            variant.name(),
            median(record.seconds.clone()) * 1e3,
            median(ratios),
            format!("{low:.3}-{high:.3}"),
            requests,
            connections
        );
    }
    let async_vs_blocking: Vec<f64> = records[position(Variant::HandBlocking)]
        .seconds
        .iter()
        .zip(&records[position(Variant::HandAsync)].seconds)
        .map(|(b, a)| b / a)
        .collect();
    println!(
        "the two loops: blocking / async {:.3}x; ideal with one request ahead {ideal:.3}x; \
         requests: every run sent exactly {} (one per page), checked",
        median(async_vs_blocking),
        options.pages
    );
}

/// How many segments fan-out splits one listing into, one run each.
const FAN_OUT_SEGMENTS: [usize; 6] = [1, 2, 4, 8, 16, 32];

/// `latency fan-out`: one listing split into each of [`FAN_OUT_SEGMENTS`] segments (the
/// server serves `segment`/`segments` slices), all segments fetching at once through one
/// `FanOut`, against the sequential async loop over the whole listing, in interleaved rounds.
/// Each run's requests must be exactly one per page of its segments.
fn fan_out(args: &[&str]) {
    let mut options = Options::parse(args).unwrap_or_else(|e| {
        crate::fail(&format!(
            "{e}\nusage: paginate-bench latency fan-out [--latency-ms N] [--work-ms N] \
             [--pages N] [--per-page N] [--rounds N] [--spin]"
        ))
    });
    // Unless told otherwise: a longer listing, and a consumer that only reads the pages, so
    // what is measured is how much waiting the runs at once take off.
    if !args.contains(&"--pages") {
        options.pages = 64;
    }
    if !args.contains(&"--work-ms") {
        options.work = Work::Sleep(Duration::ZERO);
    }
    let objects = options.pages * options.per_page;
    let server = Server::start(objects, options.latency).unwrap_or_else(|e| crate::fail(&e));
    let setup = Setup::new(&server.base_url(), options.per_page, options.work)
        .unwrap_or_else(|e| crate::fail(&e));
    let expected = |segments: usize| -> u64 {
        let per = objects.div_ceil(segments);
        (0..segments)
            .map(|s| {
                let len = ((s + 1) * per)
                    .min(objects)
                    .saturating_sub((s * per).min(objects));
                // An empty segment still costs its one (empty) page.
                len.div_ceil(options.per_page).max(1) as u64
            })
            .sum()
    };
    let mut baseline = Vec::new();
    let mut times = vec![Vec::new(); FAN_OUT_SEGMENTS.len()];
    let mut requests = vec![0u64; FAN_OUT_SEGMENTS.len()];
    for round in 0..=options.rounds {
        let run = format!("hand-{round}");
        let start = Instant::now();
        let items = setup
            .hand_loop(&run)
            .unwrap_or_else(|e| broken(&format!("hand loop (round {round}): {e}")));
        let elapsed = start.elapsed().as_secs_f64();
        if items != objects {
            broken(&format!("hand loop saw {items} items of {objects}"));
        }
        if round > 0 {
            baseline.push(elapsed);
        }
        for k in 0..FAN_OUT_SEGMENTS.len() {
            let index = (k + round) % FAN_OUT_SEGMENTS.len();
            let segments = FAN_OUT_SEGMENTS[index];
            let run = format!("fan-{segments}-{round}");
            let start = Instant::now();
            let items = setup.fan_out(&run, segments).unwrap_or_else(|e| {
                broken(&format!("fan-out over {segments} (round {round}): {e}"))
            });
            let elapsed = start.elapsed().as_secs_f64();
            let sent = server.requests(&run);
            if items != objects || sent != expected(segments) {
                broken(&format!(
                    "fan-out over {segments} (round {round}): {items} items of {objects}, \
                     {sent} requests where its segments have {} pages",
                    expected(segments)
                ));
            }
            requests[index] = sent;
            if round > 0 {
                times[index].push(elapsed);
            }
        }
    }
    println!(
        "latency fan-out: {} pages of {} objects, {} ms per request (server side), {} per page \
         in the consumer; median of {} interleaved rounds after a warm-up",
        options.pages,
        options.per_page,
        options.latency.as_millis(),
        options.work.describe(),
        options.rounds
    );
    println!(
        "{:<30} {:>11} {:>10} {:>10}",
        "variant", "median", "vs loop", "requests"
    );
    println!(
        "{:<30} {:>9.1}ms {:>9.3}x {:>10}",
        "hand loop, async",
        median(baseline.clone()) * 1e3,
        1.0,
        options.pages
    );
    for (index, segments) in FAN_OUT_SEGMENTS.iter().enumerate() {
        let ratios: Vec<f64> = baseline
            .iter()
            .zip(&times[index])
            .map(|(b, v)| b / v)
            .collect();
        println!(
            "{:<30} {:>9.1}ms {:>9.3}x {:>10}",
            format!("fan-out, {segments} segments"),
            median(times[index].clone()) * 1e3,
            median(ratios),
            requests[index]
        );
    }
}
