//! The rules that read a page's tokens and results, over bodies as over `Value`s: dotted
//! result keys, output tokens that are expressions (L2), `more_results`, several tokens (L3),
//! non-aggregate keys (G4), string and object primaries (M1, R6), `max_items` cuts and resumes
//! with an offset (M2, R2, R7), secondary keys blanked on resume (R6), and repeated tokens and
//! cycles (L6). Each case runs both paths (`both`) and asserts the answer SEMANTICS.md gives.

use paginate_tests::{dec, enc, model};
use paginated::{DuplicateTokenPolicy, Model};
use serde_json::{Value, json};

use crate::{Opts, Seen, View, both, shown, texts};

fn ok(value: Value) -> String {
    shown::<Value>(Ok(value))
}

/// Every view and `max_items` from none to 4, from the start; returns the Pages view without
/// `max_items`.
fn every_way(m: &Model, pages: &[&str], secondary: &'static str, search: &'static str) -> Seen {
    for max_items in [Some(0), Some(1), Some(2), Some(3), Some(4)] {
        for view in View::all(secondary, search) {
            let opts = Opts {
                max_items,
                ..Opts::default()
            };
            both(m, &texts(pages), &opts, view);
        }
    }
    both(m, &texts(pages), &Opts::default(), View::Pages)
}

/// A run cut by `max_items`, then a run resumed from its token over the pages from the one
/// the token fetches: both paths, and together every primary item once (M2, R2, R7).
fn cut_and_resume(m: &Model, pages: &[&str], max_items: u64, resume_at: usize) -> (Seen, Seen) {
    let cut = Opts {
        max_items: Some(max_items),
        ..Opts::default()
    };
    let first = both(m, &texts(pages), &cut, View::Items);
    let token = first.last_token().expect("max_items cut the run");
    let resumed = Opts {
        token: Some(token),
        ..Opts::default()
    };
    let rest = both(m, &texts(&pages[resume_at..]), &resumed, View::Items);
    (first, rest)
}

