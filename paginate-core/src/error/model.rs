//! What is wrong with a pagination model (S1): [`ModelProblem`], the reason of
//! [`Error::InvalidModel`](crate::Error::InvalidModel).

use std::fmt;

use super::counted;

/// What is wrong with a pagination model (S1).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelProblem {
    /// A required field is missing or empty.
    Missing {
        /// The field: `input_token`, `output_token` or `result_key`.
        field: &'static str,
    },
    /// A field has a value of the wrong JSON type.
    WrongType {
        /// The field.
        field: String,
        /// What was expected.
        expected: &'static str,
        /// The JSON type found.
        found: &'static str,
    },
    /// `input_token` and `output_token` have different lengths.
    TokenCountMismatch {
        /// How many input tokens.
        input: usize,
        /// How many output tokens.
        output: usize,
    },
    /// An expression is refused (S1, E5): it does not parse, nests too deep, calls a function
    /// that is not a JMESPath built-in or with a number of arguments it does not take, or has
    /// a slice step out of range.
    BadExpression {
        /// The field.
        field: &'static str,
        /// The expression.
        expression: String,
        /// The parser's message and position.
        reason: String,
    },
    /// A result or non-aggregate key is valid JMESPath but not a dotted path of identifiers.
    NotADottedPath {
        /// The field.
        field: &'static str,
        /// The expression.
        expression: String,
    },
    /// The HTTP route does not parse.
    BadRoute {
        /// Why.
        reason: crate::route::RouteError,
    },
    /// The same name appears twice where names must be distinct.
    Duplicate {
        /// The field.
        field: &'static str,
        /// The repeated name.
        name: String,
    },
    /// A field that is not part of botocore's paginator schema.
    UnknownField {
        /// The field.
        field: String,
    },
    /// A pagination-style key (P1–P11) is refused: two ways of paging declared together, a
    /// key declared without the one it needs, a bad `header('…')` or `link('…')`, an unknown
    /// stop rule, a `first` that is not a JSON number or string, a `continue_route` that does
    /// not parse.
    Style {
        /// The field: `next_url`, `offset`, `result_key`, ...
        field: &'static str,
        /// The value at fault, or the entry of a list (empty when the field as a whole is).
        value: String,
        /// What is wrong, after the field and its value.
        reason: String,
    },
}

impl fmt::Display for ModelProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelProblem::Missing { field } => write!(f, "`{field}` is missing or empty"),
            ModelProblem::BadRoute { reason } => write!(f, "`route`: {reason}"),
            ModelProblem::WrongType {
                field,
                expected,
                found,
            } => write!(f, "`{field}` must be {expected}, not {found}"),
            ModelProblem::TokenCountMismatch { input, output } => write!(
                f,
                "`input_token` has {} but `output_token` has {output}; they pair up by position",
                counted(*input as u64, "entry", "entries")
            ),
            ModelProblem::BadExpression {
                field,
                expression,
                reason,
            } => write!(
                f,
                "`{field}` expression `{expression}` is refused: {reason}"
            ),
            ModelProblem::NotADottedPath { field, expression } => write!(
                f,
                "`{field}` entry `{expression}` must be a dotted path of identifiers (like `Contents` or `EngineDefaults.Parameters`)"
            ),
            ModelProblem::Duplicate { field, name } => {
                write!(f, "`{field}` lists `{name}` more than once")
            }
            ModelProblem::Style {
                field,
                value,
                reason,
            } if value.is_empty() => write!(f, "`{field}` {reason}"),
            ModelProblem::Style {
                field,
                value,
                reason,
            } => write!(f, "`{field}` = `{value}` {reason}"),
            ModelProblem::UnknownField { field } => write!(
                f,
                "unknown field `{field}` (expected input_token, output_token, result_key, limit_key, more_results, non_aggregate_keys)"
            ),
        }
    }
}
