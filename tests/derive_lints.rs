//! The code `#[derive(Paginated)]` generates is clean under the strictest lints a user may
//! set: every warning, `clippy::all`, `clippy::pedantic` and `missing_docs` are errors here,
//! and CI runs clippy over this file (the same idea as thiserror's `test_lints.rs`).
#![deny(warnings, clippy::all, clippy::pedantic, missing_docs)]

use std::borrow::Cow;
use std::fmt::Display;

use paginated::serde_json::{Value, json};
use paginated::{PageRequest, Paginated};
use serde::Serialize;

/// Lists the objects of a bucket.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker || Contents[-1].Key",
    result_key = ["Contents", "CommonPrefixes"],
    more_results = "IsTruncated",
    limit_key = "MaxKeys",
    non_aggregate_keys = ["Name", "Prefix"],
)]
pub struct ListObjects {
    /// The bucket to list.
    pub bucket: String,
    /// Only keys that start with this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Where the previous page stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// The most keys one page may hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_keys: Option<u32>,
}

/// Lists resource record sets: two tokens, and a page size sent as a string.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginate(
    input_token = ["StartRecordName", "StartRecordType"],
    output_token = ["NextRecordName", "NextRecordType"],
    result_key = "ResourceRecordSets",
    more_results = "IsTruncated",
    limit_key = "MaxItems",
    operation = "ListResourceRecordSets",
)]
pub struct ListRecords<'a> {
    /// The hosted zone.
    #[serde(rename = "HostedZoneId")]
    pub zone: &'a str,
    /// The first record name of the page.
    #[serde(rename = "StartRecordName")]
    pub start_name: Option<Cow<'a, str>>,
    /// The first record type of the page.
    #[serde(rename = "StartRecordType")]
    pub start_type: Option<Cow<'a, str>>,
    /// The most records one page may hold, as a string.
    #[serde(rename = "MaxItems")]
    pub max_items: Option<String>,
}

/// Lists items that match a filter of any serializable type.
#[derive(Debug, Clone, Serialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginate(
    input_token = "nextToken",
    output_token = "nextToken",
    result_key = "items",
    limit_key = "maxResults"
)]
pub struct ListItems<F, T = String>
where
    F: Serialize + Clone,
    T: Display + Serialize + Clone,
{
    /// The filter, sent as it serializes.
    pub filter: F,
    /// Tags every item must carry.
    pub tags: Vec<T>,
    /// Where the previous page stopped.
    pub next_token: Option<String>,
    /// The most items one page may hold.
    pub max_results: Option<u32>,
}

#[test]
fn derived_requests_paginate() {
    let api = |request: PageRequest<'_>| {
        assert_eq!(request.operation(), "ListItems");
        let page = match request.params().get("nextToken").and_then(Value::as_str) {
            None => json!({"items": [1, 2], "nextToken": "b"}),
            Some(_) => json!({"items": [3]}),
        };
        Ok::<_, std::io::Error>(page)
    };
    let request = ListItems {
        filter: ["red", "blue"],
        tags: vec![7_u8],
        next_token: None,
        max_results: Some(2),
    };
    let pages: Vec<Value> = request
        .paginate(&api)
        .collect::<Result<_, _>>()
        .expect("two pages");
    assert_eq!(
        pages,
        [
            json!({"items": [1, 2], "nextToken": "b"}),
            json!({"items": [3]})
        ]
    );

    let objects = ListObjects::pagination_model().expect("a valid model");
    assert_eq!(objects.operation(), "ListObjects");
    let records = ListRecords::pagination_model().expect("a valid model");
    assert_eq!(records.operation(), "ListResourceRecordSets");
}
