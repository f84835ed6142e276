//! The crate's error types. Every message names the operation and the key or value at fault.

use std::fmt;

/// A boxed error from a transport, kept as the [`Error::Transport`] source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong while building a model or running a paginator.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The transport failed. The run ends; its resume token still points at this page (L7).
    ///
    /// The message names the operation and the page; the transport's own error is the
    /// [`source`](std::error::Error::source) (print the chain, e.g. with `{:#}` in anyhow, to
    /// see both), as Rust's error guidelines ask: returned or printed, never both.
    #[error("{operation}: the transport failed on page {page}")]
    Transport {
        /// The operation being paginated.
        operation: String,
        /// The number (from 1) of the page that was being fetched.
        page: u64,
        /// The transport's own error, reachable through [`std::error::Error::source`].
        #[source]
        source: BoxError,
    },

    /// The starting token could not be used (R3–R5). No request was sent.
    #[error("{operation}: invalid starting token {token:?}: {reason}")]
    InvalidToken {
        /// The operation being paginated.
        operation: String,
        /// The token as given, shortened to its first 80 characters.
        token: String,
        /// What is wrong with it (in the message, so not also the `source`).
        reason: TokenError,
    },

    /// A page size was asked for but the model has no `limit_key` (O2). No request was sent.
    #[error(
        "{operation}: page size {page_size} was requested, but the model has no `limit_key` to send it in"
    )]
    PageSizeWithoutLimitKey {
        /// The operation being paginated.
        operation: String,
        /// The page size that was asked for.
        page_size: u64,
    },

    /// The request parameters were not a JSON object. No request was sent.
    #[error("{operation}: request parameters must be a JSON object, not {found}")]
    ParamsNotObject {
        /// The operation being paginated.
        operation: String,
        /// The JSON type that was given instead.
        found: &'static str,
    },

    /// A request value could not be serialized into request parameters (a `Paginated` request
    /// whose `Serialize` implementation failed). No request was sent.
    #[error("{operation}: the request could not be serialized into parameters: {reason}")]
    Serialize {
        /// The operation being paginated.
        operation: String,
        /// serde's message.
        reason: String,
    },

    /// A page or an item did not deserialize into the type asked for.
    #[error(
        "{operation}: {}could not be read as `{type_name}`: {reason}",
        match index { Some(i) => format!("item {i} of page {page} "), None => format!("page {page} ") }
    )]
    Deserialize {
        /// The operation being paginated.
        operation: String,
        /// The page number (from 1).
        page: u64,
        /// For an item, its index in the page (from 0); `None` for a whole page.
        index: Option<u64>,
        /// The type asked for.
        type_name: &'static str,
        /// serde's message.
        reason: String,
    },

    /// The merged result of [`Pages::build_full_result`](crate::blocking::Pages::build_full_result) did not
    /// deserialize into the type asked for.
    #[error("{operation}: the full result could not be read as `{type_name}`: {reason}")]
    DeserializeFullResult {
        /// The operation being paginated.
        operation: String,
        /// The type asked for.
        type_name: &'static str,
        /// serde's message.
        reason: String,
    },

    /// A fan-out checkpoint could not be read ([`FanCheckpoint::decode`](crate::fanout::FanCheckpoint::decode)).
    #[error("invalid fan-out checkpoint: {reason}")]
    InvalidCheckpoint {
        /// What is wrong with it.
        reason: String,
    },

    /// The service sent the same next token on two pages in a row (L6, policy `Error`).
    #[error(
        "{operation}: the same next token was received twice in a row, on pages {} and {page}: {token}",
        page - 1
    )]
    DuplicateToken {
        /// The operation being paginated.
        operation: String,
        /// The page whose next token repeated the previous page's.
        page: u64,
        /// The repeated token, as JSON.
        token: String,
    },

    /// The service sent a next token it had already sent earlier in the run (L6, policy `Error`).
    #[error(
        "{operation}: page {page} returned a next token already seen earlier in this run, so the tokens form a cycle: {token}"
    )]
    TokenCycle {
        /// The operation being paginated.
        operation: String,
        /// The page whose next token closed the cycle.
        page: u64,
        /// The repeated token, as JSON.
        token: String,
    },

    /// The run reached [`PaginationConfig::max_pages`](crate::PaginationConfig::max_pages) with
    /// more pages to come. The resume token continues from the next page.
    #[error(
        "{operation}: stopped after {} (the run's max_pages) with more to come",
        counted(*limit, "page", "pages")
    )]
    PageLimit {
        /// The operation being paginated.
        operation: String,
        /// The limit that was reached.
        limit: u64,
    },

    /// A page's response body is not JSON (or not UTF-8). The run ends; its resume token
    /// fetches this page again.
    #[error("{operation}: page {page} is not JSON: {reason}; the body starts {body:?}")]
    PageNotJson {
        /// The operation being paginated.
        operation: String,
        /// The page number (from 1).
        page: u64,
        /// What is wrong: serde_json's message, with the line and column, or the UTF-8 error.
        reason: String,
        /// The start of the body, shortened to 80 characters (bytes that are not UTF-8 shown
        /// as `�`).
        body: String,
    },

    /// A page was not a JSON object.
    #[error("{operation}: page {page} is {found}, not a JSON object")]
    PageNotObject {
        /// The operation being paginated.
        operation: String,
        /// The page number (from 1).
        page: u64,
        /// The JSON type of the page.
        found: &'static str,
    },

    /// A page of a model whose result is the whole page (`result_key = "@"`, P1) is not a
    /// JSON array.
    #[error(
        "{operation}: page {page} is {found}, not a JSON array; the model's `result_key = \"@\"` says the page itself is the list (declare the key that holds the list instead)"
    )]
    PageNotArray {
        /// The operation being paginated.
        operation: String,
        /// The page number (from 1).
        page: u64,
        /// The JSON type of the page.
        found: &'static str,
    },

    /// The next position could not be read from a page (P2, P4, P5, P10): a next URL that
    /// is not a URL, or is relative with no URL to resolve it against; a `Link` header that
    /// does not parse; an offset or page number that is not a whole number.
    #[error(
        "{operation}: page {page}: the next position from `{from}` is refused: {reason} (value: {value})"
    )]
    BadPosition {
        /// The operation being paginated.
        operation: String,
        /// The page number (from 1).
        page: u64,
        /// The declaration it was read with: `link('next')`, `next`, an offset parameter.
        from: String,
        /// The value found.
        value: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A stop rule or total needs the page size, and the run has none (P7, P8).
    #[error(
        "{operation}: the model ends a listing on a short page or a total, which needs the page size: set `page_size` in the config or `{limit_key}` in the params"
    )]
    PageSizeUnknown {
        /// The operation being paginated.
        operation: String,
        /// The model's `limit_key`.
        limit_key: String,
    },

    /// A result key holds a value that cannot be counted, cut or iterated as asked
    /// (M1, M2: an object cannot be cut; a number cannot be counted).
    #[error(
        "{operation}: result key `{key}` on page {page} holds {found}, which cannot be {action}"
    )]
    UnsupportedResult {
        /// The operation being paginated.
        operation: String,
        /// The result key.
        key: String,
        /// The page number (from 1).
        page: u64,
        /// The JSON type found there.
        found: &'static str,
        /// What was being attempted: "counted", "cut", "iterated".
        action: &'static str,
    },

    /// `build_full_result` met a result key whose type changed between pages (G4).
    #[error(
        "{operation}: cannot merge result key `{key}`: page {page} has {found} where earlier pages had {expected}"
    )]
    ResultTypeMismatch {
        /// The operation being paginated.
        operation: String,
        /// The result key.
        key: String,
        /// The page number (from 1).
        page: u64,
        /// The JSON type of the merged value so far.
        expected: &'static str,
        /// The JSON type on this page.
        found: &'static str,
    },

    /// An expression failed while being evaluated on a page (a JMESPath runtime error,
    /// for example a function called with an argument of the wrong type).
    #[error("{operation}: expression `{expression}` failed on page {page}: {reason}")]
    Expression {
        /// The operation being paginated.
        operation: String,
        /// The expression.
        expression: String,
        /// The page number (from 1).
        page: u64,
        /// What went wrong: a function given the wrong type of argument, for example.
        reason: String,
    },

    /// A search expression did not parse.
    #[error("{operation}: invalid search expression `{expression}`: {reason}")]
    InvalidSearch {
        /// The operation being paginated.
        operation: String,
        /// The expression as given.
        expression: String,
        /// The parser's message and position.
        reason: String,
    },

    /// A key given to [`crate::blocking::Pages::items_of`] is not one of the model's result keys.
    #[error(
        "{operation}: `{key}` is not a result key of this operation; its result keys are {known:?}"
    )]
    UnknownResultKey {
        /// The operation being paginated.
        operation: String,
        /// The key that was asked for.
        key: String,
        /// The model's result keys.
        known: Vec<String>,
    },

    /// A pagination model is invalid (S1).
    #[error("invalid pagination model for {operation}: {problem}")]
    InvalidModel {
        /// The operation whose model is invalid.
        operation: String,
        /// What is wrong.
        problem: ModelProblem,
    },

    /// A `paginators-1.json` document is not shaped as botocore writes them.
    #[error("invalid paginators document: {reason}")]
    InvalidRegistry {
        /// What is wrong.
        reason: String,
    },

    /// The registry has no paginator for this operation (S2).
    #[error("no paginator for operation `{operation}`{}", suggestion(.did_you_mean))]
    UnknownOperation {
        /// The operation that was asked for.
        operation: String,
        /// The closest known operation name, if any is close.
        did_you_mean: Option<String>,
    },
}

