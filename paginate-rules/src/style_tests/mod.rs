//! [`check`] on the pagination-style keys (P1–P11): each style declared as real APIs need it,
//! and every [`Reason`] those keys can give, with its message.

use super::*;

/// A list that lives as long as the test.
fn list(items: &[&str]) -> &'static [String] {
    Box::leak(
        items
            .iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    )
}

/// `ListThings`, with one result key `items` and nothing else.
fn base() -> Declaration<'static> {
    let mut d = Declaration::new("ListThings");
    d.result_keys = list(&["items"]);
    d
}

/// The problems of `d`, as (key, index, value, reason).
fn seen(d: &Declaration<'_>) -> Vec<(Key, Option<usize>, String, Reason)> {
    check(d)
        .into_iter()
        .map(|p| (p.key, p.index, p.value, p.reason))
        .collect()
}

/// The message of `d`'s one problem.
fn only_message(d: &Declaration<'_>) -> String {
    let problems = check(d);
    assert_eq!(problems.len(), 1, "{problems:?}");
    problems[0].to_string()
}

#[test]
fn p1_to_p11_every_style_real_apis_need_is_accepted() {
    // GitHub: a bare array, the next page in the `Link` header.
    let mut github = base();
    github.result_keys = list(&["@"]);
    github.next_url = Some("link('next')");
    github.limit_key = Some("per_page");
    // Azure: the next URL in the body, `api-version` sent again.
    let mut azure = base();
    azure.result_keys = list(&["value"]);
    azure.next_url = Some("nextLink");
    azure.resend = list(&["api-version"]);
    // json-server 1.x: a page number, the next one in the body, counted from 1.
    let mut json_server = base();
    json_server.result_keys = list(&["data"]);
    json_server.page_number = Some("_page");
    json_server.output_tokens = list(&["next"]);
    json_server.first = Some("1");
    json_server.limit_key = Some("_per_page");
    json_server.total = Some("items");
    // Attio: an offset, ending on a short page.
    let mut attio = base();
    attio.result_keys = list(&["data"]);
    attio.offset = Some("offset");
    attio.limit_key = Some("limit");
    attio.stop = list(&["short_page", "empty_page"]);
    attio.total = Some("header('X-Total-Count')");
    attio.first = Some("0");
    // Heroku: the position in request and response headers.
    let mut heroku = base();
    heroku.result_keys = list(&["@"]);
    heroku.input_tokens = list(&["header('Range')"]);
    heroku.output_tokens = list(&["header('Next-Range')"]);
    // Dropbox: later requests go to `/continue` with the cursor only.
    let mut dropbox = base();
    dropbox.result_keys = list(&["entries"]);
    dropbox.input_tokens = list(&["cursor"]);
    dropbox.output_tokens = list(&["cursor"]);
    dropbox.more_results = Some("has_more");
    dropbox.route = Some("POST /2/files/list_folder");
    dropbox.continue_route = Some("POST /2/files/list_folder/continue");
    dropbox.resend = list(&["path"]);
    for d in [github, azure, json_server, attio, heroku, dropbox] {
        assert_eq!(check(&d), [], "{d:?}");
    }
}

#[test]
fn p2_p4_p5_tokens_are_missing_only_without_another_way_of_paging() {
    let d = base();
    assert_eq!(
        seen(&d),
        [
            (Key::InputToken, None, String::new(), Reason::Missing),
            (Key::OutputToken, None, String::new(), Reason::Missing),
        ]
    );
    for edit in [
        |d: &mut Declaration<'static>| d.next_url = Some("next"),
        |d: &mut Declaration<'static>| d.offset = Some("offset"),
        |d: &mut Declaration<'static>| d.page_number = Some("page"),
    ] {
        let mut d = base();
        edit(&mut d);
        assert_eq!(check(&d), [], "{d:?}");
    }
}

