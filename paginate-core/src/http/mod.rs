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
//! A request that continues a listing by URL (a model with `next_url`, such as
//! `link('next')`, SEMANTICS P2) goes to that URL instead, with the route's method and its
//! params (the re-sent ones and the page size, P3) set as query parameters over the URL's
//! own. The URL came from a page or a resume token, so it is first admitted by the
//! transport's [`Origin`](crate::Origin): same scheme, host and port as the base URL, no
//! credentials in it, a path under the base path. Anything else is
//! [`HttpError::ForeignUrl`] and no request goes out; a server behind a proxy that writes
//! its links with its own scheme or host is followed with
//! [`rebase_urls(true)`](HttpTransport::rebase_urls). The check is on the URL the transport
//! sends; a redirect the server answers with is followed, or not, as the client's
//! `reqwest::redirect::Policy` says, and the page's URL is then the one redirected to, so a
//! relative next URL resolved against it is checked again. Request headers the model sets (an
//! `input_token` written `header('Name')`, P11) go with every request, and every reply
//! carries the response's status, headers and final URL, which `header('…')` and
//! `link('…')` sources and relative next URLs read.
//!
//! The body goes to the run unparsed ([`Content::Body`](crate::Content::Body), SEMANTICS G8): typed
//! pages, items and full results are deserialized straight from its text, and no
//! `serde_json::Value` of the page is built. A success body that does not start as a JSON
//! object is parsed here, so an HTML error page is [`HttpError::NotJson`] with its URL; one that
//! starts as an object but is broken is [`Error::PageNotJson`](crate::Error::PageNotJson), naming
//! the page. With a [`decode_with`](HttpTransport::decode_with) hook the hook's JSON is the page.
//!
//! - [`HttpTransport`] is async, over a `reqwest::Client` you build (TLS, proxies, default
//!   headers and timeouts stay your choice), or over any `tower` service that sends a
//!   `reqwest::Request`: compose retries, timeouts, rate limits and concurrency limits from
//!   `tower` layers around the client ([`HttpTransport::with_service`]).
//! - [`BlockingHttpTransport`] (feature `http-blocking`) is the same over
//!   `reqwest::blocking::Client`. `tower` layers are async, so they do not apply to it.
//!
//! Retries come ready with the feature `retry`: `RetryPolicy` retries what
//! [`HttpError::is_retryable`] says a retry may cure, honours `Retry-After`, backs off with
//! jitter and draws on a retry budget. Its `layer()` goes in the async transport's `tower`
//! stack; the blocking transport takes it with `retry(policy)` and applies the same decisions
//! around each exchange. Without the feature, compose tower's `retry` layer with a policy of
//! your own, or wrap the blocking transport in a [`Transport`](crate::blocking::Transport) of
//! your own that retries [`HttpError::is_retryable`] failures.
//!
//! A retried request is the same page request sent again, so a run keeps its position through
//! retries: nothing is lost and nothing repeated.
//!
//! ```no_run
//! # #[cfg(feature = "http")] async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use paginated::Paginated;
//! use paginated::http::HttpTransport;
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
#[cfg(feature = "retry")]
mod retry;

#[cfg(feature = "http-blocking")]
pub use blocking::BlockingHttpTransport;
pub use client::HttpTransport;
#[cfg(feature = "retry")]
#[cfg_attr(docsrs, doc(cfg(feature = "retry")))]
pub use retry::{
    InvalidRetryPolicy, LastAttempt, ReadBody, RetryError, RetryLayer, RetryPolicy,
    RetryPolicyBuilder, RetryStop,
};

use std::fmt;

use crate::error::BoxError;
use crate::route::{Method, RenderError};

