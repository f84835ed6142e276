//! Every pagination style of SEMANTICS §8 through the driver matrix (every driver × both
//! wires, G6–G8) over a fake REST API that pages like the real ones (`styles/api.rs`), then
//! crash/resume chains that stop after every item and resume from the token, and the page-size
//! rules of page-number and offset positions (P4, P5, P7).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
#[path = "matrix/mod.rs"]
mod matrix;

#[path = "styles/api.rs"]
mod api;
#[path = "styles/resume.rs"]
mod resume;

use std::sync::Arc;

use api::{Api, Kind, all_items};
use matrix::record::{View, every_way};
use paginate_tests::{Wire, Wired};
use paginated::{Model, PaginationConfig};
use serde_json::{Value, json};

/// One style: the API, the declaration, the caller's params and page size.
pub(crate) struct Case {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    pub(crate) model: fn() -> Model,
    pub(crate) params: fn() -> Value,
    pub(crate) page_size: Option<u64>,
}

fn build(b: paginated::model::ModelBuilder) -> Model {
    b.build().unwrap()
}

/// The styles, as users declare them for the APIs of STYLES.md.
pub(crate) fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "GitHub: bare array, Link rel=next",
            kind: Kind::LinkArray,
            model: || {
                build(
                    Model::builder("ListIssues")
                        .route("GET /items")
                        .result_key("@")
                        .next_url("link('next')")
                        .limit_key("per_page"),
                )
            },
            params: || json!({}),
            page_size: Some(5),
        },
        Case {
            name: "Django REST framework: absolute next URL, filters not re-sent",
            kind: Kind::BodyUrl,
            model: || {
                build(
                    Model::builder("ListItems")
                        .route("GET /items")
                        .result_key("results")
                        .next_url("next")
                        .limit_key("limit"),
                )
            },
            params: || json!({"filter": "all"}),
            page_size: Some(5),
        },
        Case {
            name: "Honeycomb: relative next URL",
            kind: Kind::RelativeUrl,
            model: || {
                build(
                    Model::builder("ListEvents")
                        .route("GET /items")
                        .result_key("data")
                        .next_url("links.next"),
                )
            },
            params: || json!({}),
            page_size: None,
        },
        Case {
            name: "Attio: offset not echoed, short page ends",
            kind: Kind::Offset,
            model: || {
                build(
                    Model::builder("ListNotes")
                        .route("GET /items")
                        .result_key("data")
                        .offset("offset")
                        .limit_key("limit")
                        .stop("short_page"),
                )
            },
            params: || json!({}),
            page_size: Some(10),
        },
        Case {
            name: "an offset API that serves fewer items than asked for",
            kind: Kind::OffsetCapped,
            model: || {
                build(
                    Model::builder("ListNotes")
                        .route("GET /items")
                        .result_key("data")
                        .offset("offset")
                        .limit_key("limit"),
                )
            },
            params: || json!({}),
            page_size: Some(10),
        },
        Case {
            name: "json-server 1.x: page number, next in the body",
            kind: Kind::PageNext,
            model: || {
                build(
                    Model::builder("ListPosts")
                        .route("GET /items")
                        .result_key("data")
                        .page_number("_page")
                        .output_token("next")
                        .limit_key("_per_page"),
                )
            },
            params: || json!({}),
            page_size: Some(10),
        },
        Case {
            name: "Spring: page from 0, page + 1, total",
            kind: Kind::PageTotal,
            model: || {
                build(
                    Model::builder("ListPeople")
                        .route("GET /items")
                        .result_key("content")
                        .page_number("page")
                        .first("0")
                        .limit_key("size")
                        .total("totalElements"),
                )
            },
            params: || json!({}),
            page_size: Some(6),
        },
        Case {
            name: "Cosmos: continuation in request and response headers",
            kind: Kind::HeaderCursor,
            model: || {
                build(
                    Model::builder("QueryDocuments")
                        .route("GET /items")
                        .result_key("Documents")
                        .input_token("header('x-ms-continuation')")
                        .output_token("header('x-ms-continuation')")
                        .limit_key("header('x-ms-max-item-count')"),
                )
            },
            params: || json!({}),
            page_size: Some(4),
        },
        Case {
            name: "Dropbox: continuation route with the cursor only",
            kind: Kind::Continue,
            model: || {
                build(
                    Model::builder("ListFolder")
                        .route("POST /list_folder")
                        .continue_route("POST /list_folder/continue")
                        .result_key("entries")
                        .input_token("cursor")
                        .output_token("cursor")
                        .more_results("has_more"),
                )
            },
            params: || json!({"path": "/docs"}),
            page_size: None,
        },
        Case {
            name: "GitLab: bare array, X-Next-Page",
            kind: Kind::HeaderPage,
            model: || {
                build(
                    Model::builder("ListProjects")
                        .route("GET /items")
                        .result_key("@")
                        .page_number("page")
                        .output_token("header('X-Next-Page')")
                        .limit_key("per_page"),
                )
            },
            params: || json!({}),
            page_size: Some(5),
        },
    ]
}

