//! What a client counts of its replies ([`Replies`]): response bodies handed to the run
//! unparsed, and pages handed on as JSON values, so the tests can assert which path their
//! pages took.

use std::sync::atomic::{AtomicU64, Ordering};

use paginated::Reply;

/// How many replies a client gave, by kind, since it was made (its clones share the count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Replies {
    /// Response bodies handed on unparsed ([`Content::Body`](paginated::Content::Body)): the run read them.
    pub bodies: u64,
    /// Pages handed on as a `serde_json::Value` ([`Content::Value`](paginated::Content::Value)): the empty page of an
    /// empty body.
    pub values: u64,
}

impl Replies {
    /// The replies given after `earlier` was taken.
    #[must_use]
    pub fn since(self, earlier: Replies) -> Replies {
        Replies {
            bodies: self.bodies.saturating_sub(earlier.bodies),
            values: self.values.saturating_sub(earlier.values),
        }
    }
}

/// The counts behind [`Replies`], shared by a client's clones.
#[derive(Debug, Default)]
pub(crate) struct Counter {
    bodies: AtomicU64,
    values: AtomicU64,
}

impl Counter {
    pub(crate) fn count(&self, reply: &Reply) {
        let kind = match reply.content() {
            paginated::Content::Body(_) => &self.bodies,
            _ => &self.values,
        };
        kind.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn replies(&self) -> Replies {
        Replies {
            bodies: self.bodies.load(Ordering::Relaxed),
            values: self.values.load(Ordering::Relaxed),
        }
    }
}
