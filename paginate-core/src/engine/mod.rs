//! The pagination state machine: every rule of SEMANTICS §3–§5, with no I/O in it.
//!
//! A [`Run`] says what to request next and takes each page as it arrives. The blocking
//! iterator and the async stream only move pages between a transport and a `Run`, so each
//! rule exists exactly once (G6). The run is also the one owner of resume tokens: a front end
//! says how much of the last page its consumer still holds ([`Held`]), and the run answers
//! with the token for that position (R2, R8).
//!
//! The run takes pages already read: the driver reads the transport's reply, a `Value` or a
//! body (G8), and hands the run a [`TakenPage`]; the run never sees a reply or its bytes.
//!
//! - `mod.rs`: [`Run`], its calling protocol, the start of a run (L1, O2, O3) and its tokens.
//! - `state.rs`: where a run stands, and every move between its phases.
//! - `take.rs`: the rules of a page taken (L2, L3, L6, M1–M3, R6, R7).
//! - `next.rs`: the next token of a page (L2) and repeated tokens (L6).
//! - `position.rs`: the first position of a run, and the pagination styles (§8).
//! - `tests.rs`, `breaches.rs`: the calling protocol driven directly, breaches included.

#[cfg(test)]
mod breaches;
mod next;
mod position;
mod state;
mod take;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use http::HeaderMap;
use serde_json::{Map, Value};
use url::Url;

use crate::body::ReplyMeta;

use crate::cycle::CycleGuard;
use crate::error::{BoxError, Error, PageNumber, preview};
use crate::model::{LimitType, Model};
use crate::options::{HookFn, PaginationConfig, ProgressHook};
use crate::page::{SearchFailed, TakenPage};
use crate::style::{Advance, Target};
use crate::token::{Position, json_type};
use crate::transport::PageRequest;
use state::{End, Phase, State};

/// How much of the last page taken the consumer still holds, as a front end reports it when
/// asked for a resume token (R8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    /// Nothing: the consumer has been handed everything the run has taken.
    Nothing,
    /// Items of the last page's primary key remain, after the first `handed` of them.
    /// Resuming continues at the next item (an offset, R2).
    Primary { handed: u64 },
    /// Results of the last page remain that an offset cannot describe (a secondary key's
    /// items, search results), or none of the page has been handed out yet. Resuming fetches
    /// that page again: nothing is lost, what was handed of it comes again.
    Page,
}

/// What the driver should do next.
#[derive(Debug)]
pub(crate) enum Step<'a> {
    /// Call the transport with this request.
    Request(PageRequest<'a>),
    /// Report this error; the run is over.
    Fail(Error),
    /// The run is over.
    Finished,
}