/// The case of the API `kind`.
pub(crate) fn style_case(kind: Kind) -> Case {
    cases().into_iter().find(|c| c.kind == kind).unwrap()
}

impl Case {
    pub(crate) fn config(&self) -> PaginationConfig {
        match self.page_size {
            Some(size) => PaginationConfig::default().page_size(size),
            None => PaginationConfig::default(),
        }
    }

    /// A fresh API of `total` items, answering over `wire`.
    pub(crate) fn api(&self, total: usize, wire: Wire) -> Arc<Wired<Arc<Api>>> {
        Arc::new(Wired::new(Arc::new(Api::new(self.kind, total)), wire))
    }
}

/// The items a run handed out, from its recorded steps.
fn items_of(steps: &[(String, Option<String>)]) -> Vec<String> {
    steps.iter().map(|(s, _)| s.clone()).collect()
}

/// P1–P11 and G6–G8: each style, read as items, pages, full result, typed items and a
/// search, gives the same with every driver over both wires, and the items are the listing,
/// each exactly once.
#[test]
fn p1_p11_every_style_every_driver_every_wire() {
    for total in [23, 20] {
        for case in cases() {
            let model = (case.model)();
            let what = format!("{} ({total} items)", case.name);
            let fresh = |wire| case.api(total, wire);
            let config = case.config();
            let params = (case.params)();
            let items = every_way(fresh, &model, &params, &config, View::Items, &what);
            let expected: Vec<String> = all_items(total)
                .iter()
                .map(|i| format!("Ok({i:?})"))
                .collect();
            assert_eq!(items_of(&items.steps), expected, "{what}: items");
            assert_eq!(
                items.last_token(),
                None,
                "{what}: a finished listing has no token"
            );
            let full = every_way(fresh, &model, &params, &config, View::Full, &what);
            assert!(full.end.starts_with("Ok("), "{what}: {}", full.end);
            let typed = every_way(fresh, &model, &params, &config, View::TypedItems, &what);
            assert_eq!(typed.steps.len(), total, "{what}: typed items");
            let pages = every_way(fresh, &model, &params, &config, View::Pages, &what);
            assert_eq!(pages.calls, items.calls, "{what}: the same requests");
            every_way(fresh, &model, &params, &config, View::Search("@"), &what);
        }
    }
}

/// P1: the full result of a bare-array listing is the concatenated array.
#[test]
fn p1_full_result_of_bare_arrays_is_the_array() {
    let case = &style_case(Kind::LinkArray);
    let model = (case.model)();
    for wire in Wire::ALL {
        let full = model
            .paginate(case.api(23, wire), json!({}))
            .config(case.config())
            .build_full_result()
            .unwrap();
        assert_eq!(full, Value::Array(all_items(23)), "{wire:?}");
    }
}

