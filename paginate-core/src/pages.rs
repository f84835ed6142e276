//! Blocking iteration: pages (G1), items (G2), search (G3) and the full result (G4).

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::task::{Context, Poll, Waker};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::engine::Run;
use crate::error::Error;
use crate::model::Model;
use crate::results::{FullResult, ItemCursor, SearchCursor, Source, decode, poll_cursor};
use crate::trace::RunTrace;
use crate::transport::Transport;

impl Model {
    /// Starts a run of this operation with `params` (a JSON object, or `null` for none) over
    /// `transport`: anything that dereferences to a [`Transport`] (`&api`, `Arc<Api>`, …).
    /// For an [`AsyncTransport`](crate::AsyncTransport), use [`Model::paginate_async`].
    ///
    /// Nothing is sent until the first page is asked for.
    ///
    /// ```
    /// use paginate_core::{Model, from_fn};
    /// use serde_json::json;
    ///
    /// let model = Model::builder("ListUsers")
    ///     .input_token("Marker").output_token("NextMarker").result_key("Users")
    ///     .build()?;
    /// let api = from_fn(|_op, params| Ok::<_, std::io::Error>(match params.get("Marker") {
    ///     None => json!({"Users": ["ana", "bo"], "NextMarker": "m1"}),
    ///     Some(_) => json!({"Users": ["cy"]}),
    /// }));
    /// let users: Vec<_> = model.paginate(&api, json!({})).items().collect::<Result<_, _>>()?;
    /// assert_eq!(users, [json!("ana"), json!("bo"), json!("cy")]);
    /// # Ok::<(), paginate_core::Error>(())
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
            self.run.config_mut().max_items = Some(max_items);
            self
        }

        /// Writes `page_size` into the model's limit key on every request (O2). Without a
        /// limit key, the first page is [`Error::PageSizeWithoutLimitKey`](crate::Error::PageSizeWithoutLimitKey).
        pub fn page_size(mut self, page_size: u64) -> Self {
            self.run.config_mut().page_size = Some(page_size);
            self
        }

        /// Resumes from a token of an earlier run, this library's or botocore's (O3, §5), or
        /// starts from the beginning with `None`, so a stored checkpoint that may be missing
        /// goes in as it is. An empty token counts as none: the request's own token
        /// parameters are then sent (L1). An unusable token is reported as the first page,
        /// before any request.
        pub fn starting_token(mut self, token: Option<String>) -> Self {
            self.run.config_mut().starting_token = token;
            self
        }

        /// Bounds the run to `max_pages` pages; see
        /// [`PaginationConfig::max_pages`](crate::PaginationConfig::max_pages).
        pub fn max_pages(mut self, max_pages: u64) -> Self {
            self.run.config_mut().max_pages = Some(max_pages);
            self
        }

        /// Chooses what a repeated next token does (L6).
        pub fn duplicate_tokens(mut self, policy: crate::DuplicateTokenPolicy) -> Self {
            self.run.config_mut().duplicate_tokens = policy;
            self
        }

        /// Applies a whole [`PaginationConfig`](crate::PaginationConfig).
        pub fn config(mut self, config: crate::PaginationConfig) -> Self {
            *self.run.config_mut() = config;
            self
        }

        /// Calls `hook` when each page arrives, before the consumer sees it, with the page
        /// number, the primary items so far and a checkpoint as of that moment: enough to
        /// drive a progress bar or an at-least-once checkpoint log. The checkpoint fetches the
        /// arriving page again (R8), so a run resumed from it repeats that page's items and
        /// loses none; see [`Progress`](crate::Progress). For exactly-once, store
        /// `resume_token()` of the iterator after processing each item or page.
        pub fn on_page(mut self, hook: impl FnMut(&crate::Progress) + Send + 'static) -> Self {
            self.run.set_progress(Box::new(hook));
            self
        }

        /// A token that resumes after the last page returned, or `None` when nothing is left
        /// (R2, R8): store it once a page is processed, and a run started from it repeats
        /// nothing and loses nothing. Before the first page it is the run's starting
        /// position; after an error, the page that failed.
        pub fn resume_token(&self) -> Option<String> {
            self.run.resume_token(crate::engine::Held::Nothing)
        }

        /// The non-aggregate keys of the run's first page, once it has arrived (G5).
        pub fn non_aggregate_part(&self) -> Option<&Value> {
            self.run.non_aggregate_part()
        }

        /// The model this run follows; [`Model::result_keys`](crate::Model::result_keys)
        /// lists its result keys (G5).
        pub fn model(&self) -> &crate::Model {
            self.run.model()
        }

        /// True once the run has ended because `max_items` was reached.
        pub fn stopped_by_max_items(&self) -> bool {
            self.run.stopped_by_max_items()
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
    transport: H,
    run: Run,
    trace: RunTrace,
    types: PhantomData<fn() -> (P, I)>,
}

