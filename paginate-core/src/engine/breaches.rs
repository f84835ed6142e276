//! Breaches of [`Run`]'s calling protocol, each decided once:
//!
//! - a driver's breach (an answer with no request out, twice for one request, after the run
//!   ended or failed; a second request before the first was answered) is a bug no user or
//!   server can cause: a `debug_assert!` in `state.rs` stops debug builds (tested here with
//!   `should_panic`), and release builds leave the run where it was and report the answer as
//!   an error, [`protocol_breach`] (tested directly, and through the run in release builds);
//! - what a caller can do through the public API (set options after the start, step after the
//!   end, ask for a token at any moment) is no breach: it has a defined answer in every build
//!   (`tests.rs`, and the end-of-run steps below).

use serde_json::json;

#[cfg(debug_assertions)]
use super::Run;
use super::tests::{page, position, request, run};
use super::{Held, Step, protocol_breach};
use crate::body::ReplyMeta;
use crate::error::Error;

/// Takes pages until the run is done: one page with no next token.
#[cfg(debug_assertions)]
fn ended() -> Run {
    let mut run = run();
    request(&mut run);
    let _ = run.accept(page(json!([1]), None), &ReplyMeta::default());
    run
}

/// Takes a page whose repeated token fails the run, and reports the failure (L6).
#[cfg(debug_assertions)]
fn failed() -> Run {
    let mut run = run();
    request(&mut run);
    let _ = run.accept(page(json!([1]), Some("a")), &ReplyMeta::default());
    request(&mut run);
    let _ = run.accept(page(json!([2]), Some("a")), &ReplyMeta::default());
    let _ = run.step();
    run
}

#[cfg(debug_assertions)]
#[test]
#[should_panic(expected = "answer: a page was handed to a run with no request out (it was fresh)")]
fn a_page_before_any_request_stops_debug_builds() {
    let mut run = run();
    let _ = run.accept(page(json!([1]), None), &ReplyMeta::default());
}

#[cfg(debug_assertions)]
#[test]
#[should_panic(expected = "answer: a page was handed to a run with no request out (it was ready)")]
fn a_second_page_for_one_request_stops_debug_builds() {
    let mut run = run();
    request(&mut run);
    let _ = run.accept(page(json!([1]), Some("a")), &ReplyMeta::default());
    let _ = run.accept(page(json!([2]), Some("b")), &ReplyMeta::default());
}

#[cfg(debug_assertions)]
#[test]
#[should_panic(expected = "answer: a page was handed to a run with no request out (it was done)")]
fn a_page_after_the_end_stops_debug_builds() {
    let _ = ended().accept(page(json!([2]), None), &ReplyMeta::default());
}

#[cfg(debug_assertions)]
#[test]
#[should_panic(expected = "answer: a page was handed to a run with no request out (it was done)")]
fn a_page_after_a_failure_stops_debug_builds() {
    let _ = failed().accept(page(json!([3]), None), &ReplyMeta::default());
}

#[cfg(debug_assertions)]
#[test]
#[should_panic(
    expected = "answer: a page was handed to a run with no request out (it was failing)"
)]
fn a_page_before_the_waiting_error_is_reported_stops_debug_builds() {
    let mut run = run();
    request(&mut run);
    let _ = run.accept(page(json!([1]), Some("a")), &ReplyMeta::default());
    request(&mut run);
    let _ = run.accept(page(json!([2]), Some("a")), &ReplyMeta::default());
    let _ = run.accept(page(json!([3]), None), &ReplyMeta::default());
}

#[cfg(debug_assertions)]
#[test]
#[should_panic(expected = "send: the next request was asked for while the run was requested")]
fn asking_for_the_next_request_twice_stops_debug_builds() {
    let mut run = run();
    request(&mut run);
    let _ = run.step();
}

#[cfg(debug_assertions)]
#[test]
#[should_panic(
    expected = "request_failed: a failed answer was handed to a run with no request out (it was fresh)"
)]
fn a_transport_error_before_any_request_stops_debug_builds() {
    let mut run = run();
    let _ = run.transport_failed("reset".into());
}

#[cfg(debug_assertions)]
#[test]
#[should_panic(
    expected = "request_failed: a failed answer was handed to a run with no request out (it was done)"
)]
fn a_body_not_json_after_the_end_stops_debug_builds() {
    let _ = ended().page_not_json("expected value".to_owned(), "<".to_owned());
}

/// Not breaches: after the end, or after a failure was reported, every step is the end, and
/// the resume token stays what the end made it.
#[test]
fn steps_after_the_end_are_the_end() {
    let mut run = run();
    request(&mut run);
    let _ = run.transport_failed("reset".into());
    for _ in 0..3 {
        assert!(matches!(run.step(), Step::Finished));
    }
    // L7: the page that failed is fetched again.
    assert_eq!(
        position(run.resume_token(Held::Nothing)),
        position(run.resume_token(Held::Page))
    );
    assert!(run.resume_token(Held::Nothing).is_some());
}

/// The release fallback of a page handed to a run with no request out: an error of the
/// transport's kind for the page the run would request next, saying it is paginate's bug.
#[test]
fn the_release_fallback_is_an_error_naming_the_page_and_the_bug() {
    let error = protocol_breach("ListThings", 3, "done");
    let Error::Transport {
        operation,
        page,
        source,
    } = &error
    else {
        panic!("expected a transport error, got {error:?}");
    };
    assert_eq!((operation.as_str(), page.in_run()), ("ListThings", 3));
    let reason = source.to_string();
    assert!(reason.contains("requested none (it was done)"), "{reason}");
    assert!(reason.contains("bug of paginate"), "{reason}");
}

/// In release builds, the breaches above leave the run where it was: the page is refused
/// with [`protocol_breach`], the run's token and next request are unchanged, and a second
/// request for one page sends that page's request again.
#[cfg(not(debug_assertions))]
mod release {
    use super::*;

    #[test]
    fn a_page_with_no_request_out_is_refused_and_changes_nothing() {
        let mut run = run();
        let before = run.resume_token(Held::Nothing);
        let refused = run.accept(page(json!([1]), Some("a")), &ReplyMeta::default());
        assert!(matches!(refused, Err(Error::Transport { page, .. }) if page == 1));
        assert_eq!(run.resume_token(Held::Nothing), before);
        assert_eq!(run.pages_taken(), 0);
        assert_eq!(request(&mut run).0, 1);
    }

    #[test]
    fn a_page_after_the_end_is_refused_and_the_run_stays_ended() {
        let mut run = run();
        request(&mut run);
        let _ = run.accept(page(json!([1]), None), &ReplyMeta::default());
        assert!(
            run.accept(page(json!([2]), Some("b")), &ReplyMeta::default())
                .is_err()
        );
        assert!(matches!(run.step(), Step::Finished));
        assert_eq!(run.resume_token(Held::Nothing), None);
    }

    #[test]
    fn a_second_request_for_one_page_is_that_request_again() {
        let mut run = run();
        let first = request(&mut run);
        assert_eq!(request(&mut run), first);
        let _ = run.accept(page(json!([1]), None), &ReplyMeta::default());
        assert_eq!(run.pages_taken(), 1);
    }

    #[test]
    fn a_transport_error_with_no_request_out_is_reported_and_changes_nothing() {
        let mut run = run();
        request(&mut run);
        let _ = run.accept(page(json!([1]), Some("a")), &ReplyMeta::default());
        let error = run.transport_failed("reset".into());
        assert!(matches!(error, Error::Transport { page, .. } if page == 2));
        assert_eq!(request(&mut run).0, 2);
    }
}
