//! botocore's own paginator test scenarios (tests/unit/test_paginate.py and
//! tests/functional/test_paginate.py), ported from /work/shared/botocore-scenarios.md. Each test
//! is numbered after its scenario, cites the SEMANTICS rule(s) it exercises, and asserts the
//! exact pages, the exact params of every request, the exact items and the exact tokens.
//! Where botocore's outcome contradicts a rule marked [ours] in SEMANTICS.md, the test asserts
//! SEMANTICS.md and says so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Mutex;

use paginate_core::{
    DuplicateTokenPolicy, Error, LimitType, Model, Registry, TokenError, Transport,
};
use paginate_tests::{FakeError, Scripted, all, dec, enc, model};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------- models of the upstream tests

/// TestPagination's base config: `NextToken → NextToken`, result key `Foo`.
fn foo() -> Model {
    model(
        "ListFoos",
        json!({"output_token": "NextToken", "input_token": "NextToken", "result_key": "Foo"}),
    )
}

/// `Marker → Marker`, result key `Users`, limit `MaxKeys`.
fn users_with_limit() -> Model {
    model(
        "ListUsers",
        json!({"output_token": "Marker", "input_token": "Marker", "result_key": "Users", "limit_key": "MaxKeys"}),
    )
}

/// TestKeyIterators, TestBinaryTokens, TestDeprecatedStartingToken (single):
/// `Marker → Marker`, result key `Users`.
fn users() -> Model {
    model(
        "ListUsers",
        json!({"output_token": "Marker", "input_token": "Marker", "result_key": "Users"}),
    )
}

/// TestMultipleResultKeys: `Marker → Marker`, result keys `[Users, Groups]`.
fn users_groups() -> Model {
    model(
        "ListUsers",
        json!({"output_token": "Marker", "input_token": "Marker", "result_key": ["Users", "Groups"]}),
    )
}

/// TestMultipleInputKeys, TestDeprecatedStartingToken (multiple):
/// `[Marker1, Marker2] → [InMarker1, InMarker2]`, result keys `[Users, Groups]`.
fn multi_input() -> Model {
    model(
        "ListUsers",
        json!({"output_token": ["Marker1", "Marker2"], "input_token": ["InMarker1", "InMarker2"],
               "result_key": ["Users", "Groups"]}),
    )
}

/// A page of `Users` with an optional `Marker`.
fn upage(users: &[&str], marker: Option<&str>) -> Value {
    let mut p = json!({"Users": users});
    if let Some(m) = marker {
        p["Marker"] = json!(m);
    }
    p
}

/// TestKeyIterators' base pages: `[User1]/m1`, `[User2]/m2`, `[User3]`.
fn three_users() -> Scripted {
    Scripted::new([
        upage(&["User1"], Some("m1")),
        upage(&["User2"], Some("m2")),
        upage(&["User3"], None),
    ])
}

/// The pages of #48 and #49.
fn secondary_pages() -> Scripted {
    Scripted::new([
        json!({"Users": ["User1", "User2"], "Groups": ["Group1", "Group2"], "Marker": "m1"}),
        json!({"Users": ["User3"], "Groups": ["Group3"], "Marker": "m2"}),
        json!({"Users": ["User4"], "Groups": ["Group4"]}),
    ])
}

/// The pages of #52, #69 and #71.
fn multi_pages() -> Vec<Value> {
    vec![
        json!({"Users": ["User1", "User2"], "Groups": ["Group1"], "Marker1": "m1", "Marker2": "m2"}),
        json!({"Users": ["User3", "User4"], "Groups": ["Group2"], "Marker1": "m3", "Marker2": "m4"}),
        json!({"Users": ["User5"], "Groups": ["Group3"]}),
    ]
}

/// Starts a run from `token` and returns why the token was refused; no request may be sent.
fn token_error(m: &Model, token: &str) -> TokenError {
    let api = Scripted::new([upage(&["User1"], Some("m1"))]);
    let mut pages = m
        .paginate(&api, json!({}))
        .starting_token(Some(token.to_owned()));
    let err = pages.next().unwrap().unwrap_err();
    assert!(
        api.calls().is_empty(),
        "no request may be sent for {token:?}"
    );
    assert!(pages.next().is_none());
    match err {
        Error::InvalidToken { reason, .. } => reason,
        other => panic!("expected InvalidToken for {token:?}, got {other}"),
    }
}

// ---------------------------------------------------------------- TokenDecoder (#1–#5)

/// The params of the single request sent when starting from `token` with input token `foo`.
fn first_call_with_foo_token(token: &str) -> Value {
    let m = model(
        "ListFoos",
        json!({"input_token": "foo", "output_token": "next", "result_key": "Items"}),
    );
    let api = Scripted::new([json!({"Items": [1]})]);
    assert_eq!(
        all(m
            .paginate(&api, json!({}))
            .starting_token(Some(token.to_owned()))),
        [json!({"Items": [1]})]
    );
    let mut calls = api.calls();
    assert_eq!(calls.len(), 1);
    calls.remove(0)
}

#[test]
fn s01_decodes_a_plain_token() {
    // #1, R3: base64 then a JSON object; its values become the request's token params (L1).
    let token = "eyJmb28iOiAiYmFyIn0=";
    assert_eq!(dec(token), r#"{"foo": "bar"}"#);
    assert_eq!(first_call_with_foo_token(token), json!({"foo": "bar"}));
}

#[test]
fn s02_05_encoded_keys_are_accepted_and_values_stay_base64_text() {
    // #2–#5, R3: `boto_encoded_keys` (in any position, with nested key paths and list indices)
    // is accepted, and the values it names stay as their base64 text. botocore decodes them
    // to Python `bytes` (b'bar', b'baz', b'bin', b'bam'); JSON params have no bytes, so that
    // part has no Rust equivalent.
    assert_eq!(
        first_call_with_foo_token(&enc(r#"{"boto_encoded_keys": [["foo"]], "foo": "YmFy"}"#)),
        json!({"foo": "YmFy"})
    );
    assert_eq!(
        first_call_with_foo_token(&enc(
            r#"{"foo": {"bar": "YmF6"}, "boto_encoded_keys": [["foo", "bar"]]}"#
        )),
        json!({"foo": {"bar": "YmF6"}})
    );
    assert_eq!(
        first_call_with_foo_token(&enc(
            r#"{"boto_encoded_keys": [["foo", "bar", 1]], "foo": {"bar": ["baz", "Ymlu"]}}"#
        )),
        json!({"foo": {"bar": ["baz", "Ymlu"]}})
    );
    assert_eq!(
        first_call_with_foo_token(&enc(
            r#"{"boto_encoded_keys": [["foo", "bin"], ["foo", "bar"]], "foo": {"bin": "YmFt", "bar": "YmF6"}}"#
        )),
        json!({"foo": {"bin": "YmFt", "bar": "YmF6"}})
    );
}

// ---------------------------------------------------------------- PaginatorModel (#6–#7)

fn list_foos_registry() -> Registry {
    Registry::from_value(&json!({"pagination": {"ListFoos": {
        "output_token": "NextToken", "input_token": "NextToken", "result_key": "Foo"
    }}}))
    .unwrap()
}

#[test]
fn s06_registry_returns_the_model_of_an_operation() {
    // #6, S2: botocore returns the config dict; here the compiled model, field by field.
    let registry = list_foos_registry();
    let m = registry.get("ListFoos").unwrap();
    assert_eq!(m.operation(), "ListFoos");
    assert_eq!(m.input_tokens(), ["NextToken"]);
    assert_eq!(m.output_tokens().collect::<Vec<_>>(), ["NextToken"]);
    assert_eq!(m.result_keys().collect::<Vec<_>>(), ["Foo"]);
    assert_eq!(m.limit_key(), None);
    assert_eq!(m.more_results(), None);
    assert_eq!(m.non_aggregate_keys().count(), 0);
}

#[test]
fn s07_unknown_operation_is_a_typed_error_naming_it() {
    // #7, S2: botocore raises ValueError; here a typed error that names the operation.
    let err = list_foos_registry().get("ListBars").unwrap_err();
    assert!(
        matches!(&err, Error::UnknownOperation { operation, .. } if operation == "ListBars"),
        "{err}"
    );
    assert!(err.to_string().contains("`ListBars`"), "{err}");
}

// ---------------------------------------------------------------- TestPagination (#8–#20)

#[test]
fn s08_result_keys_are_exposed() {
    // #8, G5.
    assert_eq!(foo().result_keys().collect::<Vec<_>>(), ["Foo"]);
}

#[test]
fn s09_no_next_token_means_one_page() {
    // #9, L2.
    let api = Scripted::new([json!({"not_the_next_token": "foobar"})]);
    assert_eq!(
        all(foo().paginate(&api, json!({}))),
        [json!({"not_the_next_token": "foobar"})]
    );
    assert_eq!(api.calls(), [json!({})]);
}

#[test]
fn s10_next_token_is_sent_on_the_next_request() {
    // #10, L2, L3, G1.
    let responses = [
        json!({"NextToken": "token1"}),
        json!({"NextToken": "token2"}),
        json!({"not_next_token": "foo"}),
    ];
    let api = Scripted::new(responses.clone());
    assert_eq!(all(foo().paginate(&api, json!({}))), responses);
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"NextToken": "token1"}),
            json!({"NextToken": "token2"})
        ]
    );
}

