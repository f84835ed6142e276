//! What only response bodies have (SEMANTICS G8): pages that arrive as bytes the engine reads
//! itself. Bodies that are not JSON end the run with `Error::PageNotJson` naming the page,
//! resumably (L7); everything else a body can say, the same page given as a `Value` says too,
//! so every other case here runs a script of page *texts* twice, once parsed into `Value`s
//! (`Reply::Value`) and once as bodies (`Reply::Body`), through the blocking iterators and the
//! async streams, with and without lookahead, and asserts that both paths hand out the same
//! pages, items, search results, full results, typed values, errors, requests and resume
//! tokens after every step; a case also asserts what SEMANTICS.md says the common answer is,
//! so that the two paths cannot agree on a wrong one.
//!
//! - `not_json`: bodies that are not UTF-8 JSON (G8, L7);
//! - `shapes`: pages that are not objects, result keys of the wrong type, duplicate keys,
//!   escaped keys, whitespace, numbers and unicode (G8, L7, M1, G2, G4);
//! - `tokens`: dotted result keys, token expressions, non-aggregate keys, string and object
//!   primaries, offsets and resumes, duplicate tokens and cycles (L2, L6, M2, R2, R6, G4);
//! - `typed`: typed pages, items and full results, and search (G1, G2, G3);
//! - `property`: random page texts of random shapes, both paths, every view.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use paginate_tests::{FakeError, Wire};
use paginated::{Body, DuplicateTokenPolicy, Error, Model, PageRequest, Reply, blocking};
use serde::Deserialize;
use serde_json::{Value, json};

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
}

/// A page's JSON text.
pub(crate) fn text(page: &str) -> Answer {
    Answer::Text(page.to_owned())
}

/// The texts of these pages.
pub(crate) fn texts(pages: &[&str]) -> Vec<Answer> {
    pages.iter().map(|p| text(p)).collect()
}

/// Answers a script in order over one wire, and records the params of every request.
#[derive(Debug)]
pub(crate) struct Texts {
    answers: Mutex<VecDeque<Answer>>,
    calls: Mutex<Vec<Value>>,
    wire: Wire,
}

impl Texts {
    pub(crate) fn new(wire: Wire, answers: &[Answer]) -> Arc<Texts> {
        Arc::new(Texts {
            answers: Mutex::new(answers.iter().cloned().collect()),
            calls: Mutex::new(Vec::new()),
            wire,
        })
    }

    /// The params of every request, in order.
    pub(crate) fn calls(&self) -> Vec<Value> {
        self.calls.lock().unwrap().clone()
    }
}

impl blocking::Transport for Texts {
    type Error = FakeError;

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, FakeError> {
        self.calls
            .lock()
            .unwrap()
            .push(Value::Object(request.params().clone()));
        let answer = self.answers.lock().unwrap().pop_front();
        match (answer, self.wire) {
            (Some(Answer::Text(page)), Wire::Value) => Ok(Reply::Value(
                serde_json::from_str(&page).expect("a page text of the script is JSON"),
            )),
            (Some(Answer::Text(page)), Wire::Body) => Ok(Reply::Body(Body::from(page))),
            (Some(Answer::Raw(bytes)), Wire::Body) => Ok(Reply::Body(Body::from(bytes))),
            (Some(Answer::Raw(_)), Wire::Value) => panic!("bytes that are not JSON have no Value"),
            (Some(Answer::Fail(why)), _) => Err(FakeError(why.to_owned())),
            (None, _) => Err(FakeError(format!("no answer scripted for {request:?}"))),
        }
    }
}

paginate_tests::answers_at_once!(Texts);

/// What a run is read through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    Pages,
    Items,
    ItemsOf(&'static str),
    Search(&'static str),
    Full,
    /// `typed::<Listing, Item>()` pages.
    TypedPages,
    /// `items().typed::<Item>()`.
    TypedItems,
    /// `build_full_result_as::<Listing>()`.
    TypedFull,
}

impl View {
    /// Every view; `ItemsOf` and `Search` with the given key and expression.
    pub(crate) fn all(secondary: &'static str, search: &'static str) -> [View; 8] {
        [
            View::Pages,
            View::Items,
            View::ItemsOf(secondary),
            View::Search(search),
            View::Full,
            View::TypedPages,
            View::TypedItems,
            View::TypedFull,
        ]
    }
}

/// The typed item of the typed views: an S3-style object.
#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct Item {
    #[serde(rename = "Key")]
    pub(crate) key: String,
    #[serde(rename = "Size")]
    pub(crate) size: Option<u64>,
}

