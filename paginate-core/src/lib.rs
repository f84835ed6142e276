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
//! # A run, start to finish
//!
//! ```
//! use paginate_core::{Model, from_fn};
//! use serde_json::{Map, Value, json};
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
//! let s3 = from_fn(|_op: &str, params: &Map<String, Value>| {
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
//! # Ok::<(), paginate_core::Error>(())
//! ```
//!
//! # Where models come from
//!
//! - [`Model::builder`] in code;
//! - [`Model::from_botocore`] from one entry of a botocore `paginators-1.json`;
//! - [`Registry::from_json`] from a whole `paginators-1.json`, looked up by operation name as
//!   boto3's `client.get_paginator("list_objects")` does. [`Registry::apply_service_model`]
//!   reads the service's `service-2.json` so string-typed limits are sent as strings.
//!
//! # Resume tokens and checkpoints
//!
//! [`Pages::resume_token`], [`Items::resume_token`] and [`Search::resume_token`] (and their
//! stream twins) can be asked at any moment, not only when `max_items` stops a run, and each
//! describes where the consumer stands at that moment (R8): [`Pages::starting_token`]
//! continues from there with nothing skipped.
//!
//! - **Exactly once**: store [`Items::resume_token`] (primary key) after processing each item,
//!   or [`Pages::resume_token`] after processing each page, in the same transaction as what
//!   you made of them. Resuming repeats nothing.
//! - **At least once**: [`Progress::resume_token`], given to an [`on_page`](Pages::on_page)
//!   hook when a page arrives, fetches that page again; so do search tokens and the item
//!   tokens of a secondary key while results of the current page remain. Nothing is lost;
//!   what was handed of that page comes again.
//!
//! A token names only the model's input tokens; anything else in it is refused
//! ([`TokenError::UnknownKey`]), so a tampered token cannot add request parameters.
//!
//! # Errors
//!
//! Every failure is an [`Error`] naming the operation and the key, page or value at fault.
//! A transport error keeps your own error as its [`source`](std::error::Error::source). No
//! input, token or page can make the library panic.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
#![forbid(unsafe_code)]

mod cycle;
mod engine;
mod error;
mod expr;
mod model;
mod options;
mod pages;
mod paginated;
mod registry;
mod results;
mod slicing;
mod stream;
mod token;
mod transport;

/// The contract of this crate: every rule of a run, with the ids the rest of the
/// documentation cites. This module holds no code; it is the text of `SEMANTICS.md`.
#[doc = include_str!("../SEMANTICS.md")]
pub mod semantics {}

pub use error::{BoxError, Error, ModelProblem, TokenError};
pub use model::{LimitType, Model, ModelBuilder};
pub use options::{DuplicateTokenPolicy, PaginationConfig, Progress};
pub use pages::{Items, Pages, Search};
#[doc(hidden)]
pub use paginated::__private;
pub use paginated::Paginated;
pub use registry::Registry;

