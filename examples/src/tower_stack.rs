//! paginate's ready async transport inside a `tower` stack: paginate's ready retry policy
//! (`paginated::http::RetryPolicy`, feature `retry`: tower's retry, jittered backoff, budget
//! and timeout with HTTP's rules) and a rate limit that paces the pages. The transport only
//! sees a service that turns a `reqwest::Request` into a `reqwest::Response`.
//!
//! The embedded API is started with faults injected (every 4th request answered `503`, one
//! request held for a second), so the retries show; the users listed are then compared with
//! the server's own data. Last, the same stack against a server that has stopped: the retries
//! run out and the error says why they stopped. Run it with
//! `cargo run -p paginate-examples --bin tower-stack`.

use std::error::Error as StdError;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use paginate_examples::api::{Faults, Server};
use paginate_examples::{ListUsers, User};
use paginated::Paginated as _;
use paginated::http::{HttpError, HttpTransport, RetryPolicy};
use tower::ServiceBuilder;

type BoxError = Box<dyn StdError + Send + Sync>;

/// Retries per request, after the first attempt.
const RETRIES: u32 = 3;
/// Each attempt's time limit, the body included.
const TIMEOUT: Duration = Duration::from_millis(300);
/// One request per this much time, at most.
const PACE: Duration = Duration::from_millis(150);
const PAGE_SIZE: u64 = 300;

/// `GET /v1/users?limit=300&next_token=b2Zmc2V0OjMwMA`, for a log line.
fn shown(url: &reqwest::Url) -> String {
    let query = url.query().map_or(String::new(), |q| format!("?{q}"));
    format!("GET {}{query}", url.path())
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
/// - paginate's ready retry policy: 5xx, 429 and no response at all retried, `RETRIES` times
///   at most, after tower's jittered exponential backoff or the server's `Retry-After`, each
///   attempt (its body included) limited to `TIMEOUT`;
/// - `map_result`: prints the answer to every attempt, and counts the attempts;
/// - the `reqwest::Client` that sends.
fn transport(
    base_url: &str,
    attempts: Arc<AtomicU32>,
) -> Result<HttpTransport<impl Stack + use<>>, BoxError> {
    let retry = RetryPolicy::builder()
        .max_retries(RETRIES)
        .backoff(Duration::from_millis(50), Duration::from_secs(1))
        .attempt_timeout(TIMEOUT)
        .build()?;
    let stack = ServiceBuilder::new()
        .buffer(16)
        .rate_limit(1, PACE)
        .layer(retry.layer())
        .map_result(move |result: Result<reqwest::Response, reqwest::Error>| {
            attempts.fetch_add(1, Ordering::Relaxed);
            match &result {
                Ok(response) if !response.status().is_success() => {
                    println!("   {} → HTTP {}", shown(response.url()), response.status());
                }
                Ok(_) => {}
                Err(e) => println!(
                    "   {} → {}",
                    e.url().map_or("a request".into(), shown),
                    innermost(e)
                ),
            }
            result
        })
        .service(reqwest::Client::builder().build()?);
    Ok(HttpTransport::with_service(stack, base_url)?)
}

/// The last error of a chain of sources: `Connection refused (os error 111)`.
fn innermost(error: &(dyn StdError + 'static)) -> String {
    let mut last = error;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
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
        "Stack: buffer → rate limit (1 per {} ms) → RetryPolicy ({RETRIES} retries at most, backoff from 50 ms, {} ms per attempt) → reqwest",
        PACE.as_millis(),
        TIMEOUT.as_millis()
    );

    println!("\n1. Every user, {PAGE_SIZE} per page, through the faults");
    let attempts = Arc::new(AtomicU32::new(0));
    let api = transport(&server.base_url(), attempts.clone())?;
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
        "   {} requests for {count} pages ({} attempts answered; one that timed out never is), {:.2} s; the pacing alone takes at least {:.2} s",
        server.requests(),
        attempts.load(Ordering::Relaxed),
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
