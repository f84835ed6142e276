//! A page as the engine holds it: JSON the transport parsed, or a body read without a tree
//! ([`BodyPage`], G8). The rules read and change pages only through [`TakenPage`], so each rule
//! is written once and holds the same on both. The driver reads a transport's reply into a
//! `TakenPage` (`driver/read.rs`); the engine takes it from there.

use std::any::TypeId;

use serde::de::{DeserializeOwned, DeserializeSeed};
use serde_json::Value;

use crate::expr::{Expr, KeyNeed, Needs, Path};
use crate::model::Model;
use crate::raw_page::{BodyPage, ItemSpans, NotValue, TopValue};
use crate::results::{from_json, non_aggregate_part};
use crate::slicing::{blank, count_items, skip_front, truncate};

/// One page taken by a run.
#[derive(Debug)]
pub(crate) enum TakenPage {
    Value(Value),
    Body(BodyPage),
}

impl TakenPage {
    /// The JSON type of a page that is not an object; `None` for an object.
    pub(crate) fn not_object(&self) -> Option<&'static str> {
        match self {
            TakenPage::Value(Value::Object(_)) => None,
            TakenPage::Value(other) => Some(crate::token::json_type(other)),
            TakenPage::Body(page) => page.not_object(),
        }
    }

    /// The JSON type of a page that is not an array; `None` for an array (P1).
    pub(crate) fn not_array(&self) -> Option<&'static str> {
        match self {
            TakenPage::Value(Value::Array(_)) => None,
            TakenPage::Value(other) => Some(crate::token::json_type(other)),
            TakenPage::Body(page) => page.not_array(),
        }
    }

    /// The page's top-level keys (none for a page that is not an object), for K1.
    pub(crate) fn top_keys(&self) -> Vec<&str> {
        match self {
            TakenPage::Value(Value::Object(map)) => map.keys().map(String::as_str).collect(),
            TakenPage::Value(_) => Vec::new(),
            TakenPage::Body(page) => page.keys().collect(),
        }
    }

    /// Evaluates `expr` on the page: on a body, on a view of just what it reads.
    pub(crate) fn search(&self, expr: &Expr) -> Result<Option<Value>, SearchFailed> {
        let found = match self {
            TakenPage::Value(page) => expr
                .search(page)
                .map(|v| v.map(std::borrow::Cow::into_owned)),
            TakenPage::Body(page) => {
                let view =
                    page.view(expr.needs())
                        .map_err(|NotValue(e)| SearchFailed::NotJson {
                            reason: e.to_string(),
                            body: page.preview(),
                        })?;
                expr.search(&view)
                    .map(|v| v.map(std::borrow::Cow::into_owned))
            }
        };
        found.map_err(SearchFailed::Expression)
    }

    /// M1: the number of items at `key`. On a body, a top-level key's list, or the page
    /// itself when it is an array (`@`, P1), is one slot of element spans: counted, cut and
    /// skipped without reading its elements.
    pub(crate) fn count(&self, key: &Path) -> Result<u64, &'static str> {
        match self {
            TakenPage::Value(page) => count_items(key.get(page)),
            // `@` on an object: the run refuses such a page before it counts (P1).
            TakenPage::Body(page) if key.is_whole() && page.not_array().is_some() => Err("object"),
            TakenPage::Body(page) => match page.slot(key.top()) {
                None => count_items(None),
                Some(TopValue::Items(items)) if key.is_slot() => Ok(items.len() as u64),
                Some(TopValue::Json(value)) => count_items(key.get_below_top(value)),
                Some(other) => count_items(key.get_below_top(&page.checked(other))),
            },
        }
    }

    /// M2: keeps the first `keep` items at `key`.
    pub(crate) fn truncate(&mut self, key: &Path, keep: u64) -> Result<(), &'static str> {
        let keep_at = usize::try_from(keep).unwrap_or(usize::MAX);
        self.edit(key, |items| items.truncate(keep_at), |v| truncate(v, keep))
    }

    /// R6: drops the first `offset` items at `key`.
    pub(crate) fn skip_front(&mut self, key: &Path, offset: u64) -> Result<(), &'static str> {
        let at = usize::try_from(offset).unwrap_or(usize::MAX);
        self.edit(key, |items| items.skip_front(at), |v| skip_front(v, offset))
    }

    /// R6: empties a secondary result already handed out before a resume.
    pub(crate) fn blank(&mut self, key: &Path) {
        let blanked = self.edit(key, ItemSpans::clear, |v| {
            blank(v);
            Ok(())
        });
        // Neither edit can fail: blanking takes any value.
        debug_assert!(blanked.is_ok(), "blanking {} failed", key.as_str());
    }

    /// Changes the value at `key`: a body's list of element spans with `on_items`, any other
    /// value (read into JSON first) with `on_json`. A missing key is left alone.
    fn edit(
        &mut self,
        key: &Path,
        on_items: impl FnOnce(&mut ItemSpans),
        on_json: impl FnOnce(&mut Value) -> Result<(), &'static str>,
    ) -> Result<(), &'static str> {
        let value = match self {
            TakenPage::Value(page) => key.get_mut(page),
            // `@` on an object: the run refuses such a page before it cuts (P1).
            TakenPage::Body(page) if key.is_whole() && page.not_array().is_some() => {
                return Err("object");
            }
            TakenPage::Body(page) => {
                if key.is_slot()
                    && let Some(TopValue::Items(_)) = page.slot(key.top())
                {
                    match page.slot_mut(key.top()) {
                        Some(TopValue::Items(items)) => on_items(items),
                        // The same slot was just read as a list.
                        _ => debug_assert!(false, "the list of {} went missing", key.as_str()),
                    }
                    return Ok(());
                }
                page.json_mut(key.top())
                    .and_then(|v| key.get_below_top_mut(v))
            }
        };
        value.map_or(Ok(()), on_json)
    }

    /// G5: the non-aggregate keys of the page.
    pub(crate) fn non_aggregate_part(&self, model: &Model) -> Value {
        match self {
            TakenPage::Value(page) => non_aggregate_part(model, page),
            TakenPage::Body(page) => {
                let needs = Needs {
                    page: false,
                    page_at: Vec::new(),
                    keys: model
                        .inner()
                        .non_aggregate_keys
                        .iter()
                        .map(|k| (k.top().to_owned(), KeyNeed::Whole))
                        .collect(),
                };
                // Non-aggregate keys are not a typed item cursor's list, so this view is of
                // values the pass read as a `Value` reads them.
                non_aggregate_part(model, &page.view(&needs).unwrap_or(Value::Null))
            }
        }
    }

    /// The page as a `T` (G1): a `Value` page through [`from_json`], a body straight from its
    /// text. Errors are serde_json's, without a position, so both say the same.
    pub(crate) fn into_typed<T: DeserializeOwned + 'static>(self) -> Result<T, String> {
        match self {
            TakenPage::Value(page) => from_json(page).map_err(|e| e.to_string()),
            TakenPage::Body(page) if TypeId::of::<T>() == TypeId::of::<Value>() => page
                .to_value()
                .map_err(|NotValue(e)| e.to_string())
                .and_then(|value| from_json(value).map_err(|e| e.to_string())),
            TakenPage::Body(page) => from_text(&page.json_text()),
        }
    }
}

/// Why an expression could not be evaluated on a page.
#[derive(Debug)]
pub(crate) enum SearchFailed {
    /// A runtime error of the expression (E-rules).
    Expression(String),
    /// A value the expression reads could not be read as a `Value` (G8): serde_json's reason
    /// and the start of the body.
    NotJson { reason: String, body: String },
}

/// `T` from JSON text; the error without its "at line … column …", which a `Value` page
/// (read through `serde_json::from_value`) has no way to say.
pub(crate) fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| without_position(&e))
}

/// What `seed` reads of `text`, the whole of it (only whitespace may follow), as
/// [`from_text`] reads a `T`: the one way a seed is read from text, for the values a page read
/// in one pass hands its type and the lists of a merged full result.
pub(crate) fn seed_from_text<'de, S: DeserializeSeed<'de>>(
    seed: S,
    text: &'de str,
) -> Result<S::Value, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = seed.deserialize(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// serde_json's message without the position it appends.
pub(crate) fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&suffix) {
        Some(message) => message.to_owned(),
        None => text,
    }
}