/// One run of a paginator: the options, the request params and everything learnt so far.
///
/// The calling protocol of a driver:
///
/// 1. set the options ([`Run::config_mut`], [`Run::set_progress`]) while the run is fresh;
/// 2. call [`Run::step`]; on [`Step::Request`] call the transport with what it names, then
///    give its answer to exactly one of [`Run::accept`] (a page, read from the reply by the
///    driver), [`Run::page_not_json`] (a body that could not be read, G8) or
///    [`Run::transport_failed`] (an error), and hand the outcome to the consumer;
/// 3. repeat 2 until `step` says [`Step::Fail`] or [`Step::Finished`]; after either, every
///    further `step` is `Finished`.
///
/// [`Run::resume_token`] may be asked at any moment. Options set after the run started are a
/// caller's choice through the public API, not a breach: `page_size` and `starting_token` are
/// read once, when the run starts, and have no effect later; `max_items`, `max_pages` and the
/// duplicate-token policy are read at each page, except that a request lookahead has already
/// decided is sent as decided.
///
/// A driver that breaks steps 2–3 (an answer with no request out, a second request before the
/// first was answered) has a bug no user or server can cause: debug builds stop on a
/// `debug_assert!` in `state.rs`, release builds leave the run where it was and report the
/// answer as an error ([`protocol_breach`]) instead of panicking.
#[derive(Debug)]
pub(crate) struct Run {
    model: Model,
    params: Value,
    config: PaginationConfig,
    state: State,
    /// Pages taken (accepted without error).
    pages: u64,
    /// Primary items handed out so far, after slicing and cutting (M1): what `max_items`
    /// counts, and what the progress hook and tracing report.
    total: u64,
    /// The position that fetched the last page taken (its offset: what was skipped of it).
    last_page: Position,
    /// Next tokens already seen, for cycle detection (L6).
    seen: CycleGuard,
    non_aggregate: Option<Value>,
    progress: Option<ProgressHook>,
    /// The URL of the next request, for a model that follows URLs (P2).
    url: Option<Url>,
    /// Request headers the position sets (P11).
    headers: HeaderMap,
    /// True once the position has a value: the next request continues a listing (P2, P9).
    continued: bool,
    /// The page size requests ask for, known when the run starts (P7, P8).
    page_size: Option<u64>,
    /// K2: the name and serialized fields of the type pages are read into, when a struct.
    page_type: Option<(&'static str, &'static [&'static str])>,
    /// The listing's pages before the run's first one, when the start position says
    /// ([`PageNumber`]).
    before_run: Option<u64>,
}

impl Run {
    pub(crate) fn new(model: Model, params: Value) -> Run {
        // S1: only a checked model has result keys and tokens. The one model without them
        // stands for a declaration that could not be built (`Model::unavailable`); a run of
        // it, started again from `pages.model()`, reports that and sends nothing.
        if model.inner().result_keys.is_empty() {
            let error = Error::InvalidModel {
                operation: model.operation().to_owned(),
                problem: crate::error::ModelProblem::Missing {
                    field: "result_key",
                },
            };
            return Run::failed(model, error);
        }
        Run::unchecked(model, params)
    }

    /// A run of `model`, which must be one the rules accepted (S1).
    fn unchecked(model: Model, params: Value) -> Run {
        let tokens = model.input_tokens().len();
        Run {
            model,
            params,
            config: PaginationConfig::default(),
            state: State::fresh(),
            pages: 0,
            total: 0,
            last_page: Position::empty(tokens),
            seen: CycleGuard::default(),
            non_aggregate: None,
            progress: None,
            url: None,
            headers: HeaderMap::new(),
            continued: false,
            page_size: None,
            page_type: None,
            before_run: Some(0),
        }
    }

    /// A run that reports `error` on its first step and sends nothing.
    pub(crate) fn failed(model: Model, error: Error) -> Run {
        let mut run = Run::unchecked(model, Value::Null);
        run.state = State::failing(error);
        run
    }

    /// Page `in_run` of this run, as errors name it: in the listing when the run knows where
    /// it started.
    pub(crate) fn page_number(&self, in_run: u64) -> PageNumber {
        PageNumber::new(in_run, self.before_run)
    }

    /// K2: pages are read into `T`; its fields are checked against the keys the model reads
    /// when the run starts.
    pub(crate) fn set_page_type<T: serde::de::DeserializeOwned>(&mut self) {
        self.page_type =
            crate::keys::field_names::<T>().map(|fields| (std::any::type_name::<T>(), fields));
    }

    pub(crate) fn set_progress(&mut self, hook: HookFn) {
        self.progress = Some(ProgressHook::new(hook));
    }

    /// The position of `key` among the model's result keys.
    pub(crate) fn result_key_index(&self, key: &str) -> Result<usize, Error> {
        let model = &self.model;
        model
            .result_keys()
            .position(|k| k == key)
            .ok_or_else(|| Error::UnknownResultKey {
                operation: model.operation().to_owned(),
                key: key.to_owned(),
                known: model.result_keys().map(str::to_owned).collect(),
            })
    }

    pub(crate) fn model(&self) -> &Model {
        &self.model
    }

    pub(crate) fn config_mut(&mut self) -> &mut PaginationConfig {
        &mut self.config
    }

    #[cfg(feature = "tracing")]
    pub(crate) fn config(&self) -> &PaginationConfig {
        &self.config
    }

    /// Primary items handed out so far (M1).
    #[cfg(feature = "tracing")]
    pub(crate) fn items_taken(&self) -> u64 {
        self.total
    }

    /// True while the run will request another page.
    #[cfg(feature = "tracing")]
    pub(crate) fn fetches_more(&self) -> bool {
        matches!(
            self.state.phase(),
            Phase::Ready { .. } | Phase::Requested { .. }
        )
    }

    fn operation(&self) -> String {
        self.model.operation().to_owned()
    }

    /// What to do next. The first call applies the options (L1, O2, O3); errors in them are
    /// reported here, before any request is sent.
    pub(crate) fn step(&mut self) -> Step<'_> {
        match self.state.phase() {
            Phase::Fresh => match self.start() {
                Ok(first) => self.state.begin(first),
                Err(e) => {
                    // No position to resume from: the options themselves were refused.
                    self.state.refuse();
                    return Step::Fail(e);
                }
            },
            Phase::Ready { .. } => {
                if let Some(limit) = self.config.max_pages
                    && self.pages >= limit
                {
                    // O5: the resume token still points at the page not fetched.
                    self.state.page_limit();
                    return Step::Fail(Error::PageLimit {
                        operation: self.operation(),
                        limit,
                    });
                }
                self.state.send();
            }
            // A second request before the first was answered: `send` stops debug builds;
            // release builds send the request out again, and its answer is the one taken.
            Phase::Requested { .. } | Phase::Taking => self.state.send(),
            Phase::Failing { .. } => {
                return match self.state.report() {
                    Some(error) => Step::Fail(error),
                    None => Step::Finished,
                };
            }
            Phase::Done { .. } => return Step::Finished,
        }
        self.request()
    }

    /// The request for page `self.pages + 1`, with the params as the rules left them.
    fn request(&self) -> Step<'_> {
        match &self.params {
            Value::Object(params) => {
                let parts = self.request_parts(params);
                let mut request = PageRequest::for_page(
                    self.model.operation(),
                    parts.params,
                    parts.route,
                    self.pages + 1,
                );
                if let Some(url) = parts.url {
                    request = request.with_url(url);
                }
                if !self.headers.is_empty() {
                    request = request.with_headers(&self.headers);
                }
                Step::Request(request)
            }
            _ => {
                // L1: `start` made the params an object, or refused them before any request.
                debug_assert!(
                    false,
                    "a run requested a page with params that are not an object"
                );
                Step::Finished
            }
        }
    }

