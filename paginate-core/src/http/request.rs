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
fn excerpt(body: &[u8]) -> String {
    crate::error::shorten(&String::from_utf8_lossy(body), EXCERPT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Route;
    use serde_json::json;

    /// `prepare` with the transport's origin, as the transports call it.
    fn prepare_on(
        base: &str,
        request: &PageRequest<'_>,
        hooks: &Hooks,
    ) -> Result<HttpRequest, HttpError> {
        let base = base_url(base).unwrap();
        prepare(&base, &Origin::new(base.clone()), request, hooks)
    }

    fn prepared(route: &str, base: &str, params: Value) -> Result<HttpRequest, HttpError> {
        let route = Route::parse(route).unwrap();
        let params = params.as_object().cloned().unwrap();
        let request = PageRequest::new("Op", &params).with_route(&route);
        prepare_on(base, &request, &Hooks::default())
    }

    fn received(status: StatusCode, body: &[u8]) -> Received {
        Received {
            status,
            headers: HeaderMap::new(),
            url: Url::parse("http://h/v1").unwrap(),
            body: body.to_vec(),
        }
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
            received(status, body),
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
        let e = prepare_on("http://h", &PageRequest::new("Op", &params), &none).unwrap_err();
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
        let reply = |body: &[u8]| p.read_reply(&page, &none, received(StatusCode::OK, body));
        assert!(matches!(
            reply(b" \r\n\t{\"a\": 1}").map(Reply::into_content),
            Ok(Content::Body(_))
        ));
        assert!(matches!(
            reply(b"[1]").map(Reply::into_content),
            Ok(Content::Body(_))
        ));
        assert!(matches!(
            reply(b"\"text\"").map(Reply::into_content),
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
        let p = prepare_on("http://h", &page, &hooks).unwrap();
        assert_eq!(p.url.as_str(), "http://h/v1?page=1");
        assert_eq!(p.headers["x-signed"], "yes");

        hooks.request.push(std::sync::Arc::new(
            |_: &PageRequest<'_>, _: &mut HttpRequest| Err("no credentials".into()),
        ));
        let e = prepare_on("http://h", &page, &hooks).unwrap_err();
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

    #[test]
    fn a_next_url_is_admitted_then_sent_with_the_params_over_its_query() {
        let route = Route::parse("GET /v1/things/{Id}").unwrap();
        let next = Url::parse(
            "http://h/v1/things/a%2Fb?page%5Bafter%5D=x%2B%FF&limit=50&api-version=old&keep=a+b#f",
        )
        .unwrap();
        let params =
            json!({"limit": 5, "api-version": "2024-01-01", "tags": ["a b", "c&d"], "gone": null});
        let params = params.as_object().cloned().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-cursor", HeaderValue::from_static("c1"));
        let request = PageRequest::new("Op", &params)
            .with_route(&route)
            .with_url(&next)
            .with_headers(&headers);
        let p = prepare_on("http://h/v1", &request, &Hooks::default()).unwrap();
        assert_eq!(p.method, Method::Get);
        // The URL's own parameters kept byte for byte (an undecodable `%FF` included), the
        // same-named ones replaced, the params appended as a route's query writes them; the
        // route's placeholders play no part.
        assert_eq!(
            p.url.as_str(),
            "http://h/v1/things/a%2Fb?page%5Bafter%5D=x%2B%FF&keep=a+b&limit=5&api-version=2024-01-01&tags=a+b&tags=c%26d#f"
        );
        assert_eq!(p.headers["x-cursor"], "c1");
        assert!(p.body.is_none());

        // No params: the URL as it is.
        let empty = Map::new();
        let request = PageRequest::new("Op", &empty).with_url(&next);
        let p = prepare_on("http://h/v1", &request, &Hooks::default()).unwrap();
        assert_eq!(p.url, next);

        // Elsewhere: refused before anything else, whatever the hooks would do.
        let mut hooks = Hooks::default();
        hooks.request.push(std::sync::Arc::new(
            |_: &PageRequest<'_>, _: &mut HttpRequest| -> Result<(), crate::BoxError> {
                panic!("a hook ran on a refused request")
            },
        ));
        for foreign in [
            "http://evil.example/v1/things",
            "http://h/admin",
            "http://h/v1x",
            "https://h/v1/things",
            "http://u:p@h/v1/things",
        ] {
            let next = Url::parse(foreign).unwrap();
            let request = PageRequest::new("Op", &empty).with_url(&next);
            let e = prepare_on("http://h/v1", &request, &hooks).unwrap_err();
            let HttpError::ForeignUrl { operation, source } = &e else {
                panic!("{foreign}: {e}");
            };
            assert_eq!(operation, "Op");
            assert_eq!(source.url(), &next);
            assert!(!e.is_retryable());
            assert_eq!(
                e.to_string(),
                "Op: the next URL is not on the transport's origin; no request was sent"
            );
        }
        // Rebasing moves it onto the base first.
        let base = base_url("https://api.example.com/v1").unwrap();
        let origin = Origin::new(base.clone()).rebasing(true);
        let next = Url::parse("http://internal:8000/v1/things?cursor=c").unwrap();
        let request = PageRequest::new("Op", &params).with_url(&next);
        let p = prepare(&base, &origin, &request, &Hooks::default()).unwrap();
        assert!(
            p.url
                .as_str()
                .starts_with("https://api.example.com/v1/things?cursor=c&limit=5"),
            "{}",
            p.url
        );
    }

    #[test]
    fn a_request_header_goes_with_a_route_request_too() {
        let route = Route::parse("POST /v1/search").unwrap();
        let params = Map::new();
        let mut headers = HeaderMap::new();
        headers.insert("range", HeaderValue::from_static("id ]5..; max=10"));
        let request = PageRequest::new("Op", &params)
            .with_route(&route)
            .with_headers(&headers);
        let p = prepare_on("http://h", &request, &Hooks::default()).unwrap();
        assert_eq!(p.headers["range"], "id ]5..; max=10");
        assert_eq!(p.headers[CONTENT_TYPE], "application/json");
    }

    #[test]
    fn replies_carry_the_status_headers_and_final_url() {
        let p = prepared("GET /v1", "http://h", json!({})).unwrap();
        let params = Map::new();
        let page = PageRequest::new("Op", &params);
        let mut headers = HeaderMap::new();
        headers.insert(
            "link",
            HeaderValue::from_static("</v1?page=2>; rel=\"next\""),
        );
        let answer = |body: &[u8], hooks: &Hooks| {
            let received = Received {
                status: StatusCode::PARTIAL_CONTENT,
                headers: headers.clone(),
                url: Url::parse("http://h/v1?page=1").unwrap(),
                body: body.to_vec(),
            };
            p.read_reply(&page, hooks, received).unwrap()
        };
        let mut hooks = Hooks::default();
        // A body, a value (a bare array is parsed here), a decoded value: all three.
        for (body, hooks) in [(&b"{}"[..], &hooks), (b"[1, 2]", &hooks)] {
            let reply = answer(body, hooks);
            assert_eq!(reply.status(), StatusCode::PARTIAL_CONTENT);
            assert_eq!(reply.headers()["link"], "</v1?page=2>; rel=\"next\"");
            assert_eq!(reply.url().map(Url::as_str), Some("http://h/v1?page=1"));
        }
        hooks.decode = Some(std::sync::Arc::new(
            |_: &PageRequest<'_>, _: &HttpResponse<'_>| Ok(json!([1])),
        ));
        let reply = answer(b"<xml/>", &hooks);
        assert_eq!(reply.content(), &Content::Value(json!([1])));
        assert_eq!(reply.status(), StatusCode::PARTIAL_CONTENT);
        assert!(reply.headers().contains_key("link"));
        assert_eq!(reply.url().map(Url::as_str), Some("http://h/v1?page=1"));
    }
}
