//! AWS Signature Version 4 for header-signed requests: what botocore sends, and what s3s-fs
//! checks (moto and dynalite read only the credential scope, which routes the request).
//!
//! The request is signed as it will be sent: [`sign_request`] runs last among the
//! transport's request hooks, puts the query in canonical form (each part percent-encoded
//! except the unreserved characters `A-Z a-z 0-9 - _ . ~`, sorted) in the URL itself, and
//! signs the final method, path, query, headers and body.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use paginated::http::HttpRequest;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use sha2::{Digest, Sha256};

/// The header S3 wants the payload's hash in; when present, it is the hash that is signed.
pub(crate) const CONTENT_SHA256: &str = "x-amz-content-sha256";

/// The keys and region a client signs with. Servers that do not check signatures (moto,
/// dynalite) accept any; s3s-fs checks them against the keys it was started with.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id, sent in the clear in the `Authorization` header.
    pub access_key: String,
    /// The secret key; only its HMACs are sent.
    pub secret_key: String,
    /// The region of the credential scope, e.g. `us-east-1`.
    pub region: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &"…")
            .field("region", &self.region)
            .finish()
    }
}

impl Credentials {
    /// Credentials with these keys in `us-east-1`.
    pub fn new(access_key: impl Into<String>, secret_key: impl Into<String>) -> Credentials {
        Credentials {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            region: "us-east-1".to_owned(),
        }
    }

    /// Placeholder credentials for servers that do not check signatures (moto, dynalite).
    pub fn unchecked() -> Credentials {
        Credentials::new("paginate-peers", "paginate-peers-secret")
    }
}

/// Percent-encodes `text` as SigV4 wants: everything but `A-Z a-z 0-9 - _ . ~`, and `/` too
/// unless `keep_slash`.
pub(crate) fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte));
            }
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Lowercase hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lowercase hex of the SHA-256 of `data`.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hmac(key: &[u8], data: &[u8]) -> Result<Vec<u8>, String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|e| format!("HMAC key: {e}"))?;
    mac.update(data);
    Ok(mac.finalize().into_bytes().to_vec())
}

/// `YYYYMMDDTHHMMSSZ` for a time, as `X-Amz-Date` wants it.
pub(crate) fn amz_date(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// What one request looks like to the signer.
pub(crate) struct Signable<'a> {
    pub(crate) method: &'a str,
    /// The path, already in canonical form.
    pub(crate) path: &'a str,
    /// The query, already in canonical form (sorted, encoded), without `?`.
    pub(crate) query: &'a str,
    /// `host[:port]` as the `Host` header will carry it.
    pub(crate) host: &'a str,
    /// Headers to sign besides `host` and `x-amz-date` (lowercase names).
    pub(crate) headers: &'a [(String, String)],
    /// Lowercase hex SHA-256 of the body.
    pub(crate) payload_hash: &'a str,
}

/// Signs a request for `service` at `time`: returns the `x-amz-date` value and the
/// `Authorization` header value.
pub(crate) fn sign(
    credentials: &Credentials,
    service: &str,
    request: &Signable<'_>,
    time: SystemTime,
) -> Result<(String, String), String> {
    let amz_date = amz_date(time);
    let date = &amz_date[..8];
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    headers.push(("host".to_owned(), request.host.to_owned()));
    headers.push(("x-amz-date".to_owned(), amz_date.clone()));
    headers.sort();
    let canonical_headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect();
    let signed_headers = headers
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{}",
        request.method, request.path, request.query, request.payload_hash
    );
    let scope = format!("{date}/{}/{service}/aws4_request", credentials.region);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let mut key = hmac(
        format!("AWS4{}", credentials.secret_key).as_bytes(),
        date.as_bytes(),
    )?;
    for part in [credentials.region.as_str(), service, "aws4_request"] {
        key = hmac(&key, part.as_bytes())?;
    }
    let signature = hex(&hmac(&key, string_to_sign.as_bytes())?);
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key
    );
    Ok((amz_date, authorization))
}

