//! End-to-end tests of paginate over real HTTP: the example API started in-process on
//! `127.0.0.1`, the async and blocking reqwest transports, and every listing compared item by
//! item with the data the server holds.
//!
//! Blocking clients never run on an async worker: they run on plain test threads or in
//! `tokio::task::spawn_blocking`. Nothing sleeps: the servers are ready once bound, and
//! "nothing more was sent" is proven with the server's request counter.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::error::Error as _;
use std::sync::Arc;

use base64::Engine as _;
use paginate_core::{AsyncTransport, Error, Paginated, Transport};
use paginate_examples::api::{BUCKET, BlockingServer, Dataset, Server};
use paginate_examples::types::{ObjectListing, PlainError, S3Error};
use paginate_examples::{ApiError, BlockingHttpApi, HttpApi, ListObjects, ListUsers, Object, User};
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

fn everything() -> ListObjects {
    ListObjects::bucket(BUCKET)
}

/// The transport error inside a paginate error, as the client's own type.
fn api_error(error: &Error) -> &ApiError {
    assert!(
        matches!(error, Error::Transport { .. }),
        "not a transport error: {error}"
    );
    error
        .source()
        .and_then(|source| source.downcast_ref::<ApiError>())
        .unwrap_or_else(|| panic!("the source of {error} is not an ApiError"))
}

/// The entries S3 lists for `prefix` with delimiter `/`: keys without a `/` after the prefix,
/// and each rolled-up prefix once, as (keys, prefixes).
fn expected_entries(data: &Dataset, prefix: &str) -> (Vec<String>, Vec<String>) {
    let (mut keys, mut prefixes) = (Vec::new(), Vec::<String>::new());
    for object in &data.objects {
        let Some(rest) = object.key.strip_prefix(prefix) else {
            continue;
        };
        match rest.split_once('/') {
            Some((head, _)) => {
                let common = format!("{prefix}{head}/");
                if prefixes.last() != Some(&common) {
                    prefixes.push(common);
                }
            }
            None => keys.push(object.key.clone()),
        }
    }
    (keys, prefixes)
}

