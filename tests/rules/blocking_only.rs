//! Rule tests that stay on the blocking driver, because they are about the blocking API
//! itself: the forms of transport handle `Model::paginate` accepts (a closure by reference,
//! `Arc`, `Box`, `from_fn` with `String` errors; the matrix runs every driver over an `Arc` of
//! a service that is both kinds of transport, which a blocking closure is not) and the auto
//! traits of `Pages`. That the streams are `Send` is checked by every async case, whose steps
//! run as tasks on runtime workers.

use std::sync::Arc;

use paginate_tests::{FakeError, Scripted, all};
use paginated::blocking::from_fn;
use paginated::{Error, PageRequest};
use serde_json::{Value, json};

use crate::blocking::cases::{page, users};

#[test]
fn transports_closures_arcs_and_boxes() {
    let closure = |_request: PageRequest<'_>| Ok::<_, FakeError>(page(&["a"], None));
    assert_eq!(
        all(users().paginate(&closure, json!({})).items()),
        [json!("a")]
    );
    let arc = Arc::new(Scripted::new([page(&["b"], None)]));
    assert_eq!(
        all(users().paginate(arc.clone(), json!({})).items()),
        [json!("b")]
    );
    let boxed: Box<Scripted> = Box::new(Scripted::new([page(&["c"], None)]));
    assert_eq!(
        all(users().paginate(boxed, json!({})).items()),
        [json!("c")]
    );
    // String errors work as transport errors too.
    let failing = from_fn(|_request| Err::<Value, _>("quota exceeded".to_owned()));
    let err = users()
        .paginate(&failing, json!({}))
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(err.to_string(), "ListUsers: page 1 failed: quota exceeded");
    assert_eq!(
        std::error::Error::source(&err).unwrap().to_string(),
        "quota exceeded"
    );
}

#[test]
fn runs_are_send_and_sync_for_send_transports() {
    fn check<T: Send + Sync>(_: &T) {}
    let api = Scripted::new([]);
    let pages = users().paginate(&api, json!({}));
    check(&pages);
    check(&users());
    check(&Error::InvalidSearch {
        operation: String::new(),
        expression: String::new(),
        reason: String::new(),
    });
}
