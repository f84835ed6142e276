//! Listings over both ready transports, checked from what the server received: the route's
//! method, the path with its placeholder encoded, the query or the JSON body of every page,
//! the headers hook's headers, and every item against the server's data.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use paginated::PaginationConfig;
use reqwest::header::HeaderValue;
use serde_json::{Value, json};

use super::server::{BUCKET, Logged, Server, bucket_keys};
use super::*;

/// The query of a logged request, sorted, as `name=value` texts.
fn query_of(logged: &Logged) -> Vec<String> {
    let mut pairs: Vec<String> = logged
        .query
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect();
    pairs.sort();
    pairs
}

/// The query each page of a listing of the photos must carry with `page_size`.
fn expected_queries(page_size: Option<usize>) -> Vec<Vec<String>> {
    let photos: Vec<String> = bucket_keys()
        .into_iter()
        .filter(|k| k.starts_with("photos/"))
        .collect();
    let size = page_size.unwrap_or(1000);
    (0..photos.len().div_ceil(size))
        .map(|page| {
            let mut query = vec!["prefix=photos/".to_owned()];
            if let Some(size) = page_size {
                query.push(format!("max-keys={size}"));
            }
            if page > 0 {
                query.push(format!("marker={}", photos[page * size - 1]));
            }
            query.sort();
            query
        })
        .collect()
}

/// Every request was a GET of the bucket's path, without a body, with the expected query.
fn check_get_log(log: &[Logged], page_size: Option<usize>) {
    let queries: Vec<Vec<String>> = log.iter().map(query_of).collect();
    assert_eq!(queries, expected_queries(page_size));
    for logged in log {
        assert_eq!(logged.method, "GET");
        assert_eq!(logged.path, BUCKET_IN_PATH);
        let segment = logged.path.split('/').nth(2).unwrap();
        let decoded = percent_encoding::percent_decode_str(segment)
            .decode_utf8()
            .unwrap();
        assert_eq!(decoded, BUCKET);
        assert!(logged.body.is_none(), "a GET has no body: {logged:?}");
        assert_eq!(
            logged.param("Bucket"),
            None,
            "the bucket is in the path only"
        );
        assert_eq!(logged.status, 200);
    }
}

#[test]
fn get_listing_puts_the_bucket_in_the_path_and_the_rest_in_the_query() {
    for page_size in [Some(5), None] {
        let mut config = PaginationConfig::default();
        config.page_size = page_size;
        let server = Server::start();
        let listed = items_blocking(
            &blocking(&server),
            &objects_model(),
            photos_params(),
            config.clone(),
        );
        assert!(listed.error.is_none(), "{:?}", listed.error);
        assert_eq!(listed.items, expected_photos());
        assert_eq!(listed.resume_token, None);
        check_get_log(&server.log(), page_size.map(|n| n as usize));

        let server = Server::start();
        let listed = block_on(items_async(
            &client(&server),
            &objects_model(),
            photos_params(),
            config,
        ));
        assert!(listed.error.is_none(), "{:?}", listed.error);
        assert_eq!(listed.items, expected_photos());
        check_get_log(&server.log(), page_size.map(|n| n as usize));
    }
}

/// Every request was a POST with no query and the params (and the page's cursor) in a JSON
/// body.
fn check_post_log(log: &[Logged]) {
    let bodies: Vec<Option<Value>> = log.iter().map(|l| l.body.clone()).collect();
    let filter = json!({"team": "core"});
    let fields = json!(["id", "name"]);
    assert_eq!(
        bodies,
        [
            Some(json!({"filter": filter, "fields": fields, "limit": 4})),
            Some(json!({"filter": filter, "fields": fields, "limit": 4, "cursor": "after:4"})),
            Some(json!({"filter": filter, "fields": fields, "limit": 4, "cursor": "after:8"})),
        ]
    );
    for logged in log {
        assert_eq!(logged.method, "POST");
        assert_eq!(logged.path, "/v1/users/search");
        assert!(logged.query.is_empty(), "a POST has no query: {logged:?}");
        assert_eq!(logged.header("content-type"), Some("application/json"));
        assert_eq!(logged.status, 200);
    }
}

