//! The driver matrix (SEMANTICS G6): one body of tests, four drivers, in the manner of tokio's
//! `rt_common`. A test target declares one module per driver, each setting its `DRIVER` and
//! loading the same case files; the cases start runs with `Driver::paginate` (through a small
//! `drive` method on `Model`) and read them through the synchronous front ends below, which
//! mirror the blocking API (`Iterator`, `resume_token`, `items`, `search`,
//! `build_full_result`, …) whatever drives the run:
//!
//! - `Blocking`: `blocking::{Pages, Items, Search}`, iterated in place;
//! - `Async`: `nonblocking::{Pages, Items, Search}` on a multi-threaded tokio runtime.
//!   Every step (`next`, `build_full_result`) moves the stream into a task spawned on a worker
//!   thread and back, so a stream is polled on whichever thread the runtime picks and must be
//!   `Send + 'static` (an `Arc` transport);
//! - `LookaheadBlocking` and `LookaheadAsync`: the same with `.lookahead()`. A case asserts the
//!   same pages, items, tokens, errors and request log under lookahead as without it: the
//!   evidence that lookahead sends no request the run did not need.
//!
//! Transports are `Arc`s of a service that is both a `blocking::Transport` and a
//! `nonblocking::Transport` (`Scripted` is), so every driver runs over the same service and its request log.
//!
//! Each driver runs over both wires (SEMANTICS G8): `Wire::Value`, where the run receives
//! each page as the service's `Value`, and `Wire::Body`, where it receives
//! `serde_json::to_vec` of that page unparsed. A test target declares one module per driver
//! and wire, each setting its `DRIVER` and `WIRE`: one scenario table, both paths, the same
//! expected pages, items, tokens, errors and requests.
//!
//! The parity harness is in `record`: one run read whole (every step, error and token in
//! its place, every request), and `every_way`, which runs a scenario with every driver over
//! both wires and asserts they agree. `drivers.rs` and `body_pages.rs` compare through it.

pub(crate) mod record;

use std::future::poll_fn;
use std::pin::Pin;
use std::sync::{Arc, LazyLock};

use futures_core::Stream;
use paginate_tests::{FakeError, Scripted, Wire, Wired};
use paginated::{DuplicateTokenPolicy, Error, Model, PaginationConfig, blocking, nonblocking};
use serde_json::Value;
use tokio::runtime::Runtime;

/// Which front end drives a run, and whether it fetches ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Driver {
    /// `Model::paginate`: the blocking iterators.
    Blocking,
    /// `Model::paginate_async`: the streams, each step on a runtime worker.
    Async,
    /// `Model::paginate(..).lookahead()`: the next request on a thread of its own.
    LookaheadBlocking,
    /// `Model::paginate_async(..).lookahead()`.
    LookaheadAsync,
}

impl Driver {
    /// Every driver, the blocking one first.
    pub(crate) const ALL: [Driver; 4] = [
        Driver::Blocking,
        Driver::Async,
        Driver::LookaheadBlocking,
        Driver::LookaheadAsync,
    ];
}

/// A service every driver can use: blocking and async, shared across threads.
pub(crate) trait Service:
    blocking::Transport + nonblocking::Transport + Send + Sync + 'static
{
}

impl<T: blocking::Transport + nonblocking::Transport + Send + Sync + 'static> Service for T {}

/// The runtime of the async drivers: multi-threaded, two workers, created on first use and
/// shared by the tests of the binary (each test blocks its own thread on its own tasks).
/// A static is never dropped, so no runtime is shut down from a test thread's exit.
static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
});

/// A scripted service returning these pages in order, shareable by every driver.
pub(crate) fn scripted(pages: impl IntoIterator<Item = Value>) -> Arc<Scripted> {
    Arc::new(Scripted::new(pages))
}

/// A scripted service returning these pages or errors in order.
pub(crate) fn scripted_results(
    results: impl IntoIterator<Item = Result<Value, FakeError>>,
) -> Arc<Scripted> {
    Arc::new(Scripted::with_results(results))
}

