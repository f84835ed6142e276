//! The retry policy around the blocking transport's exchanges: the same decisions as the
//! `tower` layer ([`RetryPolicy::judge`]), with the thread asleep between attempts.

use std::sync::OnceLock;

use super::{LastAttempt, Outcome, RetryError, RetryPolicy, RetryStop, Verdict};
use crate::http::HttpError;
use crate::http::HttpRequest;
use crate::http::request::{Received, excerpt};
use crate::transport::PageRequest;

/// A timer-only tokio runtime, for the deadline of tower's backoff (whose timer is tokio's).
/// It runs nothing and starts no thread; it lives as long as the process, so it is never
/// dropped inside an async context.
fn timers() -> Option<&'static tokio::runtime::Runtime> {
    static TIMERS: OnceLock<Option<tokio::runtime::Runtime>> = OnceLock::new();
    TIMERS
        .get_or_init(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .ok()
        })
        .as_ref()
}

impl RetryPolicy {
    /// Runs `attempt` (one whole exchange, the body read included) until the policy accepts
    /// its outcome or stops retrying, sleeping between attempts.
    pub(crate) fn run_blocking(
        &self,
        request: &PageRequest<'_>,
        mut attempt: impl FnMut() -> Result<(HttpRequest, Received), HttpError>,
    ) -> Result<(HttpRequest, Received), HttpError> {
        let mut policy = self.clone();
        loop {
            let outcome = attempt();
            let judged = match &outcome {
                Ok((_, received)) => Outcome::Answered {
                    status: received.status,
                    headers: &received.headers,
                },
                Err(HttpError::Request { source, .. }) if super::transient(source.as_ref()) => {
                    Outcome::Failed
                }
                // Refused before anything was sent (a foreign URL, a hook): no retry cures it.
                Err(_) => return outcome,
            };
            let after = match policy.judge(judged) {
                Verdict::Accept => return outcome,
                Verdict::Retry { after } => after,
                Verdict::Stop(stop) => return Err(stopped(request, stop, &policy, outcome)),
            };
            let wait = match timers() {
                Some(timers) => {
                    let _context = timers.enter();
                    let deadline = policy.wait(after).deadline().into_std();
                    deadline.saturating_duration_since(std::time::Instant::now())
                }
                // No timer could be made to draw tower's backoff from (tokio could not build
                // one): wait what the server asked, or else the longest backoff, which never
                // hammers.
                None => after.unwrap_or(policy.settings.backoff_max),
            };
            std::thread::sleep(wait);
        }
    }
}

/// The error for a failure that retries stopped on.
fn stopped(
    request: &PageRequest<'_>,
    stop: RetryStop,
    policy: &RetryPolicy,
    outcome: Result<(HttpRequest, Received), HttpError>,
) -> HttpError {
    let attempts = policy.attempts();
    match outcome {
        Ok((prepared, received)) => HttpError::Retries {
            operation: request.operation().to_owned(),
            method: prepared.method,
            url: prepared.url.to_string(),
            source: Box::new(RetryError {
                stop,
                attempts,
                last: LastAttempt::Status {
                    status: received.status,
                    body: excerpt(&received.body),
                },
            }),
        },
        Err(HttpError::Request {
            operation,
            method,
            url,
            source,
        }) => HttpError::Retries {
            operation,
            method,
            url,
            source: Box::new(RetryError {
                stop,
                attempts,
                last: LastAttempt::Failed(source),
            }),
        },
        Err(other) => other,
    }
}
