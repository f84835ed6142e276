//! [`check`](crate::check) on the values of the style keys (P6, P7, P10, P11): sources,
//! header names, stop rules, `first`, and which parameters may not coincide.

use super::*;

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
