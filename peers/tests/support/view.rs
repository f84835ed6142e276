//! What the two sides are compared on: a [`View`] of each page (result keys, some of their
//! fields, page-level values) and the options of one run ([`Config`]), as paginate and
//! boto3's `PaginationConfig` take them.

use serde_json::{Map, Value, json};

/// The part of a page both sides can be compared on: the result keys (whole items, or
/// some of their fields, leaving out what botocore turns into other types, like
/// timestamps) and some page-level values (tokens, flags, counts).
#[derive(Debug, Clone)]
pub(crate) struct View {
    /// (result key, fields of each item; empty = the whole item). The first is primary.
    pub(crate) lists: Vec<(&'static str, Vec<&'static str>)>,
    /// Page-level keys compared as they are (absent stays absent).
    pub(crate) scalars: Vec<&'static str>,
}

impl View {
    pub(crate) fn project_item(fields: &[&str], item: &Value) -> Value {
        if fields.is_empty() {
            return item.clone();
        }
        let mut out = Map::new();
        for field in fields {
            if let Some(value) = item.get(*field) {
                out.insert((*field).to_owned(), value.clone());
            }
        }
        Value::Object(out)
    }

    pub(crate) fn list(&self, page: &Value, index: usize) -> Vec<Value> {
        let (key, fields) = &self.lists[index];
        match page.get(*key) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| View::project_item(fields, i))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn primary(&self, page: &Value) -> Vec<Value> {
        self.list(page, 0)
    }

    pub(crate) fn of(&self, page: &Value, skip_secondary_lists: bool) -> Value {
        let mut out = Map::new();
        for (index, (key, _)) in self.lists.iter().enumerate() {
            if index > 0 && skip_secondary_lists {
                continue;
            }
            // A secondary key the page lacks is absent on both sides, though botocore writes
            // it as `None` on the first page of a resumed run (its `_handle_first_request`
            // sets an empty value for every secondary key); paginate leaves it absent.
            if page.get(*key).is_some_and(Value::is_array) {
                out.insert((*key).to_owned(), Value::Array(self.list(page, index)));
            }
        }
        // `null` is absent: botocore drops a member a JSON service sends as null (moto sends
        // `"NextToken": null` on last pages, where AWS leaves the member out).
        for key in &self.scalars {
            if let Some(value) = page.get(*key).filter(|v| !v.is_null()) {
                out.insert((*key).to_owned(), value.clone());
            }
        }
        Value::Object(out)
    }
}

/// The options of one run, as paginate and boto3's `PaginationConfig` take them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    pub(crate) page_size: Option<u64>,
    pub(crate) max_items: Option<u64>,
    pub(crate) starting_token: Option<String>,
}

impl Config {
    pub(crate) fn boto3(&self) -> Value {
        let mut config = Map::new();
        if let Some(p) = self.page_size {
            config.insert("PageSize".into(), json!(p));
        }
        if let Some(m) = self.max_items {
            config.insert("MaxItems".into(), json!(m));
        }
        if let Some(t) = &self.starting_token {
            config.insert("StartingToken".into(), json!(t));
        }
        Value::Object(config)
    }
}
