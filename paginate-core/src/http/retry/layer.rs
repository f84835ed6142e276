//! The retry policy as a `tower` layer for the async transport: tower's `Retry` around tower's
//! `Timeout` around [`ReadBody`], which reads each response's body in full, so that a body cut
//! short is a failure the retry sees, within the attempt's time limit.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use reqwest::ResponseBuilderExt as _;
use tower::Layer;
use tower::retry::{Policy, Retry};
use tower::timeout::Timeout;
use tower_service::Service;

use super::{LastAttempt, Outcome, RetryError, RetryPolicy, Verdict};
use crate::error::BoxError;

/// The [`RetryPolicy`]'s `tower` layer ([`RetryPolicy::layer`]): around a service that sends a
/// `reqwest::Request` (a `reqwest::Client`, or a stack around one), it makes tower's
/// `Retry<RetryPolicy, Timeout<ReadBody<S>>>`. Put layers that should apply once per page
/// (a rate limit, a concurrency limit) above it, and layers that should apply to every attempt
/// below it.
#[derive(Debug, Clone)]
pub struct RetryLayer {
    policy: RetryPolicy,
}

impl RetryLayer {
    /// The layer retrying with `policy`.
    pub fn new(policy: RetryPolicy) -> RetryLayer {
        RetryLayer { policy }
    }
}

impl<S> Layer<S> for RetryLayer {
    type Service = Retry<RetryPolicy, Timeout<ReadBody<S>>>;

    fn layer(&self, inner: S) -> Self::Service {
        let attempt = Timeout::new(ReadBody { inner }, self.policy.attempt_timeout());
        Retry::new(self.policy.clone(), attempt)
    }
}

/// Reads each response's body in full before answering, so a connection reset mid-body or a
/// body shorter than its `Content-Length` is an error of the attempt (which a retry layer
/// above sees) rather than of the page read after the stack. The response keeps its status,
/// version, headers and final URL; its body is then in memory.
#[derive(Debug, Clone)]
pub struct ReadBody<S> {
    inner: S,
}

impl<S> ReadBody<S> {
    /// Reads the bodies of `inner`'s responses.
    pub fn new(inner: S) -> ReadBody<S> {
        ReadBody { inner }
    }
}

/// A body read in full, kept in the response's extensions for the retry policy to quote.
#[derive(Debug, Clone)]
struct Buffered(bytes::Bytes);

impl<S> Service<reqwest::Request> for ReadBody<S>
where
    S: Service<reqwest::Request, Response = reqwest::Response>,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
{
    type Response = reqwest::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<reqwest::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: reqwest::Request) -> Self::Future {
        let sent = self.inner.call(request);
        Box::pin(async move {
            let response = sent.await.map_err(Into::into)?;
            let status = response.status();
            let version = response.version();
            let url = response.url().clone();
            let headers = response.headers().clone();
            // The transport's error names the URL; reqwest's would say it again.
            let body = response.bytes().await.map_err(|e| e.without_url())?;
            let mut rebuilt = http::Response::builder()
                .status(status)
                .version(version)
                .url(url)
                .extension(Buffered(body.clone()));
            if let Some(map) = rebuilt.headers_mut() {
                *map = headers;
            }
            Ok(reqwest::Response::from(rebuilt.body(body)?))
        })
    }
}

impl Policy<reqwest::Request, reqwest::Response, BoxError> for RetryPolicy {
    type Future = tokio::time::Sleep;

    fn retry(
        &mut self,
        _request: &mut reqwest::Request,
        result: &mut Result<reqwest::Response, BoxError>,
    ) -> Option<Self::Future> {
        let outcome = match result {
            Ok(response) => Outcome::Answered {
                status: response.status(),
                headers: response.headers(),
            },
            // A failure no retry cures (a request that cannot be built, another layer's
            // error) is handed on as it is.
            Err(error) if !super::transient(error.as_ref()) => return None,
            Err(_) => Outcome::Failed,
        };
        match self.judge(outcome) {
            Verdict::Accept => None,
            Verdict::Retry { after } => Some(self.wait(after)),
            Verdict::Stop(stop) => {
                let last = match result {
                    Ok(response) => LastAttempt::Status {
                        status: response.status(),
                        body: response
                            .extensions()
                            .get::<Buffered>()
                            .map(|b| super::super::request::excerpt(&b.0))
                            .unwrap_or_default(),
                    },
                    Err(error) => LastAttempt::Failed(std::mem::replace(error, "".into())),
                };
                let attempts = self.attempts();
                *result = Err(Box::new(RetryError {
                    stop,
                    attempts,
                    last,
                }));
                None
            }
        }
    }

    /// The ready transports' bodies are bytes in memory, so their requests always clone; a
    /// request with a streamed body does not, and is not retried.
    fn clone_request(&mut self, request: &reqwest::Request) -> Option<reqwest::Request> {
        request.try_clone()
    }
}
