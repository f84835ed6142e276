//! "A declaration that compiles never fails to build its model" (SEMANTICS S1), as a property:
//! random declarations go to `paginated_rules::check` (what `#[derive(Paginated)]` runs at
//! compile time) and to `Model::builder` / `Model::from_botocore` (run time), and the two
//! verdicts must be the same. The checker accepting what the builder refuses would be a
//! derive that compiles and fails at first use; the reverse, a derive refusing a model the
//! engine runs. The builder calls the checker itself, so the checker is also held against
//! what does not call it: the engine's own expression compiler (through `search`) and
//! `Route::parse`.
//!
//! Declarations are drawn from a small grammar aimed at the edges of the rules: token counts
//! that differ, empty and repeated names, expressions with built-in and unknown functions
//! called with any number of arguments, indices and slice steps at and beyond the engine's
//! ranges, nesting around the bound (E5), broken syntax, result keys that are not dotted paths,
//! and routes with good and bad methods, spaces, slashes and braces. And the pagination-style
//! keys (P1–P11): one way of paging or two, keys without the key they need, `header('…')` and
//! `link('…')` sources and targets written well, misspelt or misused, `@` alone or not, stop
//! rules, `first` values that are and are not JSON numbers or strings.

use paginated::model::ModelProblem;
use paginated::route::Route;
use paginated::{Error, Model};
use paginated_rules::{
    Declaration, FUNCTIONS, WHOLE_PAGE, check, expression_problems, route_problems,
};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Value, json};

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => prop_oneof![
            Just("Marker"),
            Just("NextToken"),
            Just("Page"),
            Just("StartKey"),
            Just("Cursor"),
            Just("Offset"),
        ],
        1 => Just(""),
    ]
    .prop_map(str::to_owned)
}

/// `input_token` entries: mostly params, sometimes header targets (P11), well or badly
/// written.
fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => name(),
        2 => Just("header('Range')".to_owned()),
        1 => prop_oneof![
            Just("header('Bad Name')"),
            Just("header('')"),
            Just("heder('Range')"),
            Just("header(Range)"),
        ]
        .prop_map(str::to_owned),
    ]
}

/// Sources (P10): expressions, `header('…')` and `link('…')`, and their misspellings and
/// misuses.
fn source() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => expression(),
        2 => prop_oneof![
            Just("link('next')"),
            Just("header('X-Next-Page')"),
            Just(" header( 'Location' ) "),
            Just("\"@odata.nextLink\""),
        ]
        .prop_map(str::to_owned),
        1 => prop_oneof![
            Just("link('')"),
            Just("header('')"),
            Just("header('X Next')"),
            Just("header('X:Next')"),
            Just("link(`next`)"),
            Just("link(next)"),
            Just("link()"),
            Just("links('next')"),
            Just("Link('next')"),
            Just("heder('X')"),
            Just("next || link('next')"),
            Just("header(X-Next)"),
        ]
        .prop_map(str::to_owned),
    ]
}

/// Indices at and beyond what the parser reads and the engine evaluates.
fn index() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (-3i64..4).prop_map(|i| i.to_string()),
        1 => prop_oneof![
            Just(i64::from(i32::MAX)),
            Just(-i64::from(i32::MAX)),
            Just(i64::from(i32::MIN)),
            Just(i64::from(i32::MAX) + 1),
            Just(99_999_999_999),
        ]
        .prop_map(|i| i.to_string()),
    ]
}

/// Slice steps around the engine's bound of 2^30 (E5), and 0 (a run-time error, not a
/// build error).
fn step() -> impl Strategy<Value = String> {
    let bound = 1i64 << 30;
    prop_oneof![
        6 => prop_oneof![Just(1i64), Just(-1), Just(2), Just(0)],
        2 => prop_oneof![
            Just(bound),
            Just(-bound),
            Just(bound + 1),
            Just(-bound - 1),
            Just(2_000_000_000),
            Just(i64::from(i32::MAX)),
            Just(i64::from(i32::MIN)),
        ],
    ]
    .prop_map(|s| s.to_string())
}

