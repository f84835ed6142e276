//! The pagination state machine: every rule of SEMANTICS §3–§5, with no I/O in it.
//!
//! A [`Run`] says what to request next and takes each page as it arrives. The blocking
//! iterator (and, later, the async stream) only move pages between a transport and a `Run`,
//! so each rule exists exactly once (G6).

use std::collections::HashSet;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::mem;

use serde_json::{Map, Value};

use crate::error::{BoxError, Error, preview};
use crate::expr::is_absent;
use crate::model::{LimitType, Model};
use crate::token::{Position, json_type};

/// Where a run stands after a page, as given to a [`Pages::on_page`](crate::Pages::on_page)
/// hook.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Pages received so far, this one included (from 1).
    pub page: u64,
    /// Primary-key items returned so far.
    pub items: u64,
    /// The resume token after this page; `None` at the end of the data.
    pub next_token: Option<String>,
    /// True when no page will follow: the data ended, `max_items` was reached, or the run
    /// stopped on a repeated token. With `next_token` set, the run stopped early.
    pub last: bool,
}

pub(crate) type HookFn = Box<dyn FnMut(&Progress) + Send>;

/// A progress hook; boxed so that a run stays one type whatever the closure, and in a `Mutex`
/// (only ever reached through `get_mut`, never locked) so that a run is `Sync` without
/// asking the closure to be.
pub(crate) struct ProgressHook {
    hook: std::sync::Mutex<HookFn>,
    items: u64,
}

impl fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProgressHook")
            .field("items", &self.items)
            .finish_non_exhaustive()
    }
}

/// What to do when the service repeats a next token (L6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DuplicateTokenPolicy {
    /// Yield the page, then fail with [`Error::DuplicateToken`] or [`Error::TokenCycle`].
    /// botocore's behaviour, and the default.
    #[default]
    Error,
    /// Yield the page, then end quietly, as the AWS SDKs for Rust, Go and JavaScript do.
    Stop,
    /// Keep going: for tail-style APIs (log streams) that legitimately repeat a token.
    /// Such a run only ends when the service stops sending tokens or the caller stops.
    Allow,
}

/// boto3's `PaginationConfig`: the options of one run (SEMANTICS §2).
///
/// ```
/// use paginate_core::{DuplicateTokenPolicy, PaginationConfig};
///
/// let config = PaginationConfig::default()
///     .max_items(500)
///     .page_size(100)
///     .duplicate_tokens(DuplicateTokenPolicy::Stop);
/// assert_eq!(config.max_items, Some(500));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct PaginationConfig {
    /// The most primary-key items to return across all pages (O1).
    pub max_items: Option<u64>,
    /// The page size, written into the model's `limit_key` on every request (O2).
    pub page_size: Option<u64>,
    /// A resume token from an earlier run (O3).
    pub starting_token: Option<String>,
    /// What to do with repeated next tokens (L6).
    pub duplicate_tokens: DuplicateTokenPolicy,
    /// The most pages one run may fetch; reaching it with more to come ends the run with
    /// [`Error::PageLimit`] (and a resume token that continues from there). A bound for runs
    /// against a server that might never stop sending new tokens; `None`, the default, is
    /// unbounded, as botocore is.
    pub max_pages: Option<u64>,
}

impl PaginationConfig {
    /// Sets [`PaginationConfig::max_items`].
    #[must_use]
    pub fn max_items(mut self, max_items: u64) -> Self {
        self.max_items = Some(max_items);
        self
    }

    /// Sets [`PaginationConfig::page_size`].
    #[must_use]
    pub fn page_size(mut self, page_size: u64) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Sets [`PaginationConfig::starting_token`].
    #[must_use]
    pub fn starting_token(mut self, token: impl Into<String>) -> Self {
        self.starting_token = Some(token.into());
        self
    }

    /// Sets [`PaginationConfig::max_pages`].
    #[must_use]
    pub fn max_pages(mut self, max_pages: u64) -> Self {
        self.max_pages = Some(max_pages);
        self
    }

