//! The one driver core behind every front end: it moves pages between a [`Fetch`] strategy
//! and the engine's [`Run`], and hands results out through a cursor. The public iterators
//! (`pages.rs`) and streams (`stream.rs`) are thin wrappers over [`Driver`]; they differ only
//! in the fetch strategy they plug in (`fetch.rs`) and in whether they poll with a real waker.
//!
//! Lookahead is scheduling, not a rule (DESIGN, the layers): with it on, as soon as a page
//! has been handed out (and, for items and full results, loaded or merged without an error
//! that ends the run) the driver asks the run for its next step and, if that is a request,
//! sends it, while the consumer still works on the page just handed out (G7). The answer is given to the
//! run only when the consumer pulls the next page, in order, so every token, hook and error
//! means exactly what it means without lookahead (R2, R8), and nothing is sent that the run
//! would not have sent: the run itself decides (L2, L6, M3, `max_pages`).
//!
//! The driver also reads each reply into the page the run takes (`read.rs`, G8): the run
//! never sees a reply or its bytes.

mod read;

use std::task::{Context, Poll};

use crate::body::Reply;
use crate::engine::{Run, Step};
use crate::error::{BoxError, Error};
use crate::full_result::FullResult;
use crate::page::TakenPage;
use crate::results::PageConsumer;
use crate::trace::{RunSpan, RunTrace};
use crate::transport::PageRequest;
pub(crate) use read::Readers;
use read::{NotJson, read_reply};