#[test]
fn g8_dotted_result_keys_and_non_aggregate_keys() {
    let m = model(
        "DescribeThings",
        json!({"input_token": "Next", "output_token": "Result.Next", "more_results": "Result.More",
               "result_key": ["Result.Items", "Result.Extra"], "non_aggregate_keys": ["Meta.Name", "Count"]}),
    );
    let pages = [
        r#"{"Result": {"Items": [1, 2], "Next": "t1", "More": true, "Extra": ["x"]}, "Meta": {"Name": "n", "Other": 1}, "Count": 7}"#,
        r#"{"Result": {"Items": [3], "Next": "t2", "More": 1}, "Meta": {"Name": "later"}, "Count": 8}"#,
        r#"{"Result": {"Items": [4, 5], "Next": "t3", "More": false}}"#,
    ];
    let pages_seen = every_way(&m, &pages, "Result.Extra", "Result.Items[]");
    assert_eq!(
        pages_seen.calls.len(),
        3,
        "Result.More false ends the run: {pages_seen:?}"
    );
    let full = both(&m, &texts(&pages), &Opts::default(), View::Full);
    assert_eq!(
        full.end,
        ok(
            json!({"Result": {"Items": [1, 2, 3, 4, 5], "Extra": ["x"]}, "Meta": {"Name": "n"}, "Count": 7})
        )
    );
    // Exactly at the end of page 2 (M3): the token is page 2's own, no offset.
    let (first, rest) = cut_and_resume(&m, &pages, 3, 2);
    assert_eq!(first.results(), [ok(json!(1)), ok(json!(2)), ok(json!(3))]);
    assert_eq!(dec(&first.last_token().unwrap()), r#"{"Next": "t2"}"#);
    assert_eq!(rest.results(), [ok(json!(4)), ok(json!(5))]);
}

#[test]
fn l2_output_tokens_that_are_expressions() {
    for output in [
        "NextMarker || Contents[-1].Key",
        "Contents[-1].Key",
        "Contents[?Size > `1`].Key | [-1]",
        "to_string(length(Contents))",
        "join('-', Contents[].Key)",
    ] {
        let m = model(
            "ListObjects",
            json!({"input_token": "Marker", "output_token": output, "more_results": "IsTruncated",
                   "result_key": ["Contents", "CommonPrefixes"], "non_aggregate_keys": ["Name"]}),
        );
        let pages = [
            r#"{"Contents": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 2}], "IsTruncated": true, "Name": "bucket"}"#,
            r#"{"Contents": [{"Key": "c", "Size": 5}], "NextMarker": "c2", "IsTruncated": "yes", "CommonPrefixes": [{"Prefix": "p/"}]}"#,
            r#"{"Contents": [{"Key": "d", "Size": 0}], "IsTruncated": false, "NextMarker": "never"}"#,
        ];
        let seen = every_way(&m, &pages, "CommonPrefixes", "Contents[?Size > `0`].Key");
        assert_eq!(
            seen.calls.len(),
            3,
            "{output}: IsTruncated false ends the run: {seen:?}"
        );
        assert!(seen.calls[1].get("Marker").is_some(), "{output}: {seen:?}");
    }
}

#[test]
fn l3_several_tokens_one_of_them_dropped() {
    let m = model(
        "ListResourceRecordSets",
        json!({"input_token": ["StartName", "StartType", "StartId"],
               "output_token": ["NextName", "NextType", "NextId"],
               "more_results": "IsTruncated", "result_key": "Records"}),
    );
    let pages = [
        r#"{"Records": ["r1", "r2"], "IsTruncated": true, "NextName": "b.", "NextType": "A", "NextId": {"k": [1, 2]}}"#,
        r#"{"Records": ["r3"], "IsTruncated": true, "NextName": "c.", "NextType": 12}"#,
        r#"{"Records": ["r4"], "IsTruncated": false}"#,
    ];
    let seen = every_way(&m, &pages, "Records", "Records");
    assert_eq!(
        seen.calls[1..],
        [
            json!({"Fixed": "param", "StartName": "b.", "StartType": "A", "StartId": {"k": [1, 2]}}),
            json!({"Fixed": "param", "StartName": "c.", "StartType": 12}),
        ]
    );
    let (_, rest) = cut_and_resume(&m, &pages, 2, 1);
    assert_eq!(rest.results(), [ok(json!("r3")), ok(json!("r4"))]);
}

#[test]
fn m1_r6_a_string_primary_is_counted_cut_and_resumed_in_characters() {
    let m = model(
        "DownloadDBLogFilePortion",
        json!({"input_token": "Marker", "output_token": "Marker", "more_results": "AdditionalDataPending",
               "result_key": "LogFileData", "limit_key": "NumberOfLines"}),
    );
    let pages = [
        r#"{"LogFileData": "añ😀\n", "Marker": "1:4", "AdditionalDataPending": true}"#,
        r#"{"LogFileData": "x\u00e9z", "Marker": "1:7", "AdditionalDataPending": false}"#,
    ];
    every_way(&m, &pages, "LogFileData", "LogFileData");
    let (first, rest) = cut_and_resume(&m, &pages, 2, 0);
    assert_eq!(first.results(), [ok(json!("a")), ok(json!("ñ"))]);
    assert_eq!(
        dec(&first.last_token().unwrap()),
        r#"{"Marker": null, "boto_truncate_amount": 2}"#
    );
    assert_eq!(
        rest.results(),
        ["😀", "\n", "x", "é", "z"].map(|c| ok(json!(c)))
    );
    let (_, rest) = cut_and_resume(&m, &pages, 5, 1);
    assert_eq!(rest.results(), ["é", "z"].map(|c| ok(json!(c))));
}

#[test]
fn r6_r8_an_object_primary_takes_no_offset_and_its_item_tokens_fetch_the_page_again() {
    let m = model(
        "GetThings",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": "Things"}),
    );
    let pages = [
        r#"{"Things": {"b": 1, "a": {"x": 2}}, "NextMarker": "m1"}"#,
        r#"{"Things": {"c": 3}}"#,
    ];
    for view in View::all("Things", "keys(Things)") {
        both(&m, &texts(&pages), &Opts::default(), view);
    }
    let items = both(&m, &texts(&pages), &Opts::default(), View::Items);
    assert_eq!(
        items.results(),
        [ok(json!("b")), ok(json!("a")), ok(json!("c"))]
    );
    // R8: inside the object no offset can say where, so the token fetches the page again.
    let token = items.steps[0].1.clone().unwrap();
    assert!(
        !dec(&token).contains("boto_truncate_amount"),
        "{}",
        dec(&token)
    );
    // R6: a token with an offset into an object primary is refused on that page.
    let offset = Opts {
        token: Some(enc(r#"{"Marker": "m0", "boto_truncate_amount": 1}"#)),
        ..Opts::default()
    };
    let refused = both(&m, &texts(&pages), &offset, View::Pages);
    assert!(
        refused.results()[0].ends_with("which cannot be cut)"),
        "{refused:?}"
    );
    // M2: cutting an object is refused too.
    let cut = Opts {
        max_items: Some(1),
        ..Opts::default()
    };
    let refused = both(&m, &texts(&pages), &cut, View::Items);
    assert!(
        refused.results()[0].contains("result key `Things` on page 1"),
        "{refused:?}"
    );
}

#[test]
fn r6_r7_secondary_keys_are_blanked_on_a_resume_with_an_offset() {
    let m = model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker",
               "result_key": ["Contents", "CommonPrefixes", "Count", "Label", "Info", "Missing"]}),
    );
    let pages = [
        r#"{"Contents": ["a", "b", "c"], "CommonPrefixes": ["p/"], "Count": 3, "Label": "l", "Info": {"k": 1}, "NextMarker": "m2"}"#,
        r#"{"Contents": ["d"], "CommonPrefixes": ["q/"], "Count": 1, "Label": "m"}"#,
    ];
    let start = |offset: u64| Opts {
        token: Some(enc(&format!(
            r#"{{"Marker": "m1", "boto_truncate_amount": {offset}}}"#
        ))),
        ..Opts::default()
    };
    let seen = both(&m, &texts(&pages), &start(1), View::Pages);
    assert_eq!(
        seen.results(),
        [
            ok(
                json!({"Contents": ["b", "c"], "CommonPrefixes": [], "Count": 3, "Label": "", "Info": null, "NextMarker": "m2"})
            ),
            ok(json!({"Contents": ["d"], "CommonPrefixes": ["q/"], "Count": 1, "Label": "m"})),
        ]
    );
    for offset in [0, 2, 3, 9] {
        for max_items in [None, Some(1), Some(2)] {
            for view in View::all("CommonPrefixes", "[CommonPrefixes, Contents][]") {
                let opts = Opts {
                    max_items,
                    ..start(offset)
                };
                both(&m, &texts(&pages), &opts, view);
            }
        }
    }
    // R7: cut again on that first page, the new offset counts from the page's start.
    let cut = Opts {
        max_items: Some(1),
        ..start(1)
    };
    let first = both(&m, &texts(&pages), &cut, View::Pages);
    assert_eq!(
        dec(&first.last_token().unwrap()),
        r#"{"Marker": "m1", "boto_truncate_amount": 2}"#
    );
    // A token without an offset leaves the secondary keys as they are (R6, [ours]).
    let boundary = Opts {
        token: Some(enc(r#"{"Marker": "m1"}"#)),
        ..Opts::default()
    };
    let seen = both(
        &m,
        &texts(&pages),
        &boundary,
        View::ItemsOf("CommonPrefixes"),
    );
    assert_eq!(seen.results(), [ok(json!("p/")), ok(json!("q/"))]);
}

#[test]
fn m2_r2_max_items_cuts_mid_page_and_the_resume_hands_out_the_rest() {
    let m = model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker || Contents[-1].Key",
               "result_key": ["Contents", "CommonPrefixes"]}),
    );
    let pages = [
        r#"{"Contents": [{"Key": "a"}, {"Key": "b"}, {"Key": "c"}], "CommonPrefixes": ["p/"]}"#,
        r#"{"Contents": [{"Key": "d"}], "CommonPrefixes": ["q/"], "NextMarker": "x"}"#,
        r#"{"Contents": []}"#,
    ];
    for max_items in 0..=4 {
        // Cut inside page 1 (M2), or exactly at the end of page 1 or 2 (M3).
        let resume_at = match max_items {
            0..=2 => 0,
            3 => 1,
            _ => 2,
        };
        let (first, rest) = cut_and_resume(&m, &pages, max_items, resume_at);
        let mut all: Vec<String> = first.results().into_iter().map(str::to_owned).collect();
        all.extend(rest.results().into_iter().map(str::to_owned));
        let keys = ["a", "b", "c", "d"].map(|k| ok(json!({"Key": k})));
        assert_eq!(all, keys, "max_items {max_items}");
    }
    every_way(&m, &pages, "CommonPrefixes", "Contents[].Key");
}

