//! Blocking iteration: pages (G1), items (G2), search (G3) and the full result (G4).

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::task::{Context, Poll, Waker};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::driver::{Driver, Readers};
use crate::engine::Run;
use crate::error::Error;
use crate::fetch::Blocking;
use crate::full_result::FullResult;
use crate::model::Model;
use crate::raw_page::TypedPage;
use crate::results::{ItemCursor, PageConsumer, SearchCursor, decode_page};
use crate::transport::Transport;

impl Model {
    /// Starts a run of this operation with `params` (a JSON object, or `null` for none) over
    /// `transport`: anything that dereferences to a [`blocking::Transport`](crate::blocking::Transport) (`&api`, `Arc<Api>`, …).
    /// For an [`nonblocking::Transport`](crate::nonblocking::Transport), use [`Model::paginate_async`].
    ///
    /// Nothing is sent until the first page is asked for.
    ///
    /// ```
    /// use paginated::Model;
    /// use paginated::blocking::from_fn;
    /// use serde_json::json;
    ///
    /// let model = Model::builder("ListUsers")
    ///     .input_token("Marker").output_token("NextMarker").result_key("Users")
    ///     .build()?;
    /// let api = from_fn(|request| Ok::<_, std::io::Error>(match request.params().get("Marker") {
    ///     None => json!({"Users": ["ana", "bo"], "NextMarker": "m1"}),
    ///     Some(_) => json!({"Users": ["cy"]}),
    /// }));
    /// let users: Vec<_> = model.paginate(&api, json!({})).items().collect::<Result<_, _>>()?;
    /// assert_eq!(users, [json!("ana"), json!("bo"), json!("cy")]);
    /// # Ok::<(), paginated::Error>(())
    /// ```
    pub fn paginate<H>(&self, transport: H, params: Value) -> Pages<H>
    where
        H: Deref,
        H::Target: Transport,
    {
        Pages::new(transport, Run::new(self.clone(), params))
    }
}

/// The option setters every front end shares; the options live in the [`Run`].
macro_rules! run_options {
    () => {
        /// Returns at most `max_items` items of the primary result key across all pages (O1).
        pub fn max_items(mut self, max_items: u64) -> Self {
            self.driver.run.config_mut().max_items = Some(max_items);
            self
        }

        /// Writes `page_size` into the model's limit key on every request (O2). Without a
        /// limit key, the first page is [`Error::PageSizeWithoutLimitKey`](crate::Error::PageSizeWithoutLimitKey).
        pub fn page_size(mut self, page_size: u64) -> Self {
            self.driver.run.config_mut().page_size = Some(page_size);
            self
        }

        /// Resumes from a token of an earlier run, this library's or botocore's (O3, §5), or
        /// starts from the beginning with `None`, so a stored checkpoint that may be missing
        /// goes in as it is. An empty token counts as none: the request's own token
        /// parameters are then sent (L1). An unusable token is reported as the first page,
        /// before any request.
        pub fn starting_token(mut self, token: Option<String>) -> Self {
            self.driver.run.config_mut().starting_token = token;
            self
        }

        /// Bounds the run to `max_pages` pages; see
        /// [`PaginationConfig::max_pages`](crate::PaginationConfig::max_pages).
        pub fn max_pages(mut self, max_pages: u64) -> Self {
            self.driver.run.config_mut().max_pages = Some(max_pages);
            self
        }

        /// Chooses what a repeated next token does (L6).
        pub fn duplicate_tokens(mut self, policy: crate::DuplicateTokenPolicy) -> Self {
            self.driver.run.config_mut().duplicate_tokens = policy;
            self
        }

        /// Applies a whole [`PaginationConfig`](crate::PaginationConfig).
        pub fn config(mut self, config: crate::PaginationConfig) -> Self {
            *self.driver.run.config_mut() = config;
            self
        }

        /// Calls `hook` when each page arrives, before the consumer sees it, with the page
        /// number, the primary items so far and a checkpoint as of that moment: enough to
        /// drive a progress bar or an at-least-once checkpoint log. The checkpoint fetches the
        /// arriving page again (R8), so a run resumed from it repeats that page's items and
        /// loses none; see [`Progress`](crate::Progress). For exactly-once, store
        /// `resume_token()` of the iterator after processing each item or page.
        pub fn on_page(mut self, hook: impl FnMut(&crate::Progress) + Send + 'static) -> Self {
            self.driver.run.set_progress(Box::new(hook));
            self
        }

        /// A token that resumes after the last page returned, or `None` when nothing is left
        /// (R2, R8): store it once a page is processed, and a run started from it repeats
        /// nothing and loses nothing. Before the first page it is the run's starting
        /// position; after an error, the page that failed.
        pub fn resume_token(&self) -> Option<String> {
            self.driver.run.resume_token(crate::engine::Held::Nothing)
        }

        /// The non-aggregate keys of the run's first page, once it has arrived (G5).
        pub fn non_aggregate_part(&self) -> Option<&Value> {
            self.driver.run.non_aggregate_part()
        }

        /// The model this run follows; [`Model::result_keys`](crate::Model::result_keys)
        /// lists its result keys (G5).
        pub fn model(&self) -> &crate::Model {
            self.driver.run.model()
        }

        /// True once the run has ended because `max_items` was reached.
        pub fn stopped_by_max_items(&self) -> bool {
            self.driver.run.stopped_by_max_items()
        }

        /// How many requests this run has sent so far (G9): 0 before the first page is
        /// asked for, and for a run whose first result is an error found before sending (a
        /// bad starting token, params that are not an object). With lookahead, a request
        /// counts as soon as it is sent, before its page is handed out, so a consumer that
        /// stops pulling has one request more counted than pages received.
        pub fn requests_sent(&self) -> u64 {
            self.driver.requests_sent()
        }
    };
}
pub(crate) use run_options;

