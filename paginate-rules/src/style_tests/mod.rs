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

#[test]
fn p10_header_and_link_need_one_raw_string() {
    let bad = |function, suggestion: &str| {
        vec![Reason::BadSourceCall {
            function,
            suggestion: suggestion.to_owned(),
        }]
    };
    assert_eq!(next_url("link(`next`)"), bad("link", "link('next')"));
    assert_eq!(next_url("link(next)"), bad("link", "link('next')"));
    assert_eq!(next_url("link(\"next\")"), bad("link", "link('next')"));
    assert_eq!(next_url("link(`\"next\"`)"), bad("link", "link('next')"));
    assert_eq!(next_url("link()"), bad("link", "link('rel')"));
    assert_eq!(next_url("link('next', 'prev')"), bad("link", "link('rel')"));
    assert_eq!(
        next_url("header(X-Total-Count)"),
        bad("header", "header('X-Total-Count')")
    );
    let mut d = base();
    d.next_url = Some("link(`next`)");
    assert_eq!(
        only_message(&d),
        "`next_url` calls `link` with an argument that is not one raw string in single quotes: write `link('next')`"
    );
    // Inside a larger expression, the call is not the whole source.
    assert_eq!(
        next_url("next || link('next')"),
        [Reason::SourceNotWhole {
            function: "link",
            offset: 8
        }]
    );
    assert_eq!(
        next_url("link(a) || b(c)")[0],
        Reason::SourceNotWhole {
            function: "link",
            offset: 0
        }
    );
    d.next_url = Some("next || link('next')");
    assert_eq!(
        only_message(&d),
        "`next_url` calls `link` at character 8 of `next || link('next')`, inside a JMESPath expression; `header('...')` and `link('...')` are read from the response, not the body, so each must be the whole value, like `link('next')`"
    );
}

#[test]
fn p10_a_misspelt_header_or_link_is_an_unknown_function_with_a_suggestion() {
    let unknown = |name: &str, did_you_mean| Reason::UnknownFunction {
        name: name.to_owned(),
        did_you_mean,
        offset: 0,
    };
    assert_eq!(next_url("links('next')"), [unknown("links", Some("link"))]);
    assert_eq!(next_url("Link('next')"), [unknown("Link", Some("link"))]);
    assert_eq!(next_url("heder('X')"), [unknown("heder", Some("header"))]);
    let mut d = base();
    d.next_url = Some("links('next')");
    assert_eq!(
        only_message(&d),
        "`next_url` calls unknown function `links` at character 0 of `links('next')`; did you mean `link`?"
    );
    // Without a close name, the message says what a source may be.
    d.next_url = Some("nope('next')");
    assert!(
        only_message(&d).ends_with(
            "`values`, and the whole value may instead be `header('Name')` or `link('rel')`"
        ),
        "{}",
        only_message(&d)
    );
    // `more_results` is plain JMESPath: no `header`, no `link`.
    let mut d = base();
    d.next_url = Some("next");
    d.more_results = Some("links(a)");
    assert_eq!(
        seen(&d),
        [(
            Key::MoreResults,
            None,
            "links(a)".to_owned(),
            unknown("links", None)
        )]
    );
    assert!(!only_message(&d).contains("header"), "{}", only_message(&d));
    // Sources in every position: output tokens and totals too.
    let mut d = base();
    d.input_tokens = list(&["cursor"]);
    d.output_tokens = list(&["heder('X-Cursor')"]);
    assert_eq!(
        seen(&d),
        [(
            Key::OutputToken,
            Some(0),
            "heder('X-Cursor')".to_owned(),
            unknown("heder", Some("header"))
        )]
    );
}

#[test]
fn p11_input_tokens_written_as_headers() {
    let mut d = base();
    d.input_tokens = list(&[
        "header('Range')",
        "header('Bad Name')",
        "heder('Range')",
        "header(Range)",
        "header('Range')",
        "header('')",
    ]);
    d.output_tokens = list(&["a", "b", "c", "d", "e", "f"]);
    assert_eq!(
        check(&d)
            .into_iter()
            .map(|p| (p.index, p.reason))
            .collect::<Vec<_>>(),
        [
            (
                Some(1),
                Reason::BadHeaderName {
                    name: "Bad Name".to_owned(),
                    character: ' '
                }
            ),
            (
                Some(2),
                Reason::UnknownFunction {
                    name: "heder".to_owned(),
                    did_you_mean: Some("header"),
                    offset: 0
                }
            ),
            (
                Some(3),
                Reason::BadSourceCall {
                    function: "header",
                    suggestion: "header('Range')".to_owned()
                }
            ),
            (Some(5), Reason::EmptyArgument { function: "header" }),
            (Some(4), Reason::Duplicate { first: 0 }),
        ]
    );
}

