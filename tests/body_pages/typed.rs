//! Typed pages, items and full results, and search, over bodies (G8: deserialized straight
//! from the text once the engine reads bodies itself): the same values and the same errors
//! as from the same pages given as `Value`s. An item that does not deserialize is an
//! `Error::Deserialize` naming its page and index, and the next item still comes (G2); a
//! page that does not is one for that page, and the next page still comes (G1). A search
//! gives what it gives on the Value path (G3).

use paginate_tests::enc;
use serde_json::{Value, json};

use crate::{Item, Listing, Opts, View, both, listing, same, shown, texts};

fn item(key: &str, size: Option<u64>) -> Item {
    Item {
        key: key.to_owned(),
        size,
    }
}

#[test]
fn g1_g2_typed_pages_items_and_full_results_from_bodies() {
    let pages = [
        r#"{"Contents": [{"Key": "a", "Size": 1, "Extra": [1, {"x": null}]}, {"Size": 2, "Key": "b2"}], "NextMarker": "m1"}"#,
        r#" { "Contents" : [ { "Key" : "c\u00e9" } ] } "#,
    ];
    let typed = same(&listing(), &pages, View::TypedPages);
    assert_eq!(
        typed.results(),
        [
            shown(Ok(Listing {
                contents: vec![item("a", Some(1)), item("b2", Some(2))],
                next_marker: Some("m1".into()),
            })),
            shown(Ok(Listing {
                contents: vec![item("cé", None)],
                next_marker: None,
            })),
        ]
    );
    let items = same(&listing(), &pages, View::TypedItems);
    assert_eq!(
        items.results(),
        [item("a", Some(1)), item("b2", Some(2)), item("cé", None)].map(|i| shown(Ok(i)))
    );
    let full = same(&listing(), &pages, View::TypedFull);
    let merged = Listing {
        contents: vec![item("a", Some(1)), item("b2", Some(2)), item("cé", None)],
        next_marker: None,
    };
    assert_eq!(full.end, shown(Ok(merged)));
}