impl<H, P, I> fmt::Debug for Pages<H, P, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("run", &self.run)
            .finish_non_exhaustive()
    }
}

impl<H, P, I> Pages<H, P, I> {
    pub(crate) fn new(transport: H, run: Run) -> Pages<H, P, I> {
        Pages {
            transport,
            run,
            trace: RunTrace::default(),
            types: PhantomData,
        }
    }

    /// A run whose first page is `error`, without sending anything.
    pub(crate) fn failed(model: Model, transport: H, error: Error) -> Pages<H, P, I> {
        Pages::new(transport, Run::failed(model, error))
    }

    run_options!();

    /// The same run, giving pages deserialized as `Q` and items as `J`.
    pub fn typed<Q, J>(self) -> Pages<H, Q, J> {
        Pages::new(self.transport, self.run)
    }
}

impl<H, P, I> Pages<H, P, I>
where
    H: Deref,
    H::Target: Transport,
{
    /// Iterates the items of the primary result key (G2), with a resume token after each.
    /// Items are `I`: `serde_json::Value` unless typed ([`Pages::typed`], the derive's `item`).
    pub fn items(self) -> Items<H, I> {
        Items {
            pages: self.typed(),
            cursor: ItemCursor::new(0),
            item: PhantomData,
        }
    }

    /// Iterates the items of the primary result key, deserialized as `T`.
    pub fn items_as<T>(self) -> Items<H, T> {
        self.typed::<P, T>().items()
    }

    /// Iterates the items of any declared result key, e.g. `"CommonPrefixes"` (G2), as JSON.
    /// An unknown key is [`Error::UnknownResultKey`], before any request.
    pub fn items_of(self, result_key: &str) -> Result<Items<H, Value>, Error> {
        self.items_of_as(result_key)
    }

    /// Iterates the items of any declared result key, deserialized as `T`.
    ///
    /// ```
    /// use paginate_core::{Model, from_fn};
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
    /// let s3 = from_fn(|_op, _params| Ok::<_, std::io::Error>(
    ///     json!({"Contents": [], "CommonPrefixes": [{"Prefix": "2024/"}, {"Prefix": "2025/"}]})));
    /// let prefixes: Vec<Prefix> = model
    ///     .paginate(&s3, json!({"Delimiter": "/"}))
    ///     .items_of_as("CommonPrefixes")?
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(prefixes[1], Prefix { prefix: "2025/".into() });
    /// # Ok::<(), paginate_core::Error>(())
    /// ```
    pub fn items_of_as<T>(self, result_key: &str) -> Result<Items<H, T>, Error> {
        let key = self.run.result_key_index(result_key)?;
        Ok(Items {
            pages: self.typed(),
            cursor: ItemCursor::new(key),
            item: PhantomData,
        })
    }

    /// Evaluates a JMESPath expression on every page (G3): a list result gives its elements
    /// one by one, anything else (`null` included) is given as it is.
    pub fn search(self, expression: &str) -> Result<Search<H>, Error> {
        let cursor = SearchCursor::new(&self.run, expression)?;
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
    /// use paginate_core::{Model, from_fn};
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
    /// let s3 = from_fn(|_op, params| Ok::<_, std::io::Error>(match params.get("Marker") {
    ///     None => json!({"Contents": [1, 2], "NextMarker": "m"}),
    ///     Some(_) => json!({"Contents": [3]}),
    /// }));
    /// let all: Listing = model.paginate(&s3, json!({})).build_full_result_as()?;
    /// assert_eq!(all.contents.len(), 3);
    /// assert!(all.next_token.is_none());
    /// # Ok::<(), paginate_core::Error>(())
    /// ```
    pub fn build_full_result_as<T: DeserializeOwned + 'static>(mut self) -> Result<T, Error> {
        let mut full = FullResult::default();
        while let Some(page) = self.next_raw() {
            full.add(&self.run, page?)?;
        }
        full.finish_as(&self.run)
    }

    /// The next page as JSON: the shared path of pages, items, search and full results.
    fn next_raw(&mut self) -> Option<Result<Value, Error>> {
        #[cfg(feature = "tracing")]
        let span = self.trace.span(&self.run);
        #[cfg(feature = "tracing")]
        let _entered = span.enter();
        let page = match self.run.step() {
            crate::engine::Step::Request(request) => {
                self.trace.sent();
                self.transport.send(request)
            }
            crate::engine::Step::Fail(e) => return Some(Err(e)),
            crate::engine::Step::Finished => return None,
        };
        let outcome = match page {
            Ok(page) => self.run.accept(page),
            Err(e) => Err(self.run.transport_failed(e.into())),
        };
        self.trace.received(&self.run, &outcome);
        Some(outcome)
    }
}

