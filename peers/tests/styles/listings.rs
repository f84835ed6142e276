//! paginate's listings of each server, each style declared as a user declares it, read through
//! the ready HTTP transports and compared with the server's own data (SEMANTICS §8): whole,
//! under lookahead, resumed mid-page from item and page tokens, and in a fan-out. The origin
//! check on real links: DRF behind a TLS proxy writes links the transport refuses until the
//! user opts in to rebasing them.

use std::sync::Arc;

use paginated::http::{BlockingHttpTransport, HttpError, HttpTransport};
use paginated::{Error, Model, PaginationConfig};
use serde_json::{Value, json};

use crate::servers::{Kind, Server};

/// One style of one server, as a user declares it.
pub(crate) struct Style {
    pub(crate) name: &'static str,
    pub(crate) server: Kind,
    pub(crate) model: fn() -> Model,
    pub(crate) params: fn() -> Value,
    pub(crate) page_size: u64,
}

fn built(b: paginated::model::ModelBuilder) -> Model {
    b.build().unwrap_or_else(|e| panic!("{e}"))
}

/// json-server 0.17's posts, as a user declares them: a bare array, the next page in the
/// `Link` header; `_page` must be sent for it to page at all.
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    route = "GET /posts",
    result_key = "@",
    next_url = "link('next')",
    limit_key = "_limit"
)]
struct ListPosts017 {
    #[serde(rename = "_page")]
    page: u32,
    #[serde(rename = "_limit", skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
}

/// json-server 1.x's posts: a page number, sent from the first request on (`first` is 1),
/// the next one in the body's `next`.
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    route = "GET /posts",
    result_key = "data",
    page_number = "_page",
    output_token = "next",
    limit_key = "_per_page"
)]
struct ListPosts1 {
    #[serde(rename = "_page", skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    #[serde(rename = "_per_page", skip_serializing_if = "Option::is_none")]
    per_page: Option<u32>,
}

fn derived<P: paginated::Paginated>() -> Model {
    P::pagination_model()
        .unwrap_or_else(|e| panic!("{e}"))
        .clone()
}

pub(crate) fn styles() -> Vec<Style> {
    vec![
        Style {
            name: "json-server 0.17: bare array, Link rel=next",
            server: Kind::JsonServer017,
            model: derived::<ListPosts017>,
            // 0.17 pages only when `_page` is in the query.
            params: || {
                serde_json::to_value(ListPosts017 {
                    page: 1,
                    limit: None,
                })
                .unwrap()
            },
            page_size: 25,
        },
        Style {
            name: "json-server 1.x: page number, next in the body",
            server: Kind::JsonServer1,
            model: derived::<ListPosts1>,
            params: || {
                serde_json::to_value(ListPosts1 {
                    page: None,
                    per_page: None,
                })
                .unwrap()
            },
            page_size: 25,
        },
        Style {
            name: "DRF PageNumberPagination: next URL",
            server: Kind::Drf,
            model: || {
                built(
                    Model::builder("ListItems")
                        .route("GET /pn/items/")
                        .result_key("results")
                        .next_url("next")
                        .limit_key("page_size"),
                )
            },
            params: || json!({}),
            page_size: 30,
        },
        Style {
            name: "DRF LimitOffsetPagination: next URL",
            server: Kind::Drf,
            model: || {
                built(
                    Model::builder("ListItems")
                        .route("GET /lo/items/")
                        .result_key("results")
                        .next_url("next")
                        .limit_key("limit"),
                )
            },
            params: || json!({}),
            page_size: 30,
        },
        Style {
            name: "DRF CursorPagination: next URL",
            server: Kind::Drf,
            model: || {
                built(
                    Model::builder("ListItems")
                        .route("GET /cursor/items/")
                        .result_key("results")
                        .next_url("next")
                        .limit_key("page_size"),
                )
            },
            params: || json!({}),
            page_size: 30,
        },
        Style {
            name: "DRF LimitOffsetPagination without its URLs: offset, total",
            server: Kind::Drf,
            model: || {
                built(
                    Model::builder("ListItems")
                        .route("GET /lo/items/")
                        .result_key("results")
                        .offset("offset")
                        .limit_key("limit")
                        .total("count"),
                )
            },
            params: || json!({}),
            page_size: 30,
        },
    ]
}

impl Style {
    fn config(&self) -> PaginationConfig {
        PaginationConfig::default().page_size(self.page_size)
    }
}

fn blocking(server: &Server) -> Arc<BlockingHttpTransport> {
    Arc::new(transport(server))
}

