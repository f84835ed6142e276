//! Failures over both ready transports: error statuses, bodies that are not JSON and refused
//! connections come out as typed `HttpError`s, the source of `Error::Transport`, with the
//! operation, method, URL, status and the start of the body in the message.

use std::error::Error as _;

use paginated::PaginationConfig;
use paginated::http::HttpError;
use serde_json::json;

use super::server::{Reply, Server};
use super::*;

/// The same run through both transports, each against a fresh server scripted by `script`:
/// what each gave, with the base URL it was sent to.
fn both(
    script: impl Fn(&Server),
    params: serde_json::Value,
) -> Vec<(&'static str, String, Listed)> {
    let config = PaginationConfig::default().page_size(5);
    let server = Server::start();
    script(&server);
    let b = items_blocking(
        &blocking(&server),
        &objects_model(),
        params.clone(),
        config.clone(),
    );
    let blocking_base = server.base_url();
    let server = Server::start();
    script(&server);
    let a = block_on(items_async(
        &client(&server),
        &objects_model(),
        params,
        config,
    ));
    vec![
        ("blocking", blocking_base, b),
        ("async", server.base_url(), a),
    ]
}

/// The URL of the first page of the photos listing under `base`.
fn first_page_url(base: &str) -> String {
    format!("{base}{BUCKET_IN_PATH}?prefix=photos%2F&max-keys=5")
}

