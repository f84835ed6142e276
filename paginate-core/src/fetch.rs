//! The fetch strategies a [`Driver`](crate::driver::Driver) plugs in: how a page request
//! reaches the transport and how its answer comes back.
//!
//! - [`Blocking`] calls a [`Transport`] on the consumer's thread, or, with lookahead, on a
//!   thread of its own per request, so the consumer works on one page while the next is
//!   fetched (this needs a transport handle that is `Clone + Send + 'static`, such as an
//!   `Arc`; a request in flight when the run is dropped finishes on its thread and its answer
//!   is thrown away).
//! - [`Async`] calls an [`AsyncTransport`] and keeps its future; the future is polled when the
//!   stream is, and also while the consumer is handed the items of the page before it. No
//!   runtime of this crate's is involved; dropping the stream drops the future, which cancels
//!   the request.
//! - With the `tokio` feature, [`Async::spawned`] hands each request's future to the tokio
//!   runtime the stream is polled on instead (`spawned.rs`), so it progresses while the
//!   consumer does not poll; its join handle takes the future's place, and dropping it aborts
//!   the task.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread::JoinHandle;

use crate::body::Reply;
use crate::driver::Fetch;
use crate::error::BoxError;
use crate::trace::RunSpan;
use crate::transport::{AsyncTransport, PageRequest, Transport};

/// The answer asked for when no request was sent: a driver bug (the driver polls for an answer
/// only after it sent a request, and polls it once), reported rather than panicked in release
/// builds.
fn nothing_sent() -> Answer {
    debug_assert!(false, "an answer was awaited with no request in flight");
    Err("paginate: an answer was awaited with no request in flight".into())
}

type Answer = Result<Reply, BoxError>;

/// Starts one request on a thread of its own.
type Spawn<H> = fn(&H, PageRequest<'_>, &RunSpan) -> Answered;

/// A request sent on a lookahead thread: its handle, or why no thread could be started.
#[derive(Debug)]
pub(crate) enum Answered {
    Thread(JoinHandle<Answer>),
    Failed(BoxError),
}

/// Blocking fetches: on the consumer's thread, or on a thread per request with lookahead.
// One per run: the inline answer's size (a reply with its headers) costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Blocking<H> {
    Inline {
        transport: H,
        answer: Option<Answer>,
    },
    Threaded {
        transport: H,
        spawn: Spawn<H>,
        answer: Option<Answered>,
    },
}

impl<H> std::fmt::Debug for Blocking<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Blocking::Inline { .. } => "Blocking::Inline",
            Blocking::Threaded { .. } => "Blocking::Threaded",
        })
    }
}

impl<H> Blocking<H> {
    pub(crate) fn inline(transport: H) -> Blocking<H> {
        Blocking::Inline {
            transport,
            answer: None,
        }
    }

    /// The same transport, each request on a thread of its own.
    pub(crate) fn threaded(self) -> Blocking<H>
    where
        H: Deref + Clone + Send + 'static,
        H::Target: Transport,
    {
        match self {
            Blocking::Inline { transport, .. } => Blocking::Threaded {
                transport,
                spawn: spawn_request::<H>,
                answer: None,
            },
            threaded @ Blocking::Threaded { .. } => threaded,
        }
    }
}