// ---------------------------------------------------------------------------------------
// Whole listings

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawned_async_stream_lists_every_object_once_in_order() {
    let server = Server::start().await.unwrap();
    let api = Arc::new(HttpApi::new(&server.base_url()).unwrap());

    let stream = everything()
        .paginate_async(api.clone())
        .page_size(777)
        .items();
    let objects: Vec<Object> = tokio::spawn(async move {
        let mut stream = stream;
        let mut objects = Vec::new();
        while let Some(object) = stream.next().await {
            objects.push(object.unwrap());
        }
        objects
    })
    .await
    .unwrap();

    assert_eq!(objects.len(), 10_502);
    assert_eq!(objects, server.data().objects);
    // ceil(10,502 / 777) pages, and no request after the page that said IsTruncated false.
    assert_eq!(server.requests(), 14);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_delimiter_pages_chain_on_the_last_key() {
    let server = Server::start().await.unwrap();
    let api = HttpApi::new(&server.base_url()).unwrap();

    let mut pages = everything().paginate_async(&api);
    let mut listed = Vec::new();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page: ObjectListing = page.unwrap();
        count += 1;
        // No NextMarker: the next Marker can only have come from `Contents[-1].Key`.
        assert_eq!(page.next_marker, None);
        assert_eq!(page.max_keys, 1_000);
        assert_eq!(page.is_truncated, count < 11);
        let expected_marker = listed
            .last()
            .map_or("", |o: &Object| o.key.as_str())
            .to_owned();
        assert_eq!(page.marker, expected_marker);
        listed.extend(page.contents);
    }
    assert_eq!(count, 11);
    assert_eq!(listed, server.data().objects);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_transport_in_spawn_blocking_lists_every_object_once_in_order() {
    let server = Server::start().await.unwrap();
    let base_url = server.base_url();

    let objects = tokio::task::spawn_blocking(move || {
        let api = BlockingHttpApi::new(&base_url).unwrap();
        everything()
            .paginate(&api)
            .page_size(1_000)
            .items()
            .collect::<Result<Vec<Object>, _>>()
            .unwrap()
    })
    .await
    .unwrap();

    assert_eq!(objects, server.data().objects);
    assert_eq!(server.requests(), 11);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawned_async_stream_lists_every_user_once_in_order() {
    let server = Server::start().await.unwrap();
    let api = Arc::new(HttpApi::new(&server.base_url()).unwrap());

    let pages = ListUsers::default()
        .paginate_async(api.clone())
        .page_size(64);
    let users: Vec<User> = tokio::spawn(async move {
        let mut pages = pages;
        let mut users = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.unwrap();
            // The token is null exactly on the last page.
            assert_eq!(
                page.next_token.is_none(),
                users.len() + page.users.len() == 3_000
            );
            users.extend(page.users);
        }
        users
    })
    .await
    .unwrap();

    assert_eq!(users, server.data().users);
    assert_eq!(server.requests(), 47); // ceil(3,000 / 64)
}

#[test]
fn blocking_server_and_blocking_client_list_every_user_once_in_order() {
    let server = BlockingServer::start().unwrap();
    let api = BlockingHttpApi::new(&server.base_url()).unwrap();

    // The server's default page (100 users), then the largest it allows.
    for (page_size, requests) in [(None, 30), (Some(500), 6)] {
        let before = server.requests();
        let mut pages = ListUsers::default().paginate(&api);
        if let Some(page_size) = page_size {
            pages = pages.page_size(page_size);
        }
        let users: Vec<User> = pages.items().collect::<Result<_, _>>().unwrap();
        assert_eq!(users, server.data().users);
        assert_eq!(server.requests() - before, requests);
    }
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_delimiter_pages_chain_on_next_marker() {
    let server = Server::start().await.unwrap();
    let api = HttpApi::new(&server.base_url()).unwrap();

    for (prefix, page_size) in [("", 2), ("docs/", 1), ("photos/", 1), ("logs/app/2024/", 3)] {
        let (keys, prefixes) = expected_entries(server.data(), prefix);
        let mut pages = everything()
            .prefix(prefix)
            .delimiter("/")
            .paginate_async(&api)
            .page_size(page_size);
        let (mut got_keys, mut got_prefixes) = (Vec::new(), Vec::new());
        while let Some(page) = pages.next().await {
            let page = page.unwrap();
            let mut entries: Vec<String> = page.contents.iter().map(|o| o.key.clone()).collect();
            entries.extend(page.common_prefixes.iter().map(|c| c.prefix.clone()));
            entries.sort();
            let count = entries.len() as u64;
            if page.is_truncated {
                assert_eq!(count, page_size, "a truncated page is a full page");
            } else {
                assert!(count <= page_size);
            }
            // NextMarker is the page's last entry (sometimes a prefix, which
            // `Contents[-1].Key` could not give) exactly when the page is truncated.
            let last = entries.last().cloned();
            assert_eq!(
                page.next_marker,
                if page.is_truncated { last } else { None }
            );
            got_keys.extend(page.contents.into_iter().map(|o| o.key));
            got_prefixes.extend(page.common_prefixes.into_iter().map(|c| c.prefix));
        }
        assert_eq!(
            (&got_keys, &got_prefixes),
            (&keys, &prefixes),
            "prefix {prefix:?}"
        );
        assert!(!got_keys.is_empty() || !got_prefixes.is_empty());
    }

    // The top level has no keys at all: without NextMarker the run would stop after one page.
    let prefixes: Vec<Value> = everything()
        .delimiter("/")
        .paginate_async(&api)
        .page_size(2)
        .items_of("CommonPrefixes")
        .unwrap()
        .collect_all()
        .await;
    let expected: Vec<Value> = ["backups/", "docs/", "logs/", "photos/", "videos/"]
        .map(|p| json!({"Prefix": p}))
        .into();
    assert_eq!(prefixes, expected);
}

/// Collects an async stream of results, failing the test on the first error.
trait CollectAll<T> {
    async fn collect_all(self) -> Vec<T>;
}

impl<'a, H, T> CollectAll<T> for paginate_core::ItemStream<'a, H, T>
where
    H: std::ops::Deref + Clone + Send + 'a,
    H::Target: AsyncTransport,
    T: serde::de::DeserializeOwned + 'static,
{
    async fn collect_all(mut self) -> Vec<T> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item.unwrap());
        }
        all
    }
}

