//! Fan-out past one machine: separate worker processes share one listing through a Redis
//! queue, and a worker killed mid-run loses nothing.
//!
//! The listing of the example API's bucket is split into runs, one per prefix (`plan`), and
//! each run becomes a job in Redis: its first-page params and its checkpoint, a resume token.
//! Workers (`worker`, as many processes as you like, on as many machines) take jobs with a
//! lease, paginate each run from its token with paginate's ready blocking HTTP transport,
//! and commit every item in one `MULTI`/`EXEC` with the token that resumes right after it
//! (`Items::resume_token`, exact to the item). A worker that dies stops renewing its lease;
//! another claims the job and resumes from the last token committed, so the items of all
//! workers together are the listing, each once. `status` shows the jobs and the fan-out's
//! checkpoint (a [`paginated::fanout::FanCheckpoint`], as an in-process fan-out gives it).
//!
//! ```text
//! redis-server --port 6379 --save "" &
//! cargo run -p paginate-examples --features redis --bin redis-workers -- serve   # prints its URL
//! redis-workers plan --base-url http://127.0.0.1:PORT
//! redis-workers worker --base-url http://127.0.0.1:PORT &   # once per worker
//! redis-workers status
//! ```
//!
//! `tests/redis_workers.rs` runs it with three workers, kills one mid-job, and checks the
//! results against the server's data.

mod queue;
mod worker;

use std::collections::HashMap;
use std::process::ExitCode;

use paginate_examples::ListObjects;
use paginate_examples::api::{BUCKET, BlockingServer};
use paginate_examples::types::ObjectListing;
use paginated::Paginated as _;
use paginated::http::BlockingHttpTransport;

use crate::queue::{Queue, Result};
use crate::worker::WorkerOptions;

const USAGE: &str = "usage: redis-workers COMMAND [--redis URL] [--namespace NS] [options]

commands:
  serve                       start the example API on 127.0.0.1 and print its URL
  plan    --base-url URL      split the bucket's listing into one job per prefix
          [--bucket B] [--depth N] [--page-size N]
  worker  --base-url URL      work jobs until all are done
          [--name NAME] [--lease-ms N] [--pause-ms N]
  status                      the jobs, and the fan-out's checkpoint

--redis defaults to redis://127.0.0.1:6379/, --namespace to paginate, --depth to 2 (levels
of `/` to split at), --page-size to 100, --lease-ms to 5000, --pause-ms to 0 (a pause after
each item), --name to worker-PID.";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    if matches!(command.as_str(), "" | "-h" | "--help" | "help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let options = match Options::parse(&command, args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&command, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = e.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}

/// The `--name value` options given, checked against those the command takes.
#[derive(Debug)]
struct Options(HashMap<String, String>);

impl Options {
    fn parse(command: &str, mut args: impl Iterator<Item = String>) -> Result<Options, String> {
        let allowed: &[&str] = match command {
            "serve" | "status" => &[],
            "plan" => &["base-url", "bucket", "depth", "page-size"],
            "worker" => &["base-url", "name", "lease-ms", "pause-ms"],
            other => return Err(format!("unknown command {other:?}")),
        };
        let mut options = HashMap::new();
        while let Some(arg) = args.next() {
            let Some(flag) = arg.strip_prefix("--") else {
                return Err(format!("unexpected argument {arg:?}"));
            };
            let (name, value) = match flag.split_once('=') {
                Some((name, value)) => (name.to_owned(), value.to_owned()),
                None => {
                    let value = args.next().ok_or(format!("--{flag} needs a value"))?;
                    (flag.to_owned(), value)
                }
            };
            if !allowed.contains(&name.as_str()) && name != "redis" && name != "namespace" {
                return Err(format!("{command} takes no --{name}"));
            }
            options.insert(name, value);
        }
        Ok(Options(options))
    }

    fn text(&self, name: &str, default: &str) -> String {
        self.0
            .get(name)
            .cloned()
            .unwrap_or_else(|| default.to_owned())
    }

