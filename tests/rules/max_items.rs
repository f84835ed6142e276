//! `max_items` and truncation (SEMANTICS §4): what is counted, where a page is cut, and the
//! token that resumes there.

use paginate_tests::{all, enc, model};
use serde_json::json;

use super::{Drive, page, users};
use crate::matrix::scripted;

#[test]
fn m1_only_the_primary_key_is_counted() {
    let m = model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": ["Contents", "CommonPrefixes"]}),
    );
    let api = scripted([
        json!({"Contents": [1], "CommonPrefixes": ["p1", "p2", "p3"], "NextMarker": "m1"}),
        json!({"CommonPrefixes": ["p4"], "NextMarker": "m2"}),
        json!({"Contents": [2, 3], "NextMarker": "m3"}),
    ]);
    let mut pages = m.drive(&api, json!({})).max_items(2);
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
    let api = scripted([
        json!({"Data": "héllo😀", "Marker": "1"}),
        json!({"Data": "xyz"}),
    ]);
    let mut pages = m.drive(&api, json!({})).max_items(7);
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

    let api = scripted([
        json!({"Data": {"a": 1, "b": 2}, "Marker": "1"}),
        json!({"Data": {"c": 3}}),
    ]);
    let mut pages = m.drive(&api, json!({})).max_items(3);
    assert_eq!(all(&mut pages).len(), 2);
    assert_eq!(pages.resume_token(), None);
}

#[test]
fn m2_cut_page_and_token_of_the_fetching_request() {
    let api = scripted([
        page(&["a", "b", "c"], Some("m1")),
        page(&["d", "e", "f"], Some("m2")),
        page(&["g"], None),
    ]);
    let mut pages = users().drive(&api, json!({})).max_items(4);
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
    let api = scripted([json!({"R": {"a": 1, "b": 2}, "N": "x"})]);
    let mut pages = m.drive(&api, json!({})).max_items(1);
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
    let api = scripted([
        page(&["a"], Some("m1")),
        page(&["b"], Some("m2")),
        page(&["c"], None),
    ]);
    let mut pages = users().drive(&api, json!({})).max_items(2);
    assert_eq!(all(&mut pages).len(), 2);
    assert_eq!(pages.resume_token(), Some(enc(r#"{"Marker": "m2"}"#)));
    // ... and with no next page there is no token.
    let api = scripted([page(&["a"], Some("m1")), page(&["b"], None)]);
    let mut pages = users().drive(&api, json!({})).max_items(2);
    assert_eq!(all(&mut pages).len(), 2);
    assert_eq!(pages.resume_token(), None);
    assert!(!pages.stopped_by_max_items());
}

#[test]
fn m4_max_items_zero_makes_one_request() {
    let api = scripted([page(&["a", "b"], Some("m1")), page(&["c"], None)]);
    let mut pages = users().drive(&api, json!({})).max_items(0);
    assert_eq!(all(&mut pages), [page(&[], Some("m1"))]);
    assert_eq!(api.calls().len(), 1);
    assert_eq!(
        pages.resume_token(),
        Some(enc(r#"{"Marker": null, "boto_truncate_amount": 0}"#))
    );
}
