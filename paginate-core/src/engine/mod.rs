//! The pagination state machine: every rule of SEMANTICS §3–§5, with no I/O in it.
//!
//! A [`Run`] says what to request next and takes each page as it arrives. The blocking
//! iterator and the async stream only move pages between a transport and a `Run`, so each
//! rule exists exactly once (G6). The run is also the one owner of resume tokens: a front end
//! says how much of the last page its consumer still holds ([`Held`]), and the run answers
//! with the token for that position (R2, R8).
//!
//! - `mod.rs`: [`Run`], its states and the rules of a page taken.
//! - `next.rs`: the next token of a page (L2) and repeated tokens (L6).

mod next;

use std::borrow::Cow;
use std::mem;

use serde_json::{Map, Value};

use crate::body::Reply;
use crate::cycle::{CycleGuard, fingerprint};
use crate::error::{BoxError, Error, preview};
use crate::expr::{equal, is_absent};
use crate::model::{LimitType, Model};
use crate::options::{DuplicateTokenPolicy, HookFn, PaginationConfig, ProgressHook};
use crate::page::{Page, SearchFailed};
use crate::raw_page::ItemSink;
use crate::token::{Position, json_type, set_tokens};
use crate::transport::PageRequest;

/// Where a run stands. Each state carries the data that is valid in it, so "what would a
/// resume token be" has exactly one answer per state.
#[derive(Debug)]
enum State {
    /// No request made yet; the options may still change.
    Fresh,
    /// The next request fetches `next` (L3): between pages, and while a request is in flight.
    Fetching { next: Position },
    /// An error to report after the page that caused it has been handed out (L6).
    Failing {
        error: Error,
        resume: Option<Position>,
    },
    /// Nothing more will be requested. `resume` continues the listing, if anything is left.
    Done { end: End, resume: Option<Position> },
}

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// The service sent no next token (L2).
    Exhausted,
    /// `max_items` was reached (M2, M3).
    MaxItems,
    /// A repeated token under the `Stop` policy (L6).
    RepeatedToken,
    /// An error was reported: the options, the transport, a page or `max_pages`.
    Failed,
}

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
///    give its answer to exactly one of [`Run::accept`] (a page) or
///    [`Run::transport_failed`] (an error), and hand the outcome to the consumer;
/// 3. repeat 2 until `step` says [`Step::Fail`] or [`Step::Finished`]; after either, every
///    further `step` is `Finished`.
///
/// [`Run::resume_token`] may be asked at any moment.
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
}

impl Run {
    pub(crate) fn new(model: Model, params: Value) -> Run {
        let tokens = model.input_tokens().len();
        Run {
            model,
            params,
            config: PaginationConfig::default(),
            state: State::Fresh,
            pages: 0,
            total: 0,
            last_page: Position::empty(tokens),
            seen: CycleGuard::default(),
            non_aggregate: None,
            progress: None,
        }
    }

    /// A run that reports `error` on its first step and sends nothing.
    pub(crate) fn failed(model: Model, error: Error) -> Run {
        let mut run = Run::new(model, Value::Null);
        run.state = State::Failing {
            error,
            resume: None,
        };
        run
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
        matches!(self.state, State::Fetching { .. })
    }

    fn operation(&self) -> String {
        self.model.operation().to_owned()
    }

    /// Leaves the run done after an error, resuming from `resume`.
    fn fail_with(&mut self, resume: Option<Position>) {
        self.state = State::Done {
            end: End::Failed,
            resume,
        };
    }