#[test]
fn l6_repeated_tokens_and_cycles_under_every_policy() {
    let m = crate::listing();
    let repeated = [
        r#"{"Contents": ["a"], "NextMarker": "m1"}"#,
        r#"{"Contents": ["b"], "NextMarker": "m1"}"#,
        r#"{"Contents": ["c"]}"#,
    ];
    let cycle = [
        r#"{"Contents": ["a"], "NextMarker": {"k": 1, "j": [2]}}"#,
        r#"{"Contents": ["b"], "NextMarker": "B"}"#,
        r#"{"Contents": ["c"], "NextMarker": {"j": [2.0], "k": 1}}"#,
        r#"{"Contents": ["d"]}"#,
    ];
    for (pages, error) in [
        (&repeated[..], "the same next token"),
        (&cycle[..], "already seen earlier"),
    ] {
        for policy in [
            None,
            Some(DuplicateTokenPolicy::Error),
            Some(DuplicateTokenPolicy::Stop),
            Some(DuplicateTokenPolicy::Allow),
        ] {
            for view in View::all("CommonPrefixes", "Contents[]") {
                let opts = Opts {
                    policy,
                    ..Opts::default()
                };
                both(&m, &texts(pages), &opts, view);
            }
        }
        let seen = both(&m, &texts(pages), &Opts::default(), View::Pages);
        let last = *seen.results().last().unwrap();
        assert!(last.contains(error), "{last}");
        assert_eq!(seen.calls.len(), pages.len() - 1);
    }
}
