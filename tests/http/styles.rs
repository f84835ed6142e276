//! Pagination styles over both ready transports (SEMANTICS §8), checked from what the server
//! received: a GitHub `Link` header over bare arrays, a relative next URL in the body
//! (Honeycomb), Shopify's re-sent params and unsent filters (P3), a cursor in request and
//! response headers (P11, P10); and the origin check (P2): a `Link` or a resume token that
//! points elsewhere is refused before any request goes out, and rebasing is opt-in.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use paginated::http::HttpError;
use paginated::{Model, PaginationConfig, Refusal};
use serde_json::{Value, json};

use super::server::{Logged, Server, things};
use super::*;

/// GitHub: the page is a bare array, the next page's absolute URL is in the `Link` header.
fn github_model() -> Model {
    Model::builder("ListThings")
        .route("GET /repos/things")
        .next_url("link('next')")
        .result_key("@")
        .limit_key("per_page")
        .build()
        .unwrap()
}

/// Honeycomb: `links.next` is a URL relative to the host.
fn honeycomb_model() -> Model {
    Model::builder("ListThings")
        .route("GET /honeycomb/things")
        .next_url("links.next")
        .result_key("data")
        .limit_key("page[size]")
        .build()
        .unwrap()
}

/// Shopify: a `Link` header; `api-version` re-sent, the filters not.
fn shopify_model(resend: bool) -> Model {
    let builder = Model::builder("ListOrders")
        .route("GET /shop/orders")
        .next_url("link('next')")
        .result_key("orders")
        .limit_key("limit");
    let builder = if resend {
        builder.resend("api-version")
    } else {
        builder
    };
    builder.build().unwrap()
}

/// A cursor sent in the request header `X-Cursor`, read from the response header
/// `X-Next-Cursor`.
fn cursor_model() -> Model {
    Model::builder("ListThings")
        .route("GET /cursor/things")
        .input_token("header('X-Cursor')")
        .output_token("header('X-Next-Cursor')")
        .result_key("items")
        .limit_key("limit")
        .build()
        .unwrap()
}

/// Which transport a run goes through.
#[derive(Debug, Clone, Copy)]
enum Via {
    Blocking,
    Async,
}

const BOTH: [Via; 2] = [Via::Blocking, Via::Async];

/// The items of a run of `model` against `server` through `via`, rebasing next URLs or not.
fn listed(
    via: Via,
    server: &Server,
    rebase: bool,
    model: &Model,
    params: Value,
    config: PaginationConfig,
) -> Listed {
    match via {
        Via::Blocking => {
            items_blocking(&blocking(server).rebase_urls(rebase), model, params, config)
        }
        Via::Async => block_on(items_async(
            &client(server).rebase_urls(rebase),
            model,
            params,
            config,
        )),
    }
}

/// The query of a logged request, in order, as `name=value` texts.
fn query(logged: &Logged) -> Vec<String> {
    logged
        .query
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect()
}

/// Every request of `log` was a GET of `path` that the server answered with 200; their
/// queries, in order.
fn queries(log: &[Logged], path: &str) -> Vec<Vec<String>> {
    for logged in log {
        assert_eq!(logged.method, "GET", "{logged:?}");
        assert_eq!(logged.path, path, "{logged:?}");
        assert_eq!(logged.status, 200, "{logged:?}");
    }
    log.iter().map(query).collect()
}

/// The `ForeignUrl` under a run's error: a transport error on `page`, an
/// `HttpError::ForeignUrl`.
fn foreign(error: Option<&paginated::Error>, page: u64) -> &paginated::ForeignUrl {
    let error = error.expect("the run failed");
    let (failed, http) = http_error(error);
    assert_eq!(failed, page, "{error}");
    let HttpError::ForeignUrl { source, .. } = http else {
        panic!("not a foreign URL: {http}");
    };
    source
}

