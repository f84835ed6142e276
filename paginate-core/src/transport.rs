//! The one seam between a run and the outside: a [`PageRequest`] goes out, a
//! [`Reply`] comes back. The blocking trait and its closure adapter are in
//! [`blocking`](crate::blocking), the async ones in [`nonblocking`](crate::nonblocking);
//! each has exactly one method, `fetch`.

use std::borrow::Cow;

use http::HeaderMap;
use serde_json::{Map, Value};
use url::Url;

use crate::body::Reply;
use crate::error::BoxError;
use crate::route::Route;

/// One page request, as a run hands it to a transport: the operation, the params of this
/// page, the HTTP route it goes to if the model has one, and the page's number; for some
/// pagination styles also a URL to send it to and request headers (SEMANTICS P2, P11).
///
/// A transport that serves a model with `next_url` must send a request that has a
/// [`url`](PageRequest::url) to that URL, with [`params`](PageRequest::params) set as query
/// parameters over its own (replacing same-named ones), and **must check it against the
/// origin it was configured with** before sending: the URL comes from a page or from a resume
/// token, and a transport that carries credentials must not send them elsewhere.
/// [`Origin`](crate::Origin) does that check; the ready HTTP transports use it.
///
/// Its parts are read through accessors, as with `http::Request`, so that what a pagination
/// style needs can be added without breaking a transport. A request borrows from the run;
/// [`PageRequest::into_owned`] makes one that outlives it (for a thread or a future).
///
/// ```
/// use paginated::PageRequest;
/// use serde_json::{Map, json};
///
/// let mut params = Map::new();
/// params.insert("Marker".into(), json!("m1"));
/// let request = PageRequest::new("ListObjects", &params);
/// assert_eq!(request.operation(), "ListObjects");
/// assert_eq!(request.params()["Marker"], "m1");
/// assert_eq!(request.page(), 1);
/// assert!(request.route().is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest<'a> {
    operation: Cow<'a, str>,
    params: Cow<'a, Map<String, Value>>,
    route: Option<Cow<'a, Route>>,
    url: Option<Cow<'a, Url>>,
    headers: Cow<'a, HeaderMap>,
    page: u64,
}

/// The request headers of a request that sets none.
static NO_HEADERS: std::sync::LazyLock<HeaderMap> = std::sync::LazyLock::new(HeaderMap::new);

impl<'a> PageRequest<'a> {
    /// A request for page 1 of `operation` with `params` and no route: for calling a
    /// transport directly, in tests for example.
    pub fn new(operation: &'a str, params: &'a Map<String, Value>) -> PageRequest<'a> {
        PageRequest {
            operation: Cow::Borrowed(operation),
            params: Cow::Borrowed(params),
            route: None,
            url: None,
            headers: Cow::Borrowed(&NO_HEADERS),
            page: 1,
        }
    }

    /// The request a run sends for page `page`.
    pub(crate) fn for_page(
        operation: &'a str,
        params: Cow<'a, Map<String, Value>>,
        route: Option<&'a Route>,
        page: u64,
    ) -> PageRequest<'a> {
        PageRequest {
            operation: Cow::Borrowed(operation),
            params,
            route: route.map(Cow::Borrowed),
            url: None,
            headers: Cow::Borrowed(&NO_HEADERS),
            page,
        }
    }

    /// The same request sent to `url` (P2).
    #[must_use]
    pub fn with_url(mut self, url: &'a Url) -> PageRequest<'a> {
        self.url = Some(Cow::Borrowed(url));
        self
    }

    /// The same request with the request headers `headers` (P11).
    #[must_use]
    pub fn with_headers(mut self, headers: &'a HeaderMap) -> PageRequest<'a> {
        self.headers = Cow::Borrowed(headers);
        self
    }

    /// The same request with `route`.
    #[must_use]
    pub fn with_route(mut self, route: &'a Route) -> PageRequest<'a> {
        self.route = Some(Cow::Borrowed(route));
        self
    }

    /// The same request numbered as page `page` (from 1).
    #[must_use]
    pub fn with_page(mut self, page: u64) -> PageRequest<'a> {
        self.page = page;
        self
    }

    /// The model's operation name.
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// The request parameters of this page: the first page's params with the input tokens
    /// and the page size set by the run.
    pub fn params(&self) -> &Map<String, Value> {
        &self.params
    }

    /// The model's HTTP route ([`Model::route`](crate::Model::route)), if it has one.
    pub fn route(&self) -> Option<&Route> {
        self.route.as_deref()
    }

    /// The URL to send this request to, when the model follows URLs (`next_url`, P2) and this
    /// is not the first page: absolute, from a page or a resume token. Check it against your
    /// transport's origin before sending ([`Origin::check`](crate::Origin::check)).
    pub fn url(&self) -> Option<&Url> {
        self.url.as_deref()
    }

    /// Request headers the model sets (an `input_token` written `header('Name')`, P11);
    /// empty for most models.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The number of the page being fetched, from 1 (a resumed run counts from its first
    /// request).
    pub fn page(&self) -> u64 {
        self.page
    }

    /// The same request owning its parts, so it can be moved to a thread or into a future.
    pub fn into_owned(self) -> PageRequest<'static> {
        PageRequest {
            operation: Cow::Owned(self.operation.into_owned()),
            params: Cow::Owned(self.params.into_owned()),
            route: self.route.map(|route| Cow::Owned(route.into_owned())),
            url: self.url.map(|url| Cow::Owned(url.into_owned())),
            headers: Cow::Owned(self.headers.into_owned()),
            page: self.page,
        }
    }
}

