//! botocore's TokenDecoder (#1–#5), TestPagination (#9–#20), TestPaginatorPageSize
//! (#21–#23) and TestPaginatorWithPathExpressions (#24–#25): decoding, the loop, page sizes
//! and path-expression tokens.

use paginate_tests::{all, dec, enc, model};
use paginated::{DuplicateTokenPolicy, Error, Model};
use serde_json::{Value, json};

use super::{Drive, foo, three_users, upage, users_with_limit};
use crate::matrix::scripted;

// ---------------------------------------------------------------- TokenDecoder (#1–#5)

/// The params of the single request sent when starting from `token` with input token `foo`.
fn first_call_with_foo_token(token: &str) -> Value {
    let m = model(
        "ListFoos",
        json!({"input_token": "foo", "output_token": "next", "result_key": "Items"}),
    );
    let api = scripted([json!({"Items": [1]})]);
    assert_eq!(
        all(m
            .drive(&api, json!({}))
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

// ---------------------------------------------------------------- TestPagination (#8–#20)

#[test]
fn s09_no_next_token_means_one_page() {
    // #9, L2.
    let api = scripted([json!({"not_the_next_token": "foobar"})]);
    assert_eq!(
        all(foo().drive(&api, json!({}))),
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
    let api = scripted(responses.clone());
    assert_eq!(all(foo().drive(&api, json!({}))), responses);
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
        .drive(&api, json!({}))
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
    let api = scripted(responses.clone());
    assert_eq!(
        all(foo().drive(&api, json!({"Foo": "foo", "Bar": "bar"}))),
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
        scripted([
            json!({"NextToken": "token1"}),
            json!({"NextToken": "token2"}),
            json!({"NextToken": "token2"}),
        ])
    };
    let api = script();
    let mut pages = foo().drive(&api, json!({}));
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
        matches!(err, Error::DuplicateToken { page, .. } if page == 3),
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
    let collected: Result<Vec<Value>, Error> = foo().drive(&api, json!({})).collect();
    assert!(
        matches!(collected, Err(Error::DuplicateToken { page, .. }) if page == 3),
        "{collected:?}"
    );
    // [ours] The `Stop` policy (not in botocore) ends quietly after the same page instead.
    let api = script();
    let pages = all(foo()
        .drive(&api, json!({}))
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
    let api = scripted([
        json!({"NextToken": "token1"}),
        json!({"NextToken2": "token2"}),
        json!({"NextToken": "token3", "NextToken2": "token4"}),
        json!({"not_next_token": "foo"}),
    ]);
    assert_eq!(all(m.drive(&api, json!({}))).len(), 4);
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
    let api = scripted([
        json!({"Foo": [1], "IsTruncated": true, "NextToken": "token1"}),
        json!({"Foo": [2], "IsTruncated": true, "NextToken": "token2"}),
        json!({"Foo": [3], "IsTruncated": false, "NextToken": "token3"}),
        json!({"Foo": [4], "not_next_token": "foo"}),
    ]);
    assert_eq!(
        all(m.drive(&api, json!({})).items()),
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
    let api = scripted(responses.clone());
    assert_eq!(all(m.drive(&api, json!({}))), responses);
    assert_eq!(api.calls(), [json!({}), json!({"NextToken": "token1"})]);
}

#[test]
fn s17_page_size_goes_into_the_limit_key_of_every_request() {
    // #17, O2, L3.
    let api = three_users();
    let pages = all(users_with_limit().drive(&api, json!({})).page_size(1));
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
    let api = scripted([page.clone(), page.clone(), page.clone()]);
    let pages = all(foo().drive(&api, json!({})));
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
            .drive(&api, json!({}))
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
    let api = scripted([
        upage(&["User1", "User2"], Some("m1")),
        upage(&["User3", "User4"], Some("m2")),
        upage(&["User3", "User4"], Some("m2")),
        upage(&["User5", "User6", "User7"], Some("m3")),
    ]);
    let first = users_with_limit()
        .drive(&api, json!({}))
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
        .drive(&api, json!({}))
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
    let api = scripted([json!({"Users": [], "Groups": []})]);
    let _ = all(users_groups_with_limit().drive(&api, json!({"arg1": "foo", "arg2": "bar"})));
    assert_eq!(api.calls(), [json!({"arg1": "foo", "arg2": "bar"})]);
}

#[test]
fn s22_page_size_is_injected_into_the_limit_key() {
    // #22, O2.
    let api = scripted([json!({"Users": [], "Groups": []})]);
    let _ = all(users_groups_with_limit()
        .drive(&api, json!({"arg1": "foo", "arg2": "bar"}))
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
    let api = scripted([json!({"Users": []})]);
    let mut pages = m
        .drive(&api, json!({"arg1": "foo", "arg2": "bar"}))
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
    let api = scripted([
        json!({"NextMarker": "token1"}),
        json!({"NextMarker": "token2"}),
        json!({"not_next_token": "foo"}),
    ]);
    let _ = all(s3_path_model().drive(&api, json!({})));
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
    let api = scripted([
        json!({"NextMarker": "token1"}),
        json!({"ListBucketResult": {"Contents": [{"Key": "first"}, {"Key": "Last"}]}}),
        json!({"not_next_token": "foo"}),
    ]);
    let _ = all(s3_path_model().drive(&api, json!({})));
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"next_marker": "token1"}),
            json!({"next_marker": "Last"})
        ]
    );
}
