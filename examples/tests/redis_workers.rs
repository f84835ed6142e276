//! The redis-workers example end to end: a real `redis-server`, the example API in-process,
//! `plan`, three worker processes of which one is killed (SIGKILL) mid-job, and then the
//! proof: every object of the bucket was processed exactly once, by all the workers
//! together, and the killed worker's job was finished by another from its last checkpoint.
//!
//! Opt-in (`--features redis`), since it needs `redis-server` (Debian's `redis-server`
//! package; `.ci/run` installs it). Nothing sleeps to wait for readiness: Redis is polled
//! with PING and the workers' progress is read from Redis, each with a deadline.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use paginate_examples::api::BlockingServer;
use paginated::fanout::FanCheckpoint;
use redis::Connection;

const WORKERS: &str = env!("CARGO_BIN_EXE_redis-workers");
/// How often Redis is asked whether something has happened yet.
const POLL: Duration = Duration::from_millis(10);
/// A lease short enough that the killed worker's job is reclaimed soon.
const LEASE_MS: &str = "3000";

/// A `redis-server` of this test's own, stopped by its PID (and its directory removed) when
/// dropped, however the test ends.
struct RedisServer {
    child: Child,
    dir: PathBuf,
    url: String,
}

impl RedisServer {
    fn start() -> RedisServer {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("redis-workers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // A port the OS picks, released for redis-server to bind.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let spawned = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&dir)
            .args(["--logfile", "redis.log"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                "this test needs redis-server, which is not installed: \
                 `apt-get install -y redis-server` (Debian), or run it through .ci/run"
            ),
            Err(e) => panic!("could not start redis-server: {e}"),
        };
        let mut server = RedisServer {
            child,
            dir,
            url: format!("redis://127.0.0.1:{port}/"),
        };
        server.wait_ready();
        server
    }

    /// Polls PING until it answers PONG, for at most 10 s.
    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let pong = redis::Client::open(self.url.as_str())
                .and_then(|client| client.get_connection_with_timeout(Duration::from_secs(1)))
                .and_then(|mut con| redis::cmd("PING").query::<String>(&mut con));
            if matches!(pong.as_deref(), Ok("PONG")) {
                return;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "redis-server exited ({status}) before answering: {}",
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer PING within 10 s ({pong:?}): {}",
                self.log()
            );
            std::thread::sleep(POLL);
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("redis.log")).unwrap_or_default()
    }

    fn connect(&self) -> Connection {
        redis::Client::open(self.url.as_str())
            .unwrap()
            .get_connection()
            .unwrap()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A worker process, killed by its PID if the test ends while it still runs.
struct Worker {
    name: &'static str,
    child: Child,
}

impl Worker {
    fn start(redis: &RedisServer, base_url: &str, name: &'static str, pause_ms: u64) -> Worker {
        let child = Command::new(WORKERS)
            .args(["worker", "--redis", &redis.url, "--base-url", base_url])
            .args(["--name", name, "--lease-ms", LEASE_MS])
            .args(["--pause-ms", &pause_ms.to_string()])
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        Worker { name, child }
    }

    /// Waits, polling, for the worker to exit on its own; it must succeed.
    fn wait_success(&mut self, deadline: Instant) {
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "worker {} failed: {status}", self.name);
                return;
            }
            assert!(
                Instant::now() < deadline,
                "worker {} did not finish",
                self.name
            );
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn redis_workers(redis: &RedisServer, args: &[&str]) -> String {
    let output = Command::new(WORKERS)
        .args(args)
        .args(["--redis", &redis.url])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "redis-workers {args:?} failed: {}{}",
        stdout,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn hget(con: &mut Connection, job: u64, field: &str) -> Option<String> {
    redis::cmd("HGET")
        .arg(format!("paginate:job:{job}"))
        .arg(field)
        .query(con)
        .unwrap()
}

#[test]
fn killed_worker_loses_nothing_and_nothing_is_processed_twice() {
    let redis = RedisServer::start();
    let api = BlockingServer::start().unwrap();
    let base_url = api.base_url();
    let mut con = redis.connect();

    let planned = redis_workers(
        &redis,
        &["plan", "--base-url", &base_url, "--page-size", "50"],
    );
    print!("{planned}");
    let total: u64 = redis::cmd("GET")
        .arg("paginate:total")
        .query(&mut con)
        .unwrap();
    assert!(total >= 5, "expected a job per prefix, got {total}");

    // `slow` pauses after each item, so it is caught in the middle of its first job. It
    // starts alone, so it has a job before `fast`, at full speed, takes all the others.
    let mut slow = Worker::start(&redis, &base_url, "slow", 30);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !(0..total).any(|job| hget(&mut con, job, "owner").as_deref() == Some("slow")) {
        assert!(Instant::now() < deadline, "worker slow took no job in 30 s");
        std::thread::sleep(POLL);
    }
    let mut fast = Worker::start(&redis, &base_url, "fast", 0);

    // Wait until `slow` is past the first page of a job it has not finished.
    let deadline = Instant::now() + Duration::from_secs(60);
    let victim = loop {
        let found = (0..total).find(|&job| {
            let committed: u64 =
                hget(&mut con, job, "items:slow").map_or(0, |n| n.parse().unwrap());
            committed >= 60 && hget(&mut con, job, "state").as_deref() == Some("running")
        });
        if let Some(job) = found {
            break job;
        }
        assert!(
            Instant::now() < deadline,
            "worker slow committed nothing in 60 s"
        );
        std::thread::sleep(POLL);
    };
    slow.child.kill().unwrap(); // SIGKILL
    slow.child.wait().unwrap();
    let killed_at: u64 = hget(&mut con, victim, "items:slow")
        .unwrap()
        .parse()
        .unwrap();
    let checkpoint = hget(&mut con, victim, "token");
    println!(
        "killed worker slow in job {victim} after {killed_at} items, checkpoint {checkpoint:?}"
    );
    assert!(
        checkpoint.is_some(),
        "job {victim} has no committed checkpoint"
    );

    // A replacement; it and `fast` finish everything, the killed job once its lease expires.
    let mut replacement = Worker::start(&redis, &base_url, "replacement", 0);
    let deadline = Instant::now() + Duration::from_secs(120);
    fast.wait_success(deadline);
    replacement.wait_success(deadline);

    let done: u64 = redis::cmd("SCARD")
        .arg("paginate:done")
        .query(&mut con)
        .unwrap();
    assert_eq!(done, total, "every job is done");

    // The union of all workers' results is the listing, each object once.
    let workers: BTreeSet<String> = redis::cmd("SMEMBERS")
        .arg("paginate:workers")
        .query(&mut con)
        .unwrap();
    assert_eq!(
        workers,
        ["fast", "replacement", "slow"].map(String::from).into(),
        "the workers that ran"
    );
    let mut processed = Vec::new();
    for worker in &workers {
        let keys: Vec<String> = redis::cmd("LRANGE")
            .arg(format!("paginate:results:{worker}"))
            .arg(0)
            .arg(-1)
            .query(&mut con)
            .unwrap();
        println!("worker {worker}: {} items", keys.len());
        processed.extend(keys);
    }
    let expected: Vec<String> = api.data().objects.iter().map(|o| o.key.clone()).collect();
    let unique: BTreeSet<&String> = processed.iter().collect();
    assert_eq!(
        unique.len(),
        processed.len(),
        "an object was processed twice"
    );
    processed.sort();
    assert_eq!(processed.len(), expected.len(), "items processed in all");
    assert!(
        processed == expected,
        "the processed keys are not the bucket's"
    );

    // The killed worker's job: finished by another worker, resumed from the checkpoint the
    // killed one committed last (nothing it committed was done again, nothing lost).
    let finisher = hget(&mut con, victim, "done_by").unwrap();
    assert_ne!(finisher, "slow");
    assert_eq!(
        hget(&mut con, victim, "items:slow"),
        Some(killed_at.to_string())
    );
    let claims: Vec<String> = redis::cmd("LRANGE")
        .arg(format!("paginate:job:{victim}:claims"))
        .arg(0)
        .arg(-1)
        .query(&mut con)
        .unwrap();
    let resumed = format!("{finisher} {}", checkpoint.unwrap());
    assert_eq!(claims.len(), 2, "claims of job {victim}: {claims:?}");
    assert_eq!(claims[0], "slow -");
    assert_eq!(
        claims[1], resumed,
        "the second claim resumed from the last checkpoint"
    );
    let by_finisher: u64 = hget(&mut con, victim, &format!("items:{finisher}"))
        .unwrap()
        .parse()
        .unwrap();
    println!("job {victim}: {killed_at} items by slow, then {by_finisher} by {finisher}");

    // The fan-out's checkpoint, read back from Redis: every run done.
    let status = redis_workers(&redis, &["status"]);
    let line = status
        .lines()
        .find_map(|line| line.strip_prefix("checkpoint "))
        .unwrap();
    let checkpoint = FanCheckpoint::decode(line).unwrap();
    assert_eq!(checkpoint.runs().len() as u64, total);
    assert!(checkpoint.is_done(), "{status}");
    api.stop().unwrap();
}
