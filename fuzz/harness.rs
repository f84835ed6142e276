//! What the fuzz targets do with their input, shared with `tests/fuzz_regressions.rs` so
//! every input the fuzzer found interesting is replayed by `cargo test`. Each function must
//! return normally for any input: a panic here is a bug found.

use paginated::blocking::{Pages, from_fn};
use paginated::model::Registry;
use paginated::{Body, DuplicateTokenPolicy, Model, Reply};
use serde::Deserialize;
use serde_json::{Map, Value, json};

fn models() -> Vec<Model> {
    [
        json!({"input_token": "Marker", "output_token": "NextMarker || Items[-1].Key", "result_key": ["Items", "Prefixes"], "limit_key": "MaxKeys", "more_results": "IsTruncated"}),
        json!({"input_token": ["A", "B"], "output_token": ["NextA", "Meta.NextB"], "result_key": ["Items", "Count"], "non_aggregate_keys": ["Meta"]}),
        json!({"input_token": ["T1", "T2", "T3"], "output_token": ["N1", "N2", "N3"], "result_key": "Data.Items", "limit_key": "Limit"}),
    ]
    .iter()
    .filter_map(|m| Model::from_botocore("Fuzz", m).ok())
    .chain(style_models())
    .collect()
}

/// One model of each pagination style (SEMANTICS §8): a bare array with a `Link` header, an
/// offset with a short-page rule and a total, a page number with `next`, header positions, a
/// next URL from the body with a re-sent param, a continuation route.
fn style_models() -> Vec<Model> {
    let b = Model::builder;
    [
        b("Fuzz")
            .result_key("@")
            .next_url("link('next')")
            .limit_key("Limit"),
        b("Fuzz")
            .result_key("Items")
            .offset("Offset")
            .limit_key("Limit")
            .stop("short_page")
            .total("Total"),
        b("Fuzz")
            .result_key("Items")
            .page_number("Page")
            .output_token("Next")
            .limit_key("Limit"),
        b("Fuzz")
            .result_key("@")
            .input_token("header('X-Cursor')")
            .output_token("header('X-Next')"),
        b("Fuzz")
            .result_key("Items")
            .next_url("NextMarker")
            .resend("Caller")
            .stop("empty_page"),
        b("Fuzz")
            .result_key("Items")
            .input_token("Marker")
            .output_token("NextMarker")
            .route("POST /list")
            .continue_route("POST /list/continue"),
    ]
    .into_iter()
    .filter_map(|m| m.build().ok())
    .collect()
}

/// The parameters a run may send: the caller's, the model's input tokens and its limit; and
/// never a URL its model does not follow.
fn check_request(model: &Model, request: &paginated::PageRequest<'_>) {
    check_params(model, request.params());
    if request.url().is_some() {
        // A next-URL position's names are `next_url` and, with a limit key, the page size.
        assert_eq!(
            model.input_tokens().first().map(String::as_str),
            Some("next_url"),
            "a URL for a model without next_url"
        );
    }
}

/// The parameters a run may send: the caller's, the model's input tokens and its limit.
fn check_params(model: &Model, params: &Map<String, Value>) {
    for key in params.keys() {
        let known = key == "Caller"
            || model.input_tokens().contains(key)
            || model.limit_key() == Some(key.as_str());
        assert!(known, "a request carried `{key}`, which nobody asked for");
    }
}

/// Resume-token decoding (R3-R5): any string as a starting token.
pub(crate) fn token(data: &[u8]) {
    let token = String::from_utf8_lossy(data);
    for model in models() {
        let api = from_fn(|request| {
            check_request(&model, &request);
            Ok::<_, std::io::Error>(
                json!({"Items": [{"Key": "a"}, {"Key": "b"}], "Data": {"Items": "xyz"}}),
            )
        });
        let mut items = model
            .paginate(&api, json!({"Caller": 1}))
            .page_size(5)
            .starting_token(Some(token.to_string()))
            .items();
        for _ in 0..4 {
            let _ = items.resume_token();
            if items.next().is_none() {
                break;
            }
        }
        let _ = items.resume_token();
    }
}

