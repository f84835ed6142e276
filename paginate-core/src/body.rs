//! What a transport answers for a page: a parsed JSON value, or the response body as it came
//! off the wire ([`Reply`], [`Body`]).
//!
//! A body goes to the engine unparsed. The engine reads from it only what the rules need
//! (tokens, `more_results`, the result keys' items, the non-aggregate keys), and typed pages,
//! items and full results are deserialized straight from its text, so no `serde_json::Value`
//! tree of the whole page is built (SEMANTICS G8).

use std::fmt;

use http::{HeaderMap, StatusCode};
use serde_json::Value;
use url::Url;

/// A response body: the bytes of one page, a JSON document.
///
/// Make one from whatever the HTTP client hands back: `Vec<u8>`, `String`, `&str`, `&[u8]`
/// (a `bytes::Bytes` through `Vec::from` or `&bytes[..]`). Nothing is checked here: a body that is not
/// UTF-8 JSON is reported by the run as [`Error::PageNotJson`](crate::Error::PageNotJson),
/// naming the page.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Body {
    bytes: Vec<u8>,
}

impl Body {
    /// A body of `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Body {
        Body {
            bytes: bytes.into(),
        }
    }

    /// The bytes of the body.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes of the body, taken out.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Parses the whole body into a `serde_json::Value`: what code outside a run
    /// that wants a whole `Value` of a page can read.
    pub fn parse(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_slice(&self.bytes)
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = String::from_utf8_lossy(&self.bytes);
        f.debug_struct("Body")
            .field("len", &self.bytes.len())
            .field("text", &crate::error::preview(&text))
            .finish()
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Body {
        Body { bytes }
    }
}

impl From<String> for Body {
    fn from(text: String) -> Body {
        Body {
            bytes: text.into_bytes(),
        }
    }
}

impl From<&str> for Body {
    fn from(text: &str) -> Body {
        Body::new(text.as_bytes())
    }
}

impl From<&[u8]> for Body {
    fn from(bytes: &[u8]) -> Body {
        Body::new(bytes)
    }
}

/// What a transport answers for one page: the page's [`Content`] (JSON it has parsed, or
/// the body for the engine to read) and, where a pagination style reads them, the response's
/// status, headers and the URL that fetched it (SEMANTICS P10).
/// [`blocking::Transport::fetch`](crate::blocking::Transport::fetch) and
/// [`nonblocking::Transport::fetch`](crate::nonblocking::Transport::fetch) return it.
///
/// Anything that is content converts into it, with status 200, no headers and no URL: a
/// `serde_json::Value` is [`Content::Value`]; a [`Body`], a `String`, a `Vec<u8>`, a `&str`
/// or a `&[u8]` of JSON text is [`Content::Body`], read lazily, so typed results are
/// deserialized straight from the text. An `http::Response` converts with its status and
/// headers; [`Reply::with_url`] adds the URL, which a relative next URL or `Link` target is
/// resolved against.
///
/// ```
/// use paginated::{Content, Model, Reply};
/// use paginated::blocking::from_fn;
/// use serde_json::json;
///
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct User { name: String }
///
/// let model = Model::builder("ListUsers")
///     .input_token("Marker").output_token("NextMarker").result_key("Users")
///     .build()?;
/// let api = from_fn(|request| Ok::<_, std::io::Error>(match request.params().get("Marker") {
///     None => r#"{"Users": [{"name": "ana"}, {"name": "bo"}], "NextMarker": "m1"}"#,
///     Some(_) => r#"{"Users": [{"name": "cy"}]}"#,
/// }));
/// let users: Vec<User> = model.paginate(&api, json!({})).items().typed().collect::<Result<_, _>>()?;
/// assert_eq!(users[2], User { name: "cy".into() });
/// assert!(matches!(Reply::from(json!({"Users": []})).content(), Content::Value(_)));
/// assert!(matches!(Reply::from("{}").content(), Content::Body(_)));
///
/// let response = http::Response::builder()
///     .header("Link", r#"<https://api.example.com/users?page=2>; rel="next""#)
///     .body("[]")?;
/// let reply = Reply::from(response);
/// assert_eq!(reply.status(), http::StatusCode::OK);
/// assert!(reply.headers().contains_key("link"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    content: Content,
    status: StatusCode,
    headers: HeaderMap,
    url: Option<Url>,
}

