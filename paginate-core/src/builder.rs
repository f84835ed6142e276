//! [`ModelBuilder`]: a model built field by field in code, and the validation every model
//! goes through, however it was made (S1, S3).

use std::sync::Arc;

use crate::error::{Error, ModelProblem};
use crate::expr::{Expr, Path};
use crate::model::{Inner, LimitType, Model};
use crate::route::Route;

/// Builds a [`Model`] field by field; [`ModelBuilder::build`] validates it (S1).
#[derive(Debug, Clone, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ModelBuilder {
    pub(crate) operation: String,
    pub(crate) input_tokens: Vec<String>,
    pub(crate) output_tokens: Vec<String>,
    pub(crate) result_keys: Vec<String>,
    pub(crate) limit_key: Option<String>,
    pub(crate) limit_type: LimitType,
    pub(crate) more_results: Option<String>,
    pub(crate) non_aggregate_keys: Vec<String>,
    pub(crate) route: Option<String>,
}

impl ModelBuilder {
    /// Adds an input token: a request parameter that carries the continuation.
    pub fn input_token(mut self, name: impl Into<String>) -> Self {
        self.input_tokens.push(name.into());
        self
    }

    /// Adds an output token: a JMESPath expression evaluated on each page, paired with the
    /// input token at the same position.
    pub fn output_token(mut self, expression: impl Into<String>) -> Self {
        self.output_tokens.push(expression.into());
        self
    }

    /// Adds a result key (a dotted path). The first one added is the primary key.
    pub fn result_key(mut self, path: impl Into<String>) -> Self {
        self.result_keys.push(path.into());
        self
    }

    /// Sets the request parameter that receives the page size.
    pub fn limit_key(mut self, name: impl Into<String>) -> Self {
        self.limit_key = Some(name.into());
        self
    }

    /// Sets how the page size is written (O2); integers unless told otherwise.
    pub fn limit_type(mut self, limit_type: LimitType) -> Self {
        self.limit_type = limit_type;
        self
    }

    /// Sets the `more_results` expression: when it is absent on a page, paging stops.
    pub fn more_results(mut self, expression: impl Into<String>) -> Self {
        self.more_results = Some(expression.into());
        self
    }

    /// Adds a non-aggregate key (a dotted path) reported from the first page of a run.
    pub fn non_aggregate_key(mut self, path: impl Into<String>) -> Self {
        self.non_aggregate_keys.push(path.into());
        self
    }

    /// Sets the operation's HTTP route, `METHOD /path/{Param}`, for the ready HTTP
    /// transports: `GET /v1/orders`, `POST /v1/search`, `GET /buckets/{Bucket}/objects`. It is
    /// checked by [`ModelBuilder::build`] (see [`Route::parse`]).
    pub fn route(mut self, route: impl Into<String>) -> Self {
        self.route = Some(route.into());
        self
    }

    /// Validates and compiles the model (S1, S3).
    pub fn build(self) -> Result<Model, Error> {
        let operation = self.operation;
        let invalid = |problem| Error::InvalidModel {
            operation: operation.clone(),
            problem,
        };
        if self.input_tokens.is_empty() || self.input_tokens.iter().any(String::is_empty) {
            return Err(invalid(ModelProblem::Missing {
                field: "input_token",
            }));
        }
        if self.output_tokens.is_empty() {
            return Err(invalid(ModelProblem::Missing {
                field: "output_token",
            }));
        }
        if self.input_tokens.len() != self.output_tokens.len() {
            return Err(invalid(ModelProblem::TokenCountMismatch {
                input: self.input_tokens.len(),
                output: self.output_tokens.len(),
            }));
        }
        if let Some(name) = first_duplicate(&self.input_tokens) {
            return Err(invalid(ModelProblem::Duplicate {
                field: "input_token",
                name: name.to_owned(),
            }));
        }
        if self.result_keys.is_empty() {
            return Err(invalid(ModelProblem::Missing {
                field: "result_key",
            }));
        }
        if let Some(name) = first_duplicate(&self.result_keys) {
            return Err(invalid(ModelProblem::Duplicate {
                field: "result_key",
                name: name.to_owned(),
            }));
        }
        if self.limit_key.as_deref() == Some("") {
            return Err(invalid(ModelProblem::Missing { field: "limit_key" }));
        }
        let expr = |field: &'static str, src: &str| {
            Expr::compile(src).map_err(|e| {
                invalid(ModelProblem::BadExpression {
                    field,
                    expression: src.to_owned(),
                    reason: e.to_string(),
                })
            })
        };
        let path = |field: &'static str, src: &str| {
            Path::parse(src).map_err(|e| {
                invalid(match e {
                    Some(e) => ModelProblem::BadExpression {
                        field,
                        expression: src.to_owned(),
                        reason: e.to_string(),
                    },
                    None => ModelProblem::NotADottedPath {
                        field,
                        expression: src.to_owned(),
                    },
                })
            })
        };
        let output_tokens = self
            .output_tokens
            .iter()
            .map(|s| expr("output_token", s))
            .collect::<Result<_, _>>()?;
        let result_keys = self
            .result_keys
            .iter()
            .map(|s| path("result_key", s))
            .collect::<Result<_, _>>()?;
        let non_aggregate_keys = self
            .non_aggregate_keys
            .iter()
            .map(|s| path("non_aggregate_keys", s))
            .collect::<Result<_, _>>()?;
        let more_results = self
            .more_results
            .as_deref()
            .map(|s| expr("more_results", s))
            .transpose()?;
        let route = self
            .route
            .as_deref()
            .map(Route::parse)
            .transpose()
            .map_err(|e| invalid(ModelProblem::BadRoute { reason: e }))?;
        Ok(Model(Arc::new(Inner {
            operation,
            input_tokens: self.input_tokens,
            output_tokens,
            result_keys,
            limit_key: self.limit_key,
            limit_type: self.limit_type,
            more_results,
            non_aggregate_keys,
            route,
        })))
    }
}

fn first_duplicate(names: &[String]) -> Option<&str> {
    names
        .iter()
        .enumerate()
        .find(|(i, n)| names[..*i].contains(n))
        .map(|(_, n)| n.as_str())
}