/// Model loading (S1, S2): any text as a `paginators-1.json` and as one entry.
pub(crate) fn model(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = Registry::from_json(&text);
    let Ok(value) = serde_json::from_str::<Value>(&text) else {
        return;
    };
    if let Ok(model) = Model::from_botocore("Fuzz", &value) {
        let api = from_fn(|_request| Ok::<_, std::io::Error>(value.clone()));
        let mut run = model.paginate(&api, Value::Null).max_pages(8).max_items(3);
        for page in run.by_ref() {
            let _ = page;
        }
        let _ = run.resume_token();
        let _ = model
            .paginate(&api, Value::Null)
            .max_pages(8)
            .build_full_result();
    }
    if let Ok(registry) = Registry::from_value(&value) {
        for op in registry.operations() {
            let _ = registry.get(op);
        }
    }
}

/// A whole run over arbitrary pages: the first line picks the options and a search
/// expression, the rest is a JSON array of pages (or, if it is not one, a single page).
pub(crate) fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (header, body) = text.split_once('\n').unwrap_or((&text, ""));
    let h = header.as_bytes();
    let at = |i: usize| h.get(i).copied().unwrap_or(0);
    let pages: Vec<Value> = match serde_json::from_str::<Value>(body) {
        Ok(Value::Array(pages)) => pages,
        Ok(page) => vec![page],
        Err(_) => vec![json!({"Items": [body], "NextMarker": body})],
    };
    let expression = header.get(4..).unwrap_or("Items[].Key");
    for model in models() {
        let served = std::sync::atomic::AtomicUsize::new(0);
        let api = from_fn(|request| {
            check_request(&model, &request);
            let i = served.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            match pages.get(i % pages.len().max(1)) {
                Some(p) => Ok(p.clone()),
                None => Err(std::io::Error::other("no pages")),
            }
        });
        let policy = policy_of(at(0));
        let configure = |run: Pages<_>| {
            let mut run = run
                .duplicate_tokens(policy)
                .max_pages(u64::from(at(1) % 16) + 1);
            if at(2) % 2 == 1 {
                run = run.max_items(u64::from(at(2) / 2));
            }
            if at(3) % 2 == 1 && model.limit_key().is_some() {
                run = run.page_size(u64::from(at(3)));
            }
            run
        };
        let mut items = configure(model.paginate(&api, json!({"Caller": true}))).items();
        while let Some(item) = items.next() {
            let _ = (item, items.resume_token());
        }
        let mut pages_run = configure(model.paginate(&api, json!({"Caller": true})));
        while let Some(page) = pages_run.next() {
            let _ = (page, pages_run.resume_token());
        }
        if let Ok(mut search) =
            configure(model.paginate(&api, json!({"Caller": true}))).search(expression)
        {
            while let Some(result) = search.next() {
                let _ = (result, search.resume_token());
            }
        }
        let _ = configure(model.paginate(&api, json!({"Caller": true}))).build_full_result();
    }
}

/// Expressions (S1, E3): any text as a search expression, as an output token and a
/// `more_results` flag, and inside a registry file, against a few pages. No text may panic
/// or overflow the stack (the nesting bound refuses what is too deep).
pub(crate) fn expr(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let pages = [
        json!({"Items": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 2.5}], "Next": "n", "More": true}),
        json!({"Items": [], "Next": 0, "Nested": {"a": {"b": [1, [2, [3]]]}}, "S": "str"}),
        json!({"Items": "not a list", "Big": 18_446_744_073_709_551_615_u64, "Neg": -9_223_372_036_854_775_808_i64}),
    ];
    let Ok(base) = Model::from_botocore(
        "Fuzz",
        &json!({"input_token": "Marker", "output_token": "Next", "result_key": "Items"}),
    ) else {
        return;
    };
    for page in &pages {
        let api = from_fn(|_request| Ok::<_, std::io::Error>(page.clone()));
        if let Ok(search) = base.paginate(&api, json!({})).max_pages(2).search(&text) {
            for found in search {
                let _ = found;
            }
        }
        let built = Model::builder("Fuzz")
            .input_token("Marker")
            .output_token(text.as_ref())
            .more_results(text.as_ref())
            .result_key("Items")
            .build();
        if let Ok(model) = built {
            for page in model.paginate(&api, json!({})).max_pages(3) {
                let _ = page;
            }
        }
    }
    let file = json!({"pagination": {"ListFuzz": {
        "input_token": "Marker", "output_token": text.as_ref(), "more_results": text.as_ref(),
        "result_key": "Items"
    }}});
    let _ = Registry::from_json(&file.to_string());
}

