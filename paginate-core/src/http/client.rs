//! The async ready transport: a `reqwest::Client`, or a `tower` stack around one.

use std::task::{Context, Poll};

use reqwest::Url;
use tower_service::Service;

use super::request::{Received, prepare};
use super::{Hooks, HttpError, HttpRequest, hook_setters};
use crate::body::Reply;
use crate::error::BoxError;
use crate::origin::Origin;
use crate::transport::{AsyncTransport, PageRequest};

/// An [`nonblocking::Transport`](crate::nonblocking::Transport) that sends each page request to the model's route under a base URL.
///
/// `S` is what sends a `reqwest::Request`: a `reqwest::Client` ([`HttpTransport::new`]) or a
/// `tower` service around one ([`HttpTransport::with_service`]), so retries, timeouts, rate
/// limits and concurrency limits come from `tower` layers. The service is cloned for each
/// request (as `tower` services are meant to be); wrap a layer that is not `Clone`, such as
/// `RateLimit`, in `tower::buffer::Buffer`.
///
/// ```no_run
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use paginated::http::HttpTransport;
/// use tower::ServiceBuilder;
///
/// let client = reqwest::Client::new();
/// let stack = ServiceBuilder::new()
///     .buffer(64)
///     .rate_limit(10, Duration::from_secs(1))
///     .timeout(Duration::from_secs(30))
///     .service(client);
/// let api = HttpTransport::with_service(stack, "http://127.0.0.1:8080")?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct HttpTransport<S = reqwest::Client> {
    service: S,
    base: Url,
    origin: Origin,
    hooks: Hooks,
}

impl HttpTransport<reqwest::Client> {
    /// A transport sending to routes under `base_url` (`https://api.example.com` or
    /// `http://127.0.0.1:8080/api`) with `client`.
    pub fn new(client: reqwest::Client, base_url: &str) -> Result<Self, HttpError> {
        HttpTransport::with_service(client, base_url)
    }
}

impl<S> HttpTransport<S> {
    /// A transport sending with `service`: anything that is a
    /// `tower::Service<reqwest::Request, Response = reqwest::Response>`, typically a
    /// `tower::ServiceBuilder` stack around a `reqwest::Client`.
    pub fn with_service(service: S, base_url: &str) -> Result<Self, HttpError> {
        let base = super::request::base_url(base_url)?;
        Ok(HttpTransport {
            service,
            origin: Origin::new(base.clone()),
            base,
            hooks: Hooks::default(),
        })
    }

    hook_setters!();

    /// Whether a next URL (`next_url`, `link('next')`, SEMANTICS P2) whose scheme, host or
    /// port are not the base URL's, but whose path is under the base path, is sent to the
    /// base's scheme, host and port instead of refused (off by default; see
    /// [`Origin::rebasing`]). For servers behind a TLS-terminating proxy that write their
    /// links as they see themselves: Django REST framework's `next` says
    /// `http://internal:8000/api/…` while the API is `https://api.example.com/api`. A URL
    /// outside the base path, or with credentials in it, is refused either way.
    ///
    /// ```
    /// use paginated::http::HttpTransport;
    ///
    /// let api = HttpTransport::new(reqwest::Client::new(), "https://api.example.com/api")?
    ///     .rebase_urls(true);
    /// let next = url::Url::parse("http://internal:8000/api/orders/?cursor=cD0x")?;
    /// assert_eq!(
    ///     api.origin().admit(&next)?.as_str(),
    ///     "https://api.example.com/api/orders/?cursor=cD0x"
    /// );
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

    /// The origin every next URL is admitted by before it is sent (SEMANTICS P2): the base
    /// URL's scheme, host, port and path.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}

impl<S> AsyncTransport for HttpTransport<S>
where
    S: Service<reqwest::Request, Response = reqwest::Response> + Clone + Send + Sync,
    S::Future: Send,
    S::Error: Into<BoxError>,
{
    type Error = HttpError;

    /// Sends the request to its route under the base URL, or to its next URL once the
    /// [`origin`](HttpTransport::origin) admits it ([`HttpError::ForeignUrl`] otherwise, and
    /// nothing is sent). Answers with the response's status, headers and final URL, and its
    /// body: a JSON object's is handed to the run unparsed; with a decode hook, the hook's
    /// JSON. A request without a route or a URL is [`HttpError::NoRoute`].
    async fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, HttpError> {
        let (prepared, received) = self.exchange(&request).await?;
        prepared.read_reply(&request, &self.hooks, received)
    }
}

impl<S> HttpTransport<S>
where
    S: Service<reqwest::Request, Response = reqwest::Response> + Clone + Send + Sync,
    S::Future: Send,
    S::Error: Into<BoxError>,
{
    /// Sends the request through the service and reads the whole response.
    async fn exchange(
        &self,
        request: &PageRequest<'_>,
    ) -> Result<(HttpRequest, Received), HttpError> {
        let prepared = prepare(&self.base, &self.origin, request, &self.hooks)?;
        let operation = request.operation();
        let mut service = self.service.clone();
        std::future::poll_fn(|cx: &mut Context<'_>| -> Poll<Result<(), S::Error>> {
            service.poll_ready(cx)
        })
        .await
        .map_err(|e| prepared.failed(operation, e.into()))?;
        let response = service
            .call(to_request(&prepared))
            .await
            .map_err(|e| prepared.failed(operation, e.into()))?;
        let status = response.status();
        let headers = response.headers().clone();
        let url = response.url().clone();
        let body = response
            .bytes()
            .await
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

fn to_request(prepared: &HttpRequest) -> reqwest::Request {
    let mut request = reqwest::Request::new(prepared.reqwest_method(), prepared.url.clone());
    *request.headers_mut() = prepared.headers.clone();
    if let Some(body) = &prepared.body {
        *request.body_mut() = Some(body.clone().into());
    }
    request
}
