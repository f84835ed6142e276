//! Typed pages read in one pass (G8): the slots the one pass finds are those the run's own
//! pass finds, the page type read on it is the type read from the text, and whatever the one
//! pass cannot follow gives it up, so that the page is read in two passes as before.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use super::*;

/// Splits the lists of `Items` and `More`, as a model with those result keys does.
fn split(key: &str) -> bool {
    key == "Items" || key == "More"
}

/// The slots of `text` as the run's pass finds them.
fn two_pass(text: &str) -> BodyPage {
    match BodyPage::read(text.to_owned(), &split, None) {
        Ok(page) => page,
        Err(text) => panic!("the run's pass did not read {text}"),
    }
}

/// `text` read in one pass as a `Q`: the page and the `Q`, or `None` when the pass gave up.
fn one_pass<Q: DeserializeOwned>(text: &str) -> Option<(BodyPage, Q)> {
    let mut typed = TypedPage::<Q>::new();
    let page = BodyPage::read_typed(text.to_owned(), &split, &mut typed).ok()?;
    let read = typed.take();
    assert!(
        read.is_some(),
        "a page read in one pass keeps its type: {text}"
    );
    read.map(|read| (page, read))
}

/// Asserts that the one pass reads `text` as a `Q`, finding the run's slots, and the `Q`
/// that the text gives.
fn same<Q: DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
    let Some((page, read)) = one_pass::<Q>(text) else {
        panic!("the one pass gave up on {text}");
    };
    let expected = two_pass(text);
    assert_eq!(
        format!("{:?}", page.fields),
        format!("{:?}", expected.fields),
        "the slots of {text}"
    );
    assert!(!page.changed() && !page.is_array);
    let from_text: Q = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(read, from_text, "the page type read from {text}");
}