/// The pages of one run, in order: an `Iterator<Item = Result<P, Error>>`, where `P` is
/// `serde_json::Value` unless a typed page was asked for ([`Pages::typed`], or the derive's
/// `page` key).
///
/// Configure it before iterating; the options are applied when the first page is
/// requested. After an error the iterator ends.
#[must_use = "iterators do nothing unless iterated"]
pub struct Pages<H, P = Value, I = Value> {
    pub(crate) driver: Driver<Blocking<H>>,
    types: PhantomData<fn() -> (P, I)>,
}

impl<H, P, I> fmt::Debug for Pages<H, P, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("driver", &self.driver)
            .finish_non_exhaustive()
    }
}

impl<H, P, I> Pages<H, P, I> {
    pub(crate) fn new(transport: H, run: Run) -> Pages<H, P, I> {
        Pages::from_driver(Driver::new(run, Blocking::inline(transport)))
    }

    fn from_driver(driver: Driver<Blocking<H>>) -> Pages<H, P, I> {
        Pages {
            driver,
            types: PhantomData,
        }
    }

    /// A run whose first page is `error`, without sending anything.
    pub(crate) fn failed(model: Model, transport: H, error: Error) -> Pages<H, P, I> {
        Pages::new(transport, Run::failed(model, error))
    }

    run_options!();

    /// The same run, giving pages deserialized as `Q` and items as `J`.
    ///
    /// When `Q` is a struct, the keys the model reads of a page are checked against its
    /// fields before any request is sent (SEMANTICS K2): a key it lacks while it has a field
    /// with a near name is [`Error::KeyNotInPageType`], with a did-you-mean.
    pub fn typed<Q: DeserializeOwned, J>(mut self) -> Pages<H, Q, J> {
        self.driver.run.set_page_type::<Q>();
        Pages::from_driver(self.driver)
    }

    /// Fetches ahead: as soon as a page has been handed out and the run knows its next token,
    /// the next request is sent on a thread of its own while your code works on that page, so a listing costs about the larger of the network and your processing
    /// instead of their sum.
    ///
    /// Only a request the run would have sent anyway is sent (no more pages, `max_items`
    /// reached, `max_pages`, a repeated token: nothing goes out), and pages are handed to the
    /// engine in order as you pull them, so pages, items, resume tokens, progress hooks and
    /// errors are exactly those of a run without lookahead (G7). At most one request is in
    /// flight.
    /// The transport handle must be `Clone + Send + 'static` (an `Arc` of your client); a
    /// request still in flight when the run is dropped finishes on its thread and its page
    /// is dropped.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use paginated::Model;
    /// use paginated::blocking::from_fn;
    /// use serde_json::json;
    ///
    /// let model = Model::builder("ListUsers")
    ///     .input_token("Marker").output_token("NextMarker").result_key("Users")
    ///     .build()?;
    /// let api = Arc::new(from_fn(|request| Ok::<_, std::io::Error>(match request.params().get("Marker") {
    ///     None => json!({"Users": ["ana", "bo"], "NextMarker": "m1"}),
    ///     Some(_) => json!({"Users": ["cy"]}),
    /// })));
    /// let users: Vec<_> = model.paginate(api, json!({})).lookahead().items().collect::<Result<_, _>>()?;
    /// assert_eq!(users, [json!("ana"), json!("bo"), json!("cy")]);
    /// # Ok::<(), paginated::Error>(())
    /// ```
    pub fn lookahead(self) -> Pages<H, P, I>
    where
        H: Deref + Clone + Send + 'static,
        H::Target: Transport,
    {
        let mut driver = self.driver.map_fetch(Blocking::threaded);
        driver.set_lookahead(true);
        Pages::from_driver(driver)
    }
}

