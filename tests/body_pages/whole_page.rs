//! Pages that are bare arrays (`result_key = "@"`, P1), over bodies as over `Value`s (G8): the
//! page itself is the primary and only result, read from a body as one list of element spans
//! without a `Value` tree. Tokens come from the page's last element (Discord's
//! `before = [-1].id`) or from a `Link` header (GitHub's `next_url = link('next')`, P2, P10);
//! `max_items` counts, cuts and resumes inside the array (M1, M2, R6, R7); typed items, pages
//! and full results read it as `Vec<T>`; the full result is the concatenation of the arrays
//! (G4); a page that is an object is `Error::PageNotArray`, and its resume token fetches it
//! again (L7). Each case runs both paths (`both`) and asserts the answer SEMANTICS.md gives.

use paginate_tests::{dec, enc};
use paginated::Model;
use serde_json::{Value, json};

use crate::{Answer, Item, Opts, Seen, View, both, shown, texts};

fn ok(value: Value) -> String {
    shown::<Value>(Ok(value))
}

/// Discord's messages: newest first, the next page `before` the last message's id.
fn messages() -> Model {
    Model::builder("ListMessages")
        .input_token("before")
        .output_token("[-1].id")
        .result_key("@")
        .limit_key("limit")
        .build()
        .unwrap()
}

/// GitHub's issues: the next page's URL in the `Link` header.
fn issues() -> Model {
    Model::builder("ListIssues")
        .result_key("@")
        .next_url("link('next')")
        .build()
        .unwrap()
}

/// Every view of a model whose pages are arrays.
const VIEWS: [View; 8] = [
    View::Pages,
    View::Items,
    View::ItemsOf("@"),
    View::Search("[?id > `5`].Key"),
    View::Full,
    View::TypedArrayPages,
    View::TypedItems,
    View::TypedArrayFull,
];

/// Every view with `max_items` from none to 6, from the start.
fn every_way(m: &Model, answers: &[Answer]) {
    for max_items in [
        None,
        Some(0),
        Some(1),
        Some(2),
        Some(3),
        Some(4),
        Some(5),
        Some(6),
    ] {
        for view in VIEWS {
            let opts = Opts {
                max_items,
                ..Opts::default()
            };
            both(m, answers, &opts, view);
        }
    }
}

/// A run cut by `max_items`, then one resumed from its token over the answers from the one
/// the token fetches (M2, R2, R7): both paths.
fn cut_and_resume(m: &Model, answers: &[Answer], max_items: u64, at: usize) -> (Seen, Seen) {
    let cut = Opts {
        max_items: Some(max_items),
        ..Opts::default()
    };
    let first = both(m, answers, &cut, View::Items);
    let resumed = Opts {
        token: first.last_token(),
        ..Opts::default()
    };
    assert!(resumed.token.is_some(), "max_items cut the run: {first:?}");
    let rest = both(m, &answers[at..], &resumed, View::Items);
    (first, rest)
}

fn message(id: u64, key: &str) -> Value {
    json!({"id": id, "Key": key, "author": {"name": "n", "roles": [1, 2]}})
}

const MESSAGES: [&str; 3] = [
    r#"[{"id": 9, "Key": "i", "author": {"name": "n", "roles": [1, 2]}},
        {"id": 8, "Key": "h", "author": {"name": "n", "roles": [1, 2]}},
        {"id": 7, "Key": "g", "author": {"name": "n", "roles": [1, 2]}}]"#,
    r#" [ {"id": 6, "Key": "f", "author": {"name": "n", "roles": [1, 2]}} ,
          {"id": 5, "Key": "e", "author": {"name": "n", "roles": [1, 2]}} ] "#,
    "[]",
];

fn all_messages() -> Vec<Value> {
    [(9, "i"), (8, "h"), (7, "g"), (6, "f"), (5, "e")]
        .map(|(id, key)| message(id, key))
        .to_vec()
}

