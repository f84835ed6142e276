//! End-to-end tests of paginate over real HTTP: the example API started in-process on
//! `127.0.0.1`, paginate's ready transports (`HttpTransport`, `BlockingHttpTransport`) routed
//! by the requests' own `route`, and every listing compared item by item with the data the
//! server holds.
//!
//! One module per concern: whole listings, interrupted and cancelled runs, errors, and the
//! example binaries run as programs.
//!
//! Blocking transports never run on an async worker: they run on plain test threads or in
//! `tokio::task::spawn_blocking`. Nothing sleeps: the servers are ready once bound, and
//! "nothing more was sent" is proven with the server's request counter.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::error::Error as _;
use std::sync::Arc;

use base64::Engine as _;
use paginate_examples::api::{BUCKET, BlockingServer, Dataset, Faults, Server};
use paginate_examples::types::{ObjectListing, PlainError, S3Error};
use paginate_examples::{ListObjects, ListUsers, Object, User};
use paginated::http::{BlockingHttpTransport, HttpError, HttpTransport};
use paginated::nonblocking;
use paginated::{Error, Model, Paginated};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn everything() -> ListObjects {
    ListObjects::bucket(BUCKET)
}

fn async_api(base_url: &str) -> HttpTransport {
    HttpTransport::new(reqwest::Client::new(), base_url).unwrap()
}

fn blocking_api(base_url: &str) -> BlockingHttpTransport {
    BlockingHttpTransport::new(reqwest::blocking::Client::new(), base_url).unwrap()
}

/// The transport error inside a paginate error, as the ready transports' type.
fn http_error(error: &Error) -> &HttpError {
    assert!(
        matches!(error, Error::Transport { .. }),
        "not a transport error: {error}"
    );
    error
        .source()
        .and_then(|source| source.downcast_ref::<HttpError>())
        .unwrap_or_else(|| panic!("the source of {error} is not an HttpError"))
}

/// One request of our own, through the same transport: the first page of one user.
async fn probe<T: nonblocking::Transport + Sync>(api: &T) {
    let mut one = ListUsers::default().paginate_async(api).page_size(1);
    one.next().await.unwrap().unwrap();
}

/// The entries S3 lists for `prefix` with delimiter `/`: keys without a `/` after the prefix,
/// and each rolled-up prefix once, as (keys, prefixes).
fn expected_entries(data: &Dataset, prefix: &str) -> (Vec<String>, Vec<String>) {
    let (mut keys, mut prefixes) = (Vec::new(), Vec::<String>::new());
    for object in &data.objects {
        let Some(rest) = object.key.strip_prefix(prefix) else {
            continue;
        };
        match rest.split_once('/') {
            Some((head, _)) => {
                let common = format!("{prefix}{head}/");
                if prefixes.last() != Some(&common) {
                    prefixes.push(common);
                }
            }
            None => keys.push(object.key.clone()),
        }
    }
    (keys, prefixes)
}

/// Collects an async stream of results, failing the test on the first error.
trait CollectAll<T> {
    async fn collect_all(self) -> Vec<T>;
}

impl<'a, H, T> CollectAll<T> for nonblocking::Items<'a, H, T>
where
    H: std::ops::Deref + Clone + Send + 'a,
    H::Target: nonblocking::Transport,
    T: serde::de::DeserializeOwned + 'static,
{
    async fn collect_all(mut self) -> Vec<T> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item.unwrap());
        }
        all
    }
}

mod errors;
mod examples;
mod interrupted;
mod listings;
