//! Reading a transport's reply into the page the engine takes (G8): a `Value` is the page as
//! it is; a body is read once, without a `Value` tree, its result lists split and a typed item
//! cursor's elements deserialized on that same pass ([`ItemSink`]). The engine's `Run` only
//! ever sees the [`TakenPage`] read here, never a reply or its bytes.

use crate::body::{Content, Reply, ReplyMeta};
use crate::error::preview;
use crate::model::Model;
use crate::page::TakenPage;
use crate::raw_page::{BodyPage, ItemSink, PageSink};

/// Why a body could not be read as JSON: serde_json's reason (or the UTF-8 error) and the
/// start of the body, for [`Error::PageNotJson`](crate::Error::PageNotJson).
#[derive(Debug)]
pub(crate) struct NotJson {
    pub(crate) reason: String,
    pub(crate) body: String,
}

/// The page in a transport's reply. A body is moved into the page, never copied. A body that
/// is a JSON object is read as one, and so is a bare array for a model whose result is the
/// page itself (`result_key = "@"`, P1); any other body is parsed as a `Value`, so one that is
/// JSON but of another type (which the run refuses as
/// [`Error::PageNotObject`](crate::Error::PageNotObject), L7, or
/// [`Error::PageNotArray`](crate::Error::PageNotArray)) is told apart from one that is not
/// JSON at all (`Err`).
///
/// What reads a body beside the run's own pass (G8): an item cursor's sink, which takes the
/// elements of its result key's list, or a run of typed pages' page type, read on the same
/// pass.
pub(crate) enum Readers<'a> {
    None,
    Items(&'a mut dyn ItemSink),
    Page(&'a mut dyn PageSink),
}

/// `readers` read the body beside the run's pass (G8).
pub(crate) fn read_reply(
    reply: Reply,
    model: &Model,
    readers: Readers<'_>,
) -> Result<(TakenPage, ReplyMeta), NotJson> {
    let (content, meta) = reply.into_parts();
    read_content(content, model, readers).map(|page| (page, meta))
}

fn read_content(
    content: Content,
    model: &Model,
    readers: Readers<'_>,
) -> Result<TakenPage, NotJson> {
    let body = match content {
        Content::Value(value) => return Ok(TakenPage::Value(value)),
        Content::Body(body) => body,
    };
    let text = String::from_utf8(body.into_bytes()).map_err(|e| NotJson {
        reason: format!("the body is not UTF-8 ({})", e.utf8_error()),
        body: preview(&String::from_utf8_lossy(e.as_bytes())),
    })?;
    let keys = &model.inner().result_keys;
    // A top-level key's list, or (P1) the page itself, named `""` as its slot is.
    let split = |key: &str| keys.iter().any(|k| k.is_slot() && k.top() == key);
    let (text, sink) = match readers {
        // A page type read on the run's pass; when that pass gives up, the run's own.
        Readers::Page(page) => match BodyPage::read_typed(text, &split, page) {
            Ok(page) => return Ok(TakenPage::Body(page)),
            Err(text) => (text, None),
        },
        Readers::Items(sink) => (text, Some(sink)),
        Readers::None => (text, None),
    };
    let sink = sink.and_then(|sink| {
        let Some(key) = keys.get(sink.key()) else {
            // A cursor's key is an index that `Run::result_key_index` found in this model.
            debug_assert!(
                false,
                "an item sink names result key {} of {}",
                sink.key(),
                keys.len()
            );
            return None;
        };
        // A key below the top level is not split: its cursor reads it from JSON.
        key.is_slot().then_some((key.top(), sink))
    });
    match BodyPage::read(text, &split, sink) {
        Ok(page) => Ok(TakenPage::Body(page)),
        Err(text) => serde_json::from_str(&text)
            .map(TakenPage::Value)
            .map_err(|e| NotJson {
                reason: e.to_string(),
                body: preview(&text),
            }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::body::Body;

    fn model() -> Model {
        let entry = json!({"input_token": "Marker", "output_token": "Next", "result_key": "Items"});
        match Model::from_botocore("ListThings", &entry) {
            Ok(model) => model,
            Err(e) => panic!("{e}"),
        }
    }

    fn read(reply: Reply) -> Result<TakenPage, NotJson> {
        read_reply(reply, &model(), Readers::None).map(|(page, _)| page)
    }

    fn whole_page_model() -> Model {
        let built = Model::builder("ListMessages")
            .input_token("before")
            .output_token("[-1].id")
            .result_key("@")
            .build();
        match built {
            Ok(model) => model,
            Err(e) => panic!("{e}"),
        }
    }

    /// P1, G8: for a model whose result is the page itself, a bare array is read without a
    /// `Value` tree, as one slot of element spans; an object is read as an object, which the
    /// run refuses as not an array; text that is not JSON is `NotJson`.
    #[test]
    fn p1_g8_a_bare_array_is_read_as_one_slot_for_a_whole_page_model() {
        let model = whole_page_model();
        let read = |text: &str| {
            read_reply(
                Reply::body(Body::from(text.to_owned())),
                &model,
                Readers::None,
            )
            .map(|(p, _)| p)
        };
        let page = read(r#" [{"id": 1}, {"id": 2}] "#);
        let Ok(TakenPage::Body(page)) = page else {
            panic!("expected a body page, got {page:?}");
        };
        assert_eq!((page.not_array(), page.not_object()), (None, Some("array")));
        assert_eq!(page.to_value().ok(), Some(json!([{"id": 1}, {"id": 2}])));
        let Ok(TakenPage::Body(object)) = read(r#"{"items": []}"#) else {
            panic!("an object is a body page");
        };
        assert_eq!(object.not_array(), Some("object"));
        assert!(matches!(read("[1, 2"), Err(NotJson { .. })));
        assert!(matches!(read("<html>"), Err(NotJson { .. })));
        assert!(matches!(
            read(r#""text""#),
            Ok(TakenPage::Value(Value::String(_)))
        ));
    }

    /// G8: a typed item cursor of `@` takes the array's elements as the body is read.
    #[test]
    fn p1_g8_a_typed_cursor_of_the_page_itself_takes_its_elements_as_it_is_read() {
        #[derive(serde::Deserialize)]
        struct Message {
            #[allow(dead_code)]
            id: u64,
        }
        let model = whole_page_model();
        let mut cursor = crate::results::ItemCursor::<Message>::new(0);
        let reply = Reply::body(Body::from(r#"[{"id": 1}, {"id": 2}]"#));
        let page = read_reply(reply, &model, Readers::Items(&mut cursor)).map(|(p, _)| p);
        let Ok(TakenPage::Body(page)) = page else {
            panic!("expected a body page, got {page:?}");
        };
        let slot = page.slot(crate::raw_page::WHOLE);
        assert!(
            matches!(slot, Some(crate::raw_page::TopValue::Items(items)) if items.typed && items.len() == 2),
            "{slot:?}"
        );
    }

    #[test]
    fn a_value_is_the_page_as_it_is() {
        let page = read(Reply::from(json!({"Items": [1]})));
        assert!(matches!(page, Ok(TakenPage::Value(v)) if v == json!({"Items": [1]})));
    }

    #[test]
    fn g8_a_body_is_read_without_a_value_tree() {
        let page = read(Reply::body(Body::from(r#"{"Items": [1, 2], "Next": "a"}"#)));
        let Ok(TakenPage::Body(page)) = page else {
            panic!("expected a body page, got {page:?}");
        };
        assert_eq!(
            page.to_value().ok(),
            Some(json!({"Items": [1, 2], "Next": "a"}))
        );
    }

    /// JSON that is not an object is a `Value` page, for the run to refuse (L7); text that
    /// is not JSON, or not UTF-8, is `NotJson` with the start of the body (G8).
    #[test]
    fn g8_l7_json_not_an_object_and_text_not_json_are_told_apart() {
        assert!(matches!(
            read(Reply::body(Body::from("[1, 2]"))),
            Ok(TakenPage::Value(Value::Array(_)))
        ));
        match read(Reply::body(Body::from("<html>oops"))) {
            Err(NotJson { body, .. }) => assert_eq!(body, "<html>oops"),
            other => panic!("expected NotJson, got {other:?}"),
        }
        match read(Reply::body(Body::new(vec![b'{', 0xff, b'}']))) {
            Err(NotJson { reason, .. }) => assert!(reason.contains("not UTF-8"), "{reason}"),
            other => panic!("expected NotJson, got {other:?}"),
        }
    }
}
