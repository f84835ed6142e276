//! Pagination models: what an operation's pagination is (SEMANTICS §1), and the three doors
//! a model comes through (S2): `#[derive(Paginated)]`, [`Model::builder`] in code
//! ([`ModelBuilder`]), and botocore's files ([`Model::from_botocore`] for one entry,
//! [`Registry`] for a whole `paginators-1.json`). Every door checks a declaration with the
//! same rules (S1); a refused one is [`Error::InvalidModel`]
//! with the [`ModelProblem`].
//!
//! This file holds the model itself and its botocore constructor; the builder is in
//! `builder.rs`, whole files in `registry.rs`.

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use crate::error::Error;
use crate::expr::{Expr, Path};
use crate::route::Route;
use crate::style::{Source, Style};
use crate::token::json_type;

pub use crate::builder::ModelBuilder;
pub use crate::error::ModelProblem;
pub use crate::registry::Registry;

/// How a page size is written into the limit parameter (O2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum LimitType {
    /// As a JSON number: `"MaxKeys": 100`. The default.
    #[default]
    Integer,
    /// As a JSON string, for services whose limit is string-typed (route53 `MaxItems`): `"MaxItems": "100"`.
    String,
}

/// An operation's compiled pagination model.
///
/// Validated when built (S1); its expressions are compiled once (S3). Cloning is cheap: the
/// model is shared behind an `Arc`, so one model serves any number of runs and threads.
///
/// ```
/// use paginated::Model;
///
/// let model = Model::builder("ListObjects")
///     .input_token("Marker")
///     .output_token("NextMarker || Contents[-1].Key")
///     .result_key("Contents")
///     .result_key("CommonPrefixes")
///     .more_results("IsTruncated")
///     .limit_key("MaxKeys")
///     .build()?;
/// assert_eq!(model.result_keys().collect::<Vec<_>>(), ["Contents", "CommonPrefixes"]);
/// # Ok::<(), paginated::Error>(())
/// ```
#[derive(Clone)]
pub struct Model(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub(crate) operation: String,
    pub(crate) input_tokens: Vec<String>,
    /// Where each position value comes from; empty for an offset or next-URL style, whose
    /// values are computed or come from `style` (P4, P2).
    pub(crate) output_tokens: Vec<Source>,
    pub(crate) result_keys: Vec<Path>,
    pub(crate) limit_key: Option<String>,
    pub(crate) limit_type: LimitType,
    pub(crate) more_results: Option<Expr>,
    pub(crate) non_aggregate_keys: Vec<Path>,
    pub(crate) route: Option<Route>,
    pub(crate) style: Style,
    /// K1, K2: runs check the page keys the model reads.
    pub(crate) check_keys: bool,
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.0;
        f.debug_struct("Model")
            .field("operation", &m.operation)
            .field("input_token", &m.input_tokens)
            .field("output_token", &self.output_tokens().collect::<Vec<_>>())
            .field("result_key", &self.result_keys().collect::<Vec<_>>())
            .field("limit_key", &m.limit_key)
            .field("limit_type", &m.limit_type)
            .field("more_results", &m.more_results.as_ref().map(Expr::as_str))
            .field(
                "non_aggregate_keys",
                &self.non_aggregate_keys().collect::<Vec<_>>(),
            )
            .field("route", &m.route.as_ref().map(Route::as_str))
            .finish()
    }
}

impl Model {
    /// Starts a model for `operation` (the name the transport receives).
    pub fn builder(operation: impl Into<String>) -> ModelBuilder {
        ModelBuilder {
            operation: operation.into(),
            ..ModelBuilder::default()
        }
    }

