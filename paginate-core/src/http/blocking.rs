//! The blocking ready transport, over `reqwest::blocking::Client`.

use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Url};

use super::request::prepare;
use super::{Hooks, HttpError, HttpRequest, hook_setters};
use crate::body::Reply;
use crate::transport::{PageRequest, Transport};

/// A [`blocking::Transport`](crate::blocking::Transport) that sends each page request to the model's route under a base URL, with a
/// `reqwest::blocking::Client` you build. See the [module docs](crate::http) for what it
/// sends and how blocking programs get retries.
///
/// Build, use and drop it outside any async runtime: `reqwest::blocking` runs one of its own.
#[derive(Debug, Clone)]
pub struct BlockingHttpTransport {
    client: reqwest::blocking::Client,
    base: Url,
    hooks: Hooks,
}

impl BlockingHttpTransport {
    /// A transport sending to routes under `base_url` with `client`.
    pub fn new(client: reqwest::blocking::Client, base_url: &str) -> Result<Self, HttpError> {
        Ok(BlockingHttpTransport {
            client,
            base: super::request::base_url(base_url)?,
            hooks: Hooks::default(),
        })
    }

    hook_setters!();

    /// The base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }
}

impl Transport for BlockingHttpTransport {
    type Error = HttpError;

    /// Sends the request to its route under the base URL. A JSON object's body is handed to
    /// the run unparsed; with a decode hook, the hook's JSON. A request without a route is
    /// [`HttpError::NoRoute`].
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, HttpError> {
        let (prepared, status, headers, body) = self.exchange(&request)?;
        prepared.read_reply(&request, &self.hooks, status, &headers, body)
    }
}

impl BlockingHttpTransport {
    /// Sends the request and reads the whole response.
    fn exchange(
        &self,
        request: &PageRequest<'_>,
    ) -> Result<(HttpRequest, StatusCode, HeaderMap, Vec<u8>), HttpError> {
        let prepared = prepare(&self.base, request, &self.hooks)?;
        let operation = request.operation();
        let mut builder = self
            .client
            .request(prepared.reqwest_method(), prepared.url.clone())
            .headers(prepared.headers.clone());
        if let Some(body) = &prepared.body {
            builder = builder.body(body.clone());
        }
        let response = builder
            .send()
            .map_err(|e| prepared.failed(operation, Box::new(e.without_url())))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .map_err(|e| prepared.failed(operation, Box::new(e.without_url())))?;
        Ok((prepared, status, headers, body.into()))
    }
}