/// The blocking transport trait; re-exported as [`blocking::Transport`](crate::blocking::Transport).
pub(crate) mod blocking {
    use super::{BoxError, PageRequest, Reply};

    /// Sends one page request of a paginated operation and answers with the page.
    ///
    /// Implement it once for your API client: one method, [`fetch`](Transport::fetch). The
    /// request says which operation, with which params, to which route; answer with the page
    /// as JSON ([`Content::Value`](crate::Content::Value)) or as the response body ([`Content::Body`](crate::Content::Body)), with the response's status and headers where the model's style reads them, or with your own
    /// error, which stays reachable as the [`Error::Transport`](crate::Error::Transport)
    /// source. A body is read lazily: the engine reads only what its rules need and
    /// deserializes typed pages and items straight from the text, without building a
    /// `serde_json::Value` of the page (G8).
    ///
    /// Closures of one [`PageRequest`] argument implement it too; [`from_fn`] helps the
    /// compiler infer the argument's type. Runs hold the transport through any handle that
    /// dereferences to it: `&api`, `Arc<Api>`, `Box<Api>`.
    ///
    /// ```
    /// use paginated::blocking::{Transport, from_fn};
    /// use paginated::{PageRequest, Reply};
    /// use serde_json::{Map, json};
    ///
    /// struct Api;
    /// impl Transport for Api {
    ///     type Error = std::io::Error;
    ///     fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, Self::Error> {
    ///         // A real client sends the request; this one answers with a body.
    ///         Ok(format!(r#"{{"Operation": "{}", "Items": []}}"#, request.operation()).into())
    ///     }
    /// }
    /// assert!(matches!(Api.fetch(PageRequest::new("ListThings", &Map::new()))?.content(), paginated::Content::Body(_)));
    ///
    /// let echo = from_fn(|request| {
    ///     Ok::<_, std::io::Error>(json!({"op": request.operation(), "n": request.params().len()}))
    /// });
    /// let reply = echo.fetch(PageRequest::new("ListThings", &Map::new()))?;
    /// assert_eq!(reply, Reply::from(json!({"op": "ListThings", "n": 0})));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be used as a blocking paginated transport",
        label = "this does not implement `paginated::blocking::Transport`",
        note = "implement `paginated::blocking::Transport` for your client (one method: `fetch(&self, request: PageRequest<'_>) -> Result<Reply, Self::Error>`), or wrap a closure with `paginated::blocking::from_fn`"
    )]
    pub trait Transport {
        /// The error this transport returns: anything that converts into a boxed error.
        type Error: Into<BoxError>;

        /// Sends one page request and answers with the page, as JSON or as the body.
        fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, Self::Error>;
    }

    /// Closures implement the transport directly (annotate the argument's type, or use
    /// [`from_fn`]). They may answer with anything that becomes a [`Reply`]: a
    /// `serde_json::Value`, a [`Body`](crate::Body), a `String` or a `Vec<u8>` of JSON text.
    impl<F, R, E> Transport for F
    where
        F: Fn(PageRequest<'_>) -> Result<R, E> + ?Sized,
        R: Into<Reply>,
        E: Into<BoxError>,
    {
        type Error = E;
        fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, E> {
            self(request).map(Into::into)
        }
    }

    /// Returns the closure unchanged, typed as a transport, so its argument's type is
    /// inferred: `from_fn(|request| …)` instead of `|request: PageRequest<'_>| …`. The
    /// closure answers with anything that becomes a [`Reply`].
    pub fn from_fn<F, R, E>(f: F) -> F
    where
        F: Fn(PageRequest<'_>) -> Result<R, E>,
        R: Into<Reply>,
        E: Into<BoxError>,
    {
        f
    }
}

/// The async transport trait; re-exported as
/// [`nonblocking::Transport`](crate::nonblocking::Transport).
pub(crate) mod nonblocking {
    use super::{BoxError, PageRequest, Reply};

    /// The async transport: like [`blocking::Transport`](crate::blocking::Transport), one
    /// method, with a future that is `Send`, so a run can be spawned on a multi-threaded
    /// runtime. Implement it with an `async fn`:
    ///
    /// ```
    /// use paginated::nonblocking::Transport;
    /// use paginated::{PageRequest, Reply};
    /// use serde_json::json;
    ///
    /// struct Api;
    /// impl Transport for Api {
    ///     type Error = std::io::Error;
    ///     async fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, Self::Error> {
    ///         Ok(json!({"Operation": request.operation(), "Echo": request.params()}).into())
    ///     }
    /// }
    /// ```
    ///
    /// The crate does not depend on any runtime: the future is polled by whatever executor
    /// drives the stream.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be used as an async paginated transport",
        label = "this does not implement `paginated::nonblocking::Transport`",
        note = "implement `paginated::nonblocking::Transport` for your client (one method: `async fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, Self::Error>`), or wrap a closure with `paginated::nonblocking::from_fn`"
    )]
    pub trait Transport {
        /// The error this transport returns: anything that converts into a boxed error.
        type Error: Into<BoxError>;

        /// Sends one page request and answers with the page, as JSON or as the body.
        fn fetch(
            &self,
            request: PageRequest<'_>,
        ) -> impl Future<Output = Result<Reply, Self::Error>> + Send;
    }

    /// An async transport made from a closure; see [`from_fn`].
    #[derive(Clone, Copy)]
    pub struct FromFn<F>(F);

    impl<F> std::fmt::Debug for FromFn<F> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("FromFn(..)")
        }
    }

    /// Makes a [`Transport`] from `|request: PageRequest<'static>| async move { … }`. The
    /// request is owned, so the future can outlive the call; the future answers with
    /// anything that becomes a [`Reply`].
    ///
    /// ```
    /// use paginated::nonblocking::from_fn;
    /// use serde_json::json;
    ///
    /// let api = from_fn(|request| async move {
    ///     let after = request.params().get("after").cloned();
    ///     Ok::<_, std::io::Error>(match after {
    ///         None => json!({"items": [1, 2], "next": "p2"}),
    ///         Some(_) => json!({"items": [3]}),
    ///     })
    /// });
    /// # let _ = api;
    /// ```
    pub fn from_fn<F, Fut, R, E>(f: F) -> FromFn<F>
    where
        F: Fn(PageRequest<'static>) -> Fut + Sync,
        Fut: Future<Output = Result<R, E>> + Send,
        R: Into<Reply>,
        E: Into<BoxError>,
    {
        FromFn(f)
    }

    impl<F, Fut, R, E> Transport for FromFn<F>
    where
        F: Fn(PageRequest<'static>) -> Fut + Sync,
        Fut: Future<Output = Result<R, E>> + Send,
        R: Into<Reply>,
        E: Into<BoxError>,
    {
        type Error = E;
        fn fetch(&self, request: PageRequest<'_>) -> impl Future<Output = Result<Reply, E>> + Send {
            let answer = (self.0)(request.into_owned());
            async move { answer.await.map(Into::into) }
        }
    }
}

// Inside the crate the two flavours keep distinct names.
pub(crate) use blocking::Transport;
pub(crate) use nonblocking::Transport as AsyncTransport;
