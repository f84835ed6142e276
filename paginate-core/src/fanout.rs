//! Fan-out: many runs at once, at most `N` of them fetching at a time, merged into one stream
//! whose elements say which run they came from, with one checkpoint for them all.
//!
//! Each member is an ordinary run (a [`Pages`], an [`Items`] or a
//! [`Search`]) with its own options, so per-run `max_items`, page sizes and starting
//! tokens are set on the members; [`FanOut::max_items`] bounds the whole. The fan-out only
//! schedules (DESIGN, the layers): every rule, token and error of a member is the member's
//! own, so a member's checkpoint means what it means in a plain run (R2, R8).
//!
//! Three ways in: [`Model::fan_out`] with JSON params per run,
//! [`Paginated::fan_out`](crate::Paginated::fan_out) with derived requests and typed items,
//! and, for runs configured one by one, runs built with `paginate_async` and collected into
//! a `FanOut` (or given to [`FanOut::new`]); [`FanOut::resume`] rebuilds them from a
//! [`FanCheckpoint`]. Each element says whether it ended its run's page
//! ([`Tagged::page_done`]), and [`FanOut::requests_sent`] counts the requests of every run
//! (G9).

use std::fmt;
use std::future::poll_fn;
use std::ops::Deref;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use serde_json::Value;

use crate::error::Error;
use crate::model::Model;
use crate::nonblocking::{Items, Pages, Search};
use crate::transport::AsyncTransport;
use queue::{Indexed, ReadyQueue};

mod checkpoint;
mod queue;

pub use checkpoint::{FanCheckpoint, RunCheckpoint};

/// One element of a fan-out, tagged with the run it came from (its index in the list the
/// fan-out was made from).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Tagged<T> {
    /// The run's index.
    pub run: usize,
    /// The page, item or search result.
    pub value: T,
    /// Whether this element was the last its run hands out of its page (G9): then the run's
    /// entry in [`FanOut::checkpoint`] stands at that page's end, the moment to commit a
    /// checkpoint per page. Always true for a run of pages; for items and search results,
    /// what [`Items::page_done`] and [`Search::page_done`] say.
    pub page_done: bool,
}

/// A run's failure in a fan-out. The other runs go on; this run's checkpoint still points at
/// the page that failed (L7), so resuming retries it.
#[derive(Debug, thiserror::Error)]
#[error("run {run} of the fan-out failed")]
#[non_exhaustive]
pub struct RunFailed {
    /// The run's index.
    pub run: usize,
    /// What went wrong.
    #[source]
    pub error: Error,
}

/// What a fan-out can hold: a stream of one run, with its resume token (R2, R8), its page
/// boundaries and its request count (G9).
pub trait Member: Stream + Unpin {
    /// The token that resumes this run where its consumer stands.
    fn resume_token(&self) -> Option<String>;

    /// Whether the element last handed out was the last of its page.
    fn page_done(&self) -> bool;

    /// How many requests this run has sent.
    fn requests_sent(&self) -> u64;
}

impl<'a, H, P, I> Member for Pages<'a, H, P, I>
where
    Pages<'a, H, P, I>: Stream,
{
    fn resume_token(&self) -> Option<String> {
        Pages::resume_token(self)
    }

    /// A page is its own boundary.
    fn page_done(&self) -> bool {
        true
    }

    fn requests_sent(&self) -> u64 {
        Pages::requests_sent(self)
    }
}

impl<'a, H, I> Member for Items<'a, H, I>
where
    Items<'a, H, I>: Stream,
{
    fn resume_token(&self) -> Option<String> {
        Items::resume_token(self)
    }

    fn page_done(&self) -> bool {
        Items::page_done(self)
    }

    fn requests_sent(&self) -> u64 {
        Items::requests_sent(self)
    }
}

impl<'a, H> Member for Search<'a, H>
where
    Search<'a, H>: Stream,
{
    fn resume_token(&self) -> Option<String> {
        Search::resume_token(self)
    }

    fn page_done(&self) -> bool {
        Search::page_done(self)
    }

    fn requests_sent(&self) -> u64 {
        Search::requests_sent(self)
    }
}