#[test]
fn github_link_header_over_bare_arrays() {
    for via in BOTH {
        let server = Server::start();
        let config = PaginationConfig::default().page_size(3);
        let run = listed(via, &server, false, &github_model(), json!({}), config);
        assert!(run.error.is_none(), "{via:?}: {:?}", run.error);
        assert_eq!(run.items, things(), "{via:?}");
        assert_eq!(run.resume_token, None);
        // The first request is the route; each next one the `Link` target as the server wrote
        // it, its `per_page` replaced by the run's page size, not repeated.
        assert_eq!(
            queries(&server.log(), "/repos/things"),
            github_queries(),
            "{via:?}"
        );
    }
}

#[test]
fn honeycomb_relative_next_url_in_the_body() {
    for via in BOTH {
        let server = Server::start();
        let config = PaginationConfig::default().page_size(4);
        let run = listed(via, &server, false, &honeycomb_model(), json!({}), config);
        assert!(run.error.is_none(), "{via:?}: {:?}", run.error);
        assert_eq!(run.items, things(), "{via:?}");
        // `/honeycomb/things?page[after]=3` resolved against the URL that fetched the page;
        // the page size set over it (P3).
        assert_eq!(
            queries(&server.log(), "/honeycomb/things"),
            [
                vec!["page[size]=4"],
                vec!["page[after]=3", "page[size]=4"],
                vec!["page[after]=7", "page[size]=4"],
            ],
            "{via:?}"
        );
    }
}

#[test]
fn shopify_resends_only_the_declared_params_never_the_filters() {
    let open: Vec<Value> = things()
        .into_iter()
        .filter(|t| t["status"] == "open")
        .collect();
    let params = json!({"status": "open", "api-version": "2024-04"});
    for via in BOTH {
        let server = Server::start();
        let config = PaginationConfig::default().page_size(2);
        let run = listed(
            via,
            &server,
            false,
            &shopify_model(true),
            params.clone(),
            config.clone(),
        );
        assert!(run.error.is_none(), "{via:?}: {:?}", run.error);
        assert_eq!(run.items, open, "{via:?}");
        // The filter goes with the first request only (Shopify answers 400 to it next to
        // `page_info`); `api-version` with every one, over the link's stale value; the page
        // size once.
        assert_eq!(
            queries(&server.log(), "/shop/orders"),
            [
                vec!["status=open", "api-version=2024-04", "limit=2"],
                vec!["page_info=open.2", "api-version=2024-04", "limit=2"],
                vec!["page_info=open.4", "api-version=2024-04", "limit=2"],
            ],
            "{via:?}"
        );

        // Without `resend`, nothing but the page size follows the link: the server refuses
        // the second request for its missing `api-version`.
        let server = Server::start();
        let run = listed(
            via,
            &server,
            false,
            &shopify_model(false),
            params.clone(),
            config,
        );
        let (page, http) = http_error(run.error.as_ref().expect("page 2 is refused"));
        assert_eq!((page, http.status().map(|s| s.as_u16())), (2, Some(400)));
        let log = server.log();
        assert_eq!(
            query(&log[1]),
            ["page_info=open.2", "api-version=1999-01", "limit=2"],
            "{via:?}"
        );
    }
}