impl Driver {
    /// Starts a run of `model` with `params` over `api`, driven by this driver. Nothing is
    /// sent until the first page is asked for, as with the library's own front ends.
    pub(crate) fn paginate<T: Service>(
        self,
        model: &Model,
        api: &Arc<T>,
        params: Value,
    ) -> Pager<T> {
        self.paginate_over(Wire::Value, model, api, params)
    }

    /// Like `paginate`, with the pages of `api` reaching the run over `wire`.
    pub(crate) fn paginate_over<T: Service>(
        self,
        wire: Wire,
        model: &Model,
        api: &Arc<T>,
        params: Value,
    ) -> Pager<T> {
        let api = Arc::new(Wired::new(api.clone(), wire));
        let front = match self {
            Driver::Blocking => Front::Blocking(model.paginate(api.clone(), params)),
            Driver::LookaheadBlocking => {
                Front::Blocking(model.paginate(api.clone(), params).lookahead())
            }
            Driver::Async => Front::Async(Some(model.paginate_async(api.clone(), params))),
            Driver::LookaheadAsync => {
                Front::Async(Some(model.paginate_async(api.clone(), params).lookahead()))
            }
        };
        Driven { front }
    }
}

/// A blocking front end `B` or an async one `A`. The async one is `None` only while a step
/// holds it on a worker.
#[derive(Debug)]
enum Front<B, A> {
    Blocking(B),
    Async(Option<A>),
}

/// One run, read synchronously whatever drives it.
#[derive(Debug)]
pub(crate) struct Driven<B, A> {
    front: Front<B, A>,
}

/// The transport handle of a run: the service, answering over a wire.
pub(crate) type Handle<T> = Arc<Wired<Arc<T>>>;
/// The pages of a run.
pub(crate) type Pager<T> =
    Driven<blocking::Pages<Handle<T>>, nonblocking::Pages<'static, Handle<T>>>;
/// The items of one result key of a run.
pub(crate) type ItemRun<T> =
    Driven<blocking::Items<Handle<T>>, nonblocking::Items<'static, Handle<T>>>;
/// The results of a search over a run.
pub(crate) type SearchRun<T> =
    Driven<blocking::Search<Handle<T>>, nonblocking::Search<'static, Handle<T>>>;

impl<B, A> Driven<B, A> {
    /// The async front end, between steps.
    fn stream(&self) -> &A {
        match &self.front {
            Front::Async(Some(stream)) => stream,
            _ => panic!("the stream is held by a step that did not finish"),
        }
    }

    /// Applies `blocking` or `asynchronous` to whichever front end this is.
    fn map<C, D>(
        self,
        blocking: impl FnOnce(B) -> C,
        asynchronous: impl FnOnce(A) -> D,
    ) -> Driven<C, D> {
        let front = match self.front {
            Front::Blocking(b) => Front::Blocking(blocking(b)),
            Front::Async(a) => Front::Async(a.map(asynchronous)),
        };
        Driven { front }
    }

    /// Like `map`, for conversions that can fail before any request.
    fn try_map<C, D>(
        self,
        blocking: impl FnOnce(B) -> Result<C, Error>,
        asynchronous: impl FnOnce(A) -> Result<D, Error>,
    ) -> Result<Driven<C, D>, Error> {
        let front = match self.front {
            Front::Blocking(b) => Front::Blocking(blocking(b)?),
            Front::Async(a) => Front::Async(Some(asynchronous(
                a.expect("the stream is back after each step"),
            )?)),
        };
        Ok(Driven { front })
    }
}

/// Runs `future` as a task on a runtime worker and waits for it on this thread.
pub(crate) fn on_worker<F>(future: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    RUNTIME
        .block_on(RUNTIME.spawn(future))
        .unwrap_or_else(|e| panic!("the task on the runtime failed: {e}"))
}

/// Waits for `future` on this thread, on the async drivers' runtime.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    RUNTIME.block_on(future)
}