#[derive(Debug, PartialEq, Deserialize)]
struct Item {
    id: u64,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Page {
    #[serde(rename = "Items", default)]
    items: Vec<Item>,
    #[serde(rename = "Next")]
    next: Option<String>,
}

/// Pages whose lists lie first, in the middle, last and alone, with and without whitespace,
/// with brackets, braces and escaped quotes inside strings.
const PAGES: &[&str] = &[
    r#"{"Items": [{"id": 1}, {"id": 2}], "Next": "a"}"#,
    r#"{"Next": "a", "Items": [{"id": 1}, {"id": 2}]}"#,
    r#"{"Name": "x", "Items": [{"id": 1}], "Next": null, "Tail": {"k": [1, 2]}}"#,
    r#"{"Items":[{"id":1,"s":"],\"}["}]}"#,
    "\n{ \"Items\" :\t[ {\"id\": 7} ,{\"id\": 8}\n ]\r\n , \"Next\" : \"b\" }\n ",
    r#"{"Items": []}"#,
    r#"{"Items": [], "More": [1, [2, 3], {"a": "]"}], "Next": "c"}"#,
    r#"{"Items": null, "Next": "d"}"#,
    r#"{"Items": {"id": 1}, "More": "text"}"#,
    r#"{"Other": [1, 2, 3], "Items": [{"id": 5, "extra": [true, {"x": null}]}]}"#,
    r#"{"Next": "\u00e9\"\\", "Items": [{"id": 3}]}"#,
    "{}",
];

#[test]
fn g8_a_typed_page_and_its_slots_come_from_one_pass() {
    for text in PAGES {
        same::<Value>(text);
        if !text.contains("\"Items\": {") && !text.contains("\"Items\": null") {
            same::<Page>(text);
        }
    }
}

/// A type that reads a list other than element by element, or not at all, or inside an
/// `Option`: the list is counted all the same.
#[test]
fn g8_a_list_the_type_skips_or_keeps_raw_is_counted_all_the_same() {
    #[derive(Debug, Deserialize)]
    struct Raw {
        #[serde(rename = "Items")]
        items: Box<RawValue>,
    }
    impl PartialEq for Raw {
        fn eq(&self, other: &Raw) -> bool {
            self.items.get() == other.items.get()
        }
    }
    #[derive(Debug, PartialEq, Deserialize)]
    struct Skips {
        #[serde(rename = "Next")]
        next: Option<String>,
    }
    #[derive(Debug, PartialEq, Deserialize)]
    struct Optional {
        #[serde(rename = "Items")]
        items: Option<Vec<Item>>,
    }
    #[derive(Debug, PartialEq, Deserialize)]
    struct Pair {
        #[serde(rename = "Items")]
        items: (Item, Item),
    }
    #[derive(Debug, PartialEq, Deserialize)]
    struct Flattened {
        #[serde(flatten)]
        page: Page,
        #[serde(flatten)]
        rest: std::collections::BTreeMap<String, Value>,
    }
    let text = r#"{"Items": [{"id": 1}, {"id": 2}], "Next": "a", "Name": "x"}"#;
    same::<Raw>(text);
    same::<Skips>(text);
    same::<Optional>(text);
    same::<Pair>(text);
    same::<Flattened>(text);
    same::<std::collections::HashMap<String, Value>>(text);
}

/// What the one pass cannot follow gives it up, keeping nothing: the page is then read in
/// two passes, which knows what to do (the last of a key written twice counts; an escaped key
/// is the key it spells; the type's error is worded as usual).
#[test]
fn g8_what_one_pass_cannot_follow_gives_it_up() {
    let gives_up = |text: &str| {
        let mut typed = TypedPage::<Page>::new();
        let read = BodyPage::read_typed(text.to_owned(), &split, &mut typed);
        assert!(read.is_err(), "the one pass read {text}");
        assert!(typed.take().is_none(), "the one pass kept a page of {text}");
    };
    gives_up(r#"{"Items": [{"id": 1}], "Items": [{"id": 2}]}"#);
    gives_up(r#"{"It\u0065ms": [{"id": 1}]}"#);
    gives_up(r#"[{"id": 1}]"#);
    gives_up(r#"{"Items": [{"id": "one"}]}"#);
    gives_up(r#"{"Items": [{"id": 1}]} trailing"#);
    gives_up(r#"{"Items": [{"id": 1}], "Next": 1e400}"#);
    gives_up("not json");
    // serde_json's raw-value marker as a key: a `Value`'s visitor would read the value's text
    // as JSON (`[1, 2]`), where the page is an object holding a string.
    let marker = r#"{"$serde_json::private::RawValue": "[1, 2]"}"#;
    gives_up(marker);
    assert!(
        one_pass::<Value>(marker).is_none(),
        "a `Value` read {marker}"
    );
    // A page type that is not a map.
    let mut typed = TypedPage::<Vec<Item>>::new();
    assert!(BodyPage::read_typed(r#"{"Items": []}"#.to_owned(), &split, &mut typed).is_err());
}

/// Every way to write a page's punctuation: each page, re-spaced with each kind of JSON
/// whitespace around each token, reads the same in one pass as in two.
#[test]
fn g8_any_whitespace_around_any_token_reads_the_same() {
    let tokens = [
        "{",
        "\"Name\"",
        ":",
        "\"x\"",
        ",",
        "\"Items\"",
        ":",
        "[",
        "{\"id\":1}",
        ",",
        "{\"id\":2}",
        "]",
        ",",
        "\"Next\"",
        ":",
        "\"a\"",
        "}",
    ];
    for space in [" ", "\n", "\t", "\r\n", "  \n\t"] {
        for at in 0..=tokens.len() {
            let mut text = String::new();
            for (i, token) in tokens.iter().enumerate() {
                if i == at || at == tokens.len() {
                    text.push_str(space);
                }
                text.push_str(token);
            }
            text.push_str(if at == tokens.len() { space } else { "" });
            same::<Page>(&text);
            same::<Value>(&text);
        }
    }
}