fn spawn_request<H>(transport: &H, request: PageRequest<'_>, span: &RunSpan) -> Answered
where
    H: Deref + Clone + Send + 'static,
    H::Target: Transport,
{
    let transport = transport.clone();
    let request = request.into_owned();
    let span = span.clone();
    let started = std::thread::Builder::new()
        .name("paginate-lookahead".into())
        .spawn(move || {
            #[cfg(feature = "tracing")]
            let _entered = span.enter();
            #[cfg(not(feature = "tracing"))]
            let _ = span;
            transport.fetch(request).map_err(Into::into)
        });
    match started {
        Ok(handle) => Answered::Thread(handle),
        Err(e) => Answered::Failed(Box::new(e)),
    }
}

impl<H> Fetch for Blocking<H>
where
    H: Deref,
    H::Target: Transport,
{
    fn send(&mut self, request: PageRequest<'_>, span: &RunSpan) {
        match self {
            Blocking::Inline { transport, answer } => {
                *answer = Some(transport.fetch(request).map_err(Into::into));
            }
            Blocking::Threaded {
                transport,
                spawn,
                answer,
            } => *answer = Some(spawn(transport, request, span)),
        }
    }

    fn poll_answer(&mut self, _cx: &mut Context<'_>) -> Poll<Answer> {
        Poll::Ready(match self {
            Blocking::Inline { answer, .. } => answer.take().unwrap_or_else(nothing_sent),
            Blocking::Threaded { answer, .. } => match answer.take() {
                Some(Answered::Thread(handle)) => handle.join().unwrap_or_else(|_| {
                    Err("the transport panicked on the lookahead thread".into())
                }),
                Some(Answered::Failed(e)) => Err(e),
                None => nothing_sent(),
            },
        })
    }
}

#[cfg(feature = "tokio")]
mod spawned;
#[cfg(feature = "tokio")]
pub use spawned::SpawnedRequestError;

type InFlight<'a> = Pin<Box<dyn Future<Output = Answer> + Send + 'a>>;

/// Makes one request's future: owned, so it outlives the run's borrow, and inside the run's
/// span (the `tracing` feature).
fn call<'a, H>(transport: &H, request: PageRequest<'_>, span: &RunSpan) -> InFlight<'a>
where
    H: Deref + Clone + Send + 'a,
    H::Target: AsyncTransport,
{
    let transport = transport.clone();
    let request = request.into_owned();
    let call = async move { transport.fetch(request).await.map_err(Into::into) };
    #[cfg(feature = "tracing")]
    let call = tracing::Instrument::instrument(call, span.clone());
    #[cfg(not(feature = "tracing"))]
    let _ = span;
    Box::pin(call)
}

/// Starts one request somewhere it progresses on its own; the future given back stands for
/// its answer.
type Launch<H> = fn(&H, PageRequest<'_>, &RunSpan) -> InFlight<'static>;

/// Async fetches: the transport's future, boxed, polled by whoever polls the stream; or, once
/// [`Async::spawned`], a handle to it running on the runtime.
pub(crate) struct Async<'a, H> {
    transport: H,
    launch: Option<Launch<H>>,
    in_flight: Option<InFlight<'a>>,
    answer: Option<Answer>,
}

impl<H> std::fmt::Debug for Async<'_, H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Async")
            .field("spawned", &self.launch.is_some())
            .field("in_flight", &self.in_flight.is_some())
            .finish_non_exhaustive()
    }
}

impl<H> Async<'_, H> {
    pub(crate) fn new(transport: H) -> Self {
        Async {
            transport,
            launch: None,
            in_flight: None,
            answer: None,
        }
    }

    /// The same transport, each request spawned on the current tokio runtime.
    #[cfg(feature = "tokio")]
    pub(crate) fn spawned(mut self) -> Self
    where
        H: Deref + Clone + Send + 'static,
        H::Target: AsyncTransport,
    {
        self.launch = Some(spawned::launch::<H>);
        self
    }
}

impl<'a, H> Fetch for Async<'a, H>
where
    H: Deref + Clone + Send + 'a,
    H::Target: AsyncTransport,
{
    fn send(&mut self, request: PageRequest<'_>, span: &RunSpan) {
        self.answer = None;
        self.in_flight = Some(match self.launch {
            Some(launch) => launch(&self.transport, request, span),
            None => call(&self.transport, request, span),
        });
    }

    fn poll_answer(&mut self, cx: &mut Context<'_>) -> Poll<Answer> {
        if let Some(answer) = self.answer.take() {
            return Poll::Ready(answer);
        }
        let Some(call) = &mut self.in_flight else {
            return Poll::Ready(nothing_sent());
        };
        let answer = match call.as_mut().poll(cx) {
            Poll::Ready(answer) => answer,
            Poll::Pending => return Poll::Pending,
        };
        self.in_flight = None;
        Poll::Ready(answer)
    }

    fn progress(&mut self, cx: &mut Context<'_>) {
        if self.answer.is_some() {
            return;
        }
        if let Some(call) = &mut self.in_flight
            && let Poll::Ready(answer) = call.as_mut().poll(cx)
        {
            self.in_flight = None;
            self.answer = Some(answer);
        }
    }
}
