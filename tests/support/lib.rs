//! Test support shared by the workspace tests: a scripted transport that records every
//! request, an in-memory S3 bucket, token helpers, and the wire a transport answers over
//! ([`Wire`], [`Wired`]): the same service answering each page as a `Value` or as its body.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::VecDeque;
use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use paginated::{Body, Content, Model, PageRequest, Reply, blocking, nonblocking};
use serde_json::{Value, json};

/// The error a scripted transport returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeError(pub String);

impl std::fmt::Display for FakeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "fake transport error: {}", self.0)
    }
}

impl std::error::Error for FakeError {}

/// Returns scripted responses in order and records the params of every request.
#[derive(Debug, Default)]
pub struct Scripted {
    responses: Mutex<VecDeque<Result<Value, FakeError>>>,
    calls: Mutex<Vec<(String, Value)>>,
}

impl Scripted {
    /// A transport that returns these pages, in order.
    pub fn new(pages: impl IntoIterator<Item = Value>) -> Scripted {
        Scripted::with_results(pages.into_iter().map(Ok))
    }

    /// A transport that returns these pages or errors, in order.
    pub fn with_results(results: impl IntoIterator<Item = Result<Value, FakeError>>) -> Scripted {
        Scripted {
            responses: Mutex::new(results.into_iter().collect()),
            calls: Mutex::new(Vec::new()),
        }
    }

    /// The params of every request, in order.
    pub fn calls(&self) -> Vec<Value> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .map(|(_, p)| p.clone())
            .collect()
    }

    /// The operation names of every request, in order.
    pub fn operations(&self) -> Vec<String> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .map(|(o, _)| o.clone())
            .collect()
    }
}

impl blocking::Transport for Scripted {
    type Error = FakeError;

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, FakeError> {
        let params = request.params();
        self.calls.lock().unwrap().push((
            request.operation().to_owned(),
            Value::Object(params.clone()),
        ));
        self.responses
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| Err(FakeError(format!("no response scripted for {params:?}"))))
            .map(Reply::value)
    }
}

/// Implements `nonblocking::Transport` for a blocking test transport: `fetch` completes at
/// once with what the blocking one answers.
#[macro_export]
macro_rules! answers_at_once {
    ($service:ty) => {
        impl ::paginated::nonblocking::Transport for $service {
            type Error = <$service as ::paginated::blocking::Transport>::Error;

            fn fetch(
                &self,
                request: ::paginated::PageRequest<'_>,
            ) -> impl ::std::future::Future<Output = Result<::paginated::Reply, Self::Error>> + Send
            {
                ::std::future::ready(::paginated::blocking::Transport::fetch(self, request))
            }
        }
    };
}

// The same scripted service, for async runs.
answers_at_once!(Scripted);

/// Base64 of a JSON text written by hand in Python's `json.dumps` format, as botocore
/// encodes tokens (SEMANTICS R1). The text is the expectation; only base64 is computed.
pub fn enc(python_json: &str) -> String {
    STANDARD.encode(python_json)
}

/// Decodes a token back to its JSON text, for readable assertion messages.
pub fn dec(token: &str) -> String {
    String::from_utf8(STANDARD.decode(token).expect("token is base64")).expect("token is UTF-8")
}

/// Collects an iterator of results, panicking on the first error.
pub fn all<I: Iterator<Item = Result<Value, paginated::Error>>>(it: I) -> Vec<Value> {
    it.collect::<Result<Vec<_>, _>>().unwrap()
}

/// Builds a model from botocore JSON text.
pub fn model(operation: &str, entry: Value) -> Model {
    Model::from_botocore(operation, &entry).unwrap()
}

/// An in-memory S3 bucket answering ListObjects (v1) as S3 does: keys after `Marker`, at most
/// `MaxKeys` (default 1000) per page, `IsTruncated`, and `NextMarker` only when a `Delimiter`
/// is given (so without one, the next marker comes from `Contents[-1].Key`). With a delimiter,
/// keys sharing a prefix up to it roll up into `CommonPrefixes`, each counted once per page.
#[derive(Debug)]
pub struct Bucket {
    keys: Vec<String>,
    requests: Mutex<u64>,
}

impl Bucket {
    /// A bucket holding these keys (sorted on creation).
    pub fn new(keys: impl IntoIterator<Item = String>) -> Bucket {
        let mut keys: Vec<String> = keys.into_iter().collect();
        keys.sort();
        keys.dedup();
        Bucket {
            keys,
            requests: Mutex::new(0),
        }
    }

    /// `n` keys named `key-00000` …
    pub fn numbered(n: usize) -> Bucket {
        Bucket::new((0..n).map(|i| format!("key-{i:05}")))
    }

    /// How many requests were served.
    pub fn requests(&self) -> u64 {
        *self.requests.lock().unwrap()
    }

    /// Every key, in order.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The S3 ListObjects model exactly as botocore's `s3/2006-03-01/paginators-1.json` has it.
    pub fn model() -> Model {
        model(
            "ListObjects",
            json!({
                "more_results": "IsTruncated",
                "limit_key": "MaxKeys",
                "output_token": "NextMarker || Contents[-1].Key",
                "input_token": "Marker",
                "result_key": ["Contents", "CommonPrefixes"]
            }),
        )
    }
}

