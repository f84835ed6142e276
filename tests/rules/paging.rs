//! Options (SEMANTICS §2) and the loop (§3): the exact params of every request, the pages
//! and items they bring, and the errors that end a run.

use paginate_tests::{FakeError, all, enc, model};
use paginated::model::LimitType;
use paginated::{DuplicateTokenPolicy, Error, PaginationConfig};
use serde_json::{Value, json};

use super::{Drive, page, users};
use crate::matrix::{scripted, scripted_results};

#[test]
fn o1_max_items_counts_primary_items_across_pages() {
    let api = scripted([page(&["a", "b"], Some("m1")), page(&["c", "d"], Some("m2"))]);
    let pages = all(users().drive(&api, json!({})).max_items(3));
    assert_eq!(
        pages,
        [page(&["a", "b"], Some("m1")), page(&["c"], Some("m2"))]
    );
    assert_eq!(api.calls(), [json!({}), json!({"Marker": "m1"})]);
}

#[test]
fn o2_page_size_goes_into_the_limit_key_overriding_the_callers_value() {
    let api = scripted([page(&["a"], Some("m1")), page(&["b"], None)]);
    let _ = all(users()
        .drive(&api, json!({"MaxKeys": 50, "Prefix": "p"}))
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
    let api = scripted([page(&["a"], None)]);
    let _ = all(m.drive(&api, json!({})).page_size(7));
    assert_eq!(api.calls(), [json!({"MaxKeys": "7"})]);
}

#[test]
fn o2_page_size_without_limit_key_fails_before_any_request() {
    let m = model(
        "Op",
        json!({"input_token": "T", "output_token": "T", "result_key": "R"}),
    );
    let api = scripted([json!({"R": [1]})]);
    let mut pages = m.drive(&api, json!({})).page_size(5);
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
    let api = scripted([page(&["c"], Some("m3")), page(&["d"], None)]);
    let start = enc(r#"{"Marker": "m2"}"#);
    let got = all(users()
        .drive(&api, json!({"Bucket": "b", "Nested": {"x": [1]}}))
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
    let api = scripted([page(&["a", "b"], Some("m1")), page(&["c"], None)]);
    let config = PaginationConfig::default()
        .max_items(1)
        .page_size(2)
        .duplicate_tokens(DuplicateTokenPolicy::Stop);
    let mut pages = users().drive(&api, json!({})).config(config);
    assert_eq!(all(&mut pages), [page(&["a"], Some("m1"))]);
    assert_eq!(api.calls(), [json!({"MaxKeys": 2})]);
    assert_eq!(
        pages.resume_token(),
        Some(enc(r#"{"Marker": null, "boto_truncate_amount": 1}"#))
    );
}

#[test]
fn params_must_be_an_object_or_null() {
    let api = scripted([page(&["a"], None)]);
    let err = users().drive(&api, json!([1])).next().unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        "ListUsers: request parameters must be a JSON object, not array"
    );
    assert!(api.calls().is_empty());
    let api = scripted([page(&["a"], None)]);
    let _ = all(users().drive(&api, Value::Null));
    assert_eq!(api.calls(), [json!({})]);
}

// ---------------------------------------------------------------- the loop

#[test]
fn l1_first_request_merges_params_limit_and_starting_token() {
    // The token overrides the caller's marker; the limit overrides the caller's limit.
    let api = scripted([page(&["x"], None)]);
    let _ = all(users()
        .drive(&api, json!({"Marker": "caller", "MaxKeys": 9, "Other": 1}))
        .page_size(2)
        .starting_token(Some(enc(r#"{"Marker": "from-token"}"#))));
    assert_eq!(
        api.calls(),
        [json!({"Marker": "from-token", "MaxKeys": 2, "Other": 1})]
    );
}

#[test]
fn l1_an_absent_token_value_removes_the_callers_param() {
    let api = scripted([page(&["x"], None)]);
    let _ = all(users()
        .drive(&api, json!({"Marker": "caller"}))
        .starting_token(Some(enc(r#"{"Marker": null}"#))));
    assert_eq!(api.calls(), [json!({})]);
}

#[test]
fn l1_without_a_starting_token_the_callers_token_is_honoured() {
    let api = scripted([page(&["a", "b"], Some("m9")), page(&["c"], None)]);
    let mut pages = users().drive(&api, json!({"Marker": "m5"})).max_items(1);
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
        let api = scripted([
            json!({"Users": ["a"], "NextMarker": absent}),
            page(&["never"], None),
        ]);
        let got = all(users().drive(&api, json!({})));
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
    let api = scripted([
        json!({"Parts": [1], "NextPartNumberMarker": 1, "IsTruncated": true}),
        json!({"Parts": [2], "NextPartNumberMarker": "0", "IsTruncated": false}),
    ]);
    let parts = all(m.drive(&api, json!({})).items());
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
    let api = scripted([
        json!({"NextMarker": 0, "Contents": [{"Key": "k"}]}),
        json!({}),
    ]);
    assert_eq!(all(m.drive(&api, json!({}))).len(), 1);
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
    let api = scripted([
        json!({"ResourceRecordSets": [1], "NextRecordName": "a", "NextRecordType": "A", "NextRecordIdentifier": "id"}),
        json!({"ResourceRecordSets": [2], "NextRecordName": "b", "NextRecordType": "A"}),
        json!({"ResourceRecordSets": [3]}),
    ]);
    let _ = all(m.drive(&api, json!({"HostedZoneId": "Z"})));
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
    let api = scripted([
        json!({"Items": [1], "LastEvaluatedKey": key}),
        json!({"Items": [2], "LastEvaluatedKey": 42}),
        json!({"Items": [3], "LastEvaluatedKey": "None"}),
        json!({"Items": [4]}),
    ]);
    let _ = all(m.drive(&api, json!({})));
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
    let api = scripted([
        json!({"Contents": [{"Key": "a"}, {"Key": "b"}], "IsTruncated": true}),
        json!({"Contents": [{"Key": "c"}], "IsTruncated": false}),
    ]);
    // Resume at offset 2 = past the end of page 1: its token must still be `b`.
    let got = all(m
        .drive(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": null, "boto_truncate_amount": 2}"#)))
        .items());
    assert_eq!(got, [json!({"Key": "c"})]);
    assert_eq!(api.calls(), [json!({}), json!({"Marker": "b"})]);
}

#[test]
fn l6_duplicate_token_error_after_the_page() {
    let api = scripted([
        page(&["a"], Some("t1")),
        page(&["b"], Some("t2")),
        page(&["c"], Some("t2")),
        page(&["x"], None),
    ]);
    let mut pages = users().drive(&api, json!({}));
    assert_eq!(pages.next().unwrap().unwrap(), page(&["a"], Some("t1")));
    assert_eq!(pages.next().unwrap().unwrap(), page(&["b"], Some("t2")));
    assert_eq!(pages.next().unwrap().unwrap(), page(&["c"], Some("t2")));
    let err = pages.next().unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"ListUsers: the same next token was received twice in a row, on pages 2 and 3: {"Marker":"t2"}"#
    );
    assert!(matches!(err, Error::DuplicateToken { page, .. } if page == 3));
    assert!(pages.next().is_none());
    assert_eq!(api.calls().len(), 3);
}

/// L6: tokens compare as botocore's `==` compares them, so `1` then `1.0` is the same token
/// twice in a row (a duplicate), not a cycle; so are objects that differ only in key order.
#[test]
fn l6_tokens_equal_in_python_are_a_duplicate() {
    for (first, again) in [
        (json!(1), json!(1.0)),
        (json!({"k": 1, "s": "x"}), json!({"s": "x", "k": 1.0})),
    ] {
        let api = scripted([
            json!({"Users": ["a"], "NextMarker": "t1"}),
            json!({"Users": ["b"], "NextMarker": first}),
            json!({"Users": ["c"], "NextMarker": again}),
            json!({"Users": ["x"]}),
        ]);
        let got: Vec<_> = users().drive(&api, json!({})).collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(
            matches!(&got[3], Err(Error::DuplicateToken { page, .. }) if *page == 3),
            "{first} then {again}: {:?}",
            got[3]
        );
        assert_eq!(api.calls().len(), 3);
    }
}

#[test]
fn l6_cycles_are_caught_under_error_and_stop() {
    let script = || {
        scripted([
            page(&["a"], Some("A")),
            page(&["b"], Some("B")),
            page(&["c"], Some("A")),
            page(&["d"], Some("B")),
        ])
    };
    let api = script();
    let got: Vec<_> = users().drive(&api, json!({})).collect();
    assert_eq!(got.len(), 4);
    assert!(
        matches!(&got[3], Err(Error::TokenCycle { page, token, .. }) if *page == 3 && token == r#"{"Marker":"A"}"#)
    );
    assert_eq!(api.calls().len(), 3);

    let api = script();
    let mut pages = users()
        .drive(&api, json!({}))
        .duplicate_tokens(DuplicateTokenPolicy::Stop);
    assert_eq!(all(&mut pages).len(), 3);
    assert_eq!(pages.resume_token(), None);
    assert_eq!(api.calls().len(), 3);
}

#[test]
fn l6_stop_ends_quietly_and_allow_keeps_going() {
    let script = || {
        scripted([
            page(&["a"], Some("t")),
            page(&["b"], Some("t")),
            page(&["c"], Some("t")),
            page(&["d"], None),
        ])
    };
    let api = script();
    let got = all(users()
        .drive(&api, json!({}))
        .duplicate_tokens(DuplicateTokenPolicy::Stop)
        .items());
    assert_eq!(got, [json!("a"), json!("b")]);
    let api = script();
    let got = all(users()
        .drive(&api, json!({}))
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
    let api = scripted([page(&["a"], Some("t")), page(&["b"], None)]);
    let got = all(users()
        .drive(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": "t"}"#)))
        .items());
    assert_eq!(got, [json!("a"), json!("b")]);
}

#[test]
fn l7_transport_error_is_yielded_then_the_run_ends_and_the_token_retries_that_page() {
    let api = scripted_results([
        Ok(page(&["a"], Some("m1"))),
        Err(FakeError("connection reset".into())),
        Ok(page(&["never"], None)),
    ]);
    let mut pages = users().drive(&api, json!({}));
    assert!(pages.next().unwrap().is_ok());
    let err = pages.next().unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        "ListUsers: page 2 failed: fake transport error: connection reset"
    );
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
    let api = scripted_results([
        Ok(page(&["a", "b"], Some("m1"))),
        Err(FakeError("boom".into())),
    ]);
    let mut items = users().drive(&api, json!({})).items();
    assert_eq!(items.next().unwrap().unwrap(), json!("a"));
    assert_eq!(items.next().unwrap().unwrap(), json!("b"));
    assert!(items.next().unwrap().is_err());
    assert!(items.next().is_none());
    let token = items.resume_token().unwrap();
    let retry = scripted([page(&["c"], None)]);
    assert_eq!(
        all(users()
            .drive(&retry, json!({}))
            .starting_token(Some(token))
            .items()),
        [json!("c")]
    );
    assert_eq!(retry.calls(), [json!({"Marker": "m1"})]);
}