/// How a driver gets pages: a request is started with [`Fetch::send`] and its answer collected
/// with [`Fetch::poll_answer`]. At most one request is outstanding at a time.
pub(crate) trait Fetch {
    /// Starts `request`. `span` is the run's tracing span, for the transport to run in.
    fn send(&mut self, request: PageRequest<'_>, span: &RunSpan);

    /// The answer to the request last sent.
    fn poll_answer(&mut self, cx: &mut Context<'_>) -> Poll<Result<Reply, BoxError>>;

    /// Lets a request in flight make progress while the consumer is handed results of the
    /// page before it; an answer that arrives is kept for [`Fetch::poll_answer`].
    fn progress(&mut self, _cx: &mut Context<'_>) {}
}

/// What the run said to do after the page in hand, decided early by lookahead.
#[derive(Debug)]
enum Decided {
    /// A request for the next page is in flight.
    Sent,
    /// The run ends with this error once the consumer has had the page in hand.
    Fail(Error),
    /// The run ends once the consumer has had the page in hand.
    Finished,
}

/// A run and the way its pages are fetched.
#[derive(Debug)]
pub(crate) struct Driver<F> {
    pub(crate) run: Run,
    pub(crate) trace: RunTrace,
    pub(crate) fetch: F,
    next: Option<Decided>,
    lookahead: bool,
    /// Requests handed to the fetch strategy so far, a lookahead's included (G9).
    requests: u64,
}

impl<F> Driver<F> {
    pub(crate) fn new(run: Run, fetch: F) -> Driver<F> {
        Driver {
            run,
            trace: RunTrace::default(),
            fetch,
            next: None,
            lookahead: false,
            requests: 0,
        }
    }

    /// The same driver with its fetch strategy changed by `change`.
    pub(crate) fn map_fetch<G>(self, change: impl FnOnce(F) -> G) -> Driver<G> {
        Driver {
            run: self.run,
            trace: self.trace,
            fetch: change(self.fetch),
            next: self.next,
            lookahead: self.lookahead,
            requests: self.requests,
        }
    }

    pub(crate) fn set_lookahead(&mut self, on: bool) {
        self.lookahead = on;
    }

    /// How many requests the run has sent (G9).
    pub(crate) fn requests_sent(&self) -> u64 {
        self.requests
    }
}

impl<F: Fetch> Driver<F> {
    /// Asks the run what to do next and starts it.
    fn decide(&mut self) -> &mut Decided {
        let span = self.trace.span(&self.run);
        #[cfg(feature = "tracing")]
        let _entered = span.enter();
        let decided = match self.run.step() {
            Step::Request(request) => {
                self.trace.sent();
                self.requests += 1;
                self.fetch.send(request, &span);
                Decided::Sent
            }
            Step::Fail(e) => Decided::Fail(e),
            Step::Finished => Decided::Finished,
        };
        self.next.insert(decided)
    }

    /// The next page, as the run gives it back, for a consumer that hands pages out as they
    /// are: with lookahead, the next request goes out at once.
    pub(crate) fn poll_page(
        &mut self,
        cx: &mut Context<'_>,
        readers: Readers<'_>,
    ) -> Poll<Option<Result<TakenPage, Error>>> {
        let page = match self.poll_taken(cx, readers) {
            Poll::Ready(page) => page,
            Poll::Pending => return Poll::Pending,
        };
        if let Some(Ok(_)) = page {
            self.look_ahead(cx);
        }
        Poll::Ready(page)
    }

    /// The next page, as the run gives it back: the one path of pages, items, search and
    /// full results. `readers` read a body beside the run's pass (G8). Lookahead is
    /// left to the caller ([`Driver::look_ahead`]), once the page has been used without an
    /// error that ends the run, so that nothing is sent that a run without lookahead would
    /// not send (G7).
    fn poll_taken(
        &mut self,
        cx: &mut Context<'_>,
        readers: Readers<'_>,
    ) -> Poll<Option<Result<TakenPage, Error>>> {
        let decided = match &mut self.next {
            Some(decided) => decided,
            None => self.decide(),
        };
        if let Decided::Sent = decided {
            let answer = match self.fetch.poll_answer(cx) {
                Poll::Ready(answer) => answer,
                Poll::Pending => return Poll::Pending,
            };
            self.next = None;
            // The reply is read here, with the cursor's sink or the page type, and the run takes the page read
            // (G8); a body that is not JSON is the run's to report, naming the page (L7).
            let outcome = match answer {
                // A reply that says the request failed is no page (P10): the transport's
                // failure, whatever its body says.
                Ok(reply) if !reply.status().is_success() => {
                    let status = reply.status();
                    Err(self.run.transport_failed(
                        format!(
                            "the reply's status is {status}: a page comes with a success status \
                             (a transport turns any other response into its own error)"
                        )
                        .into(),
                    ))
                }
                Ok(reply) => match read_reply(reply, self.run.model(), readers) {
                    Ok((page, meta)) => self.run.accept(page, &meta),
                    Err(NotJson { reason, body }) => Err(self.run.page_not_json(reason, body)),
                },
                Err(e) => Err(self.run.transport_failed(e)),
            };
            self.trace.received(&self.run, &outcome);
            return Poll::Ready(Some(outcome));
        }
        match self.next.take() {
            Some(Decided::Fail(e)) => Poll::Ready(Some(Err(e))),
            Some(Decided::Finished) => Poll::Ready(None),
            Some(Decided::Sent) | None => {
                // `decided` was just read from `next`, and `Sent` was handled above.
                debug_assert!(false, "the driver lost what the run decided");
                Poll::Ready(None)
            }
        }
    }

    /// With lookahead on, starts the request the run decides on next, and gives it a first
    /// poll so that an async transport actually sends it while the consumer works on the
    /// page just handed out.
    fn look_ahead(&mut self, cx: &mut Context<'_>) {
        if self.lookahead
            && self.next.is_none()
            && let Decided::Sent = self.decide()
        {
            self.fetch.progress(cx);
        }
    }

    /// Takes the next page into a full result (G4); `Ready(None)` once the run is over.
    pub(crate) fn poll_merge(
        &mut self,
        full: &mut FullResult,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<(), Error>>> {
        let merged = match self.poll_taken(cx, Readers::None) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Ready(Some(page)) => page.and_then(|page| full.add(&self.run, page)),
        };
        if merged.is_ok() {
            self.look_ahead(cx);
        }
        Poll::Ready(Some(merged))
    }

    /// The one loop behind every item and search iterator: hand out what the cursor's page
    /// holds, else take the next page; an error, from the page or from taking it, is returned
    /// once and ends the cursor.
    pub(crate) fn poll_cursor<C: PageConsumer>(
        &mut self,
        cursor: &mut C,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<C::Out, Error>>> {
        loop {
            if let Some(out) = cursor.next_out() {
                if let Some(Decided::Sent) = self.next {
                    self.fetch.progress(cx);
                }
                return Poll::Ready(Some(Ok(out)));
            }
            if cursor.failed() {
                return Poll::Ready(None);
            }
            let readers = match cursor.sink() {
                Some(sink) => Readers::Items(sink),
                None => Readers::None,
            };
            let loaded = match self.poll_taken(cx, readers) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Ok(page))) => cursor.load(&self.run, page),
                Poll::Ready(Some(Err(e))) => Err(e),
            };
            if let Err(e) = loaded {
                cursor.fail();
                return Poll::Ready(Some(Err(e)));
            }
            self.look_ahead(cx);
        }
    }
}
