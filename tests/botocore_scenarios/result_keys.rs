//! botocore's TestMultipleResultKeys (#45–#51), TestMultipleInputKeys (#52–#56),
//! TestExpressionKeyIterators (#57–#58), TestIncludeResultKeys (#59–#60),
//! TestIncludeNonResultKeys (#61–#63) and TestSearchOverResults (#64–#67).

use std::sync::Arc;

use paginate_tests::{Scripted, all, enc, model};
use paginated::{Model, TokenError};
use serde_json::{Value, json};

use super::{Drive, multi_input, multi_pages, secondary_pages, token_error, users_groups};
use crate::matrix::scripted;

// ---------------------------------------------------------------- TestMultipleResultKeys (#45–#51)

#[test]
fn s45_full_result_of_several_keys() {
    // #45, G4.
    let api = scripted([
        json!({"Users": ["User1"], "Groups": ["Group1"], "Marker": "m1"}),
        json!({"Users": ["User2"], "Groups": ["Group2"], "Marker": "m2"}),
        json!({"Users": ["User3"], "Groups": ["Group3"]}),
    ]);
    assert_eq!(
        users_groups()
            .drive(&api, json!({}))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2", "User3"], "Groups": ["Group1", "Group2", "Group3"]})
    );
}

#[test]
fn s46_full_result_of_keys_of_different_lengths() {
    // #46, G4.
    let api = scripted([
        json!({"Users": ["User1"], "Groups": ["Group1"], "Marker": "m1"}),
        json!({"Users": [], "Groups": ["Group2"], "Marker": "m2"}),
        json!({"Users": [], "Groups": ["Group3"]}),
    ]);
    assert_eq!(
        users_groups()
            .drive(&api, json!({}))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1"], "Groups": ["Group1", "Group2", "Group3"]})
    );
}

