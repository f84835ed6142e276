//! What a run gives back (SEMANTICS §6): pages, items of every result key, search, the full
//! result, and the parts of the model a run exposes.

use paginate_tests::{all, enc, model};
use paginated::Error;
use serde_json::json;

use super::{Drive, page, users};
use crate::matrix::scripted;

#[test]
fn g1_pages_in_order() {
    let api = scripted([page(&["a"], Some("m1")), page(&["b"], None)]);
    assert_eq!(
        all(users().drive(&api, json!({}))),
        [page(&["a"], Some("m1")), page(&["b"], None)]
    );
    assert_eq!(api.operations(), ["ListUsers", "ListUsers"]);
}

#[test]
fn g1_a_page_that_is_not_an_object_is_an_error() {
    let api = scripted([page(&["a"], Some("m1")), json!(["not", "an", "object"])]);
    let mut pages = users().drive(&api, json!({}));
    pages.next();
    let err = pages.next().unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        "ListUsers: page 2 is array, not a JSON object; if the page itself is the list, declare `result_key = \"@\"`"
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
        scripted([
            json!({"Contents": [1, 2], "CommonPrefixes": ["a/"], "NextMarker": "m1"}),
            json!({"CommonPrefixes": ["b/", "c/"], "NextMarker": "m2"}),
            json!({"Contents": [3]}),
        ])
    };
    let api = script();
    assert_eq!(
        all(m.drive(&api, json!({})).items()),
        [json!(1), json!(2), json!(3)]
    );
    let api = script();
    assert_eq!(
        all(m.drive(&api, json!({})).items_of("CommonPrefixes").unwrap()),
        [json!("a/"), json!("b/"), json!("c/")]
    );
    let err = m.drive(&api, json!({})).items_of("Prefixes").unwrap_err();
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
    let api = scripted([
        json!({"CommonPrefixes": ["a/", "b/"], "NextMarker": "m1"}),
        json!({"CommonPrefixes": ["c/"]}),
    ]);
    let mut items = m.drive(&api, json!({})).items_of("CommonPrefixes").unwrap();
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
    let api = scripted([json!({"Data": "hé", "Marker": "1"}), json!({"Data": 5})]);
    let mut items = m.drive(&api, json!({})).items();
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
        scripted([
            json!({"Foo": [{"a": 1}, {"b": 2}], "T": "t1"}),
            json!({"Foo": [{"a": 3}], "X": 9}),
        ])
    };
    let search = |expr: &str| {
        let api = script();
        all(m.drive(&api, json!({})).search(expr).unwrap())
    };
    assert_eq!(search("Foo[].a"), [json!(1), json!(3)]);
    assert_eq!(search("Foo[0]"), [json!({"a": 1}), json!({"a": 3})]);
    assert_eq!(search("X"), [json!(null), json!(9)]);
    assert_eq!(search("Foo[?a > `1`].a"), [json!(3)]);
    assert!(search("Foo[].qux").is_empty());
    let err = m.drive(&script(), json!({})).search("Foo[").unwrap_err();
    assert!(matches!(err, Error::InvalidSearch { .. }), "{err}");
}

#[test]
fn g3_search_respects_max_items_and_resume() {
    let m = model(
        "Op",
        json!({"input_token": "T", "output_token": "T", "result_key": "Foo"}),
    );
    let api = scripted([json!({"Foo": [1, 2, 3], "T": "t1"}), json!({"Foo": [4]})]);
    let mut s = m.drive(&api, json!({})).max_items(2).search("Foo").unwrap();
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
    let api = scripted([json!({"Foo": "text"})]);
    let err = m
        .drive(&api, json!({}))
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
    let api = scripted([
        json!({"List": [1], "Count": 1, "Log": "x", "Obj": {"a": 1}, "Flag": true, "Float": 0.5, "T": "t1"}),
        json!({"List": [2, 3], "Count": 2, "Log": "y", "Obj": {"b": 2}, "Flag": false, "Float": 1, "T": "t2"}),
        json!({"List": null, "Count": 9_223_372_036_854_775_807_i64, "Log": "z"}),
    ]);
    let full = m.drive(&api, json!({})).build_full_result().unwrap();
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
    let api = scripted([json!({"R": [1], "T": "t"}), json!({"R": "str"})]);
    let err = m.drive(&api, json!({})).build_full_result().unwrap_err();
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
        scripted([
            json!({"Result": {"Key": ["a"], "Inner": "v1"}, "Outer": "v2", "T": "t1"}),
            json!({"Result": {"Key": ["b", "c"], "Inner": "v3"}, "Outer": "v4", "T": "t2"}),
            json!({"Result": {"Key": ["d"]}}),
        ])
    };
    let api = script();
    let mut pages = m.drive(&api, json!({})).max_items(3);
    pages.next();
    assert_eq!(
        pages.non_aggregate_part(),
        // `Result` itself is a non-aggregate key too: the first page's whole value.
        Some(&json!({"Outer": "v2", "Result": {"Key": ["a"], "Inner": "v1"}, "Absent": null}))
    );
    let api = script();
    let pages = m.drive(&api, json!({})).max_items(3);
    let full = pages.build_full_result().unwrap();
    // [ours] where a non-aggregate key is the parent of a result key, the aggregate wins.
    assert_eq!(
        full,
        json!({"Result": {"Key": ["a", "b", "c"], "Inner": "v1"}, "Outer": "v2", "Absent": null, "NextToken": enc(r#"{"T": "t2"}"#)})
    );
}

#[test]
fn g4_no_next_token_unless_max_items_stopped_the_run() {
    let api = scripted([page(&["a"], Some("m1")), page(&["b"], None)]);
    let full = users().drive(&api, json!({})).build_full_result().unwrap();
    assert_eq!(full, json!({"Users": ["a", "b"]}));
}

#[test]
fn g5_model_parts_are_readable() {
    // Nothing is sent before the first page is asked for: the service needs no script.
    let api = scripted([]);
    let pages = users().drive(&api, json!({}));
    assert_eq!(pages.model().result_keys().collect::<Vec<_>>(), ["Users"]);
    assert_eq!(pages.model().input_tokens(), ["Marker"]);
    assert_eq!(pages.non_aggregate_part(), None);
}