#[test]
fn g2_an_item_that_does_not_deserialize_names_page_and_index_and_the_next_item_comes() {
    let pages = [
        r#"{"Contents": [{"Key": "a"}], "NextMarker": "m1"}"#,
        r#"{"Contents": [{"Key": "b"}, {"Key": 5}, "c", {"Key": "d", "Size": -1}, {"Key": "e"}]}"#,
    ];
    for max_items in [None, Some(2), Some(3), Some(5)] {
        let opts = Opts {
            max_items,
            ..Opts::default()
        };
        let items = both(&listing(), &texts(&pages), &opts, View::TypedItems);
        let results = items.results();
        assert_eq!(results[0], shown(Ok(item("a", None))));
        if max_items.is_none() {
            assert_eq!(results.len(), 6, "{items:?}");
            for (index, at) in [(1, 2), (2, 3), (3, 4)] {
                let named =
                    format!("Err(ListObjects: item {index} of page 2 could not be read as ");
                assert!(results[at].starts_with(&named), "{}", results[at]);
            }
            assert_eq!(results[5], shown(Ok(item("e", None))));
            // R2: each error moves the position past its item.
            let after_bad = items.steps[2].1.clone().unwrap();
            assert_eq!(
                after_bad,
                enc(r#"{"Marker": "m1", "boto_truncate_amount": 2}"#)
            );
        }
    }
}

#[test]
fn g1_a_page_that_does_not_deserialize_is_an_error_for_that_page_and_the_next_page_comes() {
    let pages = [
        r#"{"Contents": [{"Key": "a"}], "NextMarker": "m1"}"#,
        r#"{"Contents": [{"Key": 1}], "NextMarker": "m2"}"#,
        r#"{"Contents": {"Key": "x"}, "NextMarker": "m3"}"#,
        r#"{"Contents": [], "NextMarker": 7}"#,
        r#"{"Contents": [{"Key": "e"}]}"#,
    ];
    let typed = same(&listing(), &pages, View::TypedPages);
    let results = typed.results();
    assert_eq!(results.len(), 5, "{typed:?}");
    for (at, page) in [(1, 2), (2, 3), (3, 4)] {
        let named = format!("Err(ListObjects: page {page} could not be read as ");
        assert!(results[at].starts_with(&named), "{}", results[at]);
    }
    assert_eq!(
        results[4],
        shown(Ok(Listing {
            contents: vec![item("e", None)],
            next_marker: None
        }))
    );
    // G1: the position moved past each bad page.
    assert_eq!(typed.steps[1].1, Some(enc(r#"{"Marker": "m2"}"#)));
    // The full result of these pages does not fit `Listing` (G4 then serde), on both paths.
    let full = same(&listing(), &pages, View::TypedFull);
    assert!(full.end.starts_with("Err("), "{full:?}");
}

#[test]
fn g3_search_over_bodies_gives_what_it_gives_over_values() {
    let pages = [
        r#"{"Contents": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 900}], "CommonPrefixes": ["p/"], "NextMarker": "m1"}"#,
        r#"{"Contents": [], "NextMarker": "m2"}"#,
        r#"{"Contents": [{"Key": "c", "Size": 700, "Tags": {"t": [1, 2]}}]}"#,
    ];
    let cases: [(&'static str, Vec<Value>); 6] = [
        ("Contents[?Size > `500`].Key", vec![json!("b"), json!("c")]),
        ("Missing", vec![Value::Null, Value::Null, Value::Null]),
        ("Contents[].Key", vec![json!("a"), json!("b"), json!("c")]),
        ("length(Contents)", vec![json!(2), json!(0), json!(1)]),
        ("Contents[].Tags.t[]", vec![json!(1), json!(2)]),
        (
            "{n: NextMarker, p: CommonPrefixes}",
            vec![
                json!({"n": "m1", "p": ["p/"]}),
                json!({"n": "m2", "p": null}),
                json!({"n": null, "p": null}),
            ],
        ),
    ];
    for (expression, expected) in cases {
        let seen = same(&listing(), &pages, View::Search(expression));
        let expected: Vec<String> = expected
            .into_iter()
            .map(|v| shown::<Value>(Ok(v)))
            .collect();
        assert_eq!(seen.results(), expected, "{expression}");
        for max_items in [Some(1), Some(2)] {
            let opts = Opts {
                max_items,
                ..Opts::default()
            };
            both(&listing(), &texts(&pages), &opts, View::Search(expression));
        }
    }
    // A syntax error is the call's error, before any request, on both paths.
    let broken = same(&listing(), &pages, View::Search("Contents[?"));
    assert!(broken.end.starts_with("Err("), "{broken:?}");
    assert!(broken.calls.is_empty());
}

/// G4, G8: a typed full result read from bodies is read as it is from a `Value`, also for types
/// that are not a plain struct: an `Option` of one, a newtype around one, an enum whose one
/// key names the variant, and a map.
#[test]
fn g4_g8_typed_full_results_of_every_shape_read_as_from_a_value() {
    use std::collections::BTreeMap;

    use paginate_tests::Wire;

    use crate::Texts;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Newtype(Listing);

    #[derive(Debug, serde::Deserialize, PartialEq)]
    enum OneKey {
        Contents(Vec<Item>),
    }

    fn read<T>(wire: Wire) -> String
    where
        T: serde::de::DeserializeOwned + std::fmt::Debug + 'static,
    {
        let pages = [
            r#"{"Contents": [{"Key": "a", "Size": 1}], "NextMarker": "m1"}"#,
            r#"{"Contents": [{"Key": "b"}]}"#,
        ];
        let api = Texts::new(wire, &texts(&pages));
        shown(
            listing()
                .paginate(api, json!({}))
                .build_full_result_as::<T>(),
        )
    }
    let listed = || Listing {
        contents: vec![item("a", Some(1)), item("b", None)],
        next_marker: None,
    };
    for wire in Wire::ALL {
        assert_eq!(
            read::<Option<Listing>>(wire),
            shown(Ok(Some(listed()))),
            "{wire:?}"
        );
        assert_eq!(
            read::<Newtype>(wire),
            shown(Ok(Newtype(listed()))),
            "{wire:?}"
        );
        assert_eq!(
            read::<OneKey>(wire),
            shown(Ok(OneKey::Contents(listed().contents))),
            "{wire:?}"
        );
        let map = BTreeMap::from([(
            "Contents".to_owned(),
            json!([{"Key": "a", "Size": 1}, {"Key": "b"}]),
        )]);
        assert_eq!(
            read::<BTreeMap<String, Value>>(wire),
            shown(Ok(map)),
            "{wire:?}"
        );
    }
    // A type that does not fit fails on both wires, with the same error.
    let body = read::<Vec<Item>>(Wire::Body);
    assert!(body.starts_with("Err("), "{body}");
    assert_eq!(body, read::<Vec<Item>>(Wire::Value));
}

/// A list that keeps the length serde told it beforehand, as a `Vec` does to allocate once.
#[derive(Debug, PartialEq)]
struct Told {
    length: Option<usize>,
    items: Vec<Value>,
}

impl<'de> serde::Deserialize<'de> for Told {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Told, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Told;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Told, A::Error> {
                let length = seq.size_hint();
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Told { length, items })
            }
        }
        deserializer.deserialize_seq(Visit)
    }
}

/// G4, G8: a typed full result read from bodies is told each merged list's length, as when it
/// is read from `Value`s, so a `Vec` of the whole listing is allocated once, not grown.
#[test]
fn g4_g8_a_typed_full_result_is_told_the_length_of_its_merged_lists() {
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Full {
        #[serde(rename = "Contents")]
        contents: Told,
    }
    let pages = [
        r#"{"Contents": [{"Key": "a"}, {"Key": "b"}], "NextMarker": "m1"}"#,
        r#"{"Contents": [{"Key": "c"}], "NextMarker": "m2"}"#,
        r#"{"Contents": [{"Key": "d"}]}"#,
    ];
    for wire in [paginate_tests::Wire::Body, paginate_tests::Wire::Value] {
        let api = crate::Texts::new(wire, &texts(&pages));
        let full = listing()
            .paginate(&*api, json!({}))
            .build_full_result_as::<Full>()
            .unwrap();
        assert_eq!(full.contents.length, Some(4), "{wire:?}");
        assert_eq!(full.contents.items.len(), 4);
    }
    // A bare-array listing (P1): the concatenated pages are the list.
    let whole = paginated::Model::builder("ListMessages")
        .input_token("before")
        .output_token("[-1].id")
        .result_key("@")
        .build()
        .unwrap();
    let api = crate::Texts::new(
        paginate_tests::Wire::Body,
        &texts(&[r#"[{"id": 1}, {"id": 2}]"#, r#"[{"id": 3}]"#, "[]"]),
    );
    let full = whole
        .paginate(&*api, json!({}))
        .build_full_result_as::<Told>()
        .unwrap();
    assert_eq!((full.length, full.items.len()), (Some(3), 3));
}

/// G8: a typed page is read on the run's pass, so what its type skips inside a result list is
/// checked as serde_json checks what it skips (syntax), as for typed items; an expression that
/// reads such a value where a `Value` cannot hold it (a number out of range) is an error naming
/// the page, never a `null` that would end the listing early.
#[test]
fn g8_a_typed_page_checks_what_its_type_skips_as_serde_does_and_a_token_read_there_fails() {
    let out_of_range =
        r#"{"Contents": [{"Key": "a", "Extra": 1e400}, {"Key": "b"}], "NextMarker": "m"}"#;
    let api = crate::Texts::new(
        paginate_tests::Wire::Body,
        &texts(&[out_of_range, r#"{"Contents": [{"Key": "c"}]}"#]),
    );
    let pages: Vec<Listing> = listing()
        .paginate(&*api, json!({}))
        .typed::<Listing, Item>()
        .collect::<Result<_, _>>()
        .unwrap();
    let keys: Vec<&str> = pages
        .iter()
        .flat_map(|p| &p.contents)
        .map(|i| i.key.as_str())
        .collect();
    assert_eq!(keys, ["a", "b", "c"]);

    // The token is read from the last element, which holds the number out of range.
    let by_last_key = paginate_tests::model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "Contents[-1].Key", "result_key": "Contents"}),
    );
    let last_unreadable = r#"{"Contents": [{"Key": "a"}, {"Key": "b", "Extra": 1e400}]}"#;
    let api = crate::Texts::new(paginate_tests::Wire::Body, &texts(&[last_unreadable]));
    let first = by_last_key
        .paginate(&*api, json!({}))
        .typed::<Listing, Item>()
        .next()
        .unwrap();
    let error = first.unwrap_err();
    assert!(
        error.to_string().contains("page 1"),
        "the error names the page: {error}"
    );
}