#[test]
fn p2_to_p5_p9_two_ways_of_paging_conflict_on_the_later_key() {
    let conflict =
        |key, value: &str, with| (key, None, value.to_owned(), Reason::Conflicts { with });
    let mut d = base();
    d.next_url = Some("link('next')");
    d.input_tokens = list(&["cursor"]);
    d.output_tokens = list(&["next"]);
    assert_eq!(
        seen(&d),
        [conflict(Key::NextUrl, "link('next')", Key::InputToken)]
    );
    assert_eq!(
        only_message(&d),
        "`next_url` cannot be used with `input_token`: a declaration pages one way (`next_url` follows the URL each page gives; `input_token` sends a token read from each page); remove one of them"
    );

    let mut d = base();
    d.offset = Some("offset");
    d.output_tokens = list(&["next"]);
    assert_eq!(
        seen(&d),
        [conflict(Key::Offset, "offset", Key::OutputToken)]
    );

    // A page number may read the next one from the page, but not send a token.
    let mut d = base();
    d.page_number = Some("page");
    d.output_tokens = list(&["next"]);
    assert_eq!(check(&d), []);
    d.input_tokens = list(&["cursor"]);
    assert_eq!(
        seen(&d),
        [conflict(Key::PageNumber, "page", Key::InputToken)]
    );

    let mut d = base();
    d.next_url = Some("next");
    d.offset = Some("offset");
    d.page_number = Some("page");
    d.continue_route = Some("POST /continue");
    assert_eq!(
        seen(&d),
        [
            conflict(Key::Offset, "offset", Key::NextUrl),
            conflict(Key::PageNumber, "page", Key::NextUrl),
            conflict(Key::PageNumber, "page", Key::Offset),
            conflict(Key::ContinueRoute, "POST /continue", Key::NextUrl),
            conflict(Key::ContinueRoute, "POST /continue", Key::Offset),
            conflict(Key::ContinueRoute, "POST /continue", Key::PageNumber),
        ]
    );
}

#[test]
fn p3_p6_p7_p8_keys_that_need_another() {
    let requires =
        |key, index, value: &str, keys| (key, index, value.to_owned(), Reason::Requires { keys });
    let mut d = base();
    d.input_tokens = list(&["cursor"]);
    d.output_tokens = list(&["next"]);
    d.resend = list(&["api-version"]);
    d.first = Some("1");
    d.total = Some("total");
    d.stop = list(&["empty_page", "short_page"]);
    let problems = check(&d);
    assert_eq!(
        problems
            .iter()
            .map(|p| (p.key, p.index, p.value.clone(), p.reason.clone()))
            .collect::<Vec<_>>(),
        [
            requires(Key::Resend, None, "", &[Key::NextUrl, Key::ContinueRoute]),
            requires(Key::First, None, "1", &[Key::Offset, Key::PageNumber]),
            requires(Key::Stop, Some(1), "short_page", &[Key::LimitKey]),
            requires(Key::Total, None, "total", &[Key::Offset, Key::PageNumber]),
        ]
    );
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "`resend` needs `next_url` or `continue_route`: it lists the params sent again on a request to the next URL or the continue route; declare one of them",
            "`first` needs `offset` or `page_number`: it is the first request's offset or page number; declare one of them",
            "`stop = \"short_page\"` needs `limit_key`: a page is short when it has fewer items than the page size sent in `limit_key`; declare `limit_key`",
            "`total` needs `offset` or `page_number`: a listing ends once the items counted by an offset or page number reach the total; declare one of them",
        ]
    );

    // A total with a page number needs the page size; with an offset it does not.
    let mut d = base();
    d.page_number = Some("page");
    d.total = Some("header('X-Total-Count')");
    assert_eq!(
        seen(&d),
        [requires(
            Key::Total,
            None,
            "header('X-Total-Count')",
            &[Key::LimitKey]
        )]
    );
    assert_eq!(
        only_message(&d),
        "`total` needs `limit_key`: with `page_number`, the items before a page are counted from its number and the page size sent in `limit_key`; declare `limit_key`"
    );
    d.limit_key = Some("per_page");
    assert_eq!(check(&d), []);
    d.page_number = None;
    d.offset = Some("offset");
    d.limit_key = None;
    assert_eq!(check(&d), []);
}

