//! The nesting bound on JMESPath expressions (SEMANTICS E5): the first check every expression
//! goes through, before anything recursive sees it.
//!
//! The `jmespath` crate's parser, the lowering of its syntax tree, the evaluator and the
//! tree's drop are all recursive, so an expression nested a few thousand levels deep
//! (`a.a.a…`, `((…))`, `a || a || …`) overflows a 2 MiB thread stack and aborts the process.
//! [`check_nesting`] runs before the parser: one pass over the text, with an explicit stack of
//! open brackets instead of recursion, that computes an upper bound of the syntax tree's depth
//! and refuses the expression when that bound exceeds [`MAX_DEPTH`].
//!
//! The bound counts *levels*. Within one element (the text between two commas or colons of the
//! same bracket, or the whole expression), every operator token (`.`, `|`, `||`, `&&`, `!`,
//! `&`, a comparator, `*`, `[]`, and each opening bracket) adds one level, and so does the
//! deepest bracketed group of that element, which itself counts one level more than its
//! deepest element. Every node of the parser's tree comes from a token, and a token makes at
//! most two nested nodes, so the tree is at most about twice as deep as the bound. Quoted
//! identifiers, raw strings and JSON literals are skipped whole: a literal's own nesting is
//! bounded by `serde_json`'s recursion limit (128), which the parser hits first.

use std::fmt;

/// The deepest nesting accepted, in levels as the nesting check counts them.
///
/// Real expressions are shallow: botocore's paginators nest at most a few levels, and the
/// compliance suite's cases with an expected answer far fewer than this. Measured on this
/// workspace in an unoptimized build (the worst case: every local gets its own stack slot),
/// the deepest accepted expression of every shape parses, lowers, evaluates and drops within
/// a 256 KiB thread stack, an eighth of the 2 MiB a tokio worker thread gets
/// (`tests/expr_nesting.rs` runs exactly that); 128 levels of `a.a.a…` already needed more
/// than 256 KiB there, and about 2,900 levels overflow 2 MiB without this bound.
pub const MAX_DEPTH: usize = 64;

/// An expression nests deeper than [`MAX_DEPTH`] (E5).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TooDeep {
    /// Offset (in bytes of the UTF-8 text, as the `jmespath` crate counts its error positions)
    /// of the token at which the bound was exceeded.
    pub offset: usize,
    /// The limit that was exceeded, [`MAX_DEPTH`].
    pub limit: usize,
}

impl TooDeep {
    /// What is wrong, without the position: "expression nests deeper than 64 levels".
    pub fn reason(&self) -> String {
        format!("expression nests deeper than {} levels", self.limit)
    }
}

impl fmt::Display for TooDeep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.reason(), self.offset)
    }
}

impl std::error::Error for TooDeep {}

/// One open bracket (or the whole expression, at the bottom of the stack).
#[derive(Default)]
struct Level {
    /// Operator tokens in the current element.
    ops: usize,
    /// Depth of the deepest closed group in the current element.
    child: usize,
    /// Deepest element of this bracket seen so far.
    best: usize,
}

impl Level {
    fn current(&self) -> usize {
        self.best.max(self.ops + self.child)
    }
}

/// Refuses `source` when its nesting bound exceeds [`MAX_DEPTH`]; see the module doc.
///
/// Runs in time linear in the text and without recursion, so it is safe on any input. Text
/// the parser would reject (an unclosed quote, a stray bracket) is scanned leniently and left
/// for the parser to report.
pub(crate) fn check_nesting(source: &str) -> Result<(), TooDeep> {
    check_nesting_with(source, MAX_DEPTH)
}