fn suggestion(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

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

/// Why a starting token was refused (R3–R5).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Longer than the 64 KiB limit.
    #[error("the token is {len} bytes long; the limit is {limit}")]
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// It starts like an encoded token but is not valid base64 (often: cut short when copied).
    #[error("it looks like an encoded token but is not valid base64: {reason}")]
    BadBase64 {
        /// The decoder's message.
        reason: String,
    },
    /// The base64 decodes to bytes that are not UTF-8.
    #[error("the decoded token is not UTF-8 (invalid byte at offset {at})")]
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        at: usize,
    },
    /// The base64 decodes to text that is not JSON.
    #[error("the decoded token is not JSON: {reason}")]
    NotJson {
        /// The JSON parser's message.
        reason: String,
    },
    /// The base64 decodes to JSON that is not an object.
    #[error("the decoded token is a JSON {found}, not an object")]
    NotAnObject {
        /// The JSON type found.
        found: &'static str,
    },
    /// The token names a key that is not an input token of the model: refused, because it
    /// would otherwise be sent to the service as a request parameter.
    #[error(
        "the token contains key `{key}`, which is not an input token of this operation (expected {allowed:?})"
    )]
    UnknownKey {
        /// The unexpected key.
        key: String,
        /// The model's input tokens.
        allowed: Vec<String>,
    },
    /// `boto_truncate_amount` is not an integer in `0..=4294967295`.
    #[error("`boto_truncate_amount` must be an integer from 0 to 4294967295, not {found}")]
    BadOffset {
        /// The value found, as written.
        found: String,
    },
    /// `boto_encoded_keys` is not a list of key paths.
    #[error("`boto_encoded_keys` must be a list of key paths, not {found}")]
    BadEncodedKeys {
        /// The value found, as JSON.
        found: String,
    },
    /// A page-number token was made under another page size (P5): resuming would skip or
    /// repeat items.
    #[error(
        "the token was made with page size {recorded} and the run asks for {requested}; a page number means nothing under another page size: resume with page size {recorded}, or start the listing again"
    )]
    PageSizeChanged {
        /// The page size the token records (`default` for the server's).
        recorded: String,
        /// The page size of the run (`default` for the server's).
        requested: String,
    },
    /// A value of the token cannot be sent where the model sends it: a `next_url` that is not
    /// an absolute URL (P2), a value a request header cannot hold (P11).
    #[error("a value of the token cannot be sent: {reason}")]
    Unsendable {
        /// Why.
        reason: String,
    },
    /// A `next_url` token's URL is not on the route of the listing being resumed (P2, R5).
    #[error("the token's URL is refused: {reason}")]
    OffRoute {
        /// Why.
        reason: String,
    },
    /// A legacy `___` token has more parts than the model has input tokens.
    #[error(
        "the legacy token has {parts} `___`-separated parts but the operation has {tokens} input token(s)"
    )]
    TooManyParts {
        /// Parts found.
        parts: usize,
        /// Input tokens of the model.
        tokens: usize,
    },
}

/// `1 page`, `2 pages`: a count with the noun that agrees with it.
pub(crate) fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Shortens a user-supplied value for an error message: its first 80 characters.
pub(crate) fn preview(s: &str) -> String {
    shorten(s, 80)
}

/// The first `limit` characters of `s`, with `…` when something was cut.
pub(crate) fn shorten(s: &str, limit: usize) -> String {
    match s.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}
