//! Mistakes that surface (SEMANTICS K1, K2): a declared key with a typo is an error with a
//! did-you-mean, on the first page (K1) or, when the page type is a struct, before any request
//! (K2), blocking and async, over parsed pages and response bodies. Nothing changes where the
//! check does not apply: botocore models, `check_keys(false)`, a missing key with no near name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};

use paginated::{Body, Error, Model, Paginated, Reply, blocking, nonblocking};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// A listing of 30 posts, 10 a page, `{"data": […], "next": "p2"}`, the next page asked for
/// with `cursor`: what the typos below are made against.
fn posts_page(cursor: Option<&str>) -> Value {
    let page: usize = cursor
        .and_then(|c| c.strip_prefix('p'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let data: Vec<Value> = (0..10)
        .map(|i| json!({"id": (page - 1) * 10 + i}))
        .collect();
    let next = (page < 3).then(|| format!("p{}", page + 1));
    json!({"data": data, "next": next})
}

/// The posts API as a closure transport, counting requests; `as_body` answers with the page's
/// text (the body path, G8) instead of parsed JSON.
fn api(sent: &AtomicUsize, as_body: bool) -> impl blocking::Transport<Error = std::io::Error> + '_ {
    blocking::from_fn(move |request| {
        sent.fetch_add(1, Ordering::SeqCst);
        let page = posts_page(request.params().get("cursor").and_then(Value::as_str));
        Ok::<_, std::io::Error>(if as_body {
            Reply::body(Body::from(page.to_string()))
        } else {
            Reply::value(page)
        })
    })
}

#[derive(Serialize, Paginated)]
#[paginate(input_token = "cursor", output_token = "next", result_key = "dat")]
struct ResultKeyTypo {
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

#[derive(Serialize, Paginated)]
#[paginate(input_token = "cursor", output_token = "nxt", result_key = "data")]
struct OutputTokenTypo {
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct PostsPage {
    data: Vec<Value>,
    next: Option<String>,
}

#[derive(Serialize, Paginated)]
#[paginate(
    input_token = "cursor",
    output_token = "nxt",
    result_key = "data",
    page = "PostsPage"
)]
struct TypedTypo {
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

#[derive(Serialize, Paginated)]
#[paginate(input_token = "cursor", output_token = "next", result_key = "data")]
struct Right {
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

#[test]
fn a_result_key_typo_is_a_did_you_mean_on_the_first_page_not_an_empty_listing() {
    for as_body in [false, true] {
        let sent = AtomicUsize::new(0);
        let transport = api(&sent, as_body);
        let items: Vec<_> = ResultKeyTypo { cursor: None }
            .paginate(&transport)
            .items()
            .collect();
        let [Err(error)] = &items[..] else {
            panic!("body {as_body}: one error, not {items:?}");
        };
        assert!(
            matches!(error, Error::KeyNotOnPage { page, field: "result_key", key, found, .. }
                if *page == 1 && key == "dat" && found == "data"),
            "body {as_body}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            "ResultKeyTypo: page 1 has no `dat`, which the model's `result_key` reads, but has \
             `data`: did you mean `data`? Fix the declaration (or turn the check off with \
             `check_keys(false)` if the page really lacks it)"
        );
        assert_eq!(
            sent.load(Ordering::SeqCst),
            1,
            "body {as_body}: one page fetched"
        );
    }
}

#[test]
fn an_output_token_typo_is_a_did_you_mean_not_the_first_page_alone() {
    for as_body in [false, true] {
        let sent = AtomicUsize::new(0);
        let transport = api(&sent, as_body);
        let error = OutputTokenTypo { cursor: None }
            .paginate(&transport)
            .items()
            .collect::<Result<Vec<_>, _>>()
            .expect_err("not 10 of 30 posts without a word");
        assert!(
            matches!(&error, Error::KeyNotOnPage { field: "output_token", key, found, .. }
                if key == "nxt" && found == "next"),
            "body {as_body}: {error:?}"
        );
    }
}

#[test]
fn async_runs_check_the_first_page_too() {
    let sent = AtomicUsize::new(0);
    let transport = nonblocking::from_fn(|request| {
        sent.fetch_add(1, Ordering::SeqCst);
        let page = posts_page(request.params().get("cursor").and_then(Value::as_str));
        async move { Ok::<_, std::io::Error>(page) }
    });
    let run = OutputTokenTypo { cursor: None }
        .paginate_async(&transport)
        .items();
    let error = run_ready(run.try_collect()).expect_err("a typo");
    assert!(matches!(error, Error::KeyNotOnPage { .. }), "{error:?}");
}

#[test]
fn a_typed_page_is_checked_before_any_request() {
    let sent = AtomicUsize::new(0);
    let transport = api(&sent, true);
    let mut pages = TypedTypo { cursor: None }.paginate(&transport);
    let error = pages.next().expect("an error").expect_err("a typo");
    assert!(
        matches!(&error, Error::KeyNotInPageType { field: "output_token", key, found, type_name, .. }
            if key == "nxt" && found == "next" && type_name.ends_with("PostsPage")),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("did you mean `next`? No request was sent"),
        "{error}"
    );
    assert_eq!(sent.load(Ordering::SeqCst), 0, "nothing sent");
    assert!(pages.next().is_none());

    // The same for a run typed by hand, and for a full result read into a struct.
    let model = Model::builder("ListPosts")
        .input_token("cursor")
        .output_token("next")
        .result_key("dat")
        .build()
        .unwrap();
    let typed = model
        .paginate(&transport, json!({}))
        .typed::<PostsPage, Value>()
        .next()
        .expect("an error");
    assert!(
        matches!(
            typed,
            Err(Error::KeyNotInPageType {
                field: "result_key",
                ..
            })
        ),
        "{typed:?}"
    );
    let full = model
        .paginate(&transport, json!({}))
        .build_full_result_as::<PostsPage>();
    assert!(
        matches!(full, Err(Error::KeyNotInPageType { .. })),
        "{full:?}"
    );
    assert_eq!(sent.load(Ordering::SeqCst), 0, "nothing sent");
}

#[test]
fn right_declarations_and_unchecked_models_list_as_before() {
    let sent = AtomicUsize::new(0);
    let transport = api(&sent, true);
    let ids: Vec<Value> = Right { cursor: None }
        .paginate(&transport)
        .items()
        .map(|item| item.map(|v| v["id"].clone()))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids, (0..30).map(|i| json!(i)).collect::<Vec<_>>());

    // A botocore model gives botocore's outcome: no result key, no items, no error.
    let botocore = Model::from_botocore(
        "ListPosts",
        &json!({"input_token": "cursor", "output_token": "next", "result_key": "dat"}),
    )
    .unwrap();
    assert!(!botocore.checks_keys());
    let items: Vec<_> = botocore
        .paginate(&transport, json!({}))
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(items.is_empty());
    // So does a model with the check turned off.
    let off = Model::builder("ListPosts")
        .input_token("cursor")
        .output_token("nxt")
        .result_key("data")
        .check_keys(false)
        .build()
        .unwrap();
    let items: Vec<_> = off
        .paginate(&transport, json!({}))
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items.len(), 10, "botocore's outcome: the first page only");
}

#[test]
fn a_key_missing_with_no_near_name_is_no_mistake() {
    // The last page of many APIs leaves the token out; a page type need not hold it.
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct DataOnly {
        data: Vec<Value>,
    }
    let transport = blocking::from_fn(|request| {
        Ok::<_, std::io::Error>(match request.params().get("cursor") {
            None => json!({"data": [1, 2], "next_cursor": "c"}),
            Some(_) => json!({"data": [3], "total": 3}),
        })
    });
    let model = Model::builder("ListThings")
        .input_token("cursor")
        .output_token("next_cursor")
        .result_key("data")
        .build()
        .unwrap();
    let pages: Vec<DataOnly> = model
        .paginate(&transport, json!({}))
        .typed::<DataOnly, Value>()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pages.len(), 2);
}

