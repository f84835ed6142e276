//! The calling protocol of [`Run`] driven directly, without a driver or a transport: the
//! normal sequence (first request, page taken, next request, end) under the options that
//! change it (L1–L7, M2, M3, O2, O3, O5, R2, R6). Breaches of the protocol are in
//! `breaches.rs`.

use serde_json::{Map, Value, json};

use super::{Held, Run, Step};
use crate::body::ReplyMeta;
use crate::error::Error;
use crate::model::Model;
use crate::options::DuplicateTokenPolicy;
use crate::page::TakenPage;
use crate::token::Position;

/// A model of one input token `Marker`, its output `Next`, and the result key `Items`.
pub(super) fn model() -> Model {
    let entry = json!({"input_token": "Marker", "output_token": "Next", "result_key": "Items"});
    match Model::from_botocore("ListThings", &entry) {
        Ok(model) => model,
        Err(e) => panic!("the test model is refused: {e}"),
    }
}

pub(super) fn run() -> Run {
    Run::new(model(), json!({"Prefix": "p"}))
}

/// A page of `items`, with `next` as its next token when there is one.
pub(super) fn page(items: Value, next: Option<&str>) -> TakenPage {
    let mut page = json!({ "Items": items });
    if let Some(next) = next {
        page["Next"] = json!(next);
    }
    TakenPage::Value(page)
}

/// Steps the run and expects a request: its page number and params.
pub(super) fn request(run: &mut Run) -> (u64, Map<String, Value>) {
    match run.step() {
        Step::Request(request) => (request.page(), request.params().clone()),
        other => panic!("expected a request, got {other:?}"),
    }
}

fn accepted(run: &mut Run, page: TakenPage) -> Value {
    match run.accept(page, &ReplyMeta::default()) {
        Ok(TakenPage::Value(value)) => value,
        other => panic!("expected the page back, got {other:?}"),
    }
}

