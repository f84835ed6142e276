//! What every peer test shares: the servers' endpoints (written by `peers/peers.sh start`),
//! botocore's real paginator models, the boto3 oracle (`python/oracle.py`), and the driver
//! that runs one listing through paginate and through boto3 with the same page sizes,
//! `max_items` and resume tokens and compares items, page boundaries, tokens, full results
//! and searches.
//!
//! By concern:
//!
//! - [`servers`]: the endpoints, the clients, set-up calls, unique names, polling;
//! - [`oracle`]: botocore's models and boto3's runs, through `python/oracle.py`;
//! - [`view`]: what a page is compared on, and the options of one run;
//! - [`compare`]: the comparison of one listing with boto3, and which path (response bodies
//!   or values) paginate's pages took;
//! - [`tally`]: what a test covered, for the line `.ci/run` sums, and token decoding.
#![allow(dead_code, unused_imports)]

pub(crate) mod compare;
pub(crate) mod oracle;
pub(crate) mod servers;
pub(crate) mod tally;
pub(crate) mod view;

pub(crate) use compare::{Case, Outcome, Without, check_against_boto3, paginate_run};
pub(crate) use oracle::{boto3_job, botocore_version, model, oracle, route, run_oracle};
pub(crate) use servers::{
    Env, Json, S3, Server, dynamodb, env, logs, poll, s3, secrets_manager, setup, unique,
};
pub(crate) use tally::{Tally, decode_token};
pub(crate) use view::{Config, View};

/// How to get the servers, said by every failure that is about a missing server.
pub(crate) const HOW: &str = "install and start them with `peers/peers.sh install && peers/peers.sh start` \
    (needs python3, node >= 20 with npm, cargo and curl; `.ci/run` does this), and stop them \
    afterwards with `peers/peers.sh stop`";