fn transport(server: &Server) -> BlockingHttpTransport {
    BlockingHttpTransport::new(reqwest::blocking::Client::new(), server.base())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn nonblocking(server: &Server) -> Arc<HttpTransport> {
    Arc::new(
        HttpTransport::new(reqwest::Client::new(), server.base()).unwrap_or_else(|e| panic!("{e}")),
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Every item of an async run, with or without lookahead.
async fn items_async(
    model: &Model,
    api: Arc<HttpTransport>,
    params: Value,
    config: PaginationConfig,
    lookahead: bool,
) -> Vec<Value> {
    let mut pages = model.paginate_async(api, params).config(config);
    if lookahead {
        pages = pages.lookahead();
    }
    pages
        .items()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e:#?}"))
}

/// §8: each style lists exactly the server's data: blocking, blocking with lookahead, async,
/// async with lookahead.
#[test]
fn every_style_lists_the_servers_data() {
    let rt = runtime();
    for style in styles() {
        let server = Server::start(style.server);
        let data = server.data();
        let model = (style.model)();
        for lookahead in [false, true] {
            let mut pages = model
                .paginate(blocking(&server), (style.params)())
                .config(style.config());
            if lookahead {
                pages = pages.lookahead();
            }
            let items: Vec<Value> = pages
                .items()
                .collect::<Result<_, _>>()
                .unwrap_or_else(|e| panic!("{}: {e}", style.name));
            assert_eq!(
                items, data,
                "{} (blocking, lookahead {lookahead})",
                style.name
            );
            let items = rt.block_on(items_async(
                &model,
                nonblocking(&server),
                (style.params)(),
                style.config(),
                lookahead,
            ));
            assert_eq!(items, data, "{} (async, lookahead {lookahead})", style.name);
        }
        println!("styles: {}: {} items, every way", style.name, data.len());
    }
}

/// R2, R8, §8: a consumer stops mid-page (and on a page boundary), keeps the token, and a new
/// run on a new transport hands out exactly the rest of the server's data.
#[test]
fn every_style_resumes_from_item_and_page_tokens() {
    let rt = runtime();
    for style in styles() {
        let server = Server::start(style.server);
        let data = server.data();
        let model = (style.model)();
        let size = style.page_size as usize;
        for stop in [0, 1, size - 1, size, size + 7, data.len() - 1] {
            let mut first = model
                .paginate(blocking(&server), (style.params)())
                .config(style.config())
                .items();
            let before: Vec<Value> = first.by_ref().take(stop).map(Result::unwrap).collect();
            let token = first.resume_token();
            drop(first);
            let after = match token {
                None => Vec::new(),
                Some(token) => rt.block_on(items_async(
                    &model,
                    nonblocking(&server),
                    (style.params)(),
                    style.config().starting_token(Some(token)),
                    true,
                )),
            };
            assert_eq!(
                [before, after].concat(),
                data,
                "{}: stopped after {stop} items",
                style.name
            );
        }
        // A page token after the second page.
        let mut pages = model
            .paginate(blocking(&server), (style.params)())
            .config(style.config());
        let firsts: Vec<Value> = pages.by_ref().take(2).map(Result::unwrap).collect();
        assert_eq!(firsts.len(), 2, "{}", style.name);
        let token = pages.resume_token().unwrap();
        let rest: Vec<Value> = model
            .paginate(blocking(&server), (style.params)())
            .config(style.config().starting_token(Some(token)))
            .items()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rest, data[2 * size..], "{}: after two pages", style.name);
        println!("styles: {}: resumed from 7 tokens", style.name);
    }
}

/// Fan-out (G7): three runs of each style at once over one transport, each listing all the
/// server's data.
#[test]
fn every_style_fans_out() {
    let rt = runtime();
    for style in styles() {
        let server = Server::start(style.server);
        let data = server.data();
        let model = (style.model)();
        let api = nonblocking(&server);
        let runs: Vec<_> = (0..3)
            .map(|_| {
                model
                    .paginate_async(api.clone(), (style.params)())
                    .config(style.config())
                    .items()
            })
            .collect();
        let mut fan = paginated::fanout::FanOut::new(runs).concurrency(2);
        let per_run = rt.block_on(async {
            let mut per_run = vec![Vec::new(); 3];
            while let Some(item) = fan.next().await {
                let item = item.unwrap_or_else(|e| panic!("{}: {e:#?}", style.name));
                per_run[item.run].push(item.value);
            }
            per_run
        });
        for items in per_run {
            assert_eq!(items, data, "{}: a fanned-out run", style.name);
        }
    }
}

/// P2: DRF behind a TLS-terminating proxy writes `https://` links for a server the transport
/// reaches over `http://`, or links on another host: the origin check refuses the first one
/// before sending it, and with `rebase_urls(true)` the listing completes on the transport's
/// own origin.
#[test]
fn p2_links_off_the_origin_are_refused_unless_rebased() {
    let server = Server::start(Kind::Drf);
    let data = server.data();
    let model = |path: &str| {
        built(
            Model::builder("ListItems")
                .route(format!("GET {path}"))
                .result_key("results")
                .next_url("next")
                .limit_key("page_size"),
        )
    };
    let config = PaginationConfig::default().page_size(100);
    for path in ["/tls/pn/items/", "/foreign/pn/items/"] {
        let mut items = model(path)
            .paginate(blocking(&server), json!({}))
            .config(config.clone())
            .items();
        let first: Vec<Value> = items.by_ref().take(100).map(Result::unwrap).collect();
        assert_eq!(first, data[..100], "{path}: page 1 comes from the route");
        let error = items.next().unwrap().unwrap_err();
        let Error::Transport { source, .. } = &error else {
            panic!("{path}: expected a transport error, got {error}");
        };
        assert!(
            matches!(
                source.downcast_ref::<HttpError>(),
                Some(HttpError::ForeignUrl { .. })
            ),
            "{path}: {error:#?}"
        );
    }
    // Rebasing moves a link onto the transport's own origin, so whatever scheme or host the
    // server wrote, no request leaves that origin.
    for path in ["/tls/pn/items/", "/foreign/pn/items/"] {
        let rebased = Arc::new(transport(&server).rebase_urls(true));
        let items: Vec<Value> = model(path)
            .paginate(rebased, json!({}))
            .config(config.clone())
            .items()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{path}: {e:#}"));
        assert_eq!(items, data, "{path}: rebased onto the transport's origin");
    }
}
