//! Each server, started by the test, answers page 1 in the shape of its style, holds the data
//! its launcher generates, and is gone once its guard is dropped.

use serde_json::Value;

use crate::servers::{Kind, Server, expected_items, installed_in, link_relations};

/// The `id`s of an array of items.
fn ids(items: &Value) -> Vec<Value> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {items}"))
        .iter()
        .map(|item| item["id"].clone())
        .collect()
}

/// json-server 0.17: `_page` paginates (`_limit` is the page size); the page is a bare array,
/// the next page is the `Link` relation `next` (absolute, on the server's own origin), the total
/// is `X-Total-Count`.
#[test]
fn json_server_017_answers_a_bare_array_with_a_link_header() {
    let server = Server::start(Kind::JsonServer017);
    let page = server.get("/posts?_page=1&_limit=10");
    assert_eq!(page.status, 200, "{}: {}", server.describe(), page.text);
    assert_eq!(
        page.body,
        Value::Array(expected_items(Kind::JsonServer017, 10))
    );
    assert_eq!(page.header("x-total-count"), Some("500"));
    let link = page
        .header("link")
        .unwrap_or_else(|| panic!("{}: no Link header: {:?}", server.describe(), page.headers));
    let relations = link_relations(link);
    let base = server.base();
    assert_eq!(
        relations,
        [
            ("first", format!("{base}/posts?_page=1&_limit=10")),
            ("next", format!("{base}/posts?_page=2&_limit=10")),
            ("last", format!("{base}/posts?_page=50&_limit=10")),
        ]
        .map(|(rel, url)| (rel.to_owned(), url)),
        "{link}"
    );

    // The last page has no `next`; past it, an empty array and an empty `Link` header.
    let last = server.get("/posts?_page=50&_limit=10");
    let rels: Vec<String> = link_relations(last.header("link").unwrap())
        .into_iter()
        .map(|(rel, _)| rel)
        .collect();
    assert_eq!(rels, ["first", "prev", "last"]);
    let past = server.get("/posts?_page=51&_limit=10");
    assert_eq!(past.body, Value::Array(vec![]));
    assert_eq!(past.header("link"), Some(""));

    assert_eq!(server.data(), expected_items(Kind::JsonServer017, 500));
}

/// json-server 1.x: `_page` paginates (`_per_page` is the page size); the page is an object
/// whose `next` is the next page number (`null` on the last page) and `data` the items.
#[test]
fn json_server_1_answers_a_page_object_with_a_next_page_number() {
    let server = Server::start(Kind::JsonServer1);
    let page = server.get("/posts?_page=1&_per_page=25");
    assert_eq!(page.status, 200, "{}: {}", server.describe(), page.text);
    let body = &page.body;
    assert_eq!(body["first"], 1, "{body}");
    assert_eq!(body["prev"], Value::Null, "{body}");
    assert_eq!(body["next"], 2, "{body}");
    assert_eq!(body["last"], 120, "{body}");
    assert_eq!(body["pages"], 120, "{body}");
    assert_eq!(body["items"], 3000, "{body}");
    assert_eq!(
        body["data"],
        Value::Array(expected_items(Kind::JsonServer1, 25))
    );

    let last = server.get("/posts?_page=120&_per_page=25");
    assert_eq!(last.body["next"], Value::Null);
    // Past the last page json-server 1.x answers the last page again (never an empty page).
    let past = server.get("/posts?_page=121&_per_page=25");
    assert_eq!(past.body, last.body);

    assert_eq!(server.data(), expected_items(Kind::JsonServer1, 3000));
}

/// DRF: each paginator answers `{…, "next": absolute URL, "previous": null, "results": […]}`,
/// `next` on the server's own origin (as the client reached it); PageNumber and LimitOffset
/// carry `count`, Cursor does not.
#[test]
fn drf_answers_absolute_next_urls_for_its_three_paginators() {
    let server = Server::start(Kind::Drf);
    let base = server.base();
    let first_page: Vec<Value> = expected_items(Kind::Drf, 25)
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    for (path, count, next) in [
        ("/pn/items/", Some(1000), format!("{base}/pn/items/?page=2")),
        (
            "/lo/items/",
            Some(1000),
            format!("{base}/lo/items/?limit=25&offset=25"),
        ),
        // The cursor is base64 of `p=25` (the last id of the page), percent-encoded.
        (
            "/cursor/items/",
            None,
            format!("{base}/cursor/items/?cursor=cD0yNQ%3D%3D"),
        ),
    ] {
        let page = server.get(path);
        assert_eq!(
            page.status,
            200,
            "{} GET {path}: {}",
            server.describe(),
            page.text
        );
        let body = &page.body;
        assert_eq!(body["next"], next.as_str(), "{path}: {body}");
        assert_eq!(body["previous"], Value::Null, "{path}: {body}");
        assert_eq!(ids(&body["results"]), first_page, "{path}: {body}");
        match count {
            Some(count) => assert_eq!(body["count"], count, "{path}: {body}"),
            None => assert!(body.get("count").is_none(), "{path}: {body}"),
        }
        // The next URL answers the second page.
        let second = crate::servers::get_url(&next);
        assert_eq!(second.status, 200, "GET {next}: {}", second.text);
        assert_eq!(second.body["results"][0]["id"], 26, "GET {next}");
    }

    // Behind a (pretended) TLS proxy the links say https://, to a client on http://; under
    // /foreign/ they point at another host.
    let tls = server.get("/tls/pn/items/");
    assert_eq!(
        tls.body["next"],
        format!("https://127.0.0.1:{}/tls/pn/items/?page=2", server.port()).as_str()
    );
    let foreign = server.get("/foreign/cursor/items/");
    assert_eq!(
        foreign.body["next"],
        "http://foreign.invalid/foreign/cursor/items/?cursor=cD0yNQ%3D%3D"
    );

    // Page sizes from the query: `page_size` (PageNumber, Cursor) and `limit` (LimitOffset).
    let small = server.get("/cursor/items/?page_size=2");
    assert_eq!(
        small.body["next"],
        format!("{base}/cursor/items/?cursor=cD0y&page_size=2").as_str()
    );
    // A page past the end is a 404 for PageNumber.
    assert_eq!(server.get("/pn/items/?page=41").status, 404);

    assert_eq!(server.data(), expected_items(Kind::Drf, 1000));
}

/// A server started with another number of items holds that many; the guard kills it.
#[test]
fn a_server_holds_the_items_it_was_started_with_and_stops_when_dropped() {
    for kind in Kind::ALL {
        let server = Server::start_with(kind, 7);
        assert_eq!(server.items(), 7);
        assert_eq!(
            server.data(),
            expected_items(kind, 7),
            "{}",
            server.describe()
        );
        let pid = server.pid();
        let url = server.url(kind.all_path());
        drop(server);
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "{} (PID {pid}) still runs after its guard was dropped",
            kind.name()
        );
        assert!(
            crate::servers::client().get(&url).send().is_err(),
            "{url} still answers after its server's guard was dropped"
        );
    }
}

/// Without an install, the failure says how to get one.
#[test]
#[should_panic(expected = "peers/styles.sh install")]
fn a_missing_install_says_how_to_install() {
    let empty = std::env::temp_dir().join(format!("paginate-styles-none-{}", std::process::id()));
    installed_in(&empty);
}