#[test]
fn p1_l2_a_token_from_the_last_element_of_the_page_itself() {
    let answers = texts(&MESSAGES);
    every_way(&messages(), &answers);
    let pages = both(&messages(), &answers, &Opts::default(), View::Pages);
    // L2: `[-1].id` of the empty page is `null`, so the listing ends there.
    assert_eq!(
        pages.calls,
        [
            json!({"Fixed": "param"}),
            json!({"Fixed": "param", "before": 7}),
            json!({"Fixed": "param", "before": 5}),
        ]
    );
    let items = both(&messages(), &answers, &Opts::default(), View::Items);
    assert_eq!(
        items.results(),
        all_messages().into_iter().map(ok).collect::<Vec<_>>()
    );
    // G4, P1: the full result is the concatenation of the arrays.
    let full = both(&messages(), &answers, &Opts::default(), View::Full);
    assert_eq!(full.end, ok(Value::Array(all_messages())));
    // G3: a search is evaluated on the page itself.
    let search = both(
        &messages(),
        &answers,
        &Opts::default(),
        View::Search("[-1].id"),
    );
    assert_eq!(
        search.results(),
        [ok(json!(7)), ok(json!(5)), ok(Value::Null)]
    );
}

#[test]
fn p1_m2_r6_r7_max_items_cuts_inside_the_array_and_resumes_from_the_token() {
    let answers = texts(&MESSAGES);
    let m = messages();
    // Inside page 1: no token has fetched it, so the position is the first request's.
    let (first, rest) = cut_and_resume(&m, &answers, 2, 0);
    assert_eq!(first.results(), [ok(message(9, "i")), ok(message(8, "h"))]);
    assert_eq!(
        dec(&first.last_token().unwrap()),
        r#"{"before": null, "boto_truncate_amount": 2}"#
    );
    assert_eq!(
        rest.results(),
        all_messages()[2..]
            .iter()
            .cloned()
            .map(ok)
            .collect::<Vec<_>>()
    );
    // Inside page 2, fetched `before` 7.
    let (first, rest) = cut_and_resume(&m, &answers, 4, 1);
    assert_eq!(first.results().len(), 4);
    assert_eq!(
        first.last_token(),
        Some(enc(r#"{"before": 7, "boto_truncate_amount": 1}"#))
    );
    assert_eq!(rest.results(), [ok(message(5, "e"))]);
    assert_eq!(
        rest.calls,
        [
            json!({"Fixed": "param", "before": 7}),
            json!({"Fixed": "param", "before": 5}),
        ]
    );
    // Exactly at the end of page 1 (M3): page 1's own token, no offset.
    let (first, rest) = cut_and_resume(&m, &answers, 3, 1);
    assert_eq!(first.last_token(), Some(enc(r#"{"before": 7}"#)));
    assert_eq!(rest.results().len(), 2);
    // A resumed run's typed views skip the same elements (R6).
    let resumed = Opts {
        token: Some(enc(r#"{"before": 7, "boto_truncate_amount": 1}"#)),
        ..Opts::default()
    };
    let typed = both(&m, &answers[1..], &resumed, View::TypedArrayPages);
    assert_eq!(
        typed.results(),
        [
            shown(Ok(vec![item("e")])),
            shown::<Vec<Item>>(Ok(Vec::new()))
        ]
    );
    let full = both(&m, &answers[1..], &resumed, View::Full);
    assert_eq!(full.end, ok(json!([message(5, "e")])));
}

fn item(key: &str) -> Item {
    Item {
        key: key.to_owned(),
        size: None,
    }
}

#[test]
fn p1_g1_g2_g4_typed_items_pages_and_full_results_are_vectors() {
    let answers = texts(&MESSAGES);
    let m = messages();
    let keys = ["i", "h", "g", "f", "e"];
    let items = both(&m, &answers, &Opts::default(), View::TypedItems);
    assert_eq!(items.results(), keys.map(|k| shown(Ok(item(k)))));
    let pages = both(&m, &answers, &Opts::default(), View::TypedArrayPages);
    assert_eq!(
        pages.results(),
        [
            shown(Ok(vec![item("i"), item("h"), item("g")])),
            shown(Ok(vec![item("f"), item("e")])),
            shown::<Vec<Item>>(Ok(Vec::new())),
        ]
    );
    let full = both(&m, &answers, &Opts::default(), View::TypedArrayFull);
    assert_eq!(
        full.end,
        shown(Ok(keys.map(item).into_iter().collect::<Vec<_>>()))
    );
    // Cut by `max_items`: the typed full result holds the items the run kept.
    let cut = Opts {
        max_items: Some(4),
        ..Opts::default()
    };
    let full = both(&m, &answers, &cut, View::TypedArrayFull);
    assert_eq!(
        full.end,
        shown(Ok(keys[..4].iter().map(|k| item(k)).collect::<Vec<_>>()))
    );
    // An element that is not an `Item`: an error in its place, and the next item comes (G2);
    // the page and the full result do not deserialize, on both paths alike (G1, G4).
    let bad = texts(&[r#"[{"id": 2, "Key": "b"}, {"id": 1, "Key": 5}, {"id": 0, "Key": "z"}]"#]);
    let items = both(&m, &bad, &Opts::default(), View::TypedItems);
    let results = items.results();
    assert_eq!(results.len(), 3, "{items:?}");
    assert!(
        results[1].starts_with("Err(ListMessages: item 1 of page 1 could not be read as "),
        "{}",
        results[1]
    );
    assert_eq!(results[2], shown(Ok(item("z"))));
    for view in [View::TypedArrayPages, View::TypedArrayFull] {
        let seen = both(&m, &bad, &Opts::default(), view);
        let error = seen
            .results()
            .first()
            .copied()
            .unwrap_or(&seen.end)
            .to_owned();
        assert!(error.starts_with("Err("), "{view:?}: {seen:?}");
    }
}

#[test]
fn p1_l7_a_page_that_is_an_object_is_page_not_array_and_is_fetched_again() {
    for (page, found) in [
        (r#"{"messages": [{"id": 1}]}"#, "object"),
        ("{}", "object"),
        (r#""no""#, "string"),
        ("null", "null"),
    ] {
        let answers = texts(&[MESSAGES[0], page]);
        for view in VIEWS {
            let seen = both(&messages(), &answers, &Opts::default(), view);
            let error = seen
                .results()
                .into_iter()
                .chain([seen.end.as_str()])
                .find(|r| r.starts_with("Err("))
                .unwrap_or_else(|| panic!("{page} {view:?}: {seen:?}"))
                .to_owned();
            assert!(
                error.starts_with(&format!(
                    "Err(ListMessages: page 2 is {found}, not a JSON array;"
                )),
                "{page} {view:?}: {error}"
            );
        }
        let pages = both(&messages(), &answers, &Opts::default(), View::Pages);
        // L7: the token fetches page 2 again.
        assert_eq!(pages.last_token(), Some(enc(r#"{"before": 7}"#)), "{page}");
    }
}

#[test]
fn p1_an_empty_array_is_a_page_without_items() {
    let m = messages();
    let empty = texts(&[" [ ] "]);
    every_way(&m, &empty);
    let items = both(&m, &empty, &Opts::default(), View::Items);
    assert!(items.results().is_empty(), "{items:?}");
    assert_eq!(items.calls.len(), 1);
    let full = both(&m, &empty, &Opts::default(), View::Full);
    assert_eq!(full.end, ok(json!([])));
    let typed = both(&m, &empty, &Opts::default(), View::TypedArrayFull);
    assert_eq!(typed.end, shown::<Vec<Item>>(Ok(Vec::new())));
}

fn issue(key: &str) -> Value {
    json!({"Key": key, "id": key.len(), "labels": [{"name": "bug"}]})
}

/// GitHub's pages: the `Link` header's `next` relation, absolute or relative to the URL that
/// fetched the page (P2, P10); the last page has none.
fn linked_issues() -> Vec<Answer> {
    let page = |keys: &[&str]| {
        let items: Vec<Value> = keys.iter().map(|k| issue(k)).collect();
        serde_json::to_string_pretty(&items).unwrap()
    };
    vec![
        Answer::Linked {
            page: page(&["a", "bb", "ccc"]),
            link: r#"<https://api.example.com/repos/o/r/issues?page=2>; rel="next", <https://api.example.com/repos/o/r/issues?page=3>; rel="last""#,
            url: None,
        },
        Answer::Linked {
            page: page(&["dddd", "e"]),
            link: r#"</repos/o/r/issues?page=3>; rel="next", </repos/o/r/issues?page=1>; rel="prev""#,
            url: Some("https://api.example.com/repos/o/r/issues?page=2"),
        },
        Answer::Linked {
            page: page(&["f"]),
            link: r#"<https://api.example.com/repos/o/r/issues?page=2>; rel="prev""#,
            url: Some("https://api.example.com/repos/o/r/issues?page=3"),
        },
    ]
}

#[test]
fn p1_p2_p10_next_urls_from_a_link_header_over_array_pages() {
    let m = issues();
    let answers = linked_issues();
    every_way(&m, &answers);
    let items = both(&m, &answers, &Opts::default(), View::TypedItems);
    let keys = ["a", "bb", "ccc", "dddd", "e", "f"];
    assert_eq!(items.results(), keys.map(|k| shown(Ok(item(k)))));
    // A request to a URL carries none of the first request's params (P2, P3), only the URL
    // (recorded as `@url`), resolved against the page's own when relative; the transport
    // refuses a request to any URL but the one the page's `Link` names.
    assert_eq!(
        items.calls,
        [
            json!({"Fixed": "param"}),
            json!({"@url": "https://api.example.com/repos/o/r/issues?page=2"}),
            json!({"@url": "https://api.example.com/repos/o/r/issues?page=3"}),
        ]
    );
    let full = both(&m, &answers, &Opts::default(), View::TypedArrayFull);
    assert_eq!(
        full.end,
        shown(Ok(keys.map(item).into_iter().collect::<Vec<_>>()))
    );
    // Cut inside page 2: the token holds the URL that fetched it, and resumes there (R7).
    let (first, rest) = cut_and_resume(&m, &answers, 4, 1);
    assert_eq!(
        dec(&first.last_token().unwrap()),
        r#"{"next_url": "https://api.example.com/repos/o/r/issues?page=2", "boto_truncate_amount": 1}"#
    );
    assert_eq!(
        first.results(),
        ["a", "bb", "ccc", "dddd"].map(|k| ok(issue(k)))
    );
    assert_eq!(rest.results(), [ok(issue("e")), ok(issue("f"))]);
    // The resumed run's first request goes to the token's URL, without the params (P2).
    assert_eq!(
        rest.calls,
        [
            json!({"@url": "https://api.example.com/repos/o/r/issues?page=2"}),
            json!({"@url": "https://api.example.com/repos/o/r/issues?page=3"}),
        ]
    );
}

/// G4, P1: a run whose pages come some as `Value`s and some as bodies merges them in order:
/// elements read from bodies join a list begun as JSON, and a page given as JSON after bodies
/// takes their merged text first.
#[test]
fn p1_g4_full_results_of_pages_given_on_both_wires_keep_their_order() {
    use paginated::{Reply, blocking};
    use std::sync::atomic::{AtomicUsize, Ordering};

    for wires in [
        [true, false, true],
        [false, true, false],
        [true, true, false],
    ] {
        let run = || {
            let next = AtomicUsize::new(0);
            blocking::from_fn(move |_request| {
                let at = next.fetch_add(1, Ordering::SeqCst);
                let page = MESSAGES[at].to_owned();
                let reply = match wires[at] {
                    true => Reply::body(page),
                    false => Reply::value(serde_json::from_str(&page).unwrap()),
                };
                Ok::<_, paginate_tests::FakeError>(reply)
            })
        };
        let full = messages().paginate(&run(), json!({})).build_full_result();
        assert_eq!(
            full.unwrap(),
            Value::Array(all_messages()),
            "bodies at {wires:?}"
        );
        let typed = messages()
            .paginate(&run(), json!({}))
            .build_full_result_as::<Vec<Item>>();
        let keys = ["i", "h", "g", "f", "e"];
        assert_eq!(typed.unwrap(), keys.map(item), "bodies at {wires:?}");
    }
}
