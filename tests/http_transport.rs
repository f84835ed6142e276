//! End-to-end evidence for the ready HTTP transports (feature `http` of this package): models
//! built in code with a route, run through `BlockingHttpTransport` and `HttpTransport` (bare,
//! and inside `tower` layers) against an embedded axum server, and checked from what the
//! server received. The `tracing` instrumentation is checked here too, on the same runs.
//!
//! - `listing`: GET with a query, POST with a JSON body, path placeholders that need
//!   encoding, every item against the server's data, page sizes and resume tokens, the
//!   headers hook;
//! - `errors`: error statuses, bodies that are not JSON and refused connections, as typed
//!   `HttpError`s under `Error::Transport`;
//! - `layers`: retries, rate limits and timeouts from `tower`, and retries for the blocking
//!   transport;
//! - `retry`: the ready `RetryPolicy`, async (its `tower` layer) and blocking: what is
//!   retried and what never is, `Retry-After` spacing, the attempt limit, the budget, and the
//!   typed error saying why retries stopped;
//! - `styles`: pagination styles (SEMANTICS §8) end to end: `Link` headers over bare arrays,
//!   relative next URLs, re-sent params, cursors in headers, and the origin check on every
//!   next URL (P2), from a page or a resume token, with rebasing opt-in;
//! - `mistakes`: pages of the wrong shape and key typos, named with their request, and the
//!   blocking transport on an async runtime's thread;
//! - `traces`: the `paginate.run` span and its page events;
//! - `lookahead`: async lookahead spawned on tokio, sending while the consumer holds a page,
//!   over new connections.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "http/errors.rs"]
mod errors;
#[path = "http/layers.rs"]
mod layers;
#[path = "http/listing.rs"]
mod listing;
#[path = "http/lookahead.rs"]
mod lookahead;
#[path = "http/mistakes.rs"]
mod mistakes;
#[path = "http/retry.rs"]
mod retry;
#[path = "http/server.rs"]
mod server;
#[path = "http/styles.rs"]
mod styles;
#[path = "http/traces.rs"]
mod traces;

use paginated::http::{BlockingHttpTransport, HttpTransport};
use paginated::{Error, Model, PaginationConfig, blocking, nonblocking};
use serde_json::{Value, json};

use server::{BUCKET, Server, bucket_keys, users};

/// S3-style `ListObjects`: the bucket in the path, the rest in the query.
fn objects_model() -> Model {
    Model::builder("ListObjects")
        .route("GET /buckets/{Bucket}/objects")
        .input_token("marker")
        .output_token("next_marker")
        .more_results("is_truncated")
        .limit_key("max-keys")
        .result_key("contents")
        .build()
        .unwrap()
}

/// The params of a listing of the bucket's photos.
fn photos_params() -> Value {
    json!({"Bucket": BUCKET, "prefix": "photos/"})
}

/// What a listing of the photos must give: the server's data, as the server writes it.
fn expected_photos() -> Vec<Value> {
    bucket_keys()
        .into_iter()
        .filter(|k| k.starts_with("photos/"))
        .map(|k| json!({"key": k, "size": k.len()}))
        .collect()
}

/// `BUCKET` as one percent-encoded path segment.
const BUCKET_IN_PATH: &str = "/buckets/a%2Fb%20c%20%C3%BC/objects";

/// A search with every param in a JSON body.
fn search_model() -> Model {
    Model::builder("SearchUsers")
        .route("POST /v1/users/search")
        .input_token("cursor")
        .output_token("next_cursor")
        .limit_key("limit")
        .result_key("users")
        .build()
        .unwrap()
}

/// The users of a team, as the server has them.
fn expected_users(team: &str) -> Vec<Value> {
    users().into_iter().filter(|u| u["team"] == team).collect()
}

fn blocking(server: &Server) -> BlockingHttpTransport {
    BlockingHttpTransport::new(reqwest::blocking::Client::new(), &server.base_url()).unwrap()
}

fn client(server: &Server) -> HttpTransport {
    HttpTransport::new(reqwest::Client::new(), &server.base_url()).unwrap()
}

/// Runs `future` on a runtime of its own (with timers, for the `tower` layers).
fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// What an item run gave: the items, the error that ended it, and its final resume token.
#[derive(Debug)]
struct Listed {
    items: Vec<Value>,
    error: Option<Error>,
    resume_token: Option<String>,
}

/// The items of a run over a blocking transport.
fn items_blocking<T: blocking::Transport>(
    api: &T,
    model: &Model,
    params: Value,
    config: PaginationConfig,
) -> Listed {
    let mut run = model.paginate(api, params).config(config).items();
    let mut items = Vec::new();
    let mut error = None;
    for item in &mut run {
        match item {
            Ok(item) => items.push(item),
            Err(e) => error = Some(e),
        }
    }
    Listed {
        items,
        error,
        resume_token: run.resume_token(),
    }
}

/// The items of a run over an async transport.
async fn items_async<T: nonblocking::Transport + Sync>(
    api: &T,
    model: &Model,
    params: Value,
    config: PaginationConfig,
) -> Listed {
    listed_async(model.paginate_async(api, params).config(config).items()).await
}

/// Everything an async run of items gives, to its end or its error.
async fn listed_async<'a, H>(mut run: nonblocking::Items<'a, H>) -> Listed
where
    H: std::ops::Deref + Clone + Send + 'a,
    H::Target: nonblocking::Transport,
{
    let mut items = Vec::new();
    let mut error = None;
    while let Some(item) = run.next().await {
        match item {
            Ok(item) => items.push(item),
            Err(e) => error = Some(e),
        }
    }
    Listed {
        items,
        error,
        resume_token: run.resume_token(),
    }
}

/// The transport's own error under an [`Error::Transport`], with the page it names.
fn http_error(error: &Error) -> (u64, &paginated::http::HttpError) {
    let Error::Transport { page, .. } = error else {
        panic!("not a transport error: {error}");
    };
    let source = std::error::Error::source(error).expect("a transport error has a source");
    let http = source
        .downcast_ref::<paginated::http::HttpError>()
        .unwrap_or_else(|| panic!("the source is not an HttpError: {source}"));
    (page.in_run(), http)
}
