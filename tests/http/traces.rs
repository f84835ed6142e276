//! The `tracing` instrumentation (feature `tracing` of paginated), seen by a
//! `tracing::Subscriber` written here that records every span and event with its fields and
//! the span it happened in: one `paginate.run` span per run, one DEBUG event per page, what
//! the transport logs nested in the run's span, and nothing at INFO or above.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::ThreadId;

use paginated::PaginationConfig;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

use super::server::{Reply, Server};
use super::*;

/// A recorded field value.
#[derive(Debug, Clone, PartialEq)]
enum Recorded {
    U64(u64),
    I64(i64),
    F64(f64),
    Bool(bool),
    /// A string, or anything recorded with `Debug` or `Display` (the message included).
    Text(String),
}

type Fields = BTreeMap<&'static str, Recorded>;

struct Visitor<'a>(&'a mut Fields);

impl Visit for Visitor<'_> {
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name(), Recorded::U64(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name(), Recorded::I64(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name(), Recorded::F64(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name(), Recorded::Bool(value));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0
            .insert(field.name(), Recorded::Text(value.to_owned()));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name(), Recorded::Text(format!("{value:?}")));
    }
}

#[derive(Debug, Clone)]
struct SpanRecord {
    name: &'static str,
    level: Level,
    fields: Fields,
}

#[derive(Debug, Clone)]
struct EventRecord {
    level: Level,
    target: String,
    fields: Fields,
    /// The span it happened in: its explicit parent, or the span entered on its thread.
    span: Option<u64>,
}

