//! The next token of a page (L2) and what a repeated one does (L6).

use serde_json::Value;

use super::Run;
use super::state::{End, Taken};
use crate::error::Error;
use crate::expr::is_absent;
use crate::options::DuplicateTokenPolicy;
use crate::page::TakenPage;
use crate::token::{Position, token_json};

impl Run {
    pub(super) fn on_repeated_token(&self, page: u64, consecutive: bool, next: Position) -> Taken {
        if self.config.duplicate_tokens == DuplicateTokenPolicy::Stop {
            return Taken::Ended {
                end: End::RepeatedToken,
                resume: None,
            };
        }
        let operation = self.operation();
        let token = token_json(self.model.input_tokens(), &next.values);
        let error = if consecutive {
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
        };
        Taken::Failing {
            error,
            resume: Some(next),
        }
    }

    /// L2: `more_results` first, then each output token; absent values are "no value".
    pub(super) fn next_token(
        &self,
        page: &TakenPage,
        number: u64,
    ) -> Result<Vec<Option<Value>>, Error> {
        let inner = self.model.inner();
        let tokens = inner.output_tokens.len();
        if let Some(more) = &inner.more_results {
            let flag = page
                .search(more)
                .map_err(|failed| self.search_failed(more.as_str(), number, failed))?;
            if is_absent(flag.as_ref()) {
                return Ok(vec![None; tokens]);
            }
        }
        inner
            .output_tokens
            .iter()
            .map(|expr| {
                let value = page
                    .search(expr)
                    .map_err(|failed| self.search_failed(expr.as_str(), number, failed))?;
                Ok(value.filter(|v| !is_absent(Some(v))))
            })
            .collect()
    }
}
