//! The parity harness: one run of a scenario, read through one view by one driver, recorded
//! whole, so that drivers and wires are compared on everything a run hands out (SEMANTICS
//! G6, G7, G8).
//!
//! [`observe`] drives a run with any `Driver` (blocking or async, lookahead on or off) over
//! a service that answers over either wire, and reads it through a [`View`]: pages, items of
//! the primary or any key, a search, the full result, or their typed twins. The [`Seen`] it
//! returns holds every step in its place, errors included (an item error is a step, not
//! dropped), the resume token after each step and once the run ended, and every request the
//! run sent, whatever the view. [`every_way`] runs a scenario with every driver over both
//! wires and asserts they all hand out the same.
//!
//! Async runs are read in one task spawned on the matrix's multi-threaded runtime, so each
//! stream, its transport and what it yields must be `Send + 'static`.

use std::sync::{Arc, Mutex};

use paginate_tests::Wire;
use paginated::{Error, Model, PageRequest, PaginationConfig, Reply, blocking, nonblocking};
use serde::Deserialize;
use serde_json::Value;

use super::{Driver, Service, on_worker};

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
    /// `typed::<Vec<Item>, Item>()`: pages that are bare arrays (P1).
    TypedArrayPages,
    /// `build_full_result_as::<Vec<Item>>()`: the concatenated arrays (P1).
    TypedArrayFull,
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

/// Everything one run handed out, as text: each step's result (`Ok(…)` or `Err(…)`, in its
/// place) and the resume token after it, how the run ended (the token once it ended, a full
/// result, the state of the pages), then the params of every request it sent.
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

/// An error as compared between runs: its message, then every source below it after `: `,
/// except that serde's position in the text (` at line 1 column 9`), which a `Value` has
/// not, is left out of a deserialization error's reason.
pub(crate) fn describe(e: &Error) -> String {
    let message = e.to_string();
    let mut text = match e {
        Error::Deserialize { .. } | Error::DeserializeFullResult { .. } => {
            match message.rfind(" at line ") {
                Some(at) if message[at..].contains(" column ") => message[..at].to_owned(),
                _ => message,
            }
        }
        _ => message,
    };
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// A result as text: `Ok(Debug of the value)` or `Err(describe)`.
pub(crate) fn shown<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Ok(v) => format!("Ok({v:?})"),
        Err(e) => format!("Err({})", describe(&e)),
    }
}

/// A service that records the params of every request before passing it on.
#[derive(Debug)]
struct Recorded<T> {
    inner: Arc<T>,
    calls: Mutex<Vec<Value>>,
}

impl<T> Recorded<T> {
    /// The params; a request sent to a URL or with request headers (SEMANTICS P2, P11) also
    /// has them recorded, under `@url` and `@headers`.
    fn note(&self, request: &PageRequest<'_>) {
        let mut params = request.params().clone();
        if let Some(url) = request.url() {
            params.insert("@url".into(), Value::String(url.to_string()));
        }
        if !request.headers().is_empty() {
            let headers = request
                .headers()
                .iter()
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.to_string(), Value::String(value))
                })
                .collect();
            params.insert("@headers".into(), Value::Object(headers));
        }
        let params = Value::Object(params);
        self.calls.lock().unwrap().push(params);
    }
}

impl<T: blocking::Transport> blocking::Transport for Recorded<T> {
    type Error = T::Error;

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, Self::Error> {
        self.note(&request);
        self.inner.fetch(request)
    }
}

impl<T: nonblocking::Transport + Sync + Send> nonblocking::Transport for Recorded<T> {
    type Error = <T as nonblocking::Transport>::Error;

    fn fetch(
        &self,
        request: PageRequest<'_>,
    ) -> impl Future<Output = Result<Reply, Self::Error>> + Send {
        self.note(&request);
        nonblocking::Transport::fetch(&*self.inner, request)
    }
}

/// Reads a run to its end: every result in its place with the token after it, and the token
/// once it ended (`token …`). A run longer than 64 steps is a run that does not end.
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
            View::TypedArrayPages => {
                let mut it = pages.typed::<Vec<Item>, Item>();
                steps!(it, $($aw)*)
            }
            View::TypedArrayFull => {
                (Vec::new(), shown(pages.build_full_result_as::<Vec<Item>>() $($aw)*))
            }
        }
    }};
}

/// One run of `model` with `params` and `config` over `api` (which answers over its own
/// wire), driven by `driver` and read through `view`; the async drivers read it in a task
/// on a runtime worker.
pub(crate) fn observe<T: Service>(
    model: &Model,
    api: Arc<T>,
    params: Value,
    config: &PaginationConfig,
    view: View,
    driver: Driver,
) -> Seen {
    let api = Arc::new(Recorded {
        inner: api,
        calls: Mutex::new(Vec::new()),
    });
    let lookahead = matches!(driver, Driver::LookaheadBlocking | Driver::LookaheadAsync);
    let (steps, end) = match driver {
        Driver::Blocking | Driver::LookaheadBlocking => {
            let mut pages = model.paginate(api.clone(), params);
            if lookahead {
                pages = pages.lookahead();
            }
            read!(pages.config(config.clone()), view,)
        }
        Driver::Async | Driver::LookaheadAsync => {
            let mut pages = model.paginate_async(api.clone(), params);
            if lookahead {
                pages = pages.lookahead();
            }
            let pages = pages.config(config.clone());
            on_worker(async move { read!(pages, view, .await) })
        }
    };
    // The run was read to its end, so no lookahead request is still in flight.
    let calls = api.calls.lock().unwrap().clone();
    Seen { steps, end, calls }
}

/// Runs a scenario with every driver over both wires, `fresh(wire)` giving a new service
/// for each run, and asserts that the body path hands out exactly what the Value path does
/// (deserialization reasons aside, see [`serde_reasons_left_out`]) with the same driver, and
/// that every driver hands out what the blocking one does, requests included: lookahead
/// sends exactly the requests of the blocking driver (G7). Returns what they agree on;
/// `what` names the scenario in a failure.
pub(crate) fn every_way<T: Service>(
    fresh: impl Fn(Wire) -> Arc<T>,
    model: &Model,
    params: &Value,
    config: &PaginationConfig,
    view: View,
    what: &str,
) -> Seen {
    let run = |wire, driver| observe(model, fresh(wire), params.clone(), config, view, driver);
    let reference = run(Wire::Value, Driver::Blocking);
    for driver in Driver::ALL {
        let [value, body] = Wire::ALL.map(|wire| run(wire, driver));
        assert_eq!(
            serde_reasons_left_out(&body),
            serde_reasons_left_out(&value),
            "{view:?} over bodies with {driver:?} differs from the Value path; {what}"
        );
        assert_eq!(
            value, reference,
            "{view:?} with {driver:?} differs from the blocking driver; {what}"
        );
    }
    reference
}

/// `seen` with the reasons of deserialization errors left out. Which page or item failed to
/// deserialize, and into what type, is the same on both paths; serde's wording of why depends
/// on what it reads from (text or a `Value`: "invalid length 3, expected struct Item with 2
/// elements" against "invalid length 3, expected fewer elements in array").
pub(crate) fn serde_reasons_left_out(seen: &Seen) -> Seen {
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
