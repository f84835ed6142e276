//! The ready retry policy (feature `retry`): which failures are retried, how long to wait
//! before each retry, and when to stop. The decisions live here once; [`layer`] applies them
//! inside a `tower` stack for [`HttpTransport`](super::HttpTransport), and [`blocking`] around
//! each exchange of [`BlockingHttpTransport`](super::BlockingHttpTransport).
//!
//! The pieces are tower's: [`tower::retry::Retry`] runs the attempts, `ExponentialBackoff`
//! spaces them (jittered), `TpsBudget` caps how many retries a failing server gets, and
//! `tower::timeout::Timeout` bounds each attempt. What paginate adds is the HTTP rules: which
//! statuses and failures a retry may cure, `Retry-After` (seconds or an HTTP date) with a cap,
//! and a typed error saying why retries stopped.

#[cfg(feature = "http-blocking")]
pub(crate) mod blocking;
mod error;
mod layer;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use tower::retry::backoff::{Backoff, ExponentialBackoff, ExponentialBackoffMaker, MakeBackoff};
use tower::retry::budget::{Budget, TpsBudget};
use tower::util::rng::{HasherRng, Rng};

pub use error::{InvalidRetryPolicy, LastAttempt, RetryError, RetryStop};
pub use layer::{ReadBody, RetryLayer};

/// Retries a page request that failed in a way a retry may cure, as production clients should:
/// a `5xx`, a `429 Too Many Requests`, or no response at all (connection refused or reset, a
/// body cut short, a timeout). Any other `4xx` is never retried: the request was wrong and
/// will be wrong again; nor is a failure no retry cures (a request reqwest cannot build, a
/// redirect loop, an error of another layer). A request whose body cannot be cloned is not
/// retried either (the ready transports' bodies always can).
///
/// Every method is retried, POST included: a page request reads a listing, whatever its
/// method (DynamoDB's `Scan`, search endpoints), so sending it again changes nothing on the
/// server. Do not put this policy in front of requests that change state.
///
/// Before each retry it waits what the server asked with `Retry-After` (delta-seconds or an
/// HTTP date), or else tower's jittered exponential backoff. A `Retry-After` longer than the
/// [cap](RetryPolicyBuilder::retry_after_cap) is not slept through, nor shortened (that would
/// be the hammering it asks to avoid): retries stop there, and the error says how long the
/// server asked to wait. A retry budget (tower's `TpsBudget`), shared by every clone of the
/// policy and so by every request of a transport, lets a share of recent requests be retried
/// and no more, so a failing server is not hammered. When retries stop on a failure, the page
/// fails with [`HttpError::Retries`](super::HttpError::Retries), whose [`RetryError`] says
/// why ([`RetryStop`]) and what the last attempt got.
///
/// Defaults: 3 retries, backoff from 100 ms doubling to 10 s with up to 50% jitter,
/// `Retry-After` up to 30 s, each attempt (headers and body) limited to 30 s, and tower's
/// default budget (10 retries a second, plus 20% of the requests of the last 10 s).
///
/// A retried page is the same page request sent again, so a run keeps its position: nothing
/// is lost and nothing repeated.
///
/// ```no_run
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use paginated::http::{HttpTransport, RetryPolicy};
/// use tower::ServiceBuilder;
///
/// let retry = RetryPolicy::builder()
///     .max_retries(5)
///     .attempt_timeout(Duration::from_secs(10))
///     .build()?;
/// let stack = ServiceBuilder::new()
///     .layer(retry.layer())
///     .service(reqwest::Client::new());
/// let api = HttpTransport::with_service(stack, "https://api.example.com")?;
/// # Ok(()) }
/// ```
///
/// Cloning a policy gives one that shares the budget and starts a request afresh (no retries
/// counted, the backoff at its start with a new jitter seed): tower clones it per request.
pub struct RetryPolicy {
    settings: Arc<Settings>,
    budget: Arc<TpsBudget>,
    /// Retries made so far for this request.
    retries: u32,
    /// This request's backoff.
    backoff: ExponentialBackoff<Reseeded>,
}

