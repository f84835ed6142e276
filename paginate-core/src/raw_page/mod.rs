//! A page read from a response body without a `serde_json::Value` tree (G8).
//!
//! One pass over the text finds the page's top-level keys and where each value lies; for the
//! model's top-level result keys that hold lists, where each list lies and how many elements
//! it has, and a typed item cursor's elements are deserialized on that same pass
//! ([`ItemSink`]). A page that is a bare array (P1, `result_key = "@"`) is read the same way,
//! as one slot named [`WHOLE`] holding its elements. Everything after works on those spans:
//! counting, cutting and skipping (M1, M2, R6) change how many of a list's elements are kept,
//! typed results are deserialized from the text, and `Value`s are built only of what an
//! expression reads ([`Needs`]) or what is handed out as JSON.
//!
//! - `mod.rs`: [`BodyPage`], its slots and lists, and what is read of them.
//! - `scan.rs`: the one pass over the text, and [`ItemSink`].
//! - `find.rs`: one element of a list already read, found without reading every element.
//! - `tests.rs`: pages that are bare arrays (P1).

use std::ops::Range;

mod find;
mod list_watch;
mod scan;
#[cfg(test)]
mod tests;
mod typed_page;
#[cfg(test)]
mod typed_page_tests;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::expr::{KeyNeed, Needs};
use find::{last_element, nth_element};
pub(crate) use list_watch::{Counted, ListWatch};
use scan::scan;
pub(crate) use scan::{Checked, ItemSink};
pub(crate) use typed_page::{PageSink, TypedPage};

/// The name of the one slot of a page that is a bare array (P1): the `top()` of the path
/// `@`, which has no identifiers. Only an array page has this slot; an object's key written
/// `""` is an ordinary key of an object page.
pub(crate) const WHOLE: &str = "";

/// Where a value lies in the body's text.
type Span = Range<usize>;

/// JSON's whitespace: what may stand between a value and the punctuation around it.
const JSON_SPACE: [char; 4] = [' ', '\t', '\n', '\r'];

/// One top-level value of a body page.
#[derive(Debug, Clone)]
pub(crate) enum TopValue {
    /// A value the engine has not needed: its text.
    Raw(Span),
    /// A top-level result key holding a list: its elements' text, as cut and skipped so far.
    Items(ItemSpans),
    /// A value read into JSON: a result key that is not a list, or one a rule changed.
    Json(Value),
}

/// A top-level result key's list, as cut and skipped so far: where it lies and how many
/// elements it has. The elements' own texts are found only when something needs them.
#[derive(Debug, Clone, Default)]
pub(crate) struct ItemSpans {
    /// Where the list lies, `[` to `]`.
    list: Span,
    /// How many elements it has, as received.
    count: usize,
    /// How many were dropped from the front (R6): the elements kept are
    /// `front..front + kept` of the list as received.
    pub(crate) front: usize,
    kept: usize,
    /// Whether an [`ItemSink`] took the list's elements as it was read.
    pub(crate) typed: bool,
}

impl ItemSpans {
    fn new(list: Span, count: usize, typed: bool) -> ItemSpans {
        ItemSpans {
            list,
            count,
            front: 0,
            kept: count,
            typed,
        }
    }

    /// The number of elements kept.
    pub(crate) fn len(&self) -> usize {
        self.kept
    }

    /// The number of elements the list had as received.
    pub(crate) fn received(&self) -> usize {
        self.count
    }

    /// Whether every element is kept.
    fn whole(&self) -> bool {
        self.front == 0 && self.kept == self.count
    }

    /// M2: keeps the first `keep`.
    pub(crate) fn truncate(&mut self, keep: usize) {
        self.kept = self.kept.min(keep);
    }

    /// R6: drops the first `count`.
    pub(crate) fn skip_front(&mut self, count: usize) {
        let count = count.min(self.kept);
        self.front += count;
        self.kept -= count;
    }

    /// R6: keeps none.
    pub(crate) fn clear(&mut self) {
        self.skip_front(self.kept);
    }
}