    /// Builds the model from one entry of a botocore `paginators-1.json`, for example
    /// `{"input_token": "Marker", "output_token": "NextMarker", "result_key": "Contents"}`.
    ///
    /// ```
    /// use paginated::Model;
    ///
    /// let entry = serde_json::json!({
    ///     "input_token": ["StartRecordName", "StartRecordType", "StartRecordIdentifier"],
    ///     "output_token": ["NextRecordName", "NextRecordType", "NextRecordIdentifier"],
    ///     "more_results": "IsTruncated",
    ///     "limit_key": "MaxItems",
    ///     "result_key": "ResourceRecordSets"
    /// });
    /// let model = Model::from_botocore("ListResourceRecordSets", &entry)?;
    /// assert_eq!(model.input_tokens().len(), 3);
    /// # Ok::<(), paginated::Error>(())
    /// ```
    pub fn from_botocore(operation: impl Into<String>, entry: &Value) -> Result<Model, Error> {
        let operation = operation.into();
        let invalid = |problem| Error::InvalidModel {
            operation: operation.clone(),
            problem,
        };
        let Value::Object(fields) = entry else {
            return Err(invalid(ModelProblem::WrongType {
                field: "<entry>".into(),
                expected: "an object",
                found: json_type(entry),
            }));
        };
        let mut b = Model::builder(operation.clone());
        for (field, value) in fields {
            let list = |name: &'static str| string_list(name, value).map_err(invalid);
            let single = |name: &'static str| match value {
                Value::String(s) => Ok(s.clone()),
                other => Err(invalid(ModelProblem::WrongType {
                    field: name.into(),
                    expected: "a string",
                    found: json_type(other),
                })),
            };
            match field.as_str() {
                "input_token" => b.input_tokens = list("input_token")?,
                "output_token" => b.output_tokens = list("output_token")?,
                "result_key" => b.result_keys = list("result_key")?,
                "non_aggregate_keys" => b.non_aggregate_keys = list("non_aggregate_keys")?,
                "limit_key" => b.limit_key = Some(single("limit_key")?),
                "more_results" => b.more_results = Some(single("more_results")?),
                other => {
                    return Err(invalid(ModelProblem::UnknownField {
                        field: other.to_owned(),
                    }));
                }
            }
        }
        if let Some(problem) = style_value(&b) {
            return Err(invalid(problem));
        }
        // K1, K2 do not apply: a botocore model gives botocore's outcomes, a page without a
        // declared key included.
        b.unchecked_keys = true;
        b.build()
    }

    /// The operation name passed to the transport.
    pub fn operation(&self) -> &str {
        &self.0.operation
    }

    /// The names of the values a position holds, in model order, as resume tokens write
    /// them (R1): the request parameters that carry the continuation (an entry written
    /// `header('Name')` goes in that request header, P11); `next_url` for a model that
    /// follows URLs (P2); the offset or page-number parameter (P4, P5), and after a page
    /// number the `limit_key`, whose value a page-number token records.
    pub fn input_tokens(&self) -> &[String] {
        &self.0.input_tokens
    }

    /// The output token sources (JMESPath expressions, or `header('…')` / `link('…')`),
    /// paired with [`Model::input_tokens`] by position; empty for an offset or next-URL
    /// style, and at most one for a page number.
    pub fn output_tokens(&self) -> impl ExactSizeIterator<Item = &str> {
        self.0.output_tokens.iter().map(Source::as_str)
    }

    /// The result keys; the first is the primary key, the one `max_items` counts (M1).
    pub fn result_keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.0.result_keys.iter().map(Path::as_str)
    }

    /// The request parameter that receives the page size, if any.
    pub fn limit_key(&self) -> Option<&str> {
        self.0.limit_key.as_deref()
    }

    /// How the page size is written into [`Model::limit_key`].
    pub fn limit_type(&self) -> LimitType {
        self.0.limit_type
    }

    /// The `more_results` expression, if any.
    pub fn more_results(&self) -> Option<&str> {
        self.0.more_results.as_ref().map(Expr::as_str)
    }

    /// The non-aggregate keys, reported from the first page of a run.
    pub fn non_aggregate_keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.0.non_aggregate_keys.iter().map(Path::as_str)
    }

    /// Whether runs check the page keys this model reads (SEMANTICS K1, K2): true unless the
    /// model comes from a botocore file or [`ModelBuilder::check_keys`](crate::model::ModelBuilder::check_keys) turned it off.
    pub fn checks_keys(&self) -> bool {
        self.0.check_keys
    }

    /// The HTTP route of the operation, if the model has one: what the ready HTTP transports
    /// send each page request to.
    pub fn route(&self) -> Option<&Route> {
        self.0.route.as_ref()
    }

    /// A copy of this model whose page size is written as `limit_type`.
    pub fn with_limit_type(&self, limit_type: LimitType) -> Model {
        let mut copy = self.inner_clone();
        copy.limit_type = limit_type;
        Model(Arc::new(copy))
    }

    /// A copy of this model with the HTTP route `route`, e.g. for a model loaded from a
    /// botocore file, whose entries carry no route.
    ///
    /// ```
    /// use paginated::Model;
    /// use paginated::route::{Method, Route};
    ///
    /// let model = Model::builder("ListOrders")
    ///     .input_token("cursor").output_token("next_cursor").result_key("orders")
    ///     .build()?
    ///     .with_route(Route::parse("GET /v1/orders")?);
    /// assert_eq!(model.route().map(Route::method), Some(Method::Get));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_route(&self, route: Route) -> Model {
        let mut copy = self.inner_clone();
        copy.route = Some(route);
        Model(Arc::new(copy))
    }

    fn inner_clone(&self) -> Inner {
        let m = &self.0;
        Inner {
            operation: m.operation.clone(),
            input_tokens: m.input_tokens.clone(),
            output_tokens: m.output_tokens.clone(),
            result_keys: m.result_keys.clone(),
            limit_key: m.limit_key.clone(),
            limit_type: m.limit_type,
            more_results: m.more_results.clone(),
            non_aggregate_keys: m.non_aggregate_keys.clone(),
            route: m.route.clone(),
            style: m.style.clone(),
            check_keys: m.check_keys,
        }
    }

    /// What a run holds when its request type could not give its model (a hand-written
    /// [`Paginated::pagination_model`](crate::Paginated::pagination_model) that failed; a
    /// derived one cannot): the operation's name and nothing else, no token, key or
    /// expression made up. Only a run that reports its error on the first step and sends
    /// nothing holds one, so nothing reads its empty lists.
    pub(crate) fn unavailable(operation: String) -> Model {
        Model(Arc::new(Inner {
            operation,
            input_tokens: Vec::new(),
            output_tokens: Vec::new(),
            result_keys: Vec::new(),
            limit_key: None,
            limit_type: LimitType::Integer,
            more_results: None,
            non_aggregate_keys: Vec::new(),
            route: None,
            style: Style::tokens(&[]),
            check_keys: false,
        }))
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.0
    }
}