#[test]
fn a_link_to_another_origin_is_refused_and_nothing_reaches_it() {
    for via in BOTH {
        // Another server: a port of its own is another origin.
        let server = Server::start();
        let elsewhere = Server::start();
        server.link_base(&elsewhere.base_url());
        let config = PaginationConfig::default().page_size(3);
        let run = listed(via, &server, false, &github_model(), json!({}), config);
        assert_eq!(
            run.items,
            things()[..3],
            "{via:?}: the first page is handed out"
        );
        let refused = foreign(run.error.as_ref(), 2);
        assert_eq!(
            refused.url().as_str(),
            format!("{}/repos/things?page=2&per_page=3", elsewhere.base_url())
        );
        assert_eq!(
            refused.refusal(),
            &Refusal::OtherOrigin {
                scheme: false,
                host: false,
                port: true
            }
        );
        assert_eq!(
            server.log().len(),
            1,
            "{via:?}: only the first page was asked for"
        );
        assert!(elsewhere.log().is_empty(), "{via:?}: {:?}", elsewhere.log());
        // L7: the run can be resumed at the page that failed, and is refused again.
        let token = run.resume_token.expect("a failed run keeps its position");
        let config = PaginationConfig::default().starting_token(Some(token));
        let again = listed(via, &server, false, &github_model(), json!({}), config);
        foreign(again.error.as_ref(), 1);
        assert!(again.items.is_empty());
        assert_eq!(server.log().len(), 1);
        assert!(elsewhere.log().is_empty());

        // A host that does not exist, and a path outside the transport's base path.
        let server = Server::start();
        server.link_base("http://evil.example");
        let config = PaginationConfig::default().page_size(3);
        let run = listed(via, &server, false, &github_model(), json!({}), config);
        let refused = foreign(run.error.as_ref(), 2);
        assert_eq!(refused.url().host_str(), Some("evil.example"));
        assert_eq!(server.log().len(), 1);

        let server = Server::start();
        server.link_base(&format!("{}/admin", server.base_url()));
        let model = Model::builder("ListThings")
            .route("GET /things")
            .next_url("link('next')")
            .result_key("@")
            .limit_key("per_page")
            .build()
            .unwrap();
        let base = format!("{}/repos", server.base_url());
        let config = PaginationConfig::default().page_size(3);
        let run = match via {
            Via::Blocking => {
                let api =
                    BlockingHttpTransport::new(reqwest::blocking::Client::new(), &base).unwrap();
                items_blocking(&api, &model, json!({}), config)
            }
            Via::Async => {
                let api = HttpTransport::new(reqwest::Client::new(), &base).unwrap();
                block_on(items_async(&api, &model, json!({}), config))
            }
        };
        assert_eq!(run.items, things()[..3], "{via:?}");
        let refused = foreign(run.error.as_ref(), 2);
        assert_eq!(refused.refusal(), &Refusal::OutsidePath);
        assert_eq!(refused.url().path(), "/admin/repos/things");
        assert_eq!(server.log().len(), 1);
    }
}

#[test]
fn a_starting_token_whose_next_url_is_elsewhere_sends_nothing() {
    for via in BOTH {
        let server = Server::start();
        let elsewhere = Server::start();
        for next_url in [
            "http://evil.example/repos/things?page=2".to_owned(),
            format!("{}/repos/things?page=2&per_page=3", elsewhere.base_url()),
            "http://user:pw@127.0.0.1/repos/things".to_owned(),
        ] {
            // botocore's token format: base64 of the position's JSON.
            let token = STANDARD.encode(json!({"next_url": next_url}).to_string());
            let config = PaginationConfig::default().starting_token(Some(token));
            let run = listed(via, &server, false, &github_model(), json!({}), config);
            assert!(run.items.is_empty(), "{via:?}");
            let refused = foreign(run.error.as_ref(), 1);
            assert_eq!(refused.url().as_str(), next_url);
            let message = std::error::Error::source(run.error.as_ref().unwrap())
                .unwrap()
                .to_string();
            assert!(message.contains("no request was sent"), "{message}");
        }
        // A token on the origin but off the listing's route is refused by the run itself
        // (P2, R5), before the transport is asked.
        let off_route = format!("{}/admin/users?page=2", server.base_url());
        let token = STANDARD.encode(json!({"next_url": off_route}).to_string());
        let config = PaginationConfig::default().starting_token(Some(token));
        let run = listed(via, &server, false, &github_model(), json!({}), config);
        assert!(run.items.is_empty(), "{via:?}");
        assert!(
            matches!(
                run.error,
                Some(paginated::Error::InvalidToken {
                    reason: paginated::TokenError::OffRoute { .. },
                    ..
                })
            ),
            "{via:?}: {:?}",
            run.error
        );
        assert!(server.log().is_empty(), "{via:?}: {:?}", server.log());
        assert!(elsewhere.log().is_empty(), "{via:?}: {:?}", elsewhere.log());

        // A token on the origin resumes there.
        // The token records the page size its URL was made with (P2).
        let next_url = format!("{}/repos/things?page=3&per_page=3", server.base_url());
        let token = STANDARD.encode(json!({"next_url": next_url, "per_page": 3}).to_string());
        let config = PaginationConfig::default()
            .page_size(3)
            .starting_token(Some(token));
        let run = listed(via, &server, false, &github_model(), json!({}), config);
        assert!(run.error.is_none(), "{via:?}: {:?}", run.error);
        assert_eq!(run.items, things()[6..]);
        assert_eq!(
            queries(&server.log(), "/repos/things"),
            [vec!["page=3", "per_page=3"], vec!["page=4", "per_page=3"]]
        );
    }
}