/// A page body: its text and its top-level keys, in the order they first appear; of a key
/// written twice, the last value counts, as when the text is parsed into a `Value`.
#[derive(Debug)]
pub(crate) struct BodyPage {
    text: String,
    fields: Vec<(String, TopValue)>,
    /// Whether the fields no longer say what the text says (a key written twice, a rule's
    /// edit): typed pages are then read from the fields written out again.
    changed: bool,
    /// Whether the page is a bare array (P1): `fields` is then its one slot, [`WHOLE`].
    is_array: bool,
}

/// A part of a body that a `Value` cannot hold after all (a value a typed item cursor's type
/// skipped, read as a `Value` when an expression needs it): serde_json's reason.
#[derive(Debug)]
pub(crate) struct NotValue(pub(crate) serde_json::Error);

impl BodyPage {
    /// Reads `text`, splitting the lists of the top-level keys for which `split` is true;
    /// when `split` is true of [`WHOLE`], a text that is a list is read as that one slot (P1).
    /// A text the pass cannot read (not JSON, or neither an object nor such a list: the caller
    /// tells them apart by parsing it as a `Value`) is given back as the error.
    pub(crate) fn read(
        text: String,
        split: &dyn Fn(&str) -> bool,
        sink: Option<(&str, &mut dyn ItemSink)>,
    ) -> Result<BodyPage, String> {
        let Some(scanned) = scan(&text, split, sink) else {
            return Err(text);
        };
        Ok(BodyPage {
            text,
            fields: scanned.fields,
            changed: scanned.changed,
            is_array: scanned.is_array,
        })
    }

    /// Reads `text` as [`BodyPage::read`] does, with the page type `page` reads deserialized
    /// on the same pass; the text is given back when that pass gives up (a page that is not
    /// an object among the reasons), for [`BodyPage::read`].
    pub(crate) fn read_typed(
        text: String,
        split: &dyn Fn(&str) -> bool,
        page: &mut dyn PageSink,
    ) -> Result<BodyPage, String> {
        match page.read(&text, split) {
            Some(fields) => {
                // Every debug run (tests, fuzzing) checks the one pass against the run's own,
                // where that reads the text at all (it also refuses what the type skipped and
                // a `Value` cannot hold, G8).
                #[cfg(debug_assertions)]
                if let Some(scanned) = scan(&text, split, None) {
                    debug_assert!(
                        !scanned.changed
                            && format!("{:?}", scanned.fields) == format!("{fields:?}"),
                        "one pass found {fields:?}, the run's pass {:?}, in {text:?}",
                        scanned.fields
                    );
                }
                Ok(BodyPage {
                    text,
                    fields,
                    changed: false,
                    is_array: false,
                })
            }
            None => Err(text),
        }
    }

    /// Whether the page no longer reads as its text: a key written twice, or a rule's edit.
    pub(crate) fn changed(&self) -> bool {
        self.changed
    }