    /// Sets [`PaginationConfig::duplicate_tokens`].
    #[must_use]
    pub fn duplicate_tokens(mut self, policy: DuplicateTokenPolicy) -> Self {
        self.duplicate_tokens = policy;
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No request made yet; the options may still change.
    Fresh,
    Running,
    /// An error is waiting to be reported after the page that caused it (L6).
    Failing,
    Done,
}

/// Where a resume token would continue from (R2).
#[derive(Debug)]
enum Resume {
    /// From `Run::next_pos`, the position the next request fetches.
    Next,
    /// From a page cut by `max_items` (M2).
    Cut(Position),
    /// Nothing is left.
    End,
}

/// What the driver should do next.
#[derive(Debug)]
pub(crate) enum Step<'a> {
    /// Call the transport: this operation, these params.
    Request(&'a str, &'a Map<String, Value>),
    /// Report this error; the run is over.
    Fail(Error),
    /// The run is over.
    Finished,
}

/// One run of a paginator: the options, the request params and everything learnt so far.
#[derive(Debug)]
pub(crate) struct Run {
    model: Model,
    params: Value,
    config: PaginationConfig,
    phase: Phase,
    pending: Option<Error>,
    /// Pages received, including one that failed to process.
    pages: u64,
    /// Primary items returned so far (counted only when `max_items` is set).
    total: u64,
    /// The position the next request fetches.
    next_pos: Position,
    /// The position that fetched the last page taken (its offset: what was skipped of it).
    last_page: Position,
    resume: Resume,
    /// Next tokens already seen, for cycle detection (L6).
    seen: CycleGuard,
    non_aggregate: Option<Value>,
    stopped_by_max_items: bool,
    progress: Option<ProgressHook>,
}

impl Run {
    pub(crate) fn new(model: Model, params: Value) -> Run {
        let tokens = model.input_tokens().len();
        Run {
            model,
            params,
            config: PaginationConfig::default(),
            phase: Phase::Fresh,
            pending: None,
            pages: 0,
            total: 0,
            next_pos: Position::empty(tokens),
            last_page: Position::empty(tokens),
            resume: Resume::Next,
            seen: CycleGuard::default(),
            non_aggregate: None,
            stopped_by_max_items: false,
            progress: None,
        }
    }

    pub(crate) fn set_progress(&mut self, hook: HookFn) {
        self.progress = Some(ProgressHook {
            hook: std::sync::Mutex::new(hook),
            items: 0,
        });
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

    /// A run that reports `error` on its first step and sends nothing.
    pub(crate) fn failed(model: Model, error: Error) -> Run {
        let mut run = Run::new(model, Value::Null);
        run.pending = Some(error);
        run.phase = Phase::Failing;
        run.resume = Resume::End;
        run
    }

    pub(crate) fn model(&self) -> &Model {
        &self.model
    }

    pub(crate) fn config_mut(&mut self) -> &mut PaginationConfig {
        &mut self.config
    }

    fn operation(&self) -> String {
        self.model.operation().to_owned()
    }

    /// What to do next. The first call applies the options (L1, O2, O3); errors in them are
    /// reported here, before any request is sent.
    pub(crate) fn step(&mut self) -> Step<'_> {
        match self.phase {
            Phase::Fresh => {
                if let Err(e) = self.start() {
                    // No position to resume from: the options themselves were refused.
                    self.phase = Phase::Done;
                    self.resume = Resume::End;
                    return Step::Fail(e);
                }
                self.phase = Phase::Running;
            }
            Phase::Running => {
                if let Some(limit) = self.config.max_pages
                    && self.pages >= limit
                {
                    // The resume token still points at the page not fetched.
                    self.phase = Phase::Done;
                    return Step::Fail(Error::PageLimit {
                        operation: self.operation(),
                        limit,
                    });
                }
            }
            Phase::Failing => {
                self.phase = Phase::Done;
                return match self.pending.take() {
                    Some(e) => Step::Fail(e),
                    None => Step::Finished,
                };
            }
            Phase::Done => return Step::Finished,
        }
        match &self.params {
            Value::Object(params) => Step::Request(self.model.operation(), params),
            // `start` made sure of it.
            _ => Step::Finished,
        }
    }

    /// L1: the caller's params, plus the page size, plus the starting token's values.
    fn start(&mut self) -> Result<(), Error> {
        let position = self.initial_position()?;
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
        if self.config.starting_token.is_some() {
            set_tokens(params, self.model.input_tokens(), &position.values);
        }
        self.next_pos = position;
        Ok(())
    }