/// P2, P3: a next-URL listing sends the first request with the caller's params, then only the
/// URL the page gave with the page size over it; the filter is not sent again (the API would
/// refuse it).
#[test]
fn p2_p3_next_urls_carry_only_the_page_size() {
    let case = &style_case(Kind::BodyUrl);
    let api = case.api(12, Wire::Value);
    let items: Vec<Value> = (case.model)()
        .paginate(api.clone(), json!({"filter": "all"}))
        .config(case.config())
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items, all_items(12));
    assert_eq!(
        api.inner().log(),
        [
            "GET /items?filter=all&limit=5",
            "GET /items?limit=5&offset=5",
            "GET /items?limit=5&offset=10",
        ]
    );
}

/// P4, P7: an offset advances by the items a page returned, not by the limit asked for (a
/// server that serves 7 when asked for 10); the short page ends the listing; with a full last
/// page, the empty page after it ends it.
#[test]
fn p4_p7_offsets_advance_by_items_returned() {
    let case = &style_case(Kind::OffsetCapped);
    let api = case.api(23, Wire::Value);
    let items: Vec<Value> = (case.model)()
        .paginate(api.clone(), json!({}))
        .config(case.config())
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items, all_items(23));
    let offsets: Vec<String> = [0, 7, 14, 21, 23]
        .iter()
        .map(|o| format!("GET /items?limit=10&offset={o}"))
        .collect();
    assert_eq!(api.inner().log(), offsets, "capped at 7 a page");

    let short = style_case(Kind::Offset);
    let case = &short;
    for (total, offsets) in [(23, vec![0, 10, 20]), (20, vec![0, 10, 20])] {
        let api = case.api(total, Wire::Value);
        let count = (case.model)()
            .paginate(api.clone(), json!({}))
            .config(case.config())
            .items()
            .count();
        assert_eq!(count, total);
        let expected: Vec<String> = offsets
            .iter()
            .map(|o| format!("GET /items?limit=10&offset={o}"))
            .collect();
        assert_eq!(api.inner().log(), expected, "{total} items");
    }
}

