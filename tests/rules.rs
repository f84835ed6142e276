//! SEMANTICS.md, rule by rule. Each test is named after the rule it proves and asserts the
//! exact pages, the exact params of every request, the exact items and the exact tokens.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use paginate_core::{
    DuplicateTokenPolicy, Error, LimitType, Model, PaginationConfig, TokenError, from_fn,
};
use paginate_tests::{FakeError, Scripted, all, dec, enc, model};
use serde_json::{Value, json};

/// `Marker → NextMarker`, result key `Users`, limit `MaxKeys`.
fn users() -> Model {
    model(
        "ListUsers",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": "Users", "limit_key": "MaxKeys"}),
    )
}

fn page(users: &[&str], next: Option<&str>) -> Value {
    let mut p = json!({"Users": users});
    if let Some(n) = next {
        p["NextMarker"] = json!(n);
    }
    p
}

// ---------------------------------------------------------------- options

#[test]
fn o1_max_items_counts_primary_items_across_pages() {
    let api = Scripted::new([page(&["a", "b"], Some("m1")), page(&["c", "d"], Some("m2"))]);
    let pages = all(users().paginate(&api, json!({})).max_items(3));
    assert_eq!(
        pages,
        [page(&["a", "b"], Some("m1")), page(&["c"], Some("m2"))]
    );
    assert_eq!(api.calls(), [json!({}), json!({"Marker": "m1"})]);
}

#[test]
fn o2_page_size_goes_into_the_limit_key_overriding_the_callers_value() {
    let api = Scripted::new([page(&["a"], Some("m1")), page(&["b"], None)]);
    let _ = all(users()
        .paginate(&api, json!({"MaxKeys": 50, "Prefix": "p"}))
        .page_size(1));
    assert_eq!(
        api.calls(),
        [
            json!({"MaxKeys": 1, "Prefix": "p"}),
            json!({"MaxKeys": 1, "Prefix": "p", "Marker": "m1"})
        ]
    );
}

#[test]
fn o2_page_size_is_a_string_for_a_string_typed_limit() {
    let m = users().with_limit_type(LimitType::String);
    let api = Scripted::new([page(&["a"], None)]);
    let _ = all(m.paginate(&api, json!({})).page_size(7));
    assert_eq!(api.calls(), [json!({"MaxKeys": "7"})]);
}

#[test]
fn o2_page_size_without_limit_key_fails_before_any_request() {
    let m = model(
        "Op",
        json!({"input_token": "T", "output_token": "T", "result_key": "R"}),
    );
    let api = Scripted::new([json!({"R": [1]})]);
    let mut pages = m.paginate(&api, json!({})).page_size(5);
    let err = pages.next().unwrap().unwrap_err();
    assert!(
        matches!(err, Error::PageSizeWithoutLimitKey { page_size: 5, .. }),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "Op: page size 5 was requested, but the model has no `limit_key` to send it in"
    );
    assert!(pages.next().is_none());
    assert!(api.calls().is_empty());
}