    /// The position of the first request: the starting token's, or else the token values the
    /// caller put in the params. (botocore records `None` for the latter, so a run that starts
    /// from a caller's marker and is cut by `max_items` resumes from the very beginning.)
    fn initial_position(&self) -> Result<Position, Error> {
        let tokens = self.model.input_tokens();
        match &self.config.starting_token {
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
        self.phase = Phase::Done;
        Error::Transport {
            operation: self.operation(),
            page: self.pages + 1,
            source,
        }
    }

    /// Takes one page from the transport and returns it as the caller should see it.
    pub(crate) fn accept(&mut self, mut page: Value) -> Result<Value, Error> {
        self.pages += 1;
        let result = self.process(&mut page);
        if result.is_err() {
            // The page is not returned, so the resume token must fetch it again.
            self.pages -= 1;
            self.phase = Phase::Done;
        } else if self.progress.is_some() {
            self.report_progress(&page);
        }
        result.map(|()| page)
    }

    fn report_progress(&mut self, page: &Value) {
        let last = matches!(self.phase, Phase::Done | Phase::Failing);
        let count = count_items(self.model.inner().result_keys[0].get(page)).unwrap_or(0);
        let next_token = self.resume_position().map(|p| self.encode(&p));
        let page = self.pages;
        if let Some(progress) = &mut self.progress {
            progress.items += count;
            let items = progress.items;
            // Never locked, so never poisoned; `get_mut` needs no lock.
            if let Ok(hook) = progress.hook.get_mut() {
                hook(&Progress {
                    page,
                    items,
                    next_token,
                    last,
                });
            }
        }
    }

    fn process(&mut self, page: &mut Value) -> Result<(), Error> {
        let number = self.pages;
        if !page.is_object() {
            return Err(Error::PageNotObject {
                operation: self.operation(),
                page: number,
                found: json_type(page),
            });
        }
        // L5: the next token is read from the page as received, before any slicing or cutting.
        let next = self.next_token(page)?;
        let inner = self.model.inner();
        let primary = &inner.result_keys[0];

        // R6: the first page of a resumed run skips what the token says was already returned.
        if let Some(offset) = self.next_pos.offset {
            if let Some(value) = primary.get_mut(page) {
                skip_front(value, offset)
                    .map_err(|found| self.unsupported(primary.as_str(), found, "cut"))?;
            }
            for key in &inner.result_keys[1..] {
                if let Some(value) = key.get_mut(page) {
                    blank(value);
                }
            }
        }
        if number == 1 {
            self.non_aggregate = Some(non_aggregate_part(&self.model, page));
        }

        if let Some(max) = self.config.max_items {
            let count = count_items(primary.get(page))
                .map_err(|found| self.unsupported(primary.as_str(), found, "counted"))?;
            let remaining = max.saturating_sub(self.total);
            if count > remaining {
                // M2/M4: cut the primary result, stop, and resume inside this page.
                if let Some(value) = primary.get_mut(page) {
                    truncate(value, remaining)
                        .map_err(|found| self.unsupported(primary.as_str(), found, "cut"))?;
                }
                self.total = max;
                let fetched_by = mem::take(&mut self.next_pos);
                let kept = remaining + fetched_by.offset.unwrap_or(0); // R7
                self.resume = Resume::Cut(Position {
                    values: fetched_by.values.clone(),
                    offset: Some(kept),
                    encoded_keys: fetched_by.encoded_keys.clone(),
                });
                self.last_page = fetched_by;
                self.finish_by_max_items();
                return Ok(());
            }
            self.total += count;
        }

        // Nothing below can fail: the page is taken.
        self.last_page = mem::take(&mut self.next_pos);
        // L2: no next page when every input token is without a value.
        if next.iter().all(Option::is_none) {
            self.resume = Resume::End;
            self.phase = Phase::Done;
            return Ok(());
        }
        // L6: compared with the token that fetched this page (the previous page's next
        // token), then with every earlier one; a starting token is never compared.
        let repeated = if self.config.duplicate_tokens == DuplicateTokenPolicy::Allow {
            None
        } else if number > 1 && self.last_page.values == next {
            Some(true)
        } else if self.seen.repeats(fingerprint(&next)) {
            Some(false)
        } else {
            None
        };
        self.next_pos = Position {
            values: next,
            offset: None,
            encoded_keys: None,
        };
        // M3: exactly at `max_items` on a page boundary, with more to come.
        if self.config.max_items == Some(self.total) {
            self.finish_by_max_items();
            return Ok(());
        }
        if let Some(consecutive) = repeated {
            self.on_repeated_token(number, consecutive);
            return Ok(());
        }
        // L3: each input token set to its value, or removed.
        if let Value::Object(params) = &mut self.params {
            set_tokens(params, self.model.input_tokens(), &self.next_pos.values);
        }
        Ok(())
    }

    fn on_repeated_token(&mut self, page: u64, consecutive: bool) {
        match self.config.duplicate_tokens {
            DuplicateTokenPolicy::Stop => {
                self.resume = Resume::End;
                self.phase = Phase::Done;
            }
            _ => {
                let operation = self.operation();
                let token = token_json(self.model.input_tokens(), &self.next_pos.values);
                self.pending = Some(if consecutive {
                    Error::DuplicateToken {
                        operation,
                        page,
                        token,
                    }
                } else {
                    Error::TokenCycle {
                        operation,
                        page,
                        token,
                    }
                });
                self.phase = Phase::Failing;
            }
        }
    }

    fn finish_by_max_items(&mut self) {
        self.stopped_by_max_items = true;
        self.phase = Phase::Done;
    }

    /// L2: `more_results` first, then each output token; absent values are "no value".
    fn next_token(&self, page: &Value) -> Result<Vec<Option<Value>>, Error> {
        let inner = self.model.inner();
        let tokens = inner.output_tokens.len();
        if let Some(more) = &inner.more_results {
            let flag = more
                .search(page)
                .map_err(|reason| self.expression_failed(more.as_str(), reason))?;
            if is_absent(flag.as_deref()) {
                return Ok(vec![None; tokens]);
            }
        }
        inner
            .output_tokens
            .iter()
            .map(|expr| {
                let value = expr
                    .search(page)
                    .map_err(|reason| self.expression_failed(expr.as_str(), reason))?;
                Ok(value
                    .filter(|v| !is_absent(Some(v)))
                    .map(std::borrow::Cow::into_owned))
            })
            .collect()
    }

    fn expression_failed(&self, expression: &str, reason: String) -> Error {
        Error::Expression {
            operation: self.operation(),
            expression: expression.to_owned(),
            page: self.pages,
            reason,
        }
    }

    fn unsupported(&self, key: &str, found: &'static str, action: &'static str) -> Error {
        Error::UnsupportedResult {
            operation: self.operation(),
            key: key.to_owned(),
            page: self.pages,
            found,
            action,
        }
    }

    /// R2: the position after the last page returned, if anything is left.
    pub(crate) fn resume_position(&self) -> Option<std::borrow::Cow<'_, Position>> {
        use std::borrow::Cow;
        if self.phase == Phase::Fresh {
            return self.initial_position().ok().map(Cow::Owned);
        }
        match &self.resume {
            Resume::Next => Some(Cow::Borrowed(&self.next_pos)),
            Resume::Cut(p) => Some(Cow::Borrowed(p)),
            Resume::End => None,
        }
    }

