//! What only response bodies have (SEMANTICS G8): pages that arrive as bytes the engine reads
//! itself. Bodies that are not JSON end the run with `Error::PageNotJson` naming the page,
//! resumably (L7); everything else a body can say, the same page given as a `Value` says too,
//! so every other case here runs a script of page *texts* twice, once parsed into `Value`s
//! (`Content::Value`) and once as bodies (`Content::Body`), through the blocking iterators and the
//! async streams, with and without lookahead, and asserts that both paths hand out the same
//! pages, items, search results, full results, typed values, errors, requests and resume
//! tokens after every step; a case also asserts what SEMANTICS.md says the common answer is,
//! so that the two paths cannot agree on a wrong one. The runs and the comparison are the
//! driver matrix's (`matrix::record`): `observe` is one run, `both` its `every_way`.
//!
//! - `not_json`: bodies that are not UTF-8 JSON (G8, L7);
//! - `shapes`: pages that are not objects, result keys of the wrong type, duplicate keys,
//!   escaped keys, whitespace, numbers and unicode (G8, L7, M1, G2, G4);
//! - `tokens`: dotted result keys, token expressions, non-aggregate keys, string and object
//!   primaries, offsets and resumes, duplicate tokens and cycles (L2, L6, M2, R2, R6, G4);
//! - `typed`: typed pages, items and full results, and search (G1, G2, G3);
//! - `whole_page`: pages that are bare arrays (`result_key = "@"`, P1), with tokens read from
//!   their last element or URLs from a `Link` header (P2, P10);
//! - `property`: random page texts of random shapes, both paths, every view.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use paginate_tests::{FakeError, Wire};
use paginated::{DuplicateTokenPolicy, Model, PageRequest, PaginationConfig, Reply, blocking};
use serde_json::{Value, json};

// Each test target uses its own part of the driver layer.
#[allow(dead_code)]
#[path = "matrix/mod.rs"]
mod matrix;

use matrix::Driver;
use matrix::record;
pub(crate) use matrix::record::{Item, Listing, Seen, View, shown};

#[path = "body_pages/not_json.rs"]
mod not_json;
#[path = "body_pages/property.rs"]
mod property;
#[path = "body_pages/shapes.rs"]
mod shapes;
#[path = "body_pages/tokens.rs"]
mod tokens;
#[path = "body_pages/typed.rs"]
mod typed;
#[path = "body_pages/whole_page.rs"]
mod whole_page;