#[test]
fn links_written_behind_a_proxy_are_followed_only_when_rebasing() {
    for via in BOTH {
        // The server writes its links as it sees itself behind a proxy.
        let server = Server::start();
        server.link_base("http://internal.svc:8000");
        let config = PaginationConfig::default().page_size(3);
        let run = listed(
            via,
            &server,
            false,
            &github_model(),
            json!({}),
            config.clone(),
        );
        let refused = foreign(run.error.as_ref(), 2);
        assert!(refused.is_rebasable());
        let message = refused.to_string();
        assert!(
            message.starts_with(
                "refused to follow http://internal.svc:8000/repos/things?page=2&per_page=3: its host `internal.svc` is not `127.0.0.1`, its port 8000 is not "
            ),
            "{message}"
        );
        assert!(
            message.contains("opt in with `rebase_urls(true)`"),
            "{message}"
        );
        assert_eq!(server.log().len(), 1);

        // Opted in: every page, each from this server, the link's path and query kept.
        let server = Server::start();
        server.link_base("http://internal.svc:8000");
        let run = listed(via, &server, true, &github_model(), json!({}), config);
        assert!(run.error.is_none(), "{via:?}: {:?}", run.error);
        assert_eq!(run.items, things(), "{via:?}");
        assert_eq!(
            queries(&server.log(), "/repos/things"),
            github_queries(),
            "{via:?}"
        );
    }
}

#[test]
fn a_cursor_in_headers_round_trips_through_a_resume_token() {
    for via in BOTH {
        let server = Server::start();
        let config = PaginationConfig::default().page_size(4).max_items(6);
        let run = listed(via, &server, false, &cursor_model(), json!({}), config);
        assert!(run.error.is_none(), "{via:?}: {:?}", run.error);
        assert_eq!(run.items, things()[..6], "{via:?}");
        // The token names the entry as written, and the items of page 2 already handed out.
        let token = run.resume_token.expect("4 items are left");
        let decoded: Value = serde_json::from_slice(&STANDARD.decode(&token).unwrap()).unwrap();
        assert_eq!(
            decoded,
            json!({"header('X-Cursor')": "after-3", "boto_truncate_amount": 2})
        );

        let config = PaginationConfig::default()
            .page_size(4)
            .starting_token(Some(token));
        let rest = listed(via, &server, false, &cursor_model(), json!({}), config);
        assert!(rest.error.is_none(), "{via:?}: {:?}", rest.error);
        assert_eq!(rest.items, things()[6..], "{via:?}");

        // The cursor went in the request header, never in the query; the first request of
        // each run had none but the resumed one's.
        let log = server.log();
        let cursors: Vec<Option<&str>> = log.iter().map(|l| l.header("x-cursor")).collect();
        assert_eq!(
            cursors,
            [None, Some("after-3"), Some("after-3"), Some("after-7")],
            "{via:?}"
        );
        assert_eq!(
            queries(&log, "/cursor/things"),
            vec![vec!["limit=4"]; 4],
            "{via:?}"
        );
    }
}

/// The queries of a GitHub-style listing of `things()` at 3 a page: the route, then each
/// `Link` target as the server wrote it, its `per_page` replaced by the run's page size.
fn github_queries() -> [Vec<&'static str>; 4] {
    [
        vec!["per_page=3"],
        vec!["page=2", "per_page=3"],
        vec!["page=3", "per_page=3"],
        vec!["page=4", "per_page=3"],
    ]
}
