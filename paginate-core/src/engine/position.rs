//! The pagination styles' part of a run (SEMANTICS §8): where a position's values go in the
//! next request (P2, P3, P9, P11), how a page moves the position (P4, P5, P10) and what else
//! ends a listing (P7, P8). A botocore model (`Advance::Tokens`, every target a parameter, no
//! stop rule) goes through exactly the rules it went through before (P12). Also where a run
//! starts: the first request's position (a starting token's, or the caller's params: R3–R5,
//! L1) and how many of the listing's pages come before it (K3).

use std::borrow::Cow;

use http::HeaderValue;
use serde_json::{Map, Value};
use url::Url;

use super::Run;
use crate::body::ReplyMeta;
use crate::error::{Error, TokenError, preview};
use crate::expr::is_absent;
use crate::page::TakenPage;
use crate::route::Route;
use crate::style::{Advance, Source, SourceFailed, Target, resolve_url};
use crate::token::Position;

/// What a request is sent with, besides the operation and the page number.
pub(super) struct RequestParts<'a> {
    pub(super) params: Cow<'a, Map<String, Value>>,
    pub(super) route: Option<&'a Route>,
    pub(super) url: Option<&'a Url>,
}

impl Run {
    /// L3, P2, P11: puts each of the position's values where the style sends it: a request
    /// parameter (set, or removed when the value is absent), a request header, the URL.
    /// `Err` is why a URL value is not one (only a starting token can carry such a value).
    pub(super) fn apply_position(&mut self, values: &[Option<Value>]) -> Result<(), String> {
        let targets = &self.model.inner().style.targets;
        let Value::Object(params) = &mut self.params else {
            // L1: `start` made the params an object before any position is applied.
            debug_assert!(
                false,
                "a position was applied to params that are not an object"
            );
            return Ok(());
        };
        // L2 reads botocore's tokens as Python's truth does; an offset or page number of 0 is
        // a value (P4, P5): only `null` is none there.
        let absent = |v: &Value| match self.model.inner().style.advance {
            Advance::Tokens | Advance::NextUrl { .. } => is_absent(Some(v)),
            Advance::Offset | Advance::PageNumber { .. } => v.is_null(),
        };
        // The page size a position records (P2, P5) is no continuation by itself.
        let moving = if self.model.inner().style.records_size() {
            values.get(..1).unwrap_or_default()
        } else {
            values
        };
        self.continued = moving.iter().flatten().any(|v| !absent(v));
        for (target, value) in targets.iter().zip(values) {
            let value = value.as_ref().filter(|v| !absent(v));
            match target {
                Target::Param(name) => match value {
                    Some(v) => {
                        params.insert(name.clone(), v.clone());
                    }
                    None => {
                        params.remove(name);
                    }
                },
                Target::Header(name) => match value.map(header_value).transpose()? {
                    Some(v) => {
                        self.headers.insert(name.clone(), v);
                    }
                    None => {
                        self.headers.remove(name);
                    }
                },
                Target::Url => {
                    self.url = match value {
                        None => None,
                        Some(Value::String(text)) => Some(absolute_url(text)?),
                        Some(other) => {
                            return Err(format!(
                                "a URL must be a string, not {}",
                                crate::token::json_type(other)
                            ));
                        }
                    };
                }
            }
        }
        Ok(())
    }

    /// The params, route and URL of the next request. A request that continues a listing
    /// whose style narrows it (P2, P3, P9) carries only the position's parameters, the
    /// re-sent ones and the page size; every other request carries the params as the rules
    /// left them.
    pub(super) fn request_parts<'a>(&'a self, params: &'a Map<String, Value>) -> RequestParts<'a> {
        let inner = self.model.inner();
        let style = &inner.style;
        if !(self.continued && style.narrows_later_requests()) {
            return RequestParts {
                params: Cow::Borrowed(params),
                route: inner.route.as_ref(),
                url: None,
            };
        }
        // P3: the page size goes with a URL request; a continuation route takes it only when
        // it is re-sent (Dropbox's `/continue` takes the cursor alone).
        let follows_url = matches!(style.advance, Advance::NextUrl { .. });
        let kept = |name: &String| {
            style.resend.contains(name)
                || (follows_url && inner.limit_key.as_ref() == Some(name))
                || style
                    .targets
                    .iter()
                    .any(|t| matches!(t, Target::Param(p) if p == name))
        };
        let narrowed = params
            .iter()
            .filter(|(name, _)| kept(name))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        match (&style.advance, &style.continue_route) {
            (Advance::NextUrl { .. }, _) => RequestParts {
                params: Cow::Owned(narrowed),
                route: inner.route.as_ref(),
                url: self.url.as_ref(),
            },
            (_, continued) => RequestParts {
                params: Cow::Owned(narrowed),
                route: continued.as_ref().or(inner.route.as_ref()),
                url: None,
            },
        }
    }

