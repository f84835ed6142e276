//! paginate end to end against AWS API servers it did not write, each listing checked
//! against boto3's own paginator on the same server and the same data.
//!
//! Servers (pinned in `peers/peers.sh`): moto 5.2.5 (`moto_server`: DynamoDB, S3, CloudWatch
//! Logs, Secrets Manager), dynalite 4.0.0 (DynamoDB) and s3s-fs 0.14.1 (S3 over a directory;
//! it checks SigV4 signatures). The oracle is boto3 1.44.8 (botocore 1.44.8), in the same
//! virtualenv as moto, run by `python/oracle.py`. Every test uses botocore's real model of
//! its operation, as the installed botocore loads it for boto3, creates its own data on the
//! server through this package's own HTTP clients, and compares (see
//! `support::check_against_boto3`):
//!
//! - whole listings at several page sizes: every page (its items, so its boundaries, and
//!   its tokens and counts), the full result and a search, with boto3's, and the items with
//!   the data the test created;
//! - runs cut by `max_items`, each resumed from the token boto3 made
//!   (`build_full_result()["NextToken"]`), paginate's own token byte-identical to boto3's;
//! - tokens only paginate makes (after any item, after a page) resumed by boto3 through
//!   `PaginationConfig={"StartingToken": …}`;
//! - the path paginate's pages took: the AWS JSON services (DynamoDB, Logs, Secrets Manager)
//!   answer JSON, which the clients hand to the run as the response body (`Content::Body`, read
//!   by the run as users of the ready HTTP transports have it read), and every page of those
//!   tests must have been a body; S3 answers XML, which the client decodes into botocore's
//!   JSON shape and hands to the run as JSON text, so every page of the S3 tests must have
//!   been a body too.
//!
//! One module per service: [`dynamodb`], [`s3`] (its fixtures and the `+` keys),
//! [`s3_listings`] (ListObjects, ListObjectsV2), [`s3_versions`] (ListObjectVersions),
//! [`json_services`] (CloudWatch Logs, Secrets Manager), and [`clients`] (the async clients,
//! and what a server's error says); what they share is in `tests/support/`.
//!
//! Opt-in (feature `peers`), because the servers come from PyPI, npm and crates.io:
//!
//! ```text
//! peers/peers.sh install && peers/peers.sh start
//! cargo test -p paginate-peers --features peers -- --nocapture
//! peers/peers.sh stop
//! ```
//!
//! With a server missing, a test fails and says what is missing and how to get it; nothing
//! is skipped. Where a server departs from what AWS documents, the test says so, with what
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod clients;
mod dynamodb;
mod json_services;
mod s3;
mod s3_listings;
mod s3_versions;

use serde_json::Value;

/// The items of `key` on each page.
fn items_of(pages: &[Value], key: &str) -> Vec<Vec<Value>> {
    pages
        .iter()
        .map(|p| p[key].as_array().cloned().unwrap_or_default())
        .collect()
}
