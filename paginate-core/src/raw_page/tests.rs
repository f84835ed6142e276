//! Pages that are bare arrays (P1), read from bodies without a `Value` tree (G8): one slot of
//! element spans, counted, cut and skipped (M1, M2, R6) as a top-level list is, and every
//! answer the same as the same page parsed into a `Value` gives.

use serde_json::{Value, json};

use super::*;
use crate::expr::{Expr, Path};
use crate::page::TakenPage;

/// Splits the page itself, as a model with `result_key = "@"` does.
fn whole(key: &str) -> bool {
    key == WHOLE
}

fn body(text: &str) -> BodyPage {
    match BodyPage::read(text.to_owned(), &whole, None) {
        Ok(page) => page,
        Err(text) => panic!("not read: {text}"),
    }
}

/// The page as a body and as a `Value`.
fn both(text: &str) -> [TakenPage; 2] {
    let value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    [TakenPage::Body(body(text)), TakenPage::Value(value)]
}

fn at() -> Path {
    Path::parse("@").unwrap_or_else(|_| panic!("`@` is a path"))
}

fn search(page: &TakenPage, source: &str) -> Option<Value> {
    let expr = Expr::compile(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    page.search(&expr)
        .unwrap_or_else(|e| panic!("{source}: {e:?}"))
}

fn typed(page: TakenPage) -> Result<Vec<Message>, String> {
    page.into_typed::<Vec<Message>>()
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Message {
    id: u64,
}

const PAGE: &str = r#" [ {"id": 1, "t": "a"}, {"id": 2, "t": "]\"["},
    {"id": 3, "t": [1, {"x": null}]}, {"id": 4} ] "#;

#[test]
fn p1_g8_a_bare_array_is_one_slot_of_element_spans() {
    let page = body(PAGE);
    assert_eq!((page.not_array(), page.not_object()), (None, Some("array")));
    let Some(TopValue::Items(items)) = page.slot(WHOLE) else {
        panic!("the page's slot is not a list: {page:?}");
    };
    assert_eq!((items.len(), items.typed), (4, false));
    assert_eq!(page.json_text(), PAGE, "an unchanged page is its text");
    let value: Value = serde_json::from_str(PAGE).unwrap_or_default();
    assert_eq!(page.to_value().ok(), Some(value));
    // An object is read as one, and is not an array; an empty array is an empty slot.
    assert_eq!(body(r#"{"": [1], "a": 2}"#).not_array(), Some("object"));
    let empty = body(" [ ] ");
    assert_eq!(empty.to_value().ok(), Some(json!([])));
    assert_eq!(TakenPage::Body(empty).count(&at()), Ok(0));
    // Not split, a list is not read: the caller parses it as a `Value`.
    assert!(BodyPage::read("[1]".to_owned(), &|_| false, None).is_err());
    assert!(BodyPage::read("[1] x".to_owned(), &whole, None).is_err());
}

/// M1, M2, R6 on the page itself: the body's slot and the `Value` page count, cut and skip
/// the same elements, and everything read of the page after says so.
#[test]
fn p1_m1_m2_r6_counting_cutting_and_skipping_the_page_itself() {
    for (skip, keep) in [(0, 9), (0, 4), (1, 2), (0, 0), (3, 9), (4, 1), (9, 9)] {
        let [mut page, mut value] = both(PAGE);
        for taken in [&mut page, &mut value] {
            assert_eq!(taken.count(&at()), Ok(4));
            assert_eq!(taken.skip_front(&at(), skip), Ok(()));
            assert_eq!(taken.truncate(&at(), keep), Ok(()));
        }
        let what = format!("skip {skip}, keep {keep}");
        assert_eq!(page.count(&at()), value.count(&at()), "{what}");
        for source in [
            "[-1].id",
            "[0].t",
            "[1]",
            "[-1].id || `7`",
            "length(@)",
            "[].id",
            "x",
        ] {
            assert_eq!(
                search(&page, source),
                search(&value, source),
                "{what}: {source}"
            );
        }
        let TakenPage::Body(body) = &page else {
            panic!("a body page");
        };
        let TakenPage::Value(expected) = &value else {
            panic!("a value page");
        };
        assert_eq!(body.to_value().ok().as_ref(), Some(expected), "{what}");
        let text: Value = serde_json::from_str(&body.json_text()).unwrap_or_default();
        assert_eq!(&text, expected, "{what}: {}", body.json_text());
        if let Some(TopValue::Items(items)) = body.slot(WHOLE) {
            let texts = body.element_texts(items).unwrap_or_default();
            let elements: Vec<Value> = texts
                .iter()
                .map(|t| serde_json::from_str(t).unwrap_or_default())
                .collect();
            assert_eq!(Some(&Value::Array(elements)), Some(expected), "{what}");
        }
        assert_eq!(typed(page), typed(value), "{what}");
    }
}

/// G8: an expression that indexes the page reads only the elements it indexes.
#[test]
fn p1_g8_a_view_of_an_array_page_holds_only_the_elements_indexed() {
    let page = body(PAGE);
    let view = |source: &str| {
        let expr = Expr::compile(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        page.view(expr.needs()).ok()
    };
    assert_eq!(view("[-1].id"), Some(json!([null, null, null, {"id": 4}])));
    assert_eq!(
        view("[0].id || [-3]"),
        Some(json!([{"id": 1, "t": "a"}, {"id": 2, "t": "]\"["}, null, null]))
    );
    assert_eq!(view("[9]"), Some(json!([null, null, null, null])));
    // Keys of a list are `null`, whatever it holds.
    assert_eq!(view("NextId"), Some(json!([])));
    let value: Value = serde_json::from_str(PAGE).unwrap_or_default();
    assert_eq!(view("length(@)"), Some(value));
}

/// A sink that counts the elements it takes, as a typed item cursor deserializes them.
#[derive(Default)]
struct Counting(usize);

impl ItemSink for Counting {
    fn key(&self) -> usize {
        0
    }
    fn start(&mut self) {
        self.0 = 0;
    }
    fn take(&mut self, text: &str) -> Option<usize> {
        let mut values = serde_json::Deserializer::from_str(text).into_iter::<Checked>();
        values.next()?.ok()?;
        self.0 += 1;
        Some(values.byte_offset())
    }
    fn take_list(&mut self, text: &str) -> Option<(usize, usize)> {
        let mut values = serde_json::Deserializer::from_str(text).into_iter::<Vec<Message>>();
        let list = values.next()?.ok()?;
        self.0 = list.len();
        Some((values.byte_offset(), list.len()))
    }
}

/// G8: a typed item cursor of `@` takes the page's elements on the pass that reads it, in one
/// go or, when one is not its type, one at a time.
#[test]
fn p1_g8_a_typed_item_cursor_takes_the_elements_of_the_page_as_it_is_read() {
    for (text, count) in [(PAGE, 4), (r#"[{"id": 1}, "no", {"id": 3}]"#, 3), ("[]", 0)] {
        let mut sink = Counting::default();
        let read = BodyPage::read(text.to_owned(), &whole, Some((WHOLE, &mut sink)));
        let Ok(page) = read else {
            panic!("{text}: not read");
        };
        let Some(TopValue::Items(items)) = page.slot(WHOLE) else {
            panic!("{text}: no list");
        };
        assert_eq!(
            (items.typed, items.received(), sink.0),
            (true, count, count)
        );
    }
    // A sink of another key takes nothing of the page.
    let mut sink = Counting::default();
    let read = BodyPage::read(PAGE.to_owned(), &whole, Some(("items", &mut sink)));
    assert!(matches!(read, Ok(ref page) if page.slot(WHOLE).is_some()));
    assert_eq!(sink.0, 0);
}
