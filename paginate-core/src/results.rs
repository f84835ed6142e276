//! What a run gives back besides pages (SEMANTICS §6), page by page and without I/O:
//! item cursors (G2), search cursors (G3) and the full-result accumulator (G4).
//! Front ends feed them pages; the rules live here once.

use std::any::Any;
use std::mem;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::engine::{Held, Run};
use crate::error::Error;
use crate::expr::Expr;
use crate::model::Model;
use crate::page::{TakenPage, without_position};
use crate::raw_page::{Checked, ItemSink, TopValue};
use crate::token::json_type;

/// What item and search cursors have in common: results handed out from the page loaded, and
/// an end after an error.
pub(crate) trait PageConsumer {
    type Out;
    fn next_out(&mut self) -> Option<Self::Out>;
    fn load(&mut self, run: &Run, page: TakenPage) -> Result<(), Error>;
    fn failed(&self) -> bool;
    fn fail(&mut self);
    /// What takes the elements of this cursor's key as a body is read (G8).
    fn sink(&mut self) -> Option<&mut dyn ItemSink> {
        None
    }
}

/// A page as the caller's type (G1); a failure names the page. `read` is the page as the
/// type, read on the run's pass over its body (G8): it is the page's when no rule has
/// changed the page since.
pub(crate) fn decode_page<T: DeserializeOwned + 'static>(
    run: &Run,
    page: TakenPage,
    read: Option<T>,
) -> Result<T, Error> {
    if let (Some(read), TakenPage::Body(body)) = (read, &page)
        && !body.changed()
    {
        return Ok(read);
    }
    page.into_typed()
        .map_err(|reason| deserialize_failed::<T>(run, None, reason))
}

fn deserialize_failed<T>(run: &Run, index: Option<u64>, reason: String) -> Error {
    Error::Deserialize {
        operation: run.model().operation().to_owned(),
        page: run.page_number(run.pages_taken()),
        index,
        type_name: std::any::type_name::<T>(),
        reason,
    }
}

/// `value` as a `T`: a `serde_json::Value` is handed over as it is, anything else goes
/// through serde.
pub(crate) fn from_json<T: DeserializeOwned + 'static>(
    value: Value,
) -> Result<T, serde_json::Error> {
    let mut slot = Some(value);
    if let Some(same) = (&mut slot as &mut dyn Any).downcast_mut::<Option<T>>()
        && let Some(value) = same.take()
    {
        return Ok(value);
    }
    // Still there: only a successful downcast takes it, and that returned above.
    debug_assert!(slot.is_some(), "a value went missing on its way to a `T`");
    serde_json::from_value(slot.unwrap_or(Value::Null))
}

/// Whether a cursor has stopped on an error, and whether that error was about the last page
/// taken (which a resume must then fetch again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failed {
    No,
    Yes,
    OnPage,
}

impl Failed {
    fn set(&mut self) {
        if *self == Failed::No {
            *self = Failed::Yes;
        }
    }
}

/// An item as a cursor hands it out: JSON, or deserialized from a body's text as the body
/// was read (G8), or the reason it did not deserialize.
#[derive(Debug)]
pub(crate) enum Item<I> {
    Json(Value),
    Typed(Result<I, String>),
}

/// The items of one result key, one page at a time, with the position of each (R2). It
/// deserializes the elements of a body's list as `I` while the body is read (G8).
#[derive(Debug)]
pub(crate) struct ItemCursor<I> {
    key: usize,
    items: LoadedItems<I>,
    /// Elements deserialized while the page being read was read, before it is loaded.
    taking: Vec<Result<I, String>>,
    /// How many elements the last list taken had.
    last_len: usize,
    /// Items taken from the current page.
    taken: u64,
    /// Whether an offset can say how far into the page the consumer is: not for an object's
    /// keys, which a resumed run cannot skip (R6).
    countable: bool,
    failed: Failed,
}

/// The items of the page loaded.
#[derive(Debug)]
enum LoadedItems<I> {
    Json(std::vec::IntoIter<Value>),
    Typed(std::vec::IntoIter<Result<I, String>>),
}

impl<I> LoadedItems<I> {
    fn len(&self) -> usize {
        match self {
            LoadedItems::Json(items) => items.len(),
            LoadedItems::Typed(items) => items.len(),
        }
    }
}

impl<I> ItemCursor<I> {
    pub(crate) fn new(key: usize) -> ItemCursor<I> {
        ItemCursor {
            key,
            items: LoadedItems::Json(Vec::new().into_iter()),
            taking: Vec::new(),
            last_len: 0,
            taken: 0,
            countable: true,
            failed: Failed::No,
        }
    }

