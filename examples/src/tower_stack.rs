//! paginate's ready async transport inside a `tower` stack: retries with jittered exponential
//! backoff, a timeout on each attempt, and a rate limit that paces the pages. Nothing here is
//! paginate's own middleware: the layers are tower's, and paginate only sees a service that
//! turns a `reqwest::Request` into a `reqwest::Response`.
//!
//! The embedded API is started with faults injected (every 4th request answered `503`, one
//! request held for a second), so the retries show; the users listed are then compared with
//! the server's own data. Last, the same stack against a server that has stopped: the retries
//! run out and the error says why. Run it with
//! `cargo run -p paginate-examples --bin tower-stack`.

use std::error::Error as StdError;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use paginate_examples::api::{Faults, Server};
use paginate_examples::{ListUsers, User};
use paginated::Paginated as _;
use paginated::http::{HttpError, HttpTransport};
use tower::ServiceBuilder;
use tower::retry::Policy;
use tower::retry::backoff::{Backoff, ExponentialBackoff, ExponentialBackoffMaker, MakeBackoff};
use tower::util::rng::{HasherRng, Rng};

type BoxError = Box<dyn StdError + Send + Sync>;

/// Retries per request, after the first attempt.
const RETRIES: u32 = 3;
/// Each attempt's time limit.
const TIMEOUT: Duration = Duration::from_millis(300);
/// One request per this much time, at most.
const PACE: Duration = Duration::from_millis(150);
const PAGE_SIZE: u64 = 300;

/// Retries what a retry may cure, the rule of [`HttpError::is_retryable`] one layer down,
/// where the answer is still a `reqwest::Response`: no response at all (connection refused
/// or reset, the timeout below it), `429 Too Many Requests` and `5xx`. Each request gets
/// `RETRIES` retries at most, after a jittered exponential backoff.
///
/// `Retry` clones the policy for every request, so the budget and the backoff start afresh
/// for each page; the retry counter is shared, to report on the run.
#[derive(Debug, Clone)]
struct RetryTransient {
    retries_left: u32,
    backoff: ExponentialBackoff<Reseeded>,
    retried: Arc<AtomicU32>,
}

impl RetryTransient {
    fn new(retries: u32, retried: Arc<AtomicU32>) -> Result<RetryTransient, BoxError> {
        let mut maker = ExponentialBackoffMaker::new(
            Duration::from_millis(50),
            Duration::from_secs(1),
            0.5,
            Reseeded(HasherRng::new()),
        )?;
        Ok(RetryTransient {
            retries_left: retries,
            backoff: maker.make_backoff(),
            retried,
        })
    }
}

impl Policy<reqwest::Request, reqwest::Response, BoxError> for RetryTransient {
    type Future = <ExponentialBackoff<Reseeded> as Backoff>::Future;

    fn retry(
        &mut self,
        request: &mut reqwest::Request,
        result: &mut Result<reqwest::Response, BoxError>,
    ) -> Option<Self::Future> {
        let why = match result {
            Ok(response) => {
                let status = response.status();
                if !(status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS) {
                    return None;
                }
                format!("HTTP {status}")
            }
            Err(e) if e.is::<tower::timeout::error::Elapsed>() => {
                format!("no answer within {} ms", TIMEOUT.as_millis())
            }
            // reqwest's own message names the URL; the innermost cause says what happened.
            Err(e) => innermost(e.as_ref()),
        };
        if self.retries_left == 0 {
            println!("   {}: {why}; no retries left", shown(request));
            return None;
        }
        self.retries_left -= 1;
        let attempt = RETRIES - self.retries_left;
        self.retried.fetch_add(1, Ordering::Relaxed);
        let wait = self.backoff.next_backoff();
        let millis = wait
            .deadline()
            .saturating_duration_since(tokio::time::Instant::now())
            .as_millis();
        println!(
            "   {}: {why}; retry {attempt} of {RETRIES} in {millis} ms",
            shown(request)
        );
        Some(wait)
    }

    fn clone_request(&mut self, request: &reqwest::Request) -> Option<reqwest::Request> {
        // The transport's bodies are bytes in memory, so every request can be cloned.
        request.try_clone()
    }
}

/// tower's `HasherRng`, with a new seed when cloned. tower clones the policy, and the
/// generator in its backoff, for every request; a plain clone would replay the same jitter on
/// every page, which is what jitter is there to avoid.
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