/// Where a run stands. A waiting run keeps its stream here; an active run's stream is in the
/// fan-out's ready queue.
enum RunState<S> {
    /// Not polled yet: its checkpoint is the token it was given, `start`.
    Waiting { stream: S, start: Option<String> },
    /// In the ready queue, being polled when it wakes.
    Active,
    /// Finished; after an error, `resume` is where it stood (the page that failed).
    Done { resume: Option<String> },
}

/// Many runs at once, merged into one `Stream` of [`Tagged`] results; see the module docs.
///
/// Runs take turns a page at a time: a run hands out the rest of its page in one go, and as
/// soon as it is done the run is asked for its next page, so its request goes out while the
/// other runs' pages are handed out, as a task per run would send it; a page the run already
/// has when so asked (an in-process transport, say) comes after the others' turns, its first
/// element aside. Only runs that woke are polled, so an element costs the same with 8 runs or
/// 1,000.
///
/// A run's error is handed out as a [`RunFailed`] naming the run, and only that run stops:
/// the stream goes on with the others, and [`FanOut::checkpoint`] keeps the failed run's
/// position so that a resume retries it.
///
/// DynamoDB's parallel Scan, one run per segment:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use paginated::Model;
/// use paginated::fanout::FanOut;
/// use paginated::nonblocking::from_fn;
/// use serde_json::json;
///
/// let scan = Model::builder("Scan")
///     .input_token("ExclusiveStartKey").output_token("LastEvaluatedKey").result_key("Items")
///     .build()?;
/// // A table of 12 items, 3 per page, served to each of 4 segments by `Segment` and `TotalSegments`.
/// let dynamodb = from_fn(|request| async move {
///     let params = request.params();
///     let segment = params["Segment"].as_u64().unwrap_or(0);
///     let total = params["TotalSegments"].as_u64().unwrap_or(1);
///     let after = params.get("ExclusiveStartKey").and_then(|k| k["id"].as_u64());
///     let mine: Vec<u64> = (0..12).filter(|id| id % total == segment && Some(*id) > after).collect();
///     let page: Vec<u64> = mine.iter().copied().take(3).collect();
///     let last = (mine.len() > 3).then(|| json!({"id": page[2]}));
///     Ok::<_, std::io::Error>(json!({"Items": page, "LastEvaluatedKey": last}))
/// });
/// let segments = (0..4).map(|segment| json!({"TableName": "users", "Segment": segment, "TotalSegments": 4}));
/// let mut fan = scan.fan_out(&dynamodb, segments);
/// let mut ids = Vec::new();
/// while let Some(item) = fan.next().await {
///     ids.push(item?.value.as_u64().unwrap_or(0));
/// }
/// ids.sort();
/// assert_eq!(ids, (0..12).collect::<Vec<_>>());
/// assert!(fan.checkpoint().is_done());
/// # Ok(()) }
/// ```
///
/// S3 listings, one run per prefix, two at a time, each run at most 1,000 keys, with
/// [`FanOut::new`] for runs configured one by one:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use paginated::Model;
/// use paginated::fanout::FanOut;
/// use paginated::nonblocking::from_fn;
/// use serde_json::json;
///
/// let list = Model::builder("ListObjectsV2")
///     .input_token("ContinuationToken").output_token("NextContinuationToken")
///     .result_key("Contents").build()?;
/// let s3 = from_fn(|request| async move {
///     let params = request.params();
///     let prefix = params["Prefix"].as_str().unwrap_or("").to_owned();
///     Ok::<_, std::io::Error>(json!({"Contents": [{"Key": format!("{prefix}a.jpg")}]}))
/// });
/// let runs = ["2024/", "2025/", "2026/"]
///     .iter()
///     .map(|prefix| {
///         list.paginate_async(&s3, json!({"Bucket": "photos", "Prefix": prefix}))
///             .max_items(1_000)
///             .items()
///     })
///     .collect();
/// let mut fan = FanOut::new(runs).concurrency(2);
/// let mut keys = Vec::new();
/// while let Some(object) = fan.next().await {
///     let object = object?;
///     keys.push((object.run, object.value["Key"].clone()));
/// }
/// keys.sort_by_key(|(run, _)| *run);
/// assert_eq!(keys[2], (2, json!("2026/a.jpg")));
/// # Ok(()) }
/// ```
pub struct FanOut<S> {
    /// Every run's state, by index.
    runs: Vec<RunState<S>>,
    /// The active runs: only the members that woke are polled, and runs take turns a page at
    /// a time (see `queue`).
    ready: ReadyQueue<S>,
    /// No run before this index is waiting: runs are let in in index order.
    next_waiting: usize,
    /// The requests of the runs that are not active (waiting or done), so that
    /// [`FanOut::requests_sent`] counts finished runs too.
    settled_sent: u64,
    concurrency: usize,
    max_items: Option<u64>,
    given: u64,
}