#[test]
fn a_404_with_a_json_body_is_a_status_error_naming_the_request() {
    let params = json!({"Bucket": "missing", "prefix": "photos/"});
    for (via, base, listed) in both(|_| {}, params) {
        assert!(listed.items.is_empty(), "{via}");
        let error = listed.error.expect("a 404 ends the run");
        let url = format!("{base}/buckets/missing/objects?prefix=photos%2F&max-keys=5");
        // The message alone says what happened: the request, its URL and the status.
        assert_eq!(
            error.to_string(),
            format!(
                "ListObjects: page 1 failed: GET {url} returned HTTP 404 Not Found: \
                 {{\"error\":\"NoSuchBucket\",\"bucket\":\"missing\"}}"
            ),
            "{via}"
        );
        let (page, http) = http_error(&error);
        assert_eq!(page, 1);
        match http {
            HttpError::Status {
                operation,
                url: u,
                status,
                body,
                ..
            } => {
                assert_eq!(operation, "ListObjects");
                assert_eq!(*u, url, "{via}");
                assert_eq!(status.as_u16(), 404);
                assert_eq!(body, r#"{"error":"NoSuchBucket","bucket":"missing"}"#);
            }
            other => panic!("{via}: not a status error: {other:?}"),
        }
        assert_eq!(
            http.to_string(),
            format!(
                r#"ListObjects: GET {url} returned HTTP 404 Not Found: {{"error":"NoSuchBucket","bucket":"missing"}}"#
            )
        );
        assert_eq!(http.status().map(|s| s.as_u16()), Some(404));
        assert!(!http.is_retryable(), "{via}: a 404 is the request's fault");
    }
}

#[test]
fn a_500_on_page_2_keeps_page_1_and_names_page_2() {
    let script = |server: &Server| {
        server.script(
            2,
            usize::MAX,
            Reply::Answer {
                status: 500,
                content_type: "text/plain",
                body: "database on fire".into(),
            },
        );
    };
    let photos = expected_photos();
    for (via, base, listed) in both(script, photos_params()) {
        assert_eq!(listed.items, photos[..5], "{via}: page 1 is handed out");
        let error = listed.error.expect("the 500 ends the run");
        let (page, http) = http_error(&error);
        assert_eq!(page, 2, "{via}");
        assert_eq!(http.status().map(|s| s.as_u16()), Some(500));
        assert!(http.is_retryable(), "{via}: a 5xx may pass");
        let marker = "photos%2F04+%C3%BC+%26%3D%2B%23%3F%2520.jpg";
        assert_eq!(
            http.to_string(),
            format!(
                "ListObjects: GET {}&marker={marker} returned HTTP 500 Internal Server Error: database on fire",
                first_page_url(&base)
            ),
            "{via}"
        );
        // L7: the token fetches the page that failed again: its marker is page 1's last key.
        let token = listed
            .resume_token
            .as_deref()
            .expect("a token after the failure");
        let position: serde_json::Value =
            serde_json::from_str(&paginate_tests::dec(token)).unwrap();
        assert_eq!(
            position,
            serde_json::json!({"marker": photos[4]["key"]}),
            "{via}"
        );
    }
}

#[test]
fn a_200_that_is_not_json_is_refused_with_the_parser_error_as_source() {
    let html = format!("<html><body>{}</body></html>", "maintenance ".repeat(100));
    let script = |server: &Server| {
        server.script(
            1,
            usize::MAX,
            Reply::Answer {
                status: 200,
                content_type: "text/html",
                body: html.clone(),
            },
        );
    };
    for (via, base, listed) in both(script, photos_params()) {
        let error = listed.error.expect("HTML is not a page");
        let (page, http) = http_error(&error);
        assert_eq!(page, 1);
        let HttpError::NotJson {
            operation,
            url,
            status,
            body,
            ..
        } = http
        else {
            panic!("{via}: not NotJson: {http:?}");
        };
        assert_eq!(operation, "ListObjects");
        assert_eq!(*url, first_page_url(&base));
        assert_eq!(status.as_u16(), 200);
        // The excerpt is the first 500 characters, marked as cut.
        let expected: String = html.chars().take(500).collect();
        assert_eq!(*body, format!("{expected}…"));
        assert!(
            http.to_string().starts_with(&format!(
                "ListObjects: GET {url} returned HTTP 200 OK with a body that is not JSON: <html><body>maintenance"
            )),
            "{via}: {http}"
        );
        let parser = http.source().expect("the parser's error");
        assert!(
            parser.downcast_ref::<serde_json::Error>().is_some(),
            "{via}: {parser:?}"
        );
        assert!(!http.is_retryable());
        assert_eq!(http.status().map(|s| s.as_u16()), Some(200));
    }
}

/// A base URL on a port nobody listens on: bound by the OS, then released.
fn closed_port_base() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn check_refused(via: &str, base: &str, listed: Listed) {
    assert!(listed.items.is_empty());
    let error = listed.error.expect("nothing answers");
    let (page, http) = http_error(&error);
    assert_eq!(page, 1);
    let HttpError::Request { url, .. } = http else {
        panic!("{via}: not a request error: {http:?}");
    };
    assert_eq!(*url, first_page_url(base));
    assert_eq!(http.to_string(), format!("ListObjects: GET {url} failed"));
    assert_eq!(http.status(), None);
    assert!(
        http.is_retryable(),
        "{via}: no response may be cured by a retry"
    );
    let cause = http.source().expect("the client's error");
    let cause = cause
        .downcast_ref::<reqwest::Error>()
        .unwrap_or_else(|| panic!("{via}: not reqwest's error: {cause:?}"));
    assert!(cause.is_connect(), "{via}: {cause:?}");
}

#[test]
fn a_refused_connection_is_a_request_error_with_the_client_error_as_source() {
    let config = PaginationConfig::default().page_size(5);
    let base = closed_port_base();
    let api = BlockingHttpTransport::new(reqwest::blocking::Client::new(), &base).unwrap();
    let listed = items_blocking(&api, &objects_model(), photos_params(), config.clone());
    check_refused("blocking", &base, listed);

    let base = closed_port_base();
    let api = HttpTransport::new(reqwest::Client::new(), &base).unwrap();
    let listed = block_on(items_async(&api, &objects_model(), photos_params(), config));
    check_refused("async", &base, listed);
}