/// Origins (P2): the first line as a transport's base URL, the rest as a URL it is asked to
/// follow, taken as absolute and as relative to the base (a relative next URL). Whatever
/// `check` admits, and whatever `admit` gives back with rebasing off or on, is on the base's
/// scheme, host and port, carries no user name or password, has a path under the base path on
/// a segment boundary, and parses back to itself (what is sent is what was checked); `check`
/// never rebases; a rebase keeps the path and the query; refusals have a message.
pub(crate) fn origin(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (base, candidate) = text.split_once('\n').unwrap_or((&text, ""));
    let Ok(base) = url::Url::parse(base) else {
        return;
    };
    let strict = paginated::Origin::new(base.clone());
    let rebasing = strict.clone().rebasing(true);
    let candidates = [url::Url::parse(candidate), base.join(candidate)];
    for url in candidates.iter().flatten() {
        let checked = strict.check(url);
        assert_eq!(
            checked.is_ok(),
            rebasing.check(url).is_ok(),
            "check never rebases: {url}"
        );
        match &checked {
            Ok(()) => on_origin(&base, url),
            Err(refused) => assert!(!refused.to_string().is_empty()),
        }
        match strict.admit(url) {
            Ok(admitted) => {
                assert!(
                    checked.is_ok(),
                    "admitted without rebasing, refused by check: {url}"
                );
                assert_eq!(&admitted, url, "admitted without rebasing, yet changed");
            }
            Err(refused) => assert!(
                checked.is_err(),
                "checked, refused by admit: {url}: {refused}"
            ),
        }
        match rebasing.admit(url) {
            Ok(admitted) => {
                on_origin(&base, &admitted);
                if checked.is_ok() {
                    assert_eq!(&admitted, url, "on the origin, yet moved");
                }
                assert_eq!(admitted.path(), url.path(), "a rebase keeps the path");
                assert_eq!(admitted.query(), url.query(), "a rebase keeps the query");
            }
            Err(refused) => {
                assert!(checked.is_err(), "checked, refused when rebasing: {url}");
                assert!(!refused.to_string().is_empty());
            }
        }
    }
}

/// `url` is a URL `base`'s transport may send to (P2), as the origin's rules say, written out
/// again here rather than asked of `Origin`.
fn on_origin(base: &url::Url, url: &url::Url) {
    assert!(
        matches!(url.scheme(), "http" | "https"),
        "admitted a {} URL: {url}",
        url.scheme()
    );
    assert_eq!(url.scheme(), base.scheme(), "scheme of {url} under {base}");
    assert_eq!(url.host(), base.host(), "host of {url} under {base}");
    assert_eq!(
        url.port_or_known_default(),
        base.port_or_known_default(),
        "port of {url} under {base}"
    );
    assert!(
        url.username().is_empty() && url.password().is_none(),
        "admitted credentials: {url}"
    );
    let root = base.path().trim_end_matches('/');
    let path = url.path();
    let under = path
        .strip_prefix(root)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    assert!(under, "path {path:?} of {url} is not under {root:?}");
    assert!(
        !path.split('/').any(|s| s == "." || s == ".."),
        "a dot segment left in {url}"
    );
    assert_eq!(
        url::Url::parse(url.as_str()).as_ref(),
        Ok(url),
        "{url} does not parse back to itself"
    );
}

/// An item of the first model's primary result key, as a typed caller declares it.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Item {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Size", default)]
    size: Option<f64>,
}

/// A page of the first model, typed.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Page {
    #[serde(rename = "Items", default)]
    items: Vec<Item>,
    #[serde(rename = "NextMarker")]
    next_marker: Option<String>,
    #[serde(rename = "IsTruncated", default)]
    is_truncated: Option<bool>,
}

/// A full result of the first model, typed.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Full {
    #[serde(rename = "Items", default)]
    items: Vec<Item>,
    #[serde(rename = "Prefixes", default)]
    prefixes: Vec<Value>,
    #[serde(rename = "NextToken")]
    next_token: Option<String>,
}