    /// L1: the caller's params, plus the page size, plus the starting token's values.
    /// Returns the position of the first request.
    fn start(&mut self) -> Result<Position, Error> {
        if let Some((type_name, fields)) = self.page_type
            && let Some(miss) = crate::keys::check_type(&self.model, fields)
        {
            return Err(Error::KeyNotInPageType {
                operation: self.operation(),
                field: miss.read.field,
                key: miss.read.key,
                type_name,
                found: miss.found,
            });
        }
        let position = self.initial_position()?;
        self.before_run = self.pages_before(&position);
        let resuming = self.starting_token().is_some();
        if self.params.is_null() {
            self.params = Value::Object(Map::new());
        }
        let found = json_type(&self.params);
        let Value::Object(params) = &mut self.params else {
            return Err(Error::ParamsNotObject {
                operation: self.model.operation().to_owned(),
                found,
            });
        };
        if let Some(size) = self.config.page_size {
            let Some(limit_key) = self.model.limit_key() else {
                return Err(Error::PageSizeWithoutLimitKey {
                    operation: self.model.operation().to_owned(),
                    page_size: size,
                });
            };
            // O2: the value takes the limit parameter's type.
            let value = match self.model.limit_type() {
                LimitType::String => Value::String(size.to_string()),
                LimitType::Integer => Value::from(size),
            };
            match &self.model.inner().style.limit {
                // P11: a page size sent in a request header (Cosmos `x-ms-max-item-count`).
                Some(Target::Header(name)) => {
                    self.headers
                        .insert(name.clone(), http::HeaderValue::from(size));
                }
                _ => {
                    params.insert(limit_key.to_owned(), value);
                }
            }
        }
        let mut position = position;
        // P9: a continuation route takes a position that has a value, whether it comes from a
        // token or from the caller's params.
        let styled = !matches!(self.model.inner().style.advance, Advance::Tokens)
            || self.model.inner().style.continue_route.is_some();
        if resuming {
            self.check_recorded_size(&position)?;
        }
        // P6: a run that starts, or resumes from a token made before the first page (no
        // offset or page number yet), sends the first value.
        if (!resuming || position.values.first().is_none_or(Option::is_none))
            && let Some(first) = self.first_values()
        {
            position.values = first;
        }
        if self.model.inner().style.records_size()
            && let Some(limit_key) = self.model.limit_key()
        {
            // P5: the position records the page size its requests ask for.
            position.values.truncate(1);
            position.values.push(self.params.get(limit_key).cloned());
        }
        if resuming || styled {
            let token = self.starting_token().map(preview).unwrap_or_default();
            let operation = self.operation();
            let invalid = |reason| Error::InvalidToken {
                operation: operation.clone(),
                token: token.clone(),
                reason,
            };
            self.apply_position(&position.values)
                .map_err(|reason| invalid(crate::error::TokenError::Unsendable { reason }))?;
            if resuming {
                self.check_token_url()
                    .map_err(|reason| invalid(crate::error::TokenError::OffRoute { reason }))?;
            }
        }
        self.page_size = self.requested_page_size();
        let stops = &self.model.inner().style.stops;
        let needs_size = stops.short_page
            || (stops.total.is_some()
                && matches!(self.model.inner().style.advance, Advance::PageNumber { .. }));
        if needs_size && self.page_size.is_none() {
            return Err(Error::PageSizeUnknown {
                operation: self.operation(),
                limit_key: self.model.limit_key().unwrap_or_default().to_owned(),
            });
        }
        self.before_run = self.pages_before(&position);
        Ok(position)
    }

