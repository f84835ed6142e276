//! Pages a body can give in shapes a `Value` hides: top-level values that are not objects
//! (L7: `PageNotObject`, as on the Value path), result keys of the wrong type (M1, G2, G4:
//! `UnsupportedResult` when counted, cut or iterated), keys written twice (G8: the last one
//! counts), keys spelled with escapes, whitespace anywhere, and numbers and strings that must
//! come out as the same page given as JSON has them. Each case runs both paths (`both`).

use serde_json::{Value, json};

use crate::{Opts, View, both, listing, same, shown, text, texts};

fn ok(value: Value) -> String {
    shown::<Value>(Ok(value))
}

/// Every view, with and without `max_items`.
fn every_way(pages: &[&str]) -> Vec<(View, Option<u64>, crate::Seen)> {
    let mut seen = Vec::new();
    for max_items in [None, Some(1), Some(3)] {
        for view in View::all("CommonPrefixes", "Contents[].Key") {
            let opts = Opts {
                max_items,
                ..Opts::default()
            };
            seen.push((
                view,
                max_items,
                both(&listing(), &texts(pages), &opts, view),
            ));
        }
    }
    seen
}

#[test]
fn l7_a_top_level_value_that_is_not_an_object_is_page_not_object() {
    for (body, found) in [
        ("[1]", "array"),
        ("\"x\"", "string"),
        ("null", "null"),
        ("3", "number"),
        ("true", "boolean"),
        (" [ ] ", "array"),
    ] {
        // No item on page 1, so no `max_items` stops the run before page 2.
        let pages = [r#"{"Contents": [], "NextMarker": "m1"}"#, body];
        for (view, max_items, seen) in every_way(&pages) {
            let all: Vec<&str> = seen
                .results()
                .into_iter()
                .chain([seen.end.as_str()])
                .collect();
            let error = all.iter().find(|r| r.starts_with("Err(")).copied();
            let error = error.unwrap_or_else(|| panic!("{body} {view:?} {max_items:?}: {seen:?}"));
            assert_eq!(
                error,
                format!(
                    "Err(ListObjects: page 2 is {found}, not a JSON object{})",
                    if found == "array" {
                        "; if the page itself is the list, declare `result_key = \"@\"`"
                    } else {
                        ""
                    }
                ),
                "{body} {view:?} {max_items:?}"
            );
        }
    }
}

#[test]
fn m1_g2_a_result_key_of_the_wrong_type_is_the_same_typed_error() {
    for value in ["5", "true", "false", "1.5", "-0"] {
        let page =
            format!(r#"{{"Contents": {value}, "CommonPrefixes": ["p/"], "NextMarker": "m1"}}"#);
        let pages = [page.as_str(), r#"{"Contents": ["z"]}"#];
        for (view, max_items, seen) in every_way(&pages) {
            let all = seen.results().into_iter().chain([seen.end.as_str()]);
            let errors: Vec<&str> = all.filter(|r| r.starts_with("Err(")).collect();
            // Items of the primary key, and anything counting it, meet the wrong type.
            let meets = matches!(view, View::Items | View::TypedItems) || max_items.is_some();
            if meets {
                assert!(
                    errors
                        .iter()
                        .any(|e| e.contains("result key `Contents` on page 1 holds")),
                    "{value} {view:?} {max_items:?}: {seen:?}"
                );
            }
        }
    }
    // Counted, cut and iterated, as the Value path says it.
    let pages = [r#"{"Contents": 5}"#];
    let counted = both(
        &listing(),
        &texts(&pages),
        &Opts {
            max_items: Some(2),
            ..Opts::default()
        },
        View::Pages,
    );
    assert!(
        counted.results()[0].ends_with("which cannot be counted)"),
        "{counted:?}"
    );
    let iterated = same(&listing(), &pages, View::Items);
    assert!(
        iterated.results()[0].ends_with("which cannot be iterated)"),
        "{iterated:?}"
    );
    let cut = same(
        &listing(),
        &[r#"{"Contents": {"a": 1, "b": 2}}"#],
        View::Pages,
    );
    assert_eq!(cut.results(), [ok(json!({"Contents": {"a": 1, "b": 2}}))]);
    let cut = both(
        &listing(),
        &texts(&[r#"{"Contents": {"a": 1, "b": 2}}"#]),
        &Opts {
            max_items: Some(1),
            ..Opts::default()
        },
        View::Pages,
    );
    assert!(
        cut.results()[0].ends_with("which cannot be cut)"),
        "{cut:?}"
    );
}

#[test]
fn g8_of_a_key_written_twice_the_last_counts() {
    let pages = [
        r#"{"Contents":[1],"NextMarker":"x","Contents":[2,3],"NextMarker":"m1"}"#,
        r#"{"Contents":[{"Key":"a","Key":"b"}],"CommonPrefixes":null,"CommonPrefixes":["p/"]}"#,
    ];
    let items = same(&listing(), &pages, View::Items);
    assert_eq!(
        items.results(),
        [ok(json!(2)), ok(json!(3)), ok(json!({"Key": "b"}))]
    );
    assert_eq!(
        items.calls,
        [
            json!({"Fixed": "param"}),
            json!({"Fixed": "param", "Marker": "m1"})
        ]
    );
    let prefixes = same(&listing(), &pages, View::ItemsOf("CommonPrefixes"));
    assert_eq!(prefixes.results(), [ok(json!("p/"))]);
    let full = same(&listing(), &pages, View::Full);
    assert_eq!(
        full.end,
        ok(json!({"Contents": [2, 3, {"Key": "b"}], "CommonPrefixes": ["p/"]}))
    );
    // A token written twice, the second time absent: no next page (L2).
    let ends = same(
        &listing(),
        &[r#"{"Contents":["a"],"NextMarker":"m1","NextMarker":null}"#],
        View::Pages,
    );
    assert_eq!(ends.calls.len(), 1);
    assert_eq!(ends.last_token(), None);
    // Every way, with the nested duplicate only where a `Value` is what comes out: a type of
    // the caller's is deserialized straight from the text, where serde refuses the
    // duplicate (see the next test).
    let plain = [
        pages[0],
        r#"{"Contents":[{"Key":"b"}],"CommonPrefixes":null,"CommonPrefixes":["p/"]}"#,
    ];
    every_way(&plain);
}

/// G8: inside a value deserialized into the caller's type, a key written twice is serde's to
/// judge, as when the caller deserializes the body themselves: a derived struct refuses it as
/// a duplicate field. Through a `Value` first, the last one counts.
#[test]
fn g8_a_key_written_twice_inside_a_typed_item_is_refused_by_serde() {
    use crate::{MODES, Wire, observe};
    let pages = texts(&[r#"{"Contents":[{"Key":"a","Key":"b"},{"Key":"c"}]}"#]);
    for mode in MODES {
        let body = observe(
            &listing(),
            &pages,
            &Opts::default(),
            View::TypedItems,
            Wire::Body,
            mode,
        );
        let value = observe(
            &listing(),
            &pages,
            &Opts::default(),
            View::TypedItems,
            Wire::Value,
            mode,
        );
        let body = body.results();
        assert_eq!(body.len(), 2, "{mode:?}: {body:?}");
        assert!(
            body[0].contains("item 0 of page 1") && body[0].contains("duplicate field `Key`"),
            "{mode:?}: {body:?}"
        );
        assert!(
            body[1].starts_with("Ok(Item { key: \"c\""),
            "{mode:?}: {body:?}"
        );
        let value = value.results();
        assert!(
            value[0].starts_with("Ok(Item { key: \"b\""),
            "{mode:?}: {value:?}"
        );
    }
}

#[test]
fn g8_keys_spelled_with_escapes_are_the_same_keys() {
    let pages = [
        r#"{"Cont\u0065nts": ["a"], "Next\u004Darker": "m\u0031", "Common\u0050refixes": ["p\/"]}"#,
        r#"{"\u0043\u006f\u006e\u0074\u0065\u006e\u0074\u0073": ["b"]}"#,
    ];
    let items = same(&listing(), &pages, View::Items);
    assert_eq!(items.results(), [ok(json!("a")), ok(json!("b"))]);
    assert_eq!(items.calls[1], json!({"Fixed": "param", "Marker": "m1"}));
    let full = same(&listing(), &pages, View::Full);
    assert_eq!(
        full.end,
        ok(json!({"Contents": ["a", "b"], "CommonPrefixes": ["p/"]}))
    );
    every_way(&pages);
}

#[test]
fn g8_whitespace_anywhere_changes_nothing() {
    let pages = [
        " \n\t{ \"Contents\" :\r\n [ \"a\" ,\n\"b\" ] ,\"NextMarker\"\t:\"m1\" , \"CommonPrefixes\" : [ ] }\n ",
        "{\"Contents\":[{ \"Key\" : \"c\" , \"Size\" : 3 }]}\r\n",
    ];
    let items = same(&listing(), &pages, View::Items);
    assert_eq!(
        items.results(),
        [
            ok(json!("a")),
            ok(json!("b")),
            ok(json!({"Key": "c", "Size": 3}))
        ]
    );
    every_way(&pages);
}

#[test]
fn g8_numbers_and_unicode_come_out_as_the_value_path_has_them() {
    let page = r#"{"Contents": [18446744073709551615, -9223372036854775808, 123456789012345678901,
        1.5e300, 0.1, -0.0, 1E-7, 2.0, 0, "é\u00e9😀\ud83d\ude00\"\\\/\b\f\n\r\t",
        {"Key": "ключ", "Size": 1e2}, [], {}, null, true],
        "NextMarker": "ü\u00fc", "CommonPrefixes": ["\u0000"]}"#;
    let last = r#"{"Contents": ["end"]}"#;
    let items = same(&listing(), &[page, last], View::Items);
    assert_eq!(items.steps.len(), 16);
    assert_eq!(items.results()[0], ok(json!(u64::MAX)));
    assert_eq!(items.results()[1], ok(json!(i64::MIN)));
    assert_eq!(items.results()[9], ok(json!("éé😀😀\"\\/\u{8}\u{c}\n\r\t")));
    assert_eq!(items.calls[1], json!({"Fixed": "param", "Marker": "üü"}));
    let pages = same(&listing(), &[page, last], View::Pages);
    let parsed: Value = serde_json::from_str(page).unwrap();
    assert_eq!(pages.results()[0], ok(parsed));
    every_way(&[page, last]);
}

/// A page that is empty, or has only unknown keys, or `null` result keys.
#[test]
fn g2_g4_empty_and_null_result_keys() {
    for pages in [
        vec!["{}"],
        vec![r#"{"Contents": null, "CommonPrefixes": null}"#],
        vec![r#"{"Contents": [], "Other": {"Contents": [1]}, "NextMarker": ""}"#],
        vec![
            r#"{"Contents": [], "NextMarker": "m1"}"#,
            r#"{"Contents": ["a"]}"#,
        ],
    ] {
        let seen = every_way(&pages);
        assert!(!seen.is_empty());
    }
    let items = both(
        &listing(),
        &[
            text(r#"{"Contents":[],"NextMarker":"m1"}"#),
            text(r#"{"Contents":["a"]}"#),
        ],
        &Opts::default(),
        View::Items,
    );
    assert_eq!(items.results(), [ok(json!("a"))]);
}
