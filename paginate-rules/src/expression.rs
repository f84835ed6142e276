//! Acceptance of JMESPath expressions (SEMANTICS S1, S3, E5): the nesting bound, then the
//! `jmespath` crate's parser, then a walk of the tree for what the engine's compiler refuses
//! (function names and arities from [`crate::functions`], indices and slice steps out of
//! range). Dotted paths (result and non-aggregate keys) are parsed the same way and must be
//! identifiers joined by dots.
//!
//! `paginated` parses with [`parse_expression`] and lowers with [`index_in_range`] and
//! [`slice_problem`], so an expression accepted here is one its compiler takes.

use jmespath::ast::Ast;

use crate::functions::function;
use crate::nesting::check_nesting;
use crate::problem::{Bound, MAX_INDEX, MAX_SLICE_STEP, Reason};
use crate::suggest::did_you_mean;

/// Parses `source` after the nesting bound (E5), so that the recursive parser cannot run out
/// of stack; `Err` is [`Reason::TooDeep`] or [`Reason::Syntax`].
pub fn parse_expression(source: &str) -> Result<Ast, Reason> {
    check_nesting(source).map_err(Reason::TooDeep)?;
    jmespath::parse(source).map_err(|e| Reason::Syntax {
        message: syntax_message(&e),
        offset: e.offset,
    })
}

