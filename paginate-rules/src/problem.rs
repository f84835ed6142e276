//! What [`crate::check`] reports: a [`Problem`] names the key, the entry of a list, the value
//! at fault and a typed [`Reason`]. Its `Display` is the derive's message (lowercase, the key
//! in backticks, what is wrong and what is allowed); `paginated` maps problems into its own
//! `ModelProblem`s.

use std::fmt;

use crate::functions::{Arity, function_names};
use crate::nesting::TooDeep;
use crate::route::RouteProblem;

/// A key of a declaration, named as `#[paginate(...)]` and botocore write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Key {
    /// `operation`.
    Operation,
    /// `input_token`.
    InputToken,
    /// `output_token`.
    OutputToken,
    /// `result_key`.
    ResultKey,
    /// `limit_key`.
    LimitKey,
    /// `more_results`.
    MoreResults,
    /// `non_aggregate_keys`.
    NonAggregateKeys,
    /// `route`.
    Route,
}

impl Key {
    /// The key as written: `output_token`.
    pub fn as_str(self) -> &'static str {
        match self {
            Key::Operation => "operation",
            Key::InputToken => "input_token",
            Key::OutputToken => "output_token",
            Key::ResultKey => "result_key",
            Key::LimitKey => "limit_key",
            Key::MoreResults => "more_results",
            Key::NonAggregateKeys => "non_aggregate_keys",
            Key::Route => "route",
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which number of an index or a slice is out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Bound {
    /// `[i]`.
    Index,
    /// `[start:]`.
    SliceStart,
    /// `[:stop]`.
    SliceStop,
    /// `[::step]`.
    SliceStep,
}

/// Why a key's value is refused (S1, E5).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// A required key has no entry (`input_token`, `output_token`, `result_key`).
    Missing,
    /// A name that must not be empty is (`operation`, an `input_token`, `limit_key`).
    Empty,
    /// A name listed before, at `first`.
    Duplicate {
        /// The position of its first appearance.
        first: usize,
    },
    /// `input_token` and `output_token` have different lengths; reported on `output_token`.
    CountMismatch {
        /// How many input tokens.
        input: usize,
        /// How many output tokens.
        output: usize,
    },
    /// The expression nests deeper than the bound (E5).
    TooDeep(TooDeep),
    /// The expression is not JMESPath.
    Syntax {
        /// The parser's reason, without its jargon.
        message: String,
        /// Where, in bytes of the expression.
        offset: usize,
    },
    /// A call of a function that is not a JMESPath built-in.
    UnknownFunction {
        /// The name called.
        name: String,
        /// The closest built-in, if one is close.
        did_you_mean: Option<&'static str>,
        /// Where the call starts (its name).
        offset: usize,
    },
    /// A built-in called with a number of arguments it does not take.
    WrongArity {
        /// The function.
        name: &'static str,
        /// What it takes.
        arity: Arity,
        /// How many it was given.
        got: usize,
        /// Where the call starts (its name).
        offset: usize,
    },
    /// An index, slice bound or slice step the engine does not evaluate (E5).
    OutOfRange {
        /// Which number.
        bound: Bound,
        /// Its value.
        value: i32,
        /// Where the parser places the brackets (a slice: its closing bracket).
        offset: usize,
    },
    /// A result or non-aggregate key that is JMESPath but not identifiers joined by dots.
    NotADottedPath,
    /// The route breaks the grammar.
    Route(RouteProblem),
}

/// One problem of a declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// The key at fault.
    pub key: Key,
    /// The entry at fault, for keys that hold a list.
    pub index: Option<usize>,
    /// The value at fault (empty for a missing key or a count).
    pub value: String,
    /// What is wrong.
    pub reason: Reason,
}

impl Problem {
    pub(crate) fn new(key: Key, index: Option<usize>, value: &str, reason: Reason) -> Problem {
        Problem {
            key,
            index,
            value: value.to_owned(),
            reason,
        }
    }
}

/// The largest magnitude of an index or slice bound the engine evaluates: `i32::MIN` cannot be
/// negated.
pub const MAX_INDEX: i32 = i32::MAX;

/// The largest magnitude of a slice step the engine evaluates: larger steps could overflow a
/// position.
pub const MAX_SLICE_STEP: i32 = 1 << 30;

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = self.key;
        let value = &self.value;
        let invalid = format!("`{key}` is not a valid JMESPath expression");
        match &self.reason {
            Reason::Missing => write!(f, "`{key}` must name at least one entry"),
            Reason::Empty => write!(f, "`{key}` must not be empty"),
            Reason::Duplicate { .. } => write!(f, "`{key}` lists `{value}` more than once"),
            Reason::CountMismatch { input, output } => write!(
                f,
                "`{key}` has {output} expression(s) but `input_token` has {input}; they pair up by position"
            ),
            Reason::TooDeep(e) => write!(
                f,
                "{invalid}: {} at character {} of `{value}`",
                e.reason(),
                e.offset
            ),
            Reason::Syntax { message, offset } => {
                write!(f, "{invalid}: {message} at character {offset} of `{value}`")
            }
            Reason::UnknownFunction {
                name,
                did_you_mean,
                offset,
            } => {
                write!(
                    f,
                    "`{key}` calls unknown function `{name}` at character {offset} of `{value}`"
                )?;
                match did_you_mean {
                    Some(known) => write!(f, "; did you mean `{known}`?"),
                    None => {
                        let names: Vec<String> =
                            function_names().map(|n| format!("`{n}`")).collect();
                        write!(f, "; the JMESPath functions are {}", names.join(", "))
                    }
                }
            }
            Reason::WrongArity {
                name,
                arity,
                got,
                offset,
            } => {
                let given = match got {
                    0 => "no arguments".to_owned(),
                    1 => "1 argument".to_owned(),
                    n => format!("{n} arguments"),
                };
                write!(
                    f,
                    "`{key}` calls `{name}()` with {given} at character {offset} of `{value}`; `{name}()` takes {arity}"
                )
            }
            // The parser places a slice at its closing bracket, so no position is given: the
            // number itself is named.
            Reason::OutOfRange {
                bound,
                value: number,
                ..
            } => {
                let (what, allowed) = match bound {
                    Bound::Index => ("array index", MAX_INDEX),
                    Bound::SliceStart => ("slice start", MAX_INDEX),
                    Bound::SliceStop => ("slice stop", MAX_INDEX),
                    Bound::SliceStep => ("slice step", MAX_SLICE_STEP),
                };
                write!(
                    f,
                    "`{key}` has {what} `{number}` in `{value}`, out of range: it must be between -{allowed} and {allowed}"
                )
            }
            Reason::NotADottedPath => write!(
                f,
                "`{key}` entries must be dotted paths of identifiers, like `Contents` or `EngineDefaults.Parameters`; `{value}` is not"
            ),
            Reason::Route(RouteProblem::Shape) => {
                write!(f, "`{key}` {}; `{value}` is not", RouteProblem::Shape)
            }
            Reason::Route(problem) => write!(f, "`{key}` {problem}"),
        }
    }
}

impl std::error::Error for Problem {}