    /// What the consumer still holds of the last page (R2, R8): after the last item returned.
    /// Inside a page of the primary key that is an offset into the page; a secondary key, or
    /// an object's keys, have no offsets, so the page is fetched again. After an error about
    /// the page itself, none of it was handed out.
    pub(crate) fn held(&self) -> Held {
        if self.failed == Failed::OnPage {
            Held::Page
        } else if self.items.len() == 0 {
            Held::Nothing
        } else if self.key != 0 || !self.countable {
            Held::Page
        } else {
            Held::Primary { handed: self.taken }
        }
    }

    /// Whether every item of the page in hand has been handed out, and it had one (G9): the
    /// item last handed out was then the last of its page. Read when asked, so handing out
    /// an item costs nothing more.
    pub(crate) fn page_done(&self) -> bool {
        self.taken > 0 && self.items.len() == 0
    }

    /// An item handed out by this cursor as the caller's type; a failure names the page and
    /// the item's index there (G2).
    pub(crate) fn decode(&self, run: &Run, item: Item<I>, index: u64) -> Result<I, Error>
    where
        I: DeserializeOwned + 'static,
    {
        let decoded = match item {
            Item::Json(value) => from_json(value).map_err(|e| e.to_string()),
            Item::Typed(item) => item,
        };
        decoded.map_err(|reason| deserialize_failed::<I>(run, Some(index), reason))
    }

    fn set_json(&mut self, run: &Run, value: Option<Value>) -> Result<(), Error> {
        let key = &run.model().inner().result_keys[self.key];
        self.countable = !matches!(value, Some(Value::Object(_)));
        let items = match value {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a,
            Some(Value::String(s)) => s.chars().map(|c| Value::String(c.into())).collect(),
            Some(Value::Object(o)) => o.into_iter().map(|(k, _)| Value::String(k)).collect(),
            Some(other) => {
                self.failed = Failed::OnPage;
                return Err(Error::UnsupportedResult {
                    operation: run.model().operation().to_owned(),
                    key: key.as_str().to_owned(),
                    page: run.page_number(run.pages_taken()),
                    found: json_type(&other),
                    action: "iterated",
                });
            }
        };
        self.items = LoadedItems::Json(items.into_iter());
        Ok(())
    }
}

impl ItemCursor<Value> {
    /// The same cursor handing out items as `T`. Items of the page in hand that were read
    /// as JSON stay JSON and are deserialized when handed out, as any JSON item is; an
    /// element already read from a body as a `Value` is converted now, and one that failed to
    /// read keeps its failure, so each item still comes in its place (G2).
    pub(crate) fn typed<T: DeserializeOwned + 'static>(self) -> ItemCursor<T> {
        let convert = |item: Result<Value, String>| {
            item.and_then(|value| from_json::<T>(value).map_err(|e| e.to_string()))
        };
        ItemCursor {
            key: self.key,
            items: match self.items {
                LoadedItems::Json(items) => LoadedItems::Json(items),
                LoadedItems::Typed(items) => {
                    LoadedItems::Typed(items.map(convert).collect::<Vec<_>>().into_iter())
                }
            },
            taking: self.taking.into_iter().map(convert).collect(),
            last_len: self.last_len,
            taken: self.taken,
            countable: self.countable,
            failed: self.failed,
        }
    }
}

impl<I: DeserializeOwned> ItemSink for ItemCursor<I> {
    fn key(&self) -> usize {
        self.key
    }

    fn start(&mut self) {
        self.taking.clear();
        // Pages tend to be the same size: room for as many elements as the last one had.
        self.taking.reserve(self.last_len);
    }

    /// The whole list through one deserializer, the way a typed page would read it.
    fn take_list(&mut self, text: &str) -> Option<(usize, usize)> {
        self.start();
        let mut de = serde_json::Deserializer::from_str(text);
        let read = serde::Deserializer::deserialize_seq(&mut de, ListInto(&mut self.taking));
        if read.is_err() {
            self.taking.clear();
            return None;
        }
        Some((
            de.into_iter::<serde::de::IgnoredAny>().byte_offset(),
            self.taking.len(),
        ))
    }

    /// An element that is not an `I` is kept as the reason, to be handed out in its place
    /// (G2); its length is then found by reading it as a `Value` would be read, so that an
    /// element that is not JSON makes the page not JSON, as it does on the Value path.
    fn take(&mut self, text: &str) -> Option<usize> {
        let mut items = serde_json::Deserializer::from_str(text).into_iter::<I>();
        match items.next()? {
            Ok(item) => {
                self.taking.push(Ok(item));
                Some(items.byte_offset())
            }
            Err(e) => {
                let mut any = serde_json::Deserializer::from_str(text).into_iter::<Checked>();
                any.next()?.ok()?;
                self.taking.push(Err(without_position(&e)));
                Some(any.byte_offset())
            }
        }
    }
}

/// Deserializes the elements of a list into a vector it extends.
struct ListInto<'v, I>(&'v mut Vec<Result<I, String>>);

impl<'de, I: DeserializeOwned> serde::de::Visitor<'de> for ListInto<'_, I> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<I>()? {
            self.0.push(Ok(item));
        }
        Ok(())
    }
}

