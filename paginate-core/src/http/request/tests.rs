//! Tests of `request.rs`: reading replies, query replacement on next URLs, request headers.

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
