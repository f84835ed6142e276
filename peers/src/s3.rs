//! S3's REST protocol, path-style (`http://host:port/bucket/key`): the listing operations,
//! answered in XML and read into botocore's JSON shape, and the few writes the tests need to
//! create their data.
//!
//! Each operation has its route (`GET /{Bucket}`, `PUT /{Bucket}/{Key}`); the ready
//! transport fills it and puts the other params, under botocore's names (`Marker`,
//! `MaxKeys`, …), in the query (GET, DELETE) or a JSON body (PUT). The request hook then makes
//! that S3's request: the key keeps its slashes, each param goes into the query under S3's
//! name (`marker`, `max-keys`), into the body or a header, any other is refused (nothing is
//! silently dropped), and the payload's hash is sent in `x-amz-content-sha256`. Keys are sent
//! as they are: this client does not ask for `EncodingType=url` the way botocore does behind
//! the user's back (and then decodes the answer), so a page holds what the server sent.

use paginated::PageRequest;
use paginated::route::Route;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::{Map, Value};

use crate::error::PeerError;
use crate::http::{Endpoint, HttpRequest, HttpResponse, Protocol, Wire};
use crate::sigv4::{CONTENT_SHA256, sha256_hex, uri_encode};
use crate::xml::{self, S3_LISTING};

const KNOWN: &str = "ListObjects, ListObjectsV2, ListObjectVersions, CreateBucket, \
                     PutBucketVersioning, PutObject, DeleteObject";

/// How one operation is sent.
struct Operation {
    /// Its route; `{Key}` only when the path has the object key after the bucket.
    route: &'static str,
    /// Whether the path has the object key after the bucket.
    with_key: bool,
    /// Query parameters every request of the operation carries (`list-type=2`).
    fixed_query: &'static [(&'static str, &'static str)],
    /// botocore param name → S3 query parameter name.
    query: &'static [(&'static str, &'static str)],
    /// Whether the response is a listing in XML.
    listing: bool,
}