impl Inner {
    /// P1: the primary result is the page itself, a bare array (`result_key = "@"`).
    pub(crate) fn whole_page(&self) -> bool {
        self.result_keys.first().is_some_and(Path::is_whole)
    }
}

/// P12: a botocore entry is botocore's, with no pagination-style value in its keys: no
/// `@` result key, no `header('…')`/`link('…')` source, no header target. botocore would
/// refuse each (JMESPath has no such functions; `@` is no result key it can write back), so
/// refusing them keeps every botocore outcome as it was.
fn style_value(b: &ModelBuilder) -> Option<ModelProblem> {
    use paginated_rules::{Source, Target};
    let refused = |field: &'static str, value: &str| ModelProblem::Style {
        field,
        value: value.to_owned(),
        reason: "is a pagination-style value (SEMANTICS §8), which a botocore entry cannot hold; \
                 declare the model with `Model::builder` or the derive instead"
            .to_owned(),
    };
    if let Some(key) = b
        .result_keys
        .iter()
        .find(|k| *k == paginated_rules::WHOLE_PAGE)
    {
        return Some(refused("result_key", key));
    }
    if let Some(t) = b
        .output_tokens
        .iter()
        .find(|t| !matches!(Source::parse(t), Source::Expression(_)))
    {
        return Some(refused("output_token", t));
    }
    let header = |name: &String| matches!(Target::parse(name), Target::Header(_));
    if let Some(t) = b.input_tokens.iter().find(|t| header(t)) {
        return Some(refused("input_token", t));
    }
    b.limit_key
        .as_ref()
        .filter(|l| header(l))
        .map(|l| refused("limit_key", l))
}