/// One `next` of an async front end: the stream goes to a worker, is polled there until it
/// yields, and comes back.
fn step<S>(slot: &mut Option<S>) -> Option<S::Item>
where
    S: Stream + Unpin + Send + 'static,
    S::Item: Send + 'static,
{
    let mut stream = slot.take().expect("the stream is back after each step");
    let (stream, next) = on_worker(async move {
        let next = poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await;
        (stream, next)
    });
    *slot = Some(stream);
    next
}

impl<B, A> Iterator for Driven<B, A>
where
    B: Iterator<Item = Result<Value, Error>>,
    A: Stream<Item = Result<Value, Error>> + Unpin + Send + 'static,
{
    type Item = Result<Value, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.front {
            Front::Blocking(b) => b.next(),
            Front::Async(a) => step(a),
        }
    }
}

/// The option setters, applied to either front end.
macro_rules! options {
    ($($name:ident($value:ident: $ty:ty);)*) => {$(
        pub(crate) fn $name(self, $value: $ty) -> Self {
            match self.front {
                Front::Blocking(p) => Driven { front: Front::Blocking(p.$name($value)) },
                Front::Async(s) => Driven { front: Front::Async(s.map(|s| s.$name($value))) },
            }
        }
    )*};
}

impl<T: Service> Pager<T> {
    options! {
        max_items(max_items: u64);
        page_size(page_size: u64);
        starting_token(token: Option<String>);
        duplicate_tokens(policy: DuplicateTokenPolicy);
        config(config: PaginationConfig);
    }

    /// The token that resumes after the last page returned (R2).
    pub(crate) fn resume_token(&self) -> Option<String> {
        match &self.front {
            Front::Blocking(p) => p.resume_token(),
            Front::Async(_) => self.stream().resume_token(),
        }
    }

    /// The non-aggregate part of the run's first page (G5).
    pub(crate) fn non_aggregate_part(&self) -> Option<&Value> {
        match &self.front {
            Front::Blocking(p) => p.non_aggregate_part(),
            Front::Async(_) => self.stream().non_aggregate_part(),
        }
    }

    /// The model the run follows (G5).
    pub(crate) fn model(&self) -> &Model {
        match &self.front {
            Front::Blocking(p) => p.model(),
            Front::Async(_) => self.stream().model(),
        }
    }

    /// True once `max_items` ended the run.
    pub(crate) fn stopped_by_max_items(&self) -> bool {
        match &self.front {
            Front::Blocking(p) => p.stopped_by_max_items(),
            Front::Async(_) => self.stream().stopped_by_max_items(),
        }
    }

    /// The items of the primary result key (G2).
    pub(crate) fn items(self) -> ItemRun<T> {
        self.map(blocking::Pages::items, nonblocking::Pages::items)
    }

    /// The items of any declared result key (G2).
    pub(crate) fn items_of(self, result_key: &str) -> Result<ItemRun<T>, Error> {
        self.try_map(|p| p.items_of(result_key), |s| s.items_of(result_key))
    }

    /// The results of `expression` on every page (G3).
    pub(crate) fn search(self, expression: &str) -> Result<SearchRun<T>, Error> {
        self.try_map(|p| p.search(expression), |s| s.search(expression))
    }

    /// Runs to the end and merges the pages (G4); the async run is one task on a worker.
    pub(crate) fn build_full_result(self) -> Result<Value, Error> {
        match self.front {
            Front::Blocking(p) => p.build_full_result(),
            Front::Async(s) => {
                let stream = s.expect("the stream is back after each step");
                on_worker(stream.build_full_result())
            }
        }
    }
}

impl<T: Service> ItemRun<T> {
    /// The token that resumes right after the last item returned (R2).
    pub(crate) fn resume_token(&self) -> Option<String> {
        match &self.front {
            Front::Blocking(i) => i.resume_token(),
            Front::Async(_) => self.stream().resume_token(),
        }
    }
}

impl<T: Service> SearchRun<T> {
    /// The token that resumes before the page whose results are being returned (G3).
    pub(crate) fn resume_token(&self) -> Option<String> {
        match &self.front {
            Front::Blocking(s) => s.resume_token(),
            Front::Async(_) => self.stream().resume_token(),
        }
    }
}