#[test]
fn s11_next_token_of_the_full_result_is_a_string() {
    // #11, G4, M3, R1: botocore only checks the type; here the exact token too.
    let api = three_users();
    let full = users_with_limit()
        .paginate(&api, json!({}))
        .max_items(1)
        .build_full_result()
        .unwrap();
    assert!(full["NextToken"].is_string());
    assert_eq!(
        full,
        json!({"Users": ["User1"], "NextToken": enc(r#"{"Marker": "m1"}"#)})
    );
    assert_eq!(api.calls(), [json!({})]);
}

#[test]
fn s12_other_params_are_passed_unmodified() {
    // #12, O4, L3.
    let responses = [
        json!({"NextToken": "token1"}),
        json!({"NextToken": "token2"}),
        json!({"not_next_token": "foo"}),
    ];
    let api = Scripted::new(responses.clone());
    assert_eq!(
        all(foo().paginate(&api, json!({"Foo": "foo", "Bar": "bar"}))),
        responses
    );
    assert_eq!(
        api.calls(),
        [
            json!({"Foo": "foo", "Bar": "bar"}),
            json!({"Foo": "foo", "Bar": "bar", "NextToken": "token1"}),
            json!({"Foo": "foo", "Bar": "bar", "NextToken": "token2"})
        ]
    );
}

#[test]
fn s13_the_same_next_token_twice_is_an_error_after_the_page() {
    // #13, L6: under the default policy (`Error`, botocore's) the repeating page is yielded,
    // then the error; botocore's `list()` raises PaginationError the same way.
    let script = || {
        Scripted::new([
            json!({"NextToken": "token1"}),
            json!({"NextToken": "token2"}),
            json!({"NextToken": "token2"}),
        ])
    };
    let api = script();
    let mut pages = foo().paginate(&api, json!({}));
    assert_eq!(
        pages.next().unwrap().unwrap(),
        json!({"NextToken": "token1"})
    );
    assert_eq!(
        pages.next().unwrap().unwrap(),
        json!({"NextToken": "token2"})
    );
    assert_eq!(
        pages.next().unwrap().unwrap(),
        json!({"NextToken": "token2"})
    );
    let err = pages.next().unwrap().unwrap_err();
    assert!(
        matches!(err, Error::DuplicateToken { page: 3, .. }),
        "{err}"
    );
    assert!(pages.next().is_none());
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"NextToken": "token1"}),
            json!({"NextToken": "token2"})
        ]
    );
    // Collected at once, as `list()` does: an error.
    let api = script();
    let collected: Result<Vec<Value>, Error> = foo().paginate(&api, json!({})).collect();
    assert!(
        matches!(collected, Err(Error::DuplicateToken { page: 3, .. })),
        "{collected:?}"
    );
    // [ours] The `Stop` policy (not in botocore) ends quietly after the same page instead.
    let api = script();
    let pages = all(foo()
        .paginate(&api, json!({}))
        .duplicate_tokens(DuplicateTokenPolicy::Stop));
    assert_eq!(pages.len(), 3);
    assert_eq!(api.calls().len(), 3);
}

#[test]
fn s14_or_expression_left_operand_wins() {
    // #14, L2: each output expression is JMESPath; `a || b` takes the first truthy operand.
    let m = model(
        "ListFoos",
        json!({"output_token": "NextToken || NextToken2", "input_token": "NextToken", "result_key": "Foo"}),
    );
    let api = Scripted::new([
        json!({"NextToken": "token1"}),
        json!({"NextToken2": "token2"}),
        json!({"NextToken": "token3", "NextToken2": "token4"}),
        json!({"not_next_token": "foo"}),
    ]);
    assert_eq!(all(m.paginate(&api, json!({}))).len(), 4);
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"NextToken": "token1"}),
            json!({"NextToken": "token2"}),
            json!({"NextToken": "token3"})
        ]
    );
}

#[test]
fn s15_more_results_false_stops_despite_a_token() {
    // #15, L2: `more_results` absent-valued (False) ends paging although `NextToken` is set.
    let m = model(
        "ListFoos",
        json!({"more_results": "IsTruncated", "output_token": "NextToken", "input_token": "NextToken", "result_key": "Foo"}),
    );
    let api = Scripted::new([
        json!({"Foo": [1], "IsTruncated": true, "NextToken": "token1"}),
        json!({"Foo": [2], "IsTruncated": true, "NextToken": "token2"}),
        json!({"Foo": [3], "IsTruncated": false, "NextToken": "token3"}),
        json!({"Foo": [4], "not_next_token": "foo"}),
    ]);
    assert_eq!(
        all(m.paginate(&api, json!({})).items()),
        [json!(1), json!(2), json!(3)]
    );
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"NextToken": "token1"}),
            json!({"NextToken": "token2"})
        ]
    );
}

#[test]
fn s16_more_results_is_a_path_expression() {
    // #16, L2.
    let m = model(
        "ListFoos",
        json!({"more_results": "Foo.IsTruncated", "output_token": "NextToken", "input_token": "NextToken", "result_key": "Bar"}),
    );
    let responses = [
        json!({"Foo": {"IsTruncated": true}, "NextToken": "token1"}),
        json!({"Foo": {"IsTruncated": false}, "NextToken": "token2"}),
    ];
    let api = Scripted::new(responses.clone());
    assert_eq!(all(m.paginate(&api, json!({}))), responses);
    assert_eq!(api.calls(), [json!({}), json!({"NextToken": "token1"})]);
}

#[test]
fn s17_page_size_goes_into_the_limit_key_of_every_request() {
    // #17, O2, L3.
    let api = three_users();
    let pages = all(users_with_limit().paginate(&api, json!({})).page_size(1));
    let collected: Vec<Value> = pages
        .iter()
        .flat_map(|p| p["Users"].as_array().unwrap().clone())
        .collect();
    assert_eq!(collected, [json!("User1"), json!("User2"), json!("User3")]);
    assert_eq!(
        api.calls(),
        [
            json!({"MaxKeys": 1}),
            json!({"Marker": "m1", "MaxKeys": 1}),
            json!({"Marker": "m2", "MaxKeys": 1})
        ]
    );
}

#[test]
fn s18_an_empty_or_missing_token_stops() {
    // #18, L2: the output token (`NextToken`) is missing; `Marker: ""` is not the token here.
    let page = json!({"Users": ["User1"], "Marker": ""});
    let api = Scripted::new([page.clone(), page.clone(), page.clone()]);
    let pages = all(foo().paginate(&api, json!({})));
    assert_eq!(pages, [page]);
    let users: Vec<Value> = pages
        .iter()
        .flat_map(|p| p["Users"].as_array().unwrap().clone())
        .collect();
    assert_eq!(users, [json!("User1")]);
    assert_eq!(api.calls(), [json!({})]);
}

#[test]
fn s19_full_result_of_a_single_key() {
    // #19, G4.
    let api = three_users();
    assert_eq!(
        users_with_limit()
            .paginate(&api, json!({}))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2", "User3"]})
    );
    assert_eq!(
        api.calls(),
        [json!({}), json!({"Marker": "m1"}), json!({"Marker": "m2"})]
    );
}