impl<H, P, I> Pages<H, P, I>
where
    H: Deref,
    H::Target: Transport,
{
    /// Iterates the items of the primary result key (G2), with a resume token after each.
    /// Items are `I`: `serde_json::Value` unless typed ([`Pages::typed`], the derive's
    /// `item`); [`Items::typed`] deserializes JSON items into a type of your choice.
    pub fn items(self) -> Items<H, I> {
        self.items_at(0)
    }

    /// The items of the result key at `key` in the model's list, as `J`.
    fn items_at<J>(self, key: usize) -> Items<H, J> {
        Items {
            pages: self.typed(),
            cursor: ItemCursor::new(key),
            item: PhantomData,
        }
    }

    /// Iterates the items of any declared result key, e.g. `"CommonPrefixes"` (G2), as JSON;
    /// [`Items::typed`] deserializes them into a type of your choice. An unknown key is
    /// [`Error::UnknownResultKey`], before any request.
    ///
    /// ```
    /// use paginated::Model;
    /// use paginated::blocking::from_fn;
    /// use serde_json::json;
    ///
    /// #[derive(serde::Deserialize, Debug, PartialEq)]
    /// struct Prefix {
    ///     #[serde(rename = "Prefix")]
    ///     prefix: String,
    /// }
    ///
    /// let model = Model::builder("ListObjects")
    ///     .input_token("Marker").output_token("NextMarker")
    ///     .result_key("Contents").result_key("CommonPrefixes")
    ///     .build()?;
    /// let s3 = from_fn(|_request| Ok::<_, std::io::Error>(
    ///     json!({"Contents": [], "CommonPrefixes": [{"Prefix": "2024/"}, {"Prefix": "2025/"}]})));
    /// let prefixes: Vec<Prefix> = model
    ///     .paginate(&s3, json!({"Delimiter": "/"}))
    ///     .items_of("CommonPrefixes")?
    ///     .typed()
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(prefixes[1], Prefix { prefix: "2025/".into() });
    /// # Ok::<(), paginated::Error>(())
    /// ```
    pub fn items_of(self, result_key: &str) -> Result<Items<H, Value>, Error> {
        let key = self.driver.run.result_key_index(result_key)?;
        Ok(self.items_at(key))
    }

    /// Evaluates a JMESPath expression on every page (G3): a list result gives its elements
    /// one by one, anything else (`null` included) is given as it is.
    pub fn search(self, expression: &str) -> Result<Search<H>, Error> {
        let cursor = SearchCursor::new(&self.driver.run, expression)?;
        Ok(Search {
            pages: self.typed(),
            cursor,
        })
    }

    /// Runs to the end and merges the pages into one result (G4): result keys aggregated
    /// across pages, the non-aggregate keys of the run's first page, and `NextToken` when the
    /// run stopped at `max_items`. Pages already taken from the iterator are not included.
    ///
    /// The result has the shape of a page, so it is given as the page type `P`
    /// (`serde_json::Value` unless typed); [`Pages::build_full_result_as`] names another. It
    /// holds only the result keys, the non-aggregate keys and `NextToken`, so other fields of
    /// a page type need `#[serde(default)]` or an `Option` to fit; a type that does not fit is
    /// [`Error::DeserializeFullResult`].
    pub fn build_full_result(self) -> Result<P, Error>
    where
        P: DeserializeOwned + 'static,
    {
        self.build_full_result_as()
    }

    /// Like [`Pages::build_full_result`], deserialized into `T`. A typed page that leaves out
    /// `NextToken` simply drops it; keep it with a `NextToken: Option<String>` field.
    ///
    /// ```
    /// use paginated::Model;
    /// use paginated::blocking::from_fn;
    /// use serde_json::json;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Listing {
    ///     #[serde(rename = "Contents")]
    ///     contents: Vec<serde_json::Value>,
    ///     #[serde(rename = "NextToken")]
    ///     next_token: Option<String>,
    /// }
    ///
    /// let model = Model::builder("ListObjects")
    ///     .input_token("Marker").output_token("NextMarker").result_key("Contents")
    ///     .build()?;
    /// let s3 = from_fn(|request| Ok::<_, std::io::Error>(match request.params().get("Marker") {
    ///     None => json!({"Contents": [1, 2], "NextMarker": "m"}),
    ///     Some(_) => json!({"Contents": [3]}),
    /// }));
    /// let all: Listing = model.paginate(&s3, json!({})).build_full_result_as()?;
    /// assert_eq!(all.contents.len(), 3);
    /// assert!(all.next_token.is_none());
    /// # Ok::<(), paginated::Error>(())
    /// ```
    pub fn build_full_result_as<T: DeserializeOwned + 'static>(mut self) -> Result<T, Error> {
        // K2: the full result has the shape of a page.
        self.driver.run.set_page_type::<T>();
        let mut full = FullResult::default();
        while let Some(merged) = block_on(|cx| self.driver.poll_merge(&mut full, cx)) {
            merged?;
        }
        full.finish_as(&self.driver.run)
    }

    /// The next page, its body read on the run's own pass as `P` where it can be (G8).
    fn next_page(&mut self) -> Option<Result<P, Error>>
    where
        P: DeserializeOwned + 'static,
    {
        let mut typed = TypedPage::<P>::new();
        let mut readers = Some(Readers::Page(&mut typed));
        let page = block_on(|cx| {
            let readers = readers.take().unwrap_or(Readers::None);
            self.driver.poll_page(cx, readers)
        })?;
        Some(page.and_then(|page| decode_page(&self.driver.run, page, typed.take())))
    }
}