    pub(crate) fn encode(&self, position: &Position) -> String {
        position.encode(self.model.input_tokens())
    }

    /// The position that fetched the last page returned.
    pub(crate) fn last_page(&self) -> &Position {
        &self.last_page
    }

    pub(crate) fn non_aggregate_part(&self) -> Option<&Value> {
        self.non_aggregate.as_ref()
    }

    pub(crate) fn stopped_by_max_items(&self) -> bool {
        self.stopped_by_max_items
    }

    pub(crate) fn pages_taken(&self) -> u64 {
        self.pages
    }
}

fn set_tokens(params: &mut Map<String, Value>, names: &[String], values: &[Option<Value>]) {
    for (name, value) in names.iter().zip(values) {
        match value {
            Some(v) if !is_absent(Some(v)) => {
                params.insert(name.clone(), v.clone());
            }
            _ => {
                params.remove(name);
            }
        }
    }
}

/// The token as JSON for error messages, e.g. `{"Marker": "m2"}`.
fn token_json(names: &[String], values: &[Option<Value>]) -> String {
    let mut map = Map::new();
    for (name, value) in names.iter().zip(values) {
        map.insert(name.clone(), value.clone().unwrap_or(Value::Null));
    }
    preview(&Value::Object(map).to_string())
}

/// G5: the non-aggregate keys of a page, a missing one as `null` (G4).
fn non_aggregate_part(model: &Model, page: &Value) -> Value {
    let mut part = Map::new();
    for key in &model.inner().non_aggregate_keys {
        let value = key.get(page).cloned().unwrap_or(Value::Null);
        // Only fails when one key is a prefix of another; the first one written wins.
        let _ = key.set(&mut part, value);
    }
    Value::Object(part)
}

