//! Dotted paths: the result and non-aggregate keys of a model (SEMANTICS S1), read from and
//! written back into pages.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::ParseFailure;

/// A result or non-aggregate key: identifiers joined by dots (`EngineDefaults.Parameters`).
/// Results are written back at this path, which is why nothing more general is allowed (S1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Path {
    source: Arc<str>,
    pub(super) parts: Vec<String>,
}

impl Path {
    /// Parses a dotted path; `Err(None)` when it parses as JMESPath but is not a dotted path.
    pub(crate) fn parse(source: &str) -> Result<Path, Option<ParseFailure>> {
        // P1: `@`, the page itself, is the path of no identifiers.
        if source == paginated_rules::WHOLE_PAGE {
            return Ok(Path {
                source: Arc::from(source),
                parts: Vec::new(),
            });
        }
        // The nesting bound applies here too: a path is parsed by the same recursive parser.
        let ast = super::parse(source).map_err(Some)?;
        // The one definition of a dotted path, `paginated-rules`' (S1).
        let parts = paginated_rules::dotted_path(&ast)
            .ok_or(None)?
            .into_iter()
            .map(str::to_owned)
            .collect();
        Ok(Path {
            source: Arc::from(source),
            parts,
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.source
    }

    /// The first identifier: the page's top-level key the path starts at.
    pub(crate) fn top(&self) -> &str {
        self.parts.first().map_or("", String::as_str)
    }

    /// True for `@`: the page itself (P1).
    pub(crate) fn is_whole(&self) -> bool {
        self.parts.is_empty()
    }

    /// True when the path is one identifier, a top-level key.
    pub(crate) fn is_top_level(&self) -> bool {
        self.parts.len() == 1
    }

    /// True when the path names one slot of a page read from a body (G8): a top-level key,
    /// or `@`, the page itself (P1), whose slot on an array page is named [`Path::top`], `""`.
    pub(crate) fn is_slot(&self) -> bool {
        self.parts.len() <= 1
    }

    /// Follows the path below its first identifier, from that key's value.
    pub(crate) fn get_below_top<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        let mut at = value;
        for part in self.parts.iter().skip(1) {
            at = at.as_object()?.get(part)?;
        }
        Some(at)
    }

    /// Like [`Path::get_below_top`], for changing the value.
    pub(crate) fn get_below_top_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        let mut at = value;
        for part in self.parts.iter().skip(1) {
            at = at.as_object_mut()?.get_mut(part)?;
        }
        Some(at)
    }

    pub(crate) fn get<'v>(&self, data: &'v Value) -> Option<&'v Value> {
        let mut at = data;
        for part in &self.parts {
            at = at.as_object()?.get(part)?;
        }
        Some(at)
    }

    pub(crate) fn get_mut<'v>(&self, data: &'v mut Value) -> Option<&'v mut Value> {
        let mut at = data;
        for part in &self.parts {
            at = at.as_object_mut()?.get_mut(part)?;
        }
        Some(at)
    }

    /// Like [`Path::get_mut`], starting from an object's map.
    pub(crate) fn get_in_mut<'v>(&self, map: &'v mut Map<String, Value>) -> Option<&'v mut Value> {
        let (first, rest) = self.parts.split_first()?;
        let mut at = map.get_mut(first)?;
        for part in rest {
            at = at.as_object_mut()?.get_mut(part)?;
        }
        Some(at)
    }

    /// Writes `value` at the path, creating the objects on the way.
    /// `Err` carries the dotted prefix that exists but is not an object, and its JSON type.
    pub(crate) fn set(
        &self,
        data: &mut Map<String, Value>,
        value: Value,
    ) -> Result<(), (String, &'static str)> {
        let Some((last, parents)) = self.parts.split_last() else {
            return Ok(());
        };
        let mut at = data;
        for (i, part) in parents.iter().enumerate() {
            let slot = at
                .entry(part.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            at = match slot {
                Value::Object(m) => m,
                other => return Err((self.parts[..=i].join("."), crate::token::json_type(other))),
            };
        }
        at.insert(last.clone(), value);
        Ok(())
    }
}
