//! Tests of `origin.rs`: what the check admits and refuses, rebasing, the messages.

use super::*;

fn url(text: &str) -> Url {
    Url::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn origin(base: &str) -> Origin {
    Origin::new(url(base))
}

fn refusal(base: &str, candidate: &str) -> Option<Refusal> {
    origin(base)
        .check(&url(candidate))
        .err()
        .map(|e| e.0.refusal)
}

#[test]
fn the_base_and_what_is_under_it_are_admitted() {
    let base = "https://api.example.com/api";
    for ok in [
        "https://api.example.com/api",
        "https://api.example.com/api/",
        "https://api.example.com/api/x",
        "https://api.example.com/api/x/y?page=2&q=a%20b#frag",
        "https://API.Example.COM/api/x",
        "https://api.example.com:443/api/x",
        "https://api.example.com:0443/api/x",
        "HTTPS://api.example.com/api/x",
        // `\` is `/` in http(s) URLs, as reqwest parses them too.
        "https://api.example.com\\api\\x",
        // Resolved before the check, and still under the base.
        "https://api.example.com/api/x/../y",
        "https://api.example.com/api/./x",
        // An encoded slash without a dot segment: GitLab's `group%2Fproject`.
        "https://api.example.com/api/projects/group%2Fproject/issues",
    ] {
        assert_eq!(refusal(base, ok), None, "{ok}");
    }
    // A trailing slash on the base changes nothing.
    assert_eq!(
        refusal(
            "https://api.example.com/api/",
            "https://api.example.com/api"
        ),
        None
    );
    // A base of `/` admits every path of the host.
    assert_eq!(
        refusal(
            "https://api.example.com",
            "https://api.example.com/any/thing"
        ),
        None
    );
    assert_eq!(
        refusal("https://api.example.com/", "https://api.example.com"),
        None
    );
}

#[test]
fn other_places_are_refused_with_what_differs() {
    let base = "https://api.example.com/api";
    let elsewhere = |scheme, host, port| Some(Refusal::OtherOrigin { scheme, host, port });
    let cases = [
        (
            "https://api.example.com.evil.com/api/x",
            elsewhere(false, true, false),
        ),
        ("https://evil.com/api/x", elsewhere(false, true, false)),
        (
            "https://api.example.com./api/x",
            elsewhere(false, true, false),
        ),
        ("https://example.com/api/x", elsewhere(false, true, false)),
        ("http://api.example.com/api/x", elsewhere(true, false, true)),
        (
            "http://api.example.com:443/api/x",
            elsewhere(true, false, false),
        ),
        (
            "https://api.example.com:8443/api/x",
            elsewhere(false, false, true),
        ),
        (
            "https://api.example.com@evil.com/api/x",
            Some(Refusal::Userinfo),
        ),
        (
            "https://user:pw@api.example.com/api/x",
            Some(Refusal::Userinfo),
        ),
        (
            "https://user@api.example.com/api/x",
            Some(Refusal::Userinfo),
        ),
        ("https://:pw@api.example.com/api/x", Some(Refusal::Userinfo)),
        ("https://api.example.com/apix", Some(Refusal::OutsidePath)),
        ("https://api.example.com/ap", Some(Refusal::OutsidePath)),
        ("https://api.example.com/", Some(Refusal::OutsidePath)),
        ("https://api.example.com/API/x", Some(Refusal::OutsidePath)),
        (
            "https://api.example.com/api/../admin",
            Some(Refusal::OutsidePath),
        ),
        (
            "https://api.example.com/api/%2e%2e/admin",
            Some(Refusal::OutsidePath),
        ),
        (
            "https://api.example.com/api/%2E%2e/admin",
            Some(Refusal::OutsidePath),
        ),
        (
            "https://api.example.com/api/.%2E/admin",
            Some(Refusal::OutsidePath),
        ),
        (
            "https://api.example.com/api\\..\\admin",
            Some(Refusal::OutsidePath),
        ),
        ("https://api.example.com//api/x", Some(Refusal::OutsidePath)),
        (
            "https://api.example.com/api%2F..%2Fadmin",
            Some(Refusal::OutsidePath),
        ),
        (
            "https://api.example.com/api/x%2F..%2F..%2Fadmin",
            Some(Refusal::HiddenDotSegment),
        ),
        (
            "https://api.example.com/api/x%5C..%5Cadmin",
            Some(Refusal::HiddenDotSegment),
        ),
        (
            "https://api.example.com/api/..;/admin",
            Some(Refusal::HiddenDotSegment),
        ),
        (
            "https://api.example.com/api/x/.;jsessionid=1/y",
            Some(Refusal::HiddenDotSegment),
        ),
        (
            "https://api.example.com/api/%2e%2e%2fadmin",
            Some(Refusal::HiddenDotSegment),
        ),
        ("ftp://api.example.com/api/x", Some(Refusal::NotHttp)),
        ("file:///api/x", Some(Refusal::NotHttp)),
        ("javascript:alert(1)", Some(Refusal::NotHttp)),
        ("data:text/plain,api", Some(Refusal::NotHttp)),
        ("wss://api.example.com/api/x", Some(Refusal::NotHttp)),
    ];
    for (candidate, expected) in cases {
        assert_eq!(refusal(base, candidate), expected, "{candidate}");
    }
    // A base that is not http(s) admits nothing, itself included.
    assert_eq!(
        refusal(
            "ftp://files.example.com/pub",
            "ftp://files.example.com/pub/x"
        ),
        Some(Refusal::NotHttp)
    );
}

#[test]
fn hosts_compare_as_parsed_idn_and_ip_addresses_included() {
    // IDN: the Unicode and the punycode spelling are one host; a look-alike is not.
    let base = "https://bücher.example/v1";
    assert_eq!(refusal(base, "https://xn--bcher-kva.example/v1/x"), None);
    assert_eq!(refusal(base, "https://BÜCHER.example/v1/x"), None);
    assert!(matches!(
        refusal("https://api.example.com", "https://аpi.example.com/"),
        Some(Refusal::OtherOrigin { host: true, .. })
    ));
    // IPv6 in any spelling, with its port.
    let base = "http://[::1]:8080/api";
    assert_eq!(refusal(base, "http://[0:0:0:0:0:0:0:1]:8080/api/x"), None);
    assert!(refusal(base, "http://[::2]:8080/api/x").is_some());
    assert!(refusal(base, "http://[::1]/api/x").is_some());
    assert!(refusal(base, "http://[::ffff:127.0.0.1]:8080/api/x").is_some());
    // IPv4 in the forms WHATWG reads as the same address.
    let base = "http://127.0.0.1:3000";
    assert_eq!(refusal(base, "http://127.1:3000/x"), None);
    assert_eq!(refusal(base, "http://0x7f.0.0.1:3000/x"), None);
    assert!(refusal(base, "http://localhost:3000/x").is_some());
    assert!(refusal(base, "http://127.0.0.2:3000/x").is_some());
}

#[test]
fn the_base_keeps_only_its_place() {
    let origin = origin("https://me:secret@api.example.com:443/v1/?q=1#f");
    assert_eq!(origin.base().as_str(), "https://api.example.com/v1/");
    assert_eq!(origin.to_string(), "https://api.example.com/v1");
    assert!(origin.check(&url("https://api.example.com/v1/x")).is_ok());
    assert_eq!(
        Origin::new(url("http://[::1]:8080")).to_string(),
        "http://[::1]:8080"
    );
}

#[test]
fn rebasing_moves_only_urls_under_the_base_path() {
    let strict = origin("https://api.example.com/v1");
    let rebasing = strict.clone().rebasing(true);
    assert!(!strict.is_rebasing() && rebasing.is_rebasing());
    let moved = |candidate: &str| rebasing.admit(&url(candidate)).map(|u| u.to_string());
    assert_eq!(
        moved("http://api.example.com/v1/orders?page=2").unwrap(),
        "https://api.example.com/v1/orders?page=2"
    );
    assert_eq!(
        moved("http://api.example.com:80/v1/orders").unwrap(),
        "https://api.example.com/v1/orders"
    );
    assert_eq!(
        moved("http://internal.svc:8000/v1/orders/?cursor=a%2Bb").unwrap(),
        "https://api.example.com/v1/orders/?cursor=a%2Bb"
    );
    assert_eq!(
        moved("https://[fd00::1]:9443/v1").unwrap(),
        "https://api.example.com/v1"
    );
    // Already on the origin: unchanged.
    assert_eq!(
        moved("https://api.example.com/v1/x#f").unwrap(),
        "https://api.example.com/v1/x#f"
    );
    for refused in [
        "http://internal.svc:8000/admin",
        "http://internal.svc:8000/v1x",
        "http://internal.svc/v1/../admin",
        "http://internal.svc/v1/x%2F..%2Fadmin",
        "http://user:pw@internal.svc/v1/orders",
        "ftp://internal.svc/v1/orders",
    ] {
        assert!(moved(refused).is_err(), "{refused}");
    }
    // `check` never rebases; `admit` without rebasing is `check`.
    let next = url("http://api.example.com/v1/orders");
    assert!(rebasing.check(&next).is_err());
    assert!(strict.admit(&next).is_err());
    assert_eq!(
        strict.admit(&url("https://api.example.com/v1/o")).unwrap(),
        url("https://api.example.com/v1/o")
    );
    // Onto an IPv6 base with a port.
    let v6 = origin("http://[::1]:8080/api").rebasing(true);
    assert_eq!(
        v6.admit(&url("https://proxy.example/api/x?y=1"))
            .unwrap()
            .as_str(),
        "http://[::1]:8080/api/x?y=1"
    );
}

#[test]
fn messages_name_the_url_the_origin_what_differs_and_what_to_do() {
    let strict = origin("https://api.example.com/v1");
    let message = |o: &Origin, candidate: &str| o.admit(&url(candidate)).unwrap_err().to_string();
    assert_eq!(
        message(&strict, "http://api.example.com/v1/orders?cursor=x"),
        "refused to follow http://api.example.com/v1/orders?cursor=x: its scheme `http` is \
         not `https`, its port 80 is not 443; the transport only follows URLs under \
         https://api.example.com/v1; if the server writes its links behind a proxy \
         (`http://` behind TLS, an internal host name), opt in with `rebase_urls(true)` on \
         the transport (`Origin::rebasing(true)`)"
    );
    assert_eq!(
        message(&strict, "https://evil.example/admin"),
        "refused to follow https://evil.example/admin: its host `evil.example` is not \
         `api.example.com`; the transport only follows URLs under https://api.example.com/v1; \
         give the transport a base URL that covers it if the API really links there"
    );
    assert_eq!(
        message(&strict, "https://api.example.com/v2/orders"),
        "refused to follow https://api.example.com/v2/orders: its path `/v2/orders` is not \
         under `/v1`; the transport only follows URLs under https://api.example.com/v1; \
         give the transport a base URL that covers it if the API really links there"
    );
    // Credentials never reach a message.
    let shown = message(&strict, "https://me:hunter2@api.example.com/v1/x");
    assert!(
        !shown.contains("hunter2") && !shown.contains("me:"),
        "{shown}"
    );
    assert!(
        shown.contains("https://***:***@api.example.com/v1/x"),
        "{shown}"
    );
    assert!(shown.contains("user name or password"), "{shown}");
    // Rebasing on: a place elsewhere with a path outside is refused, without the hint.
    let rebasing = strict.clone().rebasing(true);
    let shown = message(&rebasing, "http://internal/admin");
    assert!(
        shown.contains("its path `/admin` is not under `/v1`"),
        "{shown}"
    );
    assert!(!shown.contains("rebase_urls"), "{shown}");
    let refused = rebasing.admit(&url("http://internal/admin")).unwrap_err();
    assert!(!refused.is_rebasable());
    assert_eq!(refused.url().as_str(), "http://internal/admin");
    assert_eq!(refused.origin(), &rebasing);
    let shown = message(&strict, "mailto:a@b");
    assert!(
        shown.contains("its scheme `mailto` is not http or https"),
        "{shown}"
    );
    let shown = message(&strict, "https://api.example.com/v1/a%2F..%2F..%2Fx");
    assert!(shown.contains("hides a `.` or `..` segment"), "{shown}");
    let shown = message(&origin("ftp://h/"), "ftp://h/x");
    assert!(shown.contains("base URL is `ftp`"), "{shown}");
}
