//! An in-house REST API on axum, small enough to embed in a test or an example, serving the
//! [`Dataset`] over two paginated endpoints in two common styles:
//!
//! - **A, AWS style**: `GET /buckets/{bucket}/objects?Marker=&MaxKeys=&Prefix=&Delimiter=`
//!   answers an [`ObjectListing`] like S3's ListObjects (v1): keys after `Marker`, at most
//!   `MaxKeys` (1 to 1000, default 1000; anything else is a 400, where S3 would quietly cap
//!   it), `IsTruncated`. As in S3, `NextMarker` is sent only when a `Delimiter` is given
//!   (and the page is truncated); without one, a client carries on from the last key of
//!   `Contents`. With a delimiter, keys that contain it after the prefix are rolled up into
//!   `CommonPrefixes`, each counting as one entry of the page.
//! - **B, plain style**: `GET /v1/users?next_token=&limit=` answers a [`UserPage`]: `limit`
//!   1 to 500 (default 100), and an opaque `next_token` (URL-safe base64 of the offset) that
//!   is `null` on the last page.
//!
//! Bad input — an unknown query parameter, a repeated one, a page size out of range, a token
//! the server did not issue — is a 400 with a JSON body ([`S3Error`] for A, [`PlainError`]
//! for B); an unknown bucket or path is a 404. No request can make a handler panic.
//!
//! [`Server`] and [`BlockingServer`] run it on `127.0.0.1` at a port the OS picks, and count
//! every request they receive. [`Server::start_with`] injects [`Faults`] (503s, slow
//! requests), to show retries and timeouts at work.

mod data;
mod faults;
mod server;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Json;
use axum::Router;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub use data::{BUCKET, Dataset};
pub use faults::Faults;
pub use server::{BlockingServer, Server};

use faults::Fault;

use crate::types::{
    CommonPrefix, Object, ObjectListing, PlainError, PlainErrorDetail, S3Error, UserPage,
};

/// Endpoint A's default and largest page.
pub const MAX_KEYS: u32 = 1_000;
/// Endpoint B's default page.
pub const DEFAULT_USERS_LIMIT: u32 = 100;
/// Endpoint B's largest page.
pub const MAX_USERS_LIMIT: u32 = 500;

/// What every handler can reach: the data, the request counter and the faults to inject.
#[derive(Debug)]
struct Shared {
    data: Arc<Dataset>,
    requests: Arc<AtomicU64>,
    faults: Faults,
}

/// The API's routes over `data`, counting every request (routed or not) in `requests` and
/// injecting `faults` by that count. The count is taken before the request is handled, so it
/// is up to date by the time the client has its response.
pub fn router(data: Arc<Dataset>, requests: Arc<AtomicU64>, faults: Faults) -> Router {
    let shared = Arc::new(Shared {
        data,
        requests,
        faults,
    });
    Router::new()
        .route("/buckets/{bucket}/objects", get(list_objects))
        .route("/v1/users", get(list_users))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), count))
        .with_state(shared)
}

