//! The checks of a pagination declaration (SEMANTICS S1, E5), written once and run by both
//! doors: `paginated-derive` at compile time, `paginated`'s `ModelBuilder`,
//! `Model::from_botocore` and `Registry` at run time. A declaration [`check`] accepts builds
//! its model; a declaration it refuses is refused by both, for the same reasons.
//!
//! Modelled on `serde_derive_internals`: the input is a plain [`Declaration`] of strings, the
//! output every [`Problem`] found, each naming the key, the entry of a list, the value and a
//! typed [`Reason`]. The derive turns each into an error on the user's token; the core maps
//! them into its `Error::InvalidModel`.
//!
//! - `nesting.rs`: the nesting bound, checked before any parse (E5).
//! - `expression.rs`: JMESPath acceptance (syntax, functions, index ranges) and dotted paths.
//! - `functions.rs`: the built-in functions' names and arities, the engine's table too.
//! - `route.rs`: the grammar of HTTP routes.
//! - `styles.rs`: the pieces of the pagination-style keys (sources, input-token targets, stop
//!   rules, `@`) and their checks (P1–P11).
//! - `suggest.rs`: the one "did you mean".
//! - `problem.rs`: [`Problem`], [`Key`], [`Reason`] and their messages.
//!
//! This crate exists because the derive cannot depend on `paginated` (the core depends on the
//! derive) and the checks must be the same in both: one source, no copy to drift.

mod expression;
mod functions;
mod nesting;
mod problem;
mod route;
mod styles;
mod suggest;

pub use expression::{
    dotted_path, expression_problems, index_in_range, parse_expression, slice_problem,
};
pub use functions::{Arity, FUNCTIONS, Signature, function, function_names};
pub use nesting::{MAX_DEPTH, TooDeep};
pub use problem::{Bound, Key, MAX_INDEX, MAX_SLICE_STEP, Problem, Reason};
pub use route::{
    BraceProblem, Method, ParsedRoute, Piece, RouteProblem, parse_route, placeholders,
    route_problems,
};
pub use styles::{
    HEADER_NAME_PUNCTUATION, SOURCE_FUNCTIONS, Source, Stop, Target, WHOLE_PAGE, bad_header_char,
    call,
};
pub use suggest::{did_you_mean, did_you_mean_within, edit_distance, fold};

use expression::dotted_path_problem;
use styles::{first_reason, source_reasons, target_reasons};

/// A pagination declaration as written, before any check: the fields of a botocore
/// `paginators-1.json` entry, plus the operation's name and HTTP route.
///
/// ```
/// let outputs = ["nope(NextMarker)".to_owned()];
/// let inputs = ["Marker".to_owned()];
/// let results = ["Contents".to_owned()];
/// let mut declaration = paginated_rules::Declaration::new("ListObjects");
/// declaration.input_tokens = &inputs;
/// declaration.output_tokens = &outputs;
/// declaration.result_keys = &results;
/// let problems = paginated_rules::check(&declaration);
/// assert_eq!(problems.len(), 1);
/// assert_eq!(problems[0].key, paginated_rules::Key::OutputToken);
/// assert_eq!(problems[0].index, Some(0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Declaration<'a> {
    /// The operation's name, passed to the transport.
    pub operation: &'a str,
    /// Request parameters that carry the continuation.
    pub input_tokens: &'a [String],
    /// Expressions giving each input token's next value, paired by position.
    pub output_tokens: &'a [String],
    /// Dotted paths where pages hold their results; the first is the primary key.
    pub result_keys: &'a [String],
    /// The request parameter that receives the page size.
    pub limit_key: Option<&'a str>,
    /// The expression that says whether there are more pages.
    pub more_results: Option<&'a str>,
    /// Dotted paths read from the first page into the full result.
    pub non_aggregate_keys: &'a [String],
    /// The HTTP route, `METHOD /path/{Placeholder}`.
    pub route: Option<&'a str>,
    /// P2: a source giving the URL of the next request.
    pub next_url: Option<&'a str>,
    /// P3: params re-sent on a `next_url` or `continue_route` request.
    pub resend: &'a [String],
    /// P4: the param carrying an item offset.
    pub offset: Option<&'a str>,
    /// P5: the param carrying a page number.
    pub page_number: Option<&'a str>,
    /// P6: the first request's value of `offset` or `page_number`, as JSON text.
    pub first: Option<&'a str>,
    /// P7: stop rules, by name (`empty_page`, `short_page`).
    pub stop: &'a [String],
    /// P8: a source giving the listing's total number of items.
    pub total: Option<&'a str>,
    /// P9: the route of every request after the first.
    pub continue_route: Option<&'a str>,
}

