//! The ways the `latency` mode walks one listing: a hand-written sequential loop and
//! paginate without and with lookahead, each blocking (`reqwest::blocking`, paginate's
//! `BlockingHttpTransport`) and async (`reqwest`, `HttpTransport`, polled on a tokio runtime);
//! async lookahead both polled in place (`lookahead()`) and spawned on the runtime
//! (`lookahead_spawned()`); and the async ones again over a client that keeps no idle
//! connection (`pool_max_idle_per_host(0)`), so every request opens a new one, as against a
//! server that closes connections.
//!
//! Every variant hands each page to the same consumer, which reads the page and then spends
//! the configured time on it ([`Work`]). Loops and transports of one kind share one `reqwest`
//! client, so they share its connection pool too.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use paginated::Model;
use paginated::http::{BlockingHttpTransport, HttpTransport};
use serde_json::{Value, json};

use crate::error_chain;

/// What the consumer does with each page once it has read it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Work {
    /// Waits: `std::thread::sleep` in blocking variants, `tokio::time::sleep` in async ones
    /// (a consumer that writes each page somewhere and waits for the write).
    Sleep(Duration),
    /// Busy-waits on the consumer's thread, for a consumer that computes on each page.
    Spin(Duration),
}

impl Work {
    pub(super) fn describe(self) -> String {
        match self {
            Work::Sleep(d) => format!("{} ms sleep", d.as_millis()),
            Work::Spin(d) => format!("{} ms busy-wait", d.as_millis()),
        }
    }

    fn spin(d: Duration) {
        let start = Instant::now();
        while start.elapsed() < d {
            std::hint::spin_loop();
        }
    }

    fn blocking(self) {
        match self {
            Work::Sleep(d) if d.is_zero() => {}
            Work::Sleep(d) => std::thread::sleep(d),
            Work::Spin(d) => Work::spin(d),
        }
    }

    async fn in_async(self) {
        match self {
            // A zero sleep would still wait for the timer's next tick (a millisecond here),
            // which a consumer that does nothing must not pay.
            Work::Sleep(d) if d.is_zero() => {}
            Work::Sleep(d) => tokio::time::sleep(d).await,
            // Blocks the task, as CPU work would; the client's connections are driven by the
            // runtime's worker thread meanwhile.
            Work::Spin(d) => Work::spin(d),
        }
    }
}

/// One way of walking the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Variant {
    HandBlocking,
    Blocking,
    BlockingLookahead,
    HandAsync,
    Async,
    AsyncLookahead,
    AsyncLookaheadSpawned,
    HandAsyncFresh,
    AsyncFresh,
    AsyncLookaheadFresh,
    AsyncLookaheadSpawnedFresh,
}

/// How an async variant fetches ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ahead {
    No,
    /// `lookahead()`: the request's future polled when the stream is.
    Polled,
    /// `lookahead_spawned()`: the request a task of the runtime.
    Spawned,
}

impl Variant {
    pub(super) const ALL: [Variant; 11] = [
        Variant::HandBlocking,
        Variant::Blocking,
        Variant::BlockingLookahead,
        Variant::HandAsync,
        Variant::Async,
        Variant::AsyncLookahead,
        Variant::AsyncLookaheadSpawned,
        Variant::HandAsyncFresh,
        Variant::AsyncFresh,
        Variant::AsyncLookaheadFresh,
        Variant::AsyncLookaheadSpawnedFresh,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Variant::HandBlocking => "hand loop, blocking",
            Variant::Blocking => "paginate, blocking",
            Variant::BlockingLookahead => "paginate, blocking, lookahead",
            Variant::HandAsync => "hand loop, async",
            Variant::Async => "paginate, async",
            Variant::AsyncLookahead => "paginate, async, lookahead",
            Variant::AsyncLookaheadSpawned => "paginate, async, lookahead spawned",
            Variant::HandAsyncFresh => "hand loop, async, no keep-alive",
            Variant::AsyncFresh => "paginate, async, no keep-alive",
            Variant::AsyncLookaheadFresh => "paginate, async, lookahead, no keep-alive",
            Variant::AsyncLookaheadSpawnedFresh => {
                "paginate, async, lookahead spawned, no keep-alive"
            }
        }
    }

    /// A short tag for the server's request counts.
    fn tag(self) -> &'static str {
        match self {
            Variant::HandBlocking => "hand-blocking",
            Variant::Blocking => "blocking",
            Variant::BlockingLookahead => "blocking-lookahead",
            Variant::HandAsync => "hand-async",
            Variant::Async => "async",
            Variant::AsyncLookahead => "async-lookahead",
            Variant::AsyncLookaheadSpawned => "async-spawned",
            Variant::HandAsyncFresh => "hand-async-fresh",
            Variant::AsyncFresh => "async-fresh",
            Variant::AsyncLookaheadFresh => "async-lookahead-fresh",
            Variant::AsyncLookaheadSpawnedFresh => "async-spawned-fresh",
        }
    }

    /// The sequential loop of the same kind, which this variant's ratio is taken against.
    pub(super) fn baseline(self) -> Variant {
        match self {
            Variant::HandBlocking | Variant::Blocking | Variant::BlockingLookahead => {
                Variant::HandBlocking
            }
            Variant::HandAsync
            | Variant::Async
            | Variant::AsyncLookahead
            | Variant::AsyncLookaheadSpawned => Variant::HandAsync,
            Variant::HandAsyncFresh
            | Variant::AsyncFresh
            | Variant::AsyncLookaheadFresh
            | Variant::AsyncLookaheadSpawnedFresh => Variant::HandAsyncFresh,
        }
    }

    /// Whether the variant's client keeps no idle connection, so that each of its requests
    /// must come on a connection of its own.
    pub(super) fn fresh_connections(self) -> bool {
        self.baseline() == Variant::HandAsyncFresh
    }

    pub(super) fn run_id(self, round: usize) -> String {
        format!("{}-{round}", self.tag())
    }
}