fn string_list(field: &'static str, value: &Value) -> Result<Vec<String>, ModelProblem> {
    let wrong = |found| ModelProblem::WrongType {
        field: field.into(),
        expected: "a string or a list of strings",
        found,
    };
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(wrong(json_type(other))),
            })
            .collect(),
        other => Err(wrong(json_type(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problem(entry: Value) -> ModelProblem {
        match Model::from_botocore("Op", &entry) {
            Err(Error::InvalidModel { operation, problem }) => {
                assert_eq!(operation, "Op");
                problem
            }
            other => panic!("expected an invalid model, got {other:?}"),
        }
    }

    // S1: every validation, each a typed error naming the field.
    #[test]
    fn s1_validation() {
        let ok = json!({"input_token": "M", "output_token": "N", "result_key": "R"});
        assert!(Model::from_botocore("Op", &ok).is_ok());
        assert_eq!(
            problem(json!({"output_token": "N", "result_key": "R"})),
            ModelProblem::Missing {
                field: "input_token"
            }
        );
        assert_eq!(
            problem(json!({"input_token": [], "output_token": [], "result_key": "R"})),
            ModelProblem::Missing {
                field: "input_token"
            }
        );
        assert_eq!(
            problem(json!({"input_token": ["A", "B"], "output_token": "N", "result_key": "R"})),
            ModelProblem::TokenCountMismatch {
                input: 2,
                output: 1
            }
        );
        assert_eq!(
            problem(json!({"input_token": "M", "output_token": "N"})),
            ModelProblem::Missing {
                field: "result_key"
            }
        );
        assert!(matches!(
            problem(json!({"input_token": "M", "output_token": "N[", "result_key": "R"})),
            ModelProblem::BadExpression {
                field: "output_token",
                ..
            }
        ));
        assert!(matches!(
            problem(
                json!({"input_token": "M", "output_token": "N", "result_key": "R", "more_results": "&&"})
            ),
            ModelProblem::BadExpression {
                field: "more_results",
                ..
            }
        ));
        assert_eq!(
            problem(json!({"input_token": "M", "output_token": "N", "result_key": "R[0]"})),
            ModelProblem::NotADottedPath {
                field: "result_key",
                expression: "R[0]".into()
            }
        );
        assert_eq!(
            problem(
                json!({"input_token": "M", "output_token": "N", "result_key": "R", "non_aggregate_keys": ["a || b"]})
            ),
            ModelProblem::NotADottedPath {
                field: "non_aggregate_keys",
                expression: "a || b".into()
            }
        );
        assert_eq!(
            problem(json!({"input_token": "M", "output_token": "N", "result_key": 3})),
            ModelProblem::WrongType {
                field: "result_key".into(),
                expected: "a string or a list of strings",
                found: "number"
            }
        );
        assert_eq!(
            problem(
                json!({"input_token": "M", "output_token": "N", "result_key": "R", "limit_key": ["L"]})
            ),
            ModelProblem::WrongType {
                field: "limit_key".into(),
                expected: "a string",
                found: "array"
            }
        );
        assert_eq!(
            problem(
                json!({"input_token": ["M", "M"], "output_token": ["A", "B"], "result_key": "R"})
            ),
            ModelProblem::Duplicate {
                field: "input_token",
                name: "M".into()
            }
        );
        assert_eq!(
            problem(
                json!({"input_token": "M", "output_token": "N", "result_key": "R", "max_items": 3})
            ),
            ModelProblem::UnknownField {
                field: "max_items".into()
            }
        );
        assert!(matches!(
            problem(json!([])),
            ModelProblem::WrongType { found: "array", .. }
        ));
        let msg = Model::from_botocore(
            "ListThings",
            &json!({"input_token": "M", "output_token": ["A", "B"], "result_key": "R"}),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            msg,
            "invalid pagination model for ListThings: `input_token` has 1 entry but `output_token` has 2; they pair up by position"
        );
    }

    // P12: a botocore entry holds no pagination-style value, even in the keys it knows.
    #[test]
    fn p12_botocore_entries_hold_no_style_values() {
        for entry in [
            json!({"input_token": "M", "output_token": "N", "result_key": "@"}),
            json!({"input_token": "M", "output_token": "link('next')", "result_key": "R"}),
            json!({"input_token": "header('Range')", "output_token": "N", "result_key": "R"}),
            json!({"input_token": "M", "output_token": "N", "result_key": "R", "limit_key": "header('max')"}),
            json!({"input_token": "M", "output_token": "N", "result_key": "R", "next_url": "next"}),
        ] {
            let problem = problem(entry.clone());
            assert!(
                matches!(
                    problem,
                    ModelProblem::Style { .. } | ModelProblem::UnknownField { .. }
                ),
                "{entry}: {problem:?}"
            );
        }
        let with =
            json!({"input_token": "M", "output_token": "header('X-Next')", "result_key": "R"});
        assert_eq!(
            Model::from_botocore("ListThings", &with)
                .unwrap_err()
                .to_string(),
            "invalid pagination model for ListThings: `output_token` = `header('X-Next')` is a pagination-style value (SEMANTICS §8), which a botocore entry cannot hold; declare the model with `Model::builder` or the derive instead"
        );
    }

    // S2: the builder and a botocore entry give the same model.
    #[test]
    fn s2_builder_and_botocore_agree() {
        let built = Model::builder("ListObjects")
            .input_token("Marker")
            .output_token("NextMarker || Contents[-1].Key")
            .result_key("Contents")
            .result_key("CommonPrefixes")
            .more_results("IsTruncated")
            .limit_key("MaxKeys")
            .non_aggregate_key("Name")
            .build()
            .unwrap();
        let loaded = Model::from_botocore(
            "ListObjects",
            &json!({"input_token": "Marker", "output_token": "NextMarker || Contents[-1].Key",
                    "result_key": ["Contents", "CommonPrefixes"], "more_results": "IsTruncated",
                    "limit_key": "MaxKeys", "non_aggregate_keys": ["Name"]}),
        )
        .unwrap();
        assert_eq!(format!("{built:?}"), format!("{loaded:?}"));
    }
}