impl<I: DeserializeOwned> PageConsumer for ItemCursor<I> {
    /// An item and its index in its page (counted from the first item this run returned of
    /// that page).
    type Out = (Item<I>, u64);

    fn next_out(&mut self) -> Option<(Item<I>, u64)> {
        let item = match &mut self.items {
            LoadedItems::Json(items) => Item::Json(items.next()?),
            LoadedItems::Typed(items) => Item::Typed(items.next()?),
        };
        self.taken += 1;
        Some((item, self.taken - 1))
    }

    fn failed(&self) -> bool {
        self.failed != Failed::No
    }

    fn fail(&mut self) {
        self.failed.set();
    }

    fn sink(&mut self) -> Option<&mut dyn ItemSink> {
        Some(self)
    }

    /// Loads a page's items: a list's elements, a string's characters, an object's keys
    /// (as botocore iterates them); nothing for a missing key. The elements of a body's list
    /// were deserialized as it was read; those the rules cut or skipped are dropped (M2, R6).
    fn load(&mut self, run: &Run, page: TakenPage) -> Result<(), Error> {
        let key = &run.model().inner().result_keys[self.key];
        self.taken = 0;
        let taken_while_read = mem::take(&mut self.taking);
        match page {
            TakenPage::Value(mut page) => {
                let value = key.get_mut(&mut page).map(mem::take);
                self.set_json(run, value)
            }
            TakenPage::Body(mut page) => {
                // A top-level key's list, or the page itself when it is an array (P1).
                if key.is_slot()
                    && let Some(TopValue::Items(kept)) = page.slot(key.top())
                    && kept.typed
                {
                    let mut items = taken_while_read;
                    // The sink took each element of the list this slot holds, and a list read
                    // afterwards for the same key started it over (`ItemSink::start`).
                    debug_assert_eq!(
                        items.len(),
                        kept.received(),
                        "the elements taken while a body was read are not its list's"
                    );
                    self.last_len = items.len();
                    items.drain(..kept.front.min(items.len()));
                    items.truncate(kept.len());
                    self.countable = true;
                    self.items = LoadedItems::Typed(items.into_iter());
                    return Ok(());
                }
                let value = page
                    .json_mut(key.top())
                    .and_then(|v| key.get_below_top_mut(v))
                    .map(mem::take);
                self.set_json(run, value)
            }
        }
    }
}

/// The results of a search expression, one page at a time (G3).
#[derive(Debug)]
pub(crate) struct SearchCursor {
    expr: Expr,
    results: std::vec::IntoIter<Value>,
    /// How many results the page in hand gave.
    page_len: usize,
    failed: Failed,
}

impl SearchCursor {
    pub(crate) fn new(run: &Run, expression: &str) -> Result<SearchCursor, Error> {
        let expr = Expr::compile(expression).map_err(|e| Error::InvalidSearch {
            operation: run.model().operation().to_owned(),
            expression: expression.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(SearchCursor {
            expr,
            results: Vec::new().into_iter(),
            page_len: 0,
            failed: Failed::No,
        })
    }

    /// Whether every result of the page in hand has been handed out, and it gave one (G9).
    pub(crate) fn page_done(&self) -> bool {
        self.page_len > 0 && self.results.len() == 0
    }

    /// While a page's results remain, the page itself (results may repeat after a resume,
    /// none is skipped); after them, nothing (R8).
    pub(crate) fn held(&self) -> Held {
        if self.results.len() == 0 && self.failed != Failed::OnPage {
            Held::Nothing
        } else {
            Held::Page
        }
    }
}

impl PageConsumer for SearchCursor {
    type Out = Value;

    fn next_out(&mut self) -> Option<Value> {
        self.results.next()
    }

    fn failed(&self) -> bool {
        self.failed != Failed::No
    }

    fn fail(&mut self) {
        self.failed.set();
    }

    /// A list result gives its elements (one level); anything else, `null` included, itself.
    fn load(&mut self, run: &Run, page: TakenPage) -> Result<(), Error> {
        self.page_len = 0;
        let found = page.search(&self.expr).map_err(|failed| {
            self.failed = Failed::OnPage;
            run.search_failed(self.expr.as_str(), run.pages_taken(), failed)
        })?;
        let results = match found {
            Some(Value::Array(a)) => a,
            Some(other) => vec![other],
            None => vec![Value::Null],
        };
        self.page_len = results.len();
        self.results = results.into_iter();
        Ok(())
    }
}

/// G5: the non-aggregate keys of a page, a missing one as `null` (G4).
pub(crate) fn non_aggregate_part(model: &Model, page: &Value) -> Value {
    let mut part = Map::new();
    for key in &model.inner().non_aggregate_keys {
        let value = key.get(page).cloned().unwrap_or(Value::Null);
        // Only fails when one key is a prefix of another; the first one written wins.
        let _ = key.set(&mut part, value);
    }
    Value::Object(part)
}
