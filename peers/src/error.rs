//! The one error type of the peer clients: every variant names the operation, and those that
//! reached the network name the method, the URL and (when there was a response) the status.
//! The ready transports' [`HttpError`]s are read into it ([`PeerError::from_http`]), with the
//! AWS error code of an error body.

use paginated::BoxError;
use paginated::http::HttpError;
use paginated::route::{Method, RenderError};
use reqwest::StatusCode;

/// Why a call to a peer server failed. paginate keeps it as the source of
/// [`paginated::Error::Transport`].
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
        /// The HTTP client's error.
        #[source]
        source: BoxError,
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
        /// The start of the body (the transport keeps 500 characters).
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
        /// The start of the body (the transport keeps 500 characters).
        body: String,
    },

    /// A page asked for as JSON outside a run (a set-up call) is not a JSON document.
    #[error("{operation}: the page is not a JSON document: {reason}")]
    NotJson {
        /// The operation being called.
        operation: String,
        /// What the JSON parser said.
        reason: String,
    },

    /// Any other failure of the ready HTTP transport, as it reported it (it names the
    /// operation).
    #[error(transparent)]
    Http(HttpError),
}

impl PeerError {
    /// The HTTP status of a [`PeerError::Status`] or [`PeerError::Decode`] error.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            PeerError::Status { status, .. } | PeerError::Decode { status, .. } => Some(*status),
            PeerError::Http(e) => e.status(),
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

    /// Reads a failure of the ready transport: a [`PeerError`] a protocol hook returned comes
    /// back as it was, an error status gets the AWS error code `code_of` finds in its body, and
    /// params the route could not place are [`PeerError::Param`]s.
    pub(crate) fn from_http(
        error: HttpError,
        code_of: impl FnOnce(&str) -> Option<String>,
    ) -> Self {
        match error {
            HttpError::Hook {
                operation,
                method,
                url,
                source,
            } => match source.downcast::<PeerError>() {
                Ok(peer) => *peer,
                Err(source) => PeerError::Http(HttpError::Hook {
                    operation,
                    method,
                    url,
                    source,
                }),
            },
            HttpError::Status {
                operation,
                method,
                url,
                status,
                body,
            } => PeerError::Status {
                operation,
                method,
                url,
                status,
                code: code_of(&body),
                body,
            },
            HttpError::Decode {
                operation,
                method,
                url,
                status,
                body,
                source,
            } => PeerError::Decode {
                operation,
                method,
                url,
                status,
                reason: source.to_string(),
                body,
            },
            HttpError::Request {
                operation,
                method,
                url,
                source,
            } => PeerError::Request {
                operation,
                method,
                url,
                source,
            },
            HttpError::Param {
                operation,
                name,
                problem,
                ..
            } => PeerError::Param {
                operation,
                name,
                problem: problem.to_owned(),
            },
            HttpError::Route { operation, source } => match source {
                RenderError::Missing { name, route } => PeerError::Param {
                    operation,
                    name,
                    problem: format!("is required: the route `{route}` puts it in the path"),
                },
                RenderError::NotScalar { name, found, .. } => PeerError::Param {
                    operation,
                    name,
                    problem: format!("is a JSON {found}, which cannot be written in a URL path"),
                },
                other => PeerError::Http(HttpError::Route {
                    operation,
                    source: other,
                }),
            },
            other => PeerError::Http(other),
        }
    }
}