    /// P4–P6: the first request's position of an offset or page-number style that does not
    /// resume: the caller's value, else the declared first value (0 and 1 by default).
    pub(super) fn first_values(&self) -> Option<Vec<Option<Value>>> {
        let style = &self.model.inner().style;
        let default = match style.advance {
            Advance::Offset => 0,
            Advance::PageNumber { .. } => 1,
            Advance::Tokens | Advance::NextUrl { .. } => return None,
        };
        let names = self.model.input_tokens();
        let mut values: Vec<Option<Value>> = names
            .iter()
            .map(|name| self.params.get(name).filter(|v| !v.is_null()).cloned())
            .collect();
        if let Some(first) = values.first_mut()
            && first.is_none()
        {
            *first = Some(style.first.clone().unwrap_or(Value::from(default)));
        }
        Some(values)
    }

    /// P5: a page-number token records the page size it was made with (its second value);
    /// the run resumes with that size, and refuses another one.
    pub(super) fn check_recorded_size(&mut self, position: &Position) -> Result<(), Error> {
        let style = &self.model.inner().style;
        let (true, Some(limit_key)) = (style.records_size(), self.model.limit_key()) else {
            return Ok(());
        };
        if position.values.first().is_none_or(Option::is_none) {
            // A token from before the first page: no page number, so no page size either.
            return Ok(());
        }
        let recorded = position.values.get(1).cloned().flatten();
        let requested = self.params.get(limit_key).cloned();
        let as_size = |v: &Option<Value>| v.as_ref().and_then(whole_number);
        match (&recorded, &requested) {
            (Some(size), None) => {
                // The run sets no size: it takes the token's.
                if let Value::Object(params) = &mut self.params {
                    params.insert(limit_key.to_owned(), size.clone());
                }
                Ok(())
            }
            _ if as_size(&recorded) == as_size(&requested) => Ok(()),
            _ => {
                let shown = |v: &Option<Value>| v.as_ref().map_or("default".to_owned(), size_text);
                Err(Error::InvalidToken {
                    operation: self.operation(),
                    token: preview(self.config.starting_token.as_deref().unwrap_or_default()),
                    reason: TokenError::PageSizeChanged {
                        recorded: shown(&recorded),
                        requested: shown(&requested),
                    },
                })
            }
        }
    }

    /// P2, R5: the URL a starting token sets must be on the listing's route: its path holds
    /// the route's path (placeholders filled from the caller's params when they are there,
    /// else the route's path after its last placeholder) on segment boundaries. The origin is
    /// the transport's to check; this keeps a token from moving a listing to another path of
    /// the same API. `Err` says why.
    pub(super) fn check_token_url(&self) -> Result<(), String> {
        let (Some(url), Some(route)) = (&self.url, self.model.route()) else {
            return Ok(());
        };
        let path_of = |route: &Route| {
            route
                .as_str()
                .split_once(' ')
                .map_or(String::new(), |(_, path)| path.to_owned())
        };
        let wanted = match &self.params {
            Value::Object(params) => route.render(params).map(|r| r.path).ok(),
            _ => None,
        }
        .unwrap_or_else(|| {
            let path = path_of(route);
            match path.rfind('}') {
                Some(end) => path[end + 1..].to_owned(),
                None => path,
            }
        });
        let wanted = wanted.trim_end_matches('/');
        let path = url.path();
        let on_route = wanted.is_empty()
            || path.match_indices(wanted).any(|(at, _)| {
                let after = &path[at + wanted.len()..];
                let before_ok = wanted.starts_with('/') || path[..at].ends_with('/');
                before_ok && (after.is_empty() || after.starts_with('/'))
            });
        if on_route {
            Ok(())
        } else {
            Err(format!(
                "`{}` is not on this listing's route `{}`: a token resumes the listing it came \
                 from",
                preview(url.as_str()),
                route.as_str()
            ))
        }
    }

    /// The page size the run's requests ask for, if it has one: the limit parameter's value.
    pub(super) fn requested_page_size(&self) -> Option<u64> {
        match self.model.inner().style.limit.as_ref()? {
            Target::Header(_) => self.config.page_size,
            _ => self
                .params
                .get(self.model.limit_key()?)
                .and_then(whole_number),
        }
    }

