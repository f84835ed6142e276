//! The AWS JSON protocol (DynamoDB, CloudWatch Logs, Secrets Manager, …): every operation is a
//! `POST /` whose body is the params as JSON (what the ready transport builds from the route),
//! with the protocol's content type and the operation in the `X-Amz-Target` header; the
//! response body is the page, already in the JSON shape botocore's models describe, so the
//! clients hand it to the run unparsed ([`Wire::Json`]).

use paginated::PageRequest;
use paginated::route::Route;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde_json::Value;

use crate::error::PeerError;
use crate::http::{Endpoint, HttpRequest, Protocol, Wire};

/// Where every operation of the protocol goes.
const ROUTE: &str = "POST /";

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

    /// The route of every operation of the protocol: `POST /`, for models loaded from
    /// botocore, which carry none (`model.with_route(AwsJson::route_of("Scan")?)`).
    pub fn route_of(operation: &str) -> Result<Route, PeerError> {
        Route::parse(ROUTE).map_err(|e| PeerError::UnknownOperation {
            operation: format!("{operation} ({e})"),
            known: "every operation, at `POST /`",
        })
    }
}

impl Protocol for AwsJson {
    fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    fn signing_name(&self) -> &str {
        &self.signing_name
    }

    fn route(&self, operation: &str) -> Result<Route, PeerError> {
        AwsJson::route_of(operation)
    }

    fn prepare(&self, page: &PageRequest<'_>, request: &mut HttpRequest) -> Result<(), PeerError> {
        let header = |name: &str, text: String| {
            HeaderValue::try_from(text).map_err(|e| PeerError::Param {
                operation: page.operation().to_owned(),
                name: name.to_owned(),
                problem: format!("cannot be sent in an HTTP header: {e}"),
            })
        };
        request
            .headers
            .insert(CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        request.headers.insert(
            "x-amz-target",
            header(
                "(operation)",
                format!("{}.{}", self.target_prefix, page.operation()),
            )?,
        );
        // A route of another method would leave no body: the protocol always has one.
        if request.body.is_none() {
            request.body = Some(
                Value::Object(page.params().clone())
                    .to_string()
                    .into_bytes(),
            );
        }
        Ok(())
    }

    /// The body is the page: the client hands it to the run unparsed.
    fn wire(&self) -> Wire {
        Wire::Json
    }

    /// `{"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", …}`
    fn error_code(&self, body: &str) -> Option<String> {
        let error: Value = serde_json::from_str(body).ok()?;
        let kind = error.get("__type")?.as_str()?;
        kind.rsplit('#').next().map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::http::testing::prepared;
    use crate::sigv4::Credentials;
    use serde_json::json;

    fn dynamodb() -> AwsJson {
        AwsJson::dynamodb(Endpoint::new("http://127.0.0.1:9000", Credentials::unchecked()).unwrap())
    }

    #[test]
    fn operations_are_posted_with_their_target_and_signed() {
        let params = json!({"TableName": "t", "Limit": 2, "ExclusiveStartKey": {"pk": {"S": "é"}}});
        let request = prepared(dynamodb(), "Scan", &params).unwrap();
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.as_str(), "http://127.0.0.1:9000/");
        assert_eq!(
            request.headers["content-type"],
            "application/x-amz-json-1.0"
        );
        assert_eq!(request.headers["x-amz-target"], "DynamoDB_20120810.Scan");
        let body: Value = serde_json::from_slice(request.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, params);
        let authorization = request.headers["authorization"].to_str().unwrap();
        assert!(
            authorization.starts_with("AWS4-HMAC-SHA256 Credential=paginate-peers/")
                && authorization.contains("/us-east-1/dynamodb/aws4_request, ")
                && authorization
                    .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target, "),
            "{authorization}"
        );
        assert!(request.headers.contains_key("x-amz-date"));
    }

    #[test]
    fn bodies_are_pages_and_error_codes_are_read_as_the_protocol_sends_them() {
        let protocol = dynamodb();
        assert_eq!(protocol.wire(), Wire::Json);
        assert_eq!(
            protocol
                .error_code(
                    r#"{"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"}"#
                )
                .as_deref(),
            Some("ResourceNotFoundException")
        );
        assert_eq!(protocol.error_code("busy"), None);
    }
}