/// Everything the variants share: the model, the clients, the transports over them.
#[derive(Debug)]
pub(super) struct Setup {
    model: Model,
    url: String,
    limit: usize,
    work: Work,
    blocking_client: reqwest::blocking::Client,
    blocking: Arc<BlockingHttpTransport>,
    client: reqwest::Client,
    http: Arc<HttpTransport>,
    /// A client that keeps no idle connection, and the transport over it.
    fresh_client: reqwest::Client,
    fresh: Arc<HttpTransport>,
    runtime: tokio::runtime::Runtime,
}

impl Setup {
    /// Clients for the server at `base`, asking pages of `limit` items. Call it outside any
    /// runtime: `reqwest::blocking` starts one of its own.
    pub(super) fn new(base: &str, limit: usize, work: Work) -> Result<Setup, String> {
        let model = Model::builder("ListObjects")
            .input_token("cursor")
            .output_token("next_cursor")
            .result_key("objects")
            .limit_key("limit")
            .route("GET /objects")
            .build()
            .map_err(|e| e.to_string())?;
        let blocking_client = reqwest::blocking::Client::new();
        let blocking = Arc::new(
            BlockingHttpTransport::new(blocking_client.clone(), base).map_err(|e| e.to_string())?,
        );
        let client = reqwest::Client::new();
        let http = Arc::new(HttpTransport::new(client.clone(), base).map_err(|e| e.to_string())?);
        let fresh_client = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|e| e.to_string())?;
        let fresh =
            Arc::new(HttpTransport::new(fresh_client.clone(), base).map_err(|e| e.to_string())?);
        // One worker drives the client's connections, so a consumer that busy-waits on the
        // `block_on` thread does not stall a request in flight.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Setup {
            model,
            url: format!("{}/objects", base.trim_end_matches('/')),
            limit,
            work,
            blocking_client,
            blocking,
            client,
            http,
            fresh_client,
            fresh,
            runtime,
        })
    }

    /// Walks the whole listing once as `variant`, tagging its requests `run`; returns how many
    /// items the consumer saw.
    pub(super) fn run(&self, variant: Variant, run: &str) -> Result<usize, String> {
        match variant {
            Variant::HandBlocking => self.hand_blocking(run),
            Variant::Blocking => self.paginate_blocking(run, false),
            Variant::BlockingLookahead => self.paginate_blocking(run, true),
            Variant::HandAsync => self.runtime.block_on(self.hand_async(&self.client, run)),
            Variant::Async => self.async_run(&self.http, run, Ahead::No),
            Variant::AsyncLookahead => self.async_run(&self.http, run, Ahead::Polled),
            Variant::AsyncLookaheadSpawned => self.async_run(&self.http, run, Ahead::Spawned),
            Variant::HandAsyncFresh => self
                .runtime
                .block_on(self.hand_async(&self.fresh_client, run)),
            Variant::AsyncFresh => self.async_run(&self.fresh, run, Ahead::No),
            Variant::AsyncLookaheadFresh => self.async_run(&self.fresh, run, Ahead::Polled),
            Variant::AsyncLookaheadSpawnedFresh => self.async_run(&self.fresh, run, Ahead::Spawned),
        }
    }

    fn async_run(
        &self,
        http: &Arc<HttpTransport>,
        run: &str,
        ahead: Ahead,
    ) -> Result<usize, String> {
        self.runtime.block_on(self.paginate_async(http, run, ahead))
    }

    fn query<'a>(
        &self,
        run: &'a str,
        limit: &'a str,
        cursor: Option<&'a str>,
    ) -> Vec<(&'static str, &'a str)> {
        let mut query = vec![("run", run), ("limit", limit)];
        if let Some(c) = cursor {
            query.push(("cursor", c));
        }
        query
    }

    /// Request a page, process it, request the next: the baseline.
    fn hand_blocking(&self, run: &str) -> Result<usize, String> {
        let (limit, mut cursor, mut n) = (self.limit.to_string(), None::<String>, 0);
        loop {
            let response = self
                .blocking_client
                .get(&self.url)
                .query(&self.query(run, &limit, cursor.as_deref()))
                .send()
                .and_then(reqwest::blocking::Response::error_for_status)
                .map_err(|e| e.to_string())?;
            let page: Value = response.json().map_err(|e| e.to_string())?;
            n += read(&page);
            self.work.blocking();
            match page.get("next_cursor").and_then(Value::as_str) {
                Some(c) => cursor = Some(c.to_owned()),
                None => return Ok(n),
            }
        }
    }

    async fn hand_async(&self, client: &reqwest::Client, run: &str) -> Result<usize, String> {
        let (limit, mut cursor, mut n) = (self.limit.to_string(), None::<String>, 0);
        loop {
            let response = client
                .get(&self.url)
                .query(&self.query(run, &limit, cursor.as_deref()))
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .map_err(|e| e.to_string())?;
            let page: Value = response.json().await.map_err(|e| e.to_string())?;
            n += read(&page);
            self.work.in_async().await;
            match page.get("next_cursor").and_then(Value::as_str) {
                Some(c) => cursor = Some(c.to_owned()),
                None => return Ok(n),
            }
        }
    }

    fn paginate_blocking(&self, run: &str, lookahead: bool) -> Result<usize, String> {
        let pages = self
            .model
            .paginate(self.blocking.clone(), json!({ "run": run }))
            .page_size(self.limit as u64);
        let pages = if lookahead { pages.lookahead() } else { pages };
        let mut n = 0;
        for page in pages {
            n += read(&page.map_err(|e| error_chain(&e))?);
            self.work.blocking();
        }
        Ok(n)
    }

    async fn paginate_async(
        &self,
        http: &Arc<HttpTransport>,
        run: &str,
        ahead: Ahead,
    ) -> Result<usize, String> {
        // The same handle in every variant, an `Arc` (spawning needs a `'static` one).
        let pages = self
            .model
            .paginate_async(http.clone(), json!({ "run": run }))
            .page_size(self.limit as u64);
        let mut pages = match ahead {
            Ahead::No => pages,
            Ahead::Polled => pages.lookahead(),
            Ahead::Spawned => pages.lookahead_spawned(),
        };
        let mut n = 0;
        while let Some(page) = pages.next().await {
            n += read(&page.map_err(|e| error_chain(&e))?);
            self.work.in_async().await;
        }
        Ok(n)
    }
}

