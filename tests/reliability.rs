//! Servers that misbehave and tokens that were tampered with: every case ends in the typed error
//! SEMANTICS.md names (or the chosen duplicate policy), never a hang, a panic, or a request
//! that carries parameters the caller did not ask for.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use paginate_tests::{FakeError, Scripted, enc, model};
use paginated::blocking::from_fn;
use paginated::{DuplicateTokenPolicy, Error, Model, TokenError};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn users() -> Model {
    model(
        "ListUsers",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": "Users",
               "limit_key": "MaxKeys", "more_results": "Page.More"}),
    )
}

fn page(users: &[&str], next: Option<&str>, more: bool) -> Value {
    let mut p = json!({"Users": users, "Page": {"More": more}});
    if let Some(n) = next {
        p["NextMarker"] = json!(n);
    }
    p
}

/// Runs `pages` to the end and returns what came out: page count and the error, if any.
fn outcome<I: Iterator<Item = Result<Value, Error>>>(pages: I) -> (usize, Option<Error>) {
    let mut n = 0;
    for p in pages {
        match p {
            Ok(_) => n += 1,
            Err(e) => return (n, Some(e)),
        }
    }
    (n, None)
}

// ---------------------------------------------------------------- misbehaving servers

#[test]
fn a_token_repeated_forever_ends_under_every_stopping_policy() {
    let forever = from_fn(|_request| Ok::<_, FakeError>(page(&["x"], Some("same"), true)));
    let (n, e) = outcome(users().paginate(&forever, json!({})));
    assert_eq!(n, 2);
    assert!(matches!(e, Some(Error::DuplicateToken { page, .. }) if page == 2));
    let (n, e) = outcome(
        users()
            .paginate(&forever, json!({}))
            .duplicate_tokens(DuplicateTokenPolicy::Stop),
    );
    assert_eq!((n, e.is_none()), (2, true));
    // Allow is for tail-style APIs: it keeps going, so only a page limit bounds it.
    let (n, e) = outcome(
        users()
            .paginate(&forever, json!({}))
            .duplicate_tokens(DuplicateTokenPolicy::Allow)
            .max_pages(50),
    );
    assert_eq!(n, 50);
    assert_eq!(
        e.unwrap().to_string(),
        "ListUsers: stopped after 50 pages (the run's max_pages) with more to come"
    );
}

#[test]
fn cycles_of_any_length_end_with_an_error() {
    // Short cycles are caught when they close; long ones (past the exact window of 4,096
    // tokens) within a bounded number of pages.
    for period in [2u64, 3, 17, 5000] {
        let calls = AtomicU64::new(0);
        let service = from_fn(|_request| {
            let i = calls.fetch_add(1, Ordering::SeqCst);
            Ok::<_, FakeError>(page(&["x"], Some(&format!("t{}", i % period)), true))
        });
        let (n, e) = outcome(users().paginate(&service, json!({})));
        assert!(
            matches!(
                e,
                Some(Error::TokenCycle { .. }) | Some(Error::DuplicateToken { .. })
            ),
            "period {period}: {e:?}"
        );
        let bound = if period < 4096 {
            period + 1
        } else {
            4 * period
        };
        assert!(
            n as u64 <= bound,
            "period {period}: {n} pages before the error"
        );
    }
}

