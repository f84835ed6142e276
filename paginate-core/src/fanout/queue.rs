//! The fan-out's ready queue: which active member is polled next.
//!
//! A member whose element is not ready is parked in futures' `FuturesUnordered` as a
//! `StreamFuture`, which polls it again only once its waker fires: a wake costs the same with
//! 8 runs or 1,000. A member that has just handed out an element is not parked again (that
//! would allocate a task per element) but goes to the back of a round-robin of members
//! with an element likely in hand, polled directly whenever no parked member is ready. So a
//! member with buffered elements does not starve the others: it waits behind every member
//! that woke and every member ahead of it in the round-robin, and when it has nothing more
//! in hand it is parked. Every step is O(1) in the number of runs.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::{FuturesUnordered, StreamExt, StreamFuture};

/// An active member with its run index. The stream is boxed so that moving the member
/// between the round-robin and the parked set moves a pointer.
pub(super) struct Indexed<S> {
    pub(super) run: usize,
    pub(super) stream: Box<S>,
}

impl<S: Stream + Unpin> Stream for Indexed<S> {
    type Item = S::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        Pin::new(&mut *self.get_mut().stream).poll_next(cx)
    }
}

/// What a member said when polled (an element, an error or its end), and the member.
pub(super) type Said<S> = (Option<<S as Stream>::Item>, Indexed<S>);

/// The active members: parked until woken, or in the round-robin.
pub(super) struct ReadyQueue<S> {
    parked: FuturesUnordered<StreamFuture<Indexed<S>>>,
    in_hand: VecDeque<Indexed<S>>,
}

impl<S> ReadyQueue<S> {
    pub(super) fn new() -> ReadyQueue<S> {
        ReadyQueue {
            parked: FuturesUnordered::new(),
            in_hand: VecDeque::new(),
        }
    }

    /// How many members are active.
    pub(super) fn len(&self) -> usize {
        self.parked.len() + self.in_hand.len()
    }
}

impl<S: Stream + Unpin> ReadyQueue<S> {
    /// A member let in: parked, so that the next poll polls it.
    pub(super) fn insert(&mut self, run: usize, stream: S) {
        let member = Indexed {
            run,
            stream: Box::new(stream),
        };
        self.parked.push(member.into_future());
    }

    /// A member that has just handed out an element goes to the back of the round-robin.
    pub(super) fn requeue(&mut self, member: Indexed<S>) {
        self.in_hand.push_back(member);
    }

    /// Every active member, in no particular order.
    pub(super) fn members(&self) -> impl Iterator<Item = &Indexed<S>> {
        self.parked
            .iter()
            .filter_map(StreamFuture::get_ref)
            .chain(&self.in_hand)
    }

    /// The next member with something to say (an element, an error or its end), taken out
    /// of the queue with what it said; `None` when no member is active.
    pub(super) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Said<S>>> {
        loop {
            // The members that woke first.
            if let Poll::Ready(Some(said)) = Pin::new(&mut self.parked).poll_next(cx) {
                return Poll::Ready(Some(said));
            }
            let Some(mut member) = self.in_hand.pop_front() else {
                return match self.parked.is_empty() {
                    true => Poll::Ready(None),
                    false => Poll::Pending,
                };
            };
            match Pin::new(&mut member).poll_next(cx) {
                Poll::Ready(said) => return Poll::Ready(Some((said, member))),
                // Parked: the next turn of the loop polls it once more, with a waker of
                // the parked set's own, so that only its wake brings it back.
                Poll::Pending => self.parked.push(member.into_future()),
            }
        }
    }
}
