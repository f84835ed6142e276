//! The rules of one page taken (SEMANTICS L2, L3, L5, L6, M1–M3, R6, R7): what the run makes
//! of a page that arrived, and the phase it moves to. The page comes already read (the driver
//! reads the transport's reply, G8); nothing here sees a reply or its bytes.

use serde_json::Value;

use crate::body::ReplyMeta;

use super::Run;
use super::state::{End, Taken};
use crate::cycle::fingerprint;
use crate::error::Error;
use crate::expr::equal;
use crate::options::DuplicateTokenPolicy;
use crate::page::TakenPage;
use crate::token::Position;

impl Run {
    /// `GET https://…`: the request that fetched a page, when the reply said its URL.
    fn request_label(&self, meta: &ReplyMeta) -> Option<Box<str>> {
        let url = meta.url.as_ref()?;
        let label = match &self.model.inner().route {
            Some(route) => format!("{} {url}", route.method().as_str()),
            None => url.to_string(),
        };
        Some(label.into())
    }

    /// Applies the rules to page number `self.pages + 1`, fetched by `fetched_by`, and returns
    /// what the run moves to. Nothing in the run changes unless it succeeds, except the
    /// non-aggregate part of a first page.
    pub(super) fn take_page(
        &mut self,
        page: &mut TakenPage,
        meta: &ReplyMeta,
        fetched_by: &Position,
    ) -> Result<Taken, Error> {
        let number = self.pages + 1;
        let whole_page = self.model.inner().whole_page();
        // L7: a page that is not an object is refused, and fetched again on resume; P1: with
        // `result_key = "@"`, a page that is not an array.
        if whole_page {
            if let Some(found) = page.not_array() {
                return Err(Error::PageNotArray {
                    operation: self.operation(),
                    page: self.page_number(number),
                    found,
                    request: self.request_label(meta),
                    keys: page
                        .top_keys()
                        .iter()
                        .take(20)
                        .map(|k| (*k).to_owned())
                        .collect(),
                });
            }
        } else if let Some(found) = page.not_object() {
            return Err(Error::PageNotObject {
                operation: self.operation(),
                page: self.page_number(number),
                found,
                request: self.request_label(meta),
            });
        }
        // K1: a typo in a declared key shows on the first page a run takes.
        if self.pages == 0
            && let Some(miss) = crate::keys::check_page(&self.model, page)
        {
            return Err(Error::KeyNotOnPage {
                operation: self.operation(),
                page: self.page_number(number),
                field: miss.read.field,
                key: miss.read.key,
                found: miss.found,
                request: self.request_label(meta),
            });
        }
        let inner = self.model.inner();
        let primary = &inner.result_keys[0];
        // L5: the next position is read from the page as received, before any slicing or
        // cutting; so are the items a style counts (P4, P7).
        let received = if inner.style.counts_received() {
            page.count(primary).ok()
        } else {
            None
        };
        let next = self.advance(page, meta, fetched_by, received, number)?;
        let inner = self.model.inner();

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
                return Ok(Taken::Ended {
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

        // L2: no next page when every input token is without a value (P7, P8: or a stop
        // rule ends the listing).
        let Some(next) = next else {
            return Ok(Taken::Ended {
                end: End::Exhausted,
                resume: None,
            });
        };
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
            return Ok(Taken::Ended {
                end: End::MaxItems,
                resume: Some(next),
            });
        }
        if let Some(consecutive) = repeated {
            return Ok(self.on_repeated_token(number, consecutive, next));
        }
        // L3: each input token set to its value, or removed (P2, P11: or the URL and request
        // headers set). A page's values are URLs the rules resolved, so this cannot fail.
        if let Err(reason) = self.apply_position(&next.values) {
            return Err(Error::BadPosition {
                operation: self.operation(),
                page: self.page_number(number),
                from: self.model.input_tokens().join(", "),
                value: crate::token::token_json(self.model.input_tokens(), &next.values),
                reason,
            });
        }
        Ok(Taken::Next(next))
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
            page: self.page_number(page),
            found,
            action,
        }
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