    /// L2, P2, P4, P5, P7, P8, P10: the position after `page` (fetched by `fetched_by`, whose
    /// response said `meta`; `received` primary items as received), or `None` when the
    /// listing ends there.
    pub(super) fn advance(
        &self,
        page: &TakenPage,
        meta: &ReplyMeta,
        fetched_by: &Position,
        received: Option<u64>,
        number: u64,
    ) -> Result<Option<Vec<Option<Value>>>, Error> {
        let inner = self.model.inner();
        let style = &inner.style;
        if let Some(more) = &inner.more_results {
            let flag = page
                .search(more)
                .map_err(|failed| self.search_failed(more.as_str(), number, failed))?;
            if is_absent(flag.as_ref()) {
                return Ok(None);
            }
        }
        let counted = matches!(style.advance, Advance::Offset | Advance::PageNumber { .. });
        let stops = &style.stops;
        if (stops.empty_page || counted) && received == Some(0) {
            return Ok(None);
        }
        if stops.short_page
            && let (Some(received), Some(size)) = (received, self.page_size)
            && received < size
        {
            return Ok(None);
        }
        let read = |source: &Source| {
            source
                .read(page, meta)
                .map(|v| v.filter(|v| !is_absent(Some(v))))
                .map_err(|failed| self.source_failed(source.as_str(), number, failed))
        };
        let values = match &style.advance {
            Advance::Tokens => {
                let values = inner
                    .output_tokens
                    .iter()
                    .map(read)
                    .collect::<Result<Vec<_>, _>>()?;
                if values.iter().all(Option::is_none) {
                    return Ok(None); // L2
                }
                values
            }
            Advance::NextUrl { source, .. } => {
                let Some(value) = read(source)? else {
                    return Ok(None);
                };
                let url = resolve_url(&value, meta)
                    .map_err(|reason| self.bad_position(source.as_str(), number, &value, reason))?;
                let mut values = vec![Some(Value::String(url.into()))];
                values.extend(fetched_by.values.get(1).cloned());
                values
            }
            Advance::Offset => {
                let name = self.model.input_tokens()[0].as_str();
                let at = self.whole_value(name, fetched_by, number)?;
                let received = received.ok_or_else(|| {
                    self.bad_position(
                        name,
                        number,
                        &Value::Null,
                        "the page's result cannot be counted".into(),
                    )
                })?;
                let next = at.saturating_add(received);
                // P8: items up to the next offset, counted from the first one (`first = "1"`).
                let first = style.first.as_ref().and_then(whole_number).unwrap_or(0);
                if let Some(total) = &stops.total
                    && self.total_reached(total, page, meta, number, next.saturating_sub(first))?
                {
                    return Ok(None);
                }
                vec![Some(Value::from(next))]
            }
            Advance::PageNumber { .. } => {
                let name = self.model.input_tokens()[0].as_str();
                let at = self.whole_value(name, fetched_by, number)?;
                if let Some(total) = &stops.total
                    && let Some(size) = self.page_size
                {
                    let first = style.first.as_ref().and_then(whole_number).unwrap_or(1);
                    let pages = at.saturating_sub(first).saturating_add(1);
                    if self.total_reached(total, page, meta, number, pages.saturating_mul(size))? {
                        return Ok(None);
                    }
                }
                let next = match inner.output_tokens.first() {
                    Some(source) => match read(source)? {
                        None => return Ok(None),
                        Some(value) => value,
                    },
                    None => Value::from(at.saturating_add(1)),
                };
                let mut values = vec![Some(next)];
                values.extend(fetched_by.values.get(1).cloned());
                values
            }
        };
        Ok(Some(values))
    }

    /// P8: whether `reached` items reach the total the page gives.
    fn total_reached(
        &self,
        total: &Source,
        page: &TakenPage,
        meta: &ReplyMeta,
        number: u64,
        reached: u64,
    ) -> Result<bool, Error> {
        let value = total
            .read(page, meta)
            .map_err(|failed| self.source_failed(total.as_str(), number, failed))?;
        Ok(match value {
            None => false,
            Some(v) if is_absent(Some(&v)) => false,
            Some(v) => match whole_number(&v) {
                Some(total) => reached >= total,
                None => {
                    return Err(self.bad_position(
                        total.as_str(),
                        number,
                        &v,
                        "a total must be a whole number".into(),
                    ));
                }
            },
        })
    }