// ---------------------------------------------------------------------------------------
// Interrupted runs

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_stream_stopped_after_k_items_resumes_from_its_token() {
    let server = Server::start().await.unwrap();
    let api = HttpApi::new(&server.base_url()).unwrap();
    let all = &server.data().objects;

    for k in [
        1, 2, 499, 500, 501, 999, 1_000, 1_001, 5_250, 10_501, 10_502,
    ] {
        let mut first = everything().paginate_async(&api).page_size(500).items();
        let mut listed = Vec::new();
        while listed.len() < k {
            listed.push(first.next().await.unwrap().unwrap());
        }
        let token = first.resume_token();
        drop(first);
        match token {
            None => assert_eq!(k, all.len(), "no token, yet {k} items were taken"),
            Some(token) => {
                let rest = everything()
                    .paginate_async(&api)
                    .page_size(500)
                    .starting_token(Some(token))
                    .items()
                    .collect_all()
                    .await;
                listed.extend(rest);
            }
        }
        assert_eq!(&listed, all, "stopped after {k} items");
    }
}

#[test]
fn a_chain_of_interrupted_blocking_runs_lists_everything_exactly_once() {
    let server = BlockingServer::start().unwrap();
    let api = BlockingHttpApi::new(&server.base_url()).unwrap();

    // Objects: each run resumes from the previous one's item token (offsets add up, R7)
    // and stops after the next count; page size 333 puts the stops all over the pages.
    let stops = [1, 332, 1, 1, 999, 2_500, 333, 1_234, 7];
    let mut listed: Vec<Object> = Vec::new();
    let mut token: Option<String> = None;
    for stop in stops.iter().copied().cycle() {
        let mut run = everything().paginate(&api).page_size(333);
        if let Some(token) = token.take() {
            run = run.starting_token(Some(token));
        }
        let mut items = run.items();
        for object in items.by_ref().take(stop) {
            listed.push(object.unwrap());
        }
        token = items.resume_token();
        if token.is_none() {
            break;
        }
    }
    assert_eq!(listed, server.data().objects);

    // Users, stopping at page boundaries: the page iterator's own token.
    let mut users: Vec<User> = Vec::new();
    let mut token: Option<String> = None;
    for pages_per_run in [1, 3, 2].iter().copied().cycle() {
        let mut run = ListUsers::default().paginate(&api).page_size(97);
        if let Some(token) = token.take() {
            run = run.starting_token(Some(token));
        }
        for page in run.by_ref().take(pages_per_run) {
            users.extend(page.unwrap().users);
        }
        token = run.resume_token();
        if token.is_none() {
            break;
        }
    }
    assert_eq!(users, server.data().users);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_items_runs_chained_by_their_tokens_list_everything_exactly_once() {
    let server = Server::start().await.unwrap();
    let api = HttpApi::new(&server.base_url()).unwrap();
    let data = server.data();

    for (max_items, page_size) in [
        (250, 100),
        (999, 1_000),
        (1_000, 1_000),
        (1_001, 1_000),
        (2_500, 700),
        (4_000, 1_000),
    ] {
        let mut listed: Vec<Object> = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut run = everything()
                .paginate_async(&api)
                .max_items(max_items)
                .page_size(page_size);
            if let Some(token) = token.take() {
                run = run.starting_token(Some(token));
            }
            let before = listed.len();
            while let Some(page) = run.next().await {
                listed.extend(page.unwrap().contents);
            }
            token = run.resume_token();
            let taken = (listed.len() - before) as u64;
            match &token {
                Some(_) => assert_eq!(taken, max_items, "a run that stopped early must be full"),
                None => break,
            }
        }
        assert_eq!(
            listed, data.objects,
            "max_items {max_items}, page size {page_size}"
        );
    }

    // The same through build_full_result's NextToken, on the users endpoint.
    let mut users: Vec<User> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut run = ListUsers::default()
            .paginate_async(&api)
            .page_size(300)
            .max_items(1_100);
        if let Some(token) = token.take() {
            run = run.starting_token(Some(token));
        }
        let full: Value = run.build_full_result_as().await.unwrap();
        let page: Vec<User> = serde_json::from_value(full["users"].clone()).unwrap();
        users.extend(page);
        match full.get("NextToken").and_then(Value::as_str) {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(users, data.users);
}

// ---------------------------------------------------------------------------------------
// Cancellation

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_stream_sends_no_further_request() {
    let server = Server::start().await.unwrap();
    let api = HttpApi::new(&server.base_url()).unwrap();
    let probe = Map::new();

    // A page stream, an item stream and a search stream, each dropped after its first page.
    let mut pages = everything().paginate_async(&api).page_size(100);
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.contents.len(), 100);
    assert!(first.is_truncated);
    assert_eq!(server.requests(), 1);
    drop(pages);
    // One request of our own: the server sees it right after the first page, and nothing
    // from the dropped stream (which could only send when polled) came in between.
    AsyncTransport::call(&api, "ListUsers", &probe)
        .await
        .unwrap();
    assert_eq!(server.requests(), 2);

    let mut items = ListUsers::default()
        .paginate_async(&api)
        .page_size(10)
        .items();
    assert_eq!(items.next().await.unwrap().unwrap(), server.data().users[0]);
    assert_eq!(server.requests(), 3);
    drop(items);
    AsyncTransport::call(&api, "ListUsers", &probe)
        .await
        .unwrap();
    assert_eq!(server.requests(), 4);

    let mut search = everything()
        .paginate_async(&api)
        .page_size(5)
        .search("Contents[].Key")
        .unwrap();
    let key = search.next().await.unwrap().unwrap();
    assert_eq!(key, json!(server.data().objects[0].key));
    assert_eq!(server.requests(), 5);
    drop(search);
    AsyncTransport::call(&api, "ListUsers", &probe)
        .await
        .unwrap();
    assert_eq!(server.requests(), 6);
}

