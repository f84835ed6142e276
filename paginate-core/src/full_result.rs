//! botocore's full result (G4): the pages of a run merged into one object.
//!
//! A list of a top-level result key read from a body is merged as text: its elements' text is
//! appended to the key's text so far, and a typed full result is deserialized from the merged
//! text at the end, so no `Value` of the items is ever built (G8). So are the elements of pages
//! that are bare arrays (P1), whose concatenation is the full result. Everything else is merged
//! as JSON, as botocore merges it.

use std::any::TypeId;
use std::mem;

use serde::de::{self, DeserializeOwned};
use serde_json::{Map, Value};

use crate::engine::{Held, Run};
use crate::error::Error;
use crate::expr::Path;
use crate::page::{TakenPage, from_text, seed_from_text, without_position};
use crate::raw_page::{Counted, ListWatch, TopValue};
use crate::results::from_json;
use crate::token::json_type;

/// Merges pages into botocore's full result (G4).
#[derive(Debug, Default)]
pub(crate) struct FullResult {
    /// What is merged as JSON. A key merged as text holds `null` here, which keeps its place
    /// among the keys (no result key is ever merged as `null`: null values are skipped).
    merged: Map<String, Value>,
    /// The keys merged as text, with their elements' text joined by commas.
    text: Vec<(String, TextList)>,
    /// P1: the elements of a model whose pages are bare arrays, given as JSON; the full
    /// result is this list, or `whole_text`.
    whole: Vec<Value>,
    /// P1: the elements of such pages read from bodies, merged as text. At most one of
    /// `whole` and `whole_text` holds elements: elements read from a body after a page given
    /// as JSON join `whole`, and a page given as JSON after bodies moves the text into `whole`.
    whole_text: TextList,
}

/// A list merged as text: `[`, the elements' texts joined by commas, and, once closed, `]`;
/// and how many elements there are.
#[derive(Debug)]
struct TextList(String, usize);

impl Default for TextList {
    fn default() -> TextList {
        TextList("[".to_owned(), 0)
    }
}

impl TextList {
    /// Appends `count` elements, `joined` by commas.
    fn push(&mut self, joined: &str, count: usize) {
        if count == 0 {
            return;
        }
        if self.1 > 0 {
            self.0.push(',');
        }
        self.0.push_str(joined);
        self.1 += count;
    }

    /// Ends the text with `]`; called once, when no more elements will come.
    fn close(&mut self) {
        self.0.push(']');
    }

    /// The list as JSON. Its elements were read as a `Value` reads them when their page was
    /// read, so this cannot fail; if it did, the list would read as empty.
    fn into_value(mut self) -> Value {
        self.close();
        self.closed_value()
    }

    /// A closed list as JSON.
    fn closed_value(&self) -> Value {
        let value = from_text(&self.0);
        debug_assert!(
            value.is_ok(),
            "a merged list does not read as JSON: {value:?}"
        );
        value.unwrap_or(Value::Array(Vec::new()))
    }
}

/// The merged result as a map for serde to read a `T` from: a key merged as text has its value
/// read from its text, any other from its JSON, so no text of the whole result is built.
struct MergedMap<'m> {
    entries: serde_json::map::Iter<'m>,
    text: &'m [(String, TextList)],
    value: Option<MergedValue<'m>>,
}

enum MergedValue<'m> {
    /// A list's text and its number of elements.
    Text(&'m str, usize),
    Json(&'m Value),
}

impl MergedMap<'_> {
    /// What is left of the map as a `Value`, the lists read from their text.
    fn rest_to_value(self) -> Value {
        let text = self.text;
        Value::Object(
            self.entries
                .map(|(key, value)| {
                    let value = match text.iter().find(|(k, _)| k == key) {
                        Some((_, list)) => list.closed_value(),
                        None => value.clone(),
                    };
                    (key.clone(), value)
                })
                .collect(),
        )
    }
}

/// The merged result as serde reads a `Value` object: a map, also as the content of an
/// `Option` or a newtype; an enum (a map of one key naming the variant) is read from the
/// `Value` itself.
struct MergedRead<'m>(MergedMap<'m>);

impl<'m> de::Deserializer<'m> for MergedRead<'m> {
    type Error = serde_json::Error;

    fn deserialize_any<V: de::Visitor<'m>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self.0)
    }

    fn deserialize_option<V: de::Visitor<'m>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: de::Visitor<'m>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: de::Visitor<'m>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        de::Deserializer::deserialize_enum(self.0.rest_to_value(), name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'m>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

impl<'m> de::MapAccess<'m> for MergedMap<'m> {
    type Error = serde_json::Error;

    fn next_key_seed<K: de::DeserializeSeed<'m>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, serde_json::Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(match self.text.iter().find(|(k, _)| k == key) {
            Some((_, list)) => MergedValue::Text(&list.0, list.1),
            None => MergedValue::Json(value),
        });
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'m>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, serde_json::Error> {
        match self.value.take() {
            // The type learns the list's length, so a `Vec` is allocated once.
            Some(MergedValue::Text(text, length)) => seed_from_text(
                Counted {
                    seed,
                    watch: ListWatch::of_length(length),
                },
                text,
            ),
            Some(MergedValue::Json(value)) => seed.deserialize(value),
            None => Err(de::Error::custom("a value was asked for before its key")),
        }
    }
}

