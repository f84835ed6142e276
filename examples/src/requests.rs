//! The paginated requests of the example API: each struct is serialized into the params of
//! its first page and declares, with `#[derive(Paginated)]`, how the pages chain and where
//! they are sent (`route`), which is all the ready HTTP transports of paginate need: there is
//! no client code for this API.

use paginated::Paginated;
use serde::Serialize;

use crate::types::{Object, ObjectListing, User, UserPage};

/// Endpoint A: list the objects of a bucket, S3 ListObjects (v1) style, with botocore's own
/// pagination model for that operation.
///
/// `Bucket` goes into the URL path (the route's `{Bucket}`, the field's serialized name);
/// every other field is sent as a query parameter. The next marker is `NextMarker` when the
/// server sends it (only with a `Delimiter`), else the last key of the page.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    route = "GET /buckets/{Bucket}/objects",
    input_token = "Marker",
    output_token = "NextMarker || Contents[-1].Key",
    result_key = ["Contents", "CommonPrefixes"],
    more_results = "IsTruncated",
    limit_key = "MaxKeys",
    non_aggregate_keys = ["Name", "Prefix"],
    item = "Object",
    page = "ObjectListing",
)]
pub struct ListObjects {
    /// The bucket to list.
    pub bucket: String,
    /// Only keys that start with this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Roll up keys that contain this after the prefix into `CommonPrefixes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Start after this key. Normally left to the paginator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// Page size, 1 to 1000. Normally set with `.page_size(n)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_keys: Option<u32>,
}

impl ListObjects {
    /// A listing of the whole bucket.
    pub fn bucket(bucket: impl Into<String>) -> ListObjects {
        ListObjects {
            bucket: bucket.into(),
            ..ListObjects::default()
        }
    }

    /// The same listing, restricted to keys that start with `prefix`.
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> ListObjects {
        self.prefix = Some(prefix.into());
        self
    }

    /// The same listing, rolling keys up at `delimiter`.
    #[must_use]
    pub fn delimiter(mut self, delimiter: impl Into<String>) -> ListObjects {
        self.delimiter = Some(delimiter.into());
        self
    }
}

/// Endpoint B: list users, with an opaque `next_token` that is `null` on the last page.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginate(
    route = "GET /v1/users",
    input_token = "next_token",
    output_token = "next_token",
    result_key = "users",
    limit_key = "limit",
    item = "User",
    page = "UserPage"
)]
pub struct ListUsers {
    /// Start from this token. Normally left to the paginator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// Page size, 1 to 500. Normally set with `.page_size(n)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}