/// The typed page and full result of the typed views.
#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct Listing {
    #[serde(rename = "Contents", default)]
    pub(crate) contents: Vec<Item>,
    #[serde(rename = "NextMarker")]
    pub(crate) next_marker: Option<String>,
}

/// The options of a run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Opts {
    pub(crate) max_items: Option<u64>,
    pub(crate) token: Option<String>,
    pub(crate) policy: Option<DuplicateTokenPolicy>,
}

/// How a run is driven.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mode {
    pub(crate) asynchronous: bool,
    pub(crate) lookahead: bool,
}

/// The four drivers.
pub(crate) const MODES: [Mode; 4] = [
    Mode {
        asynchronous: false,
        lookahead: false,
    },
    Mode {
        asynchronous: true,
        lookahead: false,
    },
    Mode {
        asynchronous: false,
        lookahead: true,
    },
    Mode {
        asynchronous: true,
        lookahead: true,
    },
];

/// Everything one run handed out, as text: each step's result and the resume token after
/// it, how the run ended (the token once it ended, a full result, the state of the pages),
/// then the requests it sent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Seen {
    pub(crate) steps: Vec<(String, Option<String>)>,
    pub(crate) end: String,
    pub(crate) calls: Vec<Value>,
}

impl Seen {
    /// The step results alone.
    pub(crate) fn results(&self) -> Vec<&str> {
        self.steps.iter().map(|(r, _)| r.as_str()).collect()
    }

    /// The resume token once the run ended (after its last step, or before any).
    pub(crate) fn last_token(&self) -> Option<String> {
        let end = self.end.strip_prefix("token ")?;
        let token = end.split(';').next().unwrap_or(end);
        (token != "None").then(|| token.to_owned())
    }
}

/// An error as compared between the paths: its message, except that serde's position in
/// the text (` at line 1 column 9`), which a `Value` has not, is left out of a reason.
pub(crate) fn describe(e: &Error) -> String {
    let message = e.to_string();
    match e {
        Error::Deserialize { .. } | Error::DeserializeFullResult { .. } => {
            match message.rfind(" at line ") {
                Some(at) if message[at..].contains(" column ") => message[..at].to_owned(),
                _ => message,
            }
        }
        _ => message,
    }
}

/// A result as text: `Ok(Debug of the value)` or `Err(describe)`.
pub(crate) fn shown<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Ok(v) => format!("Ok({v:?})"),
        Err(e) => format!("Err({})", describe(&e)),
    }
}

/// Reads a run to its end: every result with the token after it, and the token once it
/// ended (`token …`). A run longer than 64 steps is a run that does not end.
macro_rules! steps {
    ($it:ident, $($aw:tt)*) => {{
        let mut steps = Vec::new();
        while let Some(next) = $it.next() $($aw)* {
            steps.push((shown(next), $it.resume_token()));
            assert!(steps.len() <= 64, "the run does not end: {steps:?}");
        }
        let end = match $it.resume_token() {
            Some(token) => format!("token {token}"),
            None => "token None".to_owned(),
        };
        (steps, end)
    }};
}