/// [`check_nesting`] with another limit (for measuring the bound).
pub(crate) fn check_nesting_with(source: &str, limit: usize) -> Result<(), TooDeep> {
    let mut stack = vec![Level::default()];
    // Sum over the open brackets below the top of (ops + child + 1): what the top's depth adds to.
    let mut below = 0usize;
    let mut chars = source.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let top = stack.len() - 1;
        match c {
            ' ' | '\t' | '\n' | '\r' => continue,
            '"' | '\'' | '`' => {
                // Skip to the matching unescaped quote; an unclosed one swallows the rest.
                while let Some((_, d)) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == c {
                        break;
                    }
                }
                continue;
            }
            '(' | '[' | '{' => {
                if c == '[' && chars.peek().is_some_and(|&(_, d)| d == ']') {
                    // `[]`, a flatten: an operator, not a group.
                    chars.next();
                    stack[top].ops += 1;
                } else {
                    stack[top].ops += 1;
                    below += stack[top].ops + stack[top].child + 1;
                    stack.push(Level::default());
                }
            }
            ')' | ']' | '}' => {
                if stack.len() > 1 {
                    let closed = stack.pop().map_or(0, |l| l.current() + 1);
                    let parent = stack.len() - 1;
                    below -= stack[parent].ops + stack[parent].child + 1;
                    stack[parent].child = stack[parent].child.max(closed);
                }
            }
            ',' | ':' => {
                let level = &mut stack[top];
                level.best = level.current();
                level.ops = 0;
                level.child = 0;
            }
            '|' | '&' | '=' | '<' | '>' | '!' => {
                // Two-character operators (`||`, `&&`, `==`, `!=`, `<=`, `>=`) count once.
                let second =
                    matches!(
                        (c, chars.peek()),
                        ('|', Some((_, '|'))) | ('&', Some((_, '&')))
                    ) || (c != '|' && c != '&' && chars.peek().is_some_and(|&(_, d)| d == '='));
                if second {
                    chars.next();
                }
                stack[top].ops += 1;
            }
            '.' | '*' | '?' => stack[top].ops += 1,
            _ => continue, // identifiers, numbers, `@`, `-`: values, no level of their own
        }
        let top = stack.len() - 1;
        if below + stack[top].current() > limit {
            return Err(TooDeep { offset: at, limit });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(source: &str) -> usize {
        (0..=1000)
            .find(|&limit| check_nesting_with(source, limit).is_ok())
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn counts_operators_and_groups() {
        assert_eq!(depth("a"), 0);
        assert_eq!(depth("a.b"), 1);
        assert_eq!(depth("a.b.c"), 2);
        assert_eq!(depth("a || b || c"), 2);
        assert_eq!(depth("NextMarker || Contents[-1].Key"), 4);
        // A group costs its opening in the parent, plus one for the node it makes.
        assert_eq!(depth("(a)"), 2);
        assert_eq!(depth("((a))"), 4);
        assert_eq!(depth("a[]"), 1);
        // Siblings do not add up: elements between commas are measured apart.
        assert_eq!(depth("[a.b.c, d, e]"), 4);
        assert_eq!(depth("{x: a.b, y: c}"), 3);
        assert_eq!(depth("f(a, b, c)"), 2);
        // A group in an element adds to the operators around it, before or after it.
        assert_eq!(depth("(a.b).c.d"), 3 + 2);
    }

    #[test]
    fn quoted_text_is_skipped() {
        assert_eq!(depth("'((((((('"), 0);
        assert_eq!(depth("\"a.b.c\\\".d\""), 0);
        assert_eq!(depth("`[[[[1]]]]`"), 0);
        assert_eq!(depth("`\\``.a"), 1);
    }

    #[test]
    fn refuses_deep_text_at_the_token_that_crosses_the_limit() {
        let deep = "a.".repeat(100_000) + "a";
        let err = check_nesting(&deep).unwrap_err();
        assert_eq!(err.limit, MAX_DEPTH);
        // The 65th dot is at character 2 * 64 + 1.
        assert_eq!(err.offset, 129);
        assert_eq!(
            err.to_string(),
            "expression nests deeper than 64 levels (at character 129)"
        );
        assert!(check_nesting(&("a.".repeat(64) + "a")).is_ok());
        let parens = "(".repeat(100_000) + "a" + &")".repeat(100_000);
        assert!(check_nesting(&parens).is_err());
        // Unbalanced text does not trip the scan; the parser reports it.
        assert!(check_nesting(")))]]]}}}").is_ok());
        assert!(check_nesting("((((").is_ok());
    }
}
