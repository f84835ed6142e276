//! Why a starting token was refused (R3–R5): [`TokenError`], the reason of
//! [`Error::InvalidToken`](crate::Error::InvalidToken).

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
