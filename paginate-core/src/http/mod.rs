//! Ready HTTP transports, behind the `http` feature (and `http-blocking` for the blocking
//! one): the model's [`route`](crate::Model::route) is the whole routing, so a request struct
//! with `#[paginate(route = "GET /v1/orders", …)]` needs no transport code at all.
//!
//! For each page the transport fills the route's `{placeholders}` from the params (each value
//! percent-encoded as one path segment), sends the remaining params as the query string (GET,
//! DELETE) or as a JSON body (POST, PUT, PATCH), and reads the answer: a success status with a
//! JSON body is the page; anything else is an [`HttpError`] naming the operation, the method,
//! the URL and the status, with the start of the body.
//!
//! - [`HttpTransport`] is async, over a `reqwest::Client` you build (TLS, proxies, default
//!   headers and timeouts stay your choice), or over any `tower` service that sends a
//!   `reqwest::Request`: compose retries, timeouts, rate limits and concurrency limits from
//!   `tower` layers around the client ([`HttpTransport::with_service`]).
//! - [`BlockingHttpTransport`] (feature `http-blocking`) is the same over
//!   `reqwest::blocking::Client`. `tower` layers are async, so they do not apply to it: a
//!   blocking program that wants retries either runs the async transport, layers and all, on
//!   a small runtime (`tokio::runtime::Runtime::block_on` around
//!   [`PageStream::next`](crate::PageStream::next)), or wraps the blocking transport in a
//!   [`Transport`](crate::Transport) of its own that retries [`HttpError::is_retryable`]
//!   failures with a retry crate such as `backoff`.
//!
//! A retried request is the same page request sent again, so a run keeps its position through
//! retries: nothing is lost and nothing repeated.
//!
//! ```no_run
//! # #[cfg(feature = "http")] async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use paginate_core::Paginated;
//! use paginate_core::http::HttpTransport;
//!
//! #[derive(serde::Serialize, Paginated)]
//! #[paginate(route = "GET /v1/orders", input_token = "cursor", output_token = "next_cursor",
//!            result_key = "orders")]
//! struct ListOrders {
//!     #[serde(skip_serializing_if = "Option::is_none")]
//!     cursor: Option<String>,
//!     status: String,
//! }
//!
//! let api = HttpTransport::new(reqwest::Client::new(), "https://api.example.com")?
//!     .headers(|_request, headers| {
//!         headers.insert("authorization", "Bearer secret".parse().expect("a valid header"));
//!     });
//! let orders = ListOrders { cursor: None, status: "open".into() }
//!     .paginate_async(&api)
//!     .items()
//!     .try_collect()
//!     .await?;
//! # Ok(()) }
//! ```

mod request;

#[cfg(feature = "http-blocking")]
mod blocking;
mod client;

#[cfg(feature = "http-blocking")]
pub use blocking::BlockingHttpTransport;
pub use client::HttpTransport;

use std::fmt;

use crate::error::BoxError;
use crate::route::{Method, RenderError};

/// Adds headers to each request, e.g. an auth token that can change between pages.
pub type HeadersHook =
    dyn Fn(&crate::PageRequest<'_>, &mut reqwest::header::HeaderMap) + Send + Sync;

/// Why a ready HTTP transport could not get a page. Every variant names the operation; those
/// about a request sent name its method and URL too.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The base URL given to the transport cannot hold paths.
    #[error("invalid base URL {url:?}: {reason}")]
    BaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The model has no route, so the transport does not know where to send the request.
    #[error(
        "{operation}: the model has no HTTP route; declare one with `#[paginate(route = \"GET /path\")]` or `Model::builder(..).route(..)`"
    )]
    NoRoute {
        /// The operation.
        operation: String,
    },

    /// The route could not be filled from the page's params.
    #[error("{operation}: {source}")]
    Route {
        /// The operation.
        operation: String,
        /// Which placeholder, and why.
        #[source]
        source: RenderError,
    },

    /// A param cannot be written where the route's method puts it (an object in a query
    /// string).
    #[error("{operation}: {method} {url}: param `{name}` {problem}")]
    Param {
        /// The operation.
        operation: String,
        /// The route's method.
        method: Method,
        /// The URL without the query.
        url: String,
        /// The param.
        name: String,
        /// What is wrong with it.
        problem: &'static str,
    },

    /// The request got no response: connection refused or reset, a timeout, or an error of a
    /// `tower` layer around the client.
    #[error("{operation}: {method} {url} failed")]
    Request {
        /// The operation.
        operation: String,
        /// The method.
        method: Method,
        /// The full URL.
        url: String,
        /// The client's or the layer's error.
        #[source]
        source: BoxError,
    },

    /// The server answered with a status that is not a success.
    #[error("{operation}: {method} {url} returned HTTP {status}: {body}")]
    Status {
        /// The operation.
        operation: String,
        /// The method.
        method: Method,
        /// The full URL.
        url: String,
        /// The status.
        status: reqwest::StatusCode,
        /// The start of the body (at most 500 characters).
        body: String,
    },

    /// The server answered with a success status, but the body is not a JSON document.
    #[error(
        "{operation}: {method} {url} returned HTTP {status} with a body that is not JSON: {body}"
    )]
    NotJson {
        /// The operation.
        operation: String,
        /// The method.
        method: Method,
        /// The full URL.
        url: String,
        /// The status.
        status: reqwest::StatusCode,
        /// The start of the body (at most 500 characters).
        body: String,
        /// The JSON parser's error.
        #[source]
        source: serde_json::Error,
    },
}

impl HttpError {
    /// The HTTP status of a response that was refused ([`HttpError::Status`],
    /// [`HttpError::NotJson`]).
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            HttpError::Status { status, .. } | HttpError::NotJson { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// True for failures that a retry of the same request may cure: no response at all, a
    /// 429, or a 5xx status. Requests that were wrong (4xx, no route, bad params) are not.
    pub fn is_retryable(&self) -> bool {
        match self {
            HttpError::Request { .. } => true,
            HttpError::Status { status, .. } => {
                status.is_server_error() || *status == reqwest::StatusCode::TOO_MANY_REQUESTS
            }
            _ => false,
        }
    }
}

/// Hooks are closures; show only that one is set.
struct HookSlot(Option<std::sync::Arc<HeadersHook>>);

impl fmt::Debug for HookSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "Some(..)" } else { "None" })
    }
}

impl Clone for HookSlot {
    fn clone(&self) -> HookSlot {
        HookSlot(self.0.clone())
    }
}