#[test]
fn o3_starting_token_and_o4_other_params_are_sent_unchanged() {
    let api = Scripted::new([page(&["c"], Some("m3")), page(&["d"], None)]);
    let start = enc(r#"{"Marker": "m2"}"#);
    let got = all(users()
        .paginate(&api, json!({"Bucket": "b", "Nested": {"x": [1]}}))
        .starting_token(Some(start))
        .items());
    assert_eq!(got, [json!("c"), json!("d")]);
    assert_eq!(
        api.calls(),
        [
            json!({"Bucket": "b", "Nested": {"x": [1]}, "Marker": "m2"}),
            json!({"Bucket": "b", "Nested": {"x": [1]}, "Marker": "m3"})
        ]
    );
}

#[test]
fn config_struct_applies_every_option() {
    let api = Scripted::new([page(&["a", "b"], Some("m1")), page(&["c"], None)]);
    let config = PaginationConfig::default()
        .max_items(1)
        .page_size(2)
        .duplicate_tokens(DuplicateTokenPolicy::Stop);
    let mut pages = users().paginate(&api, json!({})).config(config);
    assert_eq!(all(&mut pages), [page(&["a"], Some("m1"))]);
    assert_eq!(api.calls(), [json!({"MaxKeys": 2})]);
    assert_eq!(
        pages.resume_token(),
        Some(enc(r#"{"Marker": null, "boto_truncate_amount": 1}"#))
    );
}

#[test]
fn params_must_be_an_object_or_null() {
    let api = Scripted::new([page(&["a"], None)]);
    let err = users()
        .paginate(&api, json!([1]))
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "ListUsers: request parameters must be a JSON object, not array"
    );
    assert!(api.calls().is_empty());
    let api = Scripted::new([page(&["a"], None)]);
    let _ = all(users().paginate(&api, Value::Null));
    assert_eq!(api.calls(), [json!({})]);
}

// ---------------------------------------------------------------- the loop

#[test]
fn l1_first_request_merges_params_limit_and_starting_token() {
    // The token overrides the caller's marker; the limit overrides the caller's limit.
    let api = Scripted::new([page(&["x"], None)]);
    let _ = all(users()
        .paginate(&api, json!({"Marker": "caller", "MaxKeys": 9, "Other": 1}))
        .page_size(2)
        .starting_token(Some(enc(r#"{"Marker": "from-token"}"#))));
    assert_eq!(
        api.calls(),
        [json!({"Marker": "from-token", "MaxKeys": 2, "Other": 1})]
    );
}

#[test]
fn l1_an_absent_token_value_removes_the_callers_param() {
    let api = Scripted::new([page(&["x"], None)]);
    let _ = all(users()
        .paginate(&api, json!({"Marker": "caller"}))
        .starting_token(Some(enc(r#"{"Marker": null}"#))));
    assert_eq!(api.calls(), [json!({})]);
}

#[test]
fn l1_without_a_starting_token_the_callers_token_is_honoured() {
    let api = Scripted::new([page(&["a", "b"], Some("m9")), page(&["c"], None)]);
    let mut pages = users().paginate(&api, json!({"Marker": "m5"})).max_items(1);
    assert_eq!(all(&mut pages), [page(&["a"], Some("m9"))]);
    assert_eq!(api.calls(), [json!({"Marker": "m5"})]);
    // The resume token remembers the caller's marker: resuming refetches the same page.
    // (botocore records `None` here, so its resume restarts from the beginning.)
    assert_eq!(
        pages.resume_token(),
        Some(enc(r#"{"Marker": "m5", "boto_truncate_amount": 1}"#))
    );
}

#[test]
fn l2_stops_when_every_token_is_absent() {
    for absent in [
        json!(null),
        json!(""),
        json!(0),
        json!(false),
        json!([]),
        json!({}),
    ] {
        let api = Scripted::new([
            json!({"Users": ["a"], "NextMarker": absent}),
            page(&["never"], None),
        ]);
        let got = all(users().paginate(&api, json!({})));
        assert_eq!(got.len(), 1, "NextMarker {absent} is absent");
        assert_eq!(api.calls().len(), 1);
    }
}

#[test]
fn l2_more_results_absent_stops_even_with_a_token() {
    // S3 ListParts returns the non-empty token "0" on its last page.
    let m = model(
        "ListParts",
        json!({"input_token": "PartNumberMarker", "output_token": "NextPartNumberMarker",
               "more_results": "IsTruncated", "result_key": "Parts"}),
    );
    let api = Scripted::new([
        json!({"Parts": [1], "NextPartNumberMarker": 1, "IsTruncated": true}),
        json!({"Parts": [2], "NextPartNumberMarker": "0", "IsTruncated": false}),
    ]);
    let parts = all(m.paginate(&api, json!({})).items());
    assert_eq!(parts, [json!(1), json!(2)]);
    assert_eq!(api.calls(), [json!({}), json!({"PartNumberMarker": 1})]);
}

#[test]
fn l2_jmespath_zero_is_truthy_in_the_expression_but_absent_as_a_token() {
    let m = model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker || Contents[-1].Key", "result_key": "Contents"}),
    );
    // `NextMarker: 0` wins the `||` (0 is JMESPath-true), then is absent: no next page.
    let api = Scripted::new([
        json!({"NextMarker": 0, "Contents": [{"Key": "k"}]}),
        json!({}),
    ]);
    assert_eq!(all(m.paginate(&api, json!({}))).len(), 1);
    assert_eq!(api.calls().len(), 1);
}

#[test]
fn l3_tokens_without_a_value_are_removed_from_the_next_request() {
    let m = model(
        "ListResourceRecordSets",
        json!({"input_token": ["StartRecordName", "StartRecordType", "StartRecordIdentifier"],
               "output_token": ["NextRecordName", "NextRecordType", "NextRecordIdentifier"],
               "result_key": "ResourceRecordSets"}),
    );
    let api = Scripted::new([
        json!({"ResourceRecordSets": [1], "NextRecordName": "a", "NextRecordType": "A", "NextRecordIdentifier": "id"}),
        json!({"ResourceRecordSets": [2], "NextRecordName": "b", "NextRecordType": "A"}),
        json!({"ResourceRecordSets": [3]}),
    ]);
    let _ = all(m.paginate(&api, json!({"HostedZoneId": "Z"})));
    assert_eq!(
        api.calls(),
        [
            json!({"HostedZoneId": "Z"}),
            json!({"HostedZoneId": "Z", "StartRecordName": "a", "StartRecordType": "A", "StartRecordIdentifier": "id"}),
            json!({"HostedZoneId": "Z", "StartRecordName": "b", "StartRecordType": "A"}),
        ]
    );
}

#[test]
fn l4_tokens_of_any_json_type_are_sent_back_as_received() {
    let m = model(
        "Scan",
        json!({"input_token": "ExclusiveStartKey", "output_token": "LastEvaluatedKey", "result_key": "Items"}),
    );
    let key = json!({"pk": {"S": "é😀"}, "sk": {"N": "12"}, "list": [1, 2.5, true]});
    let api = Scripted::new([
        json!({"Items": [1], "LastEvaluatedKey": key}),
        json!({"Items": [2], "LastEvaluatedKey": 42}),
        json!({"Items": [3], "LastEvaluatedKey": "None"}),
        json!({"Items": [4]}),
    ]);
    let _ = all(m.paginate(&api, json!({})));
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"ExclusiveStartKey": key}),
            json!({"ExclusiveStartKey": 42}),
            // [ours] "None" is an ordinary token; botocore would drop it.
            json!({"ExclusiveStartKey": "None"}),
        ]
    );
}

#[test]
fn l5_tokens_are_read_before_the_page_is_cut() {
    // botocore evaluates `Contents[-1].Key` on the cut page, so resuming from a page-boundary
    // would refetch; here the token comes from the page as received.
    let m = model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker || Contents[-1].Key",
               "more_results": "IsTruncated", "result_key": "Contents"}),
    );
    let api = Scripted::new([
        json!({"Contents": [{"Key": "a"}, {"Key": "b"}], "IsTruncated": true}),
        json!({"Contents": [{"Key": "c"}], "IsTruncated": false}),
    ]);
    // Resume at offset 2 = past the end of page 1: its token must still be `b`.
    let got = all(m
        .paginate(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": null, "boto_truncate_amount": 2}"#)))
        .items());
    assert_eq!(got, [json!({"Key": "c"})]);
    assert_eq!(api.calls(), [json!({}), json!({"Marker": "b"})]);
}

#[test]
fn l6_duplicate_token_error_after_the_page() {
    let api = Scripted::new([
        page(&["a"], Some("t1")),
        page(&["b"], Some("t2")),
        page(&["c"], Some("t2")),
        page(&["x"], None),
    ]);
    let mut pages = users().paginate(&api, json!({}));
    assert_eq!(pages.next().unwrap().unwrap(), page(&["a"], Some("t1")));
    assert_eq!(pages.next().unwrap().unwrap(), page(&["b"], Some("t2")));
    assert_eq!(pages.next().unwrap().unwrap(), page(&["c"], Some("t2")));
    let err = pages.next().unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"ListUsers: the same next token was received twice in a row, on pages 2 and 3: {"Marker":"t2"}"#
    );
    assert!(matches!(err, Error::DuplicateToken { page: 3, .. }));
    assert!(pages.next().is_none());
    assert_eq!(api.calls().len(), 3);
}

#[test]
fn l6_cycles_are_caught_under_error_and_stop() {
    let script = || {
        Scripted::new([
            page(&["a"], Some("A")),
            page(&["b"], Some("B")),
            page(&["c"], Some("A")),
            page(&["d"], Some("B")),
        ])
    };
    let api = script();
    let got: Vec<_> = users().paginate(&api, json!({})).collect();
    assert_eq!(got.len(), 4);
    assert!(
        matches!(&got[3], Err(Error::TokenCycle { page: 3, token, .. }) if token == r#"{"Marker":"A"}"#)
    );
    assert_eq!(api.calls().len(), 3);

    let api = script();
    let mut pages = users()
        .paginate(&api, json!({}))
        .duplicate_tokens(DuplicateTokenPolicy::Stop);
    assert_eq!(all(&mut pages).len(), 3);
    assert_eq!(pages.resume_token(), None);
    assert_eq!(api.calls().len(), 3);
}

#[test]
fn l6_stop_ends_quietly_and_allow_keeps_going() {
    let script = || {
        Scripted::new([
            page(&["a"], Some("t")),
            page(&["b"], Some("t")),
            page(&["c"], Some("t")),
            page(&["d"], None),
        ])
    };
    let api = script();
    let got = all(users()
        .paginate(&api, json!({}))
        .duplicate_tokens(DuplicateTokenPolicy::Stop)
        .items());
    assert_eq!(got, [json!("a"), json!("b")]);
    let api = script();
    let got = all(users()
        .paginate(&api, json!({}))
        .duplicate_tokens(DuplicateTokenPolicy::Allow)
        .items());
    assert_eq!(got, [json!("a"), json!("b"), json!("c"), json!("d")]);
    assert_eq!(
        api.calls(),
        [
            json!({}),
            json!({"Marker": "t"}),
            json!({"Marker": "t"}),
            json!({"Marker": "t"})
        ]
    );
}

#[test]
fn l6_a_starting_token_is_not_compared() {
    let api = Scripted::new([page(&["a"], Some("t")), page(&["b"], None)]);
    let got = all(users()
        .paginate(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": "t"}"#)))
        .items());
    assert_eq!(got, [json!("a"), json!("b")]);
}

#[test]
fn l7_transport_error_is_yielded_then_the_run_ends_and_the_token_retries_that_page() {
    let api = Scripted::with_results([
        Ok(page(&["a"], Some("m1"))),
        Err(FakeError("connection reset".into())),
        Ok(page(&["never"], None)),
    ]);
    let mut pages = users().paginate(&api, json!({}));
    assert!(pages.next().unwrap().is_ok());
    let err = pages.next().unwrap().unwrap_err();
    assert_eq!(err.to_string(), "ListUsers: the transport failed on page 2");
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(
        source.downcast_ref::<FakeError>(),
        Some(&FakeError("connection reset".into()))
    );
    assert!(pages.next().is_none());
    assert_eq!(pages.resume_token(), Some(enc(r#"{"Marker": "m1"}"#)));
    assert_eq!(api.calls().len(), 2);
}

#[test]
fn l7_items_resume_after_an_error_neither_skips_nor_repeats() {
    let api = Scripted::with_results([
        Ok(page(&["a", "b"], Some("m1"))),
        Err(FakeError("boom".into())),
    ]);
    let mut items = users().paginate(&api, json!({})).items();
    assert_eq!(items.next().unwrap().unwrap(), json!("a"));
    assert_eq!(items.next().unwrap().unwrap(), json!("b"));
    assert!(items.next().unwrap().is_err());
    assert!(items.next().is_none());
    let token = items.resume_token().unwrap();
    let retry = Scripted::new([page(&["c"], None)]);
    assert_eq!(
        all(users()
            .paginate(&retry, json!({}))
            .starting_token(Some(token))
            .items()),
        [json!("c")]
    );
    assert_eq!(retry.calls(), [json!({"Marker": "m1"})]);
}

// ---------------------------------------------------------------- max_items

#[test]
fn m1_only_the_primary_key_is_counted() {
    let m = model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": ["Contents", "CommonPrefixes"]}),
    );
    let api = Scripted::new([
        json!({"Contents": [1], "CommonPrefixes": ["p1", "p2", "p3"], "NextMarker": "m1"}),
        json!({"CommonPrefixes": ["p4"], "NextMarker": "m2"}),
        json!({"Contents": [2, 3], "NextMarker": "m3"}),
    ]);
    let mut pages = m.paginate(&api, json!({})).max_items(2);
    assert_eq!(
        all(&mut pages),
        [
            json!({"Contents": [1], "CommonPrefixes": ["p1", "p2", "p3"], "NextMarker": "m1"}),
            json!({"CommonPrefixes": ["p4"], "NextMarker": "m2"}),
            json!({"Contents": [2], "NextMarker": "m3"}),
        ]
    );
    assert_eq!(
        pages.resume_token(),
        Some(enc(r#"{"Marker": "m2", "boto_truncate_amount": 1}"#))
    );
}

#[test]
fn m1_strings_count_characters_and_objects_count_keys() {
    let m = model(
        "Download",
        json!({"input_token": "Marker", "output_token": "Marker", "result_key": "Data"}),
    );
    let api = Scripted::new([
        json!({"Data": "héllo😀", "Marker": "1"}),
        json!({"Data": "xyz"}),
    ]);
    let mut pages = m.paginate(&api, json!({})).max_items(7);
    assert_eq!(
        all(&mut pages),
        [
            json!({"Data": "héllo😀", "Marker": "1"}),
            json!({"Data": "x"})
        ]
    );
    assert_eq!(
        pages.resume_token(),
        Some(enc(r#"{"Marker": "1", "boto_truncate_amount": 1}"#))
    );

    let api = Scripted::new([
        json!({"Data": {"a": 1, "b": 2}, "Marker": "1"}),
        json!({"Data": {"c": 3}}),
    ]);
    let mut pages = m.paginate(&api, json!({})).max_items(3);
    assert_eq!(all(&mut pages).len(), 2);
    assert_eq!(pages.resume_token(), None);
}

#[test]
fn m2_cut_page_and_token_of_the_fetching_request() {
    let api = Scripted::new([
        page(&["a", "b", "c"], Some("m1")),
        page(&["d", "e", "f"], Some("m2")),
        page(&["g"], None),
    ]);
    let mut pages = users().paginate(&api, json!({})).max_items(4);
    assert_eq!(
        all(&mut pages),
        [page(&["a", "b", "c"], Some("m1")), page(&["d"], Some("m2"))]
    );
    assert!(pages.stopped_by_max_items());
    assert_eq!(
        pages.resume_token(),
        Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#))
    );
}

#[test]
fn m2_an_object_primary_key_cannot_be_cut() {
    let m = model(
        "Op",
        json!({"input_token": "T", "output_token": "N", "result_key": "R"}),
    );
    let api = Scripted::new([json!({"R": {"a": 1, "b": 2}, "N": "x"})]);
    let mut pages = m.paginate(&api, json!({})).max_items(1);
    let err = pages.next().unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Op: result key `R` on page 1 holds object, which cannot be cut"
    );
    assert!(pages.next().is_none());
    // The page was not returned, so the token fetches it again.
    assert_eq!(pages.resume_token(), Some(enc(r#"{"T": null}"#)));
}

#[test]
fn m3_exactly_at_max_items_on_a_page_boundary() {
    let api = Scripted::new([
        page(&["a"], Some("m1")),
        page(&["b"], Some("m2")),
        page(&["c"], None),
    ]);
    let mut pages = users().paginate(&api, json!({})).max_items(2);
    assert_eq!(all(&mut pages).len(), 2);
    assert_eq!(pages.resume_token(), Some(enc(r#"{"Marker": "m2"}"#)));
    // ... and with no next page there is no token.
    let api = Scripted::new([page(&["a"], Some("m1")), page(&["b"], None)]);
    let mut pages = users().paginate(&api, json!({})).max_items(2);
    assert_eq!(all(&mut pages).len(), 2);
    assert_eq!(pages.resume_token(), None);
    assert!(!pages.stopped_by_max_items());
}

#[test]
fn m4_max_items_zero_makes_one_request() {
    let api = Scripted::new([page(&["a", "b"], Some("m1")), page(&["c"], None)]);
    let mut pages = users().paginate(&api, json!({})).max_items(0);
    assert_eq!(all(&mut pages), [page(&[], Some("m1"))]);
    assert_eq!(api.calls().len(), 1);
    assert_eq!(
        pages.resume_token(),
        Some(enc(r#"{"Marker": null, "boto_truncate_amount": 0}"#))
    );
}

// ---------------------------------------------------------------- resume tokens

#[test]
fn r1_token_bytes_match_botocore() {
    // The two examples of SEMANTICS R1, byte for byte.
    assert_eq!(
        enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#),
        "eyJNYXJrZXIiOiAibTEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="
    );
    let api = Scripted::new([page(&["a", "b"], Some("m2")), page(&["c"], None)]);
    let mut pages = users()
        .paginate(&api, json!({}))
        .starting_token(Some("eyJNYXJrZXIiOiAibTEifQ==".into()))
        .max_items(1);
    assert_eq!(all(&mut pages), [page(&["a"], Some("m2"))]);
    assert_eq!(api.calls(), [json!({"Marker": "m1"})]);
    assert_eq!(
        pages.resume_token().as_deref(),
        Some("eyJNYXJrZXIiOiAibTEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==")
    );
    let api = Scripted::new([page(&["a"], Some("m1")), page(&["b"], None)]);
    let mut pages = users().paginate(&api, json!({})).max_items(1);
    let _ = all(&mut pages);
    assert_eq!(
        pages.resume_token().as_deref(),
        Some("eyJNYXJrZXIiOiAibTEifQ==")
    );
}

/// A token made from `value`, read back: round trips and botocore's byte format.
fn round_trip(value: Value, python_text: &str) {
    let m = model(
        "Scan",
        json!({"input_token": "Key", "output_token": "Next", "result_key": "Items"}),
    );
    let api = Scripted::new([
        json!({"Items": [1, 2], "Next": value}),
        json!({"Items": [3]}),
    ]);
    let mut pages = m.paginate(&api, json!({})).max_items(2);
    let _ = all(&mut pages);
    let token = pages.resume_token().unwrap();
    assert_eq!(dec(&token), python_text);
    assert_eq!(token, enc(python_text));
    let again = Scripted::new([json!({"Items": [3]})]);
    let _ = all(m.paginate(&again, json!({})).starting_token(Some(token)));
    assert_eq!(again.calls(), [json!({"Key": value})]);
}

#[test]
fn r1_round_trips_non_ascii_astral_objects_and_integers() {
    // Texts are what CPython's json.dumps writes for the same dicts.
    round_trip(json!("naïve café"), r#"{"Key": "na\u00efve caf\u00e9"}"#);
    round_trip(
        json!("𝄞 and 😀"),
        r#"{"Key": "\ud834\udd1e and \ud83d\ude00"}"#,
    );
    round_trip(
        json!("quote\" back\\ nl\n tab\t del\u{7f}"),
        r#"{"Key": "quote\" back\\ nl\n tab\t del\u007f"}"#,
    );
    round_trip(
        json!({"pk": {"S": "user#1"}, "sk": {"N": "10"}}),
        r#"{"Key": {"pk": {"S": "user#1"}, "sk": {"N": "10"}}}"#,
    );
    // Key order is the service's, as Python's dicts keep it.
    round_trip(json!({"z": 1, "a": 2}), r#"{"Key": {"z": 1, "a": 2}}"#);
    round_trip(json!(1234567890123_u64), r#"{"Key": 1234567890123}"#);
    round_trip(json!(-7), r#"{"Key": -7}"#);
    round_trip(json!(2.5), r#"{"Key": 2.5}"#);
    round_trip(
        json!([1, "two", null, false]),
        r#"{"Key": [1, "two", null, false]}"#,
    );
}

#[test]
fn r2_page_tokens_after_every_page() {
    let api = Scripted::new([
        page(&["a"], Some("m1")),
        page(&["b"], Some("m2")),
        page(&["c"], None),
    ]);
    let mut pages = users().paginate(&api, json!({}));
    assert_eq!(pages.resume_token(), Some(enc(r#"{"Marker": null}"#)));
    pages.next();
    assert_eq!(pages.resume_token(), Some(enc(r#"{"Marker": "m1"}"#)));
    pages.next();
    assert_eq!(pages.resume_token(), Some(enc(r#"{"Marker": "m2"}"#)));
    pages.next();
    assert_eq!(pages.resume_token(), None);
    assert!(pages.next().is_none());
}

#[test]
fn r2_item_tokens_after_every_item() {
    let api = Scripted::new([page(&["a", "b"], Some("m1")), page(&["c"], None)]);
    let mut items = users().paginate(&api, json!({})).items();
    let mut tokens = vec![items.resume_token()];
    while let Some(item) = items.next() {
        item.unwrap();
        tokens.push(items.resume_token());
    }
    assert_eq!(
        tokens,
        [
            Some(enc(r#"{"Marker": null}"#)),
            Some(enc(r#"{"Marker": null, "boto_truncate_amount": 1}"#)),
            Some(enc(r#"{"Marker": "m1"}"#)),
            None,
        ]
    );
}

#[test]
fn r2_stopping_after_any_item_and_resuming_gives_every_item_once() {
    let pages = || {
        [
            page(&["a", "b", "c"], Some("m1")),
            page(&[], Some("m2")),
            page(&["d", "e"], Some("m3")),
            page(&["f"], None),
        ]
    };
    let every = ["a", "b", "c", "d", "e", "f"].map(|s| json!(s));
    for stop_after in 0..=every.len() {
        let api = Scripted::new(pages());
        let mut items = users().paginate(&api, json!({})).items();
        let mut got: Vec<Value> = items
            .by_ref()
            .take(stop_after)
            .map(Result::unwrap)
            .collect();
        let Some(token) = items.resume_token() else {
            assert_eq!(got, every);
            continue;
        };
        // A second run over the same service, resumed from the checkpoint.
        let marker = serde_json::from_str::<Value>(&dec(&token)).unwrap()["Marker"].clone();
        let remaining: Vec<Value> = pages()
            .into_iter()
            .skip_while(|p| marker.is_string() && p.get("NextMarker") != Some(&marker))
            .skip(usize::from(marker.is_string()))
            .collect();
        let api = Scripted::new(remaining);
        got.extend(all(users()
            .paginate(&api, json!({}))
            .starting_token(Some(token))
            .items()));
        assert_eq!(got, every, "stopped after {stop_after}");
    }
}

#[test]
fn r3_decoding_offsets_and_encoded_keys() {
    // boto_encoded_keys (bytes from Python) is accepted; the values stay as their base64 text,
    // and a token cut on the first page carries the key list on.
    let token =
        enc(r#"{"Marker": "/w==", "boto_truncate_amount": 1, "boto_encoded_keys": [["Marker"]]}"#);
    let api = Scripted::new([page(&["u3", "u4", "u5"], Some("next"))]);
    let mut pages = users()
        .paginate(&api, json!({}))
        .starting_token(Some(token))
        .max_items(1);
    assert_eq!(all(&mut pages), [page(&["u4"], Some("next"))]);
    assert_eq!(api.calls(), [json!({"Marker": "/w=="})]);
    assert_eq!(
        pages.resume_token(),
        Some(enc(
            r#"{"Marker": "/w==", "boto_truncate_amount": 2, "boto_encoded_keys": [["Marker"]]}"#
        ))
    );
}

fn token_error(token: &str) -> TokenError {
    let api = Scripted::new([page(&["a"], None)]);
    let mut pages = users()
        .paginate(&api, json!({}))
        .starting_token(Some(token.to_owned()));
    let err = pages.next().unwrap().unwrap_err();
    assert!(
        api.calls().is_empty(),
        "no request may be sent for {token:?}"
    );
    assert!(pages.next().is_none());
    match err {
        Error::InvalidToken {
            operation, reason, ..
        } => {
            assert_eq!(operation, "ListUsers");
            reason
        }
        other => panic!("expected InvalidToken for {token:?}, got {other}"),
    }
}

#[test]
fn r5_malformed_tokens_are_typed_errors() {
    // Cut short when copied: base64 padding lost, or a character mangled.
    assert!(matches!(
        token_error("eyJNYXJrZXIiOiAibTEifQ"),
        TokenError::BadBase64 { .. }
    ));
    assert!(matches!(
        token_error("eyJNYXJr!!ZXIiOiAibTEifQ=="),
        TokenError::BadBase64 { .. }
    ));
    assert!(matches!(
        token_error(&enc(r#"{"Marker": "m1""#)),
        TokenError::NotJson { .. }
    ));
    assert_eq!(
        token_error(&enc(r#"["m1", 1]"#)),
        TokenError::NotAnObject { found: "array" }
    );
    assert_eq!(
        token_error(&enc("42")),
        TokenError::NotAnObject { found: "number" }
    );
    use base64::Engine as _;
    let bad_utf8 = base64::engine::general_purpose::STANDARD.encode(b"{\"Marker\": \"\xff\"}");
    assert_eq!(token_error(&bad_utf8), TokenError::InvalidUtf8 { at: 12 });
    assert_eq!(
        token_error(&enc(r#"{"Marker": "m1", "MaxKeys": 100000}"#)),
        TokenError::UnknownKey {
            key: "MaxKeys".into(),
            allowed: vec!["Marker".into()]
        }
    );
    for (bad, shown) in [
        ("-1", "-1"),
        ("1.5", "1.5"),
        ("\"3\"", "\"3\""),
        ("null", "null"),
        ("4294967296", "4294967296"),
        ("1e3", "1000.0"),
    ] {
        assert_eq!(
            token_error(&enc(&format!(
                r#"{{"Marker": "m1", "boto_truncate_amount": {bad}}}"#
            ))),
            TokenError::BadOffset {
                found: shown.to_owned()
            },
            "offset {bad}"
        );
    }
    assert!(matches!(
        token_error(&enc(r#"{"Marker": "m1", "boto_encoded_keys": "Marker"}"#)),
        TokenError::BadEncodedKeys { .. }
    ));
    let huge = enc(&format!(r#"{{"Marker": "{}"}}"#, "x".repeat(1 << 20)));
    assert!(matches!(
        token_error(&huge),
        TokenError::TooLarge { limit: 65536, .. }
    ));
    assert!(matches!(
        token_error(&"a".repeat(65537)),
        TokenError::TooLarge { len: 65537, .. }
    ));
}

#[test]
fn r5_token_error_messages_name_operation_token_and_reason() {
    let api = Scripted::new([]);
    let token = enc(r#"{"Marker": "m1", "Bucket": "someone-elses"}"#);
    let err = users()
        .paginate(&api, json!({}))
        .starting_token(Some(token.clone()))
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            r#"ListUsers: invalid starting token "{token}": the token contains key `Bucket`, which is not an input token of this operation (expected ["Marker"])"#
        )
    );
    let long = enc(&format!(
        r#"{{"Marker": "m1", "boto_truncate_amount": -1, "pad": "{}"}}"#,
        "p".repeat(200)
    ));
    let msg = users()
        .paginate(&api, json!({}))
        .starting_token(Some(long.clone()))
        .next()
        .unwrap()
        .unwrap_err()
        .to_string();
    assert!(msg.contains(&format!("{}…", &long[..80])), "{msg}");
}

#[test]
fn r4_legacy_tokens() {
    let one = users();
    let two = model(
        "ListThings",
        json!({"input_token": ["Marker1", "Marker2"], "output_token": ["N1", "N2"], "result_key": ["Users", "Groups"]}),
    );
    let first_call = |m: &Model, token: &str, page: Value| {
        let api = Scripted::new([page]);
        let got = all(m
            .paginate(&api, json!({}))
            .starting_token(Some(token.to_owned()))
            .items());
        (api.calls().remove(0), got)
    };
    // Value and offset.
    assert_eq!(
        first_call(&one, "m1___1", page(&["a", "b"], None)),
        (json!({"Marker": "m1"}), vec![json!("b")])
    );
    // Not an integer: the whole string is the first token (logs FilterLogEvents).
    assert_eq!(
        first_call(&one, "foo___bar", page(&["a"], None)).0,
        json!({"Marker": "foo___bar"})
    );
    // A hand-made token such as a route53 record name, or an rds marker.
    assert_eq!(
        first_call(&one, "www.example.com.", page(&["a"], None)).0,
        json!({"Marker": "www.example.com."})
    );
    assert_eq!(
        first_call(&one, "0", page(&["a"], None)).0,
        json!({"Marker": "0"})
    );
    // `None` parts and padding.
    let p2 = json!({"Users": ["u1", "u2"], "Groups": ["g1"]});
    assert_eq!(
        first_call(&two, "None___m2___1", p2.clone()),
        (json!({"Marker2": "m2"}), vec![json!("u2")])
    );
    assert_eq!(
        first_call(&two, "m1", p2.clone()),
        (json!({"Marker1": "m1"}), vec![json!("u1"), json!("u2")])
    );
    // Base64 of something that is not JSON is a raw service token too.
    assert_eq!(
        first_call(&one, "AAECAw==", page(&["a"], None)).0,
        json!({"Marker": "AAECAw=="})
    );
    // More parts than tokens.
    assert_eq!(
        token_error("does___not___work"),
        TokenError::TooManyParts {
            parts: 3,
            tokens: 1
        }
    );
    assert_eq!(
        token_error("m1___-1"),
        TokenError::BadOffset { found: "-1".into() }
    );
}

#[test]
fn r6_resume_with_offset_slices_primary_and_blanks_secondaries() {
    let m = model(
        "Op",
        json!({"input_token": "Marker", "output_token": "NextMarker",
               "result_key": ["Users", "Groups", "Log", "Count", "Meta"]}),
    );
    let api = Scripted::new([
        json!({"Users": ["u1", "u2", "u3"], "Groups": ["g1"], "Log": "abc", "Count": 3, "Meta": {"x": 1}, "NextMarker": "m2"}),
        json!({"Users": ["u4"], "Groups": ["g2"], "Log": "d", "Count": 1, "Meta": {"x": 2}}),
    ]);
    let pages = all(m
        .paginate(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 2}"#))));
    assert_eq!(
        pages,
        [
            json!({"Users": ["u3"], "Groups": [], "Log": "", "Count": 3, "Meta": null, "NextMarker": "m2"}),
            json!({"Users": ["u4"], "Groups": ["g2"], "Log": "d", "Count": 1, "Meta": {"x": 2}}),
        ]
    );
}

#[test]
fn r6_offset_past_the_end_gives_an_empty_slice_and_paging_continues() {
    let api = Scripted::new([page(&["a"], Some("m2")), page(&["b"], None)]);
    let got = all(users()
        .paginate(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 5}"#)))
        .items());
    assert_eq!(got, [json!("b")]);
}

#[test]
fn r6_a_page_boundary_token_keeps_secondary_keys() {
    // [ours] botocore blanks them on every resume and loses S3 CommonPrefixes (botocore#3119).
    let m = model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": ["Contents", "CommonPrefixes"]}),
    );
    let api = Scripted::new([json!({"Contents": [1], "CommonPrefixes": ["p/"]})]);
    let got = all(m
        .paginate(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": "m1"}"#))));
    assert_eq!(got, [json!({"Contents": [1], "CommonPrefixes": ["p/"]})]);
}

#[test]
fn r7_a_cut_on_the_first_resumed_page_adds_the_starting_offset() {
    let api = Scripted::new([page(&["u3", "u4", "u5", "u6"], Some("m2"))]);
    let mut pages = users()
        .paginate(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#)))
        .max_items(2);
    assert_eq!(all(&mut pages), [page(&["u4", "u5"], Some("m2"))]);
    assert_eq!(
        pages.resume_token(),
        Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 3}"#))
    );
}

// ---------------------------------------------------------------- what a run gives back

#[test]
fn g1_pages_in_order() {
    let api = Scripted::new([page(&["a"], Some("m1")), page(&["b"], None)]);
    assert_eq!(
        all(users().paginate(&api, json!({}))),
        [page(&["a"], Some("m1")), page(&["b"], None)]
    );
    assert_eq!(api.operations(), ["ListUsers", "ListUsers"]);
}

#[test]
fn g1_a_page_that_is_not_an_object_is_an_error() {
    let api = Scripted::new([page(&["a"], Some("m1")), json!(["not", "an", "object"])]);
    let mut pages = users().paginate(&api, json!({}));
    pages.next();
    let err = pages.next().unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        "ListUsers: page 2 is array, not a JSON object"
    );
    assert!(pages.next().is_none());
    assert_eq!(pages.resume_token(), Some(enc(r#"{"Marker": "m1"}"#)));
}

#[test]
fn g2_items_of_primary_and_secondary_keys() {
    let m = model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": ["Contents", "CommonPrefixes"]}),
    );
    let script = || {
        Scripted::new([
            json!({"Contents": [1, 2], "CommonPrefixes": ["a/"], "NextMarker": "m1"}),
            json!({"CommonPrefixes": ["b/", "c/"], "NextMarker": "m2"}),
            json!({"Contents": [3]}),
        ])
    };
    let api = script();
    assert_eq!(
        all(m.paginate(&api, json!({})).items()),
        [json!(1), json!(2), json!(3)]
    );
    let api = script();
    assert_eq!(
        all(m
            .paginate(&api, json!({}))
            .items_of("CommonPrefixes")
            .unwrap()),
        [json!("a/"), json!("b/"), json!("c/")]
    );
    let err = m
        .paginate(&api, json!({}))
        .items_of("Prefixes")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"ListObjects: `Prefixes` is not a result key of this operation; its result keys are ["Contents", "CommonPrefixes"]"#
    );
}

#[test]
fn g2_secondary_item_tokens_never_lose_items() {
    let m = model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": ["Contents", "CommonPrefixes"]}),
    );
    let api = Scripted::new([
        json!({"CommonPrefixes": ["a/", "b/"], "NextMarker": "m1"}),
        json!({"CommonPrefixes": ["c/"]}),
    ]);
    let mut items = m
        .paginate(&api, json!({}))
        .items_of("CommonPrefixes")
        .unwrap();
    items.next();
    // Mid-page: the page is fetched again on resume.
    assert_eq!(items.resume_token(), Some(enc(r#"{"Marker": null}"#)));
    items.next();
    assert_eq!(items.resume_token(), Some(enc(r#"{"Marker": "m1"}"#)));
}

#[test]
fn g2_strings_iterate_characters_and_numbers_are_an_error() {
    let m = model(
        "Download",
        json!({"input_token": "Marker", "output_token": "Marker", "result_key": "Data"}),
    );
    let api = Scripted::new([json!({"Data": "hé", "Marker": "1"}), json!({"Data": 5})]);
    let mut items = m.paginate(&api, json!({})).items();
    assert_eq!(items.next().unwrap().unwrap(), json!("h"));
    assert_eq!(items.next().unwrap().unwrap(), json!("é"));
    let err = items.next().unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Download: result key `Data` on page 2 holds number, which cannot be iterated"
    );
    assert!(items.next().is_none());
    assert_eq!(items.resume_token(), Some(enc(r#"{"Marker": "1"}"#)));
}

#[test]
fn g3_search_yields_list_elements_and_other_values_as_they_are() {
    let m = model(
        "Op",
        json!({"input_token": "T", "output_token": "T", "result_key": "Foo"}),
    );
    let script = || {
        Scripted::new([
            json!({"Foo": [{"a": 1}, {"b": 2}], "T": "t1"}),
            json!({"Foo": [{"a": 3}], "X": 9}),
        ])
    };
    let search = |expr: &str| {
        let api = script();
        all(m.paginate(&api, json!({})).search(expr).unwrap())
    };
    assert_eq!(search("Foo[].a"), [json!(1), json!(3)]);
    assert_eq!(search("Foo[0]"), [json!({"a": 1}), json!({"a": 3})]);
    assert_eq!(search("X"), [json!(null), json!(9)]);
    assert_eq!(search("Foo[?a > `1`].a"), [json!(3)]);
    assert!(search("Foo[].qux").is_empty());
    let err = m.paginate(&script(), json!({})).search("Foo[").unwrap_err();
    assert!(matches!(err, Error::InvalidSearch { .. }), "{err}");
}

#[test]
fn g3_search_respects_max_items_and_resume() {
    let m = model(
        "Op",
        json!({"input_token": "T", "output_token": "T", "result_key": "Foo"}),
    );
    let api = Scripted::new([json!({"Foo": [1, 2, 3], "T": "t1"}), json!({"Foo": [4]})]);
    let mut s = m
        .paginate(&api, json!({}))
        .max_items(2)
        .search("Foo")
        .unwrap();
    assert_eq!(s.next().unwrap().unwrap(), json!(1));
    assert_eq!(s.resume_token(), Some(enc(r#"{"T": null}"#)));
    assert_eq!(s.next().unwrap().unwrap(), json!(2));
    assert!(s.next().is_none());
    assert_eq!(
        s.resume_token(),
        Some(enc(r#"{"T": null, "boto_truncate_amount": 2}"#))
    );
}

#[test]
fn g3_search_runtime_errors_name_the_expression_and_page() {
    let m = model(
        "Op",
        json!({"input_token": "T", "output_token": "T", "result_key": "Foo"}),
    );
    let api = Scripted::new([json!({"Foo": "text"})]);
    let err = m
        .paginate(&api, json!({}))
        .search("abs(Foo)")
        .unwrap()
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Op: expression `abs(Foo)` failed on page 1:"),
        "{err}"
    );
}

#[test]
fn g4_full_result_merges_by_type() {
    let m = model(
        "Op",
        json!({"input_token": "T", "output_token": "T", "result_key": ["List", "Count", "Log", "Obj", "Flag", "Float", "Missing"]}),
    );
    let api = Scripted::new([
        json!({"List": [1], "Count": 1, "Log": "x", "Obj": {"a": 1}, "Flag": true, "Float": 0.5, "T": "t1"}),
        json!({"List": [2, 3], "Count": 2, "Log": "y", "Obj": {"b": 2}, "Flag": false, "Float": 1, "T": "t2"}),
        json!({"List": null, "Count": 9_223_372_036_854_775_807_i64, "Log": "z"}),
    ]);
    let full = m.paginate(&api, json!({})).build_full_result().unwrap();
    assert_eq!(
        full,
        json!({"List": [1, 2, 3], "Count": 9_223_372_036_854_775_810_u64, "Log": "xyz", "Obj": {"a": 1}, "Flag": true, "Float": 1.5})
    );
    assert!(full["Count"].is_u64());
    let keys: Vec<&String> = full.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["List", "Count", "Log", "Obj", "Flag", "Float"]);
}

#[test]
fn g4_mismatched_types_across_pages_are_an_error() {
    let m = model(
        "Op",
        json!({"input_token": "T", "output_token": "T", "result_key": "R"}),
    );
    let api = Scripted::new([json!({"R": [1], "T": "t"}), json!({"R": "str"})]);
    let err = m.paginate(&api, json!({})).build_full_result().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Op: cannot merge result key `R`: page 2 has string where earlier pages had array"
    );
}

#[test]
fn g4_non_aggregate_keys_and_next_token() {
    let m = model(
        "Op",
        json!({"input_token": "T", "output_token": "T", "result_key": ["Result.Key"],
               "non_aggregate_keys": ["Outer", "Result.Inner", "Absent", "Result"]}),
    );
    let script = || {
        Scripted::new([
            json!({"Result": {"Key": ["a"], "Inner": "v1"}, "Outer": "v2", "T": "t1"}),
            json!({"Result": {"Key": ["b", "c"], "Inner": "v3"}, "Outer": "v4", "T": "t2"}),
            json!({"Result": {"Key": ["d"]}}),
        ])
    };
    let api = script();
    let mut pages = m.paginate(&api, json!({})).max_items(3);
    pages.next();
    assert_eq!(
        pages.non_aggregate_part(),
        // `Result` itself is a non-aggregate key too: the first page's whole value.
        Some(&json!({"Outer": "v2", "Result": {"Key": ["a"], "Inner": "v1"}, "Absent": null}))
    );
    let api = script();
    let pages = m.paginate(&api, json!({})).max_items(3);
    let full = pages.build_full_result().unwrap();
    // [ours] where a non-aggregate key is the parent of a result key, the aggregate wins.
    assert_eq!(
        full,
        json!({"Result": {"Key": ["a", "b", "c"], "Inner": "v1"}, "Outer": "v2", "Absent": null, "NextToken": enc(r#"{"T": "t2"}"#)})
    );
}

#[test]
fn g4_no_next_token_unless_max_items_stopped_the_run() {
    let api = Scripted::new([page(&["a"], Some("m1")), page(&["b"], None)]);
    let full = users()
        .paginate(&api, json!({}))
        .build_full_result()
        .unwrap();
    assert_eq!(full, json!({"Users": ["a", "b"]}));
}

#[test]
fn g5_model_parts_are_readable() {
    let api = from_fn(|_, _| Ok::<_, FakeError>(json!({})));
    let pages = users().paginate(&api, json!({}));
    assert_eq!(pages.model().result_keys().collect::<Vec<_>>(), ["Users"]);
    assert_eq!(pages.model().input_tokens(), ["Marker"]);
    assert_eq!(pages.non_aggregate_part(), None);
}

// ---------------------------------------------------------------- transports

#[test]
fn transports_closures_arcs_and_boxes() {
    let closure =
        |_op: &str, _p: &serde_json::Map<String, Value>| Ok::<_, FakeError>(page(&["a"], None));
    assert_eq!(
        all(users().paginate(&closure, json!({})).items()),
        [json!("a")]
    );
    let arc = Arc::new(Scripted::new([page(&["b"], None)]));
    assert_eq!(
        all(users().paginate(arc.clone(), json!({})).items()),
        [json!("b")]
    );
    let boxed: Box<Scripted> = Box::new(Scripted::new([page(&["c"], None)]));
    assert_eq!(
        all(users().paginate(boxed, json!({})).items()),
        [json!("c")]
    );
    // String errors work as transport errors too.
    let failing = from_fn(|_, _| Err::<Value, _>("quota exceeded".to_owned()));
    let err = users()
        .paginate(&failing, json!({}))
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(err.to_string(), "ListUsers: the transport failed on page 1");
    assert_eq!(
        std::error::Error::source(&err).unwrap().to_string(),
        "quota exceeded"
    );
}

#[test]
fn runs_are_send_and_sync_for_send_transports() {
    fn check<T: Send + Sync>(_: &T) {}
    let api = Scripted::new([]);
    let pages = users().paginate(&api, json!({}));
    check(&pages);
    check(&users());
    check(&Error::InvalidSearch {
        operation: String::new(),
        expression: String::new(),
        reason: String::new(),
    });
}
