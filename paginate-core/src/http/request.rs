//! What both ready HTTP transports share: the base URL's checks, turning a page request into
//! an HTTP request (route or next URL, query string or JSON body, headers), and turning a
//! response into a page or an [`HttpError`].

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};
use serde_json::{Map, Value};

#[cfg(test)]
use crate::body::Content;
use crate::body::Reply;

use super::{Hooks, HttpError, HttpRequest, HttpResponse};
use crate::origin::Origin;
use crate::route::{Method, Route};
use crate::transport::PageRequest;

/// How much of a refused body an error keeps.
const EXCERPT: usize = 500;

impl HttpRequest {
    pub(crate) fn reqwest_method(&self) -> reqwest::Method {
        match self.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }

    /// The error for a request that got no response.
    pub(crate) fn failed(&self, operation: &str, source: crate::BoxError) -> HttpError {
        // The ready retry layer's verdict on a failure it stopped retrying.
        #[cfg(feature = "retry")]
        let source = match source.downcast::<super::RetryError>() {
            Ok(stopped) => {
                return HttpError::Retries {
                    operation: operation.to_owned(),
                    method: self.method,
                    url: self.url.to_string(),
                    source: stopped,
                };
            }
            Err(source) => source,
        };
        HttpError::Request {
            operation: operation.to_owned(),
            method: self.method,
            url: self.url.to_string(),
            source,
        }
    }

    /// The page in a response, or why there is none: a status that is not a success, or a
    /// body that the decode hook (JSON by default) cannot read.
    #[cfg(test)]
    pub(crate) fn read(
        &self,
        page: &PageRequest<'_>,
        hooks: &Hooks,
        received: Received,
    ) -> Result<Value, HttpError> {
        let status = received.status;
        match self.read_reply(page, hooks, received)?.into_content() {
            Content::Body(body) => self.parse(page, status, body.as_bytes()),
            Content::Value(value) => Ok(value),
        }
    }

    /// The page in a response as a run takes it, with the response's status, headers and
    /// final URL (which a `link('…')` source or a relative next URL needs, P2, P10): a body
    /// that starts as a JSON object or array goes to the run unparsed (a broken one is then
    /// [`crate::Error::PageNotJson`]); anything else is parsed here, so an HTML error page with
    /// status 200 is [`HttpError::NotJson`] with its URL and status. With a decode hook, the
    /// hook's JSON. A status that is not a success is an error either way.
    pub(crate) fn read_reply(
        &self,
        page: &PageRequest<'_>,
        hooks: &Hooks,
        received: Received,
    ) -> Result<Reply, HttpError> {
        let Received {
            status,
            headers,
            url,
            body,
        } = received;
        if !status.is_success() {
            return Err(HttpError::Status {
                operation: page.operation().to_owned(),
                method: self.method,
                url: self.url.to_string(),
                status,
                body: excerpt(&body),
            });
        }
        let reply = if let Some(decode) = &hooks.decode {
            let response = HttpResponse {
                status,
                headers: &headers,
                body: &body,
            };
            decode(page, &response)
                .map(Reply::value)
                .map_err(|source| HttpError::Decode {
                    operation: page.operation().to_owned(),
                    method: self.method,
                    url: self.url.to_string(),
                    status,
                    body: excerpt(&body),
                    source,
                })?
        } else {
            // JSON's whitespace only: a form feed before `{` is not JSON, and is refused here.
            let first = body
                .iter()
                .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
            // An object, or an array (a bare-array page, P1), goes to the run unparsed.
            if matches!(first, Some(b'{' | b'[')) {
                Reply::body(body)
            } else {
                Reply::value(self.parse(page, status, &body)?)
            }
        };
        Ok(reply
            .with_status(status)
            .with_headers(headers)
            .with_url(url))
    }

    fn parse(
        &self,
        page: &PageRequest<'_>,
        status: StatusCode,
        body: &[u8],
    ) -> Result<Value, HttpError> {
        serde_json::from_slice(body).map_err(|source| HttpError::NotJson {
            operation: page.operation().to_owned(),
            method: self.method,
            url: self.url.to_string(),
            status,
            body: excerpt(body),
            source,
        })
    }
}

/// A whole response, as a transport read it.
#[derive(Debug)]
pub(crate) struct Received {
    /// The status.
    pub(crate) status: StatusCode,
    /// The headers.
    pub(crate) headers: HeaderMap,
    /// The URL that answered: the request's, or the last one redirected to.
    pub(crate) url: Url,
    /// The body.
    pub(crate) body: Vec<u8>,
}

