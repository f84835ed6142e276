//! The blocking ready transport, over `reqwest::blocking::Client`.

use reqwest::Url;

use super::request::{Received, prepare};
use super::{Hooks, HttpError, HttpRequest, hook_setters};
use crate::body::Reply;
use crate::origin::Origin;
use crate::route::Method;
use crate::transport::{PageRequest, Transport};

/// A [`blocking::Transport`](crate::blocking::Transport) that sends each page request to the model's route under a base URL, with a
/// `reqwest::blocking::Client` you build. See the [module docs](crate::http) for what it
/// sends; with the feature `retry`, its `retry` method gives it the ready retry policy.
///
/// Use it outside async code: `reqwest::blocking` runs a runtime of its own. Called on an async
/// runtime's own thread (the body of `#[tokio::main]`), it refuses with
/// [`HttpError::InsideAsyncRuntime`] instead of blocking the runtime; inside a runtime's task
/// (`tokio::task::spawn_blocking`, where blocking is the point) it sends each request from a
/// thread outside the runtime, where reqwest's blocking client works.
#[derive(Debug, Clone)]
pub struct BlockingHttpTransport {
    client: reqwest::blocking::Client,
    base: Url,
    origin: Origin,
    hooks: Hooks,
    #[cfg(feature = "retry")]
    retry: Option<super::RetryPolicy>,
}

impl BlockingHttpTransport {
    /// A transport sending to routes under `base_url` with `client`.
    pub fn new(client: reqwest::blocking::Client, base_url: &str) -> Result<Self, HttpError> {
        let base = super::request::base_url(base_url)?;
        Ok(BlockingHttpTransport {
            client,
            origin: Origin::new(base.clone()),
            base,
            hooks: Hooks::default(),
            #[cfg(feature = "retry")]
            retry: None,
        })
    }

    /// Retries each page request as `policy` says (feature `retry`): the same rules, waits and
    /// budget as [`RetryPolicy::layer`](super::RetryPolicy::layer) in an async `tower` stack,
    /// with the thread asleep between attempts. Each attempt is the whole exchange, the
    /// body's reading included, limited to the policy's attempt timeout, which replaces the
    /// client's own timeout for these requests (set the policy's to what you want each attempt
    /// to take); retries share the policy's budget with its clones (other transports given the
    /// same policy included).
    ///
    /// ```no_run
    /// use paginated::http::{BlockingHttpTransport, RetryPolicy};
    ///
    /// let api = BlockingHttpTransport::new(reqwest::blocking::Client::new(), "https://api.example.com")?
    ///     .retry(RetryPolicy::default());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "retry")]
    #[cfg_attr(docsrs, doc(cfg(feature = "retry")))]
    #[must_use]
    pub fn retry(mut self, policy: super::RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    hook_setters!();

    /// Whether a next URL whose scheme, host or port are not the base URL's, but whose path
    /// is under the base path, is sent to the base's scheme, host and port instead of refused
    /// (off by default): for servers behind a TLS-terminating proxy (Django REST framework's
    /// `next` says `http://` behind `https://`). See
    /// [`HttpTransport::rebase_urls`](crate::http::HttpTransport::rebase_urls) and
    /// [`Origin::rebasing`].
    ///
    /// ```
    /// use paginated::http::BlockingHttpTransport;
    ///
    /// let api = BlockingHttpTransport::new(reqwest::blocking::Client::new(), "https://api.example.com/api")?
    ///     .rebase_urls(true);
    /// assert!(api.origin().is_rebasing());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn rebase_urls(mut self, on: bool) -> Self {
        self.origin = self.origin.rebasing(on);
        self
    }

    /// The base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The origin every next URL is admitted by before it is sent (SEMANTICS P2).
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}

impl Transport for BlockingHttpTransport {
    type Error = HttpError;

    /// Sends the request to its route under the base URL, or to its next URL once the
    /// [`origin`](BlockingHttpTransport::origin) admits it ([`HttpError::ForeignUrl`]
    /// otherwise, and nothing is sent). Answers with the response's status, headers and final
    /// URL, and its body: a JSON object's is handed to the run unparsed; with a decode hook,
    /// the hook's JSON. A request without a route or a URL is [`HttpError::NoRoute`].
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, HttpError> {
        let (prepared, received) = match Runtime::around() {
            Runtime::None => self.send(&request)?,
            Runtime::Thread => {
                return Err(HttpError::InsideAsyncRuntime {
                    operation: request.operation().to_owned(),
                });
            }
            Runtime::Task => std::thread::scope(|scope| {
                let failed = |source: crate::BoxError| HttpError::Request {
                    operation: request.operation().to_owned(),
                    method: request.route().map_or(Method::Get, |r| r.method()),
                    url: request.url().map(Url::to_string).unwrap_or_default(),
                    source,
                };
                std::thread::Builder::new()
                    .name("paginate-blocking-http".into())
                    .spawn_scoped(scope, || self.send(&request))
                    .map_err(|e| failed(Box::new(e)))?
                    .join()
                    .unwrap_or_else(|_| Err(failed("the request's thread panicked".into())))
            })?,
        };
        prepared.read_reply(&request, &self.hooks, received)
    }
}

/// Where a blocking request is being made from, as far as tokio tells.
enum Runtime {
    /// Outside any runtime: block away.
    None,
    /// A runtime's own thread, driving its futures (`block_on`, the body of `#[tokio::main]`).
    Thread,
    /// A task of a runtime: a `spawn_blocking` closure, where blocking is allowed, or an async
    /// task, which tokio does not tell apart from it.
    Task,
}

impl Runtime {
    fn around() -> Runtime {
        match tokio::runtime::Handle::try_current() {
            Err(_) => Runtime::None,
            Ok(_) if tokio::task::try_id().is_none() => Runtime::Thread,
            Ok(_) => Runtime::Task,
        }
    }
}

impl BlockingHttpTransport {
    /// One exchange, with the ready retry policy around it when one is set.
    fn send(&self, request: &PageRequest<'_>) -> Result<(HttpRequest, Received), HttpError> {
        #[cfg(feature = "retry")]
        if let Some(policy) = &self.retry {
            return policy.run_blocking(request, || {
                self.exchange(request, Some(policy.attempt_timeout()))
            });
        }
        self.exchange(request, None)
    }

    /// Sends the request and reads the whole response, within `timeout` when there is one
    /// (the client's own otherwise).
    fn exchange(
        &self,
        request: &PageRequest<'_>,
        timeout: Option<std::time::Duration>,
    ) -> Result<(HttpRequest, Received), HttpError> {
        let prepared = prepare(&self.base, &self.origin, request, &self.hooks)?;
        let operation = request.operation();
        let mut builder = self
            .client
            .request(prepared.reqwest_method(), prepared.url.clone())
            .headers(prepared.headers.clone());
        if let Some(body) = &prepared.body {
            builder = builder.body(body.clone());
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        let response = builder
            .send()
            .map_err(|e| prepared.failed(operation, Box::new(e.without_url())))?;
        let status = response.status();
        let headers = response.headers().clone();
        let url = response.url().clone();
        let body = response
            .bytes()
            .map_err(|e| prepared.failed(operation, Box::new(e.without_url())))?;
        let received = Received {
            status,
            headers,
            url,
            body: body.into(),
        };
        Ok((prepared, received))
    }
}
