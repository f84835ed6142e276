//! S3's REST protocol, path-style (`http://host:port/bucket/key`): the listing operations,
//! answered in XML and read into botocore's JSON shape, and the few writes the tests need to
//! create their data.
//!
//! Params use botocore's names (`Bucket`, `Marker`, `MaxKeys`, …); each operation knows
//! which go into the path, which into the query (under S3's names: `marker`, `max-keys`) and
//! refuses any other, so nothing is silently dropped. Keys are sent as they are: this client
//! does not ask for `EncodingType=url` the way botocore does behind the user's back (and then
//! decodes the answer), so a page holds what the server sent.

use std::time::SystemTime;

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Map, Value};

use crate::error::{PeerError, excerpt};
use crate::http::{Endpoint, HttpRequest, HttpResponse, Protocol};
use crate::sigv4::{Signable, sha256_hex, sign, uri_encode};
use crate::xml::{self, S3_LISTING};

const KNOWN: &str = "ListObjects, ListObjectsV2, ListObjectVersions, CreateBucket, \
                     PutBucketVersioning, PutObject, DeleteObject";

/// How one operation is sent.
struct Route {
    method: Method,
    /// Whether the path has the object key after the bucket.
    with_key: bool,
    /// Query parameters every request of the operation carries (`list-type=2`).
    fixed_query: &'static [(&'static str, &'static str)],
    /// botocore param name → S3 query parameter name.
    query: &'static [(&'static str, &'static str)],
    /// Whether the response is a listing in XML.
    listing: bool,
}

fn route(operation: &str) -> Option<Route> {
    let listing = |fixed_query, query| Route {
        method: Method::GET,
        with_key: false,
        fixed_query,
        query,
        listing: true,
    };
    Some(match operation {
        "ListObjects" => listing(
            &[],
            &[
                ("Delimiter", "delimiter"),
                ("EncodingType", "encoding-type"),
                ("Marker", "marker"),
                ("MaxKeys", "max-keys"),
                ("Prefix", "prefix"),
            ],
        ),
        "ListObjectsV2" => listing(
            &[("list-type", "2")],
            &[
                ("ContinuationToken", "continuation-token"),
                ("Delimiter", "delimiter"),
                ("EncodingType", "encoding-type"),
                ("FetchOwner", "fetch-owner"),
                ("MaxKeys", "max-keys"),
                ("Prefix", "prefix"),
                ("StartAfter", "start-after"),
            ],
        ),
        "ListObjectVersions" => listing(
            &[("versions", "")],
            &[
                ("Delimiter", "delimiter"),
                ("EncodingType", "encoding-type"),
                ("KeyMarker", "key-marker"),
                ("MaxKeys", "max-keys"),
                ("Prefix", "prefix"),
                ("VersionIdMarker", "version-id-marker"),
            ],
        ),
        "CreateBucket" => Route {
            method: Method::PUT,
            with_key: false,
            fixed_query: &[],
            query: &[],
            listing: false,
        },
        "PutBucketVersioning" => Route {
            method: Method::PUT,
            with_key: false,
            fixed_query: &[("versioning", "")],
            query: &[],
            listing: false,
        },
        "PutObject" => Route {
            method: Method::PUT,
            with_key: true,
            fixed_query: &[],
            query: &[],
            listing: false,
        },
        "DeleteObject" => Route {
            method: Method::DELETE,
            with_key: true,
            fixed_query: &[],
            query: &[("VersionId", "versionId")],
            listing: false,
        },
        _ => return None,
    })
}

/// S3 over REST, path-style.
#[derive(Debug, Clone)]
pub struct S3Rest {
    endpoint: Endpoint,
}

impl S3Rest {
    /// S3 at `endpoint`.
    pub fn new(endpoint: Endpoint) -> S3Rest {
        S3Rest { endpoint }
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }
}

fn param_error(operation: &str, name: &str, problem: impl Into<String>) -> PeerError {
    PeerError::Param {
        operation: operation.to_owned(),
        name: name.to_owned(),
        problem: problem.into(),
    }
}

/// A param as the text S3 takes in a query or header; `None` for `null` (not sent).
fn text_of(operation: &str, name: &str, value: &Value) -> Result<Option<String>, PeerError> {
    Ok(Some(match value {
        Value::Null => return Ok(None),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(_) | Value::Object(_) => {
            return Err(param_error(
                operation,
                name,
                "is a JSON array or object, which S3 does not take in a URL",
            ));
        }
    }))
}