/// Changes each request before it is sent: adds headers, signs it, renames query params.
pub type RequestHook =
    dyn Fn(&crate::PageRequest<'_>, &mut HttpRequest) -> Result<(), BoxError> + Send + Sync;

/// Turns the body of a success response into the page, for APIs that do not answer JSON.
pub type DecodeHook = dyn Fn(&crate::PageRequest<'_>, &HttpResponse<'_>) -> Result<serde_json::Value, BoxError>
    + Send
    + Sync;

/// An HTTP request a ready transport is about to send, as an
/// [`on_request`](HttpTransport::on_request) hook sees it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The route's method.
    pub method: Method,
    /// The full URL, query included.
    pub url: reqwest::Url,
    /// The headers; `content-type: application/json` when there is a body.
    pub headers: reqwest::header::HeaderMap,
    /// The JSON body of a POST, PUT or PATCH; `None` for GET and DELETE.
    pub body: Option<Vec<u8>>,
}

impl HttpRequest {
    /// A request with no headers and no body, for testing a hook.
    pub fn new(method: Method, url: reqwest::Url) -> HttpRequest {
        HttpRequest {
            method,
            url,
            headers: reqwest::header::HeaderMap::new(),
            body: None,
        }
    }
}

/// A response with a success status, as a [`decode_with`](HttpTransport::decode_with) hook
/// sees it.
#[derive(Debug)]
#[non_exhaustive]
pub struct HttpResponse<'a> {
    /// The status.
    pub status: reqwest::StatusCode,
    /// The headers.
    pub headers: &'a reqwest::header::HeaderMap,
    /// The body.
    pub body: &'a [u8],
}

impl<'a> HttpResponse<'a> {
    /// A response, for testing a decode hook.
    pub fn new(
        status: reqwest::StatusCode,
        headers: &'a reqwest::header::HeaderMap,
        body: &'a [u8],
    ) -> HttpResponse<'a> {
        HttpResponse {
            status,
            headers,
            body,
        }
    }
}

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

    /// The request goes to a URL (a `next_url` or `Link` from a page, or a resume token's
    /// `next_url`, SEMANTICS P2) that is not on the transport's [`Origin`](crate::Origin):
    /// another scheme, host or port, credentials in it, or a path outside the base URL's. No
    /// request was sent. The [`ForeignUrl`](crate::ForeignUrl) source names the URL, what
    /// differs and what to do; a server behind a proxy that writes its links with its own
    /// scheme or host is followed with [`rebase_urls(true)`](HttpTransport::rebase_urls).
    #[error("{operation}: the next URL is not on the transport's origin; no request was sent")]
    ForeignUrl {
        /// The operation.
        operation: String,
        /// The URL, the origin and what differs.
        #[source]
        source: crate::ForeignUrl,
    },

    /// The blocking transport was called on an async runtime's own thread (the body of
    /// `#[tokio::main]` or `#[tokio::test]`, `block_on`, or a thread inside
    /// `Handle::enter`), where waiting for the network would stall the runtime and where
    /// reqwest's blocking client panics. No request was sent. Use [`HttpTransport`] with
    /// `paginate_async`, or move the blocking run off the runtime with
    /// `tokio::task::spawn_blocking`, which this transport accepts. tokio does not tell an
    /// async task (`tokio::spawn`) from a `spawn_blocking` one: from either, the request is
    /// sent from a thread outside the runtime, and in an async task the worker thread waits
    /// for it, as it would for any blocking call.
    #[error(
        "{operation}: the blocking HTTP transport was called on an async runtime's thread, where it would block every task (and reqwest panics); use `HttpTransport` with `paginate_async`, or run it in `tokio::task::spawn_blocking`; no request was sent"
    )]
    InsideAsyncRuntime {
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

    /// An [`on_request`](HttpTransport::on_request) hook refused the request.
    #[error("{operation}: {method} {url}: the request hook failed")]
    Hook {
        /// The operation.
        operation: String,
        /// The method.
        method: Method,
        /// The URL as the transport built it.
        url: String,
        /// The hook's error.
        #[source]
        source: BoxError,
    },

    /// A [`decode_with`](HttpTransport::decode_with) hook could not read the body.
    #[error(
        "{operation}: {method} {url} returned HTTP {status} with a body that could not be read: {body}"
    )]
    Decode {
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
        /// The hook's error.
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

    /// The server answered with a success status, but the body is not a JSON document. A body
    /// that starts as a JSON object or array is read by the run instead, so a broken one is
    /// [`crate::Error::PageNotJson`], which names the page.
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

    /// The ready [`RetryPolicy`] (feature `retry`) retried a failure that a retry might cure,
    /// then stopped: the request had every retry allowed, the retry budget was spent, or the
    /// server asked to wait longer than the cap. The [`RetryError`] says which, how many
    /// attempts were made and what the last one got.
    #[cfg(feature = "retry")]
    #[cfg_attr(docsrs, doc(cfg(feature = "retry")))]
    #[error("{operation}: {method} {url}: {source}")]
    Retries {
        /// The operation.
        operation: String,
        /// The method.
        method: Method,
        /// The full URL.
        url: String,
        /// Why retries stopped, and the last attempt's status or error (boxed, to keep
        /// `HttpError` small).
        #[source]
        source: Box<RetryError>,
    },
}