/// P7: a short-page rule with no page size is refused before any request.
#[test]
fn p7_short_page_without_a_page_size_is_refused_before_any_request() {
    let case = &style_case(Kind::Offset);
    let api = case.api(23, Wire::Value);
    let mut items = (case.model)().paginate(api.clone(), json!({})).items();
    let error = items.next().unwrap().unwrap_err();
    assert!(
        matches!(error, paginated::Error::PageSizeUnknown { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("`limit`"), "{error}");
    assert!(items.next().is_none());
    assert_eq!(api.inner().log(), Vec::<String>::new());
}

/// P8: with a total, a page-number listing ends on the page that reaches it, without asking
/// for the empty page after it.
#[test]
fn p8_a_total_ends_the_listing() {
    let case = &style_case(Kind::PageTotal);
    let api = case.api(24, Wire::Value);
    let count = (case.model)()
        .paginate(api.clone(), json!({}))
        .config(case.config())
        .items()
        .count();
    assert_eq!(count, 24);
    assert_eq!(api.inner().log().len(), 4, "{:?}", api.inner().log());
}

/// P9: a continuation goes to the continuation route with the cursor only (the API refuses
/// anything else).
#[test]
fn p9_continuations_go_to_their_route_with_the_cursor_only() {
    let case = &style_case(Kind::Continue);
    let api = case.api(16, Wire::Value);
    let count = (case.model)()
        .paginate(api.clone(), json!({"path": "/docs"}))
        .items()
        .count();
    assert_eq!(count, 16);
    assert_eq!(
        api.inner().log(),
        [
            "POST /list_folder?path=%2Fdocs",
            "POST /list_folder/continue?cursor=c7",
            "POST /list_folder/continue?cursor=c14",
        ]
    );
}

/// P11: a position and a page size in request headers go there, not in the params.
#[test]
fn p11_header_positions_go_in_request_headers() {
    let case = &style_case(Kind::HeaderCursor);
    let api = case.api(13, Wire::Body);
    let count = (case.model)()
        .paginate(api.clone(), json!({}))
        .config(case.config())
        .items()
        .count();
    assert_eq!(count, 13);
    assert_eq!(
        api.inner().log(),
        [
            "GET /items [x-ms-max-item-count: 4]",
            "GET /items [x-ms-max-item-count: 4] [x-ms-continuation: rid:4]",
            "GET /items [x-ms-max-item-count: 4] [x-ms-continuation: rid:8]",
            "GET /items [x-ms-max-item-count: 4] [x-ms-continuation: rid:12]",
        ]
    );
}

/// L6, P2: a server whose `next` link is the URL it was just fetched from (json-server 0.17
/// with `_page=0`) is caught as a repeated token, not followed for ever.
#[test]
fn l6_a_next_url_that_repeats_is_a_repeated_token() {
    let model = (style_case(Kind::LinkArray).model)();
    let api = paginated::blocking::from_fn(|request: paginated::PageRequest<'_>| {
        let url = request
            .url()
            .cloned()
            .unwrap_or_else(|| url::Url::parse("https://api.test/items?_page=0").unwrap());
        let mut headers = http::HeaderMap::new();
        let link = "<https://api.test/items?_page=0>; rel=\"next\"";
        headers.insert("link", link.parse().unwrap());
        Ok::<_, std::io::Error>(
            paginated::Reply::body("[1, 2]")
                .with_headers(headers)
                .with_url(url),
        )
    });
    let items: Vec<_> = model.paginate(&api, json!({})).items().collect();
    assert_eq!(items.len(), 5, "{items:?}");
    assert!(items[..4].iter().all(Result::is_ok));
    let error = items[4].as_ref().unwrap_err();
    assert!(
        matches!(error, paginated::Error::DuplicateToken { .. }),
        "{error}"
    );
}

/// P11, R4: Heroku's first `Range` header is a starting token in botocore's legacy form (the
/// whole text is the first input token's value), so the first request already asks for it.
#[test]
fn p11_r4_a_header_position_can_start_from_a_hand_written_token() {
    let model = Model::builder("ListApps")
        .route("GET /apps")
        .result_key("@")
        .input_token("header('Range')")
        .output_token("header('Next-Range')")
        .build()
        .unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let api = paginated::blocking::from_fn(|request: paginated::PageRequest<'_>| {
        let range = request
            .headers()
            .get("range")
            .map(|v| v.to_str().unwrap().to_owned());
        seen.lock().unwrap().push(range.clone());
        let mut headers = http::HeaderMap::new();
        if range.as_deref() == Some("id ..; max=2") {
            headers.insert("next-range", "]app-2..; max=2".parse().unwrap());
        }
        Ok::<_, std::io::Error>(paginated::Reply::value(json!([1, 2])).with_headers(headers))
    });
    let count = model
        .paginate(&api, json!({}))
        .starting_token(Some("id ..; max=2".to_owned()))
        .items()
        .count();
    assert_eq!(count, 4);
    assert_eq!(
        *seen.lock().unwrap(),
        [
            Some("id ..; max=2".to_owned()),
            Some("]app-2..; max=2".to_owned())
        ]
    );
}

