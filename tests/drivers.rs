//! One table of scenarios, every driver: each scenario runs through the driver matrix
//! (`matrix::record::every_way`): the blocking iterators and the async streams (read in a
//! task spawned on a multi-threaded runtime), each with and without lookahead, each over
//! `Value` replies and over body replies (SEMANTICS G6, G7, G8). All must give exactly the
//! expected pages, items, errors in their place, tokens, full result, and requests of every
//! run. The tests after the table are about streams and lookahead themselves: sending early,
//! spawning mid-run, and dropping.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// Each test target uses its own part of the driver layer.
#[allow(dead_code)]
#[path = "matrix/mod.rs"]
mod matrix;

use std::sync::Arc;

use matrix::record::{View, every_way};
use paginate_tests::{FakeError, Scripted, Wire, Wired, enc, model};
use paginated::{DuplicateTokenPolicy, Model, PaginationConfig};
use serde_json::{Value, json};

/// What every driver must observe of one scenario: three runs (pages, items, full result)
/// over fresh copies of the service.
#[derive(Debug, PartialEq)]
struct Outcome {
    /// Pages, then the error that ended the run (its message, then its sources), if any.
    pages: Vec<Value>,
    error: Option<String>,
    /// The params of every request, the same for each of the three runs.
    calls: Vec<Value>,
    resume_token: Option<String>,
    /// Items of the primary key (followed by `error` in its place), then the item run's
    /// final resume token.
    items: Vec<Value>,
    items_token: Option<String>,
    /// `build_full_result`, or its error (message and sources).
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
            expect: || {
                Outcome {
                pages: vec![page(&["a"], Some("m1"))],
                // The message, then the transport's own error as its source.
                error: Some(
                    "ListUsers: page 2 failed: fake transport error: reset: fake transport error: reset"
                        .into(),
                ),
                calls: vec![json!({}), json!({"Marker": "m1"})],
                resume_token: Some(enc(r#"{"Marker": "m1"}"#)),
                items: vec![json!("a")],
                items_token: Some(enc(r#"{"Marker": "m1"}"#)),
                full: Err(
                    "ListUsers: page 2 failed: fake transport error: reset: fake transport error: reset"
                        .into(),
                ),
            }
            },
        },
        Scenario {
            name: "O5: max_pages ends the run before the next request; the token fetches it",
            model: users,
            params: json!({}),
            responses: || ok(vec![page(&["a", "b"], Some("m1")), page(&["c"], None)]),
            config: || PaginationConfig::default().max_pages(1),
            expect: || Outcome {
                pages: vec![page(&["a", "b"], Some("m1"))],
                error: Some(
                    "ListUsers: stopped after 1 page (the run's max_pages) with more to come"
                        .into(),
                ),
                calls: vec![json!({})],
                resume_token: Some(enc(r#"{"Marker": "m1"}"#)),
                items: vec![json!("a"), json!("b")],
                items_token: Some(enc(r#"{"Marker": "m1"}"#)),
                full: Err(
                    "ListUsers: stopped after 1 page (the run's max_pages) with more to come"
                        .into(),
                ),
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

/// A new service answering `responses` in order, over the wire each run asks for.
fn fresh(
    responses: fn() -> Vec<Result<Value, FakeError>>,
) -> impl Fn(Wire) -> Arc<Wired<Arc<Scripted>>> {
    move |wire| {
        let api = Arc::new(Scripted::with_results(responses()));
        Arc::new(Wired::new(api, wire))
    }
}

/// `Ok(value)` as the matrix shows a step.
fn ok_step(value: &Value) -> String {
    format!("Ok({value:?})")
}

/// Every driver, over both wires, reads the scenario's pages, items and full result, each
/// run over a fresh copy of the service; what they agree on (`every_way`) must be what the
/// scenario expects: the steps in order with the error that ended the run in its place (an
/// item run ends with the page run's error after the items it handed out), the tokens, and
/// every request of every run.
fn check(s: &Scenario) {
    let expect = (s.expect)();
    let (model, config) = ((s.model)(), (s.config)());
    let seen = |view| every_way(fresh(s.responses), &model, &s.params, &config, view, s.name);
    let error = expect.error.iter().map(|e| format!("Err({e})"));

    let pages = seen(View::Pages);
    let wanted: Vec<String> = expect
        .pages
        .iter()
        .map(ok_step)
        .chain(error.clone())
        .collect();
    assert_eq!(pages.results(), wanted, "{}: pages", s.name);
    assert_eq!(
        pages.last_token(),
        expect.resume_token,
        "{}: page token",
        s.name
    );
    assert_eq!(pages.calls, expect.calls, "{}: page requests", s.name);

    let items = seen(View::Items);
    let wanted: Vec<String> = expect.items.iter().map(ok_step).chain(error).collect();
    assert_eq!(items.results(), wanted, "{}: items", s.name);
    assert_eq!(
        items.last_token(),
        expect.items_token,
        "{}: item token",
        s.name
    );
    assert_eq!(items.calls, expect.calls, "{}: item requests", s.name);

    let full = seen(View::Full);
    let wanted = match &expect.full {
        Ok(value) => ok_step(value),
        Err(e) => format!("Err({e})"),
    };
    assert_eq!(full.end, wanted, "{}: full result", s.name);
    assert_eq!(full.calls, expect.calls, "{}: full result requests", s.name);
}

#[test]
fn g6_g7_g8_every_driver_over_both_wires_runs_every_scenario() {
    for s in scenarios() {
        check(&s);
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

#[test]
fn g6_search_streams_match_blocking_search() {
    let responses = || {
        ok(vec![
            json!({"Contents": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 900}], "IsTruncated": true}),
            json!({"Contents": [{"Key": "c", "Size": 700}], "IsTruncated": false}),
        ])
    };
    let search = View::Search("Contents[?Size > `500`].Key");
    let config = PaginationConfig::default();
    let params = json!({"Bucket": "b"});
    let seen = every_way(fresh(responses), &s3(), &params, &config, search, "G3");
    assert_eq!(seen.results(), [ok_step(&json!("b")), ok_step(&json!("c"))]);
    assert_eq!(
        seen.calls,
        [
            json!({"Bucket": "b"}),
            json!({"Bucket": "b", "Marker": "b"})
        ]
    );
}