fn required_str<'a>(
    operation: &str,
    params: &'a Map<String, Value>,
    name: &str,
) -> Result<&'a str, PeerError> {
    match params.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        _ => Err(param_error(
            operation,
            name,
            "is required and must be a non-empty string",
        )),
    }
}

/// `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>` from
/// `{"Status": "Enabled"}`.
fn versioning_body(operation: &str, config: Option<&Value>) -> Result<Vec<u8>, PeerError> {
    let status = config
        .and_then(|c| c.get("Status"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            param_error(
                operation,
                "VersioningConfiguration",
                "must be an object with a string `Status`",
            )
        })?;
    Ok(format!(
        "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <Status>{}</Status></VersioningConfiguration>",
        quick_xml::escape::escape(status)
    )
    .into_bytes())
}

impl Protocol for S3Rest {
    fn prepare(
        &self,
        operation: &str,
        params: &Map<String, Value>,
    ) -> Result<HttpRequest, PeerError> {
        let route = route(operation).ok_or_else(|| PeerError::UnknownOperation {
            operation: operation.to_owned(),
            known: KNOWN,
        })?;
        let bucket = required_str(operation, params, "Bucket")?;
        let mut path = format!("/{}", uri_encode(bucket, false));
        if route.with_key {
            let key = required_str(operation, params, "Key")?;
            path.push('/');
            path.push_str(&uri_encode(key, true));
        }

        let mut query: Vec<(String, String)> = route
            .fixed_query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let mut body = Vec::new();
        let mut headers = Vec::new();
        for (name, value) in params {
            match name.as_str() {
                "Bucket" => continue,
                "Key" if route.with_key => continue,
                "Body" if operation == "PutObject" => {
                    let text = value.as_str().ok_or_else(|| {
                        param_error(operation, name, "must be a string (the object's content)")
                    })?;
                    body = text.as_bytes().to_vec();
                    continue;
                }
                "ContentType" if operation == "PutObject" => {
                    if let Some(text) = text_of(operation, name, value)? {
                        headers.push(("content-type".to_owned(), text));
                    }
                    continue;
                }
                "VersioningConfiguration" if operation == "PutBucketVersioning" => {
                    body = versioning_body(operation, Some(value))?;
                    continue;
                }
                _ => {}
            }
            let Some((_, wire)) = route.query.iter().find(|(botocore, _)| botocore == name) else {
                return Err(param_error(
                    operation,
                    name,
                    "is not one this client can send for this operation",
                ));
            };
            if let Some(text) = text_of(operation, name, value)? {
                query.push(((*wire).to_owned(), text));
            }
        }
        if operation == "PutBucketVersioning" && body.is_empty() {
            body = versioning_body(operation, None)?;
        }

        // The canonical query: encoded, sorted by name then value; sent exactly as signed.
        let mut encoded: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| (uri_encode(k, false), uri_encode(v, false)))
            .collect();
        encoded.sort();
        let query_string = encoded
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");

        let mut url = self.endpoint.base.clone();
        url.set_path(&path);
        url.set_query((!query_string.is_empty()).then_some(query_string.as_str()));
        if url.path() != path {
            // The URL parser normalises `.` and `..` segments: the key would change.
            return Err(param_error(
                operation,
                "Key",
                format!(
                    "cannot be sent in a URL path as it is (it becomes {:?})",
                    url.path()
                ),
            ));
        }