/// Runs a poll function of blocking fetches, which are never pending, to its answer.
fn block_on<T>(mut poll: impl FnMut(&mut Context<'_>) -> Poll<Option<T>>) -> Option<T> {
    match poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(next) => next,
        // A blocking fetch answers when asked, so this is not reached.
        Poll::Pending => None,
    }
}

impl<H, P, I> Iterator for Pages<H, P, I>
where
    H: Deref,
    H::Target: Transport,
    P: DeserializeOwned + 'static,
{
    type Item = Result<P, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_page()
    }
}

impl<H, P, I> std::iter::FusedIterator for Pages<H, P, I>
where
    H: Deref,
    H::Target: Transport,
    P: DeserializeOwned + 'static,
{
}

/// The items of one result key across pages; see [`Pages::items`].
///
/// An item that does not deserialize into `I` is an [`Error::Deserialize`] naming its page and
/// index; it is skipped, and the next call goes on with the following item. Any other error
/// ends the iteration.
#[must_use = "iterators do nothing unless iterated"]
pub struct Items<H, I = Value> {
    pages: Pages<H, Value, Value>,
    cursor: ItemCursor<I>,
    item: PhantomData<fn() -> I>,
}

impl<H, I> fmt::Debug for Items<H, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("driver", &self.pages.driver)
            .finish_non_exhaustive()
    }
}

impl<H, I> Items<H, I> {
    /// A token that resumes right after the last item returned (R2): stop anywhere and
    /// continue later with nothing skipped and nothing repeated. For a secondary result key
    /// (which has no offsets) it resumes at the start of the current page, so its items may
    /// come again but none is lost. `None` when nothing is left.
    pub fn resume_token(&self) -> Option<String> {
        self.pages.driver.run.resume_token(self.cursor.held())
    }

    /// The underlying pages, for [`Pages::non_aggregate_part`] and the like.
    pub fn pages(&self) -> &Pages<H> {
        &self.pages
    }