    fn required(&self, name: &str) -> Result<String> {
        self.0
            .get(name)
            .cloned()
            .ok_or_else(|| format!("--{name} is required").into())
    }

    fn number(&self, name: &str, default: u64) -> Result<u64> {
        match self.0.get(name) {
            Some(text) => text
                .parse()
                .map_err(|_| format!("--{name} must be a whole number, not {text:?}").into()),
            None => Ok(default),
        }
    }
}

fn run(command: &str, options: &Options) -> Result<()> {
    if command == "serve" {
        return serve();
    }
    let url = options.text("redis", "redis://127.0.0.1:6379/");
    let namespace = options.text("namespace", "paginate");
    let mut queue = Queue::connect(&url, &namespace)?;
    match command {
        "plan" => plan(&mut queue, options),
        "worker" => {
            let worker = WorkerOptions {
                name: options.text("name", &format!("worker-{}", std::process::id())),
                base_url: options.required("base-url")?,
                lease_ms: options.number("lease-ms", 5_000)?,
                pause_ms: options.number("pause-ms", 0)?,
            };
            let committed = worker::run(&mut queue, &worker)?;
            println!(
                "{}: all jobs done; {committed} items committed here",
                worker.name
            );
            Ok(())
        }
        _ => status(&mut queue),
    }
}

/// Serves the example API until the process is stopped.
fn serve() -> Result<()> {
    let server = BlockingServer::start()?;
    println!("{}", server.base_url());
    println!(
        "{} objects in bucket {BUCKET:?}; stop with Ctrl-C",
        server.data().objects.len()
    );
    loop {
        std::thread::park();
    }
}

/// Splits the bucket's listing into runs and pushes one job per run.
fn plan(queue: &mut Queue, options: &Options) -> Result<()> {
    let api = BlockingHttpTransport::new(
        reqwest::blocking::Client::builder().build()?,
        &options.required("base-url")?,
    )?;
    let bucket = options.text("bucket", BUCKET);
    let page_size = u32::try_from(options.number("page-size", 100)?)?;
    let mut runs = Vec::new();
    split(&api, &bucket, "", options.number("depth", 2)?, &mut runs)?;
    let mut params = Vec::new();
    for mut run in runs {
        // The page size is part of the run: a token's offset counts into a page of that size.
        run.max_keys = Some(page_size);
        params.push(serde_json::to_string(&run)?);
    }
    queue.plan(&params)?;
    println!("planned {} jobs", params.len());
    for (id, run) in params.iter().enumerate() {
        println!("  job {id}: {run}");
    }
    Ok(())
}

/// The runs that list everything under `prefix`: one for the whole of it at `depth` 0; else,
/// from a listing with delimiter `/`, one for the keys directly under it (if any) and the
/// runs of each of its sub-prefixes, a level deeper.
fn split(
    api: &BlockingHttpTransport,
    bucket: &str,
    prefix: &str,
    depth: u64,
    runs: &mut Vec<ListObjects>,
) -> Result<()> {
    let under = |prefix: &str| {
        let listing = ListObjects::bucket(bucket);
        if prefix.is_empty() {
            listing
        } else {
            listing.prefix(prefix)
        }
    };
    if depth == 0 {
        runs.push(under(prefix));
        return Ok(());
    }
    let (mut direct, mut subs) = (false, Vec::new());
    for page in under(prefix).delimiter("/").paginate(api) {
        let page: ObjectListing = page?;
        direct |= !page.contents.is_empty();
        subs.extend(page.common_prefixes.into_iter().map(|p| p.prefix));
    }
    if direct {
        // Only the keys directly under `prefix`: the rest is rolled up, and listed below.
        runs.push(under(prefix).delimiter("/"));
    }
    for sub in subs {
        split(api, bucket, &sub, depth - 1, runs)?;
    }
    Ok(())
}

fn status(queue: &mut Queue) -> Result<()> {
    let (total, done) = queue.progress()?;
    println!("{done} of {total} jobs done");
    for line in queue.describe()? {
        println!("  {line}");
    }
    println!("checkpoint {}", queue.checkpoint()?.encode());
    Ok(())
}
