//! A page read from a response body without a `serde_json::Value` tree (G8).
//!
//! One pass over the text finds the page's top-level keys and where each value lies; the
//! lists of the model's top-level result keys are split into their elements' text on the
//! same pass, and the elements a typed item cursor wants are deserialized on it too
//! ([`ItemSink`]). Everything after works on those spans: counting,
//! cutting and skipping (M1, M2, R6) edit the list of element spans, typed results are
//! deserialized from the spans' text, and `Value`s are built only of what an expression
//! reads ([`Needs`]) or what is handed out as JSON.

use std::ops::Range;

use serde::de::{self, Deserializer as _, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::expr::{KeyNeed, Needs};

/// Where a value lies in the body's text.
type Span = Range<usize>;

/// One top-level value of a body page.
#[derive(Debug, Clone)]
pub(crate) enum Slot {
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
    fields: Vec<(String, Slot)>,
    /// Whether the fields no longer say what the text says (a key written twice, a rule's
    /// edit): typed pages are then read from the fields written out again.
    changed: bool,
}

/// Why a body could not be read in one pass: it is not JSON, or not an object (which the
/// caller tells apart by parsing it as a `Value`).
pub(crate) struct NotRead;

impl BodyPage {
    /// Reads `text`, splitting the lists of the top-level keys for which `split` is true.
    /// A text that is not a JSON object comes back with the error.
    pub(crate) fn read(
        text: String,
        split: &dyn Fn(&str) -> bool,
        sink: Option<(&str, &mut dyn ItemSink)>,
    ) -> Result<BodyPage, (NotRead, String)> {
        let Some((fields, changed)) = scan(&text, split, sink) else {
            return Err((NotRead, text));
        };
        Ok(BodyPage {
            text,
            fields,
            changed,
        })
    }

    /// The text of `span`.
    pub(crate) fn text_of(&self, span: &Span) -> &str {
        self.text.get(span.clone()).unwrap_or("null")
    }

    pub(crate) fn slot(&self, key: &str) -> Option<&Slot> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, s)| s)
    }

    /// The slot of `key`, to be changed: the page no longer reads as its text.
    pub(crate) fn slot_mut(&mut self, key: &str) -> Option<&mut Slot> {
        self.changed = true;
        self.fields
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, s)| s)
    }

    /// The value of `key` as JSON, read from the text once and kept.
    pub(crate) fn json_mut(&mut self, key: &str) -> Option<&mut Value> {
        let value = match self.slot(key)? {
            Slot::Json(_) => None,
            other => Some(self.materialize(other)),
        };
        let slot = self.slot_mut(key)?;
        if let Some(value) = value {
            *slot = Slot::Json(value);
        }
        match slot {
            Slot::Json(value) => Some(value),
            _ => None,
        }
    }

    /// The JSON of a slot. Spans were checked as JSON when the body was read, so reading them
    /// again cannot fail; if it did, the value would read as `null`.
    pub(crate) fn materialize(&self, slot: &Slot) -> Value {
        match slot {
            Slot::Raw(span) => self.parse(span),
            Slot::Items(items) => Value::Array(self.elements(items)),
            Slot::Json(value) => value.clone(),
        }
    }

    /// The elements kept of a list, as JSON.
    fn elements(&self, items: &ItemSpans) -> Vec<Value> {
        let all: Vec<Value> = serde_json::from_str(self.text_of(&items.list)).unwrap_or_default();
        all.into_iter().skip(items.front).take(items.kept).collect()
    }

    /// The texts of the elements kept of a list.
    pub(crate) fn element_texts(&self, items: &ItemSpans) -> Vec<&str> {
        let all: Vec<&RawValue> = serde_json::from_str(self.text_of(&items.list)).unwrap_or_default();
        all.into_iter()
            .skip(items.front)
            .take(items.kept)
            .map(RawValue::get)
            .collect()
    }

    /// The text inside the brackets of a list of which every element is kept, for appending
    /// to another list's; `None` for a list that was cut or skipped.
    pub(crate) fn whole_interior(&self, items: &ItemSpans) -> Option<&str> {
        let list = self.text_of(&items.list);
        let inner = list.strip_prefix('[')?.strip_suffix(']')?;
        items.whole().then(|| inner.trim_matches([' ', '\t', '\n', '\r']))
    }

    /// Element `at` of the elements kept of a list, as JSON.
    fn element(&self, items: &ItemSpans, at: usize) -> Value {
        let list = self.text_of(&items.list);
        let index = items.front + at;
        let found = if index + 1 == items.count {
            last_element(list)
        } else {
            nth_element(list, index)
        };
        found
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or(Value::Null)
    }

    fn parse(&self, span: &Span) -> Value {
        serde_json::from_str(self.text_of(span)).unwrap_or(Value::Null)
    }

    /// The page as an object holding what `needs` reads: the keys it names, a list read only
    /// at some indices holding `null` elsewhere. An expression gives on it what it gives on
    /// the whole page.
    pub(crate) fn view(&self, needs: &Needs) -> Value {
        if needs.page {
            return self.to_value();
        }
        let mut object = serde_json::Map::new();
        for (key, need) in &needs.keys {
            let Some(slot) = self.slot(key) else {
                continue;
            };
            let value = match (need, slot) {
                (KeyNeed::At(indices), Slot::Items(items)) => {
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
                            *place = self.element(items, at);
                        }
                    }
                    Value::Array(list)
                }
                (_, slot) => self.materialize(slot),
            };
            object.insert(key.clone(), value);
        }
        Value::Object(object)
    }

    /// The whole page as JSON.
    pub(crate) fn to_value(&self) -> Value {
        Value::Object(
            self.fields
                .iter()
                .map(|(k, slot)| (k.clone(), self.materialize(slot)))
                .collect(),
        )
    }

    /// The page's JSON text: the body itself, or, once the page has changed, its fields
    /// written out again.
    pub(crate) fn json_text(&self) -> std::borrow::Cow<'_, str> {
        if !self.changed {
            return std::borrow::Cow::Borrowed(&self.text);
        }
        let mut out = String::with_capacity(self.text.len());
        out.push('{');
        for (i, (key, slot)) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&Value::String(key.clone()).to_string());
            out.push(':');
            match slot {
                Slot::Raw(span) => out.push_str(self.text_of(span)),
                Slot::Items(items) if items.whole() => out.push_str(self.text_of(&items.list)),
                Slot::Items(items) => push_list(&mut out, self.element_texts(items).into_iter()),
                Slot::Json(value) => out.push_str(&value.to_string()),
            }
        }
        out.push('}');
        std::borrow::Cow::Owned(out)
    }
}