/// Signs `request` for `service` at `time`, as it stands: rewrites its query into canonical
/// form (so what is sent is what is signed), then adds `x-amz-date` and `authorization`.
/// Every header it has is signed; the payload hash is its `x-amz-content-sha256` when it has
/// one, else the SHA-256 of its body. The path is signed as it is (S3's rule: no second
/// encoding), so it must already be in canonical form.
pub(crate) fn sign_request(
    credentials: &Credentials,
    service: &str,
    request: &mut HttpRequest,
    time: SystemTime,
) -> Result<(), String> {
    let mut pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(name, value)| (uri_encode(&name, false), uri_encode(&value, false)))
        .collect();
    pairs.sort();
    let query = pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&");
    request
        .url
        .set_query((!query.is_empty()).then_some(query.as_str()));

    let host = match (request.url.host_str(), request.url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => return Err(format!("the URL {} has no host", request.url)),
    };
    let headers = &mut request.headers;
    for name in ["host", "x-amz-date", "authorization"] {
        headers.remove(name);
    }
    let mut signed = Vec::new();
    for name in headers.keys() {
        let values = headers
            .get_all(name)
            .iter()
            .map(|v| {
                v.to_str()
                    .map(str::trim)
                    .map_err(|_| format!("header `{name}` is not visible ASCII"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        signed.push((name.as_str().to_owned(), values.join(",")));
    }
    let payload_hash = match headers.get(CONTENT_SHA256) {
        Some(value) => value
            .to_str()
            .map_err(|_| format!("header `{CONTENT_SHA256}` is not visible ASCII"))?
            .to_owned(),
        None => sha256_hex(request.body.as_deref().unwrap_or_default()),
    };
    let (date, authorization) = sign(
        credentials,
        service,
        &Signable {
            method: request.method.as_str(),
            path: request.url.path(),
            query: &query,
            host: &host,
            headers: &signed,
            payload_hash: &payload_hash,
        },
        time,
    )?;
    let value = |text: String| {
        HeaderValue::try_from(text).map_err(|e| format!("a signature header is not valid: {e}"))
    };
    headers.insert("x-amz-date", value(date)?);
    headers.insert(AUTHORIZATION, value(authorization)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_are_formatted_as_amz_dates() {
        assert_eq!(amz_date(UNIX_EPOCH), "19700101T000000Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_709_251_199); // 2024-02-29T23:59:59Z
        assert_eq!(amz_date(t), "20240229T235959Z");
        let t = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29T00:00:00Z
        assert_eq!(amz_date(t), "20000229T000000Z");
    }

    #[test]
    fn uri_encoding_keeps_only_unreserved_characters() {
        assert_eq!(uri_encode("a b/ü~.-_+", false), "a%20b%2F%C3%BC~.-_%2B");
        assert_eq!(uri_encode("photos/1.jpg", true), "photos/1.jpg");
    }

    /// AWS's published example "GET object" (Authenticating Requests: Using the
    /// Authorization Header, Signature Version 4 examples for Amazon S3).
    #[test]
    fn signs_the_published_s3_get_object_example() {
        let credentials = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        );
        let empty = sha256_hex(b"");
        let headers = [
            ("Range".to_owned(), "bytes=0-9".to_owned()),
            ("x-amz-content-sha256".to_owned(), empty.clone()),
        ];
        let request = Signable {
            method: "GET",
            path: "/test.txt",
            query: "",
            host: "examplebucket.s3.amazonaws.com",
            headers: &headers,
            payload_hash: &empty,
        };
        // 2013-05-24T00:00:00Z
        let time = UNIX_EPOCH + Duration::from_secs(1_369_353_600);
        let (date, authorization) = sign(&credentials, "s3", &request, time).unwrap();
        assert_eq!(date, "20130524T000000Z");
        assert_eq!(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }
}
