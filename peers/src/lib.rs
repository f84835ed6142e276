//! paginate against AWS API servers it did not write.
//!
//! This package holds paginate transports for two AWS wire protocols, made of the project's
//! ready HTTP transports (`paginated::http`, over `reqwest` on plain HTTP), and the
//! end-to-end tests (`tests/peers/`, a module per service, and
//! `tests/parallel_scan.rs` for fan-out) that run paginate with botocore's
//! real models against independent implementations of those APIs on `127.0.0.1`:
//!
//! - [moto](https://pypi.org/project/moto/) (`moto_server`): DynamoDB, S3, CloudWatch Logs,
//!   Secrets Manager;
//! - [dynalite](https://www.npmjs.com/package/dynalite): DynamoDB;
//! - [s3s-fs](https://crates.io/crates/s3s-fs): S3 over a directory, which checks SigV4
//!   signatures.
//!
//! Each listing is compared, items and page boundaries, with what boto3's own paginator
//! lists from the same server, and resume tokens are exchanged both ways.
//!
//! The protocols:
//!
//! - [`AwsJson`]: `POST /` with the params as the JSON body and the operation in
//!   `X-Amz-Target` (DynamoDB's JSON 1.0, Logs' and Secrets Manager's JSON 1.1);
//! - [`S3Rest`]: S3's REST API, path-style, with its XML listings read into the JSON shape
//!   botocore parses them into (`Contents`, `CommonPrefixes`, `IsTruncated`, `NextMarker`,
//!   `Versions`, `DeleteMarkers`, …), so botocore's paginator models apply unchanged.
//!
//! Each is a [`Protocol`]: a route per operation, a request hook (headers, S3's parameter
//! names and bodies) and what its bodies are ([`Wire`]). [`BlockingClient`] and
//! [`AsyncClient`] are [`paginated::http::BlockingHttpTransport`] and
//! [`paginated::http::HttpTransport`] with those hooks and a last one that signs the final
//! request with AWS Signature Version 4, as a [`paginated::blocking::Transport`] and a
//! [`paginated::nonblocking::Transport`]. Their `fetch` answers as the ready transports do:
//! an AWS JSON body goes to the run unparsed ([`paginated::Content::Body`], the path users of
//! the ready transports take), and S3's XML, which botocore's models cannot read, is decoded
//! into botocore's JSON shape and handed on as JSON text, a body too. Each client counts its
//! bodies and values ([`Replies`]), so the tests assert which path their pages took.
//!
//! A run goes to its model's route; botocore's models carry none, so add the protocol's
//! ([`AwsJson::route_of`], [`S3Rest::route_of`]) with `Model::with_route`, or let the client
//! use it for a model without one. Every failure is a [`PeerError`] naming the operation,
//! and for a request that was sent, the method, the URL and the status (with the AWS error
//! code of an error body).
//!
//! ```no_run
//! use paginated::model::Registry;
//! use paginate_peers::{AwsJson, BlockingClient, Credentials, Endpoint};
//! use serde_json::json;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let endpoint = Endpoint::new("http://127.0.0.1:5000", Credentials::unchecked())?;
//! let dynamodb = BlockingClient::new(AwsJson::dynamodb(endpoint))?;
//! // dynamodb/2012-08-10/paginators-1.json, from botocore.
//! let registry = Registry::from_json(r#"{"pagination": {"Scan": {
//!     "input_token": "ExclusiveStartKey", "output_token": "LastEvaluatedKey",
//!     "limit_key": "Limit", "result_key": ["Items", "Count", "ScannedCount"],
//!     "non_aggregate_keys": ["ConsumedCapacity"]}}}"#)?;
//! let scan = registry.get("scan")?.with_route(AwsJson::route_of("Scan")?);
//! let items = scan
//!     .paginate(&dynamodb, json!({"TableName": "users"}))
//!     .page_size(25)
//!     .items()
//!     .collect::<Result<Vec<_>, _>>()?;
//! # Ok(()) }
//! ```
//!
//! Running the tests: `peers/peers.sh install && peers/peers.sh start`, then
//! `cargo test -p paginate-peers --features peers -- --nocapture`, then
//! `peers/peers.sh stop`. `.ci/run` does all of it.

mod error;
mod http;
mod json;
mod replies;
mod s3;
mod sigv4;
mod xml;

pub use error::PeerError;
pub use http::{
    AsyncClient, BlockingClient, Endpoint, HttpRequest, HttpResponse, Protocol, Wire, page_of,
};
pub use json::AwsJson;
pub use replies::Replies;
pub use s3::S3Rest;
pub use sigv4::Credentials;
