//! Compiled JMESPath expressions (SEMANTICS S3, §7) and dotted paths.
//!
//! An expression is parsed once, when the model is built, with the `jmespath` crate's parser
//! (which is all this crate takes from it), after the nesting bound of `paginated-rules` has
//! refused anything deep enough to exhaust a thread's stack. The syntax tree is then lowered
//! into [`Node`]s, checked on the way (function names and arities, index ranges) against
//! `paginated-rules`' table and ranges, the ones the derive and the model builder check (S1), and
//! evaluated by [`eval`] straight off the `serde_json::Value` of a page: paths, indices and
//! `||` (every output token and result key of botocore's models) borrow from the page;
//! projections, filters and functions copy only what they return.
//!
//! The semantics are Python `jmespath`'s, as botocore and the AWS CLI evaluate expressions,
//! wherever they agree with the JMESPath compliance suite (E3, E4): exact equality and
//! ordering of numbers, strings ordered by code point (E1, E2; see [`compare`]).
//!
//! - `mod.rs`: [`Expr`], compiling, [`ParseFailure`], the nesting bound.
//! - `eval.rs`: the evaluator.
//! - `functions.rs`: the built-in functions and their type checks.
//! - `compare.rs`: equality, ordering, truthiness and "absent".
//! - `path.rs`: [`Path`], the dotted paths of result and non-aggregate keys.

mod compare;
mod eval;
mod functions;
mod needs;
mod path;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use jmespath::Variable;
use jmespath::ast::{Ast, Comparator};
use serde_json::{Map, Value};

pub(crate) use compare::{equal, is_absent};
pub(crate) use needs::{KeyNeed, Needs};
pub(crate) use path::Path;

use functions::Function;

/// Why an expression could not be compiled: what is wrong and the character position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseFailure {
    pub(crate) message: String,
    pub(crate) column: usize,
}

impl From<paginated_rules::Reason> for ParseFailure {
    /// The checker's refusal of the text (nesting, E5, or syntax, with the parser's reason
    /// worded as the derive words it); the other reasons come from the tree and are lowered
    /// by this module, with the messages of the compliance suite.
    fn from(reason: paginated_rules::Reason) -> ParseFailure {
        use paginated_rules::Reason;
        match reason {
            Reason::TooDeep(e) => ParseFailure {
                message: e.reason(),
                column: e.offset,
            },
            Reason::Syntax { message, offset } => ParseFailure {
                message,
                column: offset,
            },
            // `parse_expression` refuses text only; any other reason is worded as it is.
            _ => ParseFailure {
                message: "the expression is refused by the declaration checks (S1)".to_owned(),
                column: 0,
            },
        }
    }
}

impl fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.column)
    }
}

/// Parses `source` after the nesting bound (`paginated-rules`, E5), so that neither the
/// recursive parser nor anything after it can run out of stack on an accepted expression.
pub(crate) fn parse(source: &str) -> Result<Ast, ParseFailure> {
    paginated_rules::parse_expression(source).map_err(ParseFailure::from)
}

/// A JMESPath expression compiled once and evaluated on many pages.
#[derive(Clone)]
pub(crate) struct Expr {
    source: Arc<str>,
    node: Arc<Node>,
    /// What of a page it reads, for pages read from bodies (G8).
    needs: Arc<Needs>,
}

/// A lowered expression. Its depth is bounded by the nesting check, so the recursive
/// evaluator and the recursive drop stay well within any thread's stack.
#[derive(Clone, Debug)]
enum Node {
    Identity,
    Field(String),
    Index(i32),
    Literal(Value),
    Sub(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Compare(Comparator, Box<Node>, Box<Node>),
    Condition(Box<Node>, Box<Node>),
    Projection(Box<Node>, Box<Node>),
    Flatten(Box<Node>),
    ObjectValues(Box<Node>),
    MultiList(Vec<Node>),
    MultiHash(Vec<(String, Node)>),
    Slice(Option<i32>, Option<i32>, i32),
    /// A built-in function, checked for existence and arity when compiled.
    Call(Function, Vec<Node>),
    /// `&expr`: a function argument evaluated by the function; as a value, `null`.
    Expref(Box<Node>),
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Expr").field(&self.source).finish()
    }
}

