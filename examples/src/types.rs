//! The wire types of the example API, shared by the server (which serializes them) and the
//! clients (which get them back from paginate as typed pages and items).
//!
//! Field names follow each endpoint's own convention: the object listing is AWS style
//! (`PascalCase`, `ETag`), the user listing is plain `snake_case`.

use serde::{Deserialize, Serialize};

/// One stored object, as endpoint A lists it (an S3 `Contents` entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Object {
    /// The object's key, e.g. `photos/2024/06/IMG_00042.jpg`.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// The entity tag, quotes included as S3 sends it; multipart uploads end in `-<parts>`.
    pub e_tag: String,
    /// `STANDARD`, `STANDARD_IA` or `GLACIER`.
    pub storage_class: String,
    /// ISO 8601 in UTC, e.g. `2024-06-15T10:23:45.000Z`.
    pub last_modified: String,
}

/// A key prefix rolled up by a delimiter (an S3 `CommonPrefixes` entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CommonPrefix {
    /// The prefix, ending with the delimiter: `photos/2024/`.
    pub prefix: String,
}

/// One page of endpoint A, `GET /buckets/{bucket}/objects`: S3's ListObjects (v1) in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ObjectListing {
    /// The bucket.
    pub name: String,
    /// The prefix asked for (`""` when none).
    pub prefix: String,
    /// The marker asked for (`""` when none).
    pub marker: String,
    /// The page size in effect.
    pub max_keys: u32,
    /// The delimiter asked for, when one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Whether more entries follow this page.
    pub is_truncated: bool,
    /// The objects of this page, in key order.
    #[serde(default)]
    pub contents: Vec<Object>,
    /// The prefixes rolled up by the delimiter; sent only when a delimiter was given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common_prefixes: Vec<CommonPrefix>,
    /// The last key or prefix of a truncated page, sent only when a delimiter was given (as
    /// S3 does); otherwise a client continues from the last key of `Contents`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
}

/// One user, as endpoint B lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Numeric id, from 1, in listing order.
    pub id: u64,
    /// Display name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Account creation date, `YYYY-MM-DD`.
    pub created_at: String,
    /// Whether the account is active.
    pub active: bool,
}

/// One page of endpoint B, `GET /v1/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    /// The users of this page, by id.
    pub users: Vec<User>,
    /// An opaque token for the next page; `null` on the last page.
    pub next_token: Option<String>,
}

/// The JSON error body of endpoint A, S3 style: `{"Code": …, "Message": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct S3Error {
    /// A machine-readable code: `InvalidArgument`, `NoSuchBucket`, …
    pub code: String,
    /// What was wrong, for people.
    pub message: String,
}

/// The JSON error body of endpoint B: `{"error": {"code": …, "message": …}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlainError {
    /// The error.
    pub error: PlainErrorDetail,
}

/// The inside of a [`PlainError`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlainErrorDetail {
    /// A machine-readable code: `invalid_token`, `invalid_limit`, …
    pub code: String,
    /// What was wrong, for people.
    pub message: String,
}
