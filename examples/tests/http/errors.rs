//! What the ready transports report: the server's 400s and 404s, a stopped server, a model
//! without a route, an injected 503; each an `HttpError` as the `source()` of
//! `paginated::Error::Transport`.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_size_out_of_range_is_the_servers_400_as_a_transport_error() {
    let server = Server::start().await.unwrap();
    let api = async_api(&server.base_url());

    for page_size in [0, 1_001, 1 << 40] {
        let before = server.requests();
        let mut items = everything()
            .paginate_async(&api)
            .page_size(page_size)
            .items();
        let error = items.next().await.unwrap().unwrap_err();
        assert!(matches!(&error, Error::Transport { page, .. } if *page == 1));
        let HttpError::Status {
            operation,
            url,
            status,
            body,
            ..
        } = http_error(&error)
        else {
            panic!("expected an HTTP status error, got {error}");
        };
        assert_eq!(operation, "ListObjects");
        assert_eq!(*status, StatusCode::BAD_REQUEST);
        assert!(!http_error(&error).is_retryable());
        assert!(
            url.ends_with(&format!("/buckets/media/objects?MaxKeys={page_size}")),
            "{url}"
        );
        let body: S3Error = serde_json::from_str(body).unwrap();
        assert_eq!(body.code, "InvalidArgument");
        assert!(body.message.contains("MaxKeys"), "{}", body.message);
        // The run ended on the error, after exactly one request.
        assert!(items.next().await.is_none());
        assert_eq!(server.requests() - before, 1);
    }
}

