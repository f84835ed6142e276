//! Mistakes that surface (SEMANTICS K1, K2): the top-level page keys a model reads, checked
//! against the page type a run deserializes into before any request (K2), and against the
//! first page a run takes (K1). A key the model reads that is missing where a key with a near
//! name is present is almost always a typo in the declaration (`result_key = "dat"` for
//! `data`); botocore would give an empty or short listing without a word. Here it is an error
//! with a did-you-mean.
//!
//! Nothing else changes: a missing key with no near name is what it always was (no token:
//! the listing ends, L2; no result: nothing to hand out), and models from botocore files are
//! never checked (their outcomes are botocore's, P12).

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::expr::Path;
use crate::model::{Inner, Model};
use crate::page::TakenPage;
use crate::style::Advance;

/// One top-level key a model reads of a page, with the declaration it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadKey {
    /// The declaration key: `output_token`, `result_key`, `more_results`, ...
    pub(crate) field: &'static str,
    /// The top-level key of the page.
    pub(crate) key: String,
}

/// A key the model reads, missing, and the near name found instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NearMiss {
    pub(crate) read: ReadKey,
    pub(crate) found: String,
}

/// The top-level keys `model` reads of a page: the first identifier of each result key,
/// non-aggregate key and body expression (output tokens, `more_results`, `next_url`, `total`).
/// Response headers and `Link` relations are not page keys; `@` names no key.
pub(crate) fn read_keys(model: &Inner) -> Vec<ReadKey> {
    let mut keys: Vec<ReadKey> = Vec::new();
    let mut add = |field: &'static str, key: &str| {
        if !key.is_empty() && !keys.iter().any(|k| k.key == key) {
            keys.push(ReadKey {
                field,
                key: key.to_owned(),
            });
        }
    };
    for path in &model.result_keys {
        add("result_key", Path::top(path));
    }
    for source in &model.output_tokens {
        if let Some(expr) = source.expr() {
            for (key, _) in &expr.needs().keys {
                add("output_token", key);
            }
        }
    }
    if let Some(expr) = &model.more_results {
        for (key, _) in &expr.needs().keys {
            add("more_results", key);
        }
    }
    if let Advance::NextUrl { source, .. } = &model.style.advance
        && let Some(expr) = source.expr()
    {
        for (key, _) in &expr.needs().keys {
            add("next_url", key);
        }
    }
    if let Some(expr) = model.style.stops.total.as_ref().and_then(|s| s.expr()) {
        for (key, _) in &expr.needs().keys {
            add("total", key);
        }
    }
    for path in &model.non_aggregate_keys {
        add("non_aggregate_keys", Path::top(path));
    }
    keys
}

/// Every name the model declares: a page key that is one of them is accounted for, never a
/// near miss of another (S3 pages carry `Marker` beside `NextMarker`).
fn declared(model: &Inner, read: &[ReadKey]) -> Vec<String> {
    let mut names: Vec<String> = read.iter().map(|k| k.key.clone()).collect();
    names.extend(model.input_tokens.iter().cloned());
    names.extend(model.limit_key.iter().cloned());
    names.extend(model.style.resend.iter().cloned());
    names
}

/// Whether the declaration that reads a key reads a position or a stop (an output token,
/// `more_results`, `next_url`, `total`): keys that a listing's last page leaves out while it
/// holds a sibling (`prevPageToken` beside no `nextPageToken`, Graph's `@odata.deltaLink` in
/// place of `@odata.nextLink`), so only a name one edit away counts as their near miss.
fn reads_a_position(field: &str) -> bool {
    !matches!(field, "result_key" | "non_aggregate_keys")
}

/// True when `a` and `b`, folded (case, `_` and `-` ignored), are at most one edit apart.
fn one_edit_apart(a: &str, b: &str) -> bool {
    use paginated_rules::{edit_distance, fold};
    edit_distance(&fold(a), &fold(b)) <= 1
}