    /// What to do next. The first call applies the options (L1, O2, O3); errors in them are
    /// reported here, before any request is sent.
    pub(crate) fn step(&mut self) -> Step<'_> {
        match &self.state {
            State::Fresh => match self.start() {
                Ok(first) => self.state = State::Fetching { next: first },
                Err(e) => {
                    // No position to resume from: the options themselves were refused.
                    self.fail_with(None);
                    return Step::Fail(e);
                }
            },
            State::Fetching { .. } => {
                if let Some(limit) = self.config.max_pages
                    && self.pages >= limit
                {
                    // The resume token still points at the page not fetched.
                    let next = self.take_next();
                    self.fail_with(Some(next));
                    return Step::Fail(Error::PageLimit {
                        operation: self.operation(),
                        limit,
                    });
                }
            }
            State::Failing { .. } => {
                let State::Failing { error, resume } = mem::replace(&mut self.state, State::Fresh)
                else {
                    return Step::Finished;
                };
                self.fail_with(resume);
                return Step::Fail(error);
            }
            State::Done { .. } => return Step::Finished,
        }
        match &self.params {
            Value::Object(params) => Step::Request(PageRequest::for_page(
                self.model.operation(),
                params,
                self.model.route(),
                self.pages + 1,
            )),
            // `start` made sure of it.
            _ => Step::Finished,
        }
    }

    /// The position of the request in flight, taken out of the `Fetching` state. Outside that
    /// state (a driver that broke the calling protocol) it is the start of the listing.
    fn take_next(&mut self) -> Position {
        match &mut self.state {
            State::Fetching { next } => mem::take(next),
            _ => {
                debug_assert!(false, "a page was handed to a run that requested none");
                Position::empty(self.model.input_tokens().len())
            }
        }
    }

    /// L1: the caller's params, plus the page size, plus the starting token's values.
    /// Returns the position of the first request.
    fn start(&mut self) -> Result<Position, Error> {
        let position = self.initial_position()?;
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
            params.insert(limit_key.to_owned(), value);
        }
        if resuming {
            set_tokens(params, self.model.input_tokens(), &position.values);
        }
        Ok(position)
    }

    /// O3: the starting token, unless there is none or it is empty.
    fn starting_token(&self) -> Option<&str> {
        self.config
            .starting_token
            .as_deref()
            .filter(|token| !token.is_empty())
    }

    /// The position of the first request: the starting token's, or else the token values the
    /// caller put in the params. (botocore records `None` for the latter, so a run that starts
    /// from a caller's marker and is cut by `max_items` resumes from the very beginning.)
    fn initial_position(&self) -> Result<Position, Error> {
        let tokens = self.model.input_tokens();
        match self.starting_token() {
            Some(token) => Position::decode(token, tokens).map_err(|reason| Error::InvalidToken {
                operation: self.operation(),
                token: preview(token),
                reason,
            }),
            None => Ok(Position {
                values: tokens
                    .iter()
                    .map(|name| {
                        self.params
                            .get(name)
                            .filter(|v| !is_absent(Some(v)))
                            .cloned()
                    })
                    .collect(),
                offset: None,
                encoded_keys: None,
            }),
        }
    }

    /// L7: the transport failed; the resume token keeps pointing at the page that failed.
    pub(crate) fn transport_failed(&mut self, source: BoxError) -> Error {
        let next = self.take_next();
        self.fail_with(Some(next));
        Error::Transport {
            operation: self.operation(),
            page: self.pages + 1,
            source,
        }
    }

    /// Takes one page from the transport and returns it as the caller should see it.
    /// `sink` takes the elements of its result key as a body is read (G8).
    pub(crate) fn accept(
        &mut self,
        reply: Reply,
        sink: Option<&mut dyn ItemSink>,
    ) -> Result<Page, Error> {
        let fetched_by = self.take_next();
        let taken = Page::read(reply, &self.model, sink)
            .map_err(|reason| self.not_json(reason))
            .and_then(|mut page| {
                self.take_page(&mut page, &fetched_by)
                    .map(|state| (state, page))
            });
        match taken {
            Ok((state, page)) => {
                self.pages += 1;
                self.state = state;
                self.last_page = fetched_by;
                if self.progress.is_some() {
                    self.report_progress();
                }
                Ok(page)
            }
            Err(e) => {
                // The page is not returned, so the resume token must fetch it again.
                self.fail_with(Some(fetched_by));
                Err(e)
            }
        }
    }

    /// A body that is not JSON, named by its page number (G8).
    fn not_json(&self, (reason, body): (String, String)) -> Error {
        Error::PageNotJson {
            operation: self.operation(),
            page: self.pages + 1,
            reason,
            body,
        }
    }

    /// R8: the hook runs before the consumer has seen the page, so its token fetches the page
    /// again rather than resuming after it.
    fn report_progress(&mut self) {
        let last = !matches!(self.state, State::Fetching { .. });
        let token = self.resume_token(Held::Page);
        let (number, items) = (self.pages, self.total);
        if let Some(progress) = &mut self.progress {
            progress.report(number, items, token, last);
        }
    }

    /// Applies the rules to page number `self.pages + 1`, fetched by `fetched_by`, and returns
    /// the state the run moves to. Nothing in the run changes unless it succeeds, except the
    /// non-aggregate part of a first page.
    fn take_page(&mut self, page: &mut Page, fetched_by: &Position) -> Result<State, Error> {
        let number = self.pages + 1;
        if let Some(found) = page.not_object() {
            return Err(Error::PageNotObject {
                operation: self.operation(),
                page: number,
                found,
            });
        }
        // L5: the next token is read from the page as received, before any slicing or cutting.
        let next = self.next_token(page, number)?;
        let inner = self.model.inner();
        let primary = &inner.result_keys[0];

        // R6: the first page of a resumed run skips what the token says was already returned.
        if let Some(offset) = fetched_by.offset {
            page.skip_front(primary, offset)
                .map_err(|found| self.unsupported(primary.as_str(), number, found, "cut"))?;
            for key in &inner.result_keys[1..] {
                page.blank(key);
            }
        }
        if number == 1 {
            self.non_aggregate = Some(page.non_aggregate_part(&self.model));
        }

        let count = page.count(primary);
        if let Some(max) = self.config.max_items {
            let count = count
                .map_err(|found| self.unsupported(primary.as_str(), number, found, "counted"))?;
            let remaining = max.saturating_sub(self.total);
            if count > remaining {
                // M2/M4: cut the primary result, stop, and resume inside this page.
                page.truncate(primary, remaining)
                    .map_err(|found| self.unsupported(primary.as_str(), number, found, "cut"))?;
                self.total = max;
                let kept = remaining + fetched_by.offset.unwrap_or(0); // R7
                return Ok(State::Done {
                    end: End::MaxItems,
                    resume: Some(Position {
                        values: fetched_by.values.clone(),
                        offset: Some(kept),
                        encoded_keys: fetched_by.encoded_keys.clone(),
                    }),
                });
            }
            self.total += count;
        } else {
            // Without `max_items` a primary value that cannot be counted is not an error
            // (botocore iterates it as it is); it counts as nothing.
            self.total += count.unwrap_or(0);
        }

        // L2: no next page when every input token is without a value.
        if next.iter().all(Option::is_none) {
            return Ok(State::Done {
                end: End::Exhausted,
                resume: None,
            });
        }
        // L6: compared with the token that fetched this page (the previous page's next
        // token), then with every earlier one; a starting token is never compared. Both
        // compare as Python does (`1` and `1.0` are the same token), as botocore's `==` does.
        let repeated = if self.config.duplicate_tokens == DuplicateTokenPolicy::Allow {
            None
        } else if number > 1 && same_token(&fetched_by.values, &next) {
            Some(true)
        } else if self.seen.repeats(fingerprint(&next)) {
            Some(false)
        } else {
            None
        };
        let next = Position {
            values: next,
            offset: None,
            encoded_keys: None,
        };
        // M3: exactly at `max_items` on a page boundary, with more to come.
        if self.config.max_items == Some(self.total) {
            return Ok(State::Done {
                end: End::MaxItems,
                resume: Some(next),
            });
        }
        if let Some(consecutive) = repeated {
            return Ok(self.on_repeated_token(number, consecutive, next));
        }
        // L3: each input token set to its value, or removed.
        if let Value::Object(params) = &mut self.params {
            set_tokens(params, self.model.input_tokens(), &next.values);
        }
        Ok(State::Fetching { next })
    }

    /// An expression that could not be evaluated on page `page`: its own error, or a value it
    /// reads that is not JSON a `Value` can hold (G8).
    pub(crate) fn search_failed(&self, expression: &str, page: u64, failed: SearchFailed) -> Error {
        match failed {
            SearchFailed::Expression(reason) => self.expression_failed(expression, page, reason),
            SearchFailed::NotJson { reason, body } => Error::PageNotJson {
                operation: self.operation(),
                page,
                reason,
                body,
            },
        }
    }

    fn expression_failed(&self, expression: &str, page: u64, reason: String) -> Error {
        Error::Expression {
            operation: self.operation(),
            expression: expression.to_owned(),
            page,
            reason,
        }
    }

    fn unsupported(
        &self,
        key: &str,
        page: u64,
        found: &'static str,
        action: &'static str,
    ) -> Error {
        Error::UnsupportedResult {
            operation: self.operation(),
            key: key.to_owned(),
            page,
            found,
            action,
        }
    }

    /// Where a new run would continue once the consumer has everything taken so far: after
    /// the last page taken, or where `max_items` cut it; `None` when nothing is left (R2).
    fn position_after_last_page(&self) -> Option<Cow<'_, Position>> {
        match &self.state {
            State::Fresh => self.initial_position().ok().map(Cow::Owned),
            State::Fetching { next } => Some(Cow::Borrowed(next)),
            State::Failing { resume, .. } | State::Done { resume, .. } => {
                resume.as_ref().map(Cow::Borrowed)
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
        Some(position.encode(self.model.input_tokens()))
    }

    pub(crate) fn non_aggregate_part(&self) -> Option<&Value> {
        self.non_aggregate.as_ref()
    }

    /// True once the run has ended because `max_items` was reached.
    pub(crate) fn stopped_by_max_items(&self) -> bool {
        matches!(
            self.state,
            State::Done {
                end: End::MaxItems,
                ..
            }
        )
    }

    pub(crate) fn pages_taken(&self) -> u64 {
        self.pages
    }
}

/// Whether two tokens are the same as botocore's `==` finds them: numbers by value, objects
/// in any key order (L6), as [`fingerprint`] hashes them.
fn same_token(a: &[Option<Value>], b: &[Option<Value>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (None, None) => true,
            (Some(x), Some(y)) => equal(x, y),
            _ => false,
        })
}