#[test]
fn a_bad_token_is_the_servers_400_as_a_transport_error() {
    let server = BlockingServer::start().unwrap();
    let api = blocking_api(&server.base_url());

    // A token the server never issued: set on the request, then inside a resume token.
    let resume =
        base64::engine::general_purpose::STANDARD.encode(r#"{"next_token": "b2Zmc2V0OjAx"}"#);
    let runs = [
        ListUsers {
            next_token: Some("not-a-token".into()),
            limit: None,
        }
        .paginate(&api),
        ListUsers::default()
            .paginate(&api)
            .starting_token(Some(resume)),
    ];
    for mut run in runs {
        let error = run.next().unwrap().unwrap_err();
        let client_error = http_error(&error);
        assert_eq!(client_error.status(), Some(StatusCode::BAD_REQUEST));
        let HttpError::Status { body, url, .. } = client_error else {
            panic!("expected an HTTP status error, got {error}");
        };
        assert!(url.contains("/v1/users?next_token="), "{url}");
        let body: PlainError = serde_json::from_str(body).unwrap();
        assert_eq!(body.error.code, "invalid_token");
        // The run ends, and still points at the page that failed (L7).
        assert!(run.next().is_none());
        assert!(run.resume_token().is_some());
    }

    let error = ListUsers::default()
        .paginate(&api)
        .page_size(501)
        .next()
        .unwrap()
        .unwrap_err();
    let HttpError::Status { body, .. } = http_error(&error) else {
        panic!("{error}")
    };
    assert_eq!(
        serde_json::from_str::<PlainError>(body).unwrap().error.code,
        "invalid_limit"
    );

    let error = ListObjects::bucket("nope")
        .paginate(&api)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(http_error(&error).status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(server.requests(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_queries_get_json_errors() {
    let server = Server::start().await.unwrap();
    let http = reqwest::Client::new();
    let base = server.base_url();

    let s3_cases = [
        "/buckets/media/objects?MaxKeys=abc",
        "/buckets/media/objects?MaxKeys=-1",
        "/buckets/media/objects?MaxKeys=1001",
        "/buckets/media/objects?MaxKeys=18446744073709551616",
        "/buckets/media/objects?Marker=a&Marker=b",
        "/buckets/media/objects?Bucket=media",
    ];
    for path in s3_cases {
        let response = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: S3Error = response.json().await.unwrap();
        assert_eq!(body.code, "InvalidArgument", "{path}");
    }
    let plain_cases = [
        ("/v1/users?limit=0", "invalid_limit"),
        ("/v1/users?limit=x", "invalid_limit"),
        ("/v1/users?next_token=%FF%FE", "invalid_token"),
        ("/v1/users?next_token=", "invalid_token"),
        ("/v1/users?next_token=b2Zmc2V0OjMwMDA", "invalid_token"),
        ("/v1/users?page=2", "invalid_request"),
    ];
    for (path, code) in plain_cases {
        let response = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: PlainError = response.json().await.unwrap();
        assert_eq!(body.error.code, code, "{path}");
    }
    let response = http.get(format!("{base}/v2/users")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: PlainError = response.json().await.unwrap();
    assert_eq!(body.error.code, "not_found");
    // Every request was counted, the unrouted one included.
    assert_eq!(server.requests(), 13);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_server_refuses_connections() {
    let server = Server::start().await.unwrap();
    let api = async_api(&server.base_url());
    probe(&api).await;
    server.stop().await.unwrap();

    let error = ListUsers::default()
        .paginate_async(&api)
        .next()
        .await
        .unwrap()
        .unwrap_err();
    let error = http_error(&error);
    assert!(matches!(error, HttpError::Request { .. }), "{error}");
    assert!(error.is_retryable());
    assert!(
        error
            .to_string()
            .starts_with("ListUsers: GET http://127.0.0.1:"),
        "{error}"
    );
}

#[test]
fn the_blocking_transport_reports_the_same_errors() {
    let server = BlockingServer::start().unwrap();
    let api = blocking_api(&server.base_url());
    let error = ListUsers::default()
        .paginate(&api)
        .page_size(0)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(http_error(&error).status(), Some(StatusCode::BAD_REQUEST));

    // A model without a route: refused by the transport, before anything is sent.
    let unrouted = Model::builder("PutObject")
        .input_token("Marker")
        .output_token("NextMarker")
        .result_key("Contents")
        .build()
        .unwrap();
    let error = unrouted
        .paginate(&api, json!({}))
        .next()
        .unwrap()
        .unwrap_err();
    let error = http_error(&error);
    assert!(matches!(error, HttpError::NoRoute { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("PutObject: the model has no HTTP route")
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_ends_the_run_and_its_token_resumes_at_the_failed_page() {
    // Without retries in the stack, the 3rd request fails: the run stops on page 3, and its
    // resume token points at that page, so the next run picks up exactly there.
    let server = Server::start_with(Faults::default().unavailable_every(3))
        .await
        .unwrap();
    let api = async_api(&server.base_url());

    let mut first = ListUsers::default().paginate_async(&api).page_size(400);
    let mut users: Vec<User> = Vec::new();
    let error = loop {
        match first.next().await.unwrap() {
            Ok(page) => users.extend(page.users),
            Err(error) => break error,
        }
    };
    assert!(
        matches!(error, Error::Transport { page, .. } if page == 3),
        "{error}"
    );
    let cause = http_error(&error);
    assert_eq!(cause.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert!(cause.is_retryable());
    let HttpError::Status { body, .. } = cause else {
        panic!("{cause}")
    };
    let body: PlainError = serde_json::from_str(body).unwrap();
    assert_eq!(body.error.code, "unavailable");
    assert!(first.next().await.is_none());
    assert_eq!(users.len(), 800);

    let token = first.resume_token().unwrap();
    let mut rest = ListUsers::default()
        .paginate_async(&api)
        .page_size(400)
        .starting_token(Some(token));
    // Request 6 fails too; each failure is resumed the same way until the end.
    loop {
        match rest.next().await {
            Some(Ok(page)) => users.extend(page.users),
            Some(Err(error)) => {
                assert!(http_error(&error).is_retryable(), "{error}");
                let token = rest.resume_token().unwrap();
                rest = ListUsers::default()
                    .paginate_async(&api)
                    .page_size(400)
                    .starting_token(Some(token));
            }
            None => break,
        }
    }
    assert_eq!(users, server.data().users);
}