/// M1: lists count their elements, strings their characters, objects their keys.
pub(crate) fn count_items(value: Option<&Value>) -> Result<u64, &'static str> {
    let n = match value {
        None | Some(Value::Null) => 0,
        Some(Value::Array(a)) => a.len(),
        Some(Value::String(s)) => s.chars().count(),
        Some(Value::Object(o)) => o.len(),
        Some(other) => return Err(json_type(other)),
    };
    Ok(n as u64)
}

/// M2: keeps the first `keep` items. Objects have no order to cut by.
fn truncate(value: &mut Value, keep: u64) -> Result<(), &'static str> {
    let keep = usize::try_from(keep).unwrap_or(usize::MAX);
    match value {
        Value::Array(a) => a.truncate(keep),
        Value::String(s) => {
            if let Some((at, _)) = s.char_indices().nth(keep) {
                s.truncate(at);
            }
        }
        Value::Null => {}
        other => return Err(json_type(other)),
    }
    Ok(())
}

/// R6: drops the first `offset` items; past the end leaves an empty value.
fn skip_front(value: &mut Value, offset: u64) -> Result<(), &'static str> {
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    match value {
        Value::Array(a) => {
            a.drain(..offset.min(a.len()));
        }
        Value::String(s) => {
            let at = s.char_indices().nth(offset).map_or(s.len(), |(at, _)| at);
            s.drain(..at);
        }
        Value::Null => {}
        _ if offset == 0 => {}
        other => return Err(json_type(other)),
    }
    Ok(())
}

/// R6: a secondary result already returned before the resume.
fn blank(value: &mut Value) {
    match value {
        Value::Array(a) => a.clear(),
        Value::String(s) => s.clear(),
        Value::Number(_) => {}
        other => *other = Value::Null,
    }
}

/// Remembers the next tokens of a run in bounded memory. The first `EXACT` tokens are kept
/// (as fingerprints), so a cycle among them is caught the moment it closes; after that Brent's
/// algorithm watches the sequence in constant memory, catching a longer cycle within about
/// twice its length. Streaming a long listing therefore stays flat in memory.
#[derive(Debug, Default)]
struct CycleGuard {
    exact: HashSet<u64>,
    /// Brent's "tortoise": the token at the last power-of-two checkpoint.
    checkpoint: Option<u64>,
    power: u64,
    since: u64,
}

impl CycleGuard {
    const EXACT: usize = 4096;

    /// Records `token`; true if it was seen before.
    fn repeats(&mut self, token: u64) -> bool {
        if self.exact.contains(&token) || self.checkpoint == Some(token) {
            return true;
        }
        if self.exact.len() < Self::EXACT {
            self.exact.insert(token);
            return false;
        }
        self.since += 1;
        if self.since >= self.power {
            self.checkpoint = Some(token);
            self.power = (self.power * 2).max(1);
            self.since = 0;
        }
        false
    }
}

/// A hash of a token, equal for tokens Python would call equal (objects in any key order,
/// `1` and `1.0`). Only used to detect cycles; 8 bytes per page.
fn fingerprint(values: &[Option<Value>]) -> u64 {
    let mut h = DefaultHasher::new();
    for v in values {
        match v {
            None => 0u8.hash(&mut h),
            Some(v) => {
                1u8.hash(&mut h);
                hash_value(v).hash(&mut h);
            }
        }
    }
    h.finish()
}

