//! The AWS JSON protocol (DynamoDB, CloudWatch Logs, Secrets Manager, …): every operation is a
//! `POST /` whose body is the params as JSON, named by the `X-Amz-Target` header; the
//! response body is the page, already in the JSON shape botocore's models describe.

use std::time::SystemTime;

use reqwest::Method;
use serde_json::{Map, Value};

use crate::error::{PeerError, excerpt};
use crate::http::{Endpoint, HttpRequest, HttpResponse, Protocol};
use crate::sigv4::{Signable, sha256_hex, sign};

/// One service spoken over the AWS JSON protocol.
#[derive(Debug, Clone)]
pub struct AwsJson {
    endpoint: Endpoint,
    content_type: &'static str,
    target_prefix: String,
    signing_name: String,
}

impl AwsJson {
    /// A service with its protocol version (`"1.0"` or `"1.1"`), its target prefix
    /// (`DynamoDB_20120810`) and the service name of its credential scope (`dynamodb`), which
    /// moto routes by.
    pub fn new(
        endpoint: Endpoint,
        json_version: &str,
        target_prefix: impl Into<String>,
        signing_name: impl Into<String>,
    ) -> Result<AwsJson, PeerError> {
        let content_type = match json_version {
            "1.0" => "application/x-amz-json-1.0",
            "1.1" => "application/x-amz-json-1.1",
            other => {
                return Err(PeerError::Endpoint {
                    url: endpoint.base.to_string(),
                    reason: format!("unknown AWS JSON protocol version {other:?}"),
                });
            }
        };
        Ok(AwsJson {
            endpoint,
            content_type,
            target_prefix: target_prefix.into(),
            signing_name: signing_name.into(),
        })
    }

    /// DynamoDB (JSON 1.0, `DynamoDB_20120810.Scan`).
    pub fn dynamodb(endpoint: Endpoint) -> AwsJson {
        AwsJson {
            endpoint,
            content_type: "application/x-amz-json-1.0",
            target_prefix: "DynamoDB_20120810".to_owned(),
            signing_name: "dynamodb".to_owned(),
        }
    }

    /// CloudWatch Logs (JSON 1.1, `Logs_20140328.DescribeLogGroups`).
    pub fn logs(endpoint: Endpoint) -> AwsJson {
        AwsJson {
            endpoint,
            content_type: "application/x-amz-json-1.1",
            target_prefix: "Logs_20140328".to_owned(),
            signing_name: "logs".to_owned(),
        }
    }

    /// Secrets Manager (JSON 1.1, `secretsmanager.ListSecrets`).
    pub fn secrets_manager(endpoint: Endpoint) -> AwsJson {
        AwsJson {
            endpoint,
            content_type: "application/x-amz-json-1.1",
            target_prefix: "secretsmanager".to_owned(),
            signing_name: "secretsmanager".to_owned(),
        }
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }
}

impl Protocol for AwsJson {
    fn prepare(
        &self,
        operation: &str,
        params: &Map<String, Value>,
    ) -> Result<HttpRequest, PeerError> {
        let body = serde_json::to_vec(params).map_err(|e| PeerError::Param {
            operation: operation.to_owned(),
            name: "(all)".to_owned(),
            problem: format!("cannot be written as JSON: {e}"),
        })?;
        let mut headers = vec![
            ("content-type".to_owned(), self.content_type.to_owned()),
            (
                "x-amz-target".to_owned(),
                format!("{}.{operation}", self.target_prefix),
            ),
        ];
        let payload_hash = sha256_hex(&body);
        let host = self.endpoint.host();
        let (date, authorization) = sign(
            &self.endpoint.credentials,
            &self.signing_name,
            &Signable {
                method: "POST",
                path: "/",
                query: "",
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
            method: Method::POST,
            url: self.endpoint.base.clone(),
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
        let HttpResponse { status, body, .. } = response;
        if !status.is_success() {
            // `{"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", …}`
            let code = serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|v| v.get("__type").and_then(Value::as_str).map(str::to_owned))
                .map(|t| t.rsplit('#').next().unwrap_or_default().to_owned());
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
        // Operations without output (CreateLogGroup) may answer with an empty body.
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Object(Map::new()));
        }
        match serde_json::from_slice::<Value>(&body) {
            Ok(page @ Value::Object(_)) => Ok(page),
            Ok(_) => Err(decode_error("not a JSON object".to_owned())),
            Err(e) => Err(decode_error(format!("not JSON: {e}"))),
        }
    }
}
