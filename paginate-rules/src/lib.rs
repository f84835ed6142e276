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
pub use styles::{SOURCE_FUNCTIONS, Source, Stop, Target, WHOLE_PAGE, call};
pub use suggest::{did_you_mean, did_you_mean_within, fold};

use expression::dotted_path_problem;

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

/// Every problem of `declaration` (S1), in the order of its keys: `operation`, `input_token`,
/// `output_token`, `result_key`, `limit_key`, `more_results`, `non_aggregate_keys`, `route`.
/// Empty when the model builds.
///
/// - a non-empty operation; at least one input token, none empty and none twice;
/// - as many output tokens as input tokens, each an accepted expression;
/// - at least one result key, none twice; result and non-aggregate keys that are dotted paths;
/// - a `limit_key`, when given, that is not empty; a `more_results` that is accepted;
/// - a route that follows the grammar of [`parse_route`].
///
/// An expression is accepted when it nests at most [`MAX_DEPTH`] levels, parses, calls only
/// built-in functions with arities they take, and has no index or slice step the engine
/// refuses ([`index_in_range`], [`slice_problem`]).
pub fn check(declaration: &Declaration<'_>) -> Vec<Problem> {
    let d = declaration;
    let mut out = Vec::new();
    if d.operation.is_empty() {
        out.push(Problem::new(Key::Operation, None, "", Reason::Empty));
    }
    names(&mut out, Key::InputToken, d.input_tokens);
    if d.output_tokens.is_empty() {
        out.push(Problem::new(Key::OutputToken, None, "", Reason::Missing));
    } else if !d.input_tokens.is_empty() && d.input_tokens.len() != d.output_tokens.len() {
        let reason = Reason::CountMismatch {
            input: d.input_tokens.len(),
            output: d.output_tokens.len(),
        };
        out.push(Problem::new(Key::OutputToken, None, "", reason));
    }
    for (i, source) in d.output_tokens.iter().enumerate() {
        expression(&mut out, Key::OutputToken, Some(i), source);
    }
    if d.result_keys.is_empty() {
        out.push(Problem::new(Key::ResultKey, None, "", Reason::Missing));
    }
    duplicates(&mut out, Key::ResultKey, d.result_keys);
    paths(&mut out, Key::ResultKey, d.result_keys);
    if d.limit_key == Some("") {
        out.push(Problem::new(Key::LimitKey, None, "", Reason::Empty));
    }
    if let Some(source) = d.more_results {
        expression(&mut out, Key::MoreResults, None, source);
    }
    paths(&mut out, Key::NonAggregateKeys, d.non_aggregate_keys);
    if let Some(text) = d.route {
        for problem in route_problems(text) {
            out.push(Problem::new(Key::Route, None, text, Reason::Route(problem)));
        }
    }
    out
}

/// Names of request parameters: at least one, none empty, none twice.
fn names(out: &mut Vec<Problem>, key: Key, list: &[String]) {
    if list.is_empty() {
        out.push(Problem::new(key, None, "", Reason::Missing));
    }
    for (i, name) in list.iter().enumerate() {
        if name.is_empty() {
            out.push(Problem::new(key, Some(i), name, Reason::Empty));
        }
    }
    duplicates(out, key, list);
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

fn expression(out: &mut Vec<Problem>, key: Key, index: Option<usize>, source: &str) {
    for reason in expression_problems(source) {
        out.push(Problem::new(key, index, source, reason));
    }
}

fn paths(out: &mut Vec<Problem>, key: Key, list: &[String]) {
    for (i, source) in list.iter().enumerate() {
        if let Some(reason) = dotted_path_problem(source) {
            out.push(Problem::new(key, Some(i), source, reason));
        }
    }
}

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
