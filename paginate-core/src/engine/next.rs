//! The next token of a page (L2) and what a repeated one does (L6).

use super::Run;
use super::state::{End, Taken};
use crate::error::Error;
use crate::options::DuplicateTokenPolicy;
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
                page: self.page_number(page),
                token,
            }
        } else {
            Error::TokenCycle {
                operation,
                page: self.page_number(page),
                token,
            }
        };
        Taken::Failing {
            error,
            resume: Some(next),
        }
    }
}