#[test]
fn a_server_that_never_stops_is_bounded_by_max_pages_and_resumable() {
    // O5: the run fetches 1000 pages, fails with `PageLimit` before the 1001st request, and
    // its resume token fetches that page.
    let calls = AtomicU64::new(0);
    let endless = from_fn(|_request| {
        let i = calls.fetch_add(1, Ordering::SeqCst);
        Ok::<_, FakeError>(page(&["x"], Some(&format!("t{i}")), true))
    });
    let mut run = users().paginate(&endless, json!({})).max_pages(1000);
    let (n, e) = outcome(&mut run);
    assert_eq!(n, 1000);
    assert!(matches!(e, Some(Error::PageLimit { limit: 1000, .. })));
    assert_eq!(run.resume_token(), Some(enc(r#"{"Marker": "t999"}"#)));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1000,
        "nothing fetched past the limit"
    );
}

#[test]
fn a_more_results_flag_that_lies() {
    // "More" with no token: nothing to ask for, so the run ends (L2).
    let api = Scripted::new([page(&["a"], None, true)]);
    assert_eq!(outcome(users().paginate(&api, json!({}))).0, 1);
    // "No more" with a token: the flag wins (S3 ListParts' final "0").
    let api = Scripted::new([page(&["a"], Some("0"), false)]);
    assert_eq!(outcome(users().paginate(&api, json!({}))).0, 1);
    assert_eq!(api.calls().len(), 1);
    // "More" forever with the same token: a duplicate, not a hang.
    let stuck = from_fn(|_request| Ok::<_, FakeError>(page(&["a"], Some("t"), true)));
    assert!(matches!(
        outcome(users().paginate(&stuck, json!({}))).1,
        Some(Error::DuplicateToken { .. })
    ));
}

#[test]
fn pages_that_are_not_objects() {
    for (bad, kind) in [
        (json!([1]), "array"),
        (json!("page"), "string"),
        (json!(7), "number"),
        (json!(null), "null"),
        (json!(true), "boolean"),
    ] {
        let api = Scripted::new([page(&["a"], Some("m1"), true), bad]);
        let mut run = users().paginate(&api, json!({}));
        let (n, e) = outcome(&mut run);
        assert_eq!(n, 1);
        assert_eq!(
            e.unwrap().to_string(),
            format!(
                "ListUsers: page 2 is {kind}, not a JSON object{}",
                if kind == "array" {
                    "; if the page itself is the list, declare `result_key = \"@\"`"
                } else {
                    ""
                }
            )
        );
        assert_eq!(
            run.resume_token(),
            Some(enc(r#"{"Marker": "m1"}"#)),
            "the bad page is fetched again"
        );
    }
}

#[test]
fn result_keys_of_the_wrong_type() {
    // Counted for max_items: a number cannot be.
    let api = Scripted::new([json!({"Users": 5})]);
    let e = users()
        .paginate(&api, json!({}))
        .max_items(3)
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::UnsupportedResult {
                action: "counted",
                found: "number",
                ..
            }
        ),
        "{e}"
    );
    // Iterated as items: a boolean cannot be.
    let api = Scripted::new([json!({"Users": true})]);
    let e = users()
        .paginate(&api, json!({}))
        .items()
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::UnsupportedResult {
                action: "iterated",
                ..
            }
        ),
        "{e}"
    );
    // Merged: a list then a string.
    let api = Scripted::new([
        page(&["a"], Some("m1"), true),
        json!({"Users": "b", "Page": {"More": false}}),
    ]);
    let e = users()
        .paginate(&api, json!({}))
        .build_full_result()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::ResultTypeMismatch {
                page,
                expected: "array",
                found: "string",
                ..
            } if page == 2
        ),
        "{e}"
    );
    // Cut by max_items: an object cannot be.
    let api = Scripted::new([json!({"Users": {"a": 1, "b": 2}})]);
    let e = users()
        .paginate(&api, json!({}))
        .max_items(1)
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::UnsupportedResult {
                action: "cut",
                found: "object",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn huge_pages_and_huge_tokens() {
    let many: Vec<String> = (0..300_000).map(|i| format!("user-{i}")).collect();
    let huge = json!({"Users": many, "NextMarker": "m1", "Page": {"More": true}});
    let api = Scripted::new([huge.clone()]);
    let mut run = users().paginate(&api, json!({})).max_items(10);
    let pages: Vec<Value> = run.by_ref().map(Result::unwrap).collect();
    assert_eq!(pages[0]["Users"].as_array().unwrap().len(), 10);
    assert_eq!(
        run.resume_token(),
        Some(enc(r#"{"Marker": null, "boto_truncate_amount": 10}"#))
    );
    // A token of 100 KB is followed, but a resume token that large is refused (R5).
    let big = "k".repeat(100_000);
    let api = Scripted::new([page(&["a"], Some(&big), true), page(&["b"], None, false)]);
    let mut run = users().paginate(&api, json!({})).max_items(1);
    assert_eq!(outcome(&mut run).0, 1);
    let token = run.resume_token().unwrap();
    let again = Scripted::new([page(&["b"], None, false)]);
    let e = users()
        .paginate(&again, json!({}))
        .starting_token(Some(token.to_owned()))
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidToken {
                reason: TokenError::TooLarge { .. },
                ..
            }
        ),
        "{e}"
    );
    assert!(again.calls().is_empty());
}

// ---------------------------------------------------------------- tampered tokens (R5)

/// Starts a run from `token`; returns the error, or the params of the one request it sent.
fn first_request(token: &str) -> Result<Map<String, Value>, Error> {
    let api = Scripted::new([page(&["a"], None, false)]);
    match users()
        .paginate(&api, json!({"Bucket": "mine"}))
        .page_size(10)
        .starting_token(Some(token.to_owned()))
        .next()
    {
        Some(Err(e)) => {
            assert!(api.calls().is_empty(), "an error before any request: {e}");
            Err(e)
        }
        _ => Ok(api.calls()[0].as_object().unwrap().clone()),
    }
}

fn refused(token: &str) -> TokenError {
    match first_request(token) {
        Err(Error::InvalidToken { reason, .. }) => reason,
        other => panic!("{token:?} was not refused: {other:?}"),
    }
}

#[test]
fn tokens_that_add_parameters_are_refused() {
    for tampered in [
        r#"{"Marker": "m1", "Bucket": "someone-elses"}"#,
        r#"{"Marker": "m1", "MaxKeys": 100000}"#,
        r#"{"Marker": "m1", "boto_truncate_amount": 1, "ExpectedBucketOwner": "x"}"#,
        r#"{"Marker": null, "marker": "case matters"}"#,
    ] {
        assert!(
            matches!(refused(&enc(tampered)), TokenError::UnknownKey { .. }),
            "{tampered}"
        );
    }
}

#[test]
fn absurd_offsets_are_refused() {
    for offset in [
        "-1",
        "0.5",
        "1e308",
        "18446744073709551616",
        "4294967296",
        "\"1\"",
        "[1]",
        "{}",
        "true",
    ] {
        let token = enc(&format!(
            r#"{{"Marker": "m1", "boto_truncate_amount": {offset}}}"#
        ));
        assert!(
            matches!(refused(&token), TokenError::BadOffset { .. }),
            "offset {offset}"
        );
    }
    assert!(matches!(refused("m1___-5"), TokenError::BadOffset { .. }));
    assert!(matches!(
        refused("m1___99999999999"),
        TokenError::BadOffset { .. }
    ));
}

#[test]
fn oversized_tokens_are_refused() {
    let padded = enc(&format!(r#"{{"Marker": "{}"}}"#, "m".repeat(60_000)));
    assert!(matches!(refused(&padded), TokenError::TooLarge { .. }));
    assert!(matches!(
        refused(&"x".repeat(1 << 20)),
        TokenError::TooLarge { .. }
    ));
}

/// The params a run may send: the caller's, the input tokens and the limit.
fn allowed(params: &Map<String, Value>) -> bool {
    params
        .keys()
        .all(|k| ["Bucket", "Marker", "MaxKeys"].contains(&k.as_str()))
        && params.get("Bucket") == Some(&json!("mine"))
        && params.get("MaxKeys") == Some(&json!(10))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any edit of a real token's text or of its JSON is either refused before a request or
    /// resumes with nothing but the caller's own parameters and the model's input token.
    #[test]
    fn edited_tokens_never_smuggle_parameters(
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        edit_json in any::<bool>(),
    ) {
        let json_text = r#"{"Marker": "photos/2024/IMG_0001.jpg", "boto_truncate_amount": 3}"#;
        let token = if edit_json {
            let mut bytes = json_text.as_bytes().to_vec();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            STANDARD.encode(bytes)
        } else {
            let mut text = enc(json_text).into_bytes();
            let i = at.index(text.len());
            text[i] = byte;
            String::from_utf8_lossy(&text).into_owned()
        };
        match first_request(&token) {
            Err(e) => prop_assert!(matches!(e, Error::InvalidToken { .. }), "{}", e),
            Ok(params) => prop_assert!(allowed(&params), "{:?} sent {:?}", token, params),
        }
    }
}

/// R2, R6: the keys of an object primary are handed out as items, but a resumed run cannot
/// skip into an object, so a token taken inside such a page fetches the page again (at least
/// once) instead of carrying an offset the next run would refuse.
#[test]
fn item_tokens_inside_an_object_primary_resume_at_the_page() {
    let pages = || {
        [
            json!({"Users": {"ana": 1, "bo": 2}, "NextMarker": "m1", "Page": {"More": true}}),
            json!({"Users": ["cy"]}),
        ]
    };
    let api = Scripted::new(pages());
    let mut items = users().paginate(&api, json!({})).items();
    assert_eq!(items.next().unwrap().unwrap(), json!("ana"));
    let token = items.resume_token();
    assert_eq!(token, Some(enc(r#"{"Marker": null}"#)));

    let again = Scripted::new(pages());
    let rest: Vec<Value> = users()
        .paginate(&again, json!({}))
        .starting_token(token)
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rest, [json!("ana"), json!("bo"), json!("cy")]);
}