    /// Whether the item last handed out was the last of its page (G9): true right after
    /// the last item of each page, so that a consumer can commit once per page, with
    /// [`Items::resume_token`] then standing at the page's end. An item that failed to
    /// deserialize counts as handed out.
    ///
    /// A page without items hands nothing out, so no item ends it; a page cut by
    /// `max_items` ends at its last item kept (M2); the first page of a resumed run ends
    /// at its last item after the resumed offset (R6). Before the first item it is false,
    /// and it stays what the last item said until the run takes another page. Lookahead
    /// changes nothing (G7). It is read when asked: handing out an item costs nothing more.
    ///
    /// ```
    /// use paginated::Model;
    /// use paginated::blocking::from_fn;
    /// use serde_json::json;
    ///
    /// let model = Model::builder("ListUsers")
    ///     .input_token("Marker").output_token("NextMarker").result_key("Users")
    ///     .build()?;
    /// let api = from_fn(|request| Ok::<_, std::io::Error>(match request.params().get("Marker") {
    ///     None => json!({"Users": ["ana", "bo"], "NextMarker": "m1"}),
    ///     Some(_) => json!({"Users": ["cy"]}),
    /// }));
    /// let mut users = model.paginate(&api, json!({})).items();
    /// let mut commits = Vec::new();
    /// while let Some(user) = users.next() {
    ///     let _user = user?;
    ///     if users.page_done() {
    ///         commits.push(users.resume_token());
    ///     }
    /// }
    /// // After "bo", the token of the second page; after "cy", nothing is left.
    /// assert_eq!(commits.len(), 2);
    /// assert_eq!(commits[1], None);
    /// assert_eq!(users.requests_sent(), 2);
    /// # Ok::<(), paginated::Error>(())
    /// ```
    pub fn page_done(&self) -> bool {
        self.cursor.page_done()
    }

    /// How many requests the run has sent so far; see [`Pages::requests_sent`].
    pub fn requests_sent(&self) -> u64 {
        self.pages.requests_sent()
    }
}

impl<H> Items<H, Value> {
    /// The same items deserialized as `T`: `.items().typed::<User>()`,
    /// `.items_of("CommonPrefixes")?.typed::<Prefix>()`. Called before the first item, a
    /// body's list is deserialized into `T` as the page is read (G8); called later, what is
    /// left of the page in hand is converted too, so no item is skipped and the resume
    /// token is unchanged.
    pub fn typed<T: DeserializeOwned + 'static>(self) -> Items<H, T> {
        Items {
            pages: self.pages,
            cursor: self.cursor.typed(),
            item: PhantomData,
        }
    }
}

impl<H, I> Iterator for Items<H, I>
where
    H: Deref,
    H::Target: Transport,
    I: DeserializeOwned + 'static,
{
    type Item = Result<I, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        // An item of the page in hand needs nothing of the driver (a blocking fetch has no
        // request to help along meanwhile), so it is handed out straight from the cursor.
        if let Some((item, index)) = self.cursor.next_out() {
            return Some(self.cursor.decode(&self.pages.driver.run, item, index));
        }
        let (pages, cursor) = (&mut self.pages, &mut self.cursor);
        let next = block_on(|cx| pages.driver.poll_cursor(cursor, cx))?;
        Some(next.and_then(|(item, index)| self.cursor.decode(&self.pages.driver.run, item, index)))
    }
}

/// The results of a JMESPath expression across pages; see [`Pages::search`].
#[must_use = "iterators do nothing unless iterated"]
pub struct Search<H> {
    pages: Pages<H, Value, Value>,
    cursor: SearchCursor,
}

impl<H> fmt::Debug for Search<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Search")
            .field("driver", &self.pages.driver)
            .finish_non_exhaustive()
    }
}

impl<H> Search<H> {
    /// A token that resumes after the last whole page searched, or before the page whose
    /// results are being returned (results of that page may come again; none is lost).
    pub fn resume_token(&self) -> Option<String> {
        self.pages.driver.run.resume_token(self.cursor.held())
    }

    /// The underlying pages.
    pub fn pages(&self) -> &Pages<H> {
        &self.pages
    }

    /// Whether the result last handed out was the last of its page's (G9); see
    /// [`Items::page_done`]. A page whose expression gives an empty list hands nothing out.
    pub fn page_done(&self) -> bool {
        self.cursor.page_done()
    }

    /// How many requests the run has sent so far; see [`Pages::requests_sent`].
    pub fn requests_sent(&self) -> u64 {
        self.pages.requests_sent()
    }
}

impl<H> Iterator for Search<H>
where
    H: Deref,
    H::Target: Transport,
{
    type Item = Result<Value, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let (pages, cursor) = (&mut self.pages, &mut self.cursor);
        block_on(|cx| pages.driver.poll_cursor(cursor, cx))
    }
}