fn operation(name: &str) -> Option<Operation> {
    let listing = |fixed_query, query| Operation {
        route: "GET /{Bucket}",
        with_key: false,
        fixed_query,
        query,
        listing: true,
    };
    let write = |route, with_key, fixed_query, query| Operation {
        route,
        with_key,
        fixed_query,
        query,
        listing: false,
    };
    Some(match name {
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
        "CreateBucket" => write("PUT /{Bucket}", false, &[], &[]),
        "PutBucketVersioning" => write("PUT /{Bucket}", false, &[("versioning", "")], &[]),
        "PutObject" => write("PUT /{Bucket}/{Key}", true, &[], &[]),
        "DeleteObject" => write(
            "DELETE /{Bucket}/{Key}",
            true,
            &[],
            &[("VersionId", "versionId")],
        ),
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

    /// The route of `operation` (`GET /{Bucket}` for the listings), for models loaded from
    /// botocore, which carry none (`model.with_route(S3Rest::route_of("ListObjects")?)`).
    pub fn route_of(name: &str) -> Result<Route, PeerError> {
        let unknown = |detail: String| PeerError::UnknownOperation {
            operation: detail,
            known: KNOWN,
        };
        let op = operation(name).ok_or_else(|| unknown(name.to_owned()))?;
        Route::parse(op.route).map_err(|e| unknown(format!("{name} ({e})")))
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

/// The path S3 wants: the bucket as one segment, the key with its slashes (botocore's
/// `{Key+}`), each part percent-encoded as SigV4 canonicalizes it.
fn s3_path(bucket: &str, key: Option<&str>) -> String {
    let mut path = format!("/{}", uri_encode(bucket, false));
    if let Some(key) = key {
        path.push('/');
        path.push_str(&uri_encode(key, true));
    }
    path
}

impl Protocol for S3Rest {
    fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    fn signing_name(&self) -> &str {
        "s3"
    }

    fn route(&self, operation: &str) -> Result<Route, PeerError> {
        S3Rest::route_of(operation)
    }

    fn prepare(&self, page: &PageRequest<'_>, request: &mut HttpRequest) -> Result<(), PeerError> {
        let name = page.operation();
        let op = operation(name).ok_or_else(|| PeerError::UnknownOperation {
            operation: name.to_owned(),
            known: KNOWN,
        })?;
        let params = page.params();
        let bucket = required_str(name, params, "Bucket")?;
        let key = match op.with_key {
            true => Some(required_str(name, params, "Key")?),
            false => None,
        };

        // The route put the key in one segment (`/` as `%2F`); S3 keys keep their slashes.
        let expected = s3_path(bucket, key);
        let built = request.url.path().to_owned();
        let sent = match built.get(1..).and_then(|p| p.find('/')) {
            Some(at) if op.with_key => {
                let (bucket_part, key_part) = built.split_at(at + 1);
                format!("{bucket_part}{}", key_part.replace("%2F", "/"))
            }
            _ => built,
        };
        request.url.set_path(&sent);
        if request.url.path() != expected {
            // The URL parser normalises `.` and `..` segments: the key would change.
            return Err(param_error(
                name,
                if op.with_key { "Key" } else { "Bucket" },
                format!(
                    "cannot be sent in a URL path as it is (it becomes {:?}, S3 needs {expected:?})",
                    request.url.path()
                ),
            ));
        }

        let mut query: Vec<(String, String)> = op
            .fixed_query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let wire_name = |param: &str| {
            op.query
                .iter()
                .find(|(botocore, _)| *botocore == param)
                .map(|(_, wire)| (*wire).to_owned())
                .ok_or_else(|| {
                    param_error(
                        name,
                        param,
                        "is not one this client can send for this operation",
                    )
                })
        };
        let mut body = Vec::new();
        let mut content_type = None;
        if request.method.has_body() {
            // The params the route did not place, as the transport wrote them in the body.
            let rest: Map<String, Value> = match request.body.take() {
                Some(bytes) => serde_json::from_slice(&bytes)
                    .map_err(|e| param_error(name, "(all)", format!("cannot be read back: {e}")))?,
                None => Map::new(),
            };
            for (param, value) in &rest {
                match param.as_str() {
                    "Body" if name == "PutObject" => {
                        let text = value.as_str().ok_or_else(|| {
                            param_error(name, param, "must be a string (the object's content)")
                        })?;
                        body = text.as_bytes().to_vec();
                    }
                    "ContentType" if name == "PutObject" => {
                        content_type = text_of(name, param, value)?;
                    }
                    "VersioningConfiguration" if name == "PutBucketVersioning" => {
                        body = versioning_body(name, Some(value))?;
                    }
                    _ => {
                        let wire = wire_name(param)?;
                        if let Some(text) = text_of(name, param, value)? {
                            query.push((wire, text));
                        }
                    }
                }
            }
            if name == "PutBucketVersioning" && body.is_empty() {
                body = versioning_body(name, None)?;
            }
        } else {
            // The params the route did not place, as the transport wrote them in the query.
            for (param, value) in request.url.query_pairs() {
                if params
                    .get(param.as_ref())
                    .is_some_and(|v| v.is_array() || v.is_object())
                {
                    return Err(param_error(
                        name,
                        &param,
                        "is a JSON array or object, which S3 does not take in a URL",
                    ));
                }
                query.push((wire_name(&param)?, value.into_owned()));
            }
        }
        // In any order: the signer sorts the query into canonical form.
        request.url.set_query(None);
        if !query.is_empty() {
            request.url.query_pairs_mut().extend_pairs(&query);
        }

        request.headers.remove(CONTENT_TYPE);
        if let Some(text) = content_type {
            let value = HeaderValue::try_from(text).map_err(|e| {
                param_error(name, "ContentType", format!("is not a valid header: {e}"))
            })?;
            request.headers.insert(CONTENT_TYPE, value);
        }
        let hash = HeaderValue::try_from(sha256_hex(&body))
            .map_err(|e| param_error(name, "Body", format!("hash: {e}")))?;
        request.headers.insert(CONTENT_SHA256, hash);
        request.body = Some(body);
        Ok(())
    }

    /// S3 answers in XML (no S3 listing is JSON): decoded into botocore's JSON.
    fn wire(&self) -> Wire {
        Wire::Decoded
    }

    fn decode(&self, page: &PageRequest<'_>, response: &HttpResponse<'_>) -> Result<Value, String> {
        let listing = operation(page.operation()).is_some_and(|op| op.listing);
        if !listing {
            return Ok(Value::Object(header_fields(response.headers)));
        }
        read_listing(response.body)
    }

    /// `<Error><Code>NoSuchBucket</Code><Message>…</Message></Error>`
    fn error_code(&self, body: &str) -> Option<String> {
        xml::first_text(body, "Code")
    }
}

/// A listing's XML body as botocore's JSON.
fn read_listing(body: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    let root = xml::parse(text)?;
    xml::to_json(&root, &S3_LISTING)
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
    use crate::http::testing;
    use crate::sigv4::Credentials;
    use serde_json::json;

    fn prepare(operation: &str, params: Value) -> Result<HttpRequest, PeerError> {
        let s3 =
            S3Rest::new(Endpoint::new("http://127.0.0.1:9000", Credentials::unchecked()).unwrap());
        testing::prepared(s3, operation, &params)
    }

    #[test]
    fn listings_put_botocore_params_in_the_query_under_s3_names() {
        let request = prepare(
            "ListObjectsV2",
            json!({"Bucket": "b", "Prefix": "a b/", "MaxKeys": 3, "ContinuationToken": "x+y=", "StartAfter": null}),
        )
        .unwrap();
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(
            request.url.as_str(),
            "http://127.0.0.1:9000/b?continuation-token=x%2By%3D&list-type=2&max-keys=3&prefix=a%20b%2F"
        );
        let mut names: Vec<&str> = request.headers.keys().map(|n| n.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["authorization", "x-amz-content-sha256", "x-amz-date"]
        );
        let authorization = request.headers["authorization"].to_str().unwrap();
        assert!(
            authorization
                .contains("/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, "),
            "{authorization}"
        );
        assert_eq!(request.body.as_deref(), Some(&b""[..]));
        let request = prepare("ListObjectVersions", json!({"Bucket": "b"})).unwrap();
        assert_eq!(request.url.as_str(), "http://127.0.0.1:9000/b?versions=");
    }

    #[test]
    fn object_keys_keep_their_slashes_and_are_encoded_otherwise() {
        let request = prepare(
            "PutObject",
            json!({"Bucket": "b", "Key": "photos/été 1.jpg", "Body": "hello", "ContentType": "text/plain"}),
        )
        .unwrap();
        assert_eq!(request.method.as_str(), "PUT");
        assert_eq!(
            request.url.as_str(),
            "http://127.0.0.1:9000/b/photos/%C3%A9t%C3%A9%201.jpg"
        );
        assert_eq!(request.body.as_deref(), Some(&b"hello"[..]));
        assert_eq!(request.headers["content-type"], "text/plain");
        assert_eq!(request.headers[CONTENT_SHA256], sha256_hex(b"hello"));
        let request = prepare(
            "DeleteObject",
            json!({"Bucket": "b", "Key": "a/%2F", "VersionId": "v 1"}),
        )
        .unwrap();
        assert_eq!(
            request.url.as_str(),
            "http://127.0.0.1:9000/b/a/%252F?versionId=v%201"
        );
        let request = prepare(
            "PutBucketVersioning",
            json!({"Bucket": "b", "VersioningConfiguration": {"Status": "Enabled"}}),
        )
        .unwrap();
        assert_eq!(request.url.as_str(), "http://127.0.0.1:9000/b?versioning=");
        assert!(!request.headers.contains_key("content-type"));
        let body = String::from_utf8(request.body.unwrap()).unwrap();
        assert!(body.contains("<Status>Enabled</Status>"), "{body}");
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
        let error = prepare("ListObjects", json!({"Bucket": ""})).unwrap_err();
        assert!(
            error.to_string().contains("`Bucket` is required"),
            "{error}"
        );
        let error = prepare("ListObjects", json!({"Bucket": "b", "Prefix": ["x"]})).unwrap_err();
        assert!(error.to_string().contains("array or object"), "{error}");
        let error = prepare("ListObjects", json!({"Bucket": "b", "Prefix": {"a": 1}})).unwrap_err();
        assert!(
            matches!(&error, PeerError::Param { name, .. } if name == "Prefix"),
            "{error}"
        );
        // A whole segment of `..` would list another path: the route itself refuses it.
        let error = prepare("ListObjects", json!({"Bucket": ".."})).unwrap_err();
        assert!(
            error.to_string().contains("`Bucket` is `.` or `..`"),
            "{error}"
        );
        let error = prepare("PutObject", json!({"Bucket": "b", "Key": "a/../b"})).unwrap_err();
        assert!(
            error.to_string().contains("cannot be sent in a URL path"),
            "{error}"
        );
        let error = prepare(
            "PutObject",
            json!({"Bucket": "b", "Key": "k", "Tagging": "x"}),
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("`Tagging` is not one"),
            "{error}"
        );
        let error = prepare("GetObject", json!({"Bucket": "b"})).unwrap_err();
        assert!(
            matches!(error, PeerError::UnknownOperation { .. }),
            "{error}"
        );
    }

    #[test]
    fn listings_are_read_from_xml_and_error_codes_from_error_bodies() {
        let page = read_listing(
            b"<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>k</Key></Contents></ListBucketResult>",
        )
        .unwrap();
        assert_eq!(
            page,
            json!({"IsTruncated": false, "Contents": [{"Key": "k"}]})
        );
        assert!(read_listing(b"<a>").is_err());
        let s3 =
            S3Rest::new(Endpoint::new("http://127.0.0.1:9000", Credentials::unchecked()).unwrap());
        let body = "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The spec";
        assert_eq!(s3.error_code(body).as_deref(), Some("NoSuchBucket"));
        assert_eq!(s3.error_code("<Error><Message>m</Message></Error>"), None);
        assert_eq!(s3.error_code("not xml"), None);
    }
}