    /// The position of the first request: the starting token's, or else the token values the
    /// caller put in the params. (botocore records `None` for the latter, so a run that starts
    /// from a caller's marker and is cut by `max_items` resumes from the very beginning.)
    pub(super) fn initial_position(&self) -> Result<Position, Error> {
        let tokens = self.model.input_tokens();
        match self.starting_token() {
            Some(token) => Position::decode(token, tokens).map_err(|reason| Error::InvalidToken {
                operation: self.operation(),
                token: preview(token),
                reason,
            }),
            // P2: a URL to follow comes from a page or a token, never from a param that
            // happens to be named `next_url`.
            None if matches!(self.model.inner().style.advance, Advance::NextUrl { .. }) => {
                Ok(Position::empty(tokens.len()))
            }
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

    /// The listing's pages before the one `position` fetches first, when the position says
    /// (for [`PageNumber`](crate::PageNumber)): none at a listing's start (no value); for a
    /// page number (P5), its distance from `first`; for an offset (P4) on a page boundary of
    /// the run's page size, the pages before it. A cursor cannot say.
    pub(super) fn pages_before(&self, position: &Position) -> Option<u64> {
        let style = &self.model.inner().style;
        let first = style.first.as_ref().and_then(whole_number);
        let at = || position.values.first()?.as_ref().and_then(whole_number);
        match style.advance {
            Advance::PageNumber { .. } => at()?.checked_sub(first.unwrap_or(1)),
            Advance::Offset => {
                let from = at()?.checked_sub(first.unwrap_or(0))?;
                let size = self.page_size.filter(|size| *size > 0)?;
                (from % size == 0).then_some(from / size)
            }
            Advance::Tokens | Advance::NextUrl { .. } => {
                let start =
                    position.values.iter().all(Option::is_none) && position.offset.is_none();
                start.then_some(0)
            }
        }
    }

    /// The offset or page number of the position that fetched the page.
    fn whole_value(&self, name: &str, fetched_by: &Position, number: u64) -> Result<u64, Error> {
        let value = fetched_by.values.first().cloned().flatten();
        match &value {
            None => Ok(0),
            Some(v) => whole_number(v).ok_or_else(|| {
                self.bad_position(name, number, v, "it must be a whole number".into())
            }),
        }
    }

    fn source_failed(&self, from: &str, number: u64, failed: SourceFailed) -> Error {
        match failed {
            SourceFailed::Search(failed) => self.search_failed(from, number, failed),
            SourceFailed::Meta { value, reason } => Error::BadPosition {
                operation: self.operation(),
                page: self.page_number(number),
                from: from.to_owned(),
                value: preview(&value),
                reason,
            },
        }
    }

    fn bad_position(&self, from: &str, number: u64, value: &Value, reason: String) -> Error {
        Error::BadPosition {
            operation: self.operation(),
            page: self.page_number(number),
            from: from.to_owned(),
            value: preview(&value.to_string()),
            reason,
        }
    }
}

impl Run {
    /// P4: an offset position's token carries the items handed out of its page in the offset
    /// itself, so it resumes under any page size (a `boto_truncate_amount` counts items of a
    /// page, whose bounds move with the page size).
    pub(super) fn folded<'p>(&self, position: Cow<'p, Position>) -> Cow<'p, Position> {
        let (Advance::Offset, Some(handed)) = (&self.model.inner().style.advance, position.offset)
        else {
            return position;
        };
        let at = position.values.first().cloned().flatten();
        match at.as_ref().map_or(Some(0), whole_number) {
            Some(at) => Cow::Owned(Position {
                values: vec![Some(Value::from(at.saturating_add(handed)))],
                offset: None,
                encoded_keys: position.encoded_keys.clone(),
            }),
            // An offset that is not a number was refused when its page came; keep the token.
            None => position,
        }
    }
}

/// A whole number from a JSON number or a numeric string (`"40"`: query strings and headers).
pub(super) fn whole_number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn size_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A header's value from a position value: a string as it is, anything else as JSON.
fn header_value(value: &Value) -> Result<HeaderValue, String> {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    HeaderValue::from_str(&text)
        .map_err(|_| format!("`{}` cannot be sent in a request header", preview(&text)))
}

/// A URL position's value (P2): absolute, as a page's was made.
fn absolute_url(text: &str) -> Result<Url, String> {
    Url::parse(text).map_err(|e| format!("`{}` is not an absolute URL: {e}", preview(text)))
}
