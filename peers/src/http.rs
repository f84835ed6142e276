//! The two paginate transports, blocking and async, over any [`Protocol`]: both are the
//! project's ready HTTP transports ([`BlockingHttpTransport`], [`HttpTransport`]) with the
//! protocol plugged into their hooks, so they send the same requests:
//!
//! 1. the transport fills the operation's [`Route`] (the model's, or the protocol's when the
//!    model has none) and puts the other params in the query string or a JSON body;
//! 2. an `on_request` hook makes that the protocol's request ([`Protocol::prepare`]: headers,
//!    S3's parameter names, S3's bodies);
//! 3. a second one, last, signs the final request with AWS Signature Version 4;
//! 4. a success body is the page: a protocol whose bodies are the page's JSON
//!    ([`Wire::Json`], AWS JSON) hands it to the run unparsed, as a [`Content::Body`](paginated::Content::Body), so the
//!    run takes the body path every user of the ready transports takes; a protocol whose
//!    bodies are another format ([`Wire::Decoded`], S3's XML) reads it in a `decode_with`
//!    hook ([`Protocol::decode`]) and hands the run that page written out as JSON text, also
//!    a [`Content::Body`](paginated::Content::Body), so every peer test reads its pages through the body path;
//! 5. an error status becomes a [`PeerError::Status`] with the AWS error code of its body
//!    ([`Protocol::error_code`]).
//!
//! Each client counts the replies it gives by kind ([`Replies`]), so a test can tell which
//! path its pages took.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use paginated::http::{BlockingHttpTransport, HttpError, HttpTransport};
use paginated::route::Route;
use paginated::{BoxError, Content, PageRequest, Reply, blocking, nonblocking};
use reqwest::Url;
use serde_json::{Map, Value};

pub use paginated::http::{HttpRequest, HttpResponse};

use crate::error::PeerError;
use crate::replies::{Counter, Replies};
use crate::sigv4::{Credentials, sign_request};

/// How long one request may take before it fails: a hung server fails the test loudly.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A server's base URL and the credentials requests to it are signed with.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub(crate) base: Url,
    pub(crate) credentials: Credentials,
}

impl Endpoint {
    /// An endpoint at `url` (`http://127.0.0.1:port`), signing with `credentials`.
    pub fn new(url: &str, credentials: Credentials) -> Result<Endpoint, PeerError> {
        let bad = |reason: &str| PeerError::Endpoint {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let base = Url::parse(url).map_err(|e| bad(&e.to_string()))?;
        if base.scheme() != "http" {
            return Err(bad("the scheme must be `http` (these clients have no TLS)"));
        }
        if base.host_str().is_none() || base.path() != "/" || base.query().is_some() {
            return Err(bad("expected `http://host:port` with no path or query"));
        }
        Ok(Endpoint { base, credentials })
    }

    /// The base URL.
    pub fn url(&self) -> &Url {
        &self.base
    }
}

/// A wire protocol of AWS, as hooks of the ready HTTP transports: where each operation goes,
/// how the request the transport built becomes the protocol's, and how a response becomes
/// the JSON page botocore's models describe.
pub trait Protocol: Send + Sync + 'static {
    /// The server, and the credentials requests are signed with.
    fn endpoint(&self) -> &Endpoint;

    /// The service name of the SigV4 credential scope (`dynamodb`, `s3`), which moto routes
    /// by.
    fn signing_name(&self) -> &str;

    /// The route of `operation`, for a model that has none (botocore's paginator models
    /// carry no route) and for calls outside a run.
    fn route(&self, operation: &str) -> Result<Route, PeerError>;