/// The first key `model` reads that is not in `present` while a near name is (K1, K2); none
/// for a model that does not check, or whose page is a bare array (P1: no keys to read).
fn near_miss<'p>(
    model: &Model,
    present: impl Iterator<Item = &'p str> + Clone,
) -> Option<NearMiss> {
    let model = model.inner();
    if !model.check_keys || model.whole_page() {
        return None;
    }
    let read = read_keys(model);
    let declared = declared(model, &read);
    read.into_iter().find_map(|read| {
        if present.clone().any(|k| k == read.key) {
            return None;
        }
        let candidates = present.clone().filter(|k| {
            let k = paginated_rules::fold(k);
            !declared.iter().any(|d| paginated_rules::fold(d) == k)
        });
        let found = paginated_rules::did_you_mean(&read.key, candidates)?;
        if reads_a_position(read.field) && !one_edit_apart(&read.key, found) {
            return None;
        }
        Some(NearMiss {
            found: found.to_owned(),
            read,
        })
    })
}

/// K1: on the first page a run takes, a key the model reads that the page lacks while it has
/// a key with a near name. Only pages that are objects are checked (an array page is refused
/// on its own, L7, P1).
pub(crate) fn check_page(model: &Model, page: &TakenPage) -> Option<NearMiss> {
    let keys = page.top_keys();
    near_miss(model, keys.iter().copied())
}

/// K2: a key the model reads that the page type lacks while it has a field with a near name.
pub(crate) fn check_type(model: &Model, fields: &[&'static str]) -> Option<NearMiss> {
    near_miss(model, fields.iter().copied())
}

/// The serialized field names of `T` when it deserializes as a struct with named fields
/// (`#[derive(Deserialize)]`, renames applied); `None` for anything else (a `Value`, a map,
/// a struct with `#[serde(flatten)]`, an enum), whose keys cannot be known ahead.
pub(crate) fn field_names<T: for<'de> Deserialize<'de>>() -> Option<&'static [&'static str]> {
    let mut probe = FieldProbe(None);
    // The probe refuses every call; what matters is what `deserialize_struct` was told.
    let _refused = T::deserialize(&mut probe);
    probe.0
}

/// A deserializer that only records the field list a struct's `Deserialize` passes it.
struct FieldProbe(Option<&'static [&'static str]>);

#[derive(Debug)]
struct Probed;

impl std::fmt::Display for Probed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("probed for field names")
    }
}

impl std::error::Error for Probed {}

impl de::Error for Probed {
    fn custom<M: std::fmt::Display>(_msg: M) -> Self {
        Probed
    }
}