/// Checks that `text` is an absolute URL that paths can be appended to.
pub(crate) fn base_url(text: &str) -> Result<Url, HttpError> {
    let bad = |reason: &str| HttpError::BaseUrl {
        url: text.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(text).map_err(|e| bad(&e.to_string()))?;
    if url.cannot_be_a_base() {
        return Err(bad("it cannot hold a path"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or a fragment"));
    }
    Ok(url)
}

/// Turns a page request into an HTTP request, then runs the request hooks on it.
///
/// A request to a URL (P2) goes there once `origin` admits it ([`HttpError::ForeignUrl`]
/// otherwise, and nothing is sent), with the route's method (GET without a route) and the
/// params set as query parameters over the URL's own, replacing same-named ones. Any other
/// request goes to the route's path after the base URL's, the other params in the query (GET,
/// DELETE) or in a JSON body (POST, PUT, PATCH). Either way the request headers the model sets
/// (P11) go with it.
pub(crate) fn prepare(
    base: &Url,
    origin: &Origin,
    request: &PageRequest<'_>,
    hooks: &Hooks,
) -> Result<HttpRequest, HttpError> {
    let operation = request.operation();
    let mut headers = HeaderMap::new();
    for (name, value) in request.headers() {
        headers.append(name.clone(), value.clone());
    }
    let bad_param = |method, url: &Url, (name, problem): (&str, &'static str)| {
        let mut url = url.clone();
        url.set_query(None);
        HttpError::Param {
            operation: operation.to_owned(),
            method,
            url: url.to_string(),
            name: name.to_owned(),
            problem,
        }
    };
    let (method, url, body) = if let Some(next) = request.url() {
        let mut url = origin.admit(next).map_err(|source| HttpError::ForeignUrl {
            operation: operation.to_owned(),
            source,
        })?;
        let method = request.route().map_or(Method::Get, Route::method);
        let pairs = query_pairs(request.params()).map_err(|e| bad_param(method, &url, e))?;
        set_query_over(&mut url, pairs);
        (method, url, None)
    } else {
        let route = request.route().ok_or_else(|| HttpError::NoRoute {
            operation: operation.to_owned(),
        })?;
        let rendered = route
            .render(request.params())
            .map_err(|source| HttpError::Route {
                operation: operation.to_owned(),
                source,
            })?;
        let method = route.method();
        let mut url = base.clone();
        url.set_path(&format!(
            "{}{}",
            base.path().trim_end_matches('/'),
            rendered.path
        ));
        let body = if method.has_body() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            Some(Value::Object(rendered.rest).to_string().into_bytes())
        } else {
            let pairs = query_pairs(&rendered.rest).map_err(|e| bad_param(method, &url, e))?;
            if !pairs.is_empty() {
                url.query_pairs_mut().extend_pairs(pairs);
            }
            None
        };
        (method, url, body)
    };
    let mut prepared = HttpRequest {
        method,
        url,
        headers,
        body,
    };
    for hook in &hooks.request {
        hook(request, &mut prepared).map_err(|source| HttpError::Hook {
            operation: operation.to_owned(),
            method,
            url: prepared.url.to_string(),
            source,
        })?;
    }
    Ok(prepared)
}

/// Sets `pairs` as query parameters of `url` over its own (P2): a parameter of the URL with
/// the name of one of `pairs` is dropped, every other one kept byte for byte (an opaque
/// cursor is not decoded and written again); `pairs` are appended, encoded as a route's query
/// is.
fn set_query_over(url: &mut Url, pairs: Vec<(&str, String)>) {
    if pairs.is_empty() {
        return;
    }
    let replaced = |piece: &str| {
        url::form_urlencoded::parse(piece.as_bytes())
            .next()
            .is_some_and(|(name, _)| pairs.iter().any(|(n, _)| *n == name))
    };
    let mut query: Vec<&str> = url
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|piece| !piece.is_empty() && !replaced(piece))
        .collect();
    let added = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    query.push(&added);
    let query = query.join("&");
    url.set_query(Some(&query));
}

/// The query string of a GET or DELETE: strings as they are, numbers and booleans as JSON
/// writes them, a list as the same name repeated; `null` is left out.
fn query_pairs(params: &Map<String, Value>) -> Result<Vec<(&str, String)>, (&str, &'static str)> {
    let mut pairs = Vec::new();
    for (name, value) in params {
        let scalar = |value: &Value| match value {
            Value::String(s) => Ok(Some(s.clone())),
            Value::Number(_) | Value::Bool(_) => Ok(Some(value.to_string())),
            Value::Null => Ok(None),
            Value::Array(_) | Value::Object(_) => Err((
                name.as_str(),
                "is a JSON object or a nested list, which a query string cannot hold; use a POST route",
            )),
        };
        match value {
            Value::Array(items) => {
                for item in items {
                    if let Some(text) = scalar(item)? {
                        pairs.push((name.as_str(), text));
                    }
                }
            }
            other => {
                if let Some(text) = scalar(other)? {
                    pairs.push((name.as_str(), text));
                }
            }
        }
    }
    Ok(pairs)
}

/// The start of a body, as text, for an error message.
pub(crate) fn excerpt(body: &[u8]) -> String {
    crate::error::shorten(&String::from_utf8_lossy(body), EXCERPT)
}

#[cfg(test)]
mod tests;
