//! The crate's error types. Every message names the operation and the key or value at fault.

mod model;
mod page_number;
mod token;

pub use model::ModelProblem;
pub use page_number::PageNumber;
pub use token::TokenError;

/// A boxed error from a transport, kept as the [`Error::Transport`] source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong while building a model or running a paginator.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The transport failed. The run ends; its resume token still points at this page (L7).
    ///
    /// The message names the operation and the page, and says what the transport said (with
    /// the ready HTTP transports: the method, the URL and the status), so that a message
    /// printed alone says what happened. The transport's own error is also the
    /// [`source`](std::error::Error::source), to match on or downcast (to
    /// [`HttpError`](crate::http::HttpError), for example).
    #[error("{}", transport_message(operation, *page, source))]
    Transport {
        /// The operation being paginated.
        operation: String,
        /// The page that was being fetched ([`PageNumber`]).
        page: PageNumber,
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
        /// The page: in the listing when the run knows it ([`PageNumber`]).
        page: PageNumber,
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
        page.previous()
    )]
    DuplicateToken {
        /// The operation being paginated.
        operation: String,
        /// The page whose next token repeated the previous page's.
        page: PageNumber,
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
        page: PageNumber,
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
        /// The page: in the listing when the run knows it ([`PageNumber`]).
        page: PageNumber,
        /// What is wrong: serde_json's message, with the line and column, or the UTF-8 error.
        reason: String,
        /// The start of the body, shortened to 80 characters (bytes that are not UTF-8 shown
        /// as `�`).
        body: String,
    },

    /// A page was not a JSON object. The message names the request that fetched it when the
    /// transport said (the ready HTTP transports do), and what to declare for a page that is a
    /// bare array.
    #[error(
        "{operation}: page {page}{} is {found}, not a JSON object{}",
        fetched_by(request),
        not_object_hint(found)
    )]
    PageNotObject {
        /// The operation being paginated.
        operation: String,
        /// The page: in the listing when the run knows it ([`PageNumber`]).
        page: PageNumber,
        /// The JSON type of the page.
        found: &'static str,
        /// The request that fetched it, `GET https://…`, when the reply said its URL.
        request: Option<Box<str>>,
    },

    /// A page of a model whose result is the whole page (`result_key = "@"`, P1) is not a
    /// JSON array.
    #[error(
        "{operation}: page {page}{} is {found}, not a JSON array; the model's `result_key = \"@\"` says the page itself is the list: declare the key that holds the list instead{}",
        fetched_by(request),
        page_keys(keys)
    )]
    PageNotArray {
        /// The operation being paginated.
        operation: String,
        /// The page: in the listing when the run knows it ([`PageNumber`]).
        page: PageNumber,
        /// The JSON type of the page.
        found: &'static str,
        /// The request that fetched it, `GET https://…`, when the reply said its URL.
        request: Option<Box<str>>,
        /// The page's top-level keys, when it is an object (the first 20).
        keys: Vec<String>,
    },

    /// K1: the first page of a run lacks a key the model reads, and has one with a near name:
    /// a typo in the declaration, which would otherwise give an empty or short listing without
    /// a word. Models from botocore files are never checked; see
    /// [`ModelBuilder::check_keys`](crate::model::ModelBuilder::check_keys).
    #[error(
        "{operation}: page {page}{} has no `{key}`, which the model's `{field}` reads, but has `{found}`: did you mean `{found}`? Fix the declaration (or turn the check off with `check_keys(false)` if the page really lacks it)",
        fetched_by(request)
    )]
    KeyNotOnPage {
        /// The operation being paginated.
        operation: String,
        /// The page: in the listing when the run knows it ([`PageNumber`]).
        page: PageNumber,
        /// The declaration that reads the key: `result_key`, `output_token`, ...
        field: &'static str,
        /// The key it reads.
        key: String,
        /// The page's key with the nearest name.
        found: String,
        /// The request that fetched the page, `GET https://…`, when the reply said its URL.
        request: Option<Box<str>>,
    },

    /// K2: the page type of a typed run has no field for a key the model reads, and has one
    /// with a near name: a typo in the declaration or in the type. Reported before any request
    /// is sent.
    #[error(
        "{operation}: the model's `{field}` reads `{key}`, but the page type `{type_name}` has no such field; it has `{found}`: did you mean `{found}`? No request was sent"
    )]
    KeyNotInPageType {
        /// The operation being paginated.
        operation: String,
        /// The declaration that reads the key: `result_key`, `output_token`, ...
        field: &'static str,
        /// The key it reads.
        key: String,
        /// The page type.
        type_name: &'static str,
        /// The type's field with the nearest (serialized) name.
        found: String,
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
        /// The page: in the listing when the run knows it ([`PageNumber`]).
        page: PageNumber,
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
        /// The page: in the listing when the run knows it ([`PageNumber`]).
        page: PageNumber,
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
        /// The page: in the listing when the run knows it ([`PageNumber`]).
        page: PageNumber,
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
        /// The page: in the listing when the run knows it ([`PageNumber`]).
        page: PageNumber,
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

/// `" (GET https://…)"`: the request that fetched a page, when known.
fn fetched_by(request: &Option<Box<str>>) -> String {
    request
        .as_ref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default()
}

/// What to do about a page that is not an object.
fn not_object_hint(found: &str) -> &'static str {
    if found == "array" {
        "; if the page itself is the list, declare `result_key = \"@\"`"
    } else {
        ""
    }
}

/// `" (its keys: data, next)"`.
fn page_keys(keys: &[String]) -> String {
    if keys.is_empty() {
        String::new()
    } else {
        format!(" (its keys: {})", keys.join(", "))
    }
}

/// Error::Transport's message: the transport's own, after the operation and the page. The
/// ready transports' errors start with the operation's name already, which is not repeated.
fn transport_message(operation: &str, page: PageNumber, source: &BoxError) -> String {
    let said = source.to_string();
    let said = said
        .strip_prefix(operation)
        .and_then(|rest| rest.strip_prefix(": "))
        .unwrap_or(&said);
    format!("{operation}: page {page} failed: {said}")
}

fn suggestion(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
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