/// Function names: every built-in, and names that are not built-ins (some close to one).
fn function_name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(FUNCTIONS).prop_map(|f| f.name.to_owned()),
        1 => prop_oneof![Just("nope"), Just("lenght"), Just("last"), Just("Length")]
            .prop_map(str::to_owned),
    ]
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        24 => prop_oneof![
            Just("NextMarker"),
            Just("Contents"),
            Just("\"quoted.name\""),
            Just("@"),
            Just("`1`"),
            Just("'text'"),
            Just("IsTruncated"),
        ]
        .prop_map(str::to_owned),
        3 => index().prop_map(|i| format!("Contents[{i}]")),
        3 => (step(), prop::option::of(index()))
            .prop_map(|(s, start)| format!("Contents[{}::{s}]", start.unwrap_or_default())),
        1 => prop_oneof![Just("Contents["), Just("||"), Just("a..b"), Just(""), Just("a.")]
            .prop_map(str::to_owned),
        // Around the nesting bound: 64 levels pass, 65 do not.
        1 => (60usize..68).prop_map(|n| "a.".repeat(n) + "a"),
        1 => (30usize..35).prop_map(|n| "(".repeat(n) + "a" + &")".repeat(n)),
    ]
}

fn expression() -> impl Strategy<Value = String> {
    leaf().prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            1 => (inner.clone(), inner.clone(), prop_oneof![Just("||"), Just("&&"), Just("|"), Just("==")])
                .prop_map(|(a, b, op)| format!("{a} {op} {b}")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}.{b}")),
            1 => inner.clone().prop_map(|a| format!("!{a}")),
            1 => inner.clone().prop_map(|a| format!("({a})")),
            // A built-in with as many arguments as it takes, or any name with any number.
            3 => (proptest::sample::select(FUNCTIONS), prop::collection::vec(inner.clone(), 3))
                .prop_map(|(f, args)| {
                    let n = f.arity.count + usize::from(f.arity.variadic);
                    format!("{}({})", f.name, args[..n.min(3)].join(", "))
                }),
            1 => (function_name(), prop::collection::vec(inner.clone(), 0..4))
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            1 => (function_name(), inner.clone(), inner.clone())
                .prop_map(|(f, a, b)| format!("{f}({a}, &{b})")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, {b}]")),
            1 => inner.clone().prop_map(|a| format!("{{k: {a}}}")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}[?{b}]")),
            1 => inner.prop_map(|a| format!("{a}[]")),
        ]
    })
}

/// Result and non-aggregate keys: mostly dotted paths, some not, sometimes the whole page
/// (P1).
fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(WHOLE_PAGE.to_owned()),
        16 => prop_oneof![
            Just("Contents"),
            Just("CommonPrefixes"),
            Just("EngineDefaults.Parameters"),
            Just("\"a.b\".c"),
        ]
        .prop_map(str::to_owned),
        2 => prop_oneof![
            Just(""),
            Just("R[0]"),
            Just("length(R)"),
            Just("nope(R)"),
            Just("a."),
            Just("a || b"),
        ]
        .prop_map(str::to_owned),
        1 => expression(),
    ]
}

fn route() -> impl Strategy<Value = String> {
    let method = prop_oneof![
        8 => prop_oneof![Just("GET"), Just("POST"), Just("DELETE")],
        1 => prop_oneof![Just("get"), Just("FETCH"), Just("")],
    ];
    let space = prop_oneof![8 => Just(" "), 1 => prop_oneof![Just(""), Just("  ")]];
    let path = prop_oneof![
        8 => prop_oneof![Just("/v1/orders"), Just("/b/{Bucket}/o"), Just("/f/{Name}.json")],
        2 => prop_oneof![
            Just("v1"),
            Just("/a/{B"),
            Just("/a/B}"),
            Just("/a/{}"),
            Just("/a/{{B}}"),
            Just("/a b"),
            Just("/é/{B"),
        ],
    ];
    (method, space, path).prop_map(|(m, s, p)| format!("{m}{s}{p}"))
}

