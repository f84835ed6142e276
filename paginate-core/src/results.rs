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
use crate::token::json_type;

/// What item and search cursors have in common: results handed out from the page loaded, and
/// an end after an error.
pub(crate) trait Cursor {
    type Out;
    fn next_out(&mut self) -> Option<Self::Out>;
    fn load(&mut self, run: &Run, page: Value) -> Result<(), Error>;
    fn failed(&self) -> bool;
    fn fail(&mut self);
}

/// Turns a page or an item into the caller's type. `serde_json::Value` is handed over as it
/// is, without a round trip through serde; anything else is deserialized, and a failure names
/// the page and, for an item, its index in the page.
pub(crate) fn decode<T: DeserializeOwned + 'static>(
    run: &Run,
    value: Value,
    index: Option<u64>,
) -> Result<T, Error> {
    from_json(value).map_err(|e| Error::Deserialize {
        operation: run.model().operation().to_owned(),
        page: run.pages_taken(),
        index,
        type_name: std::any::type_name::<T>(),
        reason: e.to_string(),
    })
}

/// `value` as a `T`: a `serde_json::Value` is handed over as it is, anything else goes
/// through serde.
fn from_json<T: DeserializeOwned + 'static>(value: Value) -> Result<T, serde_json::Error> {
    let mut slot = Some(value);
    if let Some(same) = (&mut slot as &mut dyn Any).downcast_mut::<Option<T>>()
        && let Some(value) = same.take()
    {
        return Ok(value);
    }
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

/// The items of one result key, one page at a time, with the position of each (R2).
#[derive(Debug)]
pub(crate) struct ItemCursor {
    key: usize,
    items: std::vec::IntoIter<Value>,
    /// Items taken from the current page.
    taken: u64,
    /// Whether an offset can say how far into the page the consumer is: not for an object's
    /// keys, which a resumed run cannot skip (R6).
    countable: bool,
    failed: Failed,
}

impl ItemCursor {
    pub(crate) fn new(key: usize) -> ItemCursor {
        ItemCursor {
            key,
            items: Vec::new().into_iter(),
            taken: 0,
            countable: true,
            failed: Failed::No,
        }
    }

    /// What the consumer still holds of the last page (R2, R8): after the last item returned.
    /// Inside a page of the primary key that is an offset into the page; a secondary key, or
    /// an object's keys, have no offsets, so the page is fetched again. After an error about the page itself, none of
    /// it was handed out.
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
}

impl Cursor for ItemCursor {
    /// An item and its index in its page (counted from the first item this run returned of
    /// that page).
    type Out = (Value, u64);

    fn next_out(&mut self) -> Option<(Value, u64)> {
        let item = self.items.next()?;
        self.taken += 1;
        Some((item, self.taken - 1))
    }

    fn failed(&self) -> bool {
        self.failed != Failed::No
    }

    fn fail(&mut self) {
        self.failed.set();
    }

    /// Loads a page's items: a list's elements, a string's characters, an object's keys
    /// (as botocore iterates them); nothing for a missing key.
    fn load(&mut self, run: &Run, mut page: Value) -> Result<(), Error> {
        let key = &run.model().inner().result_keys[self.key];
        let value = key.get_mut(&mut page).map(mem::take);
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
                    page: run.pages_taken(),
                    found: json_type(&other),
                    action: "iterated",
                });
            }
        };
        self.items = items.into_iter();
        self.taken = 0;
        Ok(())
    }
}

/// The results of a search expression, one page at a time (G3).
#[derive(Debug)]
pub(crate) struct SearchCursor {
    expr: Expr,
    results: std::vec::IntoIter<Value>,
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
            failed: Failed::No,
        })
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

impl Cursor for SearchCursor {
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
    fn load(&mut self, run: &Run, page: Value) -> Result<(), Error> {
        let found = self.expr.search(&page).map_err(|reason| {
            self.failed = Failed::OnPage;
            Error::Expression {
                operation: run.model().operation().to_owned(),
                expression: self.expr.as_str().to_owned(),
                page: run.pages_taken(),
                reason,
            }
        })?;
        let results = match found.map(std::borrow::Cow::into_owned) {
            Some(Value::Array(a)) => a,
            Some(other) => vec![other],
            None => vec![Value::Null],
        };
        self.results = results.into_iter();
        Ok(())
    }
}

/// Merges pages into botocore's full result (G4).
#[derive(Debug, Default)]
pub(crate) struct FullResult {
    merged: Map<String, Value>,
}

impl FullResult {
    pub(crate) fn add(&mut self, run: &Run, mut page: Value) -> Result<(), Error> {
        for key in &run.model().inner().result_keys {
            let Some(value) = key.get_mut(&mut page).map(mem::take) else {
                continue;
            };
            if value.is_null() {
                continue;
            }
            let mismatch = |expected, found| Error::ResultTypeMismatch {
                operation: run.model().operation().to_owned(),
                key: key.as_str().to_owned(),
                page: run.pages_taken(),
                expected,
                found,
            };
            let Some(existing) = key.get_in_mut(&mut self.merged) else {
                key.set(&mut self.merged, value)
                    .map_err(|(prefix, found)| Error::ResultTypeMismatch {
                        operation: run.model().operation().to_owned(),
                        key: prefix,
                        page: run.pages_taken(),
                        expected: "object",
                        found,
                    })?;
                continue;
            };
            match (existing, value) {
                (Value::Array(a), Value::Array(b)) => a.extend(b),
                (Value::String(a), Value::String(b)) => a.push_str(&b),
                (Value::Number(a), Value::Number(b)) => *a = add_numbers(a, &b),
                // Objects (and flags) keep the first page's value.
                (Value::Object(_), Value::Object(_)) | (Value::Bool(_), Value::Bool(_)) => {}
                (a, b) => return Err(mismatch(json_type(a), json_type(&b))),
            }
        }
        Ok(())
    }

    /// [`FullResult::finish`], deserialized into `T` (`Value` is handed over as it is).
    pub(crate) fn finish_as<T: DeserializeOwned + 'static>(self, run: &Run) -> Result<T, Error> {
        from_json(self.finish(run)).map_err(|e| Error::DeserializeFullResult {
            operation: run.model().operation().to_owned(),
            type_name: std::any::type_name::<T>(),
            reason: e.to_string(),
        })
    }

    /// Adds the non-aggregate part (result keys win where they overlap) and, when the run was
    /// cut by `max_items`, `NextToken`.
    pub(crate) fn finish(mut self, run: &Run) -> Value {
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
