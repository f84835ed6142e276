//! botocore's TestBinaryTokens (#26–#33), TestMultipleTokens and TestOptionalTokens
//! (#34–#35) and TestKeyIterators (#36–#44): tokens of any JSON type, several tokens, and
//! max_items with resume.

use paginate_tests::{all, enc, model};
use paginated::TokenError;
use serde_json::{Value, json};

use super::{Drive, three_users, token_error, upage, users};
use crate::matrix::scripted;

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
    let api = scripted([
        json!({"Users": ["User1", "User2"], "Marker": first}),
        json!({"Users": ["User3", "User4"], "Marker": second}),
        json!({"Users": ["User5"]}),
    ]);
    let full = users()
        .drive(&api, json!({}))
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
    let api = scripted([
        json!({"Users": ["User3", "User4"], "Marker": marker}),
        json!({"Users": ["User5"]}),
    ]);
    let full = users()
        .drive(&api, json!({}))
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
    let api = scripted([
        json!({"Foo": [1], "ListBucketResults": {"NextKeyMarker": "key1", "NextUploadIdMarker": "up1"}}),
        json!({"Foo": [2], "ListBucketResults": {"NextKeyMarker": "key2", "NextUploadIdMarker": "up2"}}),
        json!({"Foo": [3], "ListBucketResults": {"NextKeyMarker": "key3", "NextUploadIdMarker": "up3"}}),
        json!({}),
    ]);
    assert_eq!(all(m.drive(&api, json!({}))).len(), 4);
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
    let api = scripted([
        json!({"Foo": [1], "IsTruncated": true, "NextRecordName": "aaa.example.com",
               "NextRecordType": "A", "NextRecordIdentifier": "id"}),
        json!({"Foo": [2], "IsTruncated": true, "NextRecordName": "bbb.example.com", "NextRecordType": "A"}),
        json!({"Foo": [3], "IsTruncated": false}),
    ]);
    assert_eq!(
        all(m.drive(&api, json!({})).items()),
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
        all(m.drive(&api, json!({})).items_of("Users").unwrap()),
        [json!("User1"), json!("User2"), json!("User3")]
    );
    let api = three_users();
    assert_eq!(
        all(m.drive(&api, json!({})).items()),
        [json!("User1"), json!("User2"), json!("User3")]
    );
}

#[test]
fn s37_full_result_of_a_single_key() {
    // #37, G4.
    let api = three_users();
    assert_eq!(
        users().drive(&api, json!({})).build_full_result().unwrap(),
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
            .drive(&api, json!({}))
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
            .drive(&api, json!({}))
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
    let api = scripted([
        upage(&["User1", "User2", "User3"], Some("m1")),
        upage(&["User4", "User5", "User6"], Some("m2")),
        upage(&["User7"], None),
    ]);
    assert_eq!(
        users()
            .drive(&api, json!({}))
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
    let api = scripted([
        upage(&["User4", "User5", "User6"], Some("m2")),
        upage(&["User7"], None),
    ]);
    assert_eq!(
        users()
            .drive(&api, json!({}))
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
            .drive(&api, json!({}))
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