#[derive(Debug, Clone, Default)]
struct Attributes {
    operation: String,
    input_tokens: Vec<String>,
    output_tokens: Vec<String>,
    result_keys: Vec<String>,
    limit_key: Option<String>,
    more_results: Option<String>,
    non_aggregate_keys: Vec<String>,
    route: Option<String>,
    next_url: Option<String>,
    resend: Vec<String>,
    offset: Option<String>,
    page_number: Option<String>,
    first: Option<String>,
    stop: Vec<String>,
    total: Option<String>,
    continue_route: Option<String>,
}

impl Attributes {
    /// True when a pagination-style key (P2–P9) is declared: what a botocore entry never
    /// accepts (P12).
    fn has_style_keys(&self) -> bool {
        self.next_url.is_some()
            || !self.resend.is_empty()
            || self.offset.is_some()
            || self.page_number.is_some()
            || self.first.is_some()
            || !self.stop.is_empty()
            || self.total.is_some()
            || self.continue_route.is_some()
    }

    /// True when a key botocore knows holds a style value (P1, P10, P11): a `@` result key,
    /// a `header('…')`/`link('…')` output token, a header target. A botocore entry refuses
    /// those too (P12).
    fn has_style_values(&self) -> bool {
        use paginated_rules::{Source, Target};
        let header = |t: &String| matches!(Target::parse(t), Target::Header(_));
        self.result_keys.iter().any(|k| k == WHOLE_PAGE)
            || self
                .output_tokens
                .iter()
                .any(|t| !matches!(Source::parse(t), Source::Expression(_)))
            || self.input_tokens.iter().any(header)
            || self.limit_key.as_ref().is_some_and(header)
    }
}

/// How a declaration says where the next page comes from (P2–P5, P9); `Mixed` keeps every
/// key drawn, so that ways conflict and keys come without the key they need.
#[derive(Debug, Clone, Copy)]
enum Way {
    Tokens,
    NextUrl,
    Offset,
    PageNumber,
    ContinueRoute,
    Mixed,
}

/// The style keys' values, drawn independently; [`styled`] keeps those that fit the way.
#[derive(Debug, Clone)]
struct Drawn {
    way: Way,
    next_url: String,
    resend: Vec<String>,
    position: String,
    first: Option<String>,
    stop: Vec<String>,
    total: Option<String>,
    continue_route: String,
}

fn drawn() -> impl Strategy<Value = Drawn> {
    let way = prop_oneof![
        16 => Just(Way::Tokens),
        3 => Just(Way::NextUrl),
        3 => Just(Way::Offset),
        3 => Just(Way::PageNumber),
        2 => Just(Way::ContinueRoute),
        2 => Just(Way::Mixed),
    ];
    let first = prop_oneof![
        6 => prop_oneof![Just("1"), Just("0"), Just(" 7 "), Just("2.5"), Just("\"a\"")],
        1 => prop_oneof![
            Just("{}"),
            Just("[1]"),
            Just("true"),
            Just("null"),
            Just("abc"),
            Just("'a'"),
            Just(""),
        ],
    ]
    .prop_map(str::to_owned);
    let stop = prop_oneof![
        8 => prop_oneof![Just("empty_page"), Just("short_page")],
        1 => prop_oneof![Just("short-page"), Just("emtpy_page"), Just("last_page"), Just("")],
    ]
    .prop_map(str::to_owned);
    (
        way,
        source(),
        prop::collection::vec(name(), 0..3),
        name(),
        prop::option::weighted(0.3, first),
        prop_oneof![
            4 => Just(Vec::new()),
            1 => prop::collection::vec(stop, 1..3),
        ],
        prop::option::weighted(0.2, source()),
        route(),
    )
        .prop_map(
            |(way, next_url, resend, position, first, stop, total, continue_route)| Drawn {
                way,
                next_url,
                resend,
                position,
                first,
                stop,
                total,
                continue_route,
            },
        )
}

