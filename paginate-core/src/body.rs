//! What a transport answers for a page: a parsed JSON value, or the response body as it came
//! off the wire ([`Reply`], [`Body`]).
//!
//! A body goes to the engine unparsed. The engine reads from it only what the rules need
//! (tokens, `more_results`, the result keys' items, the non-aggregate keys), and typed pages,
//! items and full results are deserialized straight from its text, so no `serde_json::Value`
//! tree of the whole page is built (SEMANTICS G8).

use std::fmt;

use serde_json::Value;

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

/// What a transport answers for one page: JSON it has parsed, or the body to be read by the
/// engine. [`blocking::Transport::fetch`](crate::blocking::Transport::fetch) and
/// [`nonblocking::Transport::fetch`](crate::nonblocking::Transport::fetch) return it.
///
/// Anything that is one converts into it: a `serde_json::Value` is [`Reply::Value`]; a
/// [`Body`], a `String`, a `Vec<u8>`, a `&str` or a `&[u8]` of JSON text is [`Reply::Body`],
/// read lazily, so typed results are deserialized straight from the text:
///
/// ```
/// use paginated::{Model, Reply};
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
/// assert!(matches!(Reply::from(json!({"Users": []})), Reply::Value(_)));
/// assert!(matches!(Reply::from("{}"), Reply::Body(_)));
/// # Ok::<(), paginated::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A page already parsed (or built) as JSON.
    Value(Value),
    /// The response body, unparsed: the engine reads only what it needs from it and typed
    /// results are deserialized straight from its text.
    Body(Body),
}

impl From<Value> for Reply {
    fn from(value: Value) -> Reply {
        Reply::Value(value)
    }
}

impl From<Body> for Reply {
    fn from(body: Body) -> Reply {
        Reply::Body(body)
    }
}

impl From<Vec<u8>> for Reply {
    fn from(bytes: Vec<u8>) -> Reply {
        Reply::Body(Body::from(bytes))
    }
}

impl From<String> for Reply {
    fn from(text: String) -> Reply {
        Reply::Body(Body::from(text))
    }
}

impl From<&str> for Reply {
    fn from(text: &str) -> Reply {
        Reply::Body(Body::from(text))
    }
}

impl From<&[u8]> for Reply {
    fn from(bytes: &[u8]) -> Reply {
        Reply::Body(Body::from(bytes))
    }
}