    /// Makes the request the transport built from the route into this protocol's (headers,
    /// parameter names, body). Signing comes after it.
    fn prepare(&self, page: &PageRequest<'_>, request: &mut HttpRequest) -> Result<(), PeerError>;

    /// What the protocol's success bodies are: the page's JSON, handed to the run unparsed,
    /// or another format that [`Protocol::decode`] reads.
    fn wire(&self) -> Wire;

    /// Reads the body of a success response into the page, for a [`Wire::Decoded`] protocol;
    /// `Err` says what is wrong with it. A [`Wire::Json`] protocol's bodies are not decoded,
    /// so this is not called for it: the default refuses.
    fn decode(&self, page: &PageRequest<'_>, response: &HttpResponse<'_>) -> Result<Value, String> {
        let _ = response;
        Err(format!(
            "{}: this protocol's bodies are JSON pages, read by the run, not decoded",
            page.operation()
        ))
    }

    /// The AWS error code in (the start of) an error body, if it has one.
    fn error_code(&self, body: &str) -> Option<String>;
}

/// What a protocol's success bodies are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// The page itself, as a JSON object (AWS JSON): the client hands the body to the run
    /// unparsed ([`Content::Body`](paginated::Content::Body)), and the run reads only what its rules need from the text.
    /// An empty body (an operation without output, such as CloudWatch Logs' CreateLogGroup)
    /// is the empty page `{}`.
    Json,
    /// Another format (S3's XML), read into the JSON page botocore's models describe by
    /// [`Protocol::decode`]. The client writes that page out as JSON text and answers it as a
    /// [`Content::Body`](paginated::Content::Body), so the run reads S3's pages, with their odd keys and escapes, through
    /// the same body reader as every other service's (G8); the decode hook's own
    /// [`Content::Value`](paginated::Content::Value) path is tested without a peer, in `tests/http`.
    Decoded,
}

/// The protocol's `on_request` hook.
fn prepare_hook<P: Protocol>(
    protocol: &P,
    page: &PageRequest<'_>,
    request: &mut HttpRequest,
) -> Result<(), BoxError> {
    Ok(protocol.prepare(page, request)?)
}

/// The signing hook, registered last.
fn sign_hook<P: Protocol>(
    protocol: &P,
    page: &PageRequest<'_>,
    request: &mut HttpRequest,
) -> Result<(), BoxError> {
    let endpoint = protocol.endpoint();
    sign_request(
        &endpoint.credentials,
        protocol.signing_name(),
        request,
        SystemTime::now(),
    )
    .map_err(|reason| {
        Box::new(PeerError::Signing {
            operation: page.operation().to_owned(),
            reason,
        }) as BoxError
    })
}

/// The protocol's `decode_with` hook.
fn decode_hook<P: Protocol>(
    protocol: &P,
    page: &PageRequest<'_>,
    response: &HttpResponse<'_>,
) -> Result<Value, BoxError> {
    Ok(protocol.decode(page, response)?)
}

/// Adds `protocol`'s hooks to a ready transport, blocking or async (they share the hook
/// setters, not a trait): the protocol's own request hook, then SigV4 signing over the final
/// request, then, for a [`Wire::Decoded`] protocol only, the protocol's body decoding (a
/// [`Wire::Json`] protocol's bodies go to the run as they are).
macro_rules! with_protocol_hooks {
    ($transport:expr, $protocol:expr) => {{
        let (p, s, d) = ($protocol.clone(), $protocol.clone(), $protocol.clone());
        let transport = $transport
            .on_request(move |page, request| prepare_hook(&*p, page, request))
            .on_request(move |page, request| sign_hook(&*s, page, request));
        match $protocol.wire() {
            Wire::Json => transport,
            Wire::Decoded => {
                transport.decode_with(move |page, response| decode_hook(&*d, page, response))
            }
        }
    }};
}

/// The ready blocking transport with `protocol`'s hooks.
pub(crate) fn blocking_transport<P: Protocol>(
    protocol: &Arc<P>,
) -> Result<BlockingHttpTransport, PeerError> {
    let client = reqwest::blocking::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .map_err(PeerError::Client)?;
    let transport = BlockingHttpTransport::new(client, protocol.endpoint().base.as_str())
        .map_err(|e| PeerError::from_http(e, |_| None))?;
    Ok(with_protocol_hooks!(transport, protocol))
}