impl Expr {
    /// Parses and lowers `source`; every failure (syntax, nesting, unknown function, wrong
    /// number of arguments, index out of range) is a [`ParseFailure`] with its position.
    pub(crate) fn compile(source: &str) -> Result<Expr, ParseFailure> {
        let ast = parse(source)?;
        let node = lower(&ast)?;
        Ok(Expr {
            source: Arc::from(source),
            needs: Arc::new(Needs::of(&node)),
            node: Arc::new(node),
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.source
    }

    /// What of a page the expression reads (G8).
    pub(crate) fn needs(&self) -> &Needs {
        &self.needs
    }

    /// Evaluates the expression. `None` stands for JMESPath `null`; `Err` is a runtime error
    /// of the specification (invalid-type, invalid-value), worded for the user.
    pub(crate) fn search<'a>(&'a self, data: &'a Value) -> Result<Option<Cow<'a, Value>>, String> {
        Ok(Some(eval::eval(&self.node, data)?).filter(|v| !v.is_null()))
    }
}

/// The interpreter's index arithmetic limits, kept so that nothing in slicing overflows
/// (E5): the ranges are `paginated-rules`' ([`paginated_rules::index_in_range`],
/// [`paginated_rules::slice_problem`]), so the derive refuses what this refuses.
fn check_index(idx: i32, offset: usize) -> Result<(), ParseFailure> {
    if !paginated_rules::index_in_range(idx) {
        return Err(out_of_range(offset));
    }
    Ok(())
}

fn out_of_range(offset: usize) -> ParseFailure {
    ParseFailure {
        message: "array index or slice step out of range".to_owned(),
        column: offset,
    }
}

/// Lowers the parser's tree. Like [`eval::eval`], this recurses once per level, so each kind
/// of node is lowered by its own small function and this dispatcher's frame stays small.
fn lower(ast: &Ast) -> Result<Node, ParseFailure> {
    match ast {
        Ast::Subexpr { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::Condition {
            predicate: lhs,
            then: rhs,
            ..
        } => lower_binary(ast, lhs, rhs),
        Ast::Not { node, .. }
        | Ast::Flatten { node, .. }
        | Ast::ObjectValues { node, .. }
        | Ast::Expref { ast: node, .. } => lower_unary(ast, node),
        Ast::MultiList { .. } | Ast::MultiHash { .. } | Ast::Function { .. } => lower_list(ast),
        _ => lower_leaf(ast),
    }
}

#[inline(never)]
fn lower_binary(ast: &Ast, lhs: &Ast, rhs: &Ast) -> Result<Node, ParseFailure> {
    let (l, r) = (Box::new(lower(lhs)?), Box::new(lower(rhs)?));
    Ok(match ast {
        Ast::Subexpr { .. } => Node::Sub(l, r),
        Ast::Or { .. } => Node::Or(l, r),
        Ast::And { .. } => Node::And(l, r),
        Ast::Comparison { comparator, .. } => Node::Compare(comparator.clone(), l, r),
        Ast::Condition { .. } => Node::Condition(l, r),
        _ => Node::Projection(l, r),
    })
}

#[inline(never)]
fn lower_unary(ast: &Ast, node: &Ast) -> Result<Node, ParseFailure> {
    let inner = Box::new(lower(node)?);
    Ok(match ast {
        Ast::Not { .. } => Node::Not(inner),
        Ast::Flatten { .. } => Node::Flatten(inner),
        Ast::ObjectValues { .. } => Node::ObjectValues(inner),
        _ => Node::Expref(inner),
    })
}

#[inline(never)]
fn lower_list(ast: &Ast) -> Result<Node, ParseFailure> {
    Ok(match ast {
        Ast::MultiHash { elements, .. } => Node::MultiHash(
            elements
                .iter()
                .map(|kv| Ok((kv.key.clone(), lower(&kv.value)?)))
                .collect::<Result<_, ParseFailure>>()?,
        ),
        Ast::Function { name, args, offset } => {
            // Unknown names and wrong arities are refused when the model is built, not on
            // the first page that reaches the call (the suite's unknown-function and
            // invalid-arity errors, raised earlier than Python raises them).
            let function = Function::lookup(name, args.len()).map_err(|message| ParseFailure {
                message,
                column: *offset,
            })?;
            Node::Call(function, args.iter().map(lower).collect::<Result<_, _>>()?)
        }
        Ast::MultiList { elements, .. } => {
            Node::MultiList(elements.iter().map(lower).collect::<Result<_, _>>()?)
        }
        _ => lower_leaf(ast)?,
    })
}

#[inline(never)]
fn lower_leaf(ast: &Ast) -> Result<Node, ParseFailure> {
    Ok(match ast {
        Ast::Field { name, .. } => Node::Field(name.clone()),
        Ast::Index { idx, offset } => {
            check_index(*idx, *offset)?;
            Node::Index(*idx)
        }
        Ast::Literal { value, .. } => Node::Literal(literal(value)),
        Ast::Slice {
            start,
            stop,
            step,
            offset,
        } => {
            if paginated_rules::slice_problem(*start, *stop, *step).is_some() {
                return Err(out_of_range(*offset));
            }
            Node::Slice(*start, *stop, *step)
        }
        // Identity, and (unreachable from `lower`) the composite nodes.
        _ => Node::Identity,
    })
}

/// A literal's value as JSON. Literals nest at most as deep as `serde_json`'s recursion
/// limit (128) lets the lexer parse them, so this recursion is bounded.
fn literal(v: &Variable) -> Value {
    match v {
        Variable::Null | Variable::Expref(_) => Value::Null,
        Variable::Bool(b) => Value::Bool(*b),
        Variable::Number(n) => Value::Number(n.clone()),
        Variable::String(s) => Value::String(s.clone()),
        Variable::Array(a) => Value::Array(a.iter().map(|x| literal(x)).collect()),
        Variable::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), literal(x)))
                .collect::<Map<_, _>>(),
        ),
    }
}
