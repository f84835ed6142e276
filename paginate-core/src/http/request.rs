//! What both ready HTTP transports share: the base URL's checks, turning a page request into
//! an HTTP request (route, query string or JSON body, headers), and turning a response into a
//! page or an [`HttpError`].

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};
use serde_json::{Map, Value};

#[cfg(test)]
use crate::body::Content;
use crate::body::Reply;

use super::{Hooks, HttpError, HttpRequest, HttpResponse};
use crate::route::Method;
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
        status: StatusCode,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Result<Value, HttpError> {
        match self
            .read_reply(page, hooks, status, headers, body)?
            .into_content()
        {
            Content::Body(body) => self.parse(page, status, body.as_bytes()),
            Content::Value(value) => Ok(value),
        }
    }

    /// The page in a response as a run takes it: a body that starts as a JSON object goes to
    /// the run unparsed (a broken one is then [`crate::Error::PageNotJson`]); anything else is
    /// parsed here, so an HTML error page with status 200 is [`HttpError::NotJson`] with its
    /// URL and status. With a decode hook, the hook's JSON. A status that is not a success is
    /// an error either way.
    pub(crate) fn read_reply(
        &self,
        page: &PageRequest<'_>,
        hooks: &Hooks,
        status: StatusCode,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Result<Reply, HttpError> {
        if !status.is_success() {
            return Err(HttpError::Status {
                operation: page.operation().to_owned(),
                method: self.method,
                url: self.url.to_string(),
                status,
                body: excerpt(&body),
            });
        }
        if let Some(decode) = &hooks.decode {
            let response = HttpResponse {
                status,
                headers,
                body: &body,
            };
            return decode(page, &response)
                .map(Reply::value)
                .map_err(|source| HttpError::Decode {
                    operation: page.operation().to_owned(),
                    method: self.method,
                    url: self.url.to_string(),
                    status,
                    body: excerpt(&body),
                    source,
                });
        }
        // JSON's whitespace only: a form feed before `{` is not JSON, and is refused here.
        let first = body
            .iter()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
        if first == Some(&b'{') {
            Ok(Reply::body(body))
        } else {
            self.parse(page, status, &body).map(Reply::value)
        }
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

/// Turns a page request into an HTTP request: the route's path after the base URL's, the other
/// params in the query (GET, DELETE) or in a JSON body (POST, PUT, PATCH), then the hook's
/// request hooks.
pub(crate) fn prepare(
    base: &Url,
    request: &PageRequest<'_>,
    hooks: &Hooks,
) -> Result<HttpRequest, HttpError> {
    let operation = request.operation();
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
    let mut headers = HeaderMap::new();
    let body = if method.has_body() {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Some(Value::Object(rendered.rest).to_string().into_bytes())
    } else {
        let pairs = query_pairs(&rendered.rest).map_err(|(name, problem)| HttpError::Param {
            operation: operation.to_owned(),
            method,
            url: url.to_string(),
            name: name.to_owned(),
            problem,
        })?;
        if !pairs.is_empty() {
            url.query_pairs_mut().extend_pairs(pairs);
        }
        None
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
fn excerpt(body: &[u8]) -> String {
    crate::error::shorten(&String::from_utf8_lossy(body), EXCERPT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Route;
    use serde_json::json;

    fn prepared(route: &str, base: &str, params: Value) -> Result<HttpRequest, HttpError> {
        let route = Route::parse(route).unwrap();
        let params = params.as_object().cloned().unwrap();
        let request = PageRequest::new("Op", &params).with_route(&route);
        prepare(&base_url(base).unwrap(), &request, &Hooks::default())
    }

    fn read(
        p: &HttpRequest,
        hooks: &Hooks,
        status: StatusCode,
        body: &[u8],
    ) -> Result<Value, HttpError> {
        let params = Map::new();
        p.read(
            &PageRequest::new("Op", &params),
            hooks,
            status,
            &HeaderMap::new(),
            body.to_vec(),
        )
    }

    #[test]
    fn get_puts_params_in_the_query_after_the_base_path() {
        let p = prepared(
            "GET /buckets/{Bucket}/objects",
            "http://127.0.0.1:9/api/",
            json!({"Bucket": "a b", "Prefix": "x&y", "MaxKeys": 10, "Marker": null, "Tag": ["p", 2]}),
        )
        .unwrap();
        assert_eq!(
            p.url.as_str(),
            "http://127.0.0.1:9/api/buckets/a%20b/objects?Prefix=x%26y&MaxKeys=10&Tag=p&Tag=2"
        );
        assert!(p.body.is_none());
    }

    #[test]
    fn post_puts_params_in_a_json_body() {
        let p = prepared(
            "POST /v1/search",
            "http://h",
            json!({"q": {"a": 1}, "cursor": "c"}),
        )
        .unwrap();
        assert_eq!(p.url.as_str(), "http://h/v1/search");
        assert_eq!(p.headers[CONTENT_TYPE], "application/json");
        let body: Value = serde_json::from_slice(p.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, json!({"q": {"a": 1}, "cursor": "c"}));
    }

    #[test]
    fn unusable_requests_and_responses_are_errors_that_say_why() {
        let e = prepared("GET /v1", "http://h", json!({"q": {"a": 1}})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Op: GET http://h/v1: param `q` is a JSON object or a nested list, which a query string cannot hold; use a POST route"
        );
        let params = Map::new();
        let none = Hooks::default();
        let e = prepare(
            &base_url("http://h").unwrap(),
            &PageRequest::new("Op", &params),
            &none,
        )
        .unwrap_err();
        assert!(matches!(e, HttpError::NoRoute { .. }), "{e}");
        assert!(base_url("mailto:x@y").is_err());
        assert!(base_url("http://h/?q=1").is_err());

        let p = prepared("GET /v1", "http://h", json!({})).unwrap();
        let e = read(&p, &none, StatusCode::SERVICE_UNAVAILABLE, b"busy").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Op: GET http://h/v1 returned HTTP 503 Service Unavailable: busy"
        );
        assert!(e.is_retryable());
        let e = read(&p, &none, StatusCode::OK, "<html>".repeat(200).as_bytes()).unwrap_err();
        assert!(matches!(&e, HttpError::NotJson { body, .. } if body.chars().count() == 501));
        assert!(std::error::Error::source(&e).is_some());
        assert!(!e.is_retryable());
        assert_eq!(
            read(&p, &none, StatusCode::OK, b"{\"a\": 1}").unwrap(),
            json!({"a": 1})
        );
        // What goes to the run unparsed: a body that starts as an object after JSON's
        // whitespace. A form feed is not JSON whitespace, so that body is refused here.
        let params = Map::new();
        let page = PageRequest::new("Op", &params);
        let reply = |body: &[u8]| {
            p.read_reply(
                &page,
                &none,
                StatusCode::OK,
                &HeaderMap::new(),
                body.to_vec(),
            )
        };
        assert!(matches!(
            reply(b" \r\n\t{\"a\": 1}").map(Reply::into_content),
            Ok(Content::Body(_))
        ));
        assert!(matches!(
            reply(b"[1]").map(Reply::into_content),
            Ok(Content::Value(_))
        ));
        assert!(matches!(
            reply(b"\x0c{\"a\": 1}"),
            Err(HttpError::NotJson { .. })
        ));
    }

    #[test]
    fn hooks_change_requests_and_decode_bodies() {
        let mut hooks = Hooks::default();
        hooks.request.push(std::sync::Arc::new(
            |page: &PageRequest<'_>, request: &mut HttpRequest| {
                request
                    .url
                    .query_pairs_mut()
                    .append_pair("page", &page.page().to_string());
                request
                    .headers
                    .insert("x-signed", HeaderValue::from_static("yes"));
                Ok(())
            },
        ));
        let route = Route::parse("GET /v1").unwrap();
        let params = Map::new();
        let page = PageRequest::new("Op", &params).with_route(&route);
        let p = prepare(&base_url("http://h").unwrap(), &page, &hooks).unwrap();
        assert_eq!(p.url.as_str(), "http://h/v1?page=1");
        assert_eq!(p.headers["x-signed"], "yes");

        hooks.request.push(std::sync::Arc::new(
            |_: &PageRequest<'_>, _: &mut HttpRequest| Err("no credentials".into()),
        ));
        let e = prepare(&base_url("http://h").unwrap(), &page, &hooks).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Op: GET http://h/v1?page=1: the request hook failed"
        );

        hooks.decode = Some(std::sync::Arc::new(
            |_: &PageRequest<'_>, response: &HttpResponse<'_>| match response.body {
                b"<a/>" => Ok(json!({"a": []})),
                _ => Err("not the XML I expected".into()),
            },
        ));
        assert_eq!(
            read(&p, &hooks, StatusCode::OK, b"<a/>").unwrap(),
            json!({"a": []})
        );
        let e = read(&p, &hooks, StatusCode::OK, b"<b/>").unwrap_err();
        assert!(matches!(e, HttpError::Decode { .. }), "{e}");
    }
}