#[test]
fn s20_resume_slices_first_page_and_cuts_the_next() {
    // #20, M2, R6, R7 (the cut is on the second page, so no starting offset is added), O2.
    // One service for both runs, as upstream's mock: the third response is what the resume gets.
    let api = Scripted::new([
        upage(&["User1", "User2"], Some("m1")),
        upage(&["User3", "User4"], Some("m2")),
        upage(&["User3", "User4"], Some("m2")),
        upage(&["User5", "User6", "User7"], Some("m3")),
    ]);
    let first = users_with_limit()
        .paginate(&api, json!({}))
        .page_size(2)
        .max_items(3)
        .build_full_result()
        .unwrap();
    assert_eq!(
        first,
        json!({"Users": ["User1", "User2", "User3"],
               "NextToken": enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#)})
    );
    let second = users_with_limit()
        .paginate(&api, json!({}))
        .max_items(3)
        .page_size(2)
        .starting_token(Some(first["NextToken"].as_str().unwrap().to_owned()))
        .build_full_result()
        .unwrap();
    assert_eq!(
        second,
        json!({"Users": ["User4", "User5", "User6"],
               "NextToken": enc(r#"{"Marker": "m2", "boto_truncate_amount": 2}"#)})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"MaxKeys": 2}),
            json!({"Marker": "m1", "MaxKeys": 2}),
            json!({"Marker": "m1", "MaxKeys": 2}),
            json!({"Marker": "m2", "MaxKeys": 2})
        ]
    );
}

// ---------------------------------------------------------------- TestPaginatorPageSize (#21–#23)

fn users_groups_with_limit() -> Model {
    model(
        "ListUsers",
        json!({"output_token": "Marker", "input_token": "Marker", "result_key": ["Users", "Groups"], "limit_key": "MaxKeys"}),
    )
}

#[test]
fn s21_no_page_size_leaves_params_unchanged() {
    // #21, O4, L1.
    let api = Scripted::new([json!({"Users": [], "Groups": []})]);
    let _ = all(users_groups_with_limit().paginate(&api, json!({"arg1": "foo", "arg2": "bar"})));
    assert_eq!(api.calls(), [json!({"arg1": "foo", "arg2": "bar"})]);
}

#[test]
fn s22_page_size_is_injected_into_the_limit_key() {
    // #22, O2.
    let api = Scripted::new([json!({"Users": [], "Groups": []})]);
    let _ = all(users_groups_with_limit()
        .paginate(&api, json!({"arg1": "foo", "arg2": "bar"}))
        .page_size(5));
    assert_eq!(
        api.calls(),
        [json!({"arg1": "foo", "arg2": "bar", "MaxKeys": 5})]
    );
}

#[test]
fn s23_page_size_without_limit_key_is_an_error_before_any_request() {
    // #23, O2: botocore raises PaginationError from `paginate()` itself; here the builder
    // cannot fail, so the error is the first `next()`, and no request is sent.
    let m = model(
        "ListUsers",
        json!({"output_token": "Marker", "input_token": "Marker", "result_key": ["Users", "Groups"]}),
    );
    let api = Scripted::new([json!({"Users": []})]);
    let mut pages = m
        .paginate(&api, json!({"arg1": "foo", "arg2": "bar"}))
        .page_size(5);
    let err = pages.next().unwrap().unwrap_err();
    assert!(
        matches!(err, Error::PageSizeWithoutLimitKey { page_size: 5, .. }),
        "{err}"
    );
    assert!(pages.next().is_none());
    assert!(api.calls().is_empty());
}

// ---------------------------------------------------------------- TestPaginatorWithPathExpressions (#24–#25)

fn s3_path_model() -> Model {
    model(
        "ListObjects",
        json!({"output_token": ["NextMarker || ListBucketResult.Contents[-1].Key"],
               "input_token": "next_marker", "result_key": "Contents"}),
    )
}

#[test]
fn s24_path_expression_token_from_the_left_operand() {
    // #24, L2.
    let api = Scripted::new([
        json!({"NextMarker": "token1"}),
        json!({"NextMarker": "token2"}),
        json!({"not_next_token": "foo"}),
    ]);
    let _ = all(s3_path_model().paginate(&api, json!({})));
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"next_marker": "token1"}),
            json!({"next_marker": "token2"})
        ]
    );
}

#[test]
fn s25_path_expression_token_from_the_last_key() {
    // #25, L2: without `NextMarker`, `ListBucketResult.Contents[-1].Key` gives the token.
    let api = Scripted::new([
        json!({"NextMarker": "token1"}),
        json!({"ListBucketResult": {"Contents": [{"Key": "first"}, {"Key": "Last"}]}}),
        json!({"not_next_token": "foo"}),
    ]);
    let _ = all(s3_path_model().paginate(&api, json!({})));
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"next_marker": "token1"}),
            json!({"next_marker": "Last"})
        ]
    );
}

// ---------------------------------------------------------------- TestBinaryTokens (#26–#33)
//
// Upstream, the service returns markers as Python `bytes` (b'\xff', b'\xfe', b'\xef',
// b'\xee'). A JSON page cannot hold bytes: a JSON protocol sends a blob as its base64 text
// ("/w==", "/g==", "7w==", "7g=="), and that text is an ordinary token value here (L4), sent
// back exactly as received. So:
// - #26–#29: botocore's NextToken adds `"boto_encoded_keys": [...]` because its page held
//   bytes; here the page held text, so the token is the same JSON without
//   `boto_encoded_keys` (botocore decoding it gets the str "/w==", not b'\xff'). That part of
//   the Python scenario has no Rust equivalent.
// - #30–#33: the starting token is botocore's own token, `boto_encoded_keys` included; it is
//   accepted and the marker is sent as its base64 text (R3) where botocore sends bytes.

/// #26–#29: three pages, `MaxItems=3`, markers `first` then `second`.
fn binary_full_result(first: Value, second: Value) -> Value {
    let api = Scripted::new([
        json!({"Users": ["User1", "User2"], "Marker": first}),
        json!({"Users": ["User3", "User4"], "Marker": second}),
        json!({"Users": ["User5"]}),
    ]);
    let full = users()
        .paginate(&api, json!({}))
        .max_items(3)
        .build_full_result()
        .unwrap();
    assert_eq!(api.calls(), [json!({}), json!({"Marker": first})]);
    full
}