        let payload_hash = sha256_hex(&body);
        headers.push(("x-amz-content-sha256".to_owned(), payload_hash.clone()));
        let host = self.endpoint.host();
        let (date, authorization) = sign(
            &self.endpoint.credentials,
            "s3",
            &Signable {
                method: route.method.as_str(),
                path: &path,
                query: &query_string,
                host: &host,
                headers: &headers,
                payload_hash: &payload_hash,
            },
            SystemTime::now(),
        )
        .map_err(|reason| PeerError::Signing {
            operation: operation.to_owned(),
            reason,
        })?;
        headers.push(("x-amz-date".to_owned(), date));
        headers.push(("authorization".to_owned(), authorization));
        Ok(HttpRequest {
            method: route.method,
            url,
            headers,
            body,
        })
    }

    fn parse(
        &self,
        operation: &str,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> Result<Value, PeerError> {
        let HttpResponse {
            status,
            headers,
            body,
        } = response;
        let text = std::str::from_utf8(&body);
        if !status.is_success() {
            // `<Error><Code>NoSuchBucket</Code><Message>…</Message></Error>`
            let code = text
                .ok()
                .and_then(|t| xml::parse(t).ok())
                .and_then(|e| e.child_text("Code").map(str::to_owned));
            return Err(PeerError::Status {
                operation: operation.to_owned(),
                method: request.method.clone(),
                url: request.url.to_string(),
                status,
                code,
                body: excerpt(&body),
            });
        }
        let decode_error = |reason: String| PeerError::Decode {
            operation: operation.to_owned(),
            method: request.method.clone(),
            url: request.url.to_string(),
            status,
            reason,
            body: excerpt(&body),
        };
        let listing = route(operation).is_some_and(|r| r.listing);
        if !listing {
            return Ok(Value::Object(header_fields(&headers)));
        }
        let text = text.map_err(|e| decode_error(format!("not UTF-8: {e}")))?;
        let root = xml::parse(text).map_err(decode_error)?;
        xml::to_json(&root, &S3_LISTING).map_err(decode_error)
    }
}

/// What the writes answer in headers, under botocore's names.
fn header_fields(headers: &HeaderMap) -> Map<String, Value> {
    let mut out = Map::new();
    for (header, key) in [
        ("etag", "ETag"),
        ("x-amz-version-id", "VersionId"),
        ("x-amz-delete-marker", "DeleteMarker"),
        ("location", "Location"),
    ] {
        if let Some(value) = headers.get(header).and_then(|v| v.to_str().ok()) {
            let value = match key {
                "DeleteMarker" => Value::Bool(value == "true"),
                _ => Value::String(value.to_owned()),
            };
            out.insert(key.to_owned(), value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::sigv4::Credentials;
    use serde_json::json;

    fn s3() -> S3Rest {
        S3Rest::new(Endpoint::new("http://127.0.0.1:9000", Credentials::unchecked()).unwrap())
    }

    fn prepare(operation: &str, params: Value) -> Result<HttpRequest, PeerError> {
        s3().prepare(operation, params.as_object().unwrap())
    }

    #[test]
    fn listings_put_botocore_params_in_the_query_under_s3_names() {
        let request = prepare(
            "ListObjectsV2",
            json!({"Bucket": "b", "Prefix": "a b/", "MaxKeys": 3, "ContinuationToken": "x+y=", "StartAfter": null}),
        )
        .unwrap();
        assert_eq!(request.method, Method::GET);
        assert_eq!(
            request.url.as_str(),
            "http://127.0.0.1:9000/b?continuation-token=x%2By%3D&list-type=2&max-keys=3&prefix=a%20b%2F"
        );
        let names: Vec<&str> = request.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["x-amz-content-sha256", "x-amz-date", "authorization"]
        );
    }

    #[test]
    fn object_keys_keep_their_slashes_and_are_encoded_otherwise() {
        let request = prepare(
            "PutObject",
            json!({"Bucket": "b", "Key": "photos/été 1.jpg", "Body": "hello"}),
        )
        .unwrap();
        assert_eq!(
            request.url.as_str(),
            "http://127.0.0.1:9000/b/photos/%C3%A9t%C3%A9%201.jpg"
        );
        assert_eq!(request.body, b"hello");
    }

    #[test]
    fn params_the_client_cannot_send_are_errors_not_dropped() {
        let error = prepare(
            "ListObjects",
            json!({"Bucket": "b", "ContinuationToken": "x"}),
        )
        .unwrap_err();
        assert!(error.to_string().contains("`ContinuationToken`"), "{error}");
        let error = prepare("ListObjects", json!({"Prefix": "x"})).unwrap_err();
        assert!(
            error.to_string().contains("`Bucket` is required"),
            "{error}"
        );
        let error = prepare("ListObjects", json!({"Bucket": "b", "Prefix": ["x"]})).unwrap_err();
        assert!(error.to_string().contains("array or object"), "{error}");
        let error = prepare("PutObject", json!({"Bucket": "b", "Key": "a/../b"})).unwrap_err();
        assert!(
            error.to_string().contains("cannot be sent in a URL path"),
            "{error}"
        );
        let error = prepare("GetObject", json!({"Bucket": "b"})).unwrap_err();
        assert!(
            matches!(error, PeerError::UnknownOperation { .. }),
            "{error}"
        );
    }
}