/// One answer of the scripted service.
#[derive(Debug, Clone)]
pub(crate) enum Answer {
    /// A page written as JSON text: parsed into a `Value` on the Value path, sent as it is on
    /// the body path.
    Text(String),
    /// Bytes that are not JSON: only the body path can carry them.
    Raw(Vec<u8>),
    /// A transport failure (L7).
    Fail(&'static str),
    /// A page text sent with a `Link` header (P10), answering a request that must go to `url`
    /// (`None`: the route, as a first request does; anything else is answered with an error).
    /// The reply says it was fetched from that URL, or from [`ROUTE_URL`] for the route.
    Linked {
        page: String,
        link: &'static str,
        url: Option<&'static str>,
    },
}

/// The URL the route's requests go to, for replies to them to say so (`Reply::with_url`).
pub(crate) const ROUTE_URL: &str = "https://api.example.com/repos/o/r/issues";

/// A page's JSON text.
pub(crate) fn text(page: &str) -> Answer {
    Answer::Text(page.to_owned())
}

/// The texts of these pages.
pub(crate) fn texts(pages: &[&str]) -> Vec<Answer> {
    pages.iter().map(|p| text(p)).collect()
}

/// Answers a script in order over one wire (the matrix records the requests).
#[derive(Debug)]
pub(crate) struct Texts {
    answers: Mutex<VecDeque<Answer>>,
    wire: Wire,
}

impl Texts {
    pub(crate) fn new(wire: Wire, answers: &[Answer]) -> Arc<Texts> {
        Arc::new(Texts {
            answers: Mutex::new(answers.iter().cloned().collect()),
            wire,
        })
    }
}

impl blocking::Transport for Texts {
    type Error = FakeError;

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, FakeError> {
        let answer = self.answers.lock().unwrap().pop_front();
        match (answer, self.wire) {
            (Some(Answer::Text(page)), Wire::Value) => Ok(Reply::value(
                serde_json::from_str(&page).expect("a page text of the script is JSON"),
            )),
            (Some(Answer::Text(page)), Wire::Body) => Ok(Reply::body(page)),
            (Some(Answer::Raw(bytes)), Wire::Body) => Ok(Reply::body(bytes)),
            (Some(Answer::Raw(_)), Wire::Value) => panic!("bytes that are not JSON have no Value"),
            (Some(Answer::Fail(why)), _) => Err(FakeError(why.to_owned())),
            (Some(Answer::Linked { page, link, url }), wire) => {
                let to = request.url().map(url::Url::as_str);
                if to != url {
                    return Err(FakeError(format!("a request to {to:?}, expected {url:?}")));
                }
                let reply = match wire {
                    Wire::Value => Reply::value(serde_json::from_str(&page).unwrap()),
                    Wire::Body => Reply::body(page),
                };
                let mut headers = http::HeaderMap::new();
                headers.insert(http::header::LINK, http::HeaderValue::from_static(link));
                let from = url::Url::parse(url.unwrap_or(ROUTE_URL)).unwrap();
                Ok(reply.with_headers(headers).with_url(from))
            }
            (None, _) => Err(FakeError(format!("no answer scripted for {request:?}"))),
        }
    }
}

paginate_tests::answers_at_once!(Texts);

/// The options of a run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Opts {
    pub(crate) max_items: Option<u64>,
    pub(crate) token: Option<String>,
    pub(crate) policy: Option<DuplicateTokenPolicy>,
}

impl Opts {
    /// These options as a run's configuration.
    fn config(&self) -> PaginationConfig {
        let mut config = PaginationConfig::default().starting_token(self.token.clone());
        if let Some(n) = self.max_items {
            config = config.max_items(n);
        }
        if let Some(policy) = self.policy {
            config = config.duplicate_tokens(policy);
        }
        config
    }
}

/// The four drivers.
pub(crate) const MODES: [Driver; 4] = Driver::ALL;

/// The params of every run.
fn params() -> Value {
    json!({"Fixed": "param"})
}

/// One run of `model` over `answers`, carried over `wire`, driven by `driver`, read through
/// `view` (the matrix's `observe`).
pub(crate) fn observe(
    model: &Model,
    answers: &[Answer],
    opts: &Opts,
    view: View,
    wire: Wire,
    driver: Driver,
) -> Seen {
    let api = Texts::new(wire, answers);
    record::observe(model, api, params(), &opts.config(), view, driver)
}

/// Runs `answers` over both wires with every driver, asserts that the body path hands out
/// exactly what the Value path does, with the same driver and with the blocking one, and
/// returns what they agree on (the matrix's `every_way`). Lookahead sends exactly the
/// requests of the blocking driver (G7), also when an error comes from reading a page the
/// run accepted.
pub(crate) fn both(model: &Model, answers: &[Answer], opts: &Opts, view: View) -> Seen {
    let what = format!("{opts:?}, script {answers:?}");
    let fresh = |wire| Texts::new(wire, answers);
    record::every_way(fresh, model, &params(), &opts.config(), view, &what)
}

/// `both` for a run with default options.
pub(crate) fn same(model: &Model, pages: &[&str], view: View) -> Seen {
    both(model, &texts(pages), &Opts::default(), view)
}

/// `Marker → NextMarker`, result keys `Contents` and `CommonPrefixes`.
pub(crate) fn listing() -> Model {
    paginate_tests::model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker",
               "result_key": ["Contents", "CommonPrefixes"]}),
    )
}