/// `a` with the style keys of `d` that fit its way of paging (all of them for `Mixed`).
fn styled(mut a: Attributes, d: Drawn) -> Attributes {
    // Stop rules fit every way; short pages need a limit key.
    a.stop = d.stop;
    match d.way {
        Way::Tokens => {}
        Way::NextUrl => {
            a.input_tokens.clear();
            a.output_tokens.clear();
            a.next_url = Some(d.next_url);
            a.resend = d.resend;
        }
        Way::Offset => {
            a.input_tokens.clear();
            a.output_tokens.clear();
            a.offset = Some(d.position);
            a.first = d.first;
            a.total = d.total;
        }
        Way::PageNumber => {
            a.input_tokens.clear();
            a.output_tokens.truncate(1);
            a.page_number = Some(d.position);
            a.first = d.first;
            a.total = d.total;
        }
        Way::ContinueRoute => {
            a.continue_route = Some(d.continue_route);
            a.resend = d.resend;
        }
        Way::Mixed => {
            a.next_url = Some(d.next_url);
            a.resend = d.resend;
            a.offset = Some(d.position.clone());
            // Both positions when a `first` was drawn: conflicts between every pair of ways.
            a.page_number = d.first.as_ref().map(|_| d.position);
            a.first = d.first;
            a.total = d.total;
            a.continue_route = Some(d.continue_route);
        }
    }
    a
}

fn attributes() -> impl Strategy<Value = Attributes> {
    (plain_attributes(), drawn()).prop_map(|(a, d)| styled(a, d))
}

/// The botocore keys of a declaration.
fn plain_attributes() -> impl Strategy<Value = Attributes> {
    // Tokens come in pairs, so most declarations have matching counts; sometimes one more
    // output, or one fewer.
    let tokens = prop_oneof![
        6 => prop::collection::vec((target(), source()), 1..2),
        3 => prop::collection::vec((target(), source()), 2..4),
        1 => Just(Vec::new()),
    ];
    let skew = prop_oneof![12 => Just(0i8), 1 => Just(1), 1 => Just(-1)];
    let result_keys = prop_oneof![
        12 => prop::collection::vec(path(), 1..3),
        1 => Just(Vec::new()),
    ];
    (
        prop_oneof![16 => Just("ListThings"), 1 => Just("")],
        tokens,
        skew,
        result_keys,
        prop::option::weighted(0.3, name()),
        prop::option::weighted(0.4, expression()),
        prop::collection::vec(path(), 0..2),
        prop::option::weighted(0.3, route()),
    )
        .prop_map(
            |(
                operation,
                tokens,
                skew,
                result_keys,
                limit_key,
                more_results,
                non_aggregate_keys,
                route,
            )| {
                let (input_tokens, mut output_tokens): (Vec<_>, Vec<_>) =
                    tokens.into_iter().unzip();
                match skew {
                    1 => output_tokens.push("NextMarker".to_owned()),
                    -1 => {
                        output_tokens.pop();
                    }
                    _ => {}
                }
                Attributes {
                    operation: operation.to_owned(),
                    input_tokens,
                    output_tokens,
                    result_keys,
                    limit_key,
                    more_results,
                    non_aggregate_keys,
                    route,
                    ..Attributes::default()
                }
            },
        )
}

fn declaration(a: &Attributes) -> Declaration<'_> {
    let mut d = Declaration::new(&a.operation);
    d.input_tokens = &a.input_tokens;
    d.output_tokens = &a.output_tokens;
    d.result_keys = &a.result_keys;
    d.limit_key = a.limit_key.as_deref();
    d.more_results = a.more_results.as_deref();
    d.non_aggregate_keys = &a.non_aggregate_keys;
    d.route = a.route.as_deref();
    d.next_url = a.next_url.as_deref();
    d.resend = &a.resend;
    d.offset = a.offset.as_deref();
    d.page_number = a.page_number.as_deref();
    d.first = a.first.as_deref();
    d.stop = &a.stop;
    d.total = a.total.as_deref();
    d.continue_route = a.continue_route.as_deref();
    d
}