// ---------------------------------------------------------------------------------------
// Errors

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_size_out_of_range_is_the_servers_400_as_a_transport_error() {
    let server = Server::start().await.unwrap();
    let api = HttpApi::new(&server.base_url()).unwrap();

    for page_size in [0, 1_001, 1 << 40] {
        let before = server.requests();
        let mut items = everything()
            .paginate_async(&api)
            .page_size(page_size)
            .items();
        let error = items.next().await.unwrap().unwrap_err();
        assert!(matches!(&error, Error::Transport { page: 1, .. }));
        let ApiError::Status {
            operation,
            url,
            status,
            body,
        } = api_error(&error)
        else {
            panic!("expected an HTTP status error, got {error}");
        };
        assert_eq!(operation, "ListObjects");
        assert_eq!(*status, StatusCode::BAD_REQUEST);
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
    let api = BlockingHttpApi::new(&server.base_url()).unwrap();

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
        let client_error = api_error(&error);
        assert_eq!(client_error.status(), Some(StatusCode::BAD_REQUEST));
        let ApiError::Status { body, url, .. } = client_error else {
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
    let ApiError::Status { body, .. } = api_error(&error) else {
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
    assert_eq!(api_error(&error).status(), Some(StatusCode::NOT_FOUND));
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
    let api = HttpApi::new(&server.base_url()).unwrap();
    AsyncTransport::call(&api, "ListUsers", &Map::new())
        .await
        .unwrap();
    server.stop().await.unwrap();

    let error = AsyncTransport::call(&api, "ListUsers", &Map::new())
        .await
        .unwrap_err();
    assert!(matches!(error, ApiError::Request { .. }), "{error}");
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
    let api = BlockingHttpApi::new(&server.base_url()).unwrap();
    let error = Transport::call(
        &api,
        "ListUsers",
        &Map::from_iter([("limit".into(), json!(0))]),
    )
    .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    let error = Transport::call(&api, "PutObject", &Map::new()).unwrap_err();
    assert!(
        matches!(error, ApiError::UnknownOperation { .. }),
        "{error}"
    );
    // The unknown operation was refused before anything was sent.
    assert_eq!(server.requests(), 1);
}

// ---------------------------------------------------------------------------------------
// The main example

#[test]
fn the_main_example_runs_against_an_external_server() {
    let server = BlockingServer::start().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_paginate-examples"))
        .args(["--base-url", &server.base_url()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // It used the server it was pointed at, and only that one.
    assert!(server.requests() > 50, "{} requests", server.requests());
}
