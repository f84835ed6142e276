//! Where a run stands ([`State`]) and every move between its phases.
//!
//! Each move is one method here, and each checks the phase it moves from with a
//! `debug_assert!` (the model is quinn-proto's connection `state.rs`); nothing outside this file
//! assigns a phase. A move asked for from the wrong phase is a driver that broke the calling
//! protocol of [`Run`](super::Run), never something a user or a server can cause: debug builds
//! stop there, release builds keep the phase as it was and let the caller report the breach as
//! an error instead of panicking.
//!
//! The moves, by the phase they leave:
//!
//! - Fresh: [`State::begin`] → Requested (L1), [`State::refuse`] → Done (O2, O3);
//! - Ready: [`State::send`] → Requested (L3), [`State::page_limit`] → Done (O5);
//! - Requested: [`State::answer`] → Taking, [`State::request_failed`] → Done (L7, G8);
//! - Taking: [`State::took`] → Ready, Done or Failing (L2, L6, M2, M3),
//!   [`State::page_refused`] → Done (L7);
//! - Failing: [`State::report`] → Done (L6);
//! - Done: none; every further step is the end.

use std::mem;

use crate::error::Error;
use crate::token::Position;

/// One phase of a run. Each carries the data valid in it, so "what would a resume token be"
/// has exactly one answer per phase.
#[derive(Debug)]
pub(super) enum Phase {
    /// No request made yet; the options may still change.
    Fresh,
    /// Between pages: the next request fetches `next` (L3).
    Ready { next: Position },
    /// The request for `next` is out; exactly one answer is awaited.
    Requested { next: Position },
    /// A page is being taken: the position that fetched it is in [`Run::accept`]'s hands,
    /// and the run is borrowed until it moves on. Never seen from outside the engine.
    ///
    /// [`Run::accept`]: super::Run::accept
    Taking,
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
pub(super) enum End {
    /// The service sent no next token (L2).
    Exhausted,
    /// `max_items` was reached (M2, M3).
    MaxItems,
    /// A repeated token under the `Stop` policy (L6).
    RepeatedToken,
    /// An error was reported: the options, the transport, a page or `max_pages`.
    Failed,
}

/// What the rules made of a page taken: the phase the run moves to from [`Phase::Taking`].
#[derive(Debug)]
pub(super) enum Taken {
    /// More to fetch, from `next` (L3).
    Next(Position),
    /// Nothing more will be requested (L2, L6 `Stop`, M2, M3).
    Ended { end: End, resume: Option<Position> },
    /// The page is handed out, then `error` (L6).
    Failing {
        error: Error,
        resume: Option<Position>,
    },
}

/// The phase of a run, changed only through the moves below.
#[derive(Debug)]
pub(super) struct State {
    phase: Phase,
}

impl State {
    /// A run not started.
    pub(super) fn fresh() -> State {
        State {
            phase: Phase::Fresh,
        }
    }

    /// A run that reports `error` on its first step and sends nothing.
    pub(super) fn failing(error: Error) -> State {
        State {
            phase: Phase::Failing {
                error,
                resume: None,
            },
        }
    }

    pub(super) fn phase(&self) -> &Phase {
        &self.phase
    }

    /// The name of the phase, for a breach's message.
    pub(super) fn name(&self) -> &'static str {
        phase_name(&self.phase)
    }

    /// Fresh → Requested: the options were applied and the first request is out (L1).
    pub(super) fn begin(&mut self, first: Position) {
        debug_assert!(
            matches!(self.phase, Phase::Fresh),
            "begin: a run started twice (it was {})",
            self.name()
        );
        if let Phase::Fresh = self.phase {
            self.phase = Phase::Requested { next: first };
        }
    }

    /// Fresh → Done: the options were refused (O2, O3, L1); no position to resume from.
    pub(super) fn refuse(&mut self) {
        debug_assert!(
            matches!(self.phase, Phase::Fresh),
            "refuse: options refused after the run started (it was {})",
            self.name()
        );
        if let Phase::Fresh = self.phase {
            self.phase = Phase::Done {
                end: End::Failed,
                resume: None,
            };
        }
    }