/// Runs a future with no runtime: the closure transports here are ready at once.
fn run_ready<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// K3: after a resume, an error names the listing's page when the position says which
/// it is (a page number), and says it counts from the resume when it cannot (a cursor).
#[test]
fn errors_after_a_resume_name_the_listings_page_or_say_they_count_from_the_resume() {
    // Pages 1–6 of ten items; page 5 is broken (an array).
    let numbered = blocking::from_fn(|request| {
        let page = request
            .params()
            .get("page")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        Ok::<_, std::io::Error>(if page == 5 {
            json!([1, 2])
        } else {
            json!({"data": (0..10).map(|i| page * 10 + i).collect::<Vec<_>>()})
        })
    });
    let by_number = Model::builder("ListPosts")
        .page_number("page")
        .result_key("data")
        .build()
        .unwrap();
    let error = resumed_after_two_pages(&by_number, &numbered);
    let Error::PageNotObject { page, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!((page.in_run(), page.in_listing()), (3, Some(5)));
    assert!(
        error.to_string().starts_with("ListPosts: page 5 is array"),
        "{error}"
    );

    // A cursor cannot say how many pages came before it.
    let cursors = blocking::from_fn(|request| {
        let at = request
            .params()
            .get("cursor")
            .and_then(Value::as_u64)
            .unwrap_or(1);
        Ok::<_, std::io::Error>(if at == 5 {
            json!("oops")
        } else {
            json!({"data": [at], "next": at + 1})
        })
    });
    let by_cursor = Model::builder("ListPosts")
        .input_token("cursor")
        .output_token("next")
        .result_key("data")
        .build()
        .unwrap();
    let error = resumed_after_two_pages(&by_cursor, &cursors);
    let Error::PageNotObject { page, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!((page.in_run(), page.in_listing()), (3, None));
    assert!(
        error
            .to_string()
            .starts_with("ListPosts: page 3 (counted from where the run resumed) is string"),
        "{error}"
    );
    // From the start, the same listing counts from its first page.
    let error = by_cursor
        .paginate(&cursors, json!({}))
        .find_map(Result::err)
        .expect("page 5 is broken");
    assert!(
        error.to_string().starts_with("ListPosts: page 5 is string"),
        "{error}"
    );
}

/// The first error of a run resumed from the token taken after two pages of `model`.
fn resumed_after_two_pages(model: &Model, transport: &impl blocking::Transport) -> Error {
    let mut pages = model.paginate(transport, json!({}));
    for _ in 0..2 {
        pages.next().expect("a page").expect("pages 1 and 2");
    }
    model
        .paginate(transport, json!({}))
        .starting_token(pages.resume_token())
        .find_map(Result::err)
        .expect("page 5 is broken")
}

#[derive(Serialize, Paginated)]
#[paginate(
    input_token = "cursor",
    output_token = "nxt",
    result_key = "data",
    check_keys = false
)]
struct Unchecked {
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

/// `check_keys = false` in the derive: botocore's outcome, for an API whose pages really lack
/// a declared key beside a near name.
#[test]
fn the_derive_can_turn_the_check_off() {
    let sent = AtomicUsize::new(0);
    let transport = api(&sent, false);
    assert!(!Unchecked::pagination_model().unwrap().checks_keys());
    assert!(Right::pagination_model().unwrap().checks_keys());
    let items: Vec<Value> = Unchecked { cursor: None }
        .paginate(&transport)
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items.len(), 10, "the first page only, as botocore gives it");
}