fn failure(run: &mut Run) -> Error {
    match run.step() {
        Step::Fail(e) => e,
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn finished(run: &mut Run) {
    match run.step() {
        Step::Finished => {}
        other => panic!("expected the end, got {other:?}"),
    }
}

/// The position a resume token stands for.
pub(super) fn position(token: Option<String>) -> Option<Position> {
    let tokens = ["Marker".to_owned()];
    token.map(|t| match Position::decode(&t, &tokens) {
        Ok(position) => position,
        Err(e) => panic!("{t}: {e:?}"),
    })
}

fn at(marker: Option<&str>, offset: Option<u64>) -> Option<Position> {
    Some(Position {
        values: vec![marker.map(|m| json!(m))],
        offset,
        encoded_keys: None,
    })
}

#[test]
fn l1_l3_the_normal_sequence_requests_each_page_once_and_ends_with_the_data() {
    let mut run = run();
    assert_eq!(position(run.resume_token(Held::Nothing)), at(None, None));

    let (number, params) = request(&mut run);
    assert_eq!((number, Value::Object(params)), (1, json!({"Prefix": "p"})));
    // R2: while the request is out, the token still fetches that page.
    assert_eq!(position(run.resume_token(Held::Nothing)), at(None, None));

    let taken = accepted(&mut run, page(json!([1, 2]), Some("a")));
    assert_eq!(taken, json!({"Items": [1, 2], "Next": "a"}));
    assert_eq!(run.pages_taken(), 1);
    assert_eq!(
        position(run.resume_token(Held::Nothing)),
        at(Some("a"), None)
    );
    assert_eq!(position(run.resume_token(Held::Page)), at(None, None));
    assert_eq!(
        position(run.resume_token(Held::Primary { handed: 1 })),
        at(None, Some(1))
    );

    let (number, params) = request(&mut run);
    assert_eq!(
        (number, Value::Object(params)),
        (2, json!({"Prefix": "p", "Marker": "a"}))
    );
    accepted(&mut run, page(json!([3]), None));
    // L2: no next token, no next page; every further step is the end.
    finished(&mut run);
    finished(&mut run);
    assert_eq!(run.resume_token(Held::Nothing), None);
    assert!(!run.stopped_by_max_items());
}

#[test]
fn l1_a_marker_in_the_params_is_the_starting_position() {
    let mut run = Run::new(model(), json!({"Marker": "m0"}));
    assert_eq!(
        position(run.resume_token(Held::Nothing)),
        at(Some("m0"), None)
    );
    let (_, params) = request(&mut run);
    assert_eq!(Value::Object(params), json!({"Marker": "m0"}));
}

#[test]
fn m2_max_items_cuts_a_page_and_resumes_inside_it() {
    let mut run = run();
    run.config_mut().max_items = Some(3);
    request(&mut run);
    accepted(&mut run, page(json!([1, 2]), Some("a")));
    request(&mut run);
    let taken = accepted(&mut run, page(json!([3, 4]), Some("b")));
    assert_eq!(taken["Items"], json!([3]));
    assert!(run.stopped_by_max_items());
    finished(&mut run);
    assert_eq!(
        position(run.resume_token(Held::Nothing)),
        at(Some("a"), Some(1))
    );
}

#[test]
fn m3_max_items_at_a_page_boundary_resumes_with_the_next_token() {
    let mut run = run();
    run.config_mut().max_items = Some(2);
    request(&mut run);
    accepted(&mut run, page(json!([1, 2]), Some("a")));
    assert!(run.stopped_by_max_items());
    finished(&mut run);
    assert_eq!(
        position(run.resume_token(Held::Nothing)),
        at(Some("a"), None)
    );
}

#[test]
fn r6_r7_a_resume_token_with_an_offset_skips_and_counts_from_the_page_start() {
    let start = at(Some("a"), Some(1)).map(|p| p.encode(&["Marker".to_owned()]));
    let mut run = run();
    run.config_mut().starting_token = start;
    run.config_mut().max_items = Some(1);
    let (_, params) = request(&mut run);
    assert_eq!(Value::Object(params), json!({"Prefix": "p", "Marker": "a"}));
    let taken = accepted(&mut run, page(json!([3, 4, 5]), Some("b")));
    assert_eq!(taken["Items"], json!([4]));
    // R7: one skipped by the token, one kept.
    assert_eq!(
        position(run.resume_token(Held::Nothing)),
        at(Some("a"), Some(2))
    );
}

#[test]
fn o3_a_token_that_cannot_be_used_fails_the_first_step_and_sends_nothing() {
    let mut run = run();
    run.config_mut().starting_token = Some("eyJ!!".to_owned());
    assert!(matches!(failure(&mut run), Error::InvalidToken { .. }));
    finished(&mut run);
    assert_eq!(run.resume_token(Held::Nothing), None);
}

#[test]
fn o2_a_page_size_without_a_limit_key_fails_the_first_step() {
    let mut run = run();
    run.config_mut().page_size = Some(5);
    assert!(matches!(
        failure(&mut run),
        Error::PageSizeWithoutLimitKey { page_size: 5, .. }
    ));
    finished(&mut run);
}

#[test]
fn l1_params_that_are_not_an_object_fail_the_first_step() {
    let mut run = Run::new(model(), json!([1]));
    assert!(matches!(
        failure(&mut run),
        Error::ParamsNotObject { found: "array", .. }
    ));
    finished(&mut run);
}

#[test]
fn l6_error_policy_hands_out_the_page_then_fails_and_resumes_at_the_token() {
    let mut run = run();
    request(&mut run);
    accepted(&mut run, page(json!([1]), Some("a")));
    request(&mut run);
    // The page with the repeated token is handed out first.
    accepted(&mut run, page(json!([2]), Some("a")));
    assert!(matches!(
        failure(&mut run),
        Error::DuplicateToken { page, .. } if page == 2
    ));
    finished(&mut run);
    assert_eq!(
        position(run.resume_token(Held::Nothing)),
        at(Some("a"), None)
    );
}

#[test]
fn l6_stop_policy_ends_quietly_without_a_token() {
    let mut run = run();
    run.config_mut().duplicate_tokens = DuplicateTokenPolicy::Stop;
    request(&mut run);
    accepted(&mut run, page(json!([1]), Some("a")));
    request(&mut run);
    accepted(&mut run, page(json!([2]), Some("a")));
    finished(&mut run);
    assert_eq!(run.resume_token(Held::Nothing), None);
}

#[test]
fn l6_allow_policy_goes_on() {
    let mut run = run();
    run.config_mut().duplicate_tokens = DuplicateTokenPolicy::Allow;
    request(&mut run);
    accepted(&mut run, page(json!([1]), Some("a")));
    request(&mut run);
    accepted(&mut run, page(json!([2]), Some("a")));
    assert_eq!(request(&mut run).0, 3);
}

#[test]
fn l6_a_cycle_is_a_token_cycle_error() {
    let mut run = run();
    for (items, next) in [(1, "a"), (2, "b")] {
        request(&mut run);
        accepted(&mut run, page(json!([items]), Some(next)));
    }
    request(&mut run);
    accepted(&mut run, page(json!([3]), Some("a")));
    assert!(matches!(
        failure(&mut run),
        Error::TokenCycle { page, .. } if page == 3
    ));
}

#[test]
fn o5_max_pages_fails_before_the_next_request_and_resumes_there() {
    let mut run = run();
    run.config_mut().max_pages = Some(1);
    request(&mut run);
    accepted(&mut run, page(json!([1]), Some("a")));
    assert!(matches!(
        failure(&mut run),
        Error::PageLimit { limit: 1, .. }
    ));
    finished(&mut run);
    assert_eq!(
        position(run.resume_token(Held::Nothing)),
        at(Some("a"), None)
    );
}

#[test]
fn l7_a_transport_error_names_the_page_and_resumes_at_it() {
    let mut run = run();
    request(&mut run);
    accepted(&mut run, page(json!([1]), Some("a")));
    request(&mut run);
    let error = run.transport_failed("connection reset".into());
    assert!(matches!(error, Error::Transport { page, .. } if page == 2));
    finished(&mut run);
    assert_eq!(
        position(run.resume_token(Held::Nothing)),
        at(Some("a"), None)
    );
}

#[test]
fn g8_a_body_that_is_not_json_names_the_page_and_resumes_at_it() {
    let mut run = run();
    request(&mut run);
    let error = run.page_not_json("expected value".to_owned(), "<html>".to_owned());
    assert!(matches!(
        error,
        Error::PageNotJson { page, ref body, .. } if page == 1 && body == "<html>"
    ));
    finished(&mut run);
    assert_eq!(position(run.resume_token(Held::Nothing)), at(None, None));
}

#[test]
fn l7_a_page_that_is_not_an_object_is_refused_and_fetched_again_on_resume() {
    let mut run = run();
    request(&mut run);
    accepted(&mut run, page(json!([1]), Some("a")));
    request(&mut run);
    let refused = run.accept(TakenPage::Value(json!([1, 2])), &ReplyMeta::default());
    assert!(matches!(
        refused,
        Err(Error::PageNotObject {
            page,
            found: "array",
            ..
        }) if page == 2
    ));
    assert_eq!(run.pages_taken(), 1);
    finished(&mut run);
    assert_eq!(
        position(run.resume_token(Held::Nothing)),
        at(Some("a"), None)
    );
}

#[test]
fn a_run_made_failed_reports_its_error_once_and_sends_nothing() {
    let refused = Error::UnknownOperation {
        operation: "Nope".to_owned(),
        did_you_mean: None,
    };
    let mut run = Run::failed(model(), refused);
    assert!(matches!(failure(&mut run), Error::UnknownOperation { .. }));
    finished(&mut run);
    assert_eq!(run.resume_token(Held::Nothing), None);
}

#[test]
fn r8_the_progress_hook_sees_each_page_with_a_token_that_fetches_it_again() {
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let mut run = run();
    run.set_progress(Box::new(move |p| {
        if let Ok(mut log) = log.lock() {
            log.push((p.page, p.items, position(p.resume_token.clone()), p.last));
        }
    }));
    request(&mut run);
    accepted(&mut run, page(json!([1, 2]), Some("a")));
    request(&mut run);
    accepted(&mut run, page(json!([3]), None));
    let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(
        seen,
        [
            (1, 2, at(None, None), false),
            (2, 3, at(Some("a"), None), true)
        ]
    );
}

/// Options are the caller's through the public API (`pages.max_items(…)` on an iterator
/// already pulled): set after the run started, they are no breach and apply from the next
/// page on.
#[test]
fn o1_options_set_after_the_start_apply_from_the_next_page() {
    let mut run = run();
    request(&mut run);
    accepted(&mut run, page(json!([1, 2]), Some("a")));
    run.config_mut().max_items = Some(3);
    run.config_mut().page_size = Some(9);
    let (_, params) = request(&mut run);
    // O2 is applied when the run starts; a later page size changes nothing sent.
    assert_eq!(Value::Object(params), json!({"Prefix": "p", "Marker": "a"}));
    let taken = accepted(&mut run, page(json!([3, 4]), Some("b")));
    assert_eq!(taken["Items"], json!([3]));
    assert!(run.stopped_by_max_items());
}
