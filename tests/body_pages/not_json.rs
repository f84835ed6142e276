//! G8, L7: a body that is not UTF-8 JSON is `Error::PageNotJson` naming the operation and the
//! page; the pages before it were handed out as usual, the run ends, and its resume token
//! fetches that same page again. Only the body path can carry such bytes.

use paginate_tests::{Wire, enc};
use paginated::Error;
use serde_json::{Value, json};

use crate::{Answer, MODES, Opts, View, listing, observe, shown, text};

/// Bodies no JSON parser accepts: markup, JSON cut short, bytes that are not UTF-8 (inside a
/// string and outside one), nothing at all, and a document followed by more; and bodies that
/// serde_json refuses to read into a `Value` (lone surrogates, numbers out of range, nesting
/// past its limit).
fn broken() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("markup", b"<html>503 Service Unavailable</html>".to_vec()),
        (
            "truncated",
            br#"{"Contents": ["c", "d"], "NextMar"#.to_vec(),
        ),
        (
            "not UTF-8 in a string",
            b"{\"Contents\": [\"\xff\xfe\"]}".to_vec(),
        ),
        ("not UTF-8 outside", b"\xef\xbb{\"Contents\": []}".to_vec()),
        ("empty", Vec::new()),
        (
            "trailing text",
            br#"{"Contents": []} {"Contents": []}"#.to_vec(),
        ),
        // Well-formed text that a `Value` refuses, and so must the body path: a token, an
        // item and a key no run would read, each checked as a `Value` checks it.
        (
            "a lone surrogate in a token",
            br#"{"Contents": ["c"], "NextMarker": "m\ud800"}"#.to_vec(),
        ),
        (
            "a number out of range in an item",
            br#"{"Contents": [{"Key": "c", "Size": 1e400}]}"#.to_vec(),
        ),
        (
            "a lone surrogate in a key",
            br#"{"Contents": ["c"], "Ot\udc00her": 1}"#.to_vec(),
        ),
        ("nested deeper than a Value reads", {
            let mut deep = br#"{"Contents": ["c"], "Other": "#.to_vec();
            deep.extend(std::iter::repeat_n(b'[', 200));
            deep.extend(std::iter::repeat_n(b']', 200));
            deep.push(b'}');
            deep
        }),
    ]
}