    /// Ready → Requested: the next request is out. Asked while a request is already out, it
    /// is a driver asking for the next request twice; release builds then stay Requested and
    /// the same request goes out again.
    pub(super) fn send(&mut self) {
        debug_assert!(
            matches!(self.phase, Phase::Ready { .. }),
            "send: the next request was asked for while the run was {}",
            self.name()
        );
        if let Phase::Ready { next } = &mut self.phase {
            let next = mem::take(next);
            self.phase = Phase::Requested { next };
        }
    }

    /// Ready → Done: `max_pages` is reached (O5); the resume token fetches the page not
    /// fetched.
    pub(super) fn page_limit(&mut self) {
        debug_assert!(
            matches!(self.phase, Phase::Ready { .. }),
            "page_limit: reached while the run was {}",
            self.name()
        );
        if let Phase::Ready { next } = &mut self.phase {
            let next = mem::take(next);
            self.phase = Phase::Done {
                end: End::Failed,
                resume: Some(next),
            };
        }
    }

    /// Failing → Done: the error waiting after a page is reported (L6).
    pub(super) fn report(&mut self) -> Option<Error> {
        debug_assert!(
            matches!(self.phase, Phase::Failing { .. }),
            "report: no error waits in a run that is {}",
            self.name()
        );
        let done = Phase::Done {
            end: End::Failed,
            resume: None,
        };
        match mem::replace(&mut self.phase, done) {
            Phase::Failing { error, resume } => {
                self.phase = Phase::Done {
                    end: End::Failed,
                    resume,
                };
                Some(error)
            }
            // Not failing (the assertion above): the phase stays as it was.
            other => {
                self.phase = other;
                None
            }
        }
    }

    /// Requested → Taking: a page arrived; returns the position that fetched it. `None`
    /// (and the phase unchanged) when no request was out: a page handed to a run that
    /// requested none.
    pub(super) fn answer(&mut self) -> Option<Position> {
        debug_assert!(
            matches!(self.phase, Phase::Requested { .. }),
            "answer: a page was handed to a run with no request out (it was {})",
            self.name()
        );
        let Phase::Requested { next } = &mut self.phase else {
            return None;
        };
        let fetched_by = mem::take(next);
        self.phase = Phase::Taking;
        Some(fetched_by)
    }

    /// Requested → Done: the request got no page the rules could take (the transport
    /// failed, or the body is not JSON); the resume token fetches that page again (L7, G8).
    /// With no request out, the phase stays as it was.
    pub(super) fn request_failed(&mut self) {
        debug_assert!(
            matches!(self.phase, Phase::Requested { .. }),
            "request_failed: a failed answer was handed to a run with no request out (it was {})",
            self.name()
        );
        if let Phase::Requested { next } = &mut self.phase {
            let next = mem::take(next);
            self.phase = Phase::Done {
                end: End::Failed,
                resume: Some(next),
            };
        }
    }

    /// Taking → Ready, Done or Failing: the rules took the page (L2, L6, M2, M3).
    pub(super) fn took(&mut self, taken: Taken) {
        debug_assert!(
            matches!(self.phase, Phase::Taking),
            "took: a page was taken while the run was {}",
            self.name()
        );
        if !matches!(self.phase, Phase::Taking) {
            return;
        }
        self.phase = match taken {
            Taken::Next(next) => Phase::Ready { next },
            Taken::Ended { end, resume } => Phase::Done { end, resume },
            Taken::Failing { error, resume } => Phase::Failing { error, resume },
        };
    }

    /// Taking → Done: the rules refused the page (L7); the resume token fetches it again.
    pub(super) fn page_refused(&mut self, fetched_by: Position) {
        debug_assert!(
            matches!(self.phase, Phase::Taking),
            "page_refused: a page was refused while the run was {}",
            self.name()
        );
        if matches!(self.phase, Phase::Taking) {
            self.phase = Phase::Done {
                end: End::Failed,
                resume: Some(fetched_by),
            };
        }
    }
}

fn phase_name(phase: &Phase) -> &'static str {
    match phase {
        Phase::Fresh => "fresh",
        Phase::Ready { .. } => "ready",
        Phase::Requested { .. } => "requested",
        Phase::Taking => "taking a page",
        Phase::Failing { .. } => "failing",
        Phase::Done { .. } => "done",
    }
}