#[test]
fn p7_stop_rules_exist_and_are_listed_once() {
    let mut d = base();
    d.offset = Some("offset");
    d.limit_key = Some("limit");
    d.stop = list(&["short-page", "nope", "empty_page", "empty_page"]);
    let problems = check(&d);
    assert_eq!(
        problems
            .iter()
            .map(|p| (p.key, p.index, p.value.as_str(), p.reason.clone()))
            .collect::<Vec<_>>(),
        [
            (
                Key::Stop,
                Some(0),
                "short-page",
                Reason::UnknownStop {
                    did_you_mean: Some("short_page")
                }
            ),
            (
                Key::Stop,
                Some(1),
                "nope",
                Reason::UnknownStop { did_you_mean: None }
            ),
            (
                Key::Stop,
                Some(3),
                "empty_page",
                Reason::Duplicate { first: 2 }
            ),
        ]
    );
    assert_eq!(
        problems[0].to_string(),
        "`stop` has unknown rule `short-page`; did you mean `short_page`?"
    );
    assert_eq!(
        problems[1].to_string(),
        "`stop` has unknown rule `nope`; the rules are `empty_page` and `short_page`"
    );
}

#[test]
fn p6_first_is_a_whole_number() {
    let first = |text: &'static str| {
        let mut d = base();
        d.offset = Some("offset");
        d.first = Some(text);
        check(&d)
    };
    for ok in ["0", " 1 ", "17"] {
        assert_eq!(first(ok), [], "{ok}");
    }
    for (text, found) in [
        ("2.5", "a negative or fractional number"),
        ("-1", "a negative or fractional number"),
        ("\"a\"", "a string"),
        ("{}", "an object"),
        ("[1]", "an array"),
        ("true", "a boolean"),
        ("null", "null"),
    ] {
        assert_eq!(
            first(text)
                .into_iter()
                .map(|p| p.reason)
                .collect::<Vec<_>>(),
            [Reason::NotANumberOrString { found }]
        );
    }
    let problems = first("[1]");
    assert_eq!(
        problems[0].to_string(),
        "`first` must be a whole number, like `first = \"1\"`: offsets and page numbers count; `[1]` is an array"
    );
    let problems = first("abc");
    assert!(
        matches!(
            &problems[..],
            [Problem {
                key: Key::First,
                reason: Reason::NotJson { .. },
                ..
            }]
        ),
        "{problems:?}"
    );
    assert_eq!(
        problems[0].to_string(),
        "`first` must be JSON text, like `first = \"1\"`, or `first = \"\\\"a\\\"\"` for a string; `abc` is not: expected value at line 1 column 1"
    );
    assert!(matches!(first("'a'")[0].reason, Reason::NotJson { .. }));
}

#[test]
fn p3_p4_p5_names_of_params() {
    let mut d = base();
    d.next_url = Some("next");
    d.resend = list(&["api-version", "", "api-version"]);
    assert_eq!(
        seen(&d),
        [
            (Key::Resend, Some(1), String::new(), Reason::Empty),
            (
                Key::Resend,
                Some(2),
                "api-version".to_owned(),
                Reason::Duplicate { first: 0 }
            ),
        ]
    );
    let mut d = base();
    d.offset = Some("");
    assert_eq!(
        seen(&d),
        [(Key::Offset, None, String::new(), Reason::Empty)]
    );
    let mut d = base();
    d.page_number = Some("limit");
    d.limit_key = Some("limit");
    assert_eq!(
        seen(&d),
        [(
            Key::PageNumber,
            None,
            "limit".to_owned(),
            Reason::SameParam {
                with: Key::LimitKey
            }
        )]
    );
    assert_eq!(
        only_message(&d),
        "`page_number` and `limit_key` both name `limit`; each needs a parameter of its own"
    );
}

#[test]
fn p9_the_continue_route_follows_the_route_grammar() {
    let mut d = base();
    d.input_tokens = list(&["cursor"]);
    d.output_tokens = list(&["cursor"]);
    d.continue_route = Some("FETCH /continue");
    let problems = check(&d);
    assert!(
        matches!(
            &problems[..],
            [Problem {
                key: Key::ContinueRoute,
                index: None,
                reason: Reason::Route(RouteProblem::Method { .. }),
                ..
            }]
        ),
        "{problems:?}"
    );
    assert_eq!(
        problems[0].to_string(),
        "`continue_route` method `FETCH` is not one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`"
    );
    // Without tokens, the plain messages: a continue route sends the input tokens.
    let mut d = base();
    d.continue_route = Some("POST /continue");
    assert_eq!(
        check(&d).into_iter().map(|p| p.key).collect::<Vec<_>>(),
        [Key::InputToken, Key::OutputToken]
    );
}

mod requests;