/// `GET /v1/users?limit=300&next_token=b2Zmc2V0OjMwMA`, for a log line.
fn shown(request: &reqwest::Request) -> String {
    let url = request.url();
    let query = url.query().map_or(String::new(), |q| format!("?{q}"));
    format!("{} {}{query}", request.method(), url.path())
}

/// The last error of a chain of sources: `Connection refused (os error 111)`.
fn innermost(error: &(dyn StdError + 'static)) -> String {
    let mut last = error;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

/// What [`transport`] builds: a service that sends a request (the concrete type is a long
/// nest of tower's types, better left unnamed).
trait Stack:
    tower::Service<reqwest::Request, Response = reqwest::Response, Error = BoxError, Future: Send>
    + Clone
    + Send
    + Sync
{
}

impl<S> Stack for S where
    S: tower::Service<
            reqwest::Request,
            Response = reqwest::Response,
            Error = BoxError,
            Future: Send,
        > + Clone
        + Send
        + Sync
{
}

/// The transport over the stack, outermost layer first:
///
/// - `buffer`: makes the stack `Clone` (the transport clones its service for each request,
///   and `RateLimit` cannot be cloned), by running it on a task of its own;
/// - `rate_limit`: one request per `PACE`, so the pages are paced; retries, inside it, are
///   paced by their backoff instead;
/// - `retry`: the policy above;
/// - `timeout`: on each attempt, so a slow answer is retried rather than waited for;
/// - the `reqwest::Client` that sends.
fn transport(
    base_url: &str,
    retried: Arc<AtomicU32>,
) -> Result<HttpTransport<impl Stack + use<>>, BoxError> {
    let stack = ServiceBuilder::new()
        .buffer(16)
        .rate_limit(1, PACE)
        .retry(RetryTransient::new(RETRIES, retried)?)
        .timeout(TIMEOUT)
        .service(reqwest::Client::builder().build()?);
    Ok(HttpTransport::with_service(stack, base_url)?)
}

async fn run() -> Result<(), BoxError> {
    let faults = Faults::default()
        .unavailable_every(4)
        .slow_request(6, Duration::from_secs(1));
    let server = Server::start_with(faults).await?;
    println!(
        "Example API at {}, answering every 4th request with 503 and holding the 6th for 1 s",
        server.base_url()
    );
    println!(
        "Stack: buffer → rate limit (1 per {} ms) → retry ({RETRIES} at most, backoff from 50 ms) → timeout ({} ms) → reqwest",
        PACE.as_millis(),
        TIMEOUT.as_millis()
    );

    println!("\n1. Every user, {PAGE_SIZE} per page, through the faults");
    let retried = Arc::new(AtomicU32::new(0));
    let api = transport(&server.base_url(), retried.clone())?;
    let started = Instant::now();
    let mut pages = ListUsers::default()
        .paginate_async(&api)
        .page_size(PAGE_SIZE);
    let (mut users, mut count): (Vec<User>, u64) = (Vec::new(), 0);
    while let Some(page) = pages.next().await {
        users.extend(page?.users);
        count += 1;
    }
    let elapsed = started.elapsed();
    let same = users == server.data().users;
    println!(
        "   {} users in {count} pages: {}",
        thousands(users.len()),
        if same {
            "the server's users, in order, none twice"
        } else {
            "NOT the server's users"
        }
    );
    println!(
        "   {} requests for {count} pages ({} retried), {:.2} s; the pacing alone takes at least {:.2} s",
        server.requests(),
        retried.load(Ordering::Relaxed),
        elapsed.as_secs_f64(),
        (PACE * u32::try_from(count.saturating_sub(1)).unwrap_or(u32::MAX)).as_secs_f64(),
    );
    if !same {
        return Err("the listing differs from the server's data".into());
    }

    println!("\n2. The same stack once the server has stopped");
    let base_url = server.base_url();
    server.stop().await?;
    let api = transport(&base_url, Arc::new(AtomicU32::new(0)))?;
    let mut pages = ListUsers::default().paginate_async(&api);
    match pages.next().await {
        Some(Err(error)) => {
            println!("   paginate's error: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                println!("     caused by: {cause}");
                if let Some(http) = cause.downcast_ref::<HttpError>() {
                    println!("     (an HttpError; is_retryable: {})", http.is_retryable());
                }
                source = cause.source();
            }
        }
        Some(Ok(_)) => return Err("a stopped server answered".into()),
        None => return Err("the run ended without a page or an error".into()),
    }
    Ok(())
}

/// `3000` as `3,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start a tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = e.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}