/// The ready async transport with `protocol`'s hooks.
fn async_transport<P: Protocol>(protocol: &Arc<P>) -> Result<HttpTransport, PeerError> {
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .map_err(PeerError::Client)?;
    let transport = HttpTransport::new(client, protocol.endpoint().base.as_str())
        .map_err(|e| PeerError::from_http(e, |_| None))?;
    Ok(with_protocol_hooks!(transport, protocol))
}

/// A blocking paginate [`blocking::Transport`]: the ready [`BlockingHttpTransport`]
/// speaking `P`.
///
/// A run sends each page to its model's route, or to the protocol's route for the operation
/// when the model has none; [`BlockingClient::call`] (set-up requests) uses the protocol's.
/// Build, use and drop it outside any async runtime: `reqwest::blocking` runs its own.
#[derive(Debug, Clone)]
pub struct BlockingClient<P> {
    protocol: Arc<P>,
    http: BlockingHttpTransport,
    counter: Arc<Counter>,
}

impl<P: Protocol> BlockingClient<P> {
    /// A client speaking `protocol`.
    pub fn new(protocol: P) -> Result<BlockingClient<P>, PeerError> {
        let protocol = Arc::new(protocol);
        let http = blocking_transport(&protocol)?;
        Ok(BlockingClient {
            protocol,
            http,
            counter: Arc::default(),
        })
    }

    /// The protocol this client speaks.
    pub fn protocol(&self) -> &P {
        &self.protocol
    }

    /// The ready transport under it, hooks in place.
    pub fn transport(&self) -> &BlockingHttpTransport {
        &self.http
    }

    /// The replies this client (and its clones) gave so far, by kind.
    pub fn replies(&self) -> Replies {
        self.counter.replies()
    }

    /// Sends one request outside a run (set-up: tables, items, buckets) to the protocol's
    /// route for `operation`, and answers with the page as JSON (a body is parsed here).
    pub fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, PeerError> {
        let reply = blocking::Transport::fetch(self, PageRequest::new(operation, params))?;
        page_of(operation, reply)
    }
}

impl<P: Protocol> blocking::Transport for BlockingClient<P> {
    type Error = PeerError;

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, PeerError> {
        let fallback;
        let request = match request.route() {
            Some(_) => request,
            None => {
                fallback = self.protocol.route(request.operation())?;
                request.with_route(&fallback)
            }
        };
        let reply = read_reply(&*self.protocol, self.http.fetch(request))?;
        self.counter.count(&reply);
        Ok(reply)
    }
}

/// The reply of the ready transport as the protocol's: a [`Wire::Decoded`] page is written
/// out as JSON text, an empty body of a [`Wire::Json`] protocol is the empty page (the ready
/// transport refuses it as not JSON), and a failure is a
/// [`PeerError`] with the AWS error code of an error body.
fn read_reply<P: Protocol>(
    protocol: &P,
    answer: Result<Reply, HttpError>,
) -> Result<Reply, PeerError> {
    match answer.map(Reply::into_content) {
        Ok(Content::Value(page)) if protocol.wire() == Wire::Decoded => {
            let text = serde_json::to_vec(&page).map_err(|e| PeerError::NotJson {
                operation: "a decoded page".to_owned(),
                reason: e.to_string(),
            })?;
            Ok(Reply::body(text))
        }
        Ok(content) => Ok(Reply::from(content)),
        Err(HttpError::NotJson { body, source, .. })
            if protocol.wire() == Wire::Json && source.is_eof() && body.trim().is_empty() =>
        {
            Ok(Reply::value(Value::Object(Map::new())))
        }
        Err(error) => Err(read_error(protocol, error)),
    }
}

fn read_error<P: Protocol>(protocol: &P, error: HttpError) -> PeerError {
    PeerError::from_http(error, |body| protocol.error_code(body))
}

