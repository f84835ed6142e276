//! The one error type of the peer clients: every variant names the operation, and those that
//! reached the network name the method, the URL and (when there was a response) the status.

use reqwest::{Method, StatusCode};

/// Why a call to a peer server failed. paginate keeps it as the source of
/// [`paginate_core::Error::Transport`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PeerError {
    /// The endpoint given to a client is not a usable `http://host:port` URL.
    #[error("invalid endpoint {url:?}: {reason}")]
    Endpoint {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The HTTP client could not be built.
    #[error("could not build the HTTP client: {0}")]
    Client(#[source] reqwest::Error),

    /// The client does not know how to send this operation.
    #[error("{operation}: this client cannot send this operation; it knows {known}")]
    UnknownOperation {
        /// The operation asked for.
        operation: String,
        /// The operations it knows.
        known: &'static str,
    },

    /// A request parameter is missing, of the wrong type, or cannot be sent.
    #[error("{operation}: parameter `{name}` {problem}")]
    Param {
        /// The operation being called.
        operation: String,
        /// The parameter.
        name: String,
        /// What is wrong with it.
        problem: String,
    },

    /// The request could not be signed (AWS Signature Version 4).
    #[error("{operation}: could not sign the request: {reason}")]
    Signing {
        /// The operation being called.
        operation: String,
        /// Why.
        reason: String,
    },

    /// The request got no response: connection refused, reset, timed out, …
    #[error("{operation}: {method} {url} failed: {source}")]
    Request {
        /// The operation being called.
        operation: String,
        /// The HTTP method.
        method: Method,
        /// The full URL, query included.
        url: String,
        /// reqwest's error.
        #[source]
        source: reqwest::Error,
    },

    /// The server answered with an HTTP error status.
    #[error("{operation}: {method} {url} returned HTTP {status}{}: {body}", code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default())]
    Status {
        /// The operation being called.
        operation: String,
        /// The HTTP method.
        method: Method,
        /// The full URL, query included.
        url: String,
        /// The HTTP status.
        status: StatusCode,
        /// The AWS error code when the body has one (`ResourceNotFoundException`, `NoSuchBucket`, …).
        code: Option<String>,
        /// The first 1,000 characters of the body.
        body: String,
    },

    /// The server answered with success, but the body is not what the protocol sends.
    #[error(
        "{operation}: {method} {url} returned HTTP {status} with a body that cannot be read ({reason}): {body}"
    )]
    Decode {
        /// The operation being called.
        operation: String,
        /// The HTTP method.
        method: Method,
        /// The full URL, query included.
        url: String,
        /// The HTTP status.
        status: StatusCode,
        /// What is wrong with the body.
        reason: String,
        /// The first 1,000 characters of the body.
        body: String,
    },
}

impl PeerError {
    /// The HTTP status of a [`PeerError::Status`] or [`PeerError::Decode`] error.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            PeerError::Status { status, .. } | PeerError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The AWS error code of a [`PeerError::Status`] error, when the body had one.
    pub fn code(&self) -> Option<&str> {
        match self {
            PeerError::Status { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

/// The first 1,000 characters of a body, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(1000).collect()
}