/// The parser's reason without its jargon: "Parse error: Unexpected nud token -- found Eof"
/// becomes "unexpected end of expression".
pub(crate) fn syntax_message(e: &jmespath::JmespathError) -> String {
    let text = e.reason.to_string();
    let text = text.strip_prefix("Parse error: ").unwrap_or(&text);
    if text.ends_with("found Eof") {
        return "unexpected end of expression".to_owned();
    }
    let text = text
        .replace("nud token", "token")
        .replace(" -- found ", ", found ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// True when the engine evaluates the array index `idx`: within ±[`MAX_INDEX`], so it can be
/// negated (E5).
pub fn index_in_range(idx: i32) -> bool {
    (-MAX_INDEX..=MAX_INDEX).contains(&idx)
}

/// What of a slice the engine does not evaluate, if anything: a bound of `i32::MIN`, or a step
/// larger than [`MAX_SLICE_STEP`] in magnitude, which could overflow a position (E5).
pub fn slice_problem(start: Option<i32>, stop: Option<i32>, step: i32) -> Option<(Bound, i32)> {
    if let Some(start) = start.filter(|s| !index_in_range(*s)) {
        return Some((Bound::SliceStart, start));
    }
    if let Some(stop) = stop.filter(|s| !index_in_range(*s)) {
        return Some((Bound::SliceStop, stop));
    }
    (step.unsigned_abs() > MAX_SLICE_STEP.unsigned_abs()).then_some((Bound::SliceStep, step))
}

/// Every reason to refuse the expression `source`, in the order of the text: nesting or
/// syntax (then nothing else), or each unknown function, wrong arity and index out of range.
pub fn expression_problems(source: &str) -> Vec<Reason> {
    match parse_expression(source) {
        Ok(ast) => tree_problems(&ast),
        Err(reason) => vec![reason],
    }
}

/// The reason to refuse `source` as a result or non-aggregate key, if any: nesting, syntax,
/// or not a dotted path of identifiers. Nothing is called on a path, so functions and indices
/// are simply not dotted paths.
pub(crate) fn dotted_path_problem(source: &str) -> Option<Reason> {
    match parse_expression(source) {
        Ok(ast) => dotted_path(&ast)
            .is_none()
            .then_some(Reason::NotADottedPath),
        Err(reason) => Some(reason),
    }
}

/// The identifiers of a dotted path, or `None` when the tree is something else.
pub fn dotted_path(ast: &Ast) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut stack = vec![ast];
    // Left to right: the right side is pushed first.
    while let Some(node) = stack.pop() {
        match node {
            Ast::Field { name, .. } => parts.push(name.as_str()),
            Ast::Subexpr { lhs, rhs, .. } => {
                stack.push(rhs);
                stack.push(lhs);
            }
            _ => return None,
        }
    }
    Some(parts)
}

/// The function calls and indices of a parsed tree that the engine refuses, in text order.
/// Walks with an explicit stack, so any tree the parser built is safe to walk.
fn tree_problems(ast: &Ast) -> Vec<Reason> {
    let mut found: Vec<(usize, Reason)> = Vec::new();
    let mut stack = vec![ast];
    while let Some(node) = stack.pop() {
        match node {
            Ast::Function { name, args, offset } => {
                // The parser's offset is the `(`; the call starts at the name before it.
                let start = offset.saturating_sub(name.len());
                if let Some(reason) = call_problem(name, args.len(), start) {
                    found.push((start, reason));
                }
                stack.extend(args.iter());
            }
            Ast::Index { idx, offset } if !index_in_range(*idx) => found.push((
                *offset,
                Reason::OutOfRange {
                    bound: Bound::Index,
                    value: *idx,
                    offset: *offset,
                },
            )),
            Ast::Slice {
                start,
                stop,
                step,
                offset,
            } => {
                if let Some((bound, value)) = slice_problem(*start, *stop, *step) {
                    found.push((
                        *offset,
                        Reason::OutOfRange {
                            bound,
                            value,
                            offset: *offset,
                        },
                    ));
                }
            }
            Ast::Subexpr { lhs, rhs, .. }
            | Ast::Or { lhs, rhs, .. }
            | Ast::And { lhs, rhs, .. }
            | Ast::Comparison { lhs, rhs, .. }
            | Ast::Projection { lhs, rhs, .. }
            | Ast::Condition {
                predicate: lhs,
                then: rhs,
                ..
            } => {
                stack.push(rhs);
                stack.push(lhs);
            }
            Ast::Not { node, .. }
            | Ast::Flatten { node, .. }
            | Ast::ObjectValues { node, .. }
            | Ast::Expref { ast: node, .. } => stack.push(node),
            Ast::MultiList { elements, .. } => stack.extend(elements.iter()),
            Ast::MultiHash { elements, .. } => stack.extend(elements.iter().map(|kv| &kv.value)),
            Ast::Identity { .. } | Ast::Field { .. } | Ast::Index { .. } | Ast::Literal { .. } => {}
        }
    }
    found.sort_by_key(|(offset, _)| *offset);
    found.into_iter().map(|(_, reason)| reason).collect()
}

/// Why a call of `name` with `args` arguments is refused, if it is.
fn call_problem(name: &str, args: usize, offset: usize) -> Option<Reason> {
    let Some(signature) = function(name) else {
        return Some(Reason::UnknownFunction {
            name: name.to_owned(),
            did_you_mean: did_you_mean(name, crate::functions::function_names()),
            offset,
        });
    };
    (!signature.arity.accepts(args)).then_some(Reason::WrongArity {
        name: signature.name,
        arity: signature.arity,
        got: args,
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_the_engine_compiles() {
        for ok in [
            "NextMarker || Contents[-1].Key",
            "length(Contents) > `0` && not_null(A, B)",
            "a[::-1073741824]",
            "a[-2147483647]",
            "merge(a, b, c)",
            "sort_by(items, &name)[0:5:2]",
        ] {
            assert_eq!(expression_problems(ok), [], "{ok}");
        }
    }

    #[test]
    fn refuses_functions_arities_and_ranges_in_text_order() {
        let problems = expression_problems("nope(a) || length(a, b) || lenght(c)");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            matches!(&problems[0], Reason::UnknownFunction { name, did_you_mean: None, .. } if name == "nope")
        );
        assert!(matches!(
            &problems[1],
            Reason::WrongArity {
                name: "length",
                got: 2,
                ..
            }
        ));
        assert!(matches!(
            &problems[2],
            Reason::UnknownFunction {
                did_you_mean: Some("length"),
                ..
            }
        ));
        assert!(matches!(
            expression_problems("a[::1073741825]")[..],
            [Reason::OutOfRange {
                bound: Bound::SliceStep,
                value: 1_073_741_825,
                ..
            }]
        ));
        assert!(matches!(
            expression_problems("merge()")[..],
            [Reason::WrongArity { got: 0, .. }]
        ));
        assert!(matches!(
            expression_problems("a[")[..],
            [Reason::Syntax { .. }]
        ));
    }

    #[test]
    fn dotted_paths_are_identifiers_joined_by_dots() {
        let ast = parse_expression("EngineDefaults.Parameters.\"a.b\"").unwrap();
        assert_eq!(
            dotted_path(&ast),
            Some(vec!["EngineDefaults", "Parameters", "a.b"])
        );
        assert_eq!(dotted_path_problem("Contents"), None);
        assert_eq!(
            dotted_path_problem("length(Contents)"),
            Some(Reason::NotADottedPath)
        );
        assert_eq!(dotted_path_problem("R[0]"), Some(Reason::NotADottedPath));
        assert!(matches!(
            dotted_path_problem("Contents."),
            Some(Reason::Syntax { .. })
        ));
    }
}