fn hash_value(v: &Value) -> u64 {
    let mut h = DefaultHasher::new();
    match v {
        Value::Null => 0u8.hash(&mut h),
        Value::Bool(b) => (1u8, b).hash(&mut h),
        Value::Number(n) => {
            let as_int = n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 1e38)
                        .map(|f| f as i128)
                });
            match as_int {
                Some(i) => (2u8, i).hash(&mut h),
                None => (3u8, n.as_f64().map(f64::to_bits)).hash(&mut h),
            }
        }
        Value::String(s) => (4u8, s).hash(&mut h),
        Value::Array(a) => {
            5u8.hash(&mut h);
            for item in a {
                hash_value(item).hash(&mut h);
            }
        }
        Value::Object(o) => {
            // Order-insensitive, as Python's dict equality is.
            let sum = o.iter().fold(0u64, |acc, (k, item)| {
                let mut e = DefaultHasher::new();
                (k, hash_value(item)).hash(&mut e);
                acc.wrapping_add(e.finish())
            });
            (6u8, sum).hash(&mut h);
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn m1_counts() {
        assert_eq!(count_items(None), Ok(0));
        assert_eq!(count_items(Some(&json!(null))), Ok(0));
        assert_eq!(count_items(Some(&json!([1, 2]))), Ok(2));
        assert_eq!(count_items(Some(&json!("héllo😀"))), Ok(6));
        assert_eq!(count_items(Some(&json!({"a": 1}))), Ok(1));
        assert_eq!(count_items(Some(&json!(5))), Err("number"));
    }

    #[test]
    fn m2_r6_cutting_and_skipping() {
        let mut s = json!("héllo😀!");
        truncate(&mut s, 6).unwrap();
        assert_eq!(s, json!("héllo😀"));
        skip_front(&mut s, 5).unwrap();
        assert_eq!(s, json!("😀"));
        skip_front(&mut s, 10).unwrap();
        assert_eq!(s, json!(""));
        let mut a = json!([1, 2, 3]);
        skip_front(&mut a, 1).unwrap();
        truncate(&mut a, 1).unwrap();
        assert_eq!(a, json!([2]));
        assert_eq!(truncate(&mut json!({"a": 1}), 0), Err("object"));
        assert_eq!(skip_front(&mut json!({"a": 1}), 1), Err("object"));
        assert_eq!(skip_front(&mut json!({"a": 1}), 0), Ok(()));
    }

    #[test]
    fn r6_blanking() {
        for (before, after) in [
            (json!([1]), json!([])),
            (json!("abc"), json!("")),
            (json!(7), json!(7)),
            (json!({"a": 1}), json!(null)),
            (json!(true), json!(null)),
        ] {
            let mut v = before;
            blank(&mut v);
            assert_eq!(v, after);
        }
    }

    #[test]
    fn l6_long_cycles_are_caught_in_bounded_memory() {
        for (start, period) in [(0u64, 3u64), (10, 1), (5000, 7), (4000, 200), (9000, 2500)] {
            let mut guard = CycleGuard::default();
            let mut caught = None;
            for i in 0..(start + 10 * period + 20_000) {
                let token = if i < start {
                    i
                } else {
                    start + (i - start) % period
                };
                if guard.repeats(token) {
                    caught = Some(i);
                    break;
                }
            }
            let at = caught.unwrap_or_else(|| panic!("cycle of {period} after {start} not caught"));
            assert!(
                at >= start + period,
                "no false alarm before the first repeat"
            );
            assert!(at <= 2 * (start + period) + 2 * period, "caught late: {at}");
            assert!(guard.exact.len() <= CycleGuard::EXACT);
        }
        let mut guard = CycleGuard::default();
        assert!(
            (0..100_000).all(|i| !guard.repeats(i)),
            "distinct tokens never alarm"
        );
    }

    #[test]
    fn l6_fingerprints_follow_python_equality() {
        let a = vec![Some(json!({"k": 1, "j": "x"}))];
        let b = vec![Some(json!({"j": "x", "k": 1.0}))];
        assert_eq!(fingerprint(&a), fingerprint(&b));
        let big1 = vec![Some(json!(1u64 << 60))];
        let big2 = vec![Some(json!((1u64 << 60) + 1))];
        assert_ne!(fingerprint(&big1), fingerprint(&big2));
        assert_ne!(
            fingerprint(&[None, Some(json!("a"))]),
            fingerprint(&[Some(json!("a")), None])
        );
    }
}