impl<'a> Declaration<'a> {
    /// A declaration of `operation` with every other key absent.
    pub fn new(operation: &'a str) -> Declaration<'a> {
        Declaration {
            operation,
            input_tokens: &[],
            output_tokens: &[],
            result_keys: &[],
            limit_key: None,
            more_results: None,
            non_aggregate_keys: &[],
            route: None,
            next_url: None,
            resend: &[],
            offset: None,
            page_number: None,
            first: None,
            stop: &[],
            total: None,
            continue_route: None,
        }
    }
}

/// Every problem of `declaration` (S1, P1–P11), in the order of its keys: `operation`,
/// `input_token`, `output_token`, `result_key`, `limit_key`, `more_results`,
/// `non_aggregate_keys`, `route`, `next_url`, `resend`, `offset`, `page_number`, `first`,
/// `stop`, `total`, `continue_route`. Empty when the model builds.
///
/// - a non-empty operation;
/// - one way of paging: `input_token` with as many `output_token`s, or `next_url`, or
///   `offset`, or `page_number` (with at most one `output_token`). Two of them, or
///   `continue_route` with any but the first, are [`Reason::Conflicts`]; `input_token` and
///   `output_token` are [`Reason::Missing`] only when none of the others is declared;
/// - input tokens that are not empty, not listed twice, and, written `header('Name')`, name a
///   valid HTTP header;
/// - sources (`output_token` entries, `next_url`, `total`) that are `header('Name')` with a
///   valid header name, `link('rel')` with a relation, or an accepted expression;
/// - at least one result key, none twice; result and non-aggregate keys that are dotted
///   paths, or the one result key `@` without non-aggregate keys;
/// - a `limit_key`, when given, that is not empty; a `more_results` that is accepted;
/// - routes (`route`, `continue_route`) that follow the grammar of [`parse_route`];
/// - `resend` names, none empty or twice, with `next_url` or `continue_route`; `offset` and
///   `page_number` names that are not empty and not `limit_key`'s; `first`, a JSON number or
///   string, with `offset` or `page_number`; `stop` rules that exist, none twice,
///   `short_page` with `limit_key`; `total` with `offset`, or with `page_number` and
///   `limit_key`.
///
/// An expression is accepted when it nests at most [`MAX_DEPTH`] levels, parses, calls only
/// built-in functions with arities they take, and has no index or slice step the engine
/// refuses ([`index_in_range`], [`slice_problem`]).
pub fn check(declaration: &Declaration<'_>) -> Vec<Problem> {
    let d = declaration;
    let mut out = Vec::new();
    // Tokens are the way of paging unless another is declared (P2, P4, P5).
    let styled = d.next_url.is_some() || d.offset.is_some() || d.page_number.is_some();
    // The token key another way of paging conflicts with: `input_token`, else `output_token`.
    let tokens = if !d.input_tokens.is_empty() {
        Some(Key::InputToken)
    } else if !d.output_tokens.is_empty() {
        Some(Key::OutputToken)
    } else {
        None
    };
    if d.operation.is_empty() {
        out.push(Problem::new(Key::Operation, None, "", Reason::Empty));
    }

    if d.input_tokens.is_empty() && !styled {
        out.push(Problem::new(Key::InputToken, None, "", Reason::Missing));
    }
    for (i, entry) in d.input_tokens.iter().enumerate() {
        if entry.is_empty() {
            out.push(Problem::new(Key::InputToken, Some(i), entry, Reason::Empty));
        }
        for reason in target_reasons(entry) {
            out.push(Problem::new(Key::InputToken, Some(i), entry, reason));
        }
    }
    duplicates(&mut out, Key::InputToken, d.input_tokens);

    let outputs = d.output_tokens.len();
    if !styled && outputs == 0 {
        out.push(Problem::new(Key::OutputToken, None, "", Reason::Missing));
    } else if !styled && !d.input_tokens.is_empty() && d.input_tokens.len() != outputs {
        let reason = Reason::CountMismatch {
            input: d.input_tokens.len(),
            output: outputs,
        };
        out.push(Problem::new(Key::OutputToken, None, "", reason));
    } else if d.page_number.is_some() && outputs > 1 {
        let reason = Reason::TooMany {
            count: outputs,
            max: 1,
            with: Key::PageNumber,
        };
        out.push(Problem::new(Key::OutputToken, None, "", reason));
    }
    for (i, text) in d.output_tokens.iter().enumerate() {
        source(&mut out, Key::OutputToken, Some(i), text);
    }

    if d.result_keys.is_empty() {
        out.push(Problem::new(Key::ResultKey, None, "", Reason::Missing));
    }
    duplicates(&mut out, Key::ResultKey, d.result_keys);
    for (i, text) in d.result_keys.iter().enumerate() {
        if text != WHOLE_PAGE {
            path(&mut out, Key::ResultKey, i, text);
            continue;
        }
        // P1: `@` only alone; a repeated `@` is a duplicate, reported above.
        if d.result_keys[..i].iter().any(|k| k == WHOLE_PAGE) {
            continue;
        }
        if d.result_keys.len() > 1 {
            let reason = Reason::WholePageNotAlone {
                with: Key::ResultKey,
            };
            out.push(Problem::new(Key::ResultKey, Some(i), text, reason));
        }
        if !d.non_aggregate_keys.is_empty() {
            let reason = Reason::WholePageNotAlone {
                with: Key::NonAggregateKeys,
            };
            out.push(Problem::new(Key::ResultKey, Some(i), text, reason));
        }
    }
    if d.limit_key == Some("") {
        out.push(Problem::new(Key::LimitKey, None, "", Reason::Empty));
    }
    // P11: a page size may go in a request header, named as an input token's is.
    if let Some(text) = d.limit_key.filter(|t| !t.is_empty()) {
        for reason in styles::target_reasons(text) {
            out.push(Problem::new(Key::LimitKey, None, text, reason));
        }
    }
    if let Some(text) = d.more_results {
        for reason in expression_problems(text) {
            out.push(Problem::new(Key::MoreResults, None, text, reason));
        }
    }
    for (i, text) in d.non_aggregate_keys.iter().enumerate() {
        path(&mut out, Key::NonAggregateKeys, i, text);
    }
    if let Some(text) = d.route {
        route(&mut out, Key::Route, text);
    }

    // P2.
    if let Some(text) = d.next_url {
        if let Some(with) = tokens {
            out.push(Problem::new(
                Key::NextUrl,
                None,
                text,
                Reason::Conflicts { with },
            ));
        }
        source(&mut out, Key::NextUrl, None, text);
    }

    // P3.
    for (i, name) in d.resend.iter().enumerate() {
        if name.is_empty() {
            out.push(Problem::new(Key::Resend, Some(i), name, Reason::Empty));
        }
    }
    duplicates(&mut out, Key::Resend, d.resend);
    if !d.resend.is_empty() && d.next_url.is_none() && d.continue_route.is_none() {
        let reason = Reason::Requires {
            keys: &[Key::NextUrl, Key::ContinueRoute],
        };
        out.push(Problem::new(Key::Resend, None, "", reason));
    }

    // P4, P5.
    if let Some(name) = d.offset {
        let others = [tokens, d.next_url.map(|_| Key::NextUrl)];
        position(&mut out, d, Key::Offset, name, &others);
    }
    if let Some(name) = d.page_number {
        let others = [
            (!d.input_tokens.is_empty()).then_some(Key::InputToken),
            d.next_url.map(|_| Key::NextUrl),
            d.offset.map(|_| Key::Offset),
        ];
        position(&mut out, d, Key::PageNumber, name, &others);
    }

    // P6.
    if let Some(text) = d.first {
        if d.offset.is_none() && d.page_number.is_none() {
            let reason = Reason::Requires {
                keys: &[Key::Offset, Key::PageNumber],
            };
            out.push(Problem::new(Key::First, None, text, reason));
        }
        if let Some(reason) = first_reason(text) {
            out.push(Problem::new(Key::First, None, text, reason));
        }
    }

    // P7.
    for (i, name) in d.stop.iter().enumerate() {
        match Stop::parse(name) {
            None => {
                let did_you_mean = did_you_mean(name, Stop::NAMES);
                let reason = Reason::UnknownStop { did_you_mean };
                out.push(Problem::new(Key::Stop, Some(i), name, reason));
            }
            Some(Stop::ShortPage) if d.limit_key.is_none() => {
                let reason = Reason::Requires {
                    keys: &[Key::LimitKey],
                };
                out.push(Problem::new(Key::Stop, Some(i), name, reason));
            }
            Some(_) => {}
        }
    }
    duplicates(&mut out, Key::Stop, d.stop);

    // P8.
    if let Some(text) = d.total {
        let keys: &'static [Key] = match (d.offset, d.page_number, d.limit_key) {
            (None, None, _) => &[Key::Offset, Key::PageNumber],
            // A page number says how many items came before only with the page size.
            (None, Some(_), None) => &[Key::LimitKey],
            _ => &[],
        };
        if !keys.is_empty() {
            out.push(Problem::new(
                Key::Total,
                None,
                text,
                Reason::Requires { keys },
            ));
        }
        source(&mut out, Key::Total, None, text);
    }