async fn count(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let n = shared
        .requests
        .fetch_add(1, Ordering::SeqCst)
        .saturating_add(1);
    match shared.faults.for_request(n) {
        None => {}
        Some(Fault::Slow(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::Unavailable) => {
            let body = PlainError {
                error: PlainErrorDetail {
                    code: "unavailable".into(),
                    message: format!("request #{n} failed on purpose (an injected fault)"),
                },
            };
            return (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
        }
    }
    next.run(request).await
}

async fn not_found() -> Response {
    let body = PlainError {
        error: PlainErrorDetail {
            code: "not_found".into(),
            message: "no such endpoint".into(),
        },
    };
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// A failure of endpoint A, answered as an S3-style JSON error.
#[derive(Debug)]
struct S3Failure {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl S3Failure {
    fn invalid(message: String) -> S3Failure {
        S3Failure {
            status: StatusCode::BAD_REQUEST,
            code: "InvalidArgument",
            message,
        }
    }
}

impl IntoResponse for S3Failure {
    fn into_response(self) -> Response {
        let body = S3Error {
            code: self.code.into(),
            message: self.message,
        };
        (self.status, Json(body)).into_response()
    }
}

/// A failure of endpoint B, answered as a plain JSON error (always a 400).
#[derive(Debug)]
struct PlainFailure {
    code: &'static str,
    message: String,
}

impl IntoResponse for PlainFailure {
    fn into_response(self) -> Response {
        let body = PlainError {
            error: PlainErrorDetail {
                code: self.code.into(),
                message: self.message,
            },
        };
        (StatusCode::BAD_REQUEST, Json(body)).into_response()
    }
}

/// The query as a map, refusing parameters outside `allowed` and parameters given twice.
fn query_params(
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    allowed: &[&str],
) -> Result<HashMap<String, String>, String> {
    let Query(pairs) = query.map_err(|e| format!("malformed query string: {e}"))?;
    let mut params = HashMap::new();
    for (name, value) in pairs {
        if !allowed.contains(&name.as_str()) {
            return Err(format!(
                "unknown query parameter `{name}`; expected one of {}",
                allowed.join(", ")
            ));
        }
        if params.insert(name.clone(), value).is_some() {
            return Err(format!("query parameter `{name}` given more than once"));
        }
    }
    Ok(params)
}

/// A page size: absent means `default`, otherwise an integer from 1 to `max`.
fn page_size(name: &str, value: Option<&String>, default: u32, max: u32) -> Result<u32, String> {
    let Some(value) = value else {
        return Ok(default);
    };
    match value.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "`{name}` must be an integer from 1 to {max}, not {value:?}"
        )),
    }
}

/// Endpoint A: `GET /buckets/{bucket}/objects`.
async fn list_objects(
    State(shared): State<Arc<Shared>>,
    bucket: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<ObjectListing>, S3Failure> {
    let Path(bucket) = bucket.map_err(|e| S3Failure::invalid(format!("bad bucket name: {e}")))?;
    if bucket != BUCKET {
        return Err(S3Failure {
            status: StatusCode::NOT_FOUND,
            code: "NoSuchBucket",
            message: format!("the bucket {bucket:?} does not exist"),
        });
    }
    let params = query_params(query, &["Marker", "MaxKeys", "Prefix", "Delimiter"])
        .map_err(S3Failure::invalid)?;
    let max_keys = page_size("MaxKeys", params.get("MaxKeys"), MAX_KEYS, MAX_KEYS)
        .map_err(S3Failure::invalid)?;
    let prefix = params.get("Prefix").cloned().unwrap_or_default();
    let marker = params.get("Marker").cloned().unwrap_or_default();
    // An empty delimiter is no delimiter, as in S3.
    let delimiter = params.get("Delimiter").filter(|d| !d.is_empty()).cloned();
    let listing = list(
        &shared.data.objects,
        &prefix,
        &marker,
        delimiter.as_deref(),
        max_keys,
    );
    Ok(Json(ObjectListing {
        name: bucket,
        next_marker: delimiter.is_some().then_some(listing.next_marker).flatten(),
        prefix,
        marker,
        max_keys,
        delimiter,
        is_truncated: listing.is_truncated,
        contents: listing.contents,
        common_prefixes: listing.common_prefixes,
    }))
}

/// One page of a listing, before it is dressed as a response.
struct Listing {
    contents: Vec<Object>,
    common_prefixes: Vec<CommonPrefix>,
    is_truncated: bool,
    /// The last entry (key or prefix) of a truncated page.
    next_marker: Option<String>,
}

/// S3's ListObjects over keys sorted in byte order: the entries after `marker` that start
/// with `prefix`, keys containing `delimiter` after the prefix rolled up into one prefix
/// entry each, at most `max_keys` entries.
fn list(
    objects: &[Object],
    prefix: &str,
    marker: &str,
    delimiter: Option<&str>,
    max_keys: u32,
) -> Listing {
    // Keys are sorted, so the keys with the prefix are one run starting here.
    let start = objects
        .partition_point(|o| o.key.as_str() < prefix)
        .max(objects.partition_point(|o| o.key.as_str() <= marker));
    let max_keys = usize::try_from(max_keys).unwrap_or(usize::MAX);
    let mut page = Listing {
        contents: Vec::new(),
        common_prefixes: Vec::new(),
        is_truncated: false,
        next_marker: None,
    };
    let mut entries = 0;
    for object in objects.iter().skip(start) {
        let Some(rest) = object.key.strip_prefix(prefix) else {
            break;
        };
        let rolled_up = delimiter.and_then(|d| {
            rest.split_once(d)
                .map(|(head, _)| format!("{prefix}{head}{d}"))
        });
        if let Some(common) = &rolled_up {
            // A prefix at or before the marker was listed on an earlier page; one already
            // on this page is not listed twice.
            let listed = page.common_prefixes.last().map(|c| &c.prefix) == Some(common);
            if common.as_str() <= marker || listed {
                continue;
            }
        }
        if entries == max_keys {
            page.is_truncated = true;
            break;
        }
        entries += 1;
        match rolled_up {
            Some(prefix) => {
                page.next_marker = Some(prefix.clone());
                page.common_prefixes.push(CommonPrefix { prefix });
            }
            None => {
                page.next_marker = Some(object.key.clone());
                page.contents.push(object.clone());
            }
        }
    }
    if !page.is_truncated {
        page.next_marker = None;
    }
    page
}

/// Endpoint B: `GET /v1/users`.
async fn list_users(
    State(shared): State<Arc<Shared>>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<UserPage>, PlainFailure> {
    let params = query_params(query, &["next_token", "limit"]).map_err(|message| PlainFailure {
        code: "invalid_request",
        message,
    })?;
    let limit = page_size(
        "limit",
        params.get("limit"),
        DEFAULT_USERS_LIMIT,
        MAX_USERS_LIMIT,
    )
    .map_err(|message| PlainFailure {
        code: "invalid_limit",
        message,
    })?;
    let users = &shared.data.users;
    let offset = match params.get("next_token") {
        None => 0,
        Some(token) => decode_user_token(token, users.len()).ok_or_else(|| PlainFailure {
            code: "invalid_token",
            message: format!("{token:?} is not a next_token this server issued"),
        })?,
    };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let end = offset.saturating_add(limit).min(users.len());
    Ok(Json(UserPage {
        users: users.get(offset..end).unwrap_or_default().to_vec(),
        next_token: (end < users.len()).then(|| encode_user_token(end)),
    }))
}

/// The opaque token of endpoint B: URL-safe base64 of `offset:<n>`.
fn encode_user_token(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

/// The offset in a token, if it is one this server could have issued for `len` users.
fn decode_user_token(token: &str, len: usize) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let offset: usize = text.strip_prefix("offset:")?.parse().ok()?;
    // Issued tokens point inside the list, never at its start or end, and are canonical.
    (0 < offset && offset < len && encode_user_token(offset) == token).then_some(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(listing: &Listing) -> Vec<&str> {
        listing.contents.iter().map(|o| o.key.as_str()).collect()
    }

    #[test]
    fn delimiter_rolls_up_and_skips_listed_prefixes() {
        let data = Dataset::generate();
        let first = list(&data.objects, "docs/", "", Some("/"), 2);
        assert_eq!(keys(&first), ["docs/README.md", "docs/index.html"]);
        assert!(first.is_truncated);
        assert_eq!(first.next_marker.as_deref(), Some("docs/index.html"));

        let second = list(&data.objects, "docs/", "docs/index.html", Some("/"), 2);
        assert!(keys(&second).is_empty());
        assert_eq!(second.common_prefixes[0].prefix, "docs/reports/");
        assert!(!second.is_truncated);
        assert_eq!(second.next_marker, None);

        // A marker equal to a listed prefix skips every key under it.
        let after = list(&data.objects, "", "docs/", Some("/"), 1000);
        let prefixes: Vec<&str> = after
            .common_prefixes
            .iter()
            .map(|c| c.prefix.as_str())
            .collect();
        assert_eq!(prefixes, ["logs/", "photos/", "videos/"]);
    }

    #[test]
    fn user_tokens_round_trip_and_refuse_forgeries() {
        assert_eq!(decode_user_token(&encode_user_token(100), 3_000), Some(100));
        for bad in ["", "!!", "b2Zmc2V0OjA", "b2Zmc2V0OjMwMDA", "b2Zmc2V0OjAx"] {
            assert_eq!(decode_user_token(bad, 3_000), None, "{bad}");
        }
    }
}