impl Setup {
    /// The sequential async loop over the whole listing: the fan-out's baseline.
    pub(super) fn hand_loop(&self, run: &str) -> Result<usize, String> {
        self.runtime.block_on(self.hand_async(&self.client, run))
    }

    /// The whole listing as `segments` runs of one [`FanOut`](paginated::fanout::FanOut), all
    /// fetching at once, each page handed to the same consumer as in the other variants.
    pub(super) fn fan_out(&self, run: &str, segments: usize) -> Result<usize, String> {
        self.runtime.block_on(async {
            let runs = (0..segments)
                .map(|segment| {
                    self.model
                        .paginate_async(
                            &*self.http,
                            json!({"run": run, "segment": segment, "segments": segments}),
                        )
                        .page_size(self.limit as u64)
                })
                .collect();
            let mut fan = paginated::fanout::FanOut::new(runs).concurrency(segments);
            let mut n = 0;
            while let Some(page) = fan.next().await {
                let page = page.map_err(|e| error_chain(&e))?;
                n += read(&page.value);
                self.work.in_async().await;
            }
            Ok(n)
        })
    }
}

/// The consumer's reading of a page: every object's size is looked at; returns how many.
fn read(page: &Value) -> usize {
    let objects = page.get("objects").and_then(Value::as_array);
    let mut n = 0;
    for object in objects.into_iter().flatten() {
        black_box(object.get("size").and_then(Value::as_u64));
        n += 1;
    }
    n
}
