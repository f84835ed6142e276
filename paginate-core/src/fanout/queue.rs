//! The fan-out's ready queue: which active member is polled next.
//!
//! A member whose element is not ready is parked in futures' `FuturesUnordered` as a
//! `StreamFuture`, which polls it again only once its waker fires: a wake costs the same with
//! 8 runs or 1,000. Members take turns a page at a time: a member hands out the rest of its
//! page in one go (its turn), and once its page is done it is polled once more at once, so
//! that its next request goes out while the others' pages are handed out, as a task per run
//! would send it. If that poll already has an element (a page that was in hand), the element
//! is handed out and the member goes to the back of a round-robin of members with elements in
//! hand (not parked again, which would allocate a task per element), polled directly, in
//! turns with the members that woke. So no member waits for more than a page of each other
//! member, and every step is O(1) in the number of runs.

use std::collections::VecDeque;
use std::mem;
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

/// The active members: the one whose turn it is, the one whose page is just done, those
/// parked until woken, and those in the round-robin.
pub(super) struct ReadyQueue<S> {
    parked: FuturesUnordered<StreamFuture<Indexed<S>>>,
    in_hand: VecDeque<Indexed<S>>,
    /// The member handing out its page, polled first until its page is done.
    turn: Option<Indexed<S>>,
    /// The member whose page is done, polled once more before anything else, so that its next
    /// request goes out at once.
    next_page: Option<Indexed<S>>,
    /// Whether the member polled last was `next_page`.
    polled_next_page: bool,
    /// Whether the round-robin is served before the parked set next time: after a member that
    /// woke has had its turn, so that members with elements in hand are not kept waiting for
    /// as long as some parked member keeps waking.
    in_hand_first: bool,
}

impl<S> ReadyQueue<S> {
    pub(super) fn new() -> ReadyQueue<S> {
        ReadyQueue {
            parked: FuturesUnordered::new(),
            in_hand: VecDeque::new(),
            turn: None,
            next_page: None,
            polled_next_page: false,
            in_hand_first: false,
        }
    }

    /// How many members are active.
    pub(super) fn len(&self) -> usize {
        self.parked.len()
            + self.in_hand.len()
            + usize::from(self.turn.is_some())
            + usize::from(self.next_page.is_some())
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

    /// A member that has just handed out an element: once its page is done (`page_done`) it
    /// is polled once more at once, for its next page; an element of a page it had in hand
    /// when so polled begins its next turn, behind the others; any other element continues
    /// its turn.
    pub(super) fn requeue(&mut self, member: Indexed<S>, page_done: bool) {
        if self.polled_next_page {
            // Its next turn, behind the others', even when this element ends a page too (a
            // run of pages, a page of one item): else a run whose pages are all in hand would
            // keep the head until its end.
            self.in_hand.push_back(member);
        } else if page_done {
            self.next_page = Some(member);
        } else {
            self.turn = Some(member);
        }
    }

    /// Every active member, in no particular order.
    pub(super) fn members(&self) -> impl Iterator<Item = &Indexed<S>> {
        self.parked
            .iter()
            .filter_map(StreamFuture::get_ref)
            .chain(&self.in_hand)
            .chain(&self.turn)
            .chain(&self.next_page)
    }

    /// Polls `member` directly: what it said, or `None` when it waits (for its page, the
    /// request sent), and it is parked, to be polled once more with the parked set's waker.
    fn poll_member(&mut self, mut member: Indexed<S>, cx: &mut Context<'_>) -> Option<Said<S>> {
        match Pin::new(&mut member).poll_next(cx) {
            Poll::Ready(said) => Some((said, member)),
            Poll::Pending => {
                self.parked.push(member.into_future());
                None
            }
        }
    }

    /// The next member with something to say (an element, an error or its end), taken out
    /// of the queue with what it said; `None` when no member is active.
    pub(super) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Said<S>>> {
        self.polled_next_page = false;
        if let Some(member) = self.next_page.take()
            && let Some(said) = self.poll_member(member, cx)
        {
            self.polled_next_page = true;
            return Poll::Ready(Some(said));
        }
        if let Some(member) = self.turn.take()
            && let Some(said) = self.poll_member(member, cx)
        {
            return Poll::Ready(Some(said));
        }
        loop {
            // The members that woke, taking turns with the round-robin.
            let in_hand_first = mem::take(&mut self.in_hand_first) && !self.in_hand.is_empty();
            if !in_hand_first
                && let Poll::Ready(Some(said)) = Pin::new(&mut self.parked).poll_next(cx)
            {
                self.in_hand_first = !self.in_hand.is_empty();
                return Poll::Ready(Some(said));
            }
            let Some(member) = self.in_hand.pop_front() else {
                return match self.parked.is_empty() {
                    true => Poll::Ready(None),
                    false => Poll::Pending,
                };
            };
            // Parked if it waits: the next turn of the loop polls it once more, with a waker
            // of the parked set's own, so that only its wake brings it back.
            if let Some(said) = self.poll_member(member, cx) {
                return Poll::Ready(Some(said));
            }
        }
    }
}
