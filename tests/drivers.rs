//! One table of scenarios, two drivers: every scenario runs through the blocking iterators
//! and through the async streams (on a multi-threaded runtime, spawned), and both must give
//! exactly the expected pages, requests, items, tokens and full result (SEMANTICS G6). Each
//! driver runs every scenario twice, once with the pages as `Value`s and once as their
//! response bodies (`Wire::Body`, G8), against the same expectations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use paginate_tests::{FakeError, Scripted, Wire, Wired, enc, model};
use paginated::{DuplicateTokenPolicy, Model, PaginationConfig};
use serde_json::{Value, json};

/// What one driver observed of one scenario: three runs over fresh copies of the service.
#[derive(Debug, PartialEq)]
struct Outcome {
    /// Pages, then the error that ended the run (as its message), if any.
    pages: Vec<Value>,
    error: Option<String>,
    calls: Vec<Value>,
    resume_token: Option<String>,
    /// Items of the primary key, then the item run's final resume token.
    items: Vec<Value>,
    items_token: Option<String>,
    /// `build_full_result`, or its error message.
    full: Result<Value, String>,
}

struct Scenario {
    name: &'static str,
    model: fn() -> Model,
    params: Value,
    responses: fn() -> Vec<Result<Value, FakeError>>,
    config: fn() -> PaginationConfig,
    expect: fn() -> Outcome,
}

fn users() -> Model {
    model(
        "ListUsers",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": "Users", "limit_key": "MaxKeys"}),
    )
}

fn s3() -> Model {
    model(
        "ListObjects",
        json!({"more_results": "IsTruncated", "limit_key": "MaxKeys", "output_token": "NextMarker || Contents[-1].Key",
               "input_token": "Marker", "result_key": ["Contents", "CommonPrefixes"]}),
    )
}

fn page(users: &[&str], next: Option<&str>) -> Value {
    let mut p = json!({"Users": users});
    if let Some(n) = next {
        p["NextMarker"] = json!(n);
    }
    p
}

