//! Requests spawned on the tokio runtime (feature `tokio`), for
//! [`nonblocking::Pages::lookahead_spawned`](crate::nonblocking::Pages::lookahead_spawned).
//!
//! A future kept in the stream moves only when the stream is polled: a request that needs a
//! new connection (no keep-alive, a server that closes connections, a TLS handshake) then
//! waits for the consumer. Spawned, the request is a task of the runtime and progresses while
//! the consumer works; the stream keeps its [`JoinHandle`] where it kept the future, so the
//! driver's scheduling (G7) is the same. Dropping the handle aborts the task (G6: dropping a
//! stream cancels the request in flight), and a panic in the transport, which the runtime
//! catches, comes back as a [`SpawnedRequestError`] rather than unwinding into the consumer.
//!
//! Without a current runtime there is nothing to spawn on: the future is polled in place, as
//! plain [`lookahead`](crate::nonblocking::Pages::lookahead) does.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::task::{JoinError, JoinHandle};

use super::{Answer, InFlight, call};
use crate::trace::RunSpan;
use crate::transport::{AsyncTransport, PageRequest};

/// Why a request spawned by
/// [`lookahead_spawned`](crate::nonblocking::Pages::lookahead_spawned) gave no answer. It is
/// the source of the run's [`Error::Transport`](crate::Error::Transport) for that page, so the
/// run's resume token fetches the page again (L7).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpawnedRequestError {
    /// The transport panicked while fetching the page. The runtime caught the panic; the run
    /// reports it instead of unwinding into your code.
    #[error(
        "the transport panicked while fetching the page on the tokio runtime: {message} \
         (fix the transport; the run's resume token fetches this page again)"
    )]
    Panicked {
        /// The panic's message, when it was a string.
        message: String,
    },
    /// The runtime dropped the task before it answered: it is shutting down.
    #[error(
        "the tokio runtime the page request was spawned on shut down before the page arrived; \
         resume from the run's resume token on a running runtime"
    )]
    Cancelled,
}

impl From<JoinError> for SpawnedRequestError {
    fn from(error: JoinError) -> SpawnedRequestError {
        match error.try_into_panic() {
            Ok(payload) => {
                let message = match payload.downcast::<String>() {
                    Ok(message) => *message,
                    Err(payload) => match payload.downcast::<&'static str>() {
                        Ok(message) => (*message).to_owned(),
                        Err(_) => "a panic with a payload that is not a string".to_owned(),
                    },
                };
                SpawnedRequestError::Panicked { message }
            }
            Err(_) => SpawnedRequestError::Cancelled,
        }
    }
}

/// Starts one request on the current runtime, or, with none, gives back its future to be
/// polled in place.
pub(super) fn launch<H>(
    transport: &H,
    request: PageRequest<'_>,
    span: &RunSpan,
) -> InFlight<'static>
where
    H: Deref + Clone + Send + 'static,
    H::Target: AsyncTransport,
{
    let future: InFlight<'static> = call(transport, request, span);
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => Box::pin(Spawned(runtime.spawn(future))),
        Err(_) => future,
    }
}

/// A spawned request, as a future of its answer; dropping it aborts the task.
#[derive(Debug)]
struct Spawned(JoinHandle<Answer>);

impl Future for Spawned {
    type Output = Answer;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Answer> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|joined| joined.unwrap_or_else(|e| Err(SpawnedRequestError::from(e).into())))
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        // Harmless on a task that has finished; on one still running, this is the stream's
        // cancellation (G6).
        self.0.abort();
    }
}
