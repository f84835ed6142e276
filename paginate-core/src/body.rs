//! What a transport answers for a page: a parsed JSON value, or the response body as it came
//! off the wire ([`Reply`], [`Body`]), and transports made from closures that return bodies.
//!
//! A body goes to the engine unparsed. The engine reads from it only what the rules need
//! (tokens, `more_results`, the result keys' items, the non-aggregate keys), and typed pages,
//! items and full results are deserialized straight from its text, so no `serde_json::Value`
//! tree of the whole page is built (SEMANTICS G8).

use std::fmt;

use serde_json::{Map, Value};

use crate::error::BoxError;
use crate::transport::{AsyncTransport, PageRequest, Transport};

/// A response body: the bytes of one page, a JSON document.
///
/// Make one from whatever the HTTP client hands back (`Vec<u8>`, `String`, `&str`, `&[u8]`,
/// `bytes::Bytes`). Nothing is checked here: a body that is not
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

    /// Parses the whole body into a `serde_json::Value`: what a transport that returns bodies
    /// can answer from [`Transport::call`].
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
/// engine. [`Transport::fetch`] returns it.
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

/// A transport made from a closure that returns response bodies; see [`from_body_fn`].
#[derive(Clone, Copy)]
pub struct BodyFn<F>(F);

impl<F> fmt::Debug for BodyFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BodyFn(..)")
    }
}

/// Makes a [`Transport`] from a closure that returns each page's response body, so typed
/// results are read straight from the bytes (no `serde_json::Value` of the page is built):
///
/// ```
/// use paginated::{Body, Model, from_body_fn};
/// use serde_json::json;
///
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct User { name: String }
///
/// let model = Model::builder("ListUsers")
///     .input_token("Marker").output_token("NextMarker").result_key("Users")
///     .build()?;
/// let api = from_body_fn(|_op, params| Ok::<_, std::io::Error>(Body::from(match params.get("Marker") {
///     None => r#"{"Users": [{"name": "ana"}, {"name": "bo"}], "NextMarker": "m1"}"#,
///     Some(_) => r#"{"Users": [{"name": "cy"}]}"#,
/// })));
/// let users: Vec<User> = model.paginate(&api, json!({})).items_as().collect::<Result<_, _>>()?;
/// assert_eq!(users[2], User { name: "cy".into() });
/// # Ok::<(), paginated::Error>(())
/// ```
///
/// Its [`Transport::call`] parses the body, for callers that want a `Value`.
pub fn from_body_fn<F, E>(f: F) -> BodyFn<F>
where
    F: Fn(&str, &Map<String, Value>) -> Result<Body, E>,
    E: Into<BoxError>,
{
    BodyFn(f)
}

impl<F, E> Transport for BodyFn<F>
where
    F: Fn(&str, &Map<String, Value>) -> Result<Body, E>,
    E: Into<BoxError>,
{
    type Error = BoxError;

    fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, BoxError> {
        let body = (self.0)(operation, params).map_err(Into::into)?;
        Ok(body.parse()?)
    }

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, BoxError> {
        (self.0)(request.operation, request.params)
            .map(Reply::Body)
            .map_err(Into::into)
    }
}

/// An async transport made from a closure that returns response bodies; see
/// [`from_async_body_fn`].
#[derive(Clone, Copy)]
pub struct AsyncBodyFn<F>(F);

impl<F> fmt::Debug for AsyncBodyFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AsyncBodyFn(..)")
    }
}

/// Makes an [`AsyncTransport`] from `|operation: String, params: Map<String, Value>| async
/// move { … Ok(Body) }`: the async form of [`from_body_fn`].
pub fn from_async_body_fn<F, Fut, E>(f: F) -> AsyncBodyFn<F>
where
    F: Fn(String, Map<String, Value>) -> Fut + Sync,
    Fut: Future<Output = Result<Body, E>> + Send,
    E: Into<BoxError>,
{
    AsyncBodyFn(f)
}

impl<F, Fut, E> AsyncTransport for AsyncBodyFn<F>
where
    F: Fn(String, Map<String, Value>) -> Fut + Sync,
    Fut: Future<Output = Result<Body, E>> + Send,
    E: Into<BoxError>,
{
    type Error = BoxError;

    async fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, BoxError> {
        let body = (self.0)(operation.to_owned(), params.clone())
            .await
            .map_err(Into::into)?;
        Ok(body.parse()?)
    }

    fn fetch(
        &self,
        request: PageRequest<'_>,
    ) -> impl Future<Output = Result<Reply, BoxError>> + Send {
        let call = (self.0)(request.operation.to_owned(), request.params.clone());
        async move { call.await.map(Reply::Body).map_err(Into::into) }
    }
}