/// The page in a [`Reply`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A page already parsed (or built) as JSON.
    Value(Value),
    /// The response body, unparsed: the engine reads only what it needs from it and typed
    /// results are deserialized straight from its text.
    Body(Body),
}

impl Reply {
    /// A reply of JSON already parsed, status 200, no headers, no URL.
    pub fn value(value: Value) -> Reply {
        Reply::of(Content::Value(value))
    }

    /// A reply of a response body, status 200, no headers, no URL.
    pub fn body(body: impl Into<Body>) -> Reply {
        Reply::of(Content::Body(body.into()))
    }

    fn of(content: Content) -> Reply {
        Reply {
            content,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            url: None,
        }
    }

    /// The same reply with the response's status.
    #[must_use]
    pub fn with_status(mut self, status: StatusCode) -> Reply {
        self.status = status;
        self
    }

    /// The same reply with the response's headers (`header('…')` and `link('…')` sources
    /// read them, P10).
    #[must_use]
    pub fn with_headers(mut self, headers: HeaderMap) -> Reply {
        self.headers = headers;
        self
    }

    /// The same reply with the URL that fetched the page: a relative next URL or `Link`
    /// target is resolved against it (P2).
    #[must_use]
    pub fn with_url(mut self, url: Url) -> Reply {
        self.url = Some(url);
        self
    }

    /// The page.
    pub fn content(&self) -> &Content {
        &self.content
    }

    /// The page, taken out.
    pub fn into_content(self) -> Content {
        self.content
    }

    /// The response's status (200 unless the transport said otherwise). A run takes a reply
    /// only with a success status (2xx); any other fails the run as the transport's error.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's headers (none unless the transport gave them).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The URL that fetched the page, if the transport gave it.
    pub fn url(&self) -> Option<&Url> {
        self.url.as_ref()
    }

    /// The content, and the status, headers and URL apart.
    pub(crate) fn into_parts(self) -> (Content, ReplyMeta) {
        let meta = ReplyMeta {
            headers: self.headers,
            url: self.url,
        };
        (self.content, meta)
    }
}

/// What a reply says besides its page, as the engine reads it (P10); its status was read
/// before (a run takes only success replies).
#[derive(Debug, Clone, Default)]
pub(crate) struct ReplyMeta {
    pub(crate) headers: HeaderMap,
    pub(crate) url: Option<Url>,
}

impl From<Value> for Reply {
    fn from(value: Value) -> Reply {
        Reply::value(value)
    }
}

impl From<Body> for Reply {
    fn from(body: Body) -> Reply {
        Reply::body(body)
    }
}

impl From<Vec<u8>> for Reply {
    fn from(bytes: Vec<u8>) -> Reply {
        Reply::body(bytes)
    }
}

impl From<String> for Reply {
    fn from(text: String) -> Reply {
        Reply::body(text)
    }
}

impl From<&str> for Reply {
    fn from(text: &str) -> Reply {
        Reply::body(text)
    }
}

impl From<&[u8]> for Reply {
    fn from(bytes: &[u8]) -> Reply {
        Reply::body(bytes)
    }
}

impl From<Content> for Reply {
    fn from(content: Content) -> Reply {
        Reply::of(content)
    }
}

/// A response with a body of text or bytes: its status and headers come along.
impl<B: Into<Body>> From<http::Response<B>> for Reply {
    fn from(response: http::Response<B>) -> Reply {
        let (parts, body) = response.into_parts();
        Reply::body(body)
            .with_status(parts.status)
            .with_headers(parts.headers)
    }
}