impl<H, P, I> Source for Pages<H, P, I>
where
    H: Deref,
    H::Target: Transport,
{
    fn poll_page(&mut self, _: &mut Context<'_>) -> Poll<Option<Result<Value, Error>>> {
        Poll::Ready(self.next_raw())
    }

    fn run(&self) -> &Run {
        &self.run
    }
}

/// Drives a cursor over blocking pages, which are never pending.
fn next_blocking<S: Source, C: crate::results::Cursor>(
    source: &mut S,
    cursor: &mut C,
) -> Option<Result<C::Out, Error>> {
    match poll_cursor(source, cursor, &mut Context::from_waker(Waker::noop())) {
        Poll::Ready(next) => next,
        // `Pages::poll_page` is always ready.
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
        let page = self.next_raw()?;
        Some(page.and_then(|page| decode(&self.run, page, None)))
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
    cursor: ItemCursor,
    item: PhantomData<fn() -> I>,
}

impl<H, I> fmt::Debug for Items<H, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("run", &self.pages.run)
            .finish_non_exhaustive()
    }
}

impl<H, I> Items<H, I> {
    /// A token that resumes right after the last item returned (R2): stop anywhere and
    /// continue later with nothing skipped and nothing repeated. For a secondary result key
    /// (which has no offsets) it resumes at the start of the current page, so its items may
    /// come again but none is lost. `None` when nothing is left.
    pub fn resume_token(&self) -> Option<String> {
        self.pages.run.resume_token(self.cursor.held())
    }

    /// The underlying pages, for [`Pages::non_aggregate_part`] and the like.
    pub fn pages(&self) -> &Pages<H> {
        &self.pages
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
        let next = next_blocking(&mut self.pages, &mut self.cursor)?;
        Some(next.and_then(|(item, index)| decode(&self.pages.run, item, Some(index))))
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
            .field("run", &self.pages.run)
            .finish_non_exhaustive()
    }
}

impl<H> Search<H> {
    /// A token that resumes after the last whole page searched, or before the page whose
    /// results are being returned (results of that page may come again; none is lost).
    pub fn resume_token(&self) -> Option<String> {
        self.pages.run.resume_token(self.cursor.held())
    }

    /// The underlying pages.
    pub fn pages(&self) -> &Pages<H> {
        &self.pages
    }
}

impl<H> Iterator for Search<H>
where
    H: Deref,
    H::Target: Transport,
{
    type Item = Result<Value, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        next_blocking(&mut self.pages, &mut self.cursor)
    }
}
