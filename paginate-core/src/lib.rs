//! boto3-style pagination for Rust.
//!
//! Describe an operation's pagination once — which request parameter carries the
//! continuation, where the next token is on a page, where the results are — and get, over a
//! transport you implement once for your API client: pages, flattened items, JMESPath search,
//! a merged full result, `max_items` / `page_size`, and resume tokens that are byte-compatible
//! with botocore's (a token from boto3 or the AWS CLI resumes here, and the reverse).
//!
//! The behaviour follows botocore's paginator rule by rule; where botocore is known to lose
//! or repeat data this crate does better, as documented on each item.
//!
//! Those rules are written down, one by one, in [the semantics](crate::semantics). Each has a
//! short id, such as `L6` for repeated tokens or `R2` for resume tokens, and each section a
//! number (`§5` is resume tokens); when the documentation of an item cites an id or a section,
//! that page is where it is defined, along with what botocore does where this crate differs.
//!
//! Most code declares the pagination on its request struct with
//! [`#[derive(Paginated)]`](derive@Paginated) and calls `request.paginate(&api)`; the derive's
//! documentation covers every attribute. The example below builds the same model at run
//! time, which is what the derive generates and what a botocore `paginators-1.json` gives.
//!
//! # Where things are
//!
//! - At the root: [`Paginated`] (the trait and its derive), [`Model`], the [`PageRequest`] a
//!   transport receives and the [`Reply`] it answers, run options ([`PaginationConfig`],
//!   [`DuplicateTokenPolicy`], [`Progress`]) and errors ([`Error`], [`TokenError`]);
//!   [`Origin`], the check a transport runs on a URL it is asked to follow (a `next_url` or
//!   `Link`), and its [`ForeignUrl`] refusal.
//! - [`blocking`] and [`nonblocking`]: the same names in both — `Transport` (one method,
//!   `fetch`), `from_fn` for closures, and the `Pages`, `Items` and `Search` a run gives, as
//!   iterators or as streams.
//! - [`model`]: building models in code ([`model::ModelBuilder`]), from botocore files
//!   ([`model::Registry`]), and what a refused model says ([`model::ModelProblem`]).
//! - [`route`]: HTTP routes (`GET /v1/orders`) and how they render; [`http`] (feature `http`):
//!   the ready transports that send to them.
//! - [`fanout`]: many runs at once with one checkpoint.
//! - [`semantics`]: the rules, with the ids the documentation cites.
//!
//! # A run, start to finish
//!
//! ```
//! use paginated::Model;
//! use paginated::blocking::from_fn;
//! use serde_json::{Value, json};
//!
//! // 1. The model: S3 ListObjects, exactly as botocore's paginators-1.json has it.
//! let model = Model::builder("ListObjects")
//!     .input_token("Marker")
//!     .output_token("NextMarker || Contents[-1].Key")
//!     .more_results("IsTruncated")
//!     .limit_key("MaxKeys")
//!     .result_key("Contents")
//!     .result_key("CommonPrefixes")
//!     .build()?;
//!
//! // 2. The transport: params in, page out. Here an in-memory bucket of 7 keys.
//! let keys: Vec<String> = (1..=7).map(|i| format!("photo-{i}.jpg")).collect();
//! let s3 = from_fn(|request| {
//!     let params = request.params();
//!     let after = params.get("Marker").and_then(Value::as_str).unwrap_or("");
//!     let max = params.get("MaxKeys").and_then(Value::as_u64).unwrap_or(1000) as usize;
//!     let rest: Vec<&String> = keys.iter().filter(|k| k.as_str() > after).collect();
//!     let page: Vec<Value> = rest.iter().take(max).map(|k| json!({"Key": k, "Size": 100})).collect();
//!     Ok::<_, std::io::Error>(json!({"Contents": page, "IsTruncated": rest.len() > max}))
//! });
//!
//! // 3. Pages, at most 5 items, 3 per request; stop, keep the token, resume later.
//! let mut pages = model.paginate(&s3, json!({"Bucket": "photos"})).max_items(5).page_size(3);
//! let mut seen = 0;
//! for page in &mut pages {
//!     seen += page?["Contents"].as_array().map_or(0, Vec::len);
//! }
//! assert_eq!(seen, 5);
//! let token = pages.resume_token().expect("two items are left");
//!
//! let rest: Vec<Value> = model
//!     .paginate(&s3, json!({"Bucket": "photos"}))
//!     .starting_token(Some(token))
//!     .items()
//!     .collect::<Result<_, _>>()?;
//! assert_eq!(rest, [json!({"Key": "photo-6.jpg", "Size": 100}), json!({"Key": "photo-7.jpg", "Size": 100})]);
//!
//! // 4. JMESPath over every page, and the whole listing merged into one result.
//! let names: Vec<Value> = model
//!     .paginate(&s3, json!({"Bucket": "photos"}))
//!     .search("Contents[?Size > `50`].Key")?
//!     .collect::<Result<_, _>>()?;
//! assert_eq!(names.len(), 7);
//! let full = model.paginate(&s3, json!({"Bucket": "photos"})).build_full_result()?;
//! assert_eq!(full["Contents"].as_array().map(Vec::len), Some(7));
//! # Ok::<(), paginated::Error>(())
//! ```
//!
//! # Where models come from
//!
//! - [`Model::builder`] in code;
//! - [`Model::from_botocore`] from one entry of a botocore `paginators-1.json`;
//! - [`Registry::from_json`](model::Registry::from_json) from a whole `paginators-1.json`, looked up by operation name as
//!   boto3's `client.get_paginator("list_objects")` does. [`Registry::apply_service_model`](model::Registry::apply_service_model)
//!   reads the service's `service-2.json` so string-typed limits are sent as strings.
//!
//! # Resume tokens and checkpoints
//!
//! [`Pages::resume_token`](blocking::Pages::resume_token), [`Items::resume_token`](blocking::Items::resume_token) and [`Search::resume_token`](blocking::Search::resume_token) (and their
//! stream twins) can be asked at any moment, not only when `max_items` stops a run, and each
//! describes where the consumer stands at that moment (R8): [`Pages::starting_token`](blocking::Pages::starting_token)
//! continues from there with nothing skipped.
//!
//! - **Exactly once**: store [`Items::resume_token`](blocking::Items::resume_token) (primary key) after processing each item,
//!   or [`Pages::resume_token`](blocking::Pages::resume_token) after processing each page, in the same transaction as what
//!   you made of them. Resuming repeats nothing.
//! - **At least once**: [`Progress::resume_token`], given to an [`on_page`](blocking::Pages::on_page)
//!   hook when a page arrives, fetches that page again; so do search tokens and the item
//!   tokens of a secondary key while results of the current page remain. Nothing is lost;
//!   what was handed of that page comes again.
//!
//! A token names only the model's input tokens; anything else in it is refused
//! ([`TokenError::UnknownKey`]), so a tampered token cannot add request parameters.
//!
//! # Over HTTP, concurrently, observed
//!
//! - With the `http` feature (and `http-blocking`), `http::HttpTransport` and
//!   `http::BlockingHttpTransport` send each page to the model's [`Route`](route::Route) (the derive's
//!   `route = "GET /v1/orders"`), so a JSON API needs no transport code; timeouts and rate
//!   limits come from `tower` layers around the `reqwest` client, and with the `retry`
//!   feature `http::RetryPolicy` is a ready retry policy for both transports (5xx, 429 and
//!   lost responses retried, `Retry-After` honoured, a retry budget).
//! - [`lookahead`](blocking::Pages::lookahead), on blocking and async runs alike, sends the next request while the consumer
//!   works on the page just handed out (with the `tokio` feature, async runs'
//!   `lookahead_spawned` makes that a task of the runtime, for requests that open a
//!   connection), and [`FanOut`](fanout::FanOut) runs many listings at once with one
//!   checkpoint for them all; neither changes what a token or an error means.
//! - With the `tracing` feature, each run is a `DEBUG` span and each page a `DEBUG` event.
//!
//! # Errors
//!
//! Every failure is an [`Error`] naming the operation and the key, page or value at fault.
//! A transport error keeps your own error as its [`source`](std::error::Error::source). No
//! input, token or page can make the library panic.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
#![forbid(unsafe_code)]

