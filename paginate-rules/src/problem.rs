//! What [`crate::check`] reports: a [`Problem`] names the key, the entry of a list, the value
//! at fault and a typed [`Reason`]. Its `Display` is the derive's message (lowercase, the key
//! in backticks, what is wrong and what is allowed); `paginated` maps problems into its own
//! `ModelProblem`s.

use std::fmt;

use crate::functions::{Arity, function_names};
use crate::nesting::TooDeep;
use crate::route::RouteProblem;
use crate::styles::{HEADER_NAME_PUNCTUATION, Stop, WHOLE_PAGE};

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
    /// `next_url` (P2).
    NextUrl,
    /// `resend` (P3).
    Resend,
    /// `offset` (P4).
    Offset,
    /// `page_number` (P5).
    PageNumber,
    /// `first` (P6).
    First,
    /// `stop` (P7).
    Stop,
    /// `total` (P8).
    Total,
    /// `continue_route` (P9).
    ContinueRoute,
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
            Key::NextUrl => "next_url",
            Key::Resend => "resend",
            Key::Offset => "offset",
            Key::PageNumber => "page_number",
            Key::First => "first",
            Key::Stop => "stop",
            Key::Total => "total",
            Key::ContinueRoute => "continue_route",
        }
    }

    /// True for the keys whose values are sources (P10): `header('…')`, `link('…')` or an
    /// expression.
    pub fn takes_sources(self) -> bool {
        matches!(self, Key::OutputToken | Key::NextUrl | Key::Total)
    }

    /// How a key that says where the next page comes from pages, for a conflict's message.
    fn pages_by(self) -> &'static str {
        match self {
            Key::InputToken => "`input_token` sends a token read from each page",
            Key::OutputToken => "`output_token` reads the next token from each page",
            Key::NextUrl => "`next_url` follows the URL each page gives",
            Key::Offset => "`offset` counts the items of each page",
            Key::PageNumber => "`page_number` counts pages",
            Key::ContinueRoute => "`continue_route` sends tokens to a second route",
            _ => "",
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
    /// The route breaks the grammar (`route`, `continue_route`).
    Route(RouteProblem),
    /// Two keys that say, each its own way, where the next page comes from (P2–P5, P9);
    /// reported on the later key of `input_token`, `output_token`, `next_url`, `offset`,
    /// `page_number`, `continue_route`.
    Conflicts {
        /// The other key.
        with: Key,
    },
    /// A key that means something only with one of `keys` (`first` with `offset` or
    /// `page_number`; `stop = "short_page"` with `limit_key`; ...).
    Requires {
        /// The keys, one of which must be declared.
        keys: &'static [Key],
    },
    /// A list with more entries than it takes alongside `with` (`output_token` with
    /// `page_number`: one).
    TooMany {
        /// How many entries there are.
        count: usize,
        /// How many it takes.
        max: usize,
        /// The key that limits it.
        with: Key,
    },
    /// `result_key = "@"` (P1) with other result keys, or with `with = NonAggregateKeys`.
    WholePageNotAlone {
        /// `ResultKey` (other entries) or `NonAggregateKeys`.
        with: Key,
    },
    /// `header('…')` (a source or an input token target) with a name that is not an HTTP
    /// header name (RFC 9110 `token`).
    BadHeaderName {
        /// The name.
        name: String,
        /// Its first character a header name cannot hold.
        character: char,
    },
    /// `header('')` or `link('')`.
    EmptyArgument {
        /// `header` or `link`.
        function: &'static str,
    },
    /// `header(…)` or `link(…)` as the whole value, but not with one raw-string argument in
    /// single quotes (`` link(`next`) ``, `link(next)`).
    BadSourceCall {
        /// `header` or `link`.
        function: &'static str,
        /// The call written as it should be: `link('next')`.
        suggestion: String,
    },
    /// `header(…)` or `link(…)` inside a larger expression: they are read from the response,
    /// so each must be the whole value.
    SourceNotWhole {
        /// `header` or `link`.
        function: &'static str,
        /// Where the call starts (its name).
        offset: usize,
    },
    /// A `stop` entry that names no stop rule (P7).
    UnknownStop {
        /// The closest rule, if one is close.
        did_you_mean: Option<&'static str>,
    },
    /// `first` is not JSON text (P6).
    NotJson {
        /// The JSON parser's reason.
        message: String,
    },
    /// `first` is JSON, but not a whole number (P6): offsets and page numbers count.
    NotANumberOrString {
        /// What it is: "an object", "an array", "a boolean", "null", "a string", "a negative
        /// or fractional number".
        found: &'static str,
    },
    /// A `continue_route` placeholder is neither an input token nor re-sent, so the
    /// continuation cannot fill it (P9).
    PlaceholderNotSent {
        /// The placeholder.
        name: String,
    },
    /// A header a request must not carry from a declaration: framing, routing or
    /// credentials (P11).
    ForbiddenHeader {
        /// The header, as written.
        name: String,
    },
    /// `offset` or `page_number` names the same parameter as `with` (`limit_key`).
    SameParam {
        /// The other key.
        with: Key,
    },
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
                        write!(f, "; the JMESPath functions are {}", names.join(", "))?;
                        if key.takes_sources() {
                            write!(
                                f,
                                ", and the whole value may instead be `header('Name')` or `link('rel')`"
                            )?;
                        }
                        Ok(())
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
            Reason::Conflicts { with } => write!(
                f,
                "`{key}` cannot be used with `{with}`: a declaration pages one way ({}; {}); remove one of them",
                key.pages_by(),
                with.pages_by()
            ),
            Reason::Requires { keys } => {
                let named: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                let named = named.join(" or ");
                let (subject, why) = requirement(key, keys, value);
                let declare = if keys.len() == 1 {
                    format!("declare {named}")
                } else {
                    "declare one of them".to_owned()
                };
                write!(f, "{subject} needs {named}: {why}; {declare}")
            }
            Reason::TooMany { count, max, with } => {
                let what = match (key, with) {
                    (Key::OutputToken, Key::PageNumber) => {
                        ": the next page's number, when pages give it (json-server's `next`)"
                    }
                    _ => "",
                };
                write!(
                    f,
                    "`{key}` has {count} entries, but with `{with}` it takes at most {max}{what}; remove the others"
                )
            }
            Reason::WholePageNotAlone {
                with: Key::NonAggregateKeys,
            } => write!(
                f,
                "`{key} = \"{WHOLE_PAGE}\"` says each page is a bare JSON array, which has no keys for `non_aggregate_keys` to read; remove `non_aggregate_keys`"
            ),
            Reason::WholePageNotAlone { .. } => write!(
                f,
                "`{key} = \"{WHOLE_PAGE}\"` says each page is a bare JSON array, the one result, so it must be the only result key; remove the other entries"
            ),
            Reason::BadHeaderName { name, character } => write!(
                f,
                "`{key}` names header `{name}`, which is not a valid HTTP header name: it cannot hold {character:?}; a header name is ASCII letters, digits and {HEADER_NAME_PUNCTUATION}"
            ),
            Reason::EmptyArgument { function } => {
                let (what, example) = match (*function, key) {
                    ("header", Key::Total) => ("header name", "header('X-Total-Count')"),
                    ("header", Key::InputToken) => ("header name", "header('Range')"),
                    ("header", _) => ("header name", "header('X-Next-Page')"),
                    _ => ("relation", "link('next')"),
                };
                write!(
                    f,
                    "`{key}` calls `{function}('')` with an empty {what}; name it, like `{example}`"
                )
            }
            Reason::BadSourceCall {
                function,
                suggestion,
            } => write!(
                f,
                "`{key}` calls `{function}` with an argument that is not one raw string in single quotes: write `{suggestion}`"
            ),
            Reason::SourceNotWhole { function, offset } => write!(
                f,
                "`{key}` calls `{function}` at character {offset} of `{value}`, inside a JMESPath expression; `header('...')` and `link('...')` are read from the response, not the body, so each must be the whole value, like `link('next')`"
            ),
            Reason::UnknownStop { did_you_mean } => {
                write!(f, "`{key}` has unknown rule `{value}`")?;
                match did_you_mean {
                    Some(known) => write!(f, "; did you mean `{known}`?"),
                    None => {
                        let names: Vec<String> =
                            Stop::NAMES.iter().map(|n| format!("`{n}`")).collect();
                        write!(f, "; the rules are {}", names.join(" and "))
                    }
                }
            }
            Reason::NotJson { message } => write!(
                f,
                "`{key}` must be JSON text, like `{key} = \"1\"`, or `{key} = \"\\\"a\\\"\"` for a string; `{value}` is not: {message}"
            ),
            Reason::NotANumberOrString { found } => write!(
                f,
                "`{key}` must be a whole number, like `{key} = \"1\"`: offsets and page numbers count; `{value}` is {found}"
            ),
            Reason::PlaceholderNotSent { name } => write!(
                f,
                "`{key}` has placeholder `{{{name}}}`, but a continuation sends only the input tokens and `resend`; add `{name}` to `resend`"
            ),
            Reason::ForbiddenHeader { name } => write!(
                f,
                "`{key}` names header `{name}`, which a declaration may not set: it frames, routes or authenticates the request (set it in the transport)"
            ),
            Reason::SameParam { with } => write!(
                f,
                "`{key}` and `{with}` both name `{value}`; each needs a parameter of its own"
            ),
        }
    }
}

/// How a [`Reason::Requires`] message starts, and why the key needs the others.
fn requirement(key: Key, keys: &[Key], value: &str) -> (String, &'static str) {
    let subject = match key {
        Key::Stop => format!("`{key} = \"{value}\"`"),
        _ => format!("`{key}`"),
    };
    let why = match (key, keys.first()) {
        (Key::Stop, _) => {
            "a page is short when it has fewer items than the page size sent in `limit_key`"
        }
        (Key::Total, Some(Key::LimitKey)) => {
            "with `page_number`, the items before a page are counted from its number and the page size sent in `limit_key`"
        }
        (Key::Total, _) => {
            "a listing ends once the items counted by an offset or page number reach the total"
        }
        (Key::First, _) => "it is the first request's offset or page number",
        (Key::Resend, _) => {
            "it lists the params sent again on a request to the next URL or the continue route"
        }
        _ => "it has no meaning alone",
    };
    (subject, why)
}

impl std::error::Error for Problem {}