/// Standard base64 with padding: a starting token is base64 of JSON (R1).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Whole runs over a transport that answers with response bodies, the bodies taken from the
/// input as they are (any bytes: not JSON, not UTF-8, the wrong shape). The first line picks
/// the options (policy, `max_pages`, `max_items`, page size, a starting token with an offset
/// and its marker, a search expression); every further line is one page's body, served in
/// turn. Pages, items, search and full results, each as JSON and typed.
pub(crate) fn body(data: &[u8]) {
    let mut lines = data.split(|&b| b == b'\n');
    let h = lines.next().unwrap_or_default();
    let bodies: Vec<&[u8]> = lines.collect();
    let at = |i: usize| h.get(i).copied().unwrap_or(0);
    let marker = String::from_utf8_lossy(h.get(8..).unwrap_or_default());
    let offset = match at(6) % 8 {
        0 => None,
        1 => Some(u64::from(u32::MAX)),
        2 => Some(u64::from(u32::MAX) + 1),
        3 => Some(u64::MAX),
        _ => Some(u64::from(u16::from_le_bytes([at(4), at(5)]))),
    };
    let expression = [
        "Items[].Key",
        "Items[?Size > `1`].Key",
        "Data.Items",
        "@",
        "NextMarker || Items[-1].Key",
        "Prefixes[]",
    ][usize::from(at(7)) % 6];
    for model in models() {
        let starting_token = (at(0) & 4 != 0).then(|| {
            let mut position = Map::new();
            for name in model.input_tokens() {
                position.insert(name.clone(), Value::String(marker.to_string()));
            }
            if let Some(offset) = offset {
                position.insert("boto_truncate_amount".to_owned(), Value::from(offset));
            }
            base64(Value::Object(position).to_string().as_bytes())
        });
        let served = std::sync::atomic::AtomicUsize::new(0);
        let api = from_fn(|request| {
            check_request(&model, &request);
            let i = served.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            match bodies.get(i % bodies.len().max(1)) {
                // The header line's text is also the `Link`, `X-Next` and `Total` headers, and
                // the page's URL: sources read from response metadata get arbitrary text too.
                Some(b) => Ok(with_meta(Reply::body(Body::from(*b)), &marker)),
                None => Err(std::io::Error::other("no pages")),
            }
        });
        let policy = policy_of(at(0));
        let configure = |run: Pages<_>| {
            let mut run = run
                .duplicate_tokens(policy)
                .max_pages(u64::from(at(1) % 16) + 1)
                .starting_token(starting_token.clone());
            if at(2) % 2 == 1 {
                run = run.max_items(u64::from(at(2) / 2));
            }
            if at(3) % 2 == 1 && model.limit_key().is_some() {
                run = run.page_size(u64::from(at(3)));
            }
            run
        };
        let fresh = || configure(model.paginate(&api, json!({"Caller": true})));

        let mut pages = fresh();
        while let Some(page) = pages.next() {
            let _ = (page, pages.resume_token());
        }
        let mut pages = fresh().typed::<Page, Item>();
        while let Some(page) = pages.next() {
            let _ = (page, pages.resume_token());
        }
        let mut items = fresh().items();
        while let Some(item) = items.next() {
            let _ = (item, items.resume_token());
        }
        let mut items = fresh().items().typed::<Item>();
        while let Some(item) = items.next() {
            let _ = (item, items.resume_token());
        }
        // Typed after some items: what is left of the page in hand is converted.
        let mut items = fresh().items();
        for _ in 0..at(1) % 4 {
            let _ = (items.next(), items.resume_token());
        }
        let mut items = items.typed::<Item>();
        while let Some(item) = items.next() {
            let _ = (item, items.resume_token());
        }
        if let Ok(mut prefixes) = fresh().items_of("Prefixes").map(|i| i.typed::<Value>()) {
            while let Some(prefix) = prefixes.next() {
                let _ = (prefix, prefixes.resume_token());
            }
        }
        if let Ok(mut search) = fresh().search(expression) {
            while let Some(result) = search.next() {
                let _ = (result, search.resume_token());
            }
        }
        let _ = fresh().build_full_result();
        let _ = fresh().typed::<Page, Item>().build_full_result();
        let _ = fresh().build_full_result_as::<Full>();
    }
}

/// `reply` with `text` as its `Link`, `X-Next` and `Total` headers (where it is a header
/// value at all), and as its URL when it parses as one.
fn with_meta(reply: Reply, text: &str) -> Reply {
    let reply = match http::HeaderValue::from_str(text) {
        Ok(value) => {
            let mut headers = http::HeaderMap::new();
            for name in ["link", "x-next", "total"] {
                headers.insert(name, value.clone());
            }
            reply.with_headers(headers)
        }
        Err(_) => reply,
    };
    match url::Url::parse(text) {
        Ok(url) => reply.with_url(url),
        Err(_) => reply,
    }
}

/// The duplicate-token policy a fuzz input's byte picks.
fn policy_of(byte: u8) -> DuplicateTokenPolicy {
    match byte % 3 {
        0 => DuplicateTokenPolicy::Error,
        1 => DuplicateTokenPolicy::Stop,
        _ => DuplicateTokenPolicy::Allow,
    }
}