impl<'de> Deserializer<'de> for &mut FieldProbe {
    type Error = Probed;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Probed> {
        Err(Probed)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Probed> {
        self.0 = Some(fields);
        Err(Probed)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::Value;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    #[serde(rename_all = "camelCase")]
    struct Page {
        next_token: Option<String>,
        items: Vec<Value>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Flattened {
        #[serde(flatten)]
        rest: serde_json::Map<String, Value>,
    }

    #[test]
    fn field_names_are_the_serialized_ones_of_plain_structs_only() {
        assert_eq!(field_names::<Page>(), Some(&["nextToken", "items"][..]));
        assert_eq!(
            field_names::<Box<Page>>(),
            Some(&["nextToken", "items"][..])
        );
        assert_eq!(field_names::<Value>(), None);
        assert_eq!(field_names::<Flattened>(), None);
        assert_eq!(field_names::<Option<Page>>(), None);
        assert_eq!(field_names::<Vec<Page>>(), None);
    }

    fn model(output: &str, result: &str) -> Model {
        Model::builder("ListPosts")
            .input_token("cursor")
            .output_token(output)
            .result_key(result)
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_read_key_missing_beside_a_near_name_is_a_near_miss() {
        let m = model("next", "dat");
        let found = check_type(&m, &["data", "next"]);
        assert_eq!(
            found,
            Some(NearMiss {
                read: ReadKey {
                    field: "result_key",
                    key: "dat".into()
                },
                found: "data".into()
            })
        );
        let m = model("nxt", "data");
        assert_eq!(
            check_type(&m, &["data", "next"]).map(|n| (n.read.field, n.found)),
            Some(("output_token", "next".to_owned()))
        );
    }

    #[test]
    fn missing_keys_without_a_near_name_and_declared_names_are_not_near_misses() {
        // A page type need not hold the token: nothing near `next_cursor` here.
        assert_eq!(check_type(&model("next_cursor", "data"), &["data"]), None);
        // `Marker` is the input token: S3 pages echo it beside `NextMarker`.
        let s3 = Model::builder("ListObjects")
            .input_token("Marker")
            .output_token("NextMarke")
            .result_key("Contents")
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check_type(&s3, &["Contents", "Marker"]), None);
        // Off for botocore models and on request.
        let off = Model::builder("ListPosts")
            .input_token("cursor")
            .output_token("nxt")
            .result_key("data")
            .check_keys(false)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check_type(&off, &["data", "next"]), None);
        let botocore = Model::from_botocore(
            "ListPosts",
            &serde_json::json!({"input_token": "cursor", "output_token": "nxt", "result_key": "data"}),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check_type(&botocore, &["data", "next"]), None);
    }

    #[test]
    fn one_edit_apart_is_folded_and_counts_one_edit() {
        for (a, b) in [
            ("nxt", "next"),
            ("next", "nxt"),
            ("NextToken", "nextToken"),
            ("next_token", "nextToken"),
            ("NextMarkr", "NextMarker"),
            ("nezt", "next"),
            ("a", "a"),
        ] {
            assert!(one_edit_apart(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("nextPageToken", "prevPageToken"),
            ("@odata.nextLink", "@odata.deltaLink"),
            ("next_page_url", "prev_page_url"),
            ("nxet", "next"),
            ("next", "ne"),
        ] {
            assert!(!one_edit_apart(a, b), "{a} {b}");
        }
    }

    #[test]
    fn a_missing_token_beside_its_sibling_is_no_near_miss() {
        // The last page of a Graph delta query has `@odata.deltaLink`, not `@odata.nextLink`.
        let graph = Model::builder("ListUsersDelta")
            .next_url("\"@odata.nextLink\"")
            .result_key("value")
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check_type(&graph, &["value", "@odata.deltaLink"]), None);
        // YouTube's last page has `prevPageToken` and no `nextPageToken`.
        assert_eq!(
            check_type(
                &model("nextPageToken", "items"),
                &["items", "prevPageToken"]
            ),
            None
        );
        // A result key is a list the page always has: a near name there is a typo.
        assert!(check_type(&model("next", "itemz"), &["items", "next"]).is_some());
        // Declared names compare folded: `pageToken` is the input token `page_token`.
        let folded = Model::builder("ListThings")
            .input_token("page_token")
            .output_token("next_page_tokn")
            .result_key("items")
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check_type(&folded, &["items", "pageToken"]), None);
    }

    #[test]
    fn keys_read_by_expressions_are_their_top_level_keys() {
        let m = Model::builder("ListThings")
            .input_token("Marker")
            .output_token("NextMarker || Contents[-1].Key")
            .result_key("Contents")
            .more_results("IsTruncated")
            .non_aggregate_key("Prefix.Value")
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let keys: Vec<_> = read_keys(m.inner())
            .into_iter()
            .map(|k| (k.field, k.key))
            .collect();
        assert_eq!(
            keys,
            [
                ("result_key", "Contents".to_owned()),
                ("output_token", "NextMarker".to_owned()),
                ("more_results", "IsTruncated".to_owned()),
                ("non_aggregate_keys", "Prefix".to_owned()),
            ]
        );
    }
}
