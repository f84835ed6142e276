//! Async iteration: the same runs as `pages.rs`, as `futures_core::Stream`s (G6). Only the
//! way a page is fetched differs; the `Run` and the result cursors are shared.

use std::fmt;
use std::future::poll_fn;
use std::marker::PhantomData;
use std::ops::Deref;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::driver::{Driver, Readers};
use crate::engine::Run;
use crate::error::Error;
use crate::fetch::Async;
use crate::full_result::FullResult;
use crate::model::Model;
use crate::pages::run_options;
use crate::raw_page::TypedPage;
use crate::results::{ItemCursor, SearchCursor, decode_page};
use crate::transport::AsyncTransport;

/// `next().await` and `try_collect().await` for a stream of `Result<$t, Error>`, so that no
/// extension trait is needed to consume one.
macro_rules! stream_methods {
    ($what:literal, $t:ty) => {
        #[doc = concat!("The next ", $what, ", or `None` at the end.")]
        pub async fn next(&mut self) -> Option<Result<$t, Error>> {
            poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
        }

        /// Collects everything to the end; the first error is returned instead.
        pub async fn try_collect(mut self) -> Result<Vec<$t>, Error> {
            let mut all = Vec::new();
            while let Some(next) = self.next().await {
                all.push(next?);
            }
            Ok(all)
        }
    };
}

impl Model {
    /// Starts an async run of this operation with `params` over `transport`: anything that
    /// dereferences to an [`nonblocking::Transport`](crate::nonblocking::Transport) and can be cloned into each request (`&client`,
    /// `Arc<Client>`). The stream is `Send` when the transport is, and dropping it cancels the
    /// request in flight.
    pub fn paginate_async<'a, H>(&self, transport: H, params: Value) -> Pages<'a, H>
    where
        H: Deref + Clone + Send + 'a,
        H::Target: AsyncTransport,
    {
        Pages::new(transport, Run::new(self.clone(), params))
    }
}

/// The pages of one async run: a `Stream<Item = Result<P, Error>>` with the same options and
/// results as [`Pages`](crate::blocking::Pages). `next().await` is provided, so no extension trait is
/// needed to consume it.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, H, P = Value, I = Value> {
    driver: Driver<Async<'a, H>>,
    types: PhantomData<fn() -> (P, I)>,
}

// No field is structurally pinned: the request in flight is boxed.
impl<H, P, I> Unpin for Pages<'_, H, P, I> {}

impl<H, P, I> fmt::Debug for Pages<'_, H, P, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("driver", &self.driver)
            .finish_non_exhaustive()
    }
}