/// Deserializes the elements of one result key's lists while a body is read, so a typed
/// item is read from the text once, on the same pass that finds it (G8).
pub(crate) trait ItemSink {
    /// The index of the result key whose elements it takes.
    fn key(&self) -> usize;
    /// A list of that key begins: what was taken of an earlier one (a key written twice,
    /// a page before) is dropped.
    fn start(&mut self);
    /// Takes the element that `text` starts with and returns its length in bytes; `None`
    /// when `text` does not start with a JSON value.
    fn take(&mut self, text: &str) -> Option<usize>;
    /// Takes every element of the list that `text` starts with, in one go, and returns the
    /// list's length in bytes and its number of elements; `None` when an element is not the
    /// sink's type, or the list is not JSON (then nothing is taken).
    fn take_list(&mut self, text: &str) -> Option<(usize, usize)>;
}

/// The one pass: the top-level keys of `text` and where their values lie; the lists of the
/// keys `split` names as their elements, those of `sink`'s key also given to `sink`. `None`
/// when `text` is not a JSON object.
///
/// The pass walks only the punctuation of the top-level object and of those lists; every
/// key and value is read by serde_json, so the text is checked as JSON as a whole.
fn scan(
    text: &str,
    split: &dyn Fn(&str) -> bool,
    mut sink: Option<(&str, &mut dyn ItemSink)>,
) -> Option<(Vec<(String, Slot)>, bool)> {
    let mut walk = Walk { text, pos: 0 };
    let mut fields: Vec<(String, Slot)> = Vec::new();
    let mut changed = false;
    if !walk.eat(b'{') {
        return None;
    }
    if !walk.eat(b'}') {
        loop {
            if walk.peek() != Some(b'"') {
                return None;
            }
            let key: String = walk.value()?;
            if !walk.eat(b':') {
                return None;
            }
            let slot = match &mut sink {
                Some((name, sink)) if *name == key => walk.result(Some(&mut **sink))?,
                _ if split(&key) => walk.result(None)?,
                _ => Slot::Raw(walk.skip()?),
            };
            match fields.iter_mut().find(|(k, _)| *k == key) {
                Some((_, existing)) => {
                    // Written twice: the last value counts, and the text no longer says so.
                    *existing = slot;
                    changed = true;
                }
                None => fields.push((key, slot)),
            }
            if walk.eat(b',') {
                continue;
            }
            if walk.eat(b'}') {
                break;
            }
            return None;
        }
    }
    walk.skip_whitespace();
    (walk.pos == text.len()).then_some((fields, changed))
}

