//! The generators of `declarations.rs`: names, targets, sources, expressions, paths and
//! routes, and whole declarations drawn with every key, style keys included, well and badly
//! written.

use paginated_rules::{FUNCTIONS, WHOLE_PAGE};
use proptest::prelude::*;

pub(crate) fn name() -> impl Strategy<Value = String> {
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
pub(crate) fn target() -> impl Strategy<Value = String> {
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
pub(crate) fn source() -> impl Strategy<Value = String> {
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
pub(crate) fn index() -> impl Strategy<Value = String> {
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
pub(crate) fn step() -> impl Strategy<Value = String> {
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
pub(crate) fn function_name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(FUNCTIONS).prop_map(|f| f.name.to_owned()),
        1 => prop_oneof![Just("nope"), Just("lenght"), Just("last"), Just("Length")]
            .prop_map(str::to_owned),
    ]
}

pub(crate) fn leaf() -> impl Strategy<Value = String> {
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

pub(crate) fn expression() -> impl Strategy<Value = String> {
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
pub(crate) fn path() -> impl Strategy<Value = String> {
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

pub(crate) fn route() -> impl Strategy<Value = String> {
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
pub(crate) struct Attributes {
    pub(crate) operation: String,
    pub(crate) input_tokens: Vec<String>,
    pub(crate) output_tokens: Vec<String>,
    pub(crate) result_keys: Vec<String>,
    pub(crate) limit_key: Option<String>,
    pub(crate) more_results: Option<String>,
    pub(crate) non_aggregate_keys: Vec<String>,
    pub(crate) route: Option<String>,
    pub(crate) next_url: Option<String>,
    pub(crate) resend: Vec<String>,
    pub(crate) offset: Option<String>,
    pub(crate) page_number: Option<String>,
    pub(crate) first: Option<String>,
    pub(crate) stop: Vec<String>,
    pub(crate) total: Option<String>,
    pub(crate) continue_route: Option<String>,
}

impl Attributes {
    /// True when a pagination-style key (P2–P9) is declared: what a botocore entry never
    /// accepts (P12).
    pub(crate) fn has_style_keys(&self) -> bool {
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
    pub(crate) fn has_style_values(&self) -> bool {
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
pub(crate) enum Way {
    Tokens,
    NextUrl,
    Offset,
    PageNumber,
    ContinueRoute,
    Mixed,
}

/// The style keys' values, drawn independently; [`styled`] keeps those that fit the way.
#[derive(Debug, Clone)]
pub(crate) struct Drawn {
    pub(crate) way: Way,
    pub(crate) next_url: String,
    pub(crate) resend: Vec<String>,
    pub(crate) position: String,
    pub(crate) first: Option<String>,
    pub(crate) stop: Vec<String>,
    pub(crate) total: Option<String>,
    pub(crate) continue_route: String,
}

pub(crate) fn drawn() -> impl Strategy<Value = Drawn> {
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
pub(crate) fn styled(mut a: Attributes, d: Drawn) -> Attributes {
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

pub(crate) fn attributes() -> impl Strategy<Value = Attributes> {
    (plain_attributes(), drawn()).prop_map(|(a, d)| styled(a, d))
}

/// The botocore keys of a declaration.
pub(crate) fn plain_attributes() -> impl Strategy<Value = Attributes> {
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