    /// The JSON type of the page when it is not an array (P1).
    pub(crate) fn not_array(&self) -> Option<&'static str> {
        (!self.is_array).then_some("object")
    }

    /// The JSON type of the page when it is not an object (L7).
    pub(crate) fn not_object(&self) -> Option<&'static str> {
        self.is_array.then_some("array")
    }

    /// The text of `span`, a span the pass found in this very text.
    pub(crate) fn text_of(&self, span: &Span) -> &str {
        let text = self.text.get(span.clone());
        debug_assert!(
            text.is_some(),
            "span {span:?} is not in a body of {} bytes",
            self.text.len()
        );
        text.unwrap_or("null")
    }

    /// The top-level keys of an object page (none of an array page), as first written.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        let object = !self.is_array;
        self.fields
            .iter()
            .filter(move |_| object)
            .map(|(k, _)| k.as_str())
    }

    /// The slot of a top-level key, or of [`WHOLE`] on an array page.
    pub(crate) fn slot(&self, key: &str) -> Option<&TopValue> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, s)| s)
    }

    /// The slot of `key`, to be changed: the page no longer reads as its text.
    pub(crate) fn slot_mut(&mut self, key: &str) -> Option<&mut TopValue> {
        self.changed = true;
        self.fields
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, s)| s)
    }

    /// The value of `key` as JSON, read from the text once and kept. For the keys whose
    /// values the pass read as a `Value` reads them: every key but a typed item cursor's list,
    /// which is never changed this way (see [`BodyPage::checked`]).
    pub(crate) fn json_mut(&mut self, key: &str) -> Option<&mut Value> {
        let value = match self.slot(key)? {
            TopValue::Json(_) => None,
            other => Some(self.checked(other)),
        };
        // `slot` just found the key, and a slot not yet JSON is made JSON here.
        let slot = self.slot_mut(key);
        debug_assert!(slot.is_some(), "the slot of {key} went missing");
        let slot = slot?;
        if let Some(value) = value {
            *slot = TopValue::Json(value);
        }
        match slot {
            TopValue::Json(value) => Some(value),
            _ => {
                debug_assert!(false, "the slot of {key} is not JSON after it was made so");
                None
            }
        }
    }

    /// The JSON of a slot the pass read as a `Value` reads it ([`scan::Checked`]): any slot
    /// but the list a typed item cursor took, so reading it again cannot fail (if it did, the
    /// value would read as `null`). Only [`BodyPage::view`] reaches that list, and it reports
    /// a failure.
    pub(crate) fn checked(&self, slot: &TopValue) -> Value {
        self.materialize(slot).unwrap_or(Value::Null)
    }

    /// The JSON of a slot. What the pass read was read as a `Value` reads it
    /// ([`scan::Checked`]), except the elements a typed item cursor took, which were read as
    /// its type reads them: what that type skipped can still be refused here.
    fn materialize(&self, slot: &TopValue) -> Result<Value, NotValue> {
        match slot {
            TopValue::Raw(span) => self.parse(span),
            TopValue::Items(items) => self.elements(items).map(Value::Array),
            TopValue::Json(value) => Ok(value.clone()),
        }
    }

    /// The elements kept of a list, as JSON.
    fn elements(&self, items: &ItemSpans) -> Result<Vec<Value>, NotValue> {
        let all: Vec<Value> = serde_json::from_str(self.text_of(&items.list)).map_err(NotValue)?;
        Ok(all.into_iter().skip(items.front).take(items.kept).collect())
    }

    /// The texts of the elements kept of a list.
    pub(crate) fn element_texts(&self, items: &ItemSpans) -> Result<Vec<&str>, NotValue> {
        let all: Vec<&RawValue> =
            serde_json::from_str(self.text_of(&items.list)).map_err(NotValue)?;
        Ok(all
            .into_iter()
            .skip(items.front)
            .take(items.kept)
            .map(RawValue::get)
            .collect())
    }

    /// The text inside the brackets of a list of which every element is kept, for appending
    /// to another list's; `None` for a list that was cut or skipped.
    pub(crate) fn whole_interior(&self, items: &ItemSpans) -> Option<&str> {
        let list = self.text_of(&items.list);
        let inner = list.strip_prefix('[')?.strip_suffix(']')?;
        items.whole().then(|| inner.trim_matches(JSON_SPACE))
    }

    /// Element `at` of the elements kept of a list, as JSON.
    fn element(&self, items: &ItemSpans, at: usize) -> Result<Value, NotValue> {
        let list = self.text_of(&items.list);
        let index = items.front + at;
        let found = if index + 1 == items.count {
            last_element(list)
        } else {
            nth_element(list, index)
        };
        match found {
            Some(text) => serde_json::from_str(text).map_err(NotValue),
            None => {
                // The list was read before (its syntax checked), and `at` is below the number
                // of elements kept; an element it has is always found.
                debug_assert!(
                    false,
                    "element {index} of a list of {} not found",
                    items.count
                );
                Ok(Value::Null)
            }
        }
    }

    fn parse(&self, span: &Span) -> Result<Value, NotValue> {
        serde_json::from_str(self.text_of(span)).map_err(NotValue)
    }

    /// The page as an object holding what `needs` reads: the keys it names, a list read only
    /// at some indices holding `null` elsewhere. An array page (P1) is a list of as many
    /// elements, holding the elements the expression indexes (`[-1].id`) and `null`
    /// elsewhere; a key is `null` on any list. An expression gives on the view what it gives
    /// on the whole page.
    pub(crate) fn view(&self, needs: &Needs) -> Result<Value, NotValue> {
        if needs.page {
            return self.to_value();
        }
        if self.is_array {
            if needs.page_at.is_empty() {
                // Only keys are read, and every key of a list is `null`, whatever it holds.
                return Ok(Value::Array(Vec::new()));
            }
            return match self.slot(WHOLE) {
                Some(TopValue::Items(items)) => self.sparse(items, &needs.page_at),
                _ => self.to_value(),
            };
        }
        let mut object = serde_json::Map::new();
        for (key, need) in &needs.keys {
            let Some(slot) = self.slot(key) else {
                continue;
            };
            let value = match (need, slot) {
                (KeyNeed::At(indices), TopValue::Items(items)) => self.sparse(items, indices)?,
                (_, slot) => self.materialize(slot)?,
            };
            object.insert(key.clone(), value);
        }
        Ok(Value::Object(object))
    }

    /// A list of as many elements as `items` keeps, holding those at `indices` (negative
    /// ones counted from the end, as JMESPath counts them) and `null` elsewhere.
    fn sparse(&self, items: &ItemSpans, indices: &[i32]) -> Result<Value, NotValue> {
        let mut list = vec![Value::Null; items.len()];
        for &i in indices {
            let at = if i < 0 {
                items.len().checked_sub(i.unsigned_abs() as usize)
            } else {
                Some(i as usize)
            };
            if let Some(at) = at
                && let Some(place) = list.get_mut(at)
            {
                *place = self.element(items, at)?;
            }
        }
        Ok(Value::Array(list))
    }

    /// The whole page as JSON.
    pub(crate) fn to_value(&self) -> Result<Value, NotValue> {
        if self.is_array {
            return match self.slot(WHOLE) {
                Some(slot) => self.materialize(slot),
                None => {
                    debug_assert!(false, "an array page without its slot");
                    Ok(Value::Array(Vec::new()))
                }
            };
        }
        let mut object = serde_json::Map::new();
        for (key, slot) in &self.fields {
            object.insert(key.clone(), self.materialize(slot)?);
        }
        Ok(Value::Object(object))
    }

    /// The start of the body, for an error about it.
    pub(crate) fn preview(&self) -> String {
        crate::error::preview(&self.text)
    }

    /// The page's JSON text: the body itself, or, once the page has changed, its fields
    /// written out again (an array page's elements kept, P1).
    pub(crate) fn json_text(&self) -> std::borrow::Cow<'_, str> {
        if !self.changed {
            return std::borrow::Cow::Borrowed(&self.text);
        }
        let mut out = String::with_capacity(self.text.len());
        if self.is_array {
            match self.slot(WHOLE) {
                Some(slot) => self.push_slot(&mut out, slot),
                None => debug_assert!(false, "an array page without its slot"),
            }
            return std::borrow::Cow::Owned(out);
        }
        out.push('{');
        for (i, (key, slot)) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&Value::String(key.clone()).to_string());
            out.push(':');
            self.push_slot(&mut out, slot);
        }
        out.push('}');
        std::borrow::Cow::Owned(out)
    }

    /// Writes a slot's JSON text.
    fn push_slot(&self, out: &mut String, slot: &TopValue) {
        match slot {
            TopValue::Raw(span) => out.push_str(self.text_of(span)),
            TopValue::Items(items) if items.whole() => out.push_str(self.text_of(&items.list)),
            TopValue::Items(items) => {
                // The list's syntax was checked when it was read, and a list of raw values
                // asks no more of it.
                let texts = self.element_texts(items);
                debug_assert!(texts.is_ok(), "a list read before has no element texts");
                push_list(out, texts.unwrap_or_default().into_iter());
            }
            TopValue::Json(value) => out.push_str(&value.to_string()),
        }
    }
}

/// Writes `[a,b,…]` of element texts.
pub(crate) fn push_list<'a>(out: &mut String, elements: impl Iterator<Item = &'a str>) {
    out.push('[');
    for (i, element) in elements.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(element);
    }
    out.push(']');
}