/// A position in a body's text, moved over JSON punctuation and over values serde_json reads.
struct Walk<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Walk<'t> {
    fn skip_whitespace(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Moves past `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn rest(&self) -> Option<&'t str> {
        self.text.get(self.pos..)
    }

    /// Reads the value that comes next as a `T`.
    fn value<T: serde::Deserialize<'t>>(&mut self) -> Option<T> {
        self.skip_whitespace();
        let mut values = serde_json::Deserializer::from_str(self.rest()?).into_iter::<T>();
        let value = values.next()?.ok()?;
        self.pos += values.byte_offset();
        Some(value)
    }

    /// Moves over the value that comes next and returns where it lies.
    fn skip(&mut self) -> Option<Span> {
        self.skip_whitespace();
        let start = self.pos;
        self.value::<de::IgnoredAny>()?;
        Some(start..self.pos)
    }

    /// A result key's value: a list as its span and number of elements, its elements also
    /// given to `sink`; anything else as JSON.
    fn result(&mut self, mut sink: Option<&mut dyn ItemSink>) -> Option<Slot> {
        if self.peek() != Some(b'[') {
            return self.value().map(Slot::Json);
        }
        let start = self.pos;
        let typed = sink.is_some();
        let count = match &mut sink {
            None => {
                let mut de = serde_json::Deserializer::from_str(self.rest()?);
                let count = de.deserialize_seq(Count).ok()?;
                self.pos += de.into_iter::<de::IgnoredAny>().byte_offset();
                count
            }
            Some(sink) => match sink.take_list(self.rest()?) {
                Some((length, count)) => {
                    self.pos += length;
                    count
                }
                // An element that is not the sink's type: element by element, so that each
                // one's outcome is kept (G2).
                None => self.each_element(*sink)?,
            },
        };
        Some(Slot::Items(ItemSpans::new(start..self.pos, count, typed)))
    }

    /// Gives each element of the list that comes next to `sink`, one at a time; returns how
    /// many there were.
    fn each_element(&mut self, sink: &mut dyn ItemSink) -> Option<usize> {
        sink.start();
        self.pos += 1;
        let mut count = 0;
        if self.eat(b']') {
            return Some(0);
        }
        loop {
            self.skip_whitespace();
            self.pos += sink.take(self.rest()?)?;
            count += 1;
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Some(count);
            }
            return None;
        }
    }
}

/// Counts the elements of a list, reading past each.
struct Count;

impl<'de> Visitor<'de> for Count {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut count = 0;
        while seq.next_element::<de::IgnoredAny>()?.is_some() {
            count += 1;
        }
        Ok(count)
    }
}

/// The text of element `index` of the JSON list `list`, read past the elements before it.
fn nth_element(list: &str, index: usize) -> Option<&str> {
    struct Nth(usize);
    impl<'de> Visitor<'de> for Nth {
        type Value = Option<&'de RawValue>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            for _ in 0..self.0 {
                seq.next_element::<de::IgnoredAny>()?;
            }
            let found = seq.next_element::<&'de RawValue>()?;
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            Ok(found)
        }
    }
    let mut de = serde_json::Deserializer::from_str(list);
    de.deserialize_seq(Nth(index)).ok()?.map(RawValue::get)
}

/// The text of the last element of the JSON list `list`, found by reading back from its end.
/// `list` was read as JSON before, so going back over it is unambiguous: a `"` closes a string
/// there unless an odd number of backslashes precedes it.
fn last_element(list: &str) -> Option<&str> {
    let bytes = list.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut end = bytes.iter().rposition(|&b| b == b']')?;
    while end > 0 && is_space(bytes[end - 1]) {
        end -= 1;
    }
    // `end` is one past the last element's last byte.
    let last = *bytes.get(end.checked_sub(1)?)?;
    let start = match last {
        b'"' => string_start(bytes, end - 1)?,
        b'}' | b']' => {
            let mut depth = 0usize;
            let mut at = end;
            loop {
                at = at.checked_sub(1)?;
                match bytes[at] {
                    b'}' | b']' => depth += 1,
                    b'{' | b'[' => {
                        depth -= 1;
                        if depth == 0 {
                            break at;
                        }
                    }
                    b'"' => at = string_start(bytes, at)?,
                    _ => {}
                }
            }
        }
        // A number, `true`, `false` or `null`: back to the separator before it.
        _ => bytes[..end]
            .iter()
            .rposition(|&b| b == b',' || b == b'[' || is_space(b))?
            + 1,
    };
    list.get(start..end)
}

/// The position of the `"` that opens the string whose closing `"` is at `close`.
fn string_start(bytes: &[u8], close: usize) -> Option<usize> {
    let mut at = close;
    loop {
        at = bytes[..at].iter().rposition(|&b| b == b'"')?;
        let backslashes = bytes[..at].iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 0 {
            return Some(at);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Lists whose last element is hard to find from the end: quotes, backslashes and
    /// brackets inside strings, nested values, bare literals and numbers, whitespace.
    const LISTS: &[&str] = &[
        r#"[1]"#,
        r#"[1, 2.5e3]"#,
        r#"[ "a" , "b\"]" ]"#,
        r#"["x", "ends with a backslash \\"]"#,
        r#"["x", "\\\"quoted\\\"" ]"#,
        r#"[{}, {"a": "}]{[", "b": ["\"", "\\"]}]"#,
        r#"[[1, [2, "]"]], [[], {"k": [{}]}]]"#,
        "[true,\tfalse,\n null\r\n]",
        r#"[-0, "😀", {"Key": "photos/\u00e9.jpg", "ETag": "\"abc\""}]"#,
    ];

    #[test]
    fn the_last_element_is_found_from_the_end() {
        for list in LISTS {
            let expected: Vec<Value> = serde_json::from_str(list).unwrap();
            let found = last_element(list).unwrap_or_else(|| panic!("{list}: nothing found"));
            let found: Value = serde_json::from_str(found)
                .unwrap_or_else(|e| panic!("{list}: {found:?} is not JSON: {e}"));
            assert_eq!(Some(&found), expected.last(), "{list}");
        }
    }

    #[test]
    fn any_element_is_found_by_reading_past_the_ones_before() {
        for list in LISTS {
            let expected: Vec<Value> = serde_json::from_str(list).unwrap();
            for (i, element) in expected.iter().enumerate() {
                let found = nth_element(list, i).map(|t| serde_json::from_str::<Value>(t).unwrap());
                assert_eq!(found.as_ref(), Some(element), "{list} [{i}]");
            }
            assert_eq!(nth_element(list, expected.len()), None, "{list}");
        }
    }
}