/// P2, R5: a `next_url` token whose URL leaves the listing's route is refused before any
/// request, as is one resumed under another page size than its URL was made with (a
/// page-number URL would skip); the same page size, or none, resumes.
#[test]
fn p2_r5_next_url_tokens_stay_on_their_route_and_page_size() {
    let case = style_case(Kind::LinkArray);
    let model = (case.model)();
    let forged = |json: &str| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(json)
    };
    for (token, expected) in [
        (
            forged(r#"{"next_url": "https://api.test/admin/users?page=2", "per_page": 5}"#),
            "not on this listing's route `GET /items`",
        ),
        (
            forged(r#"{"next_url": "https://api.test/itemsx?page=2", "per_page": 5}"#),
            "not on this listing's route",
        ),
        (
            forged(r#"{"next_url": "https://api.test/items?page=2", "per_page": 7}"#),
            "page size 7",
        ),
    ] {
        let api = case.api(23, Wire::Value);
        let mut items = model
            .paginate(api.clone(), json!({}))
            .config(case.config().starting_token(Some(token)))
            .items();
        let error = items.next().unwrap().unwrap_err().to_string();
        assert!(error.contains(expected), "{error}");
        assert!(api.inner().log().is_empty(), "no request: {error}");
    }
    let mut first = model
        .paginate(case.api(23, Wire::Value), json!({}))
        .config(case.config())
        .items();
    first.by_ref().take(7).for_each(drop);
    let token = first.resume_token().unwrap();
    let rest = model
        .paginate(case.api(23, Wire::Value), json!({}))
        .starting_token(Some(token))
        .items()
        .count();
    assert_eq!(rest, 16, "without a page size, the token's");
}

/// P8: a total counts items from the first offset, so a 1-based offset reaches the last item.
#[test]
fn p8_a_total_counts_from_the_first_offset() {
    let model = Model::builder("ListUsers")
        .route("GET /users")
        .result_key("data")
        .offset("startAt")
        .first("1")
        .limit_key("maxResults")
        .total("total")
        .build()
        .unwrap();
    let starts = std::sync::Mutex::new(Vec::new());
    let api = paginated::blocking::from_fn(|request: paginated::PageRequest<'_>| {
        let start = request.params()["startAt"].as_u64().unwrap();
        starts.lock().unwrap().push(start);
        let from = usize::try_from(start).unwrap() - 1;
        let data: Vec<Value> = (from..(from + 10).min(21)).map(|i| json!(i)).collect();
        Ok::<_, std::io::Error>(json!({"data": data, "total": 21}))
    });
    let count = model
        .paginate(&api, json!({}))
        .page_size(10)
        .items()
        .count();
    assert_eq!(count, 21);
    assert_eq!(*starts.lock().unwrap(), [1, 11, 21]);
}

/// P10: a reply with a status that is not a success is the transport's failure, not a page
/// (a 500 whose body is `{}` would otherwise end the listing as if it were complete).
#[test]
fn p10_a_failed_status_is_no_page() {
    let model = (style_case(Kind::BodyUrl).model)();
    let api = paginated::blocking::from_fn(|_request: paginated::PageRequest<'_>| {
        let response = http::Response::builder()
            .status(503)
            .body(r#"{"results": []}"#)
            .unwrap();
        Ok::<_, std::io::Error>(paginated::Reply::from(response))
    });
    let mut items = model.paginate(&api, json!({})).items();
    let error = items.next().unwrap().unwrap_err();
    assert!(
        matches!(error, paginated::Error::Transport { .. }),
        "{error}"
    );
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(source.contains("503 Service Unavailable"), "{source}");
    assert!(items.next().is_none());
}

/// P10: a `Link` header far longer than any API sends is refused before it is parsed.
#[test]
fn p10_an_oversized_link_header_is_refused() {
    let model = (style_case(Kind::LinkArray).model)();
    let api = paginated::blocking::from_fn(|_request: paginated::PageRequest<'_>| {
        let mut headers = http::HeaderMap::new();
        let huge = format!(
            "<https://api.test/items?page=2>; rel=\"next{}\"",
            " ".repeat(20_000)
        );
        headers.insert("link", huge.parse().unwrap());
        Ok::<_, std::io::Error>(paginated::Reply::body("[1]").with_headers(headers))
    });
    // The next position is read when the page is taken (L5), so the page is refused whole.
    let results: Vec<_> = model.paginate(&api, json!({})).items().collect();
    assert_eq!(results.len(), 1, "{results:?}");
    let error = results[0].as_ref().unwrap_err().to_string();
    assert!(error.contains("the limit is 16384"), "{error}");
}