impl<'a, H, P, I> Pages<'a, H, P, I> {
    pub(crate) fn new(transport: H, run: Run) -> Pages<'a, H, P, I> {
        Pages {
            driver: Driver::new(run, Async::new(transport)),
            types: PhantomData,
        }
    }

    run_options!();

    /// The same run, giving pages deserialized as `Q` and items as `J`; a struct `Q` is
    /// checked against the keys the model reads before any request (SEMANTICS K2), as in
    /// [`blocking::Pages::typed`](crate::blocking::Pages::typed).
    pub fn typed<Q: DeserializeOwned, J>(mut self) -> Pages<'a, H, Q, J> {
        self.driver.run.set_page_type::<Q>();
        Pages {
            driver: self.driver,
            types: PhantomData,
        }
    }

    /// Fetches ahead: as soon as a page has been handed out and the run knows its next token,
    /// the next request is started while your code works on that page; see
    /// [`Pages::lookahead`](crate::blocking::Pages::lookahead) for what stays exactly as without it. The
    /// request's future is polled whenever the stream is (including while it hands out the
    /// items of the page before), on your runtime; dropping the stream cancels it.
    ///
    /// A future moves only when it is polled: while your code works on a page without polling
    /// the stream, the request gets as far as its first poll took it. Over a pooled keep-alive
    /// connection that is the whole request (the client's connection task sends it); when the
    /// request needs a new connection (a client without keep-alive, a server that closes
    /// connections, a TLS handshake) it mostly waits at the connect for your next poll, and
    /// lookahead gains little. There, use `lookahead_spawned` (feature `tokio`), which runs
    /// the request as a task of the runtime.
    pub fn lookahead(mut self) -> Self {
        self.driver.set_lookahead(true);
        self
    }

    /// Fetches ahead like [`Pages::lookahead`], each request spawned as a task on the tokio
    /// runtime the stream is polled on, so it progresses while your code works on a page
    /// without polling the stream, whether it reuses a connection or opens one. Requests,
    /// pages, items, tokens and errors are exactly those of a run without lookahead (G7).
    ///
    /// - The transport handle is moved into the task, so it must be `'static`: an `Arc` of
    ///   your client, or a `&'static` one.
    /// - Dropping the stream aborts the task (G6). A panic in the transport is caught by the
    ///   runtime and ends the run with an [`Error::Transport`] whose source is a
    ///   [`SpawnedRequestError`](crate::nonblocking::SpawnedRequestError).
    /// - The run's `tracing` span goes with the task.
    /// - Polled outside a tokio runtime, there is nothing to spawn on: the request is polled
    ///   in place, as with [`Pages::lookahead`].
    /// - On a current-thread runtime the task runs only while your code awaits; work that
    ///   holds the thread (computation) needs a multi-threaded runtime to overlap.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), paginated::Error> {
    /// use std::sync::Arc;
    /// use paginated::Model;
    /// use paginated::nonblocking::from_fn;
    /// use serde_json::json;
    ///
    /// let model = Model::builder("ListUsers")
    ///     .input_token("Marker").output_token("NextMarker").result_key("Users")
    ///     .build()?;
    /// let api = Arc::new(from_fn(|request| async move {
    ///     Ok::<_, std::io::Error>(match request.params().get("Marker") {
    ///         None => json!({"Users": ["ana", "bo"], "NextMarker": "m1"}),
    ///         Some(_) => json!({"Users": ["cy"]}),
    ///     })
    /// }));
    /// let users = model.paginate_async(api, json!({})).lookahead_spawned().items().try_collect().await?;
    /// assert_eq!(users, [json!("ana"), json!("bo"), json!("cy")]);
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "tokio")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
    pub fn lookahead_spawned(self) -> Self
    where
        H: Deref + Clone + Send + 'static,
        H::Target: AsyncTransport,
    {
        let mut driver = self.driver.map_fetch(Async::spawned);
        driver.set_lookahead(true);
        Pages {
            driver,
            types: PhantomData,
        }
    }
}

impl<'a, H, P, I> Pages<'a, H, P, I>
where
    H: Deref + Clone + Send + 'a,
    H::Target: AsyncTransport,
{
    /// Streams the items of the primary result key (G2), with a resume token after each.
    pub fn items(self) -> Items<'a, H, I> {
        self.items_at(0)
    }

    /// The items of the result key at `key` in the model's list, as `J`.
    fn items_at<J>(self, key: usize) -> Items<'a, H, J> {
        Items {
            pages: self.typed(),
            cursor: ItemCursor::new(key),
            item: PhantomData,
        }
    }

    /// Streams the items of any declared result key, as JSON; see
    /// [`blocking::Pages::items_of`](crate::blocking::Pages::items_of).
    pub fn items_of(self, result_key: &str) -> Result<Items<'a, H, Value>, Error> {
        let key = self.driver.run.result_key_index(result_key)?;
        Ok(self.items_at(key))
    }

    /// Evaluates a JMESPath expression on every page (G3).
    pub fn search(self, expression: &str) -> Result<Search<'a, H>, Error> {
        let cursor = SearchCursor::new(&self.driver.run, expression)?;
        Ok(Search {
            pages: self.typed(),
            cursor,
        })
    }

    /// Runs to the end and merges the pages into one result (G4), as the page type `P`; see
    /// [`Pages::build_full_result`](crate::blocking::Pages::build_full_result).
    pub async fn build_full_result(self) -> Result<P, Error>
    where
        P: DeserializeOwned + 'static,
    {
        self.build_full_result_as().await
    }

    /// Like [`Pages::build_full_result`], deserialized into `T`.
    pub async fn build_full_result_as<T: DeserializeOwned + 'static>(mut self) -> Result<T, Error> {
        // K2: the full result has the shape of a page.
        self.driver.run.set_page_type::<T>();
        let mut full = FullResult::default();
        while let Some(merged) = poll_fn(|cx| self.driver.poll_merge(&mut full, cx)).await {
            merged?;
        }
        full.finish_as(&self.driver.run)
    }
}

impl<'a, H, P, I> Pages<'a, H, P, I>
where
    H: Deref + Clone + Send + 'a,
    H::Target: AsyncTransport,
    P: DeserializeOwned + 'static,
{
    stream_methods!("page", P);
}