#[test]
fn p5_a_page_number_reads_at_most_one_output_token() {
    let mut d = base();
    d.page_number = Some("page");
    d.output_tokens = list(&["next", "last"]);
    assert_eq!(
        seen(&d),
        [(
            Key::OutputToken,
            None,
            String::new(),
            Reason::TooMany {
                count: 2,
                max: 1,
                with: Key::PageNumber
            }
        )]
    );
    assert_eq!(
        only_message(&d),
        "`output_token` has 2 entries, but with `page_number` it takes at most 1: the next page's number, when pages give it (json-server's `next`); remove the others"
    );
}

#[test]
fn p1_the_whole_page_is_the_only_result_key() {
    let mut d = base();
    d.next_url = Some("link('next')");
    d.result_keys = list(&["items", "@"]);
    d.non_aggregate_keys = list(&["total"]);
    let not_alone = |with| {
        (
            Key::ResultKey,
            Some(1),
            "@".to_owned(),
            Reason::WholePageNotAlone { with },
        )
    };
    let problems = check(&d);
    assert_eq!(
        seen(&d),
        [not_alone(Key::ResultKey), not_alone(Key::NonAggregateKeys)]
    );
    assert_eq!(
        problems[0].to_string(),
        "`result_key = \"@\"` says each page is a bare JSON array, the one result, so it must be the only result key; remove the other entries"
    );
    assert_eq!(
        problems[1].to_string(),
        "`result_key = \"@\"` says each page is a bare JSON array, which has no keys for `non_aggregate_keys` to read; remove `non_aggregate_keys`"
    );
    // `@` twice is a duplicate, and still not alone; `@` is not a dotted path elsewhere.
    d.result_keys = list(&["@", "@"]);
    d.non_aggregate_keys = list(&["@"]);
    let reasons: Vec<(Key, Option<usize>, Reason)> = check(&d)
        .into_iter()
        .map(|p| (p.key, p.index, p.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            (Key::ResultKey, Some(1), Reason::Duplicate { first: 0 }),
            (
                Key::ResultKey,
                Some(0),
                Reason::WholePageNotAlone {
                    with: Key::ResultKey
                }
            ),
            (
                Key::ResultKey,
                Some(0),
                Reason::WholePageNotAlone {
                    with: Key::NonAggregateKeys
                }
            ),
            (Key::NonAggregateKeys, Some(0), Reason::NotADottedPath),
        ]
    );
}

/// The reasons `check` gives `text` as the `next_url` source.
fn next_url(text: &'static str) -> Vec<Reason> {
    let mut d = base();
    d.next_url = Some(text);
    check(&d)
        .into_iter()
        .inspect(|p| {
            assert_eq!(
                (p.key, p.index, p.value.as_str()),
                (Key::NextUrl, None, text)
            )
        })
        .map(|p| p.reason)
        .collect()
}

#[test]
fn p10_header_names_and_relations() {
    assert_eq!(next_url("header('Location')"), []);
    assert_eq!(next_url("header('X-Next_Page.v2')"), []);
    assert_eq!(next_url("link('next')"), []);
    assert_eq!(
        next_url("header('X Next')"),
        [Reason::BadHeaderName {
            name: "X Next".to_owned(),
            character: ' '
        }]
    );
    assert_eq!(
        next_url("header('X:Next')"),
        [Reason::BadHeaderName {
            name: "X:Next".to_owned(),
            character: ':'
        }]
    );
    assert_eq!(
        next_url("header('')"),
        [Reason::EmptyArgument { function: "header" }]
    );
    assert_eq!(
        next_url("link(' ')"),
        [Reason::EmptyArgument { function: "link" }]
    );
    let mut d = base();
    d.next_url = Some("header('X Next')");
    assert_eq!(
        only_message(&d),
        "`next_url` names header `X Next`, which is not a valid HTTP header name: it cannot hold ' '; a header name is ASCII letters, digits and !#$%&'*+-.^_`|~"
    );
    d.next_url = Some("link('')");
    assert_eq!(
        only_message(&d),
        "`next_url` calls `link('')` with an empty relation; name it, like `link('next')`"
    );
}

mod requests;
mod values;