    /// O3: the starting token, unless there is none or it is empty.
    fn starting_token(&self) -> Option<&str> {
        self.config
            .starting_token
            .as_deref()
            .filter(|token| !token.is_empty())
    }

    /// L7: the transport failed; the resume token keeps pointing at the page that failed.
    pub(crate) fn transport_failed(&mut self, source: BoxError) -> Error {
        // With no request out (a driver's breach), the run stays where it was; the
        // transport's error is reported all the same.
        self.state.request_failed();
        Error::Transport {
            operation: self.operation(),
            page: self.page_number(self.pages + 1),
            source,
        }
    }

    /// G8: the body of the page requested is not UTF-8 JSON (`reason`; `body` is its start).
    /// The run ends, and its resume token fetches that page again (L7).
    pub(crate) fn page_not_json(&mut self, reason: String, body: String) -> Error {
        // With no request out (a driver's breach), the run stays where it was.
        self.state.request_failed();
        Error::PageNotJson {
            operation: self.operation(),
            page: self.page_number(self.pages + 1),
            reason,
            body,
        }
    }

    /// Takes one page, read from the transport's reply by the driver, and returns it as the
    /// caller should see it.
    pub(crate) fn accept(
        &mut self,
        mut page: TakenPage,
        meta: &ReplyMeta,
    ) -> Result<TakenPage, Error> {
        let Some(fetched_by) = self.state.answer() else {
            // No request out: a driver's breach (`answer` stops debug builds).
            return Err(protocol_breach(
                self.model.operation(),
                self.pages + 1,
                self.state.name(),
            ));
        };
        match self.take_page(&mut page, meta, &fetched_by) {
            Ok(taken) => {
                self.pages += 1;
                self.state.took(taken);
                self.last_page = fetched_by;
                if self.progress.is_some() {
                    self.report_progress();
                }
                Ok(page)
            }
            Err(e) => {
                // L7: the page is not returned, so the resume token must fetch it again.
                self.state.page_refused(fetched_by);
                Err(e)
            }
        }
    }

