//! [`check`](crate::check) on what a style puts in requests (P9, P11): the placeholders a
//! continuation can fill, the headers a declaration may set, a page size in a header, and a
//! `link` that names one relation.

use super::{base, list, only_message, seen};
use crate::{Key, Reason};

#[test]
fn p9_a_continuation_route_fills_its_placeholders_from_what_it_sends() {
    let mut d = base();
    d.input_tokens = list(&["cursor"]);
    d.output_tokens = list(&["cursor"]);
    d.continue_route = Some("POST /v1/{account}/list/continue");
    assert_eq!(
        only_message(&d),
        "`continue_route` has placeholder `{account}`, but a continuation sends only the input tokens and `resend`; add `account` to `resend`"
    );
    d.resend = list(&["account"]);
    assert_eq!(seen(&d), []);
    d.resend = list(&[]);
    d.continue_route = Some("POST /v1/{cursor}/continue");
    assert_eq!(seen(&d), [], "an input token fills it");
}

#[test]
fn p11_a_declaration_sets_no_framing_routing_or_credential_header() {
    for name in [
        "Host",
        "content-length",
        "Transfer-Encoding",
        "Authorization",
        "Cookie",
    ] {
        let mut d = base();
        let entry: &'static str = Box::leak(format!("header('{name}')").into_boxed_str());
        d.input_tokens = list(&[entry]);
        d.output_tokens = list(&["next"]);
        assert_eq!(
            seen(&d),
            [(
                Key::InputToken,
                Some(0),
                entry.to_owned(),
                Reason::ForbiddenHeader {
                    name: name.to_owned()
                }
            )],
            "{name}"
        );
        let mut d = base();
        d.input_tokens = list(&["cursor"]);
        d.output_tokens = list(&["next"]);
        d.limit_key = Some(entry);
        assert_eq!(seen(&d).len(), 1, "{name} as the page size's header");
    }
    // Reading such a header from a response is harmless.
    let mut d = base();
    d.input_tokens = list(&["cursor"]);
    d.output_tokens = list(&["header('Content-Length')"]);
    assert_eq!(seen(&d), []);
}

#[test]
fn p11_a_page_size_header_is_checked_like_a_header_target() {
    let mut d = base();
    d.input_tokens = list(&["cursor"]);
    d.output_tokens = list(&["next"]);
    d.limit_key = Some("header('x-ms-max-item-count')");
    assert_eq!(seen(&d), []);
    d.limit_key = Some("header('x ms')");
    assert!(
        matches!(
            seen(&d).as_slice(),
            [(
                Key::LimitKey,
                None,
                _,
                Reason::BadHeaderName { character: ' ', .. }
            )]
        ),
        "{:?}",
        seen(&d)
    );
}

#[test]
fn p10_link_names_one_relation() {
    let mut d = base();
    for rel in ["link('next prev')", "link(' next ')"] {
        d.next_url = Some(rel);
        assert!(
            only_message(&d).contains("write `link('next')`"),
            "{rel}: {}",
            only_message(&d)
        );
    }
}
