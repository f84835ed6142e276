//! The two paginate transports, blocking and async, over any [`Protocol`]: the protocol turns
//! an operation and its params into an HTTP request and the response into a page; the
//! clients only send. Both share the protocol's code, so they behave the same.

use std::time::Duration;

use paginate_core::{AsyncTransport, Transport};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};
use serde_json::{Map, Value};

use crate::error::PeerError;
use crate::sigv4::Credentials;

/// How long one request may take before it fails: a hung server fails the test loudly.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A server's base URL and the credentials requests to it are signed with.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub(crate) base: Url,
    pub(crate) credentials: Credentials,
}

impl Endpoint {
    /// An endpoint at `url` (`http://127.0.0.1:port`), signing with `credentials`.
    pub fn new(url: &str, credentials: Credentials) -> Result<Endpoint, PeerError> {
        let bad = |reason: &str| PeerError::Endpoint {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let base = Url::parse(url).map_err(|e| bad(&e.to_string()))?;
        if base.scheme() != "http" {
            return Err(bad("the scheme must be `http` (these clients have no TLS)"));
        }
        if base.host_str().is_none() || base.path() != "/" || base.query().is_some() {
            return Err(bad("expected `http://host:port` with no path or query"));
        }
        Ok(Endpoint { base, credentials })
    }

    /// The base URL.
    pub fn url(&self) -> &Url {
        &self.base
    }

    /// `host[:port]`, as the `Host` header carries it.
    pub(crate) fn host(&self) -> String {
        let host = self.base.host_str().unwrap_or_default();
        match self.base.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }
}

/// One HTTP request, ready to send: signed, with its body.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The full URL.
    pub url: Url,
    /// The headers besides `Host`, which the HTTP client adds from the URL.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// One HTTP response, read to the end.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

/// A wire protocol of AWS: how an operation with its params becomes an HTTP request, and a
/// response becomes the JSON page botocore's models describe.
pub trait Protocol {
    /// Builds and signs the request of `operation` with `params`.
    fn prepare(
        &self,
        operation: &str,
        params: &Map<String, Value>,
    ) -> Result<HttpRequest, PeerError>;

    /// Turns the response to `request` into a page, or the error it amounts to.
    fn parse(
        &self,
        operation: &str,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> Result<Value, PeerError>;
}

fn request_failed(operation: &str, request: &HttpRequest, source: reqwest::Error) -> PeerError {
    PeerError::Request {
        operation: operation.to_owned(),
        method: request.method.clone(),
        url: request.url.to_string(),
        // The message names the URL already.
        source: source.without_url(),
    }
}

/// A blocking paginate [`Transport`] over `reqwest::blocking`.
///
/// Build, use and drop it outside any async runtime: `reqwest::blocking` runs its own.
#[derive(Debug, Clone)]
pub struct BlockingClient<P> {
    protocol: P,
    http: reqwest::blocking::Client,
}

impl<P: Protocol> BlockingClient<P> {
    /// A client speaking `protocol`.
    pub fn new(protocol: P) -> Result<BlockingClient<P>, PeerError> {
        let http = reqwest::blocking::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(PeerError::Client)?;
        Ok(BlockingClient { protocol, http })
    }

    /// The protocol this client speaks.
    pub fn protocol(&self) -> &P {
        &self.protocol
    }
}

impl<P: Protocol> Transport for BlockingClient<P> {
    type Error = PeerError;

    fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, PeerError> {
        let request = self.protocol.prepare(operation, params)?;
        let mut builder = self
            .http
            .request(request.method.clone(), request.url.clone())
            .body(request.body.clone());
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let response = builder
            .send()
            .map_err(|e| request_failed(operation, &request, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .map_err(|e| request_failed(operation, &request, e))?
            .to_vec();
        let response = HttpResponse {
            status,
            headers,
            body,
        };
        self.protocol.parse(operation, &request, response)
    }
}

/// An async paginate [`AsyncTransport`] over `reqwest::Client`.
#[derive(Debug, Clone)]
pub struct AsyncClient<P> {
    protocol: P,
    http: reqwest::Client,
}

impl<P: Protocol> AsyncClient<P> {
    /// A client speaking `protocol`.
    pub fn new(protocol: P) -> Result<AsyncClient<P>, PeerError> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(PeerError::Client)?;
        Ok(AsyncClient { protocol, http })
    }

    /// The protocol this client speaks.
    pub fn protocol(&self) -> &P {
        &self.protocol
    }
}

impl<P: Protocol + Sync> AsyncTransport for AsyncClient<P> {
    type Error = PeerError;

    async fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, PeerError> {
        let request = self.protocol.prepare(operation, params)?;
        let mut builder = self
            .http
            .request(request.method.clone(), request.url.clone())
            .body(request.body.clone());
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let response = builder
            .send()
            .await
            .map_err(|e| request_failed(operation, &request, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| request_failed(operation, &request, e))?
            .to_vec();
        let response = HttpResponse {
            status,
            headers,
            body,
        };
        self.protocol.parse(operation, &request, response)
    }
}