#[test]
fn s26_binary_marker_in_the_full_result_token() {
    // #26, M2, L4, R1. botocore: enc({"Marker": b'\xff', "boto_truncate_amount": 1}), i.e. the
    // text below plus `"boto_encoded_keys": [["Marker"]]`.
    assert_eq!(
        binary_full_result(json!("/w=="), json!("/g==")),
        json!({"Users": ["User1", "User2", "User3"],
               "NextToken": enc(r#"{"Marker": "/w==", "boto_truncate_amount": 1}"#)})
    );
}

#[test]
fn s27_nested_binary_marker_in_the_full_result_token() {
    // #27, M2, L4, R1. botocore adds `"boto_encoded_keys": [["Marker", "key"]]`.
    assert_eq!(
        binary_full_result(json!({"key": "/w=="}), json!({"key": "/g=="})),
        json!({"Users": ["User1", "User2", "User3"],
               "NextToken": enc(r#"{"Marker": {"key": "/w=="}, "boto_truncate_amount": 1}"#)})
    );
}

#[test]
fn s28_listed_binary_marker_in_the_full_result_token() {
    // #28, M2, L4, R1. botocore adds `"boto_encoded_keys": [["Marker", "key", 1]]`.
    assert_eq!(
        binary_full_result(
            json!({"key": ["foo", "/w=="]}),
            json!({"key": ["foo", "/g=="]})
        ),
        json!({"Users": ["User1", "User2", "User3"],
               "NextToken": enc(r#"{"Marker": {"key": ["foo", "/w=="]}, "boto_truncate_amount": 1}"#)})
    );
}

#[test]
fn s29_several_binary_values_in_the_full_result_token() {
    // #29, M2, L4, R1. botocore adds `"boto_encoded_keys": [["Marker", "key"], ["Marker", "key2"]]`.
    assert_eq!(
        binary_full_result(
            json!({"key": "/w==", "key2": "7w=="}),
            json!({"key": "/g==", "key2": "7g=="})
        ),
        json!({"Users": ["User1", "User2", "User3"],
               "NextToken": enc(r#"{"Marker": {"key": "/w==", "key2": "7w=="}, "boto_truncate_amount": 1}"#)})
    );
}

/// #30–#33: resumes from botocore's token; pages `[U3,U4]` with `marker`, then `[U5]`.
fn binary_resume(token_text: &str, marker: Value) -> (Value, Vec<Value>) {
    let api = Scripted::new([
        json!({"Users": ["User3", "User4"], "Marker": marker}),
        json!({"Users": ["User5"]}),
    ]);
    let full = users()
        .paginate(&api, json!({}))
        .starting_token(Some(enc(token_text)))
        .build_full_result()
        .unwrap();
    (full, api.calls())
}

#[test]
fn s30_resume_from_a_binary_token() {
    // #30, R3, R6. botocore sends Marker=b'\xff'; here its base64 text.
    let (full, calls) = binary_resume(
        r#"{"Marker": "/w==", "boto_truncate_amount": 1, "boto_encoded_keys": [["Marker"]]}"#,
        json!("/g=="),
    );
    assert_eq!(full, json!({"Users": ["User4", "User5"]}));
    assert_eq!(
        calls,
        [json!({"Marker": "/w=="}), json!({"Marker": "/g=="})]
    );
}

#[test]
fn s31_resume_from_a_nested_binary_token() {
    // #31, R3, R6. botocore sends Marker={'key': b'\xff'}.
    let (full, calls) = binary_resume(
        r#"{"Marker": {"key": "/w=="}, "boto_truncate_amount": 1, "boto_encoded_keys": [["Marker", "key"]]}"#,
        json!({"key": "/g=="}),
    );
    assert_eq!(full, json!({"Users": ["User4", "User5"]}));
    assert_eq!(
        calls,
        [
            json!({"Marker": {"key": "/w=="}}),
            json!({"Marker": {"key": "/g=="}})
        ]
    );
}

#[test]
fn s32_resume_from_a_listed_binary_token() {
    // #32, R3, R6. botocore sends Marker={'key': ['foo', b'\xff']}.
    let (full, calls) = binary_resume(
        r#"{"Marker": {"key": ["foo", "/w=="]}, "boto_truncate_amount": 1, "boto_encoded_keys": [["Marker", "key", 1]]}"#,
        json!({"key": ["bar", "/g=="]}),
    );
    assert_eq!(full, json!({"Users": ["User4", "User5"]}));
    assert_eq!(
        calls,
        [
            json!({"Marker": {"key": ["foo", "/w=="]}}),
            json!({"Marker": {"key": ["bar", "/g=="]}})
        ]
    );
}

#[test]
fn s33_resume_from_a_token_with_several_binary_values() {
    // #33, R3, R6, L3: the second request carries the first page's output marker.
    // botocore sends Marker={'key': b'\xfe', 'key2': b'\xee'}.
    let (full, calls) = binary_resume(
        r#"{"Marker": {"key": "/w==", "key2": "7w=="}, "boto_truncate_amount": 1, "boto_encoded_keys": [["Marker", "key"], ["Marker", "key2"]]}"#,
        json!({"key": "/g==", "key2": "7g=="}),
    );
    assert_eq!(full, json!({"Users": ["User4", "User5"]}));
    assert_eq!(
        calls,
        [
            json!({"Marker": {"key": "/w==", "key2": "7w=="}}),
            json!({"Marker": {"key": "/g==", "key2": "7g=="}})
        ]
    );
}

// ---------------------------------------------------------------- TestMultipleTokens, TestOptionalTokens (#34–#35)

#[test]
fn s34_multiple_tokens_from_nested_paths() {
    // #34, L2, L3: input and output tokens pair up by position.
    let m = model(
        "ListMultipartUploads",
        json!({"output_token": ["ListBucketResults.NextKeyMarker", "ListBucketResults.NextUploadIdMarker"],
               "input_token": ["key_marker", "upload_id_marker"], "result_key": "Foo"}),
    );
    let api = Scripted::new([
        json!({"Foo": [1], "ListBucketResults": {"NextKeyMarker": "key1", "NextUploadIdMarker": "up1"}}),
        json!({"Foo": [2], "ListBucketResults": {"NextKeyMarker": "key2", "NextUploadIdMarker": "up2"}}),
        json!({"Foo": [3], "ListBucketResults": {"NextKeyMarker": "key3", "NextUploadIdMarker": "up3"}}),
        json!({}),
    ]);
    assert_eq!(all(m.paginate(&api, json!({}))).len(), 4);
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"key_marker": "key1", "upload_id_marker": "up1"}),
            json!({"key_marker": "key2", "upload_id_marker": "up2"}),
            json!({"key_marker": "key3", "upload_id_marker": "up3"})
        ]
    );
}

#[test]
fn s35_an_optional_token_missing_from_a_page_is_removed() {
    // #35, L3: route53 ListResourceRecordSets; `StartRecordIdentifier` is dropped when the
    // page lacks `NextRecordIdentifier`.
    let m = model(
        "ListResourceRecordSets",
        json!({"output_token": ["NextRecordName", "NextRecordType", "NextRecordIdentifier"],
               "input_token": ["StartRecordName", "StartRecordType", "StartRecordIdentifier"],
               "result_key": "Foo"}),
    );
    let api = Scripted::new([
        json!({"Foo": [1], "IsTruncated": true, "NextRecordName": "aaa.example.com",
               "NextRecordType": "A", "NextRecordIdentifier": "id"}),
        json!({"Foo": [2], "IsTruncated": true, "NextRecordName": "bbb.example.com", "NextRecordType": "A"}),
        json!({"Foo": [3], "IsTruncated": false}),
    ]);
    assert_eq!(
        all(m.paginate(&api, json!({})).items()),
        [json!(1), json!(2), json!(3)]
    );
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"StartRecordName": "aaa.example.com", "StartRecordType": "A", "StartRecordIdentifier": "id"}),
            json!({"StartRecordName": "bbb.example.com", "StartRecordType": "A"})
        ]
    );
}

// ---------------------------------------------------------------- TestKeyIterators (#36–#44)

#[test]
fn s36_result_key_iterators() {
    // #36, G2: botocore's `result_key_iters()` gives one iterator per result key; here
    // `items_of` per key (and `items` for the primary one).
    let m = users();
    assert_eq!(m.result_keys().count(), 1);
    let api = three_users();
    assert_eq!(
        all(m.paginate(&api, json!({})).items_of("Users").unwrap()),
        [json!("User1"), json!("User2"), json!("User3")]
    );
    let api = three_users();
    assert_eq!(
        all(m.paginate(&api, json!({})).items()),
        [json!("User1"), json!("User2"), json!("User3")]
    );
}

#[test]
fn s37_full_result_of_a_single_key() {
    // #37, G4.
    let api = three_users();
    assert_eq!(
        users()
            .paginate(&api, json!({}))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2", "User3"]})
    );
}

#[test]
fn s38_s39_max_items_on_a_page_boundary() {
    // #38, O1, M3, G4. #39 passes MaxItems as the string '1'; `max_items` is a u64 here, so
    // #39 is the same assertion as #38.
    let api = three_users();
    assert_eq!(
        users()
            .paginate(&api, json!({}))
            .max_items(1)
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1"], "NextToken": enc(r#"{"Marker": "m1"}"#)})
    );
    assert_eq!(api.calls(), [json!({})]);
}

#[test]
fn s40_next_token_on_a_later_page_boundary() {
    // #40, M3.
    let api = three_users();
    assert_eq!(
        users()
            .paginate(&api, json!({}))
            .max_items(2)
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2"], "NextToken": enc(r#"{"Marker": "m2"}"#)})
    );
    assert_eq!(api.calls(), [json!({}), json!({"Marker": "m1"})]);
}

#[test]
fn s41_max_items_cuts_a_page() {
    // #41, M2: the token is the one that fetched the cut page, plus the items kept of it.
    let api = Scripted::new([
        upage(&["User1", "User2", "User3"], Some("m1")),
        upage(&["User4", "User5", "User6"], Some("m2")),
        upage(&["User7"], None),
    ]);
    assert_eq!(
        users()
            .paginate(&api, json!({}))
            .max_items(4)
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2", "User3", "User4"],
               "NextToken": enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#)})
    );
    assert_eq!(api.calls(), [json!({}), json!({"Marker": "m1"})]);
}

#[test]
fn s42_resume_mid_page() {
    // #42, O3, L1, R6: continues #41 with User5–User7.
    let api = Scripted::new([
        upage(&["User4", "User5", "User6"], Some("m2")),
        upage(&["User7"], None),
    ]);
    assert_eq!(
        users()
            .paginate(&api, json!({}))
            .starting_token(Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#)))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User5", "User6", "User7"]})
    );
    assert_eq!(
        api.calls(),
        [json!({"Marker": "m1"}), json!({"Marker": "m2"})]
    );
}

#[test]
fn s43_max_items_beyond_the_data() {
    // #43, O1, M3: no next page, so no NextToken.
    let api = three_users();
    assert_eq!(
        users()
            .paginate(&api, json!({}))
            .max_items(10)
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2", "User3"]})
    );
    assert_eq!(api.calls().len(), 3);
}

#[test]
fn s44_a_legacy_token_with_too_many_parts_is_refused() {
    // #44, R4: botocore raises ValueError "Bad starting token"; here a typed error on the
    // first `next()`, before any request.
    assert_eq!(
        token_error(&users(), "does___not___work"),
        TokenError::TooManyParts {
            parts: 3,
            tokens: 1
        }
    );
}

// ---------------------------------------------------------------- TestMultipleResultKeys (#45–#51)

#[test]
fn s45_full_result_of_several_keys() {
    // #45, G4.
    let api = Scripted::new([
        json!({"Users": ["User1"], "Groups": ["Group1"], "Marker": "m1"}),
        json!({"Users": ["User2"], "Groups": ["Group2"], "Marker": "m2"}),
        json!({"Users": ["User3"], "Groups": ["Group3"]}),
    ]);
    assert_eq!(
        users_groups()
            .paginate(&api, json!({}))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2", "User3"], "Groups": ["Group1", "Group2", "Group3"]})
    );
}

#[test]
fn s46_full_result_of_keys_of_different_lengths() {
    // #46, G4.
    let api = Scripted::new([
        json!({"Users": ["User1"], "Groups": ["Group1"], "Marker": "m1"}),
        json!({"Users": [], "Groups": ["Group2"], "Marker": "m2"}),
        json!({"Users": [], "Groups": ["Group3"]}),
    ]);
    assert_eq!(
        users_groups()
            .paginate(&api, json!({}))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1"], "Groups": ["Group1", "Group2", "Group3"]})
    );
}

#[test]
fn s47_an_always_empty_key_stays_in_the_full_result() {
    // #47, G4: a key present with `[]` is kept as `[]`.
    let api = Scripted::new([
        json!({"Users": [], "Groups": ["Group1"], "Marker": "m1"}),
        json!({"Users": [], "Groups": ["Group2"], "Marker": "m2"}),
        json!({"Users": [], "Groups": ["Group3"]}),
    ]);
    assert_eq!(
        users_groups()
            .paginate(&api, json!({}))
            .build_full_result()
            .unwrap(),
        json!({"Users": [], "Groups": ["Group1", "Group2", "Group3"]})
    );
}

#[test]
fn s48_secondary_keys_are_not_truncated() {
    // #48, M1, M2.
    let api = secondary_pages();
    assert_eq!(
        users_groups()
            .paginate(&api, json!({}))
            .max_items(1)
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1"], "Groups": ["Group1", "Group2"],
               "NextToken": enc(r#"{"Marker": null, "boto_truncate_amount": 1}"#)})
    );
    assert_eq!(api.calls(), [json!({})]);
}

#[test]
fn s49_resume_with_an_offset_blanks_secondary_keys() {
    // #49, R6 (the token carries an offset, so `Groups` of that first page is emptied), M3.
    let api = secondary_pages();
    assert_eq!(
        users_groups()
            .paginate(&api, json!({}))
            .max_items(1)
            .starting_token(Some(enc(r#"{"Marker": null, "boto_truncate_amount": 1}"#)))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User2"], "Groups": [], "NextToken": enc(r#"{"Marker": "m1"}"#)})
    );
    assert_eq!(api.calls(), [json!({})]);
}

#[test]
fn s50_a_string_secondary_key_is_blanked_to_empty() {
    // #50, R6: a string secondary becomes "".
    let api = Scripted::new([json!({"Users": ["User1", "User2"], "Groups": "a"})]);
    assert_eq!(
        users_groups()
            .paginate(&api, json!({}))
            .max_items(1)
            .starting_token(Some(enc(r#"{"Marker": null, "boto_truncate_amount": 1}"#)))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User2"], "Groups": ""})
    );
    assert_eq!(api.calls(), [json!({})]);
}

#[test]
fn s51_a_numeric_secondary_key_is_kept() {
    // #51, R6: numbers are kept (botocore's behaviour since 2025-08).
    let api = Scripted::new([json!({"Users": ["User1", "User2"], "Groups": 123})]);
    assert_eq!(
        users_groups()
            .paginate(&api, json!({}))
            .max_items(1)
            .starting_token(Some(enc(r#"{"Marker": null, "boto_truncate_amount": 1}"#)))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User2"], "Groups": 123})
    );
    assert_eq!(api.calls(), [json!({})]);
}

// ---------------------------------------------------------------- TestMultipleInputKeys (#52–#56)

#[test]
fn s52_cut_token_of_multiple_input_keys() {
    // #52, M2, R1: every input token in model order, then the offset.
    let api = Scripted::new(multi_pages());
    assert_eq!(
        multi_input()
            .paginate(&api, json!({}))
            .max_items(3)
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2", "User3"], "Groups": ["Group1", "Group2"],
               "NextToken": enc(r#"{"InMarker1": "m1", "InMarker2": "m2", "boto_truncate_amount": 1}"#)})
    );
    assert_eq!(
        api.calls(),
        [json!({}), json!({"InMarker1": "m1", "InMarker2": "m2"})]
    );
}

#[test]
fn s53_resume_with_multiple_input_keys() {
    // #53, L1, R6, M3.
    let api = Scripted::new(multi_pages().split_off(1));
    assert_eq!(
        multi_input()
            .paginate(&api, json!({}))
            .max_items(1)
            .starting_token(Some(enc(
                r#"{"InMarker1": "m1", "InMarker2": "m2", "boto_truncate_amount": 1}"#
            )))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User4"], "Groups": [],
               "NextToken": enc(r#"{"InMarker1": "m3", "InMarker2": "m4"}"#)})
    );
    assert_eq!(api.calls(), [json!({"InMarker1": "m1", "InMarker2": "m2"})]);
}

#[test]
fn s54_resume_onto_a_page_without_result_keys() {
    // #54, R6, G4. Upstream's token is `{"Marker": null, "boto_truncate_amount": 1}` although
    // this model's input tokens are InMarker1/InMarker2; botocore ignores the stray `null`.
    // [ours] R5 refuses a token key that is not an input token, before any request.
    assert_eq!(
        token_error(
            &multi_input(),
            &enc(r#"{"Marker": null, "boto_truncate_amount": 1}"#)
        ),
        TokenError::UnknownKey {
            key: "Marker".into(),
            allowed: vec!["InMarker1".into(), "InMarker2".into()]
        }
    );
    // With this model's own names, the scenario proper: the full result is `{}`. botocore
    // injects `Users: None, Groups: None` into the page and then skips them; here the page
    // is left as it is.
    let token = enc(r#"{"InMarker1": null, "InMarker2": null, "boto_truncate_amount": 1}"#);
    let response = json!({"not_a_result_key": "it happens in some service"});
    let api = Scripted::new([response.clone()]);
    assert_eq!(
        all(multi_input()
            .paginate(&api, json!({}))
            .starting_token(Some(token.clone()))),
        std::slice::from_ref(&response)
    );
    let api = Scripted::new([response]);
    assert_eq!(
        multi_input()
            .paginate(&api, json!({}))
            .starting_token(Some(token))
            .build_full_result()
            .unwrap(),
        json!({})
    );
    assert_eq!(api.calls(), [json!({})]);
}

#[test]
fn s55_s56_result_keys_on_the_model_and_on_a_run() {
    // #55, #56, G5. `MaxItems` passed as a plain request parameter is not the option: it is
    // sent unchanged (O4) and limits nothing.
    let m = multi_input();
    assert_eq!(m.result_keys().collect::<Vec<_>>(), ["Users", "Groups"]);
    let api = Scripted::new([json!({"Users": ["User1", "User2", "User3", "User4"]})]);
    let pages = m.paginate(&api, json!({"MaxItems": 3}));
    assert_eq!(
        pages.model().result_keys().collect::<Vec<_>>(),
        ["Users", "Groups"]
    );
    assert_eq!(
        all(pages),
        [json!({"Users": ["User1", "User2", "User3", "User4"]})]
    );
    assert_eq!(api.calls(), [json!({"MaxItems": 3})]);
}

// ---------------------------------------------------------------- TestExpressionKeyIterators (#57–#58)

fn engine_defaults() -> (Model, Scripted) {
    let m = model(
        "DescribeEngineDefaultParameters",
        json!({"input_token": "Marker", "output_token": "Marker", "limit_key": "MaxRecords",
               "result_key": "EngineDefaults.Parameters"}),
    );
    let api = Scripted::new([
        json!({"EngineDefaults": {"Parameters": ["One", "Two"]}, "Marker": "m1"}),
        json!({"EngineDefaults": {"Parameters": ["Three", "Four"]}, "Marker": "m2"}),
        json!({"EngineDefaults": {"Parameters": ["Five"]}}),
    ]);
    (m, api)
}

#[test]
fn s57_items_of_a_dotted_result_key() {
    // #57, G2.
    let (m, api) = engine_defaults();
    assert_eq!(m.result_keys().count(), 1);
    assert_eq!(
        all(m.paginate(&api, json!({})).items()),
        ["One", "Two", "Three", "Four", "Five"].map(|s| json!(s))
    );
}

#[test]
fn s58_full_result_of_a_dotted_result_key() {
    // #58, G4: the result is written back at its path.
    let (m, api) = engine_defaults();
    assert_eq!(
        m.paginate(&api, json!({})).build_full_result().unwrap(),
        json!({"EngineDefaults": {"Parameters": ["One", "Two", "Three", "Four", "Five"]}})
    );
}

// ---------------------------------------------------------------- TestIncludeResultKeys (#59–#60)

fn result_count_log() -> Model {
    model(
        "ListThings",
        json!({"output_token": "Marker", "input_token": "Marker", "result_key": ["ResultKey", "Count", "Log"]}),
    )
}

#[test]
fn s59_lists_numbers_and_strings_merge_by_type() {
    // #59, G4: lists concatenated, numbers added, strings concatenated; a page without
    // result keys adds nothing.
    let api = Scripted::new([
        json!({"ResultKey": ["a"], "Count": 1, "Log": "x", "Marker": "a"}),
        json!({"not_a_result_key": "this page will be ignored", "Marker": "_"}),
        json!({"ResultKey": ["b", "c"], "Count": 2, "Log": "y", "Marker": "b"}),
        json!({"ResultKey": ["d", "e", "f"], "Count": 3, "Log": "z"}),
    ]);
    let full = result_count_log()
        .paginate(&api, json!({}))
        .build_full_result()
        .unwrap();
    assert_eq!(
        full,
        json!({"ResultKey": ["a", "b", "c", "d", "e", "f"], "Count": 6, "Log": "xyz"})
    );
    assert!(full["Count"].is_u64());
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"Marker": "a"}),
            json!({"Marker": "_"}),
            json!({"Marker": "b"})
        ]
    );
}

#[test]
fn s60_no_result_keys_at_all_give_an_empty_result() {
    // #60, G4: a result key that never appears is left out.
    let api = Scripted::new([
        json!({"not_a_result_key": "this page will be ignored", "Marker": "_"}),
        json!({"neither_this_one": "this page will be ignored, too"}),
    ]);
    assert_eq!(
        result_count_log()
            .paginate(&api, json!({}))
            .build_full_result()
            .unwrap(),
        json!({})
    );
}

// ---------------------------------------------------------------- TestIncludeNonResultKeys (#61–#63)

fn non_aggregate(result_key: Value, non_aggregate_keys: Value) -> Model {
    model(
        "ListThings",
        json!({"output_token": "NextToken", "input_token": "NextToken",
               "result_key": result_key, "non_aggregate_keys": non_aggregate_keys}),
    )
}

#[test]
fn s61_non_aggregate_keys_come_from_the_first_page() {
    // #61, G4, G5.
    let m = non_aggregate(json!("ResultKey"), json!(["NotResultKey"]));
    let script = || {
        Scripted::new([
            json!({"ResultKey": ["foo"], "NotResultKey": "a", "NextToken": "t1"}),
            json!({"ResultKey": ["bar"], "NotResultKey": "a", "NextToken": "t2"}),
            json!({"ResultKey": ["baz"], "NotResultKey": "a"}),
        ])
    };
    let api = script();
    let mut pages = m.paginate(&api, json!({}));
    assert_eq!(all(&mut pages).len(), 3);
    assert_eq!(
        pages.non_aggregate_part(),
        Some(&json!({"NotResultKey": "a"}))
    );
    let api = script();
    assert_eq!(
        m.paginate(&api, json!({})).build_full_result().unwrap(),
        json!({"ResultKey": ["foo", "bar", "baz"], "NotResultKey": "a"})
    );
}

#[test]
fn s62_non_aggregate_keys_with_several_result_keys() {
    // #62, G4.
    let m = non_aggregate(json!(["ResultKey1", "ResultKey2"]), json!(["NotResultKey"]));
    let api = Scripted::new([
        json!({"ResultKey1": ["a", "b"], "ResultKey2": ["u", "v"], "NotResultKey": "a", "NextToken": "token1"}),
        json!({"ResultKey1": ["c", "d"], "ResultKey2": ["w", "x"], "NotResultKey": "a", "NextToken": "token2"}),
        json!({"ResultKey1": ["e", "f"], "ResultKey2": ["y", "z"], "NotResultKey": "a"}),
    ]);
    assert_eq!(
        m.paginate(&api, json!({})).build_full_result().unwrap(),
        json!({"ResultKey1": ["a", "b", "c", "d", "e", "f"],
               "ResultKey2": ["u", "v", "w", "x", "y", "z"],
               "NotResultKey": "a"})
    );
}

#[test]
fn s63_nested_non_aggregate_keys_merge_with_nested_result_keys() {
    // #63, G4, G5: the first page's values win; objects merge recursively. The last page
    // carries no token here, so the run ends on it.
    let m = non_aggregate(json!("Result.Key"), json!(["Outer", "Result.Inner"]));
    let script = || {
        Scripted::new([
            json!({"Result": {"Key": ["foo"], "Inner": "v1"}, "Outer": "v2", "NextToken": "t1"}),
            json!({"Result": {"Key": ["bar", "baz"], "Inner": "v3"}, "Outer": "v4", "NextToken": "t2"}),
            json!({"Result": {"Key": ["qux"], "Inner": "v5"}, "Outer": "v6"}),
        ])
    };
    let api = script();
    let mut pages = m.paginate(&api, json!({}));
    assert_eq!(all(&mut pages).len(), 3);
    assert_eq!(
        pages.non_aggregate_part(),
        Some(&json!({"Outer": "v2", "Result": {"Inner": "v1"}}))
    );
    let api = script();
    assert_eq!(
        m.paginate(&api, json!({})).build_full_result().unwrap(),
        json!({"Result": {"Key": ["foo", "bar", "baz", "qux"], "Inner": "v1"}, "Outer": "v2"})
    );
}

// ---------------------------------------------------------------- TestSearchOverResults (#64–#67)

/// Runs `search(expression)` over upstream's three pages; returns the results and requests.
fn search(expression: &str) -> (Vec<Value>, Vec<Value>) {
    let m = model(
        "ListFoos",
        json!({"more_results": "IsTruncated", "output_token": "NextToken", "input_token": "NextToken", "result_key": "Foo"}),
    );
    let api = Scripted::new([
        json!({"Foo": [{"a": 1}, {"b": 2}], "IsTruncated": true, "NextToken": "1"}),
        json!({"Foo": [{"a": 3}, {"b": 4}], "IsTruncated": true, "NextToken": "2"}),
        json!({"Foo": [{"a": 5}], "IsTruncated": false, "NextToken": "3"}),
    ]);
    let results = all(m.paginate(&api, json!({})).search(expression).unwrap());
    let calls = api.calls();
    assert_eq!(
        calls,
        [
            json!({}),
            json!({"NextToken": "1"}),
            json!({"NextToken": "2"})
        ]
    );
    (results, calls)
}

#[test]
fn s64_search_yields_non_list_values() {
    // #64, G3.
    assert_eq!(search("Foo[0].a").0, [json!(1), json!(3), json!(5)]);
}

#[test]
fn s65_search_yields_list_elements_one_by_one() {
    // #65, G3.
    assert_eq!(search("Foo[].*[]").0, [1, 2, 3, 4, 5].map(|n| json!(n)));
}

#[test]
fn s66_search_with_no_match_yields_nothing() {
    // #66, G3.
    assert!(search("Foo[].qux").0.is_empty());
}

#[test]
fn s67_search_yields_nothing_for_a_page_without_a_match() {
    // #67, G3.
    assert_eq!(search("Foo[].b").0, [json!(2), json!(4)]);
}

// ---------------------------------------------------------------- TestDeprecatedStartingToken (#68–#72)

#[test]
fn s68_legacy_token_with_a_zero_offset() {
    // #68, R4.
    let api = Scripted::new([
        upage(&["User1"], Some("m2")),
        upage(&["User2"], Some("m3")),
        upage(&["User3"], None),
    ]);
    assert_eq!(
        users()
            .paginate(&api, json!({}))
            .starting_token(Some("m1___0".into()))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2", "User3"]})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"Marker": "m1"}),
            json!({"Marker": "m2"}),
            json!({"Marker": "m3"})
        ]
    );
}

#[test]
fn s69_legacy_token_with_several_values_and_an_offset() {
    // #69, R4, R6: the offset slices User1 off and, being an offset, empties Group1.
    let api = Scripted::new(multi_pages());
    assert_eq!(
        multi_input()
            .paginate(&api, json!({}))
            .starting_token(Some("m0___m0___1".into()))
            .build_full_result()
            .unwrap(),
        json!({"Groups": ["Group2", "Group3"], "Users": ["User2", "User3", "User4", "User5"]})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"InMarker1": "m0", "InMarker2": "m0"}),
            json!({"InMarker1": "m1", "InMarker2": "m2"}),
            json!({"InMarker1": "m3", "InMarker2": "m4"})
        ]
    );
}

#[test]
fn s70_legacy_token_in_new_style_token_out() {
    // #70, R4, M3, R1.
    let api = Scripted::new([
        upage(&["User1"], Some("m2")),
        upage(&["User2"], Some("m3")),
        upage(&["User3"], Some("m4")),
    ]);
    assert_eq!(
        users()
            .paginate(&api, json!({}))
            .starting_token(Some("m1___0".into()))
            .max_items(3)
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2", "User3"], "NextToken": enc(r#"{"Marker": "m4"}"#)})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"Marker": "m1"}),
            json!({"Marker": "m2"}),
            json!({"Marker": "m3"})
        ]
    );
}

#[test]
fn s71_legacy_token_padded_without_offset_keeps_secondary_keys() {
    // #71, R4 (fewer parts are padded with no value), R6 [ours]: the token carries no
    // offset, so the first page's `Groups` were never returned before and are kept.
    // botocore empties them on every resume and gives `Groups: [Group2, Group3]`.
    let api = Scripted::new(multi_pages());
    assert_eq!(
        multi_input()
            .paginate(&api, json!({}))
            .starting_token(Some("m0".into()))
            .build_full_result()
            .unwrap(),
        json!({"Groups": ["Group1", "Group2", "Group3"],
               "Users": ["User1", "User2", "User3", "User4", "User5"]})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"InMarker1": "m0"}),
            json!({"InMarker1": "m1", "InMarker2": "m2"}),
            json!({"InMarker1": "m3", "InMarker2": "m4"})
        ]
    );
}

#[test]
fn s72_legacy_token_with_too_many_values_is_refused() {
    // #72, R4: botocore raises ValueError; here a typed error before any request.
    assert_eq!(
        token_error(&users(), "m1___m4___0"),
        TokenError::TooManyParts {
            parts: 3,
            tokens: 1
        }
    );
}

// ---------------------------------------------------------------- TestStringPageSize (#73–#74)

fn list_stuff_paginator() -> Value {
    json!({"pagination": {"ListStuff": {
        "input_token": "NextToken", "output_token": "NextToken",
        "limit_key": "MaxItems", "result_key": "Stuff"
    }}})
}

#[test]
fn s73_page_size_is_a_string_for_a_string_typed_limit() {
    // #73, O2: the limit's type comes from the service model, as upstream's real ServiceModel.
    let mut registry = Registry::from_value(&list_stuff_paginator()).unwrap();
    let service = json!({
        "metadata": {"protocol": "query", "endpointPrefix": "prefix"},
        "operations": {"ListStuff": {
            "name": "ListStuff",
            "http": {"method": "GET", "requestUri": "/things"},
            "input": {"shape": "ListStuffInputShape"},
            "output": {"shape": "ListStuffOutputShape"}
        }},
        "shapes": {
            "String": {"type": "string"},
            "ListOfStuff": {"type": "list", "member": {"shape": "String"}},
            "ListStuffInputShape": {"type": "structure", "members": {
                "NextToken": {"shape": "String"}, "MaxItems": {"shape": "String"}
            }},
            "ListStuffOutputShape": {"type": "structure", "members": {
                "NextToken": {"shape": "String"}, "Stuff": {"shape": "ListOfStuff"}
            }}
        }
    });
    assert_eq!(registry.apply_service_model(&service), 1);
    let m = registry.get("ListStuff").unwrap();
    assert_eq!(m.limit_type(), LimitType::String);
    let api = Scripted::new([json!({})]);
    assert_eq!(all(m.paginate(&api, json!({})).page_size(1)), [json!({})]);
    assert_eq!(api.calls(), [json!({"MaxItems": "1"})]);
}

#[test]
fn s74_page_size_given_as_a_string() {
    // #74, O2: upstream passes PageSize '1'; `page_size` is a u64 here, so the string form
    // cannot be given and the request is the same as #73's.
    let registry = Registry::from_value(&list_stuff_paginator()).unwrap();
    let m = registry
        .get("ListStuff")
        .unwrap()
        .with_limit_type(LimitType::String);
    let api = Scripted::new([json!({})]);
    assert_eq!(all(m.paginate(&api, json!({})).page_size(1)), [json!({})]);
    assert_eq!(api.calls(), [json!({"MaxItems": "1"})]);
}

// ---------------------------------------------------------------- functional tests (#75–#79)

#[test]
fn s75_rds_log_portion_from_a_zero_marker() {
    // #75, R4 (the hand-made token "0" is the whole value of the first token), M1 (a string
    // counts its characters), M3, G4. Model as in botocore's rds paginators-1.json.
    let m = model(
        "DownloadDBLogFilePortion",
        json!({"input_token": "Marker", "limit_key": "NumberOfLines", "more_results": "AdditionalDataPending",
               "output_token": "Marker", "result_key": "LogFileData"}),
    );
    let api = Scripted::new([
        json!({"LogFileData": "foo", "Marker": "2", "AdditionalDataPending": true}),
    ]);
    let full = m
        .paginate(
            &api,
            json!({"DBInstanceIdentifier": "foo", "LogFileName": "bar", "NumberOfLines": 2}),
        )
        .starting_token(Some("0".into()))
        .max_items(3)
        .build_full_result()
        .unwrap();
    assert_eq!(
        full,
        json!({"LogFileData": "foo", "NextToken": enc(r#"{"Marker": "2"}"#)})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"DBInstanceIdentifier": "foo", "LogFileName": "bar", "NumberOfLines": 2, "Marker": "0"})
        ]
    );
}

/// #76: autoscaling DescribeScalingActivities over 600 activities, 200 a page. Each request
/// gets the page its `NextToken` names (always with the page's own `NextToken`, as the
/// service sends it), and every request is recorded.
#[derive(Debug, Default)]
struct ScalingActivities {
    requests: Mutex<Vec<Value>>,
}

fn activity(n: usize) -> Value {
    json!({"AutoScalingGroupName": "test", "ActivityId": format!("activity-{n:03}"),
           "Cause": "test", "StatusCode": "200"})
}

impl Transport for ScalingActivities {
    type Error = FakeError;

    fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, FakeError> {
        self.requests
            .lock()
            .unwrap()
            .push(Value::Object(params.clone()));
        if operation != "DescribeScalingActivities" {
            return Err(FakeError(format!("unknown operation {operation}")));
        }
        let page = match params.get("NextToken").and_then(Value::as_str) {
            None => 0,
            Some("token-1") => 1,
            Some("token-2") => 2,
            Some(other) => return Err(FakeError(format!("unknown NextToken {other}"))),
        };
        let mut response =
            json!({"Activities": (page * 200..page * 200 + 200).map(activity).collect::<Vec<_>>()});
        if page < 2 {
            response["NextToken"] = json!(format!("token-{}", page + 1));
        }
        Ok(response)
    }
}

#[test]
fn s76_repeated_full_results_with_max_items_give_every_item_once() {
    // #76, M2, M3, R6, R7, L5, L6 (a starting token is not compared), G4. Tokens alternate
    // between a cut inside a page and the page boundary after it. Upstream stubs each page
    // twice, the first copy without NextToken; here the service answers every request with
    // its real page, and the next token is read from the page as received (L5).
    let m = model(
        "DescribeScalingActivities",
        json!({"input_token": "NextToken", "output_token": "NextToken",
               "limit_key": "MaxRecords", "result_key": "Activities"}),
    );
    let api = ScalingActivities::default();
    let run = |start: Option<&str>| {
        let mut pages = m.paginate(&api, json!({})).page_size(200).max_items(100);
        if let Some(token) = start {
            pages = pages.starting_token(Some(token.to_owned()));
        }
        // A duplicate-token error would surface here.
        pages.build_full_result().unwrap()
    };
    let mut activities: Vec<Value> = Vec::new();
    let mut tokens: Vec<String> = Vec::new();
    let mut result = run(None);
    loop {
        activities.extend(result["Activities"].as_array().unwrap().iter().cloned());
        let Some(token) = result.get("NextToken") else {
            break;
        };
        let token = token.as_str().unwrap().to_owned();
        assert!(!tokens.contains(&token), "token {} came twice", dec(&token));
        assert!(tokens.len() < 10, "the runs do not end");
        tokens.push(token.clone());
        result = run(Some(&token));
    }
    assert_eq!(activities.len(), 600);
    assert_eq!(activities, (0..600).map(activity).collect::<Vec<_>>());
    assert_eq!(
        tokens,
        [
            enc(r#"{"NextToken": null, "boto_truncate_amount": 100}"#),
            enc(r#"{"NextToken": "token-1"}"#),
            enc(r#"{"NextToken": "token-1", "boto_truncate_amount": 100}"#),
            enc(r#"{"NextToken": "token-2"}"#),
            enc(r#"{"NextToken": "token-2", "boto_truncate_amount": 100}"#),
        ]
    );
    assert_eq!(
        *api.requests.lock().unwrap(),
        [
            json!({"MaxRecords": 200}),
            json!({"MaxRecords": 200}),
            json!({"MaxRecords": 200, "NextToken": "token-1"}),
            json!({"MaxRecords": 200, "NextToken": "token-1"}),
            json!({"MaxRecords": 200, "NextToken": "token-2"}),
            json!({"MaxRecords": 200, "NextToken": "token-2"}),
        ]
    );
}

#[test]
fn s77_logs_token_with_triple_underscores_is_opaque() {
    // #77, R4: "foo___bar" has one part too many and a non-integer last part, so the whole
    // string is the token. R6 [ours]: the token has no offset, so the secondary key
    // `searchedLogStreams` is kept; botocore empties it on any resume (upstream only checks
    // that one event comes back). Model as in botocore's logs paginators-1.json.
    let m = model(
        "FilterLogEvents",
        json!({"input_token": "nextToken", "limit_key": "limit", "output_token": "nextToken",
               "result_key": ["events", "searchedLogStreams"]}),
    );
    let event = json!({"logStreamName": "foobar", "timestamp": 1_560_195_817_u64,
                       "message": "a thing happened", "ingestionTime": 1_560_195_817_u64, "eventId": "foo"});
    let stream = json!({"logStreamName": "foobar", "searchedCompletely": false});
    let api = Scripted::new([json!({"events": [event], "searchedLogStreams": [stream]})]);
    let full = m
        .paginate(&api, json!({"logGroupName": "foo"}))
        .starting_token(Some("foo___bar".into()))
        .max_items(1)
        .build_full_result()
        .unwrap();
    assert_eq!(
        full,
        json!({"events": [event], "searchedLogStreams": [stream]})
    );
    assert_eq!(
        api.calls(),
        [json!({"logGroupName": "foo", "nextToken": "foo___bar"})]
    );
}

#[test]
fn s78_botocore_tokens_round_trip() {
    // #78, R1, R3: each token as botocore's TokenEncoder writes it (bytes as base64 text,
    // listed in `boto_encoded_keys`) reads back and re-encodes byte for byte, and a cut on
    // its first page carries `boto_encoded_keys` on, so botocore decodes the same bytes.
    // botocore round-trips to Python `bytes`; here the values stay base64 text (no Rust
    // equivalent of the bytes themselves).
    let m = model(
        "ListFoos",
        json!({"input_token": "foo", "output_token": "next", "result_key": "Items"}),
    );
    let cases = [
        (
            r#"{"foo": "bar"}"#,
            json!("bar"),
            r#"{"foo": "bar", "boto_truncate_amount": 1}"#,
        ),
        (
            r#"{"foo": "YmFy", "boto_encoded_keys": [["foo"]]}"#,
            json!("YmFy"),
            r#"{"foo": "YmFy", "boto_truncate_amount": 1, "boto_encoded_keys": [["foo"]]}"#,
        ),
        (
            r#"{"foo": {"bar": "YmF6"}, "boto_encoded_keys": [["foo", "bar"]]}"#,
            json!({"bar": "YmF6"}),
            r#"{"foo": {"bar": "YmF6"}, "boto_truncate_amount": 1, "boto_encoded_keys": [["foo", "bar"]]}"#,
        ),
        (
            r#"{"foo": ["bar", "YmF6"], "boto_encoded_keys": [["foo", 1]]}"#,
            json!(["bar", "YmF6"]),
            r#"{"foo": ["bar", "YmF6"], "boto_truncate_amount": 1, "boto_encoded_keys": [["foo", 1]]}"#,
        ),
        (
            r#"{"foo": "/w==", "boto_encoded_keys": [["foo"]]}"#,
            json!("/w=="),
            r#"{"foo": "/w==", "boto_truncate_amount": 1, "boto_encoded_keys": [["foo"]]}"#,
        ),
        (
            r#"{"foo": {"bar": "YmF6", "bin": ["YmFt"]}, "boto_encoded_keys": [["foo", "bar"], ["foo", "bin", 0]]}"#,
            json!({"bar": "YmF6", "bin": ["YmFt"]}),
            r#"{"foo": {"bar": "YmF6", "bin": ["YmFt"]}, "boto_truncate_amount": 1, "boto_encoded_keys": [["foo", "bar"], ["foo", "bin", 0]]}"#,
        ),
    ];
    for (text, value, cut_text) in cases {
        let token = enc(text);
        let api = Scripted::new([json!({"Items": [1, 2], "next": "n1"})]);
        let mut pages = m
            .paginate(&api, json!({}))
            .starting_token(Some(token.clone()))
            .max_items(1);
        // Before any request, the resume token is the starting token, byte for byte.
        assert_eq!(pages.resume_token(), Some(token), "{text}");
        assert_eq!(
            all(&mut pages),
            [json!({"Items": [1], "next": "n1"})],
            "{text}"
        );
        assert_eq!(api.calls(), [json!({"foo": value})], "{text}");
        assert_eq!(pages.resume_token(), Some(enc(cut_text)), "{text}");
    }
}

#[test]
fn s79_route53_string_page_size_and_no_next_marker() {
    // #79, O2 (route53 `MaxItems` is string-typed; a u64 page size covers both `1` and
    // `'1'`), L2 (IsTruncated is true but there is no NextMarker: one page). Model as in
    // botocore's route53 paginators-1.json.
    let m = model(
        "ListHostedZones",
        json!({"input_token": "Marker", "output_token": "NextMarker", "more_results": "IsTruncated",
               "limit_key": "MaxItems", "result_key": "HostedZones"}),
    )
    .with_limit_type(LimitType::String);
    let response = json!({"HostedZones": [], "Marker": "", "IsTruncated": true, "MaxItems": "1"});
    let api = Scripted::new([response.clone()]);
    assert_eq!(all(m.paginate(&api, json!({})).page_size(1)), [response]);
    assert_eq!(api.calls(), [json!({"MaxItems": "1"})]);
}
