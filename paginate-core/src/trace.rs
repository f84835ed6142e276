//! `tracing` instrumentation of runs, behind the `tracing` feature: one span per run and one
//! event per page, both at `DEBUG` (nothing at `INFO` or above, so a listing logs nothing
//! unless asked). Without the feature every function here is empty and inlined away.
//!
//! The run's span is `paginate.run` with the fields `operation`, `page_size` and `max_items`;
//! it is entered while the transport is called, so whatever the transport logs (reqwest,
//! tower layers) nests under it. Each page gives an event `page received` with `page` (its
//! number, from 1), `items` (primary items handed out so far), `latency_ms` (from sending the
//! request to the answer) and `has_next` (whether the run goes on to another page); a failed
//! page gives `page failed` with `page`, `latency_ms` and `error`.

use crate::engine::Run;
use crate::error::Error;

/// The run's span, for a fetch strategy to run the transport in; nothing without the feature.
#[cfg(feature = "tracing")]
pub(crate) type RunSpan = tracing::Span;
/// The run's span, for a fetch strategy to run the transport in; nothing without the feature.
#[cfg(not(feature = "tracing"))]
#[derive(Debug, Clone, Default)]
pub(crate) struct RunSpan;

/// What a driver records about its run while tracing is on.
#[derive(Debug, Default)]
pub(crate) struct RunTrace {
    #[cfg(feature = "tracing")]
    span: Option<tracing::Span>,
    #[cfg(feature = "tracing")]
    sent: Option<std::time::Instant>,
}

#[cfg(feature = "tracing")]
impl RunTrace {
    /// The run's span, made when the first request is sent (the options are final then).
    pub(crate) fn span(&mut self, run: &Run) -> tracing::Span {
        self.span
            .get_or_insert_with(|| {
                let config = run.config();
                tracing::debug_span!(
                    "paginate.run",
                    operation = run.model().operation(),
                    page_size = config.page_size,
                    max_items = config.max_items,
                )
            })
            .clone()
    }

    /// A request is about to be sent.
    pub(crate) fn sent(&mut self) {
        self.sent = Some(std::time::Instant::now());
    }

    /// The outcome of the request last sent, as the run gave it back.
    pub(crate) fn received<T>(&mut self, run: &Run, outcome: &Result<T, Error>) {
        let latency_ms = self
            .sent
            .take()
            .map_or(0.0, |at| at.elapsed().as_secs_f64() * 1000.0);
        let span = self.span(run);
        let _entered = span.enter();
        match outcome {
            Ok(_) => {
                tracing::debug!(
                    page = run.pages_taken(),
                    items = run.items_taken(),
                    latency_ms,
                    has_next = run.fetches_more(),
                    "page received"
                );
            }
            Err(error) => {
                tracing::debug!(
                    page = run.pages_taken() + 1,
                    latency_ms,
                    error = %error,
                    "page failed"
                );
            }
        }
    }
}

#[cfg(not(feature = "tracing"))]
impl RunTrace {
    #[inline]
    pub(crate) fn span(&mut self, _run: &Run) -> RunSpan {
        RunSpan
    }

    #[inline]
    pub(crate) fn sent(&mut self) {}

    #[inline]
    pub(crate) fn received<T>(&mut self, _run: &Run, _outcome: &Result<T, Error>) {}
}