/// What a policy was built with, shared by its clones.
#[derive(Debug)]
struct Settings {
    max_retries: u32,
    retry_after_cap: Duration,
    attempt_timeout: Duration,
    backoff: ExponentialBackoffMaker<Reseeded>,
    /// The longest backoff: what the blocking transport waits when it has no timer to draw
    /// tower's backoff from.
    #[cfg_attr(not(feature = "http-blocking"), allow(dead_code))]
    backoff_max: Duration,
    /// The budget's parameters, for `Debug`.
    budget: (Duration, u32, f32),
}

impl RetryPolicy {
    /// A builder starting from the defaults.
    pub fn builder() -> RetryPolicyBuilder {
        RetryPolicyBuilder::default()
    }

    /// The `tower` layer that retries with this policy, for
    /// [`HttpTransport::with_service`](super::HttpTransport::with_service). Each attempt reads
    /// the whole body inside the retry (so a connection reset mid-body or a body cut short is
    /// retried, not handed to the run) within the policy's
    /// [attempt timeout](RetryPolicyBuilder::attempt_timeout).
    pub fn layer(&self) -> RetryLayer {
        RetryLayer::new(self.clone())
    }

    /// The most retries a request gets after its first attempt.
    pub fn max_retries(&self) -> u32 {
        self.settings.max_retries
    }

    /// The longest `Retry-After` the policy waits for.
    pub fn retry_after_cap(&self) -> Duration {
        self.settings.retry_after_cap
    }

    /// Each attempt's time limit, the body's reading included.
    pub fn attempt_timeout(&self) -> Duration {
        self.settings.attempt_timeout
    }

    /// Judges the outcome of this request's latest attempt (SEMANTICS-free: HTTP rules only)
    /// and, for a retry, takes it from the budget and counts it.
    pub(crate) fn judge(&mut self, outcome: Outcome<'_>) -> Verdict {
        if self.retries == 0 {
            // Every request earns the budget its share of retries (tower's TpsBudget).
            self.budget.deposit();
        }
        let retry_after = match outcome {
            Outcome::Answered { status, headers } => {
                if !retryable_status(status) {
                    return Verdict::Accept;
                }
                retry_after(headers, SystemTime::now())
            }
            Outcome::Failed => None,
        };
        if self.retries >= self.settings.max_retries {
            return Verdict::Stop(RetryStop::Attempts {
                max_retries: self.settings.max_retries,
            });
        }
        if let Some(wait) = retry_after
            && wait > self.settings.retry_after_cap
        {
            return Verdict::Stop(RetryStop::RetryAfter {
                wait,
                cap: self.settings.retry_after_cap,
            });
        }
        if !self.budget.withdraw() {
            return Verdict::Stop(RetryStop::Budget);
        }
        self.retries += 1;
        Verdict::Retry { after: retry_after }
    }

    /// The attempts made so far, the first one included.
    pub(crate) fn attempts(&self) -> u32 {
        self.retries.saturating_add(1)
    }

    /// The timer before the next retry: the server's `Retry-After`, or the next backoff.
    /// Must be called within a tokio runtime's context (tokio's timers need one).
    pub(crate) fn wait(&mut self, after: Option<Duration>) -> tokio::time::Sleep {
        match after {
            Some(after) => tokio::time::sleep(after),
            None => self.backoff.next_backoff(),
        }
    }
}

impl Default for RetryPolicy {
    /// The defaults listed on [`RetryPolicy`].
    fn default() -> RetryPolicy {
        match RetryPolicyBuilder::default().build() {
            Ok(policy) => policy,
            // The defaults are constants that `build` accepts (a unit test builds them); no
            // input reaches this.
            Err(e) => unreachable!("the default retry policy is valid: {e}"),
        }
    }
}

impl Clone for RetryPolicy {
    /// The same policy and budget, for a new request.
    fn clone(&self) -> RetryPolicy {
        RetryPolicy {
            settings: self.settings.clone(),
            budget: self.budget.clone(),
            retries: 0,
            backoff: self.settings.backoff.clone().make_backoff(),
        }
    }
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ttl, min_per_sec, retry_percent) = self.settings.budget;
        f.debug_struct("RetryPolicy")
            .field("max_retries", &self.settings.max_retries)
            .field("retry_after_cap", &self.settings.retry_after_cap)
            .field("attempt_timeout", &self.settings.attempt_timeout)
            .field("backoff", &self.settings.backoff)
            .field("budget_ttl", &ttl)
            .field("budget_min_per_sec", &min_per_sec)
            .field("budget_retry_percent", &retry_percent)
            .field("budget", &self.budget)
            .field("retries", &self.retries)
            .finish()
    }
}