mod body;
mod builder;
mod cycle;
mod driver;
mod engine;
mod error;
mod expr;
pub mod fanout;
mod fetch;
mod full_result;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;
mod keys;
pub mod model;
mod options;
mod origin;
mod page;
mod pages;
mod paginated;
mod raw_page;
mod registry;
mod results;
pub mod route;
mod slicing;
mod stream;
mod style;
mod token;
mod trace;
mod transport;

/// The contract of this crate: every rule of a run, with the ids the rest of the
/// documentation cites. This module holds no code; it is the text of `SEMANTICS.md`.
#[doc = include_str!("../SEMANTICS.md")]
pub mod semantics {}

/// How real REST APIs paginate, and the declaration of each (SEMANTICS §8): one section per
/// API of the census, with what its users trip over. This module holds no code.
#[doc = include_str!("styles.md")]
#[cfg(feature = "derive")]
pub mod styles {}

/// Blocking runs: the [`Transport`](blocking::Transport) to implement for a blocking client,
/// and the iterators a run gives — [`Pages`](blocking::Pages), [`Items`](blocking::Items)
/// and [`Search`](blocking::Search). The same names, as streams over an async transport,
/// are in [`nonblocking`].
///
/// [`Paginated::paginate`] and [`Model::paginate`] start a blocking run.
pub mod blocking {
    pub use crate::pages::{Items, Pages, Search};
    pub use crate::transport::blocking::{Transport, from_fn};
}

/// Async runs: the [`Transport`](nonblocking::Transport) to implement for an async client,
/// and the streams a run gives — [`Pages`](nonblocking::Pages), [`Items`](nonblocking::Items)
/// and [`Search`](nonblocking::Search), each a `futures_core::Stream` with the same options
/// and tokens as its twin in [`blocking`].
///
/// [`Paginated::paginate_async`] and [`Model::paginate_async`] start an async run. The crate
/// depends on no runtime: the streams are polled by whatever executor drives them. The one
/// exception is opt-in: with the `tokio` feature, `Pages::lookahead_spawned` spawns its
/// requests on the current tokio runtime.
pub mod nonblocking {
    #[cfg(feature = "tokio")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
    pub use crate::fetch::SpawnedRequestError;
    pub use crate::stream::{Items, Pages, Search};
    pub use crate::transport::nonblocking::{FromFn, Transport, from_fn};
}

pub use body::{Body, Content, Reply};
pub use error::{BoxError, Error, PageNumber, TokenError};
pub use model::Model;
pub use options::{DuplicateTokenPolicy, PaginationConfig, Progress};
pub use origin::{ForeignUrl, Origin, Refusal};
#[doc(hidden)]
pub use paginated::__private;
pub use paginated::Paginated;
pub use transport::PageRequest;

#[doc = include_str!("derive.md")]
#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
pub use paginated_derive::Paginated;

/// Re-exported so users name the same JSON types the engine uses.
pub use serde_json;