impl<S> fmt::Debug for FanOut<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FanOut")
            .field("runs", &self.runs.len())
            .field("active", &self.ready.len())
            .field("concurrency", &self.concurrency)
            .field("max_items", &self.max_items)
            .field("given", &self.given)
            .finish_non_exhaustive()
    }
}

impl Model {
    /// Many runs of this operation at once, one per element of `params`, their items merged
    /// into one [`FanOut`] (run `i` has `params[i]`): DynamoDB's parallel Scan in one call,
    /// with `Segment` and `TotalSegments` in each element. For per-run options, build the
    /// runs yourself and collect them into a `FanOut` ([`FanOut::new`]).
    pub fn fan_out<'a, H>(
        &self,
        transport: H,
        params: impl IntoIterator<Item = Value>,
    ) -> FanOut<Items<'a, H>>
    where
        H: Deref + Clone + Send + 'a,
        H::Target: AsyncTransport,
    {
        FanOut::new(
            params
                .into_iter()
                .map(|params| self.paginate_async(transport.clone(), params).items())
                .collect(),
        )
    }
}

impl<S: Member> FanOut<S> {
    /// A fan-out over `runs`, run `i` being `runs[i]`, all of them fetching at once unless
    /// [`FanOut::concurrency`] says otherwise.
    pub fn new(runs: Vec<S>) -> FanOut<S> {
        let runs: Vec<RunState<S>> = runs
            .into_iter()
            .map(|stream| RunState::Waiting {
                start: stream.resume_token(),
                stream,
            })
            .collect();
        FanOut::from_runs(runs)
    }

    /// All runs fetching at once until told otherwise.
    fn from_runs(runs: Vec<RunState<S>>) -> FanOut<S> {
        let settled_sent = runs
            .iter()
            .map(|run| match run {
                RunState::Waiting { stream, .. } => stream.requests_sent(),
                RunState::Active | RunState::Done { .. } => 0,
            })
            .sum();
        FanOut {
            concurrency: runs.len().max(1),
            runs,
            ready: ReadyQueue::new(),
            next_waiting: 0,
            settled_sent,
            max_items: None,
            given: 0,
        }
    }

    /// Resumes every unfinished run of `checkpoint`: `make(run, token)` builds run `run`
    /// starting from `token` (pass it to `starting_token`). Finished runs are not built and
    /// give nothing; run indices stay those of the checkpoint.
    pub fn resume(
        checkpoint: &FanCheckpoint,
        mut make: impl FnMut(usize, Option<String>) -> S,
    ) -> FanOut<S> {
        let runs: Vec<RunState<S>> = checkpoint
            .runs()
            .iter()
            .enumerate()
            .map(|(i, run)| match run.starting_token() {
                Some(token) => RunState::Waiting {
                    stream: make(i, token.clone()),
                    start: token,
                },
                None => RunState::Done { resume: None },
            })
            .collect();
        FanOut::from_runs(runs)
    }

    /// At most `n` runs fetch at once (at least 1); the others wait their turn. Each run has
    /// at most one request in flight, so this bounds the requests in flight, and the memory:
    /// a page per run being read.
    #[must_use]
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Hands out at most `n` elements across all runs; each run's own `max_items` applies
    /// too. When the bound is reached the stream ends and [`FanOut::checkpoint`] says where
    /// every run stands.
    #[must_use]
    pub fn max_items(mut self, n: u64) -> Self {
        self.max_items = Some(n);
        self
    }

