//! HTTP clients for the example API, as paginate transports: [`HttpApi`] (async, over
//! `reqwest::Client`) implements [`AsyncTransport`], [`BlockingHttpApi`] (over
//! `reqwest::blocking::Client`) implements [`Transport`].
//!
//! Both route by operation name: `ListObjects` to `GET /buckets/{Bucket}/objects` with the
//! other params as the query, `ListUsers` to `GET /v1/users`. Everything they can fail with
//! is an [`ApiError`] that names the operation and the URL, and for an HTTP error the status
//! and the body; paginate keeps it as the source of
//! [`paginate_core::Error::Transport`].

use paginate_core::{AsyncTransport, Transport};
use reqwest::{StatusCode, Url};
use serde_json::{Map, Value};

/// Why a call to the example API failed. One type for both clients: they fail in the same
/// ways, with the same `reqwest::Error` underneath.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The base URL given to a client's constructor is not a usable `http://` URL.
    #[error("invalid base URL {url:?}: {reason}")]
    BaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The HTTP client could not be built.
    #[error("could not build the HTTP client: {0}")]
    Client(#[source] reqwest::Error),

    /// The client does not know this operation.
    #[error("{operation}: unknown operation; this client knows ListObjects and ListUsers")]
    UnknownOperation {
        /// The operation asked for.
        operation: String,
    },

    /// A request parameter is missing, or cannot be sent in a URL.
    #[error("{operation}: parameter `{name}` {problem}")]
    Param {
        /// The operation being called.
        operation: String,
        /// The parameter.
        name: String,
        /// What is wrong with it.
        problem: String,
    },

    /// The request did not get a response: connection refused, reset, timed out, …
    #[error("{operation}: GET {url} failed: {source}")]
    Request {
        /// The operation being called.
        operation: String,
        /// The full URL, query included.
        url: String,
        /// reqwest's error.
        #[source]
        source: reqwest::Error,
    },

    /// The server answered with an HTTP error status.
    #[error("{operation}: GET {url} returned HTTP {status}: {body}")]
    Status {
        /// The operation being called.
        operation: String,
        /// The full URL, query included.
        url: String,
        /// The HTTP status, e.g. 400.
        status: StatusCode,
        /// The response body as text (the API sends a JSON error).
        body: String,
    },

    /// The server answered with success, but the body is not JSON.
    #[error(
        "{operation}: GET {url} returned HTTP {status} with a body that is not JSON ({reason}): {body}"
    )]
    Decode {
        /// The operation being called.
        operation: String,
        /// The full URL, query included.
        url: String,
        /// The HTTP status.
        status: StatusCode,
        /// serde_json's message.
        reason: String,
        /// The first 500 characters of the body.
        body: String,
    },
}

impl ApiError {
    /// The HTTP status of a [`ApiError::Status`] or [`ApiError::Decode`] error.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Status { status, .. } | ApiError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Checks a base URL: absolute `http://`, usable as a base for paths.
fn parse_base_url(base_url: &str) -> Result<Url, ApiError> {
    let bad = |reason: String| ApiError::BaseUrl {
        url: base_url.to_owned(),
        reason,
    };
    let url = Url::parse(base_url).map_err(|e| bad(e.to_string()))?;
    if url.scheme() != "http" {
        return Err(bad(format!(
            "the scheme must be `http` (this client has no TLS), not `{}`",
            url.scheme()
        )));
    }
    if url.cannot_be_a_base() || url.query().is_some() || url.fragment().is_some() {
        return Err(bad(
            "expected `http://host:port` or `http://host:port/path`".into(),
        ));
    }
    Ok(url)
}

/// An operation resolved into a URL (with its query), before it is sent.
fn build_url(base: &Url, operation: &str, params: &Map<String, Value>) -> Result<Url, ApiError> {
    let mut url = base.clone();
    let path: Vec<&str> = match operation {
        "ListObjects" => {
            let bucket = params
                .get("Bucket")
                .and_then(Value::as_str)
                .ok_or_else(|| ApiError::Param {
                    operation: operation.to_owned(),
                    name: "Bucket".into(),
                    problem: "is required and must be a string".into(),
                })?;
            vec!["buckets", bucket, "objects"]
        }
        "ListUsers" => vec!["v1", "users"],
        _ => {
            return Err(ApiError::UnknownOperation {
                operation: operation.to_owned(),
            });
        }
    };
    url.path_segments_mut()
        .map_err(|()| ApiError::BaseUrl {
            url: base.to_string(),
            reason: "cannot hold a path".into(),
        })?
        .pop_if_empty()
        .extend(path);
    let mut query = Vec::new();
    for (name, value) in params {
        if operation == "ListObjects" && name == "Bucket" {
            continue;
        }
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Array(_) | Value::Object(_) => {
                return Err(ApiError::Param {
                    operation: operation.to_owned(),
                    name: name.clone(),
                    problem: "is a JSON array or object, which this API does not take".into(),
                });
            }
        };
        query.push((name.as_str(), text));
    }
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url)
}