/// Builds a [`RetryPolicy`]; every setting starts at the default listed there.
///
/// ```
/// use std::time::Duration;
/// use paginated::http::RetryPolicy;
///
/// let policy = RetryPolicy::builder()
///     .max_retries(5)
///     .backoff(Duration::from_millis(50), Duration::from_secs(2))
///     .retry_after_cap(Duration::from_secs(60))
///     .build()?;
/// assert_eq!(policy.max_retries(), 5);
///
/// // A budget tower cannot keep (its window is 1 to 60 s) is refused, not a panic.
/// let refused = RetryPolicy::builder().budget(Duration::from_secs(120), 10, 0.2).build();
/// assert!(refused.unwrap_err().to_string().contains("120s"));
/// # Ok::<(), paginated::http::InvalidRetryPolicy>(())
/// ```
#[derive(Debug, Clone)]
pub struct RetryPolicyBuilder {
    max_retries: u32,
    backoff_min: Duration,
    backoff_max: Duration,
    jitter: f64,
    retry_after_cap: Duration,
    attempt_timeout: Duration,
    budget_ttl: Duration,
    budget_min_per_sec: u32,
    budget_retry_percent: f32,
}

impl Default for RetryPolicyBuilder {
    fn default() -> RetryPolicyBuilder {
        RetryPolicyBuilder {
            max_retries: 3,
            backoff_min: Duration::from_millis(100),
            backoff_max: Duration::from_secs(10),
            jitter: 0.5,
            retry_after_cap: Duration::from_secs(30),
            attempt_timeout: Duration::from_secs(30),
            // tower's own default budget.
            budget_ttl: Duration::from_secs(10),
            budget_min_per_sec: 10,
            budget_retry_percent: 0.2,
        }
    }
}

impl RetryPolicyBuilder {
    /// The most retries a request gets after its first attempt (default 3); 0 turns retries
    /// off while keeping the attempt timeout and the body read inside the layer.
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The backoff before the first retry (`min`, default 100 ms), doubled for each retry
    /// after it up to `max` (default 10 s), with jitter added.
    #[must_use]
    pub fn backoff(mut self, min: Duration, max: Duration) -> Self {
        self.backoff_min = min;
        self.backoff_max = max;
        self
    }

    /// The largest share of a backoff added at random to it (default 0.5: up to 50% more), so
    /// clients that failed together do not retry together. 0 turns jitter off.
    #[must_use]
    pub fn jitter(mut self, ratio: f64) -> Self {
        self.jitter = ratio;
        self
    }

    /// The longest `Retry-After` waited for (default 30 s). A server asking for more ends the
    /// retries with [`RetryStop::RetryAfter`], which says how long it asked for.
    #[must_use]
    pub fn retry_after_cap(mut self, cap: Duration) -> Self {
        self.retry_after_cap = cap;
        self
    }

    /// Each attempt's time limit, from sending the request to the body's last byte (default
    /// 30 s); an attempt that runs out is a failure the policy retries.
    #[must_use]
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// The retry budget, tower's `TpsBudget`: at most `min_per_sec` retries a second, plus
    /// `retry_percent` of the requests sent within the last `ttl` (1 to 60 s), retried. The
    /// default is tower's: 10 s, 10 a second, 0.2.
    #[must_use]
    pub fn budget(mut self, ttl: Duration, min_per_sec: u32, retry_percent: f32) -> Self {
        self.budget_ttl = ttl;
        self.budget_min_per_sec = min_per_sec;
        self.budget_retry_percent = retry_percent;
        self
    }