    /// Where every run stands now: done, or the token that resumes it after what this
    /// fan-out has handed out of it (R8).
    pub fn checkpoint(&self) -> FanCheckpoint {
        let mut runs: Vec<RunCheckpoint> = self
            .runs
            .iter()
            .map(|run| match run {
                RunState::Waiting { start, .. } => RunCheckpoint::Resume(start.clone()),
                // Filled in from the ready queue below.
                RunState::Active => RunCheckpoint::Done,
                RunState::Done {
                    resume: Some(token),
                } => RunCheckpoint::Resume(Some(token.clone())),
                RunState::Done { resume: None } => RunCheckpoint::Done,
            })
            .collect();
        for member in self.ready.members() {
            if let (Some(slot), Some(token)) =
                (runs.get_mut(member.run), member.stream.resume_token())
            {
                *slot = RunCheckpoint::Resume(Some(token));
            }
        }
        FanCheckpoint::new(runs)
    }

    /// How many requests the runs have sent so far, all together (G9): what each run counts
    /// in [`Pages::requests_sent`], including the runs that are done. A fan-out resumed from a
    /// checkpoint counts from 0, and a run it does not build (done in the checkpoint) sends
    /// nothing.
    pub fn requests_sent(&self) -> u64 {
        let active: u64 = self
            .ready
            .members()
            .map(|member| member.stream.requests_sent())
            .sum();
        self.settled_sent + active
    }

    /// Lets waiting runs in, in index order, until `concurrency` of them are active: each
    /// run is passed over once in the fan-out's life, so this is O(1) per run let in.
    fn activate(&mut self) {
        while self.ready.len() < self.concurrency && self.next_waiting < self.runs.len() {
            let run = self.next_waiting;
            self.next_waiting += 1;
            let Some(state) = self.runs.get_mut(run) else {
                break;
            };
            match std::mem::replace(state, RunState::Active) {
                RunState::Waiting { stream, .. } => {
                    self.settled_sent = self.settled_sent.saturating_sub(stream.requests_sent());
                    self.ready.insert(run, stream);
                }
                other => *state = other,
            }
        }
    }

    /// Ends a member, keeping where it stood and what it sent.
    fn finish(&mut self, member: Indexed<S>) {
        self.settled_sent += member.stream.requests_sent();
        if let Some(state) = self.runs.get_mut(member.run) {
            *state = RunState::Done {
                resume: member.stream.resume_token(),
            };
        }
    }
}

impl<S, T> FanOut<S>
where
    S: Member<Item = Result<T, Error>>,
{
    /// The next element of any run, or `None` when every run is done (or `max_items` is
    /// reached).
    pub async fn next(&mut self) -> Option<Result<Tagged<T>, RunFailed>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn poll_members(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Tagged<T>, RunFailed>>> {
        if self.max_items.is_some_and(|max| self.given >= max) {
            return Poll::Ready(None);
        }
        // A run that ends lets a waiting one in, which the ready queue polls at once.
        loop {
            self.activate();
            let Some((polled, member)) = ready!(self.ready.poll_next(cx)) else {
                // Nothing active after `activate`: nothing waits either.
                return Poll::Ready(None);
            };
            let run = member.run;
            match polled {
                Some(Ok(value)) => {
                    let page_done = member.stream.page_done();
                    // A run's turn lasts a page; then its next request goes out at once.
                    self.ready.requeue(member, page_done);
                    self.given += 1;
                    return Poll::Ready(Some(Ok(Tagged {
                        run,
                        value,
                        page_done,
                    })));
                }
                Some(Err(error)) => {
                    // L7: the failed run keeps its position; the others go on.
                    self.finish(member);
                    return Poll::Ready(Some(Err(RunFailed { run, error })));
                }
                None => self.finish(member),
            }
        }
    }
}

impl<S, T> Stream for FanOut<S>
where
    S: Member<Item = Result<T, Error>>,
{
    type Item = Result<Tagged<T>, RunFailed>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_members(cx)
    }
}

impl<S> Unpin for FanOut<S> {}

/// Collecting runs into a fan-out is [`FanOut::new`]: run `i` is the `i`-th run collected.
impl<S: Member> FromIterator<S> for FanOut<S> {
    fn from_iter<T: IntoIterator<Item = S>>(runs: T) -> FanOut<S> {
        FanOut::new(runs.into_iter().collect())
    }
}