impl FullResult {
    pub(crate) fn add(&mut self, run: &Run, page: TakenPage) -> Result<(), Error> {
        match page {
            TakenPage::Value(mut page) => {
                for key in &run.model().inner().result_keys {
                    if let Some(value) = key.get_mut(&mut page).map(std::mem::take) {
                        self.add_value(run, key, value)?;
                    }
                }
            }
            TakenPage::Body(mut page) => {
                for key in &run.model().inner().result_keys {
                    // A top-level key's list, or the page itself when it is an array (P1).
                    if key.is_slot()
                        && let Some(TopValue::Items(items)) = page.slot(key.top())
                    {
                        match page.whole_interior(items) {
                            Some(inner) => self.add_text(run, key, inner, items.len())?,
                            None => {
                                // A full result's pages are read without a typed item
                                // cursor, so their lists were read as a `Value` reads them.
                                let texts = page.element_texts(items);
                                debug_assert!(texts.is_ok(), "a list read before has no texts");
                                let texts = texts.unwrap_or_default();
                                self.add_text(run, key, &texts.join(","), texts.len())?;
                            }
                        }
                        continue;
                    }
                    let value = page
                        .json_mut(key.top())
                        .and_then(|v| key.get_below_top_mut(v))
                        .map(std::mem::take);
                    if let Some(value) = value {
                        self.add_value(run, key, value)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn mismatch(run: &Run, key: &str, expected: &'static str, found: &'static str) -> Error {
        Error::ResultTypeMismatch {
            operation: run.model().operation().to_owned(),
            key: key.to_owned(),
            page: run.page_number(run.pages_taken()),
            expected,
            found,
        }
    }

    /// A list's elements as text (`count` of them, joined by commas), at a top-level key or,
    /// for a page that is an array, of the page itself (P1).
    fn add_text(&mut self, run: &Run, key: &Path, joined: &str, count: usize) -> Result<(), Error> {
        if key.is_whole() {
            if self.whole.is_empty() {
                self.whole_text.push(joined, count);
            } else if count > 0 {
                // A page given as JSON came first: the elements join its list.
                match from_text(&format!("[{joined}]")) {
                    Ok(Value::Array(more)) => self.whole.extend(more),
                    other => debug_assert!(false, "merged elements are not a list: {other:?}"),
                }
            }
            return Ok(());
        }
        let name = key.top();
        if let Some((_, list)) = self.text.iter_mut().find(|(k, _)| k == name) {
            list.push(joined, count);
            return Ok(());
        }
        match self.merged.get_mut(name) {
            None => {
                self.merged.insert(name.to_owned(), Value::Null);
                let mut list = TextList::default();
                list.push(joined, count);
                self.text.push((name.to_owned(), list));
            }
            // A page given as JSON came first: the elements join its list.
            Some(Value::Array(existing)) => match from_text(&format!("[{joined}]")) {
                Ok(Value::Array(more)) => existing.extend(more),
                // Elements read as a `Value` reads them, joined by commas, are a list.
                other => debug_assert!(false, "merged elements are not a list: {other:?}"),
            },
            Some(other) => return Err(Self::mismatch(run, name, json_type(other), "array")),
        }
        Ok(())
    }

    fn add_value(&mut self, run: &Run, key: &Path, value: Value) -> Result<(), Error> {
        if value.is_null() {
            return Ok(());
        }
        if key.is_whole() {
            // P1: the run took only arrays.
            return match value {
                Value::Array(items) => {
                    if self.whole_text.1 > 0 {
                        // Pages read from bodies came first: their elements lead.
                        self.whole = match mem::take(&mut self.whole_text).into_value() {
                            Value::Array(all) => all,
                            other => {
                                // `into_value` reads a list, or makes an empty one.
                                debug_assert!(false, "a merged list read as {}", json_type(&other));
                                Vec::new()
                            }
                        };
                    }
                    self.whole.extend(items);
                    Ok(())
                }
                other => Err(Self::mismatch(
                    run,
                    key.as_str(),
                    "array",
                    json_type(&other),
                )),
            };
        }
        if key.is_top_level()
            && let Some(at) = self.text.iter().position(|(k, _)| k == key.top())
        {
            // A key merged as text so far, and now a page given as JSON.
            let Value::Array(more) = value else {
                return Err(Self::mismatch(
                    run,
                    key.as_str(),
                    "array",
                    json_type(&value),
                ));
            };
            let (name, list) = self.text.remove(at);
            let mut all = match list.into_value() {
                Value::Array(all) => all,
                other => {
                    // `into_value` reads a list, or makes an empty one.
                    debug_assert!(false, "a merged list read as {}", json_type(&other));
                    Vec::new()
                }
            };
            all.extend(more);
            self.merged.insert(name, Value::Array(all));
            return Ok(());
        }
        let Some(existing) = key.get_in_mut(&mut self.merged) else {
            return key
                .set(&mut self.merged, value)
                .map_err(|(prefix, found)| Self::mismatch(run, &prefix, "object", found));
        };
        match (existing, value) {
            (Value::Array(a), Value::Array(b)) => a.extend(b),
            (Value::String(a), Value::String(b)) => a.push_str(&b),
            (Value::Number(a), Value::Number(b)) => *a = add_numbers(a, &b),
            // Objects (and flags) keep the first page's value.
            (Value::Object(_), Value::Object(_)) | (Value::Bool(_), Value::Bool(_)) => {}
            (a, b) => {
                return Err(Self::mismatch(
                    run,
                    key.as_str(),
                    json_type(a),
                    json_type(&b),
                ));
            }
        }
        Ok(())
    }

    /// [`FullResult::finish`], deserialized into `T` (`Value` is handed over as it is). With
    /// keys merged as text, `T` is read from the merged text.
    pub(crate) fn finish_as<T: DeserializeOwned + 'static>(self, run: &Run) -> Result<T, Error> {
        let failed = |reason: String| Error::DeserializeFullResult {
            operation: run.model().operation().to_owned(),
            type_name: std::any::type_name::<T>(),
            reason,
        };
        let is_value = TypeId::of::<T>() == TypeId::of::<Value>();
        if run.model().inner().whole_page() && self.whole_text.1 > 0 && !is_value {
            // P1: the concatenated arrays, read from their merged text.
            let mut list = self.whole_text;
            list.close();
            return list_from_text(&list.0, list.1).map_err(failed);
        }
        if self.text.is_empty() || is_value || run.model().inner().whole_page() {
            return from_json(self.finish(run)).map_err(|e| failed(e.to_string()));
        }
        let FullResult { merged, text, .. } = self;
        let Value::Object(merged) = (FullResult {
            merged,
            ..FullResult::default()
        })
        .finish(run) else {
            // `finish` always makes an object.
            debug_assert!(false, "the merged result is not an object");
            return Err(failed("the merged result is not an object".to_owned()));
        };
        let mut text = text;
        for (_, list) in &mut text {
            list.close();
        }
        let map = MergedMap {
            entries: merged.iter(),
            text: &text,
            value: None,
        };
        T::deserialize(MergedRead(map)).map_err(|e| failed(without_position(&e)))
    }

    /// Adds the non-aggregate part (result keys win where they overlap) and, when the run was
    /// cut by `max_items`, `NextToken`.
    /// P1: for a model whose pages are bare arrays, the concatenated arrays (a cut run's
    /// resume token is the run's, there is no object to carry `NextToken`).
    pub(crate) fn finish(mut self, run: &Run) -> Value {
        if run.model().inner().whole_page() {
            if self.whole_text.1 > 0 {
                return self.whole_text.into_value();
            }
            return Value::Array(self.whole);
        }
        for (key, list) in std::mem::take(&mut self.text) {
            self.merged.insert(key, list.into_value());
        }
        if let Some(Value::Object(part)) = run.non_aggregate_part() {
            merge_missing(&mut self.merged, part);
        }
        if run.stopped_by_max_items()
            && let Some(token) = run.resume_token(Held::Nothing)
        {
            self.merged
                .insert("NextToken".to_owned(), Value::String(token));
        }
        Value::Object(self.merged)
    }
}

/// `T` from a merged list's text, told the list's `length` so that a `Vec` is allocated once;
/// the error without its position, as [`from_text`] gives it.
fn list_from_text<T: DeserializeOwned>(text: &str, length: usize) -> Result<T, String> {
    let whole = Counted {
        seed: std::marker::PhantomData::<T>,
        watch: ListWatch::of_length(length),
    };
    seed_from_text(whole, text).map_err(|e| without_position(&e))
}

/// Integers stay integers while they fit; otherwise the sum is a float (Python would keep a
/// big integer, which JSON numbers here cannot hold).
fn add_numbers(a: &serde_json::Number, b: &serde_json::Number) -> serde_json::Number {
    let int = |n: &serde_json::Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    if let (Some(x), Some(y)) = (int(a), int(b)) {
        let sum = x + y;
        if let Ok(v) = i64::try_from(sum) {
            return v.into();
        }
        if let Ok(v) = u64::try_from(sum) {
            return v.into();
        }
    }
    let sum = a.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0);
    serde_json::Number::from_f64(sum).unwrap_or_else(|| a.clone())
}

/// Copies `from` into `into` where `into` has nothing; objects present in both are merged.
fn merge_missing(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (k, v) in from {
        match (into.get_mut(k), v) {
            (Some(Value::Object(a)), Value::Object(b)) => merge_missing(a, b),
            (Some(_), _) => {}
            (None, v) => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}
