//! Errors that say what happened (issue 19): a page of the wrong shape names the request that
//! fetched it and what to declare; a typo in a declared key is a did-you-mean naming the URL
//! (K1); the blocking transport on an async runtime's thread is a typed error, and works from
//! `spawn_blocking`.

use paginated::http::HttpError;

use super::server::Server;
use super::*;

/// GitHub's listing (a bare array and a `Link` header) declared as if its pages were
/// objects: the mistake a new user makes first.
fn objects_declared() -> Model {
    Model::builder("ListThings")
        .route("GET /repos/things")
        .input_token("page")
        .output_token("next_page")
        .result_key("items")
        .limit_key("per_page")
        .build()
        .unwrap()
}

#[test]
fn an_array_page_names_its_request_and_what_to_declare() {
    let config = PaginationConfig::default().page_size(4);
    let server = Server::start();
    let b = items_blocking(
        &blocking(&server),
        &objects_declared(),
        json!({}),
        config.clone(),
    );
    let a = block_on(items_async(
        &client(&server),
        &objects_declared(),
        json!({}),
        config,
    ));
    for (via, listed) in [("blocking", b), ("async", a)] {
        let error = listed.error.expect("an array page is refused");
        let url = format!("{}/repos/things?per_page=4", server.base_url());
        assert!(
            matches!(&error, Error::PageNotObject { page, found: "array", request: Some(r), .. }
                if *page == 1 && **r == *format!("GET {url}")),
            "{via}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "ListThings: page 1 (GET {url}) is array, not a JSON object; if the page itself \
                 is the list, declare `result_key = \"@\"`"
            ),
            "{via}"
        );
    }
}

#[test]
fn a_key_typo_names_the_request_of_the_page_without_it() {
    let model = Model::builder("ListUsers")
        .route("POST /v1/users/search")
        .input_token("cursor")
        .output_token("next_cursor")
        .result_key("user")
        .limit_key("limit")
        .build()
        .unwrap();
    let server = Server::start();
    let config = PaginationConfig::default().page_size(5);
    let listed = items_blocking(
        &blocking(&server),
        &model,
        json!({"filter": {"team": "core"}}),
        config,
    );
    let error = listed.error.expect("a typo");
    let url = format!("{}/v1/users/search", server.base_url());
    assert!(
        matches!(&error, Error::KeyNotOnPage { field: "result_key", key, found, request: Some(r), .. }
            if key == "user" && found == "users" && **r == *format!("POST {url}")),
        "{error:?}"
    );
    assert!(listed.items.is_empty());
}

#[test]
fn the_blocking_transport_on_a_runtime_thread_is_a_typed_error_and_sends_nothing() {
    let server = Server::start();
    let transport = blocking(&server);
    let model = objects_model();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The body of `#[tokio::main]` or `#[tokio::test]`: a runtime's own thread.
    let on_runtime = runtime.block_on(async {
        model
            .paginate(&transport, photos_params())
            .next()
            .expect("an error")
    });
    let Err(error) = on_runtime else {
        panic!("a page came back: {on_runtime:?}");
    };
    let (_, http) = http_error(&error);
    assert!(
        matches!(http, HttpError::InsideAsyncRuntime { operation } if operation == "ListObjects"),
        "{http:?}"
    );
    assert!(error.to_string().contains("spawn_blocking"), "{error}");
    assert!(server.log().is_empty(), "nothing was sent");

    // In a task of the runtime, which tokio does not tell apart from `spawn_blocking`, each
    // request goes out from a thread of its own (reqwest's blocking client panics on a
    // runtime's worker): the run lists everything, blocking that worker the while.
    let threaded = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (in_task, task_model) = (transport.clone(), model.clone());
    let listed = threaded
        .block_on(threaded.spawn(async move {
            items_blocking(
                &in_task,
                &task_model,
                photos_params(),
                PaginationConfig::default().page_size(5),
            )
        }))
        .expect("the task does not panic");
    assert!(listed.error.is_none(), "{:?}", listed.error);
    assert_eq!(listed.items, expected_photos());

    // Off the runtime's thread, in `spawn_blocking`, the same run lists everything.
    let listed = runtime.block_on(async move {
        tokio::task::spawn_blocking(move || {
            items_blocking(
                &transport,
                &model,
                photos_params(),
                PaginationConfig::default().page_size(5),
            )
        })
        .await
        .unwrap()
    });
    assert!(listed.error.is_none(), "{:?}", listed.error);
    assert_eq!(listed.items, expected_photos());
    assert!(!server.log().is_empty());
}
