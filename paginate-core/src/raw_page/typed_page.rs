//! A typed page read in one pass (G8): the caller's page type is deserialized straight from
//! the body while the same pass finds what the run needs of the page, its top-level keys and
//! where each value lies, and of each result list where it lies and how many elements it has.
//! A typed page then costs one parse of its text, as the caller's own `serde_json::from_str`
//! would, instead of a pass for the run and a second one for the type.
//!
//! The pass is serde_json's, over the whole body. The page type sees the top-level object
//! through [`TopMap`], which reads each key as a slice of the body (so its place in the text
//! is known) and each value either as a slice too ([`RawValue`], checked as a `Value` checks
//! it, then given to the type) or, for a result list, handed to the type directly and counted
//! on the way ([`ListWatch`]): a list's end is where the next key starts, or where the object
//! ends. Whatever this pass cannot follow (an escaped key, a key written twice, serde_json's
//! own raw-value marker as a key, a page type that does not read a map, the type's own error)
//! gives up, and the page is read as any body is: the run's pass, then the type from the text
//! ([`BodyPage::read`](super::BodyPage)), which also gives the type's error its usual wording.

use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::list_watch::{Counted, ListWatch};
use super::scan::{Checked, count_list};
use super::{ItemSpans, JSON_SPACE, TopValue};
use crate::page::seed_from_text;

/// Reads a body as a page type in one pass, beside the page's slots.
pub(crate) trait PageSink {
    /// The slots of `text` (the lists of the keys `split` names split), the page type having
    /// been read from it on the same pass and kept; `None` when this pass gives up, and
    /// nothing is kept.
    fn read(&mut self, text: &str, split: &dyn Fn(&str) -> bool)
    -> Option<Vec<(String, TopValue)>>;
}

/// The page type `Q` of a run of typed pages, read in one pass with its page's slots.
pub(crate) struct TypedPage<Q> {
    page: Option<Q>,
}

impl<Q> TypedPage<Q> {
    pub(crate) fn new() -> TypedPage<Q> {
        TypedPage { page: None }
    }

    /// The page read by the last [`PageSink::read`] that did not give up.
    pub(crate) fn take(&mut self) -> Option<Q> {
        self.page.take()
    }
}

impl<Q: DeserializeOwned> PageSink for TypedPage<Q> {
    fn read(
        &mut self,
        text: &str,
        split: &dyn Fn(&str) -> bool,
    ) -> Option<Vec<(String, TopValue)>> {
        self.page = None;
        let mut found = Found {
            text,
            split,
            fields: Vec::new(),
            open: None,
        };
        let mut reader = serde_json::Deserializer::from_str(text);
        let page = Q::deserialize(Top {
            reader: &mut reader,
            found: &mut found,
        })
        .ok()?;
        reader.end().ok()?;
        let fields = found.finish()?;
        self.page = Some(page);
        Some(fields)
    }
}

/// What the pass has found of the page so far.
struct Found<'t, 's> {
    text: &'t str,
    split: &'s dyn Fn(&str) -> bool,
    /// The slots, in the order their keys come; a list's slot is complete once its end is
    /// known.
    fields: Vec<(String, TopValue)>,
    /// The list handed to the page type last, whose end is not known yet.
    open: Option<OpenList>,
}

/// A result list handed to the page type: its slot, where it starts, and its number of
/// elements when the type read them as a list.
struct OpenList {
    slot: usize,
    start: usize,
    count: Option<usize>,
}

/// Where `part`, a slice of `text`, starts in it.
fn offset_in(text: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (start + part.len() <= text.len()).then_some(start)
}

impl Found<'_, '_> {
    /// Closes the open list, which ends right before `stop` (the `,` before the next key, or
    /// the object's `}`), whitespace aside.
    fn close_open(&mut self, stop: usize) -> Option<()> {
        let Some(open) = self.open.take() else {
            return Some(());
        };
        let list = self
            .text
            .get(open.start..stop)?
            .trim_end_matches(JSON_SPACE);
        if !list.ends_with(']') {
            return None;
        }
        let count = match open.count {
            Some(count) => count,
            // The type read the list other than element by element (a raw value, say).
            None => count_list(list)?,
        };
        let (_, slot) = self.fields.get_mut(open.slot)?;
        let end = open.start + list.len();
        *slot = TopValue::Items(ItemSpans::new(open.start..end, count, false));
        Some(())
    }

