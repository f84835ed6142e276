//! The transports: the one seam between a run and the outside, blocking ([`Transport`]) and
//! async ([`AsyncTransport`]), and the [`PageRequest`] a run hands them for each page.

use serde_json::{Map, Value};

use crate::body::Reply;
use crate::error::BoxError;
use crate::route::Route;

/// One page request, as a run hands it to a transport: the operation, the params of this
/// page, the model's HTTP route if it has one, and the page's number.
///
/// Transports written by hand implement [`Transport::call`] and never see this type; the
/// ready HTTP transports read the route from it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct PageRequest<'a> {
    /// The model's operation name.
    pub operation: &'a str,
    /// The request parameters of this page (a JSON object).
    pub params: &'a Map<String, Value>,
    /// The model's HTTP route ([`Model::route`](crate::Model::route)), if it has one.
    pub route: Option<&'a Route>,
    /// The number of the page being fetched, from 1.
    pub page: u64,
}

impl<'a> PageRequest<'a> {
    /// A request for page 1 of `operation` with `params` and no route: for calling a
    /// transport directly, in tests for example.
    pub fn new(operation: &'a str, params: &'a Map<String, Value>) -> PageRequest<'a> {
        PageRequest {
            operation,
            params,
            route: None,
            page: 1,
        }
    }

    /// The same request with `route`.
    #[must_use]
    pub fn with_route(mut self, route: &'a Route) -> PageRequest<'a> {
        self.route = Some(route);
        self
    }
}

/// Sends one request of a paginated operation and returns the parsed page.
///
/// Implement it once for your API client. `operation` is the model's operation name and
/// `params` the request parameters of this page (a JSON object); return the response as JSON,
/// or your own error, which stays reachable as the [`crate::Error::Transport`] source.
///
/// Closures implement it too; [`from_fn`] helps the compiler infer their argument types.
/// Runs hold the transport through any handle that dereferences to it: `&api`, `Arc<Api>`, `Box<Api>`.
///
/// ```
/// use paginated::{Transport, from_fn};
/// use serde_json::{Map, Value, json};
///
/// struct Api;
/// impl Transport for Api {
///     type Error = std::io::Error;
///     fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, Self::Error> {
///         Ok(json!({"Operation": operation, "Echo": params}))
///     }
/// }
///
/// let echo = from_fn(|op, params| Ok::<_, std::io::Error>(json!({"op": op, "n": params.len()})));
/// assert_eq!(echo.call("ListThings", &Map::new())?, json!({"op": "ListThings", "n": 0}));
/// # Ok::<(), std::io::Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a paginate transport",
    label = "this does not implement `paginated::Transport`",
    note = "implement `Transport` for your client (one method: `call(&self, operation, params)`), or wrap a closure with `paginated::from_fn`"
)]
pub trait Transport {
    /// The error this transport returns: anything that converts into a boxed error.
    type Error: Into<BoxError>;

    /// Sends `operation` with `params` and returns the page.
    fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, Self::Error>;

    /// Sends one page request. Runs call this; the default calls [`Transport::call`] with
    /// the request's operation and params. Transports that need more of the request (its
    /// route, its page number) override it.
    fn send(&self, request: PageRequest<'_>) -> Result<Value, Self::Error> {
        self.call(request.operation, request.params)
    }

    /// Sends one page request and answers with the page as JSON or as the response body
    /// ([`Reply`]). Runs call this; the default answers [`Transport::send`]'s JSON.
    ///
    /// Override it to hand back the body unparsed ([`Reply::Body`]): the engine then reads
    /// only what its rules need and deserializes typed pages, items and full results straight
    /// from the text, without building a `serde_json::Value` of the page. The ready HTTP
    /// transports do; [`from_body_fn`](crate::from_body_fn) makes one from a closure.
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, Self::Error> {
        self.send(request).map(Reply::Value)
    }
}

/// Closures implement the transport directly (annotate the argument types, or use [`from_fn`]).
impl<F, E> Transport for F
where
    F: Fn(&str, &Map<String, Value>) -> Result<Value, E> + ?Sized,
    E: Into<BoxError>,
{
    type Error = E;
    fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, E> {
        self(operation, params)
    }
}

/// Returns the closure unchanged, typed as a transport, so its argument types are inferred:
/// `from_fn(|op, params| …)` instead of `|op: &str, params: &Map<String, Value>| …`.
pub fn from_fn<F, E>(f: F) -> F
where
    F: Fn(&str, &Map<String, Value>) -> Result<Value, E>,
    E: Into<BoxError>,
{
    f
}

/// The async transport: like [`Transport`], with a future that is `Send`, so a run can be
/// spawned on a multi-threaded runtime. Implement it with an `async fn`:
///
/// ```
/// use paginated::AsyncTransport;
/// use serde_json::{Map, Value, json};
///
/// struct Api;
/// impl AsyncTransport for Api {
///     type Error = std::io::Error;
///     async fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, Self::Error> {
///         Ok(json!({"Operation": operation, "Echo": params}))
///     }
/// }
/// ```
///
/// The crate does not depend on any runtime: the future is polled by whatever executor
/// drives the stream.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as an async paginate transport",
    label = "this does not implement `paginated::AsyncTransport`",
    note = "implement `AsyncTransport` for your client (one method: `async fn call(&self, operation, params)`), or wrap a closure with `paginated::from_async_fn`"
)]
pub trait AsyncTransport {
    /// The error this transport returns: anything that converts into a boxed error.
    type Error: Into<BoxError>;

    /// Sends `operation` with `params` and returns the page.
    fn call(
        &self,
        operation: &str,
        params: &Map<String, Value>,
    ) -> impl Future<Output = Result<Value, Self::Error>> + Send;

    /// Sends one page request; see [`Transport::send`]. The default calls
    /// [`AsyncTransport::call`].
    fn send(
        &self,
        request: PageRequest<'_>,
    ) -> impl Future<Output = Result<Value, Self::Error>> + Send {
        self.call(request.operation, request.params)
    }

    /// Sends one page request and answers with JSON or the response body; see
    /// [`Transport::fetch`]. The default answers [`AsyncTransport::send`]'s JSON.
    fn fetch(
        &self,
        request: PageRequest<'_>,
    ) -> impl Future<Output = Result<Reply, Self::Error>> + Send {
        let sent = self.send(request);
        async move { sent.await.map(Reply::Value) }
    }
}

/// An async transport made from a closure over owned arguments; see [`from_async_fn`].
#[derive(Clone, Copy)]
pub struct AsyncFn<F>(F);

impl<F> std::fmt::Debug for AsyncFn<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AsyncFn(..)")
    }
}

/// Makes an [`AsyncTransport`] from `|operation: String, params: Map<String, Value>| async
/// move { … }`; the arguments are owned so the future can outlive the call.
pub fn from_async_fn<F, Fut, E>(f: F) -> AsyncFn<F>
where
    F: Fn(String, Map<String, Value>) -> Fut + Sync,
    Fut: Future<Output = Result<Value, E>> + Send,
    E: Into<BoxError>,
{
    AsyncFn(f)
}

impl<F, Fut, E> AsyncTransport for AsyncFn<F>
where
    F: Fn(String, Map<String, Value>) -> Fut + Sync,
    Fut: Future<Output = Result<Value, E>> + Send,
    E: Into<BoxError>,
{
    type Error = E;
    fn call(
        &self,
        operation: &str,
        params: &Map<String, Value>,
    ) -> impl Future<Output = Result<Value, E>> + Send {
        (self.0)(operation.to_owned(), params.clone())
    }
}