/// The page of a reply as JSON: a body is parsed, a value is the page.
pub fn page_of(operation: &str, reply: Reply) -> Result<Value, PeerError> {
    match reply.into_content() {
        Content::Body(body) => body.parse().map_err(|e| PeerError::NotJson {
            operation: operation.to_owned(),
            reason: e.to_string(),
        }),
        Content::Value(page) => Ok(page),
        other => Err(PeerError::NotJson {
            operation: operation.to_owned(),
            reason: format!("a reply of a kind this client does not know: {other:?}"),
        }),
    }
}

/// An async paginate [`nonblocking::Transport`]: the ready [`HttpTransport`] over
/// `reqwest::Client` speaking `P`, routed and counted as [`BlockingClient`] is.
#[derive(Debug, Clone)]
pub struct AsyncClient<P> {
    protocol: Arc<P>,
    http: HttpTransport,
    counter: Arc<Counter>,
}

impl<P: Protocol> AsyncClient<P> {
    /// A client speaking `protocol`.
    pub fn new(protocol: P) -> Result<AsyncClient<P>, PeerError> {
        let protocol = Arc::new(protocol);
        let http = async_transport(&protocol)?;
        Ok(AsyncClient {
            protocol,
            http,
            counter: Arc::default(),
        })
    }

    /// The protocol this client speaks.
    pub fn protocol(&self) -> &P {
        &self.protocol
    }

    /// The ready transport under it, hooks in place.
    pub fn transport(&self) -> &HttpTransport {
        &self.http
    }

    /// The replies this client (and its clones) gave so far, by kind.
    pub fn replies(&self) -> Replies {
        self.counter.replies()
    }

    /// Sends one request outside a run to the protocol's route for `operation`, and answers
    /// with the page as JSON; see [`BlockingClient::call`].
    pub async fn call(
        &self,
        operation: &str,
        params: &Map<String, Value>,
    ) -> Result<Value, PeerError> {
        let reply =
            nonblocking::Transport::fetch(self, PageRequest::new(operation, params)).await?;
        page_of(operation, reply)
    }
}

impl<P: Protocol> nonblocking::Transport for AsyncClient<P> {
    type Error = PeerError;

    async fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, PeerError> {
        let fallback;
        let request = match request.route() {
            Some(_) => request,
            None => {
                fallback = self.protocol.route(request.operation())?;
                request.with_route(&fallback)
            }
        };
        let answer = nonblocking::Transport::fetch(&self.http, request).await;
        let reply = read_reply(&*self.protocol, answer)?;
        self.counter.count(&reply);
        Ok(reply)
    }
}

/// What the protocols' unit tests share: the request a client would send, caught by a last
/// hook before it leaves.
#[cfg(test)]
pub(crate) mod testing {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::sync::{Arc, Mutex};

    use super::*;