/// Turns a response's status and body into a page, or the error they amount to.
fn read_page(
    operation: &str,
    url: &Url,
    status: StatusCode,
    body: String,
) -> Result<Value, ApiError> {
    if !status.is_success() {
        return Err(ApiError::Status {
            operation: operation.to_owned(),
            url: url.to_string(),
            status,
            body,
        });
    }
    serde_json::from_str(&body).map_err(|e| ApiError::Decode {
        operation: operation.to_owned(),
        url: url.to_string(),
        status,
        reason: e.to_string(),
        body: body.chars().take(500).collect(),
    })
}

fn request_failed(operation: &str, url: &Url, source: reqwest::Error) -> ApiError {
    ApiError::Request {
        operation: operation.to_owned(),
        url: url.to_string(),
        // The message names the URL already.
        source: source.without_url(),
    }
}

/// The async client: one `reqwest::Client` (a connection pool) and the API's base URL.
/// Cheap to clone; share it by reference or in an `Arc` to spawn streams.
#[derive(Debug, Clone)]
pub struct HttpApi {
    http: reqwest::Client,
    base: Url,
}

impl HttpApi {
    /// A client for the API at `base_url` (`http://host:port`).
    pub fn new(base_url: &str) -> Result<HttpApi, ApiError> {
        let base = parse_base_url(base_url)?;
        let http = reqwest::Client::builder()
            .build()
            .map_err(ApiError::Client)?;
        Ok(HttpApi { http, base })
    }
}

impl AsyncTransport for HttpApi {
    type Error = ApiError;

    async fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, ApiError> {
        let url = build_url(&self.base, operation, params)?;
        let response = self
            .http
            .get(url.clone())
            .send()
            .await
            .map_err(|e| request_failed(operation, &url, e))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| request_failed(operation, &url, e))?;
        read_page(operation, &url, status, body)
    }
}

/// The blocking client: one `reqwest::blocking::Client` and the API's base URL.
///
/// Build, use and drop it outside any async runtime (in `main`, a `std::thread`, or
/// `tokio::task::spawn_blocking`): `reqwest::blocking` runs a runtime of its own.
#[derive(Debug, Clone)]
pub struct BlockingHttpApi {
    http: reqwest::blocking::Client,
    base: Url,
}

impl BlockingHttpApi {
    /// A client for the API at `base_url` (`http://host:port`).
    pub fn new(base_url: &str) -> Result<BlockingHttpApi, ApiError> {
        let base = parse_base_url(base_url)?;
        let http = reqwest::blocking::Client::builder()
            .build()
            .map_err(ApiError::Client)?;
        Ok(BlockingHttpApi { http, base })
    }
}

impl Transport for BlockingHttpApi {
    type Error = ApiError;

    fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, ApiError> {
        let url = build_url(&self.base, operation, params)?;
        let response = self
            .http
            .get(url.clone())
            .send()
            .map_err(|e| request_failed(operation, &url, e))?;
        let status = response.status();
        let body = response
            .text()
            .map_err(|e| request_failed(operation, &url, e))?;
        read_page(operation, &url, status, body)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn params(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn list_objects_puts_the_bucket_in_the_path_and_the_rest_in_the_query() {
        let base = parse_base_url("http://127.0.0.1:8080").unwrap();
        let url = build_url(
            &base,
            "ListObjects",
            &params(
                json!({"Bucket": "my bucket/x", "Prefix": "a b&c", "MaxKeys": 10, "Marker": null}),
            ),
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:8080/buckets/my%20bucket%2Fx/objects?Prefix=a+b%26c&MaxKeys=10"
        );
    }

    #[test]
    fn bad_operations_params_and_base_urls_are_errors() {
        let base = parse_base_url("http://127.0.0.1:8080/api/").unwrap();
        assert_eq!(
            build_url(&base, "ListUsers", &Map::new()).unwrap().as_str(),
            "http://127.0.0.1:8080/api/v1/users"
        );
        assert!(matches!(
            build_url(&base, "DeleteEverything", &Map::new()),
            Err(ApiError::UnknownOperation { .. })
        ));
        assert!(matches!(
            build_url(&base, "ListObjects", &Map::new()),
            Err(ApiError::Param { .. })
        ));
        assert!(matches!(
            build_url(&base, "ListUsers", &params(json!({"limit": [1]}))),
            Err(ApiError::Param { .. })
        ));
        for bad in [
            "https://example.com",
            "mailto:x@y",
            "not a url",
            "http://h/?q=1",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
    }
}