    // P9.
    if let Some(text) = d.continue_route {
        let others = [
            d.next_url.map(|_| Key::NextUrl),
            d.offset.map(|_| Key::Offset),
            d.page_number.map(|_| Key::PageNumber),
        ];
        for with in others.into_iter().flatten() {
            out.push(Problem::new(
                Key::ContinueRoute,
                None,
                text,
                Reason::Conflicts { with },
            ));
        }
        route(&mut out, Key::ContinueRoute, text);
        // A continuation carries only the input tokens and the re-sent params, so every
        // placeholder of its path must be one of them.
        for name in placeholders(text) {
            let sent = d.resend.iter().any(|r| r == name)
                || d.input_tokens
                    .iter()
                    .any(|t| matches!(Target::parse(t), Target::Param(p) if p == name));
            if !sent {
                let reason = Reason::PlaceholderNotSent {
                    name: name.to_owned(),
                };
                out.push(Problem::new(Key::ContinueRoute, None, text, reason));
            }
        }
    }
    out
}

/// `offset` or `page_number` (P4, P5): not with the `others` declared, not empty, not the
/// `limit_key`'s parameter.
fn position(
    out: &mut Vec<Problem>,
    d: &Declaration<'_>,
    key: Key,
    name: &str,
    others: &[Option<Key>],
) {
    for with in others.iter().flatten() {
        out.push(Problem::new(
            key,
            None,
            name,
            Reason::Conflicts { with: *with },
        ));
    }
    if name.is_empty() {
        out.push(Problem::new(key, None, name, Reason::Empty));
    } else if d.limit_key == Some(name) {
        let reason = Reason::SameParam {
            with: Key::LimitKey,
        };
        out.push(Problem::new(key, None, name, reason));
    }
}