#[test]
fn post_search_sends_every_param_in_a_json_body() {
    let params = json!({"filter": {"team": "core"}, "fields": ["id", "name"]});
    let config = PaginationConfig::default().page_size(4);

    let server = Server::start();
    let listed = items_blocking(
        &blocking(&server),
        &search_model(),
        params.clone(),
        config.clone(),
    );
    assert!(listed.error.is_none(), "{:?}", listed.error);
    assert_eq!(listed.items, expected_users("core"));
    check_post_log(&server.log());

    let server = Server::start();
    let listed = block_on(items_async(
        &client(&server),
        &search_model(),
        params,
        config,
    ));
    assert!(listed.error.is_none(), "{:?}", listed.error);
    assert_eq!(listed.items, expected_users("core"));
    check_post_log(&server.log());
}

#[test]
fn resume_tokens_continue_across_runs_and_transports() {
    let photos = expected_photos();
    let config = PaginationConfig::default().page_size(5);

    // Blocking stops at 7 items (inside page 2); async resumes.
    let server = Server::start();
    let first = items_blocking(
        &blocking(&server),
        &objects_model(),
        photos_params(),
        config.clone().max_items(7),
    );
    assert!(first.error.is_none(), "{:?}", first.error);
    assert_eq!(first.items, photos[..7]);
    let token = first.resume_token.expect("16 photos are left");
    let before = server.log().len();
    let rest = block_on(items_async(
        &client(&server),
        &objects_model(),
        photos_params(),
        config.clone().starting_token(Some(token)),
    ));
    assert!(rest.error.is_none(), "{:?}", rest.error);
    assert_eq!(rest.items, photos[7..]);
    // The resumed run asks again for page 2 (its marker is the 5th key) and skips what was
    // already handed out, as botocore's tokens say.
    let resumed = &server.log()[before];
    assert_eq!(resumed.param("marker"), photos[4]["key"].as_str());
    assert_eq!(resumed.param("max-keys"), Some("5"));

    // Async stops at 15 items (a page boundary); blocking resumes.
    let server = Server::start();
    let first = block_on(items_async(
        &client(&server),
        &objects_model(),
        photos_params(),
        config.clone().max_items(15),
    ));
    assert_eq!(first.items, photos[..15]);
    let token = first.resume_token.expect("8 photos are left");
    let rest = items_blocking(
        &blocking(&server),
        &objects_model(),
        photos_params(),
        config.starting_token(Some(token)),
    );
    assert!(rest.error.is_none(), "{:?}", rest.error);
    assert_eq!(rest.items, photos[15..]);
    assert_eq!(rest.resume_token, None);
}

/// A headers hook that hands out a new token for every request, as a refreshed credential
/// would, and names the page it is for.
fn rotating_token(
    counter: Arc<AtomicU64>,
) -> impl Fn(&paginated::PageRequest<'_>, &mut reqwest::header::HeaderMap) + Send + Sync + 'static {
    move |request, headers| {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let token = HeaderValue::from_str(&format!("Bearer token-{n}")).unwrap();
        headers.insert("authorization", token);
        headers.insert("x-page", HeaderValue::from(request.page()));
    }
}

fn check_tokens(log: &[Logged]) {
    let seen: Vec<(Option<&str>, Option<&str>)> = log
        .iter()
        .map(|l| (l.header("authorization"), l.header("x-page")))
        .collect();
    assert_eq!(
        seen,
        [
            (Some("Bearer token-1"), Some("1")),
            (Some("Bearer token-2"), Some("2")),
            (Some("Bearer token-3"), Some("3")),
        ]
    );
    for logged in log {
        // The hook adds to the transport's own headers; it does not replace them.
        assert_eq!(logged.header("content-type"), Some("application/json"));
    }
}

#[test]
fn headers_hook_gives_each_request_its_own_token() {
    let params = json!({"filter": {"team": "core"}});
    let config = PaginationConfig::default().page_size(3);

    let server = Server::start();
    let api = blocking(&server).headers(rotating_token(Arc::default()));
    let listed = items_blocking(&api, &search_model(), params.clone(), config.clone());
    assert_eq!(listed.items, expected_users("core"));
    check_tokens(&server.log());

    let server = Server::start();
    let api = client(&server).headers(rotating_token(Arc::default()));
    let listed = block_on(items_async(&api, &search_model(), params, config));
    assert_eq!(listed.items, expected_users("core"));
    check_tokens(&server.log());
}