impl<'a, H, P, I> Stream for Pages<'a, H, P, I>
where
    H: Deref + Clone + Send + 'a,
    H::Target: AsyncTransport,
    P: DeserializeOwned + 'static,
{
    type Item = Result<P, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        // The body is read on the run's own pass as `P` where it can be (G8).
        let mut typed = TypedPage::<P>::new();
        this.driver
            .poll_page(cx, Readers::Page(&mut typed))
            .map(|page| {
                page.map(|page| {
                    page.and_then(|page| decode_page(&this.driver.run, page, typed.take()))
                })
            })
    }
}

/// The items of one result key across pages; see [`Pages::items`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<'a, H, I = Value> {
    pages: Pages<'a, H>,
    cursor: ItemCursor<I>,
    item: PhantomData<fn() -> I>,
}

impl<H, I> Unpin for Items<'_, H, I> {}

impl<H, I> fmt::Debug for Items<'_, H, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}

impl<'a, H, I> Items<'a, H, I> {
    /// A token that resumes right after the last item returned (R2); see
    /// [`Items::resume_token`](crate::blocking::Items::resume_token).
    pub fn resume_token(&self) -> Option<String> {
        self.pages.driver.run.resume_token(self.cursor.held())
    }

    /// The underlying pages.
    pub fn pages(&self) -> &Pages<'a, H> {
        &self.pages
    }

    /// Whether the item last handed out was the last of its page (G9); see
    /// [`Items::page_done`](crate::blocking::Items::page_done).
    pub fn page_done(&self) -> bool {
        self.cursor.page_done()
    }

    /// How many requests the run has sent so far; see [`Pages::requests_sent`].
    pub fn requests_sent(&self) -> u64 {
        self.pages.requests_sent()
    }
}

impl<'a, H> Items<'a, H, Value> {
    /// The same items deserialized as `T`; see
    /// [`blocking::Items::typed`](crate::blocking::Items::typed).
    pub fn typed<T: DeserializeOwned + 'static>(self) -> Items<'a, H, T> {
        Items {
            pages: self.pages,
            cursor: self.cursor.typed(),
            item: PhantomData,
        }
    }
}

impl<'a, H, I> Items<'a, H, I>
where
    H: Deref + Clone + Send + 'a,
    H::Target: AsyncTransport,
    I: DeserializeOwned + 'static,
{
    stream_methods!("item", I);
}

impl<'a, H, I> Stream for Items<'a, H, I>
where
    H: Deref + Clone + Send + 'a,
    H::Target: AsyncTransport,
    I: DeserializeOwned + 'static,
{
    type Item = Result<I, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.pages
            .driver
            .poll_cursor(&mut this.cursor, cx)
            .map(|next| {
                next.map(|next| {
                    next.and_then(|(item, index)| {
                        this.cursor.decode(&this.pages.driver.run, item, index)
                    })
                })
            })
    }
}

/// The results of a JMESPath expression across pages; see [`Pages::search`].
#[must_use = "streams do nothing unless polled"]
pub struct Search<'a, H> {
    pages: Pages<'a, H>,
    cursor: SearchCursor,
}

impl<H> Unpin for Search<'_, H> {}

impl<H> fmt::Debug for Search<'_, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Search")
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}

impl<'a, H> Search<'a, H> {
    /// See [`Search::resume_token`](crate::blocking::Search::resume_token).
    pub fn resume_token(&self) -> Option<String> {
        self.pages.driver.run.resume_token(self.cursor.held())
    }

    /// Whether the result last handed out was the last of its page's (G9); see
    /// [`Search::page_done`](crate::blocking::Search::page_done).
    pub fn page_done(&self) -> bool {
        self.cursor.page_done()
    }

    /// How many requests the run has sent so far; see [`Pages::requests_sent`].
    pub fn requests_sent(&self) -> u64 {
        self.pages.requests_sent()
    }
}

impl<'a, H> Search<'a, H>
where
    H: Deref + Clone + Send + 'a,
    H::Target: AsyncTransport,
{
    stream_methods!("result", Value);
}

impl<'a, H> Stream for Search<'a, H>
where
    H: Deref + Clone + Send + 'a,
    H::Target: AsyncTransport,
{
    type Item = Result<Value, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.pages.driver.poll_cursor(&mut this.cursor, cx)
    }
}