fn ok(pages: Vec<Value>) -> Vec<Result<Value, FakeError>> {
    pages.into_iter().map(Ok).collect()
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "G1 L2 L3: three pages, tokens followed until absent",
            model: users,
            params: json!({"Filter": "x"}),
            responses: || {
                ok(vec![
                    page(&["a", "b"], Some("m1")),
                    page(&["c"], Some("m2")),
                    page(&[], None),
                ])
            },
            config: PaginationConfig::default,
            expect: || Outcome {
                pages: vec![
                    page(&["a", "b"], Some("m1")),
                    page(&["c"], Some("m2")),
                    page(&[], None),
                ],
                error: None,
                calls: vec![
                    json!({"Filter": "x"}),
                    json!({"Filter": "x", "Marker": "m1"}),
                    json!({"Filter": "x", "Marker": "m2"}),
                ],
                resume_token: None,
                items: vec![json!("a"), json!("b"), json!("c")],
                items_token: None,
                full: Ok(json!({"Users": ["a", "b", "c"]})),
            },
        },
        Scenario {
            name: "O2 M2: page size and a cut page",
            model: users,
            params: json!({}),
            responses: || {
                ok(vec![
                    page(&["a", "b"], Some("m1")),
                    page(&["c", "d"], Some("m2")),
                    page(&["e"], None),
                ])
            },
            config: || PaginationConfig::default().page_size(2).max_items(3),
            expect: || Outcome {
                pages: vec![page(&["a", "b"], Some("m1")), page(&["c"], Some("m2"))],
                error: None,
                calls: vec![json!({"MaxKeys": 2}), json!({"MaxKeys": 2, "Marker": "m1"})],
                resume_token: Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#)),
                items: vec![json!("a"), json!("b"), json!("c")],
                items_token: Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#)),
                full: Ok(
                    json!({"Users": ["a", "b", "c"], "NextToken": enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#)}),
                ),
            },
        },
        Scenario {
            name: "M3: max_items on a page boundary",
            model: users,
            params: json!({}),
            responses: || {
                ok(vec![
                    page(&["a"], Some("m1")),
                    page(&["b"], Some("m2")),
                    page(&["c"], None),
                ])
            },
            config: || PaginationConfig::default().max_items(2),
            expect: || Outcome {
                pages: vec![page(&["a"], Some("m1")), page(&["b"], Some("m2"))],
                error: None,
                calls: vec![json!({}), json!({"Marker": "m1"})],
                resume_token: Some(enc(r#"{"Marker": "m2"}"#)),
                items: vec![json!("a"), json!("b")],
                items_token: Some(enc(r#"{"Marker": "m2"}"#)),
                full: Ok(json!({"Users": ["a", "b"], "NextToken": enc(r#"{"Marker": "m2"}"#)})),
            },
        },
        Scenario {
            name: "M4: max_items zero",
            model: users,
            params: json!({}),
            responses: || ok(vec![page(&["a", "b"], Some("m1"))]),
            config: || PaginationConfig::default().max_items(0),
            expect: || Outcome {
                pages: vec![page(&[], Some("m1"))],
                error: None,
                calls: vec![json!({})],
                resume_token: Some(enc(r#"{"Marker": null, "boto_truncate_amount": 0}"#)),
                items: vec![],
                items_token: Some(enc(r#"{"Marker": null, "boto_truncate_amount": 0}"#)),
                full: Ok(
                    json!({"Users": [], "NextToken": enc(r#"{"Marker": null, "boto_truncate_amount": 0}"#)}),
                ),
            },
        },
        Scenario {
            name: "O3 R6 R7: resumed with an offset, cut again",
            model: users,
            params: json!({"Marker": "ignored"}),
            responses: || {
                ok(vec![
                    page(&["c", "d", "e", "f"], Some("m3")),
                    page(&["g"], None),
                ])
            },
            config: || {
                PaginationConfig::default()
                    .starting_token(Some(enc(r#"{"Marker": "m2", "boto_truncate_amount": 1}"#)))
                    .max_items(2)
            },
            expect: || Outcome {
                pages: vec![page(&["d", "e"], Some("m3"))],
                error: None,
                calls: vec![json!({"Marker": "m2"})],
                resume_token: Some(enc(r#"{"Marker": "m2", "boto_truncate_amount": 3}"#)),
                items: vec![json!("d"), json!("e")],
                items_token: Some(enc(r#"{"Marker": "m2", "boto_truncate_amount": 3}"#)),
                full: Ok(
                    json!({"Users": ["d", "e"], "NextToken": enc(r#"{"Marker": "m2", "boto_truncate_amount": 3}"#)}),
                ),
            },
        },
        Scenario {
            name: "L6: duplicate token is an error after the page",
            model: users,
            params: json!({}),
            responses: || ok(vec![page(&["a"], Some("t")), page(&["b"], Some("t"))]),
            config: PaginationConfig::default,
            expect: || {
                Outcome {
                pages: vec![page(&["a"], Some("t")), page(&["b"], Some("t"))],
                error: Some(r#"ListUsers: the same next token was received twice in a row, on pages 1 and 2: {"Marker":"t"}"#.into()),
                calls: vec![json!({}), json!({"Marker": "t"})],
                resume_token: Some(enc(r#"{"Marker": "t"}"#)),
                items: vec![json!("a"), json!("b")],
                items_token: Some(enc(r#"{"Marker": "t"}"#)),
                full: Err(r#"ListUsers: the same next token was received twice in a row, on pages 1 and 2: {"Marker":"t"}"#.into()),
            }
            },
        },
        Scenario {
            name: "L6: a cycle under the Stop policy ends quietly",
            model: users,
            params: json!({}),
            responses: || {
                ok(vec![
                    page(&["a"], Some("A")),
                    page(&["b"], Some("B")),
                    page(&["c"], Some("A")),
                ])
            },
            config: || PaginationConfig::default().duplicate_tokens(DuplicateTokenPolicy::Stop),
            expect: || Outcome {
                pages: vec![
                    page(&["a"], Some("A")),
                    page(&["b"], Some("B")),
                    page(&["c"], Some("A")),
                ],
                error: None,
                calls: vec![json!({}), json!({"Marker": "A"}), json!({"Marker": "B"})],
                resume_token: None,
                items: vec![json!("a"), json!("b"), json!("c")],
                items_token: None,
                full: Ok(json!({"Users": ["a", "b", "c"]})),
            },
        },
        Scenario {
            name: "L7: a transport error ends the run; the token retries that page",
            model: users,
            params: json!({}),
            responses: || vec![Ok(page(&["a"], Some("m1"))), Err(FakeError("reset".into()))],
            config: PaginationConfig::default,
            expect: || Outcome {
                pages: vec![page(&["a"], Some("m1"))],
                // The message, then the transport's own error as its source.
                error: Some(
                    "ListUsers: the transport failed on page 2: fake transport error: reset".into(),
                ),
                calls: vec![json!({}), json!({"Marker": "m1"})],
                resume_token: Some(enc(r#"{"Marker": "m1"}"#)),
                items: vec![json!("a")],
                items_token: Some(enc(r#"{"Marker": "m1"}"#)),
                full: Err("ListUsers: the transport failed on page 2".into()),
            },
        },
        Scenario {
            name: "R5: a tampered token sends nothing",
            model: users,
            params: json!({}),
            responses: || ok(vec![page(&["a"], None)]),
            config: || {
                PaginationConfig::default()
                    .starting_token(Some(enc(r#"{"Marker": "m1", "Bucket": "other"}"#)))
            },
            expect: || Outcome {
                pages: vec![],
                error: Some(format!(
                    r#"ListUsers: invalid starting token "{}": the token contains key `Bucket`, which is not an input token of this operation (expected ["Marker"])"#,
                    enc(r#"{"Marker": "m1", "Bucket": "other"}"#)
                )),
                calls: vec![],
                resume_token: None,
                items: vec![],
                items_token: None,
                full: Err(format!(
                    r#"ListUsers: invalid starting token "{}": the token contains key `Bucket`, which is not an input token of this operation (expected ["Marker"])"#,
                    enc(r#"{"Marker": "m1", "Bucket": "other"}"#)
                )),
            },
        },
        Scenario {
            name: "S3 ListObjects: last-key fallback, IsTruncated, CommonPrefixes not counted",
            model: s3,
            params: json!({"Bucket": "b"}),
            responses: || {
                ok(vec![
                    json!({"Contents": [{"Key": "a"}, {"Key": "b"}], "CommonPrefixes": [{"Prefix": "p/"}], "IsTruncated": true}),
                    json!({"CommonPrefixes": [{"Prefix": "q/"}], "IsTruncated": true, "NextMarker": "q/"}),
                    json!({"Contents": [{"Key": "r"}], "IsTruncated": false, "NextMarker": "ignored"}),
                ])
            },
            config: || PaginationConfig::default().max_items(3),
            expect: || Outcome {
                pages: vec![
                    json!({"Contents": [{"Key": "a"}, {"Key": "b"}], "CommonPrefixes": [{"Prefix": "p/"}], "IsTruncated": true}),
                    json!({"CommonPrefixes": [{"Prefix": "q/"}], "IsTruncated": true, "NextMarker": "q/"}),
                    json!({"Contents": [{"Key": "r"}], "IsTruncated": false, "NextMarker": "ignored"}),
                ],
                error: None,
                calls: vec![
                    json!({"Bucket": "b"}),
                    json!({"Bucket": "b", "Marker": "b"}),
                    json!({"Bucket": "b", "Marker": "q/"}),
                ],
                resume_token: None,
                items: vec![
                    json!({"Key": "a"}),
                    json!({"Key": "b"}),
                    json!({"Key": "r"}),
                ],
                items_token: None,
                full: Ok(
                    json!({"Contents": [{"Key": "a"}, {"Key": "b"}, {"Key": "r"}],
                                "CommonPrefixes": [{"Prefix": "p/"}, {"Prefix": "q/"}]}),
                ),
            },
        },
    ]
}

/// The message and, after `: `, every source below it.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

fn fresh(s: &Scenario) -> Arc<Scripted> {
    Arc::new(Scripted::with_results((s.responses)()))
}

/// The transport handle of a run over `api`, its pages travelling over `wire`.
type Handle = Arc<Wired<Arc<Scripted>>>;

fn over(wire: Wire, api: &Arc<Scripted>) -> Handle {
    Arc::new(Wired::new(api.clone(), wire))
}

fn blocking(s: &Scenario, wire: Wire) -> Outcome {
    blocking_with(s, wire, false)
}

/// The blocking driver over `wire`, with lookahead (a thread per request) when `lookahead`
/// is set.
fn blocking_with(s: &Scenario, wire: Wire, lookahead: bool) -> Outcome {
    let ahead = |pages: paginated::blocking::Pages<Handle>| {
        if lookahead { pages.lookahead() } else { pages }
    };
    let model = (s.model)();
    let api = fresh(s);
    let mut pages = ahead(model.paginate(over(wire, &api), s.params.clone())).config((s.config)());
    let (mut got, mut error) = (Vec::new(), None);
    for page in &mut pages {
        match page {
            Ok(p) => got.push(p),
            Err(e) => error = Some(chain(&e)),
        }
    }
    let resume_token = pages.resume_token();
    let item_api = fresh(s);
    let mut items = ahead(model.paginate(over(wire, &item_api), s.params.clone()))
        .config((s.config)())
        .items();
    let item_list: Vec<Value> = items.by_ref().filter_map(Result::ok).collect();
    let full = ahead(model.paginate(over(wire, &fresh(s)), s.params.clone()))
        .config((s.config)())
        .build_full_result()
        .map_err(|e| e.to_string());
    Outcome {
        pages: got,
        error,
        calls: api.calls(),
        resume_token,
        items: item_list,
        items_token: items.resume_token(),
        full,
    }
}

async fn asynchronous(s: &Scenario, wire: Wire) -> Outcome {
    asynchronous_with(s, wire, false).await
}

/// The async driver over `wire`, with lookahead when `lookahead` is set.
async fn asynchronous_with(s: &Scenario, wire: Wire, lookahead: bool) -> Outcome {
    let ahead = |pages: paginated::nonblocking::Pages<'static, Handle>| {
        if lookahead { pages.lookahead() } else { pages }
    };
    let model = (s.model)();
    let api = fresh(s);
    let mut pages =
        ahead(model.paginate_async(over(wire, &api), s.params.clone())).config((s.config)());
    let (mut got, mut error) = (Vec::new(), None);
    while let Some(page) = pages.next().await {
        match page {
            Ok(p) => got.push(p),
            Err(e) => error = Some(chain(&e)),
        }
    }
    let resume_token = pages.resume_token();
    let mut items = ahead(model.paginate_async(over(wire, &fresh(s)), s.params.clone()))
        .config((s.config)())
        .items();
    let mut item_list = Vec::new();
    while let Some(item) = items.next().await {
        if let Ok(item) = item {
            item_list.push(item);
        }
    }
    // The full result comes from a spawned task: the run is `Send` and `'static` over an Arc.
    let stream =
        ahead(model.paginate_async(over(wire, &fresh(s)), s.params.clone())).config((s.config)());
    let full = tokio::spawn(stream.build_full_result())
        .await
        .unwrap()
        .map_err(|e| e.to_string());
    Outcome {
        pages: got,
        error,
        calls: api.calls(),
        resume_token,
        items: item_list,
        items_token: items.resume_token(),
        full,
    }
}

#[test]
fn g6_blocking_driver_runs_every_scenario() {
    for wire in Wire::ALL {
        for s in scenarios() {
            assert_eq!(blocking(&s, wire), (s.expect)(), "{} over {wire:?}", s.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g6_async_driver_runs_every_scenario_on_a_multi_threaded_runtime() {
    for wire in Wire::ALL {
        for s in scenarios() {
            assert_eq!(
                asynchronous(&s, wire).await,
                (s.expect)(),
                "{} over {wire:?}",
                s.name
            );
        }
    }
}

/// Lookahead is scheduling only: every scenario gives the same pages, items, tokens, errors,
/// full result and, above all, the same requests as without it (nothing the run did not need).
#[test]
fn lookahead_blocking_driver_runs_every_scenario_unchanged() {
    for wire in Wire::ALL {
        for s in scenarios() {
            assert_eq!(
                blocking_with(&s, wire, true),
                (s.expect)(),
                "{} over {wire:?}",
                s.name
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookahead_async_driver_runs_every_scenario_unchanged() {
    for wire in Wire::ALL {
        for s in scenarios() {
            assert_eq!(
                asynchronous_with(&s, wire, true).await,
                (s.expect)(),
                "{} over {wire:?}",
                s.name
            );
        }
    }
}

/// With lookahead the next request is sent as soon as a page arrives; dropping the run then
/// sends nothing more than that one request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookahead_sends_the_next_request_early_and_nothing_after_a_drop() {
    let three = || {
        [
            page(&["a"], Some("m1")),
            page(&["b"], Some("m2")),
            page(&["c"], None),
        ]
    };
    let api = Arc::new(Scripted::new(three()));
    let mut stream = users().paginate_async(api.clone(), json!({})).lookahead();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first, page(&["a"], Some("m1")));
    // Page 2 was asked for before page 1 was handed out.
    assert_eq!(api.calls(), [json!({}), json!({"Marker": "m1"})]);
    assert_eq!(stream.resume_token(), Some(enc(r#"{"Marker": "m1"}"#)));
    drop(stream);
    assert_eq!(api.calls().len(), 2);

    let api = Arc::new(Scripted::new(three()));
    let mut pages = users().paginate(api.clone(), json!({})).lookahead();
    assert_eq!(pages.next().unwrap().unwrap(), page(&["a"], Some("m1")));
    assert_eq!(pages.resume_token(), Some(enc(r#"{"Marker": "m1"}"#)));
    drop(pages);
    // The request in flight runs on its own thread: wait for it, then there is no other.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while api.calls().len() < 2 && std::time::Instant::now() < deadline {
        std::thread::yield_now();
    }
    assert_eq!(api.calls(), [json!({}), json!({"Marker": "m1"})]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g6_streams_are_send_and_can_be_spawned_mid_run() {
    let api = Arc::new(Scripted::new([
        page(&["a"], Some("m1")),
        page(&["b"], Some("m2")),
        page(&["c"], None),
    ]));
    let mut stream = users().paginate_async(api.clone(), json!({})).items();
    let first = stream.next().await.unwrap().unwrap();
    // Hand the half-read stream to another task, which finishes it.
    let rest = tokio::spawn(async move {
        let mut rest = Vec::new();
        while let Some(item) = stream.next().await {
            rest.push(item.unwrap());
        }
        (rest, stream.resume_token())
    })
    .await
    .unwrap();
    assert_eq!(first, json!("a"));
    assert_eq!(rest, (vec![json!("b"), json!("c")], None));
    assert_eq!(
        api.calls(),
        [json!({}), json!({"Marker": "m1"}), json!({"Marker": "m2"})]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g6_dropping_a_stream_sends_nothing_more() {
    let api = Arc::new(Scripted::new([
        page(&["a"], Some("m1")),
        page(&["b"], None),
    ]));
    let mut stream = users().paginate_async(api.clone(), json!({}));
    let first = stream.next().await.unwrap().unwrap();
    let token = stream.resume_token();
    drop(stream);
    assert_eq!(first, page(&["a"], Some("m1")));
    assert_eq!(api.calls(), [json!({})]);
    assert_eq!(token, Some(enc(r#"{"Marker": "m1"}"#)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g6_search_streams_match_blocking_search() {
    let responses = || {
        [
            json!({"Contents": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 900}], "IsTruncated": true}),
            json!({"Contents": [{"Key": "c", "Size": 700}], "IsTruncated": false}),
        ]
    };
    let blocking_api = Scripted::new(responses());
    let blocking: Vec<Value> = s3()
        .paginate(&blocking_api, json!({"Bucket": "b"}))
        .search("Contents[?Size > `500`].Key")
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let async_api = Arc::new(Scripted::new(responses()));
    let mut search = s3()
        .paginate_async(async_api.clone(), json!({"Bucket": "b"}))
        .search("Contents[?Size > `500`].Key")
        .unwrap();
    let mut streamed = Vec::new();
    while let Some(v) = search.next().await {
        streamed.push(v.unwrap());
    }
    assert_eq!(blocking, [json!("b"), json!("c")]);
    assert_eq!(streamed, blocking);
    assert_eq!(async_api.calls(), blocking_api.calls());
}