    /// A key read at `at` (its text, without the quotes): the open list ends before the
    /// comma before it. Returns where the key's value starts.
    fn key_at(&mut self, key: &str, at: usize) -> Option<usize> {
        let before = self.text.get(..at)?.strip_suffix('"')?;
        if self.open.is_some() {
            let comma = before.trim_end_matches(JSON_SPACE).strip_suffix(',')?;
            self.close_open(comma.len())?;
        }
        let after = self.text.get(at + key.len()..)?.strip_prefix('"')?;
        let value = after
            .trim_start_matches(JSON_SPACE)
            .strip_prefix(':')?
            .trim_start_matches(JSON_SPACE);
        Some(self.text.len() - value.len())
    }

    /// The slots, once the whole text has been read: the open list ends before the object's
    /// closing brace.
    fn finish(mut self) -> Option<Vec<(String, TopValue)>> {
        let object = self.text.trim_end_matches(JSON_SPACE).strip_suffix('}')?;
        self.close_open(object.len())?;
        Some(self.fields)
    }
}

/// Gives up the pass: the page is then read as any body is.
fn give_up<E: de::Error>() -> E {
    E::custom("the page is read in two passes")
}

/// `deserialize_*` methods that give up the pass.
macro_rules! giving_up {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
                Err(give_up())
            }
        )*
    };
}

/// The page as the page type's deserializer sees it: a map (an object page), read through
/// [`TopMap`]. A type that asks for anything else gives up the pass.
struct Top<'r, 'de, 'f, 's> {
    reader: &'r mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
    found: &'f mut Found<'de, 's>,
}

impl<'de> Deserializer<'de> for Top<'_, 'de, '_, '_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.reader.deserialize_map(TopVisitor {
            inner: visitor,
            found: self.found,
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_any(visitor)
    }

    giving_up! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_option
        deserialize_unit deserialize_seq deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Self::Error> {
        Err(give_up())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Self::Error> {
        Err(give_up())
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Self::Error> {
        Err(give_up())
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, Self::Error> {
        Err(give_up())
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        Err(give_up())
    }
}

/// The page type's visitor, given the top-level object as a [`TopMap`].
struct TopVisitor<'f, 'de, 's, V> {
    inner: V,
    found: &'f mut Found<'de, 's>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for TopVisitor<'_, 'de, '_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(TopMap {
            map,
            found: self.found,
            value: None,
        })
    }
}

/// The top-level object, key by key: each key read as a slice of the body, each value as one
/// too, or, for a result list, handed to the page type and counted.
struct TopMap<'f, 'de, 's, A> {
    map: A,
    found: &'f mut Found<'de, 's>,
    /// The key just read and where its value starts.
    value: Option<(&'de str, usize)>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for TopMap<'_, 'de, '_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(BorrowedKey(key)) = self.map.next_key()? else {
            return Ok(None);
        };
        // A key written twice: the run's own pass knows which value counts. A key of
        // serde_json's own (its raw-value marker) means something else to a `Value`'s visitor
        // than the text says.
        if self.found.fields.iter().any(|(k, _)| k == key) || key.starts_with("$serde_json::") {
            return Err(give_up());
        }
        let start = offset_in(self.found.text, key)
            .and_then(|at| self.found.key_at(key, at))
            .ok_or_else(give_up)?;
        self.value = Some((key, start));
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let (key, start) = self.value.take().ok_or_else(give_up)?;
        let text = self.found.text;
        if (self.found.split)(key) && text.as_bytes().get(start) == Some(&b'[') {
            let mut count = None;
            let value = self.map.next_value_seed(Counted {
                seed,
                watch: ListWatch::counting(&mut count),
            })?;
            self.found
                .fields
                .push((key.to_owned(), TopValue::Raw(start..start)));
            self.found.open = Some(OpenList {
                slot: self.found.fields.len() - 1,
                start,
                count,
            });
            return Ok(value);
        }
        let raw: &'de RawValue = self.map.next_value()?;
        let raw = raw.get();
        let at = offset_in(text, raw).ok_or_else(give_up)?;
        // Checked as the run's pass checks what it does not split.
        let slot = if (self.found.split)(key) {
            TopValue::Json(serde_json::from_str::<Value>(raw).map_err(de::Error::custom)?)
        } else {
            serde_json::from_str::<Checked>(raw).map_err(de::Error::custom)?;
            TopValue::Raw(at..at + raw.len())
        };
        self.found.fields.push((key.to_owned(), slot));
        seed_from_text(seed, raw).map_err(de::Error::custom)
    }
}

/// A key as a slice of the body; an escaped key, which is not one, gives up the pass.
struct BorrowedKey<'de>(&'de str);

impl<'de> de::Deserialize<'de> for BorrowedKey<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(BorrowedKeyVisitor)
    }
}

struct BorrowedKeyVisitor;

impl<'de> Visitor<'de> for BorrowedKeyVisitor {
    type Value = BorrowedKey<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key without escapes")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<BorrowedKey<'de>, E> {
        Ok(BorrowedKey(key))
    }
}
