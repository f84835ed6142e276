//! The retry policy's errors: a policy built with settings tower cannot keep, and why retries
//! of a page stopped.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use crate::error::BoxError;

/// A [`RetryPolicyBuilder`](super::RetryPolicyBuilder) setting that cannot be kept.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidRetryPolicy {
    /// The backoff's bounds or jitter are not ones tower's exponential backoff takes.
    #[error(
        "retry policy: backoff from {min:?} to {max:?} with jitter {jitter}: {reason}; give a minimum no larger than the maximum, a maximum above zero and a jitter from 0 to 100"
    )]
    Backoff {
        /// The first backoff.
        min: Duration,
        /// The longest backoff.
        max: Duration,
        /// The jitter ratio.
        jitter: f64,
        /// tower's reason.
        reason: String,
    },

    /// The budget's parameters are not ones tower's `TpsBudget` takes.
    #[error(
        "retry policy: budget of window {ttl:?}, {min_per_sec} a second and retry_percent {retry_percent}: {reason}"
    )]
    Budget {
        /// The window.
        ttl: Duration,
        /// The retries allowed a second whatever the traffic.
        min_per_sec: u32,
        /// The share of requests that may be retried.
        retry_percent: f32,
        /// What is wrong.
        reason: &'static str,
    },

    /// An attempt timeout of zero, which no attempt could meet.
    #[error(
        "retry policy: an attempt timeout of zero fails every attempt; give a positive duration"
    )]
    AttemptTimeout,
}

/// Why the retry policy stopped retrying a failure that a retry might have cured.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum RetryStop {
    /// The request had every retry the policy allows.
    Attempts {
        /// The policy's limit.
        max_retries: u32,
    },
    /// The retry budget, shared by the transport's requests, is spent: the server has been
    /// failing for many requests lately.
    Budget,
    /// The server asked (`Retry-After`) to wait longer than the policy's cap.
    RetryAfter {
        /// What the server asked for.
        wait: Duration,
        /// The policy's cap.
        cap: Duration,
    },
}

/// What the last attempt got.
#[derive(Debug)]
#[non_exhaustive]
pub enum LastAttempt {
    /// A response with a status a retry might cure (a `5xx` or `429`).
    Status {
        /// The status.
        status: StatusCode,
        /// The start of its body (at most 500 characters).
        body: String,
    },
    /// No response, or a body cut short: the client's or a layer's error (a timeout is
    /// `tower::timeout::error::Elapsed`).
    Failed(BoxError),
}

/// Retries of a page request stopped on a failure a retry might have cured; the page fails
/// with this as the source of [`HttpError::Retries`](crate::http::HttpError::Retries).
#[derive(Debug)]
#[non_exhaustive]
pub struct RetryError {
    /// Why retries stopped.
    pub stop: RetryStop,
    /// How many attempts were made, the first included.
    pub attempts: u32,
    /// What the last one got.
    pub last: LastAttempt,
}

impl RetryError {
    /// The status of the last attempt, when it had a response.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.last {
            LastAttempt::Status { status, .. } => Some(*status),
            LastAttempt::Failed(_) => None,
        }
    }
}

impl fmt::Display for RetryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let attempts = self.attempts;
        let tries = if attempts == 1 { "attempt" } else { "attempts" };
        match self.stop {
            RetryStop::Attempts { max_retries } => write!(
                f,
                "gave up after {attempts} {tries}, the retry policy's limit of {max_retries} retries"
            )?,
            RetryStop::Budget => write!(
                f,
                "gave up after {attempts} {tries}: the retry budget is spent (the server has failed many recent requests)"
            )?,
            RetryStop::RetryAfter { wait, cap } => write!(
                f,
                "gave up after {attempts} {tries}: the server asked to wait {}s (Retry-After), more than the retry policy's cap of {}s",
                wait.as_secs(),
                cap.as_secs()
            )?,
        }
        match &self.last {
            LastAttempt::Status { status, body } => {
                write!(f, "; the last answer was HTTP {status}: {body}")?;
            }
            LastAttempt::Failed(_) => write!(f, "; the last attempt got no response")?,
        }
        f.write_str("; resume from the run's resume token once the server recovers")?;
        if let RetryStop::Attempts { .. } | RetryStop::RetryAfter { .. } = self.stop {
            f.write_str(", or raise the limit on the RetryPolicy")?;
        }
        Ok(())
    }
}

impl std::error::Error for RetryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.last {
            LastAttempt::Failed(error) => Some(error.as_ref()),
            LastAttempt::Status { .. } => None,
        }
    }
}