fn first_page() -> Answer {
    text(r#"{"Contents": ["a", "b"], "CommonPrefixes": ["p/"], "NextMarker": "m1"}"#)
}

/// The page a broken body is a retry of, answered well this time.
fn second_page() -> Answer {
    text(r#"{"Contents": ["c", "d"]}"#)
}

/// Asserts that `result` is `PageNotJson` for page `page` of `ListObjects` (`"1 (counted from
/// where the run resumed)"` for a run resumed from a cursor).
fn assert_not_json(result: &str, page: impl std::fmt::Display, what: &str) {
    let named = format!("Err(ListObjects: page {page} is not JSON: ");
    assert!(
        result.starts_with(&named),
        "{what}: expected PageNotJson for page {page}, got {result}"
    );
}

#[test]
fn g8_a_body_that_is_not_json_names_its_page_and_its_token_fetches_it_again() {
    for (what, bytes) in broken() {
        for mode in MODES {
            let script = [first_page(), Answer::Raw(bytes.clone()), second_page()];
            let pages = observe(
                &listing(),
                &script,
                &Opts::default(),
                View::Pages,
                Wire::Body,
                mode,
            );
            let results = pages.results();
            assert_eq!(
                results.len(),
                2,
                "{what} {mode:?}: one page, then the error: {pages:?}"
            );
            let page1: Value =
                json!({"Contents": ["a", "b"], "CommonPrefixes": ["p/"], "NextMarker": "m1"});
            assert_eq!(results[0], shown::<Value>(Ok(page1)), "{what} {mode:?}");
            assert_not_json(results[1], 2, what);
            // L7: the token after the error fetches page 2 again; only the two requests went out.
            let retry = enc(r#"{"Marker": "m1"}"#);
            assert_eq!(pages.last_token(), Some(retry.clone()), "{what} {mode:?}");
            assert_eq!(
                pages.calls,
                [
                    json!({"Fixed": "param"}),
                    json!({"Fixed": "param", "Marker": "m1"})
                ],
                "{what} {mode:?}"
            );

            // Items: every item of page 1 came out before the error, and the item token after
            // it resumes at the start of page 2, so nothing is skipped or repeated (R2).
            let items = observe(
                &listing(),
                &script,
                &Opts::default(),
                View::Items,
                Wire::Body,
                mode,
            );
            let results = items.results();
            assert_eq!(
                &results[..2],
                ["Ok(String(\"a\"))", "Ok(String(\"b\"))"],
                "{what} {mode:?}"
            );
            assert_not_json(results[2], 2, what);
            assert_eq!(results.len(), 3, "{what} {mode:?}");
            assert_eq!(items.last_token(), Some(retry.clone()), "{what} {mode:?}");

            // The full result is the error itself.
            let full = observe(
                &listing(),
                &script,
                &Opts::default(),
                View::Full,
                Wire::Body,
                mode,
            );
            assert_not_json(&full.end, 2, what);

            // Resuming from the token asks for page 2 again and reads it.
            let resumed = Opts {
                token: Some(retry.clone()),
                ..Opts::default()
            };
            let rest = observe(
                &listing(),
                &[second_page()],
                &resumed,
                View::Items,
                Wire::Body,
                mode,
            );
            assert_eq!(
                rest.results(),
                ["Ok(String(\"c\"))", "Ok(String(\"d\"))"],
                "{what} {mode:?}"
            );
            assert_eq!(
                rest.calls,
                [json!({"Fixed": "param", "Marker": "m1"})],
                "{what}"
            );
            assert_eq!(rest.last_token(), None, "{what} {mode:?}");
        }
    }
}

/// On the first page of a resumed run, the token after the error is the starting token,
/// offset included (L7, R6): the page is fetched again and sliced again.
#[test]
fn g8_a_broken_first_page_of_a_resumed_run_keeps_the_starting_token() {
    let start = enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#);
    let opts = Opts {
        token: Some(start.clone()),
        ..Opts::default()
    };
    for (what, bytes) in broken() {
        for mode in MODES {
            for view in [View::Pages, View::Items, View::Search("Contents[]")] {
                let script = [Answer::Raw(bytes.clone())];
                let seen = observe(&listing(), &script, &opts, view, Wire::Body, mode);
                assert_eq!(seen.steps.len(), 1, "{what} {view:?} {mode:?}: {seen:?}");
                // A cursor does not say which page of the listing it is at.
                assert_not_json(
                    seen.results()[0],
                    "1 (counted from where the run resumed)",
                    what,
                );
                assert_eq!(
                    seen.last_token(),
                    Some(start.clone()),
                    "{what} {view:?} {mode:?}"
                );
            }
            let again = observe(
                &listing(),
                &[second_page()],
                &opts,
                View::Items,
                Wire::Body,
                mode,
            );
            assert_eq!(again.results(), ["Ok(String(\"d\"))"], "{what} {mode:?}");
        }
    }
}

/// The error carries the operation, the page, serde_json's reason and the start of the body.
#[test]
fn g8_page_not_json_has_its_fields() {
    use std::sync::Arc;
    let api = crate::Texts::new(
        Wire::Body,
        &[Answer::Raw(b"{\"Contents\": [1, 2,".to_vec())],
    );
    let mut pages = listing().paginate(Arc::clone(&api), json!({}));
    match pages.next() {
        Some(Err(Error::PageNotJson {
            operation,
            page,
            reason,
            body,
        })) => {
            assert_eq!(
                (operation.as_str(), page.in_listing()),
                ("ListObjects", Some(1))
            );
            assert!(reason.contains("EOF"), "{reason}");
            assert_eq!(body, "{\"Contents\": [1, 2,");
        }
        other => panic!("expected PageNotJson, got {other:?}"),
    }
    assert!(pages.next().is_none(), "the run ends after the error (L7)");
}

/// G8: a typed item cursor reads its elements as its type reads them, so a field the type
/// skips is checked only as serde skips it. When an expression needs such an element as a
/// `Value` (here `Contents[-1].Key`, the token once `NextMarker` is missing), the element is
/// read as a `Value` then, and one that a `Value` cannot hold makes the page not JSON, as it is
/// on the Value path: the token is never silently `null`, which would end the listing early.
#[test]
fn g8_an_element_a_typed_cursor_skipped_part_of_is_checked_when_a_token_reads_it() {
    let model = paginate_tests::model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker || Contents[-1].Key",
               "more_results": "IsTruncated", "result_key": "Contents"}),
    );
    let page = r#"{"Contents": [{"Key": "a"}, {"Key": "b", "Junk": 1e400}], "IsTruncated": true}"#;
    for mode in MODES {
        let typed = observe(
            &model,
            &[text(page)],
            &Opts::default(),
            View::TypedItems,
            Wire::Body,
            mode,
        );
        let results = typed.results();
        assert_eq!(results.len(), 1, "{mode:?}: {typed:?}");
        assert_not_json(results[0], 1, "a skipped number out of range");
        assert!(results[0].contains("number out of range"), "{results:?}");
        // The token fetches page 1 again (L7), and nothing else was sent.
        assert_eq!(
            typed.last_token(),
            Some(enc(r#"{"Marker": null}"#)),
            "{mode:?}"
        );
        assert_eq!(typed.calls.len(), 1, "{mode:?}");
    }
    // Where the type skips a field no expression reads, serde's skipping is what checks it,
    // as when the caller deserializes the body themselves: the items come.
    let later = r#"{"Contents": [{"Key": "a", "Junk": 1e400}, {"Key": "b"}]}"#;
    let typed = observe(
        &model,
        &[text(later)],
        &Opts::default(),
        View::TypedItems,
        Wire::Body,
        MODES[0],
    );
    assert_eq!(typed.results().len(), 2, "{typed:?}");
    assert!(
        typed.results().iter().all(|r| r.starts_with("Ok(")),
        "{typed:?}"
    );
}