    /// The policy, once every setting is checked.
    pub fn build(self) -> Result<RetryPolicy, InvalidRetryPolicy> {
        let backoff = ExponentialBackoffMaker::new(
            self.backoff_min,
            self.backoff_max,
            self.jitter,
            Reseeded(HasherRng::default()),
        )
        .map_err(|e| InvalidRetryPolicy::Backoff {
            min: self.backoff_min,
            max: self.backoff_max,
            jitter: self.jitter,
            reason: e.to_string(),
        })?;
        // `TpsBudget::new` asserts these; they are checked here so that a bad value is an
        // error naming it, never a panic.
        let budget_problem =
            if !(Duration::from_secs(1)..=Duration::from_secs(60)).contains(&self.budget_ttl) {
                Some("the window (ttl) must be from 1 s to 60 s")
            } else if !(0.0..=1000.0).contains(&self.budget_retry_percent) {
                Some("retry_percent must be a number from 0 to 1000")
            } else if self.budget_min_per_sec >= i32::MAX as u32 {
                // tower asserts `min_per_sec < i32::MAX`.
                Some("min_per_sec must be below 2^31 - 1")
            } else {
                None
            };
        if let Some(reason) = budget_problem {
            return Err(InvalidRetryPolicy::Budget {
                ttl: self.budget_ttl,
                min_per_sec: self.budget_min_per_sec,
                retry_percent: self.budget_retry_percent,
                reason,
            });
        }
        if self.attempt_timeout.is_zero() {
            return Err(InvalidRetryPolicy::AttemptTimeout);
        }
        let settings = Settings {
            max_retries: self.max_retries,
            retry_after_cap: self.retry_after_cap,
            attempt_timeout: self.attempt_timeout,
            backoff,
            backoff_max: self.backoff_max,
            budget: (
                self.budget_ttl,
                self.budget_min_per_sec,
                self.budget_retry_percent,
            ),
        };
        let budget = TpsBudget::new(
            self.budget_ttl,
            self.budget_min_per_sec,
            self.budget_retry_percent,
        );
        Ok(RetryPolicy {
            backoff: settings.backoff.clone().make_backoff(),
            settings: Arc::new(settings),
            budget: Arc::new(budget),
            retries: 0,
        })
    }
}

/// What an attempt got, as the policy judges it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome<'a> {
    /// A response, its body read in full.
    Answered {
        status: StatusCode,
        headers: &'a HeaderMap,
    },
    /// No response, or a body that could not be read to its end.
    Failed,
}

/// What to do after an attempt.
#[derive(Debug)]
pub(crate) enum Verdict {
    /// Hand the outcome to the transport: a success, or a failure no retry cures.
    Accept,
    /// Retry, after the server's `Retry-After` or else the backoff.
    Retry { after: Option<Duration> },
    /// A failure a retry might cure, but retries stop here.
    Stop(RetryStop),
}

/// Whether a failure with no response is one a retry may cure: no connection, a reset, a
/// body cut short, a timeout (the attempt's, tower's `Elapsed`, or the client's). A request
/// reqwest could not build, a redirect loop, or an error of another layer (a rate limit's, a
/// buffer's) is not retried: sending the same request again gives the same answer.
pub(crate) fn transient(error: &(dyn std::error::Error + 'static)) -> bool {
    if error.is::<tower::timeout::error::Elapsed>() {
        return true;
    }
    match error.downcast_ref::<reqwest::Error>() {
        Some(error) => !error.is_builder() && !error.is_redirect(),
        None => false,
    }
}

/// The statuses a retry may cure, as [`HttpError::is_retryable`](super::HttpError::is_retryable)
/// says: every `5xx`, and `429`; no other `4xx`.
fn retryable_status(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS
}

/// The wait a `Retry-After` header asks for (RFC 9110, section 10.2.3): delta-seconds, or an HTTP
/// date (a date past asks for nothing: the backoff is used). A value that is neither is
/// ignored, and the backoff used.
/// Seconds too many for a `Duration` are the longest one, which any cap refuses.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            text.parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let at = httpdate::parse_http_date(text).ok()?;
    // A date already past (a server whose clock is behind) asks for no particular wait: the
    // backoff is used, rather than retrying at once.
    at.duration_since(now).ok().filter(|wait| !wait.is_zero())
}

/// tower's `HasherRng`, seeded anew when cloned. tower's backoff clones its generator for each
/// request's backoff, and a plain clone would replay the same jitter on every request, which
/// is what jitter is there to avoid.
#[derive(Debug)]
struct Reseeded(HasherRng);

impl Clone for Reseeded {
    fn clone(&self) -> Reseeded {
        Reseeded(HasherRng::new())
    }
}

impl Rng for Reseeded {
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
}

#[cfg(test)]
mod tests;