#[test]
fn s47_an_always_empty_key_stays_in_the_full_result() {
    // #47, G4: a key present with `[]` is kept as `[]`.
    let api = scripted([
        json!({"Users": [], "Groups": ["Group1"], "Marker": "m1"}),
        json!({"Users": [], "Groups": ["Group2"], "Marker": "m2"}),
        json!({"Users": [], "Groups": ["Group3"]}),
    ]);
    assert_eq!(
        users_groups()
            .drive(&api, json!({}))
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
            .drive(&api, json!({}))
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
            .drive(&api, json!({}))
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
    let api = scripted([json!({"Users": ["User1", "User2"], "Groups": "a"})]);
    assert_eq!(
        users_groups()
            .drive(&api, json!({}))
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
    let api = scripted([json!({"Users": ["User1", "User2"], "Groups": 123})]);
    assert_eq!(
        users_groups()
            .drive(&api, json!({}))
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
    let api = scripted(multi_pages());
    assert_eq!(
        multi_input()
            .drive(&api, json!({}))
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
    let api = scripted(multi_pages().split_off(1));
    assert_eq!(
        multi_input()
            .drive(&api, json!({}))
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
    let api = scripted([response.clone()]);
    assert_eq!(
        all(multi_input()
            .drive(&api, json!({}))
            .starting_token(Some(token.clone()))),
        std::slice::from_ref(&response)
    );
    let api = scripted([response]);
    assert_eq!(
        multi_input()
            .drive(&api, json!({}))
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
    let api = scripted([json!({"Users": ["User1", "User2", "User3", "User4"]})]);
    let pages = m.drive(&api, json!({"MaxItems": 3}));
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

fn engine_defaults() -> (Model, Arc<Scripted>) {
    let m = model(
        "DescribeEngineDefaultParameters",
        json!({"input_token": "Marker", "output_token": "Marker", "limit_key": "MaxRecords",
               "result_key": "EngineDefaults.Parameters"}),
    );
    let api = scripted([
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
        all(m.drive(&api, json!({})).items()),
        ["One", "Two", "Three", "Four", "Five"].map(|s| json!(s))
    );
}

#[test]
fn s58_full_result_of_a_dotted_result_key() {
    // #58, G4: the result is written back at its path.
    let (m, api) = engine_defaults();
    assert_eq!(
        m.drive(&api, json!({})).build_full_result().unwrap(),
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
    let api = scripted([
        json!({"ResultKey": ["a"], "Count": 1, "Log": "x", "Marker": "a"}),
        json!({"not_a_result_key": "this page will be ignored", "Marker": "_"}),
        json!({"ResultKey": ["b", "c"], "Count": 2, "Log": "y", "Marker": "b"}),
        json!({"ResultKey": ["d", "e", "f"], "Count": 3, "Log": "z"}),
    ]);
    let full = result_count_log()
        .drive(&api, json!({}))
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
    let api = scripted([
        json!({"not_a_result_key": "this page will be ignored", "Marker": "_"}),
        json!({"neither_this_one": "this page will be ignored, too"}),
    ]);
    assert_eq!(
        result_count_log()
            .drive(&api, json!({}))
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
        scripted([
            json!({"ResultKey": ["foo"], "NotResultKey": "a", "NextToken": "t1"}),
            json!({"ResultKey": ["bar"], "NotResultKey": "a", "NextToken": "t2"}),
            json!({"ResultKey": ["baz"], "NotResultKey": "a"}),
        ])
    };
    let api = script();
    let mut pages = m.drive(&api, json!({}));
    assert_eq!(all(&mut pages).len(), 3);
    assert_eq!(
        pages.non_aggregate_part(),
        Some(&json!({"NotResultKey": "a"}))
    );
    let api = script();
    assert_eq!(
        m.drive(&api, json!({})).build_full_result().unwrap(),
        json!({"ResultKey": ["foo", "bar", "baz"], "NotResultKey": "a"})
    );
}

#[test]
fn s62_non_aggregate_keys_with_several_result_keys() {
    // #62, G4.
    let m = non_aggregate(json!(["ResultKey1", "ResultKey2"]), json!(["NotResultKey"]));
    let api = scripted([
        json!({"ResultKey1": ["a", "b"], "ResultKey2": ["u", "v"], "NotResultKey": "a", "NextToken": "token1"}),
        json!({"ResultKey1": ["c", "d"], "ResultKey2": ["w", "x"], "NotResultKey": "a", "NextToken": "token2"}),
        json!({"ResultKey1": ["e", "f"], "ResultKey2": ["y", "z"], "NotResultKey": "a"}),
    ]);
    assert_eq!(
        m.drive(&api, json!({})).build_full_result().unwrap(),
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
        scripted([
            json!({"Result": {"Key": ["foo"], "Inner": "v1"}, "Outer": "v2", "NextToken": "t1"}),
            json!({"Result": {"Key": ["bar", "baz"], "Inner": "v3"}, "Outer": "v4", "NextToken": "t2"}),
            json!({"Result": {"Key": ["qux"], "Inner": "v5"}, "Outer": "v6"}),
        ])
    };
    let api = script();
    let mut pages = m.drive(&api, json!({}));
    assert_eq!(all(&mut pages).len(), 3);
    assert_eq!(
        pages.non_aggregate_part(),
        Some(&json!({"Outer": "v2", "Result": {"Inner": "v1"}}))
    );
    let api = script();
    assert_eq!(
        m.drive(&api, json!({})).build_full_result().unwrap(),
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
    let api = scripted([
        json!({"Foo": [{"a": 1}, {"b": 2}], "IsTruncated": true, "NextToken": "1"}),
        json!({"Foo": [{"a": 3}, {"b": 4}], "IsTruncated": true, "NextToken": "2"}),
        json!({"Foo": [{"a": 5}], "IsTruncated": false, "NextToken": "3"}),
    ]);
    let results = all(m.drive(&api, json!({})).search(expression).unwrap());
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