fn build(a: &Attributes) -> Result<Model, Error> {
    let mut b = Model::builder(a.operation.clone());
    for t in &a.input_tokens {
        b = b.input_token(t);
    }
    for t in &a.output_tokens {
        b = b.output_token(t);
    }
    for k in &a.result_keys {
        b = b.result_key(k);
    }
    for k in &a.non_aggregate_keys {
        b = b.non_aggregate_key(k);
    }
    if let Some(k) = &a.limit_key {
        b = b.limit_key(k);
    }
    if let Some(e) = &a.more_results {
        b = b.more_results(e);
    }
    if let Some(r) = &a.route {
        b = b.route(r);
    }
    if let Some(s) = &a.next_url {
        b = b.next_url(s);
    }
    for p in &a.resend {
        b = b.resend(p);
    }
    if let Some(p) = &a.offset {
        b = b.offset(p);
    }
    if let Some(p) = &a.page_number {
        b = b.page_number(p);
    }
    if let Some(v) = &a.first {
        b = b.first(v);
    }
    for s in &a.stop {
        b = b.stop(s);
    }
    if let Some(s) = &a.total {
        b = b.total(s);
    }
    if let Some(r) = &a.continue_route {
        b = b.continue_route(r);
    }
    b.build()
}

/// The same declaration as a botocore entry (which has no route), style keys included.
fn from_botocore(a: &Attributes) -> Result<Model, Error> {
    let mut entry = json!({
        "input_token": a.input_tokens,
        "output_token": a.output_tokens,
        "result_key": a.result_keys,
        "non_aggregate_keys": a.non_aggregate_keys,
    });
    if let Some(fields) = entry.as_object_mut() {
        let mut single = |key: &str, value: &Option<String>| {
            if let Some(v) = value {
                fields.insert(key.into(), Value::String(v.clone()));
            }
        };
        single("limit_key", &a.limit_key);
        single("more_results", &a.more_results);
        single("next_url", &a.next_url);
        single("offset", &a.offset);
        single("page_number", &a.page_number);
        single("first", &a.first);
        single("total", &a.total);
        single("continue_route", &a.continue_route);
        if !a.resend.is_empty() {
            fields.insert("resend".into(), json!(a.resend));
        }
        if !a.stop.is_empty() {
            fields.insert("stop".into(), json!(a.stop));
        }
    }
    Model::from_botocore(a.operation.clone(), &entry)
}

proptest! {
    #![proptest_config(Config { cases: 3000, ..Config::default() })]

    // S1: the shared checker and the builder give the same verdict on every declaration, and
    // a refusal names the operation and the key of the checker's first problem.
    #[test]
    fn s1_checker_and_builder_agree(a in attributes()) {
        let problems = check(&declaration(&a));
        let built = build(&a);
        prop_assert_eq!(
            problems.is_empty(),
            built.is_ok(),
            "checker: {:?}\nbuilder: {:?}",
            problems,
            built.as_ref().err()
        );
        if let (Some(first), Err(Error::InvalidModel { operation, problem })) =
            (problems.first(), &built)
        {
            prop_assert_eq!(operation, &a.operation);
            let message = problem.to_string();
            prop_assert!(
                message.contains(&format!("`{}`", first.key.as_str())),
                "{} does not name {:?}",
                message,
                first.key
            );
        }
        if a.has_style_keys() {
            // P12: a botocore entry never accepts a style key.
            let botocore = from_botocore(&a);
            prop_assert!(
                matches!(
                    &botocore,
                    Err(Error::InvalidModel { problem: ModelProblem::UnknownField { .. }, .. })
                ),
                "{:?}",
                botocore
            );
        } else if a.route.is_none() && a.has_style_values() {
            // P12: nor a style value in a key it knows.
            prop_assert!(from_botocore(&a).is_err());
        } else if a.route.is_none() {
            prop_assert_eq!(from_botocore(&a).is_ok(), built.is_ok());
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: 3000, ..Config::default() })]

    // S1, E5: the checker's verdict on an expression is the engine's own compiler's, reached
    // without the checker: `search` compiles its expression directly (S3). So the builder
    // agreeing with the checker (above) is not only the builder calling the checker.
    #[test]
    fn s1_e5_checker_and_engine_compiler_agree_on_expressions(e in expression()) {
        let never = paginated::blocking::from_fn(|_request| -> Result<Value, std::io::Error> {
            Err(std::io::Error::other("no request is sent"))
        });
        // Any model will do: `search` compiles its expression before any request.
        let model = match Model::builder("ListThings")
            .input_token("Marker")
            .output_token("NextMarker")
            .result_key("Things")
            .build()
        {
            Ok(model) => model,
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        let compiled = model.paginate(&never, json!({})).search(&e).map(|_| ());
        let problems = expression_problems(&e);
        prop_assert_eq!(
            problems.is_empty(),
            compiled.is_ok(),
            "checker: {:?}\nsearch: {:?}",
            problems,
            compiled.err()
        );
    }

    // S1: the derive's route check and `Route::parse` agree on every route.
    #[test]
    fn s1_route_check_and_route_parse_agree(r in route()) {
        let problems = route_problems(&r);
        let parsed = Route::parse(&r);
        prop_assert_eq!(
            problems.is_empty(),
            parsed.is_ok(),
            "checker: {:?}\nparse: {:?}",
            problems,
            parsed.err()
        );
    }
}