impl EventRecord {
    fn message(&self) -> Option<&str> {
        match self.fields.get("message") {
            Some(Recorded::Text(text)) => Some(text),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
struct Captured {
    spans: HashMap<u64, SpanRecord>,
    events: Vec<EventRecord>,
    /// The spans entered, innermost last, per thread.
    entered: HashMap<ThreadId, Vec<u64>>,
}

/// Records everything, at every level.
#[derive(Debug, Clone, Default)]
struct Capture {
    captured: Arc<Mutex<Captured>>,
    last_id: Arc<AtomicU64>,
}

impl Capture {
    fn lock(&self) -> MutexGuard<'_, Captured> {
        self.captured.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn current(captured: &Captured) -> Option<u64> {
        captured
            .entered
            .get(&std::thread::current().id())
            .and_then(|stack| stack.last().copied())
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let id = self.last_id.fetch_add(1, Ordering::SeqCst) + 1;
        let mut fields = Fields::new();
        attributes.record(&mut Visitor(&mut fields));
        let metadata = attributes.metadata();
        self.lock().spans.insert(
            id,
            SpanRecord {
                name: metadata.name(),
                level: *metadata.level(),
                fields,
            },
        );
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(span) = self.lock().spans.get_mut(&span.into_u64()) {
            values.record(&mut Visitor(&mut span.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Visitor(&mut fields));
        let mut captured = self.lock();
        let span = match event.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if event.is_contextual() => Capture::current(&captured),
            None => None,
        };
        captured.events.push(EventRecord {
            level: *event.metadata().level(),
            target: event.metadata().target().to_owned(),
            fields,
            span,
        });
    }

    fn enter(&self, span: &Id) {
        let thread = std::thread::current().id();
        self.lock()
            .entered
            .entry(thread)
            .or_default()
            .push(span.into_u64());
    }

    fn exit(&self, span: &Id) {
        let thread = std::thread::current().id();
        let mut captured = self.lock();
        let stack = captured.entered.entry(thread).or_default();
        if let Some(at) = stack.iter().rposition(|s| *s == span.into_u64()) {
            stack.remove(at);
        }
    }
}

/// What one run emitted.
#[derive(Debug)]
struct Trace {
    run: SpanRecord,
    run_id: u64,
    events: Vec<EventRecord>,
}

impl Trace {
    /// Reads the capture: exactly one `paginate.run` span, and nothing at INFO or above.
    fn of(capture: &Capture) -> Trace {
        let captured = capture.lock();
        let runs: Vec<(&u64, &SpanRecord)> = captured
            .spans
            .iter()
            .filter(|(_, s)| s.name == "paginate.run")
            .collect();
        assert_eq!(runs.len(), 1, "one span per run: {:?}", captured.spans);
        let quiet = |level: &Level| *level == Level::DEBUG || *level == Level::TRACE;
        for span in captured.spans.values() {
            assert!(quiet(&span.level), "a span above DEBUG: {span:?}");
        }
        for event in &captured.events {
            assert!(quiet(&event.level), "an event above DEBUG: {event:?}");
        }
        Trace {
            run: runs[0].1.clone(),
            run_id: *runs[0].0,
            events: captured.events.clone(),
        }
    }

    /// The events of the library's own, each checked to be at DEBUG in the run's span.
    fn page_events(&self) -> Vec<&EventRecord> {
        let events: Vec<&EventRecord> = self
            .events
            .iter()
            .filter(|e| e.target.starts_with("paginated"))
            .collect();
        for event in &events {
            assert_eq!(event.level, Level::DEBUG, "{event:?}");
            assert_eq!(
                event.span,
                Some(self.run_id),
                "outside the run's span: {event:?}"
            );
        }
        events
    }
}

/// A page event's fields other than its latency, which is checked and removed.
fn without_latency(event: &EventRecord) -> Fields {
    let mut fields = event.fields.clone();
    match fields.remove("latency_ms") {
        Some(Recorded::F64(ms)) => assert!(ms.is_finite() && ms >= 0.0, "{event:?}"),
        other => panic!("latency_ms is missing or not a float: {other:?} in {event:?}"),
    }
    fields
}

fn received(page: u64, items: u64, has_next: bool) -> Fields {
    Fields::from([
        ("message", Recorded::Text("page received".into())),
        ("page", Recorded::U64(page)),
        ("items", Recorded::U64(items)),
        ("has_next", Recorded::Bool(has_next)),
    ])
}

/// Runs `config` over both transports, and async with `lookahead_spawned`, with a fresh
/// server each (scripted by `script`) and a capture of its own; the headers hook logs at
/// TRACE, as a transport might.
fn traced(
    config: PaginationConfig,
    script: impl Fn(&Server),
) -> Vec<(&'static str, Listed, Trace)> {
    let hook = |request: &paginated::PageRequest<'_>, _: &mut reqwest::header::HeaderMap| {
        tracing::trace!(target: "transport", page = request.page(), "sending");
    };
    let mut outcomes = Vec::new();

    let server = Server::start();
    script(&server);
    let api = blocking(&server).headers(hook);
    let capture = Capture::default();
    let listed = tracing::subscriber::with_default(capture.clone(), || {
        items_blocking(&api, &objects_model(), photos_params(), config.clone())
    });
    outcomes.push(("blocking", listed, Trace::of(&capture)));

    let server = Server::start();
    script(&server);
    let api = client(&server).headers(hook);
    let capture = Capture::default();
    let listed = tracing::subscriber::with_default(capture.clone(), || {
        block_on(items_async(
            &api,
            &objects_model(),
            photos_params(),
            config.clone(),
        ))
    });
    outcomes.push(("async", listed, Trace::of(&capture)));

    // Each request a task of the runtime: the span goes with it.
    let server = Server::start();
    script(&server);
    let api = std::sync::Arc::new(client(&server).headers(hook));
    let capture = Capture::default();
    let listed = tracing::subscriber::with_default(capture.clone(), || {
        block_on(listed_async(
            objects_model()
                .paginate_async(api, photos_params())
                .config(config)
                .lookahead_spawned()
                .items(),
        ))
    });
    outcomes.push(("async, lookahead spawned", listed, Trace::of(&capture)));
    outcomes
}

#[test]
fn a_run_is_one_span_with_an_event_per_page() {
    for (via, listed, trace) in traced(PaginationConfig::default().page_size(5), |_| {}) {
        assert_eq!(listed.items, expected_photos(), "{via}");
        assert_eq!(
            trace.run.fields,
            Fields::from([
                ("operation", Recorded::Text("ListObjects".into())),
                ("page_size", Recorded::U64(5)),
            ]),
            "{via}: no max_items field without max_items"
        );
        let pages: Vec<Fields> = trace
            .page_events()
            .into_iter()
            .map(without_latency)
            .collect();
        assert_eq!(
            pages,
            [
                received(1, 5, true),
                received(2, 10, true),
                received(3, 15, true),
                received(4, 20, true),
                received(5, 23, false),
            ],
            "{via}"
        );
        // What the transport logs while sending is inside the run's span.
        let sending: Vec<&EventRecord> = trace
            .events
            .iter()
            .filter(|e| e.message() == Some("sending"))
            .collect();
        assert_eq!(sending.len(), 5, "{via}");
        for (n, event) in sending.iter().enumerate() {
            assert_eq!(event.span, Some(trace.run_id), "{via}: {event:?}");
            assert_eq!(event.fields.get("page"), Some(&Recorded::U64(n as u64 + 1)));
        }
    }
}

#[test]
fn max_items_is_a_span_field_and_ends_the_events() {
    let config = PaginationConfig::default().page_size(5).max_items(7);
    for (via, listed, trace) in traced(config, |_| {}) {
        assert_eq!(listed.items, expected_photos()[..7], "{via}");
        assert_eq!(trace.run.fields.get("max_items"), Some(&Recorded::U64(7)));
        assert_eq!(trace.run.fields.get("page_size"), Some(&Recorded::U64(5)));
        let pages: Vec<Fields> = trace
            .page_events()
            .into_iter()
            .map(without_latency)
            .collect();
        assert_eq!(
            pages,
            [received(1, 5, true), received(2, 7, false)],
            "{via}"
        );
    }
}

#[test]
fn a_failed_page_is_an_event_with_its_error() {
    let script = |server: &Server| server.script(2, usize::MAX, Reply::busy());
    for (via, listed, trace) in traced(PaginationConfig::default().page_size(5), script) {
        assert!(listed.error.is_some(), "{via}");
        let mut pages: Vec<Fields> = trace
            .page_events()
            .into_iter()
            .map(without_latency)
            .collect();
        // The error names the request and its status (its URL holds the server's port).
        let error = pages.last_mut().and_then(|page| page.remove("error"));
        let Some(Recorded::Text(error)) = error else {
            panic!("{via}: no error recorded: {pages:?}");
        };
        assert!(
            error.starts_with("ListObjects: page 2 failed: GET http://127.0.0.1:")
                && error.ends_with("returned HTTP 503 Service Unavailable: slow down"),
            "{via}: {error}"
        );
        let failed = Fields::from([
            ("message", Recorded::Text("page failed".into())),
            ("page", Recorded::U64(2)),
        ]);
        assert_eq!(pages, [received(1, 5, true), failed], "{via}");
    }
}