impl HttpError {
    /// The HTTP status of a response that was refused ([`HttpError::Status`],
    /// [`HttpError::NotJson`]), or of the last attempt retries stopped on.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            HttpError::Status { status, .. }
            | HttpError::NotJson { status, .. }
            | HttpError::Decode { status, .. } => Some(*status),
            #[cfg(feature = "retry")]
            HttpError::Retries { source, .. } => source.status(),
            _ => None,
        }
    }

    /// True for failures that a retry of the same request may cure: no response at all, a
    /// 429, or a 5xx status. Requests that were wrong (4xx, no route, bad params) are not, nor
    /// the error of the ready retry policy (feature `retry`) that stopped retrying: its
    /// retries were made already (resume the run later instead). That policy retries by this
    /// same rule.
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

/// The hooks a transport runs on each request and response.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) request: Vec<std::sync::Arc<RequestHook>>,
    pub(crate) decode: Option<std::sync::Arc<DecodeHook>>,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("request", &self.request.len())
            .field("decode", &self.decode.is_some())
            .finish()
    }
}

/// The hook setters both transports share.
macro_rules! hook_setters {
    () => {
        /// Calls `hook` on every request, after the transport's own headers, to add headers of
        /// the moment: an auth token that is refreshed, a request id, …
        #[must_use]
        pub fn headers(
            self,
            hook: impl Fn(&crate::PageRequest<'_>, &mut reqwest::header::HeaderMap)
            + Send
            + Sync
            + 'static,
        ) -> Self {
            self.on_request(move |page, request| {
                hook(page, &mut request.headers);
                Ok(())
            })
        }

        /// Calls `hook` on every request just before it is sent, with the request as built
        /// (URL, headers, body), to change it: sign it, rename query params, … An error from the
        /// hook fails the page with [`HttpError::Hook`](crate::http::HttpError::Hook). Hooks run
        /// in the order they were added, [`headers`](Self::headers) hooks included.
        #[must_use]
        pub fn on_request(
            mut self,
            hook: impl Fn(
                &crate::PageRequest<'_>,
                &mut crate::http::HttpRequest,
            ) -> Result<(), crate::BoxError>
            + Send
            + Sync
            + 'static,
        ) -> Self {
            self.hooks.request.push(std::sync::Arc::new(hook));
            self
        }

        /// Reads the body of each success response with `hook` instead of as JSON, for APIs
        /// that answer in another format (S3's XML): the hook returns the page as JSON. An
        /// error from it fails the page with [`HttpError::Decode`](crate::http::HttpError::Decode).
        #[must_use]
        pub fn decode_with(
            mut self,
            hook: impl Fn(
                &crate::PageRequest<'_>,
                &crate::http::HttpResponse<'_>,
            ) -> Result<serde_json::Value, crate::BoxError>
            + Send
            + Sync
            + 'static,
        ) -> Self {
            self.hooks.decode = Some(std::sync::Arc::new(hook));
            self
        }
    };
}
pub(crate) use hook_setters;