/// The property is not vacuous: the grammar yields both verdicts, with every kind of refusal.
#[test]
fn the_grammar_reaches_both_verdicts() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = attributes();
    let (mut accepted, mut refused) = (0, 0);
    let mut reasons = std::collections::BTreeSet::new();
    for _ in 0..3000 {
        let a = strategy.new_tree(&mut runner).unwrap().current();
        let problems = check(&declaration(&a));
        if problems.is_empty() {
            accepted += 1;
        } else {
            refused += 1;
        }
        for p in problems {
            let debug = format!("{:?}", p.reason);
            reasons.insert(debug.split([' ', '(', '{']).next().unwrap_or("").to_owned());
        }
    }
    assert!(
        accepted > 300 && refused > 300,
        "{accepted} accepted, {refused} refused"
    );
    for kind in [
        "Missing",
        "Empty",
        "Duplicate",
        "CountMismatch",
        "TooDeep",
        "Syntax",
        "UnknownFunction",
        "WrongArity",
        "OutOfRange",
        "NotADottedPath",
        "Route",
        "Conflicts",
        "Requires",
        "TooMany",
        "WholePageNotAlone",
        "BadHeaderName",
        "EmptyArgument",
        "BadSourceCall",
        "SourceNotWhole",
        "UnknownStop",
        "NotJson",
        "NotANumberOrString",
        "SameParam",
    ] {
        assert!(reasons.contains(kind), "no {kind} among {reasons:?}");
    }
}

/// P1–P11 at run time: a style problem the checker finds is `ModelProblem::Style`, naming the
/// field and the value (the checker's first problem, as for every key).
#[test]
fn p2_p3_p9_style_problems_name_their_field_and_value() {
    let problem = |b: paginated::model::ModelBuilder| match b.build() {
        Err(Error::InvalidModel { problem, .. }) => problem,
        other => panic!("{other:?}"),
    };
    let conflict = problem(
        Model::builder("ListIssues")
            .next_url("link('next')")
            .input_token("cursor")
            .output_token("next")
            .result_key("items"),
    );
    assert_eq!(
        conflict,
        ModelProblem::Style {
            field: "next_url",
            value: "link('next')".to_owned(),
            reason: "cannot be used with `input_token`: a declaration pages one way".to_owned(),
        }
    );
    assert_eq!(
        conflict.to_string(),
        "`next_url` = `link('next')` cannot be used with `input_token`: a declaration pages one way"
    );
    let requires = problem(
        Model::builder("ListVaults")
            .input_token("cursor")
            .output_token("next")
            .resend("api-version")
            .result_key("value"),
    );
    assert_eq!(
        requires.to_string(),
        "`resend` needs `next_url` or `continue_route`"
    );
    let route = problem(
        Model::builder("ListFolder")
            .input_token("cursor")
            .output_token("cursor")
            .continue_route("post /continue")
            .result_key("entries"),
    );
    assert_eq!(
        route.to_string(),
        "`continue_route` = `post /continue` method `post` is not one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`; did you mean `POST`?"
    );
}

/// P12: a botocore entry with a style key is refused as an unknown field, as before.
#[test]
fn p12_botocore_entries_take_no_style_key() {
    let entry = json!({"next_url": "link('next')", "result_key": "items"});
    let refused = Model::from_botocore("ListIssues", &entry);
    assert!(
        matches!(
            &refused,
            Err(Error::InvalidModel { problem: ModelProblem::UnknownField { field }, .. })
                if field == "next_url"
        ),
        "{refused:?}"
    );
}