fn duplicates(out: &mut Vec<Problem>, key: Key, list: &[String]) {
    for (i, name) in list.iter().enumerate() {
        if let Some(first) = list[..i].iter().position(|earlier| earlier == name)
            && !name.is_empty()
        {
            out.push(Problem::new(
                key,
                Some(i),
                name,
                Reason::Duplicate { first },
            ));
        }
    }
}

/// A source (P10): `header('Name')`, `link('rel')` or an expression.
fn source(out: &mut Vec<Problem>, key: Key, index: Option<usize>, text: &str) {
    for reason in source_reasons(text) {
        out.push(Problem::new(key, index, text, reason));
    }
}

fn path(out: &mut Vec<Problem>, key: Key, index: usize, text: &str) {
    if let Some(reason) = dotted_path_problem(text) {
        out.push(Problem::new(key, Some(index), text, reason));
    }
}

fn route(out: &mut Vec<Problem>, key: Key, text: &str) {
    for problem in route_problems(text) {
        out.push(Problem::new(key, None, text, Reason::Route(problem)));
    }
}

#[cfg(test)]
mod style_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn reports_every_problem_with_key_index_and_value() {
        let inputs = strings(&["Marker", "", "Marker"]);
        let outputs = strings(&["nope(NextMarker)", "NextMarker"]);
        let results = strings(&["Contents", "length(Contents)"]);
        let mut d = Declaration::new("");
        d.input_tokens = &inputs;
        d.output_tokens = &outputs;
        d.result_keys = &results;
        d.limit_key = Some("");
        d.more_results = Some("length(IsTruncated, Contents)");
        d.route = Some("FETCH /a/{}");
        let problems = check(&d);
        let seen: Vec<(Key, Option<usize>, &str)> = problems
            .iter()
            .map(|p| (p.key, p.index, p.value.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (Key::Operation, None, ""),
                (Key::InputToken, Some(1), ""),
                (Key::InputToken, Some(2), "Marker"),
                (Key::OutputToken, None, ""),
                (Key::OutputToken, Some(0), "nope(NextMarker)"),
                (Key::ResultKey, Some(1), "length(Contents)"),
                (Key::LimitKey, None, ""),
                (Key::MoreResults, None, "length(IsTruncated, Contents)"),
                (Key::Route, None, "FETCH /a/{}"),
                (Key::Route, None, "FETCH /a/{}"),
            ]
        );
        assert_eq!(
            problems[7].to_string(),
            "`more_results` calls `length()` with 2 arguments at character 0 of `length(IsTruncated, Contents)`; `length()` takes 1 argument"
        );
    }

    #[test]
    fn a_good_declaration_has_no_problem() {
        let inputs = strings(&["Marker"]);
        let outputs = strings(&["NextMarker || Contents[-1].Key"]);
        let results = strings(&["Contents", "CommonPrefixes"]);
        let mut d = Declaration::new("ListObjects");
        d.input_tokens = &inputs;
        d.output_tokens = &outputs;
        d.result_keys = &results;
        d.more_results = Some("IsTruncated");
        d.limit_key = Some("MaxKeys");
        d.route = Some("GET /buckets/{Bucket}");
        assert_eq!(check(&d), []);
    }
}