impl blocking::Transport for Bucket {
    type Error = FakeError;

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, FakeError> {
        self.list(request.operation(), request.params())
            .map(Reply::value)
    }
}

impl Bucket {
    /// One ListObjects page, as S3 answers it.
    fn list(
        &self,
        operation: &str,
        params: &serde_json::Map<String, Value>,
    ) -> Result<Value, FakeError> {
        *self.requests.lock().unwrap() += 1;
        if operation != "ListObjects" {
            return Err(FakeError(format!("unknown operation {operation}")));
        }
        let marker = params.get("Marker").and_then(Value::as_str).unwrap_or("");
        let max = params
            .get("MaxKeys")
            .and_then(Value::as_u64)
            .unwrap_or(1000) as usize;
        let prefix = params.get("Prefix").and_then(Value::as_str).unwrap_or("");
        let delimiter = params.get("Delimiter").and_then(Value::as_str);
        let mut contents = Vec::new();
        let mut prefixes: Vec<String> = Vec::new();
        let mut last = None;
        let mut truncated = false;
        for key in self
            .keys
            .iter()
            .filter(|k| k.as_str() > marker && k.starts_with(prefix))
        {
            let rolled = delimiter.and_then(|d| {
                key[prefix.len()..]
                    .find(d)
                    .map(|at| key[..prefix.len() + at + d.len()].to_owned())
            });
            if let Some(p) = &rolled
                && prefixes.last() == Some(p)
            {
                last = Some(key.clone());
                continue;
            }
            if contents.len() + prefixes.len() == max {
                truncated = true;
                break;
            }
            match rolled {
                Some(p) => prefixes.push(p),
                None => contents.push(json!({"Key": key, "Size": key.len()})),
            }
            last = Some(key.clone());
        }
        let mut page = json!({
            "IsTruncated": truncated,
            "Marker": marker,
            "Name": "bucket",
            "MaxKeys": max,
        });
        if !contents.is_empty() {
            page["Contents"] = Value::Array(contents);
        }
        if !prefixes.is_empty() {
            page["CommonPrefixes"] = prefixes.iter().map(|p| json!({"Prefix": p})).collect();
        }
        if delimiter.is_some() && truncated {
            page["NextMarker"] = json!(last);
        }
        Ok(page)
    }
}

/// How many cases a property test runs: `PROPTEST_CASES` when set (for longer runs), else
/// `default`, chosen so the test fits in CI's time.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default)
}

/// How a transport hands a page to the run (SEMANTICS G8): as a parsed `Value`, or as the
/// response body, unparsed. Every rule holds the same over both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wire {
    /// `Content::Value`: the page as JSON the transport parsed.
    Value,
    /// `Content::Body`: the page as the bytes `serde_json::to_vec` writes for it.
    Body,
}

impl Wire {
    /// Both wires, the Value path first.
    pub const ALL: [Wire; 2] = [Wire::Value, Wire::Body];

    /// The reply as this wire carries it: a `Value` reply becomes its body on `Body`.
    pub fn carry(self, reply: Reply) -> Reply {
        match (self, reply.content()) {
            (Wire::Body, Content::Value(page)) => {
                let body = Reply::body(body_of(page))
                    .with_status(reply.status())
                    .with_headers(reply.headers().clone());
                match reply.url() {
                    Some(url) => body.with_url(url.clone()),
                    None => body,
                }
            }
            _ => reply,
        }
    }
}

/// The body a server would send for `page`: `serde_json::to_vec` of it.
pub fn body_of(page: &Value) -> Body {
    Body::from(serde_json::to_vec(page).expect("a Value always serializes"))
}

/// A transport handle `H` (an `Arc`, a `&`) whose pages travel over `wire`: with
/// [`Wire::Body`], every page the service answers as a `Value` reaches the run as its body,
/// and errors stay the service's. Blocking and async alike.
#[derive(Debug, Clone)]
pub struct Wired<H> {
    inner: H,
    wire: Wire,
}

impl<H> Wired<H> {
    /// `inner`, answering over `wire`.
    pub fn new(inner: H, wire: Wire) -> Wired<H> {
        Wired { inner, wire }
    }

    /// The wrapped handle.
    pub fn inner(&self) -> &H {
        &self.inner
    }

    /// The wire its pages travel over.
    pub fn wire(&self) -> Wire {
        self.wire
    }
}

impl<H> blocking::Transport for Wired<H>
where
    H: std::ops::Deref,
    H::Target: blocking::Transport,
{
    type Error = <H::Target as blocking::Transport>::Error;

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, Self::Error> {
        self.inner
            .fetch(request)
            .map(|reply| self.wire.carry(reply))
    }
}

impl<H> nonblocking::Transport for Wired<H>
where
    H: std::ops::Deref + Sync,
    H::Target: nonblocking::Transport,
{
    type Error = <H::Target as nonblocking::Transport>::Error;

    fn fetch(
        &self,
        request: PageRequest<'_>,
    ) -> impl Future<Output = Result<Reply, Self::Error>> + Send {
        let fetched = nonblocking::Transport::fetch(&*self.inner, request);
        let wire = self.wire;
        async move { fetched.await.map(|reply| wire.carry(reply)) }
    }
}