    /// R8: the hook runs before the consumer has seen the page, so its token fetches the page
    /// again rather than resuming after it.
    fn report_progress(&mut self) {
        let last = !matches!(self.state.phase(), Phase::Ready { .. });
        let token = self.resume_token(Held::Page);
        let (number, items) = (self.pages, self.total);
        if let Some(progress) = &mut self.progress {
            progress.report(number, items, token, last);
        }
    }

    /// An expression that could not be evaluated on page `page`: its own error, or a value it
    /// reads that is not JSON a `Value` can hold (G8).
    pub(crate) fn search_failed(&self, expression: &str, page: u64, failed: SearchFailed) -> Error {
        match failed {
            SearchFailed::Expression(reason) => self.expression_failed(expression, page, reason),
            SearchFailed::NotJson { reason, body } => Error::PageNotJson {
                operation: self.operation(),
                page: self.page_number(page),
                reason,
                body,
            },
        }
    }

    fn expression_failed(&self, expression: &str, page: u64, reason: String) -> Error {
        Error::Expression {
            operation: self.operation(),
            expression: expression.to_owned(),
            page: self.page_number(page),
            reason,
        }
    }

    /// Where a new run would continue once the consumer has everything taken so far: after
    /// the last page taken, or where `max_items` cut it; `None` when nothing is left (R2).
    fn position_after_last_page(&self) -> Option<Cow<'_, Position>> {
        match self.state.phase() {
            Phase::Fresh => self.initial_position().ok().map(Cow::Owned),
            Phase::Ready { next } | Phase::Requested { next } => Some(Cow::Borrowed(next)),
            Phase::Failing { resume, .. } | Phase::Done { resume, .. } => {
                resume.as_ref().map(Cow::Borrowed)
            }
            Phase::Taking => {
                // `accept` holds the run until the page is taken.
                debug_assert!(
                    false,
                    "a resume token was asked for while a page was being taken"
                );
                None
            }
        }
    }

    /// The resume token for a consumer that still holds `held` of the last page taken (R2,
    /// R8): resuming from it hands out everything the consumer has not been handed, and
    /// repeats only what `held` says cannot be told apart within a page.
    pub(crate) fn resume_token(&self, held: Held) -> Option<String> {
        let position = match held {
            Held::Nothing => self.position_after_last_page()?,
            Held::Page => Cow::Borrowed(&self.last_page),
            Held::Primary { handed } => Cow::Owned(Position {
                values: self.last_page.values.clone(),
                offset: Some(self.last_page.offset.unwrap_or(0) + handed),
                encoded_keys: self.last_page.encoded_keys.clone(),
            }),
        };
        Some(self.folded(position).encode(self.model.input_tokens()))
    }

    pub(crate) fn non_aggregate_part(&self) -> Option<&Value> {
        self.non_aggregate.as_ref()
    }

    /// True once the run has ended because `max_items` was reached.
    pub(crate) fn stopped_by_max_items(&self) -> bool {
        matches!(
            self.state.phase(),
            Phase::Done {
                end: End::MaxItems,
                ..
            }
        )
    }

    pub(crate) fn pages_taken(&self) -> u64 {
        self.pages
    }
}

/// What a driver that broke the calling protocol is told in release builds, in place of a
/// panic: a page handed to a run that is `phase`, with no request out, is reported as an error
/// of the transport's (it is no fault of the service's) for page `page`, so the consumer sees
/// an error and the run's own phase, and so its resume token, stays as it was.
pub(crate) fn protocol_breach(operation: &str, page: u64, phase: &str) -> Error {
    Error::Transport {
        operation: operation.to_owned(),
        page: PageNumber::new(page, None),
        source: format!(
            "paginate: a page was handed to a run that requested none (it was {phase}); \
             this is a bug of paginate's driver"
        )
        .into(),
    }
}
