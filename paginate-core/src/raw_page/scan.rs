//! The one pass over a body's text (G8): the punctuation of the top-level object (or, P1, of a
//! page that is a bare array) and of its result lists is walked here, and every key and value
//! is read by serde_json.

use serde::de::{self, Deserializer as _, SeqAccess, Visitor};

use super::{ItemSpans, Span, TopValue, WHOLE};

/// Deserializes the elements of one result key's lists while a body is read, so a typed
/// item is read from the text once, on the same pass that finds it (G8).
pub(crate) trait ItemSink {
    /// The index of the result key whose elements it takes.
    fn key(&self) -> usize;
    /// A list of that key begins: what was taken of an earlier list (of a page before, or of
    /// the same key written before in this page) is dropped. A key written again with a value
    /// that is not a list leaves what was taken, which the cursor then drops, as the page's
    /// slot no longer holds a list.
    fn start(&mut self);
    /// Takes the element that `text` starts with and returns its length in bytes; `None`
    /// when `text` does not start with a JSON value.
    fn take(&mut self, text: &str) -> Option<usize>;
    /// Takes every element of the list that `text` starts with, in one go, and returns the
    /// list's length in bytes and its number of elements; `None` when an element is not the
    /// sink's type, or the list is not JSON (then nothing is taken).
    fn take_list(&mut self, text: &str) -> Option<(usize, usize)>;
}

/// What the pass found: the page's slots, whether they no longer say what the text says (a
/// key written twice), and whether the page is a bare array, held as the one slot [`WHOLE`].
pub(super) struct Scanned {
    pub(super) fields: Vec<(String, TopValue)>,
    pub(super) changed: bool,
    pub(super) is_array: bool,
}

/// The one pass: the top-level keys of `text` and where their values lie; the lists of the
/// keys `split` names as their elements, those of `sink`'s key also given to `sink`. A text
/// that is a list is read, when `split` names [`WHOLE`] (P1), as one slot named so, split the
/// same way. `None` when `text` is not a JSON object (or such a list).
///
/// The pass walks only the punctuation of the top-level object and of those lists; every
/// key and value is read by serde_json, so the text is checked as JSON as a whole.
pub(super) fn scan(
    text: &str,
    split: &dyn Fn(&str) -> bool,
    mut sink: Option<(&str, &mut dyn ItemSink)>,
) -> Option<Scanned> {
    let mut walk = Walk { text, pos: 0 };
    let mut fields: Vec<(String, TopValue)> = Vec::new();
    let mut changed = false;
    if walk.peek() == Some(b'[') && split(WHOLE) {
        let sink = match sink {
            Some((name, sink)) if name == WHOLE => Some(sink),
            _ => None,
        };
        let slot = walk.result(sink)?;
        walk.skip_whitespace();
        return (walk.pos == text.len()).then(|| Scanned {
            fields: vec![(WHOLE.to_owned(), slot)],
            changed: false,
            is_array: true,
        });
    }
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
                _ => TopValue::Raw(walk.skip()?),
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
    (walk.pos == text.len()).then_some(Scanned {
        fields,
        changed,
        is_array: false,
    })
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
        self.value::<Checked>()?;
        Some(start..self.pos)
    }

    /// A result key's value: a list as its span and number of elements, its elements also
    /// given to `sink`; anything else as JSON.
    fn result(&mut self, mut sink: Option<&mut dyn ItemSink>) -> Option<TopValue> {
        if self.peek() != Some(b'[') {
            return self.value().map(TopValue::Json);
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
        Some(TopValue::Items(ItemSpans::new(
            start..self.pos,
            count,
            typed,
        )))
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

/// A value read as serde_json reads it into a `Value` (strings unescaped, `\u` escapes and
/// surrogates checked, numbers converted and range-checked, nesting counted), and nothing
/// kept. `IgnoredAny` would be faster but lets through what a `Value` refuses, and a value the
/// run reads later must not fail then (G8: a body is refused exactly when its `Value` would be).
pub(crate) struct Checked;

impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Checked, D::Error> {
        deserializer.deserialize_any(Checked)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Checked;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_key::<Checked>()?.is_some() {
            map.next_value::<Checked>()?;
        }
        Ok(Checked)
    }
}

/// The number of elements of the list `text` is (read as [`Checked`]); `None` when it is not
/// one.
pub(super) fn count_list(text: &str) -> Option<usize> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let count = reader.deserialize_seq(Count).ok()?;
    reader.end().ok()?;
    Some(count)
}

/// Counts the elements of a list, reading each as [`Checked`].
struct Count;

impl<'de> Visitor<'de> for Count {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut count = 0;
        while seq.next_element::<Checked>()?.is_some() {
            count += 1;
        }
        Ok(count)
    }
}