    /// The signed request `protocol` sends for `operation` with `params`, or the error it
    /// fails with before anything is sent.
    pub(crate) fn prepared<P: Protocol>(
        protocol: P,
        operation: &str,
        params: &Value,
    ) -> Result<HttpRequest, PeerError> {
        let protocol = Arc::new(protocol);
        let caught: Arc<Mutex<Option<HttpRequest>>> = Arc::default();
        let keep = caught.clone();
        let http = blocking_transport(&protocol)
            .unwrap()
            .on_request(move |_, request| {
                *keep.lock().unwrap() = Some(request.clone());
                Err("caught before sending".into())
            });
        let route = protocol.route(operation)?;
        let params = params.as_object().cloned().unwrap();
        let error = blocking::Transport::fetch(
            &http,
            PageRequest::new(operation, &params).with_route(&route),
        )
        .unwrap_err();
        match caught.lock().unwrap().take() {
            Some(request) => Ok(request),
            None => Err(read_error(&*protocol, error)),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;

    use super::*;
    use crate::json::AwsJson;
    use serde_json::json;

    /// A server on 127.0.0.1 that answers `requests` requests with `status` and `body`, and
    /// hands back the head (request line and headers) of each; listening once bound.
    fn server(
        requests: usize,
        status: &'static str,
        body: &'static str,
    ) -> (String, std::thread::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut heads = Vec::new();
            for _ in 0..requests {
                let (stream, _) = listener.accept().unwrap();
                let mut reader = BufReader::new(stream);
                let mut head = String::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap();
                    }
                    if line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                let mut payload = vec![0; length];
                reader.read_exact(&mut payload).unwrap();
                let answer = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                reader.get_mut().write_all(answer.as_bytes()).unwrap();
                heads.push(head);
            }
            heads
        });
        (url, handle)
    }

    #[test]
    fn runs_go_to_the_models_route_and_calls_to_the_protocols() {
        let (url, handle) = server(2, "200 OK", "{\"Count\": 0}");
        let endpoint = Endpoint::new(&url, Credentials::unchecked()).unwrap();
        let client = BlockingClient::new(AwsJson::dynamodb(endpoint)).unwrap();
        let params = json!({"TableName": "t"}).as_object().cloned().unwrap();
        let route = Route::parse("POST /declared/{TableName}").unwrap();
        let page = blocking::Transport::fetch(
            &client,
            PageRequest::new("Scan", &params).with_route(&route),
        )
        .unwrap();
        // AWS JSON: the body as it came, for the run to read.
        assert_eq!(page, Reply::body("{\"Count\": 0}"));
        assert_eq!(client.call("Scan", &params).unwrap(), json!({"Count": 0}));
        assert_eq!(
            client.replies(),
            Replies {
                bodies: 2,
                values: 0
            }
        );
        let heads = handle.join().unwrap();
        assert!(
            heads[0].starts_with("POST /declared/t HTTP/1.1\r\n"),
            "{}",
            heads[0]
        );
        assert!(heads[1].starts_with("POST / HTTP/1.1\r\n"), "{}", heads[1]);
        for head in &heads {
            let head = head.to_ascii_lowercase();
            assert!(
                head.contains("x-amz-target: dynamodb_20120810.scan\r\n"),
                "{head}"
            );
            assert!(
                head.contains("authorization: aws4-hmac-sha256 credential="),
                "{head}"
            );
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn error_statuses_carry_the_aws_error_code_of_their_body() {
        let (url, handle) = server(
            1,
            "400 Bad Request",
            r#"{"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"}"#,
        );
        let endpoint = Endpoint::new(&url, Credentials::unchecked()).unwrap();
        let client = AsyncClient::new(AwsJson::dynamodb(endpoint)).unwrap();
        let params = Map::new();
        let error = client.call("Scan", &params).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(400), "{error}");
        assert_eq!(error.code(), Some("ResourceNotFoundException"), "{error}");
        assert_eq!(
            error.to_string(),
            format!(
                "Scan: POST {url}/ returned HTTP 400 Bad Request (ResourceNotFoundException): \
                 {{\"__type\": \"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\"}}"
            )
        );
        handle.join().unwrap();
        assert_eq!(client.replies(), Replies::default(), "an error is no reply");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn an_empty_json_body_is_the_empty_page_and_other_text_is_refused() {
        let (url, handle) = server(1, "200 OK", "");
        let endpoint = Endpoint::new(&url, Credentials::unchecked()).unwrap();
        let client = AsyncClient::new(AwsJson::logs(endpoint)).unwrap();
        let page = client.call("CreateLogGroup", &Map::new()).await.unwrap();
        assert_eq!(page, json!({}));
        assert_eq!(
            client.replies(),
            Replies {
                bodies: 0,
                values: 1
            }
        );
        handle.join().unwrap();

        let (url, handle) = server(1, "200 OK", "<html>busy</html>");
        let endpoint = Endpoint::new(&url, Credentials::unchecked()).unwrap();
        let client = AsyncClient::new(AwsJson::logs(endpoint)).unwrap();
        let error = client
            .call("DescribeLogGroups", &Map::new())
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(200), "{error}");
        assert!(
            error.to_string().contains("is not JSON: <html>busy</html>"),
            "{error}"
        );
        handle.join().unwrap();
    }
}