/// Reads `$pages` (`blocking::Pages` or `nonblocking::Pages`) through `$view`.
macro_rules! read {
    ($pages:expr, $view:expr, $($aw:tt)*) => {{
        let mut pages = $pages;
        match $view {
            View::Pages => {
                let (steps, end) = steps!(pages, $($aw)*);
                let end = format!(
                    "{end}; stopped by max_items: {}, non-aggregate part: {:?}",
                    pages.stopped_by_max_items(),
                    pages.non_aggregate_part()
                );
                (steps, end)
            }
            View::Items => {
                let mut it = pages.items();
                steps!(it, $($aw)*)
            }
            View::ItemsOf(key) => match pages.items_of(key) {
                Ok(mut it) => steps!(it, $($aw)*),
                Err(e) => (Vec::new(), shown::<()>(Err(e))),
            },
            View::Search(expression) => match pages.search(expression) {
                Ok(mut it) => steps!(it, $($aw)*),
                Err(e) => (Vec::new(), shown::<()>(Err(e))),
            },
            View::Full => (Vec::new(), shown(pages.build_full_result() $($aw)*)),
            View::TypedPages => {
                let mut it = pages.typed::<Listing, Item>();
                steps!(it, $($aw)*)
            }
            View::TypedItems => {
                let mut it = pages.items().typed::<Item>();
                steps!(it, $($aw)*)
            }
            View::TypedFull => (Vec::new(), shown(pages.build_full_result_as::<Listing>() $($aw)*)),
        }
    }};
}

/// Applies `Opts` to `blocking::Pages` or `nonblocking::Pages`.
macro_rules! configure {
    ($pages:expr, $opts:expr) => {{
        let (mut pages, opts) = ($pages, $opts);
        if let Some(n) = opts.max_items {
            pages = pages.max_items(n);
        }
        if let Some(policy) = opts.policy {
            pages = pages.duplicate_tokens(policy);
        }
        pages.starting_token(opts.token.clone())
    }};
}

/// One run of `model` over `answers`, carried over `wire`, driven as `mode`, read through
/// `view`.
pub(crate) fn observe(
    model: &Model,
    answers: &[Answer],
    opts: &Opts,
    view: View,
    wire: Wire,
    mode: Mode,
) -> Seen {
    let api = Texts::new(wire, answers);
    let params = json!({"Fixed": "param"});
    let (steps, end) = if mode.asynchronous {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut pages = model.paginate_async(api.clone(), params);
        if mode.lookahead {
            pages = pages.lookahead();
        }
        runtime.block_on(async { read!(configure!(pages, opts), view, .await) })
    } else {
        let mut pages = model.paginate(api.clone(), params);
        if mode.lookahead {
            pages = pages.lookahead();
        }
        read!(configure!(pages, opts), view,)
    };
    Seen {
        steps,
        end,
        calls: api.calls(),
    }
}

/// Runs `answers` over both wires with every driver, asserts that the body path hands out
/// exactly what the Value path does, with the same driver and with the blocking one, and
/// returns what they agree on. Lookahead sends exactly the requests of the blocking driver
/// (G7), also when an error comes from reading a page the run accepted.
pub(crate) fn both(model: &Model, answers: &[Answer], opts: &Opts, view: View) -> Seen {
    let reference = observe(model, answers, opts, view, Wire::Value, MODES[0]);
    for mode in MODES {
        let [value, body] = Wire::ALL.map(|wire| observe(model, answers, opts, view, wire, mode));
        assert_eq!(
            serde_reasons_left_out(&body),
            serde_reasons_left_out(&value),
            "{view:?} over bodies with {mode:?} differs from the Value path; {opts:?}, script {answers:?}"
        );
        assert_eq!(
            value, reference,
            "{view:?} with {mode:?} differs from the blocking driver; {opts:?}, script {answers:?}"
        );
    }
    reference
}

/// `seen` with the reasons of deserialization errors left out. Which page or item failed to
/// deserialize, and into what type, is the same on both paths; serde's wording of why depends
/// on what it reads from (text or a `Value`: "invalid length 3, expected struct Item with 2
/// elements" against "invalid length 3, expected fewer elements in array").
fn serde_reasons_left_out(seen: &Seen) -> Seen {
    let cut = |text: &str| -> String {
        const READ_AS: &str = "could not be read as `";
        match text.find(READ_AS) {
            Some(at) => {
                let after = at + READ_AS.len();
                match text[after..].find('`') {
                    Some(end) => format!("{}`: …", &text[..after + end]),
                    None => text.to_owned(),
                }
            }
            None => text.to_owned(),
        }
    };
    Seen {
        steps: seen
            .steps
            .iter()
            .map(|(step, token)| (cut(step), token.clone()))
            .collect(),
        end: cut(&seen.end),
        calls: seen.calls.clone(),
    }
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