/// Derives [`Paginated`](trait@Paginated) for a request struct: declare the pagination once,
/// then `request.paginate(&api)` gives the [`Pages`] of a run with all their options.
///
/// The struct must also implement `serde::Serialize`: it is serialized into the params of the
/// first page. Names in the attribute are *serialized* names, after serde's `rename` and
/// `rename_all`. Every mistake is a compile error on the token at fault, all reported at once:
/// unknown or duplicate keys, missing keys, values of the wrong shape, JMESPath syntax errors
/// (with the parser's message and position), token counts that differ, and `input_token` or
/// `limit_key` names that are not serialized fields of the struct.
///
/// | key | value | required | meaning |
/// |---|---|---|---|
/// | `input_token` | string or list | yes | request parameters that carry the continuation |
/// | `output_token` | string or list | yes | JMESPath expressions read on each page, paired with `input_token` by position |
/// | `result_key` | string or list | yes | dotted paths of the results; the first is the one `max_items` counts |
/// | `more_results` | string | no | JMESPath; when absent on a page, paging stops |
/// | `limit_key` | string | no | the parameter that receives the page size |
/// | `non_aggregate_keys` | string or list | no | dotted paths reported from the first page |
/// | `operation` | string | no | the name passed to the transport; defaults to the struct's name |
/// | `page` | string naming a type | no | what each page deserializes into (default `serde_json::Value`) |
/// | `item` | string naming a type | no | what each item of `items()` deserializes into (default `serde_json::Value`) |
///
/// # `input_token`, `output_token`, `result_key`
///
/// The three keys every declaration needs. Here a token is read from `NextMarker`, or failing
/// that from the last key of the page, and sent back as `Marker`:
///
/// ```
/// use paginate_core::{Paginated, from_fn};
/// use serde_json::{Value, json};
///
/// #[derive(serde::Serialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// #[paginate(
///     input_token = "Marker",
///     output_token = "NextMarker || Contents[-1].Key",
///     result_key = "Contents",
/// )]
/// struct ListObjects {
///     bucket: String,
///     #[serde(skip_serializing_if = "Option::is_none")]
///     marker: Option<String>,
/// }
///
/// let s3 = from_fn(|_op, params| Ok::<_, std::io::Error>(match params.get("Marker") {
///     None => json!({"Contents": [{"Key": "a"}, {"Key": "b"}]}),
///     Some(m) if m == "b" => json!({"Contents": [{"Key": "c"}]}),
///     Some(_) => json!({}),
/// }));
/// let request = ListObjects { bucket: "photos".into(), marker: None };
/// let keys: Vec<Value> = request.paginate(&s3).search("Contents[].Key")?.collect::<Result<_, _>>()?;
/// assert_eq!(keys, [json!("a"), json!("b"), json!("c"), json!(null)]);
/// # Ok::<(), paginate_core::Error>(())
/// ```
///
/// Lists pair up by position; a token missing from a page is removed from the next request
/// (route53 sends three and drops the third when it is absent):
///
/// ```
/// # use paginate_core::Paginated;
/// #[derive(serde::Serialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// #[paginate(
///     input_token = ["StartRecordName", "StartRecordType", "StartRecordIdentifier"],
///     output_token = ["NextRecordName", "NextRecordType", "NextRecordIdentifier"],
///     result_key = "ResourceRecordSets",
/// )]
/// struct ListResourceRecordSets {
///     hosted_zone_id: String,
///     start_record_name: Option<String>,
///     start_record_type: Option<String>,
///     start_record_identifier: Option<String>,
/// }
/// let model = ListResourceRecordSets::pagination_model()?;
/// assert_eq!(model.input_tokens().len(), 3);
/// # Ok::<(), paginate_core::Error>(())
/// ```
///
/// # `more_results`
///
/// When the expression is absent (`false`, `null`, missing, …) on a page, paging stops even
/// if a token is present, as with S3's `IsTruncated`:
///
/// ```
/// use paginate_core::{Paginated, from_fn};
/// use serde_json::json;
///
/// #[derive(serde::Serialize, Paginated)]
/// #[paginate(input_token = "PartNumberMarker", output_token = "NextPartNumberMarker",
///            result_key = "Parts", more_results = "IsTruncated")]
/// struct ListParts {
///     #[serde(rename = "PartNumberMarker")]
///     marker: Option<u32>,
/// }
///
/// // S3 ListParts ends with the non-empty token "0": IsTruncated says stop.
/// let s3 = from_fn(|_op, _params| Ok::<_, std::io::Error>(
///     json!({"Parts": [1], "NextPartNumberMarker": "0", "IsTruncated": false})));
/// assert_eq!(ListParts { marker: None }.paginate(&s3).count(), 1);
/// ```
///
/// # `limit_key`
///
/// Receives [`Pages::page_size`] on every request, with the type of the field: a field
/// holding a string (route53's `MaxItems: Option<String>`) gets `"25"`, others get `25`.
///
/// ```
/// use std::sync::Mutex;
/// use paginate_core::{Paginated, from_fn};
/// use serde_json::{Value, json};
///
/// #[derive(serde::Serialize, Paginated)]
/// #[paginate(input_token = "NextToken", output_token = "NextToken", result_key = "Items",
///            limit_key = "MaxItems")]
/// struct ListItems {
///     #[serde(rename = "NextToken")]
///     next_token: Option<String>,
///     #[serde(rename = "MaxItems")]
///     max_items: Option<String>,
/// }
///
/// let sent = Mutex::new(Vec::new());
/// let api = from_fn(|_op, params| {
///     sent.lock().unwrap().push(params["MaxItems"].clone());
///     Ok::<_, std::io::Error>(json!({"Items": []}))
/// });
/// let _ = ListItems { next_token: None, max_items: None }.paginate(&api).page_size(25).count();
/// assert_eq!(*sent.lock().unwrap(), [json!("25")]);
/// ```
///
/// # `non_aggregate_keys`
///
/// Values taken from the first page of a run and merged into
/// [`Pages::build_full_result`]:
///
/// ```
/// use paginate_core::{Paginated, from_fn};
/// use serde_json::json;
///
/// #[derive(serde::Serialize, Paginated)]
/// #[paginate(input_token = "ExclusiveStartKey", output_token = "LastEvaluatedKey",
///            result_key = ["Items", "Count"], non_aggregate_keys = ["ConsumedCapacity"])]
/// struct Scan {
///     #[serde(rename = "TableName")]
///     table: String,
///     #[serde(rename = "ExclusiveStartKey", skip_serializing_if = "Option::is_none")]
///     start: Option<serde_json::Value>,
/// }
///
/// let dynamodb = from_fn(|_op, params| Ok::<_, std::io::Error>(match params.get("ExclusiveStartKey") {
///     None => json!({"Items": [1, 2], "Count": 2, "LastEvaluatedKey": {"pk": {"S": "b"}},
///                    "ConsumedCapacity": {"CapacityUnits": 1.0}}),
///     Some(_) => json!({"Items": [3], "Count": 1}),
/// }));
/// let full = Scan { table: "users".into(), start: None }.paginate(&dynamodb).build_full_result()?;
/// assert_eq!(full, json!({"Items": [1, 2, 3], "Count": 3, "ConsumedCapacity": {"CapacityUnits": 1.0}}));
/// # Ok::<(), paginate_core::Error>(())
/// ```
///
/// # `operation`
///
/// The name the transport receives; the struct's name when not given:
///
/// ```
/// use paginate_core::{Paginated, from_fn};
/// use serde_json::json;
///
/// #[derive(serde::Serialize, Paginated)]
/// #[paginate(operation = "DescribeLogGroups", input_token = "nextToken",
///            output_token = "nextToken", result_key = "logGroups")]
/// struct LogGroupsRequest {
///     #[serde(rename = "nextToken")]
///     next_token: Option<String>,
/// }
///
/// let logs = from_fn(|op, _params| Ok::<_, std::io::Error>(json!({"logGroups": [op]})));
/// let first = LogGroupsRequest { next_token: None }.paginate(&logs).items().next();
/// assert_eq!(first.transpose()?, Some(json!("DescribeLogGroups")));
/// # Ok::<(), paginate_core::Error>(())
/// ```
///
/// # `page` and `item`
///
/// Name the types pages and items deserialize into, and `paginate` gives them typed:
///
/// ```
/// use paginate_core::{Paginated, from_fn};
/// use serde_json::json;
///
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Object {
///     #[serde(rename = "Key")]
///     key: String,
/// }
///
/// #[derive(serde::Serialize, Paginated)]
/// #[paginate(input_token = "Marker", output_token = "NextMarker", result_key = "Contents",
///            item = "Object")]
/// struct ListObjects {
///     #[serde(rename = "Marker")]
///     marker: Option<String>,
/// }
///
/// let s3 = from_fn(|_op, _params| Ok::<_, std::io::Error>(json!({"Contents": [{"Key": "a"}]})));
/// let objects: Vec<Object> = ListObjects { marker: None }.paginate(&s3).items().collect::<Result<_, _>>()?;
/// assert_eq!(objects, [Object { key: "a".into() }]);
/// # Ok::<(), paginate_core::Error>(())
/// ```
///
/// # Mistakes are compile errors
///
/// ```compile_fail
/// use paginate_core::Paginated;
///
/// #[derive(serde::Serialize, Paginated)]
/// #[paginate(input_token = "Marker", output_token = "NextMarker[", result_key = "Contents")]
/// struct ListObjects {
///     marker: Option<String>, // serialized as `marker`, not `Marker`
/// }
/// ```
#[cfg(feature = "derive")]
pub use paginate_derive::Paginated;
pub use stream::{ItemStream, PageStream, SearchStream};
pub use transport::{AsyncFn, AsyncTransport, Transport, from_async_fn, from_fn};

/// Re-exported so users name the same JSON types the engine uses.
pub use serde_json;
