//! Compiled JMESPath expressions (SEMANTICS S3) and dotted paths.
//!
//! An expression is parsed once, when the model is built, with the `jmespath` crate's parser,
//! and lowered into [`Node`]s that are evaluated straight off the `serde_json::Value`: paths,
//! indices, `||` (every output token and result key of botocore's models) borrow from the
//! page; projections and filters (`Contents[?Size > \`500\`].Key`) copy only what they return.
//! Only functions and expression references go to the `jmespath` interpreter, which needs the
//! page converted into its own value type first. The native evaluator follows the
//! interpreter's semantics exactly (the tests compare the two on many pages).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use std::cmp::Ordering;

use jmespath::ast::{Ast, Comparator};
use jmespath::{Rcvar, Variable};
use serde_json::{Map, Value};

/// Why an expression could not be compiled: the parser's message and the character position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseFailure {
    pub(crate) message: String,
    pub(crate) column: usize,
}

impl From<&jmespath::JmespathError> for ParseFailure {
    /// Keeps the parser's reason without its jargon: "Parse error: Unexpected nud token --
    /// found Eof" becomes "unexpected end of expression" (the derive words it the same way).
    fn from(e: &jmespath::JmespathError) -> ParseFailure {
        let text = e.reason.to_string();
        let text = text.strip_prefix("Parse error: ").unwrap_or(&text);
        let message = if text.ends_with("found Eof") {
            "unexpected end of expression".to_owned()
        } else {
            let text = text
                .replace("nud token", "token")
                .replace(" -- found ", ", found ");
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
            }
        };
        ParseFailure {
            message,
            column: e.offset,
        }
    }
}

impl fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.column)
    }
}

/// A JMESPath expression compiled once and evaluated on many pages.
#[derive(Clone)]
pub(crate) struct Expr {
    source: Arc<str>,
    plan: Plan,
}

#[derive(Clone)]
enum Plan {
    /// Evaluated natively on `serde_json::Value`.
    Native(Arc<Node>),
    /// Needs the general interpreter (functions, expression references).
    Interpreted(Arc<jmespath::Expression<'static>>),
}

/// JMESPath without functions, evaluated on `serde_json::Value`.
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
}

static NULL: Value = Value::Null;

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Expr").field(&self.source).finish()
    }
}

impl Expr {
    pub(crate) fn compile(source: &str) -> Result<Expr, ParseFailure> {
        let compiled = jmespath::compile(source).map_err(|e| ParseFailure::from(&e))?;
        check_indices(compiled.as_ast()).map_err(|offset| ParseFailure {
            message: "array index or slice step out of range".to_owned(),
            column: offset,
        })?;
        let plan = match lower(compiled.as_ast()) {
            Some(node) => Plan::Native(Arc::new(node)),
            None => Plan::Interpreted(Arc::new(compiled)),
        };
        Ok(Expr {
            source: Arc::from(source),
            plan,
        })
    }

    /// `@`, built without parsing.
    pub(crate) fn identity() -> Expr {
        Expr {
            source: Arc::from("@"),
            plan: Plan::Native(Arc::new(Node::Identity)),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.source
    }

    /// True when the expression is evaluated natively, without the interpreter.
    #[cfg(test)]
    pub(crate) fn is_native(&self) -> bool {
        matches!(self.plan, Plan::Native(_))
    }

    /// Evaluates the expression. `None` stands for JMESPath `null`.
    pub(crate) fn search<'a>(&'a self, data: &'a Value) -> Result<Option<Cow<'a, Value>>, String> {
        match &self.plan {
            Plan::Native(node) => Ok(Some(eval(node, data)?).filter(|v| !v.is_null())),
            Plan::Interpreted(expr) => {
                let var = Rcvar::new(to_variable(data));
                let mut ctx = jmespath::Context::new(expr.as_str(), &jmespath::DEFAULT_RUNTIME);
                let out = jmespath::interpret(&var, expr.as_ast(), &mut ctx)
                    .map_err(|e| e.reason.to_string())?;
                match from_variable(&out) {
                    Value::Null => Ok(None),
                    v => Ok(Some(Cow::Owned(v))),
                }
            }
        }
    }
}

fn lower(ast: &Ast) -> Option<Node> {
    let two = |lhs: &Ast, rhs: &Ast| Some((Box::new(lower(lhs)?), Box::new(lower(rhs)?)));
    Some(match ast {
        Ast::Identity { .. } => Node::Identity,
        Ast::Field { name, .. } => Node::Field(name.clone()),
        Ast::Index { idx, .. } => Node::Index(*idx),
        Ast::Literal { value, .. } => Node::Literal(from_variable(value)),
        Ast::Subexpr { lhs, rhs, .. } => {
            let (l, r) = two(lhs, rhs)?;
            Node::Sub(l, r)
        }
        Ast::Or { lhs, rhs, .. } => {
            let (l, r) = two(lhs, rhs)?;
            Node::Or(l, r)
        }
        Ast::And { lhs, rhs, .. } => {
            let (l, r) = two(lhs, rhs)?;
            Node::And(l, r)
        }
        Ast::Not { node, .. } => Node::Not(Box::new(lower(node)?)),
        Ast::Comparison {
            comparator,
            lhs,
            rhs,
            ..
        } => {
            let (l, r) = two(lhs, rhs)?;
            Node::Compare(comparator.clone(), l, r)
        }
        Ast::Condition {
            predicate, then, ..
        } => {
            let (p, t) = two(predicate, then)?;
            Node::Condition(p, t)
        }
        Ast::Projection { lhs, rhs, .. } => {
            let (l, r) = two(lhs, rhs)?;
            Node::Projection(l, r)
        }
        Ast::Flatten { node, .. } => Node::Flatten(Box::new(lower(node)?)),
        Ast::ObjectValues { node, .. } => Node::ObjectValues(Box::new(lower(node)?)),
        Ast::MultiList { elements, .. } => {
            Node::MultiList(elements.iter().map(lower).collect::<Option<_>>()?)
        }
        Ast::MultiHash { elements, .. } => Node::MultiHash(
            elements
                .iter()
                .map(|kv| Some((kv.key.clone(), lower(&kv.value)?)))
                .collect::<Option<_>>()?,
        ),
        Ast::Slice {
            start, stop, step, ..
        } => Node::Slice(*start, *stop, *step),
        Ast::Function { .. } | Ast::Expref { .. } => return None,
    })
}

/// The interpreter negates negative indices, which overflows for `i32::MIN`, and adds a slice's
/// step to an `i32` position, which overflows for huge steps; refuse both up front.
fn check_indices(ast: &Ast) -> Result<(), usize> {
    let children: Vec<&Ast> = match ast {
        Ast::Index { idx, offset } if *idx == i32::MIN => return Err(*offset),
        Ast::Slice {
            start,
            stop,
            offset,
            step,
        } => {
            if [*start, *stop].contains(&Some(i32::MIN)) || step.unsigned_abs() > 1 << 30 {
                return Err(*offset);
            }
            Vec::new()
        }
        Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => vec![lhs, rhs],
        Ast::Condition {
            predicate, then, ..
        } => vec![predicate, then],
        Ast::Expref { ast: node, .. }
        | Ast::Flatten { node, .. }
        | Ast::Not { node, .. }
        | Ast::ObjectValues { node, .. } => vec![node],
        Ast::Function { args, .. } | Ast::MultiList { elements: args, .. } => args.iter().collect(),
        Ast::MultiHash { elements, .. } => elements.iter().map(|kv| &kv.value).collect(),
        Ast::Identity { .. } | Ast::Field { .. } | Ast::Index { .. } | Ast::Literal { .. } => {
            Vec::new()
        }
    };
    children.into_iter().try_for_each(check_indices)
}

/// Evaluates `node` on `data`. Results that are part of the page (or of the expression's
/// literals) are borrowed; only projections and constructed values are owned.
fn eval<'a>(node: &'a Node, data: &'a Value) -> Result<Cow<'a, Value>, String> {
    let null = || Cow::Borrowed(&NULL);
    Ok(match node {
        Node::Identity => Cow::Borrowed(data),
        Node::Field(name) => data
            .as_object()
            .and_then(|m| m.get(name))
            .map_or_else(null, Cow::Borrowed),
        Node::Index(idx) => index(data, *idx).map_or_else(null, Cow::Borrowed),
        Node::Literal(v) => Cow::Borrowed(v),
        Node::Sub(lhs, rhs) => match eval(lhs, data)? {
            Cow::Borrowed(v) => eval(rhs, v)?,
            Cow::Owned(v) => Cow::Owned(eval(rhs, &v)?.into_owned()),
        },
        Node::Or(lhs, rhs) => {
            let left = eval(lhs, data)?;
            if jmespath_truthy(&left) {
                left
            } else {
                eval(rhs, data)?
            }
        }
        Node::And(lhs, rhs) => {
            let left = eval(lhs, data)?;
            if jmespath_truthy(&left) {
                eval(rhs, data)?
            } else {
                left
            }
        }
        Node::Not(inner) => Cow::Owned(Value::Bool(!jmespath_truthy(&*eval(inner, data)?))),
        Node::Compare(cmp, lhs, rhs) => {
            let (l, r) = (eval(lhs, data)?, eval(rhs, data)?);
            compare(cmp, &l, &r).map_or_else(null, |b| Cow::Owned(Value::Bool(b)))
        }
        Node::Condition(predicate, then) => {
            if jmespath_truthy(&*eval(predicate, data)?) {
                eval(then, data)?
            } else {
                null()
            }
        }
        Node::Projection(lhs, rhs) => {
            let left = eval(lhs, data)?;
            let Some(items) = left.as_array() else {
                return Ok(null());
            };
            let mut out = Vec::new();
            for item in items {
                let v = eval(rhs, item)?;
                if !v.is_null() {
                    out.push(v.into_owned());
                }
            }
            Cow::Owned(Value::Array(out))
        }
        Node::Flatten(inner) => {
            let value = eval(inner, data)?;
            let Some(items) = value.as_array() else {
                return Ok(null());
            };
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Array(nested) => out.extend(nested.iter().cloned()),
                    other => out.push(other.clone()),
                }
            }
            Cow::Owned(Value::Array(out))
        }
        Node::ObjectValues(inner) => match &*eval(inner, data)? {
            Value::Object(m) => Cow::Owned(Value::Array(m.values().cloned().collect())),
            _ => null(),
        },
        Node::MultiList(elements) => {
            if data.is_null() {
                return Ok(null());
            }
            let items = elements
                .iter()
                .map(|e| Ok(eval(e, data)?.into_owned()))
                .collect::<Result<_, String>>()?;
            Cow::Owned(Value::Array(items))
        }
        Node::MultiHash(elements) => {
            if data.is_null() {
                return Ok(null());
            }
            let mut map = Map::new();
            for (key, e) in elements {
                map.insert(key.clone(), eval(e, data)?.into_owned());
            }
            Cow::Owned(Value::Object(map))
        }
        Node::Slice(start, stop, step) => {
            if *step == 0 {
                return Err("invalid slice: the step cannot be 0".to_owned());
            }
            match data.as_array() {
                Some(items) => Cow::Owned(Value::Array(slice(items, *start, *stop, *step))),
                None => null(),
            }
        }
    })
}

fn index(data: &Value, idx: i32) -> Option<&Value> {
    let list = data.as_array()?;
    let at = if idx >= 0 {
        usize::try_from(idx).ok()
    } else {
        list.len().checked_sub(idx.unsigned_abs() as usize)
    };
    at.and_then(|i| list.get(i))
}

/// Python-style slicing, as the JMESPath spec defines it. Steps are at most 2^30 in
/// magnitude (`check_indices`) and positions stay within the array, so nothing overflows.
fn slice(items: &[Value], start: Option<i32>, stop: Option<i32>, step: i32) -> Vec<Value> {
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let step = i64::from(step);
    let clamp = |end: i32, default_neg: i64, default_pos: i64| {
        let end = i64::from(end);
        if end < 0 {
            let end = end + len;
            if end >= 0 {
                end
            } else if step < 0 {
                -1
            } else {
                0
            }
        } else if end < len {
            end
        } else if step < 0 {
            default_neg
        } else {
            default_pos
        }
    };
    let from = match start {
        Some(s) => clamp(s, len - 1, len),
        None if step < 0 => len - 1,
        None => 0,
    };
    let to = match stop {
        Some(s) => clamp(s, len - 1, len),
        None if step < 0 => -1,
        None => len,
    };
    let mut out = Vec::new();
    let mut i = from;
    while (step > 0 && i < to) || (step < 0 && i > to) {
        if let Some(v) = usize::try_from(i).ok().and_then(|i| items.get(i)) {
            out.push(v.clone());
        }
        i += step;
    }
    out
}

/// The interpreter's comparisons: equality of any two values (numbers with a relative
/// tolerance, objects as maps); ordering only between numbers, otherwise `null`.
fn compare(cmp: &Comparator, l: &Value, r: &Value) -> Option<bool> {
    match cmp {
        Comparator::Equal => Some(jmespath_eq(l, r)),
        Comparator::NotEqual => Some(!jmespath_eq(l, r)),
        ordering => {
            let (a, b) = (l.as_f64()?, r.as_f64()?);
            let order = a.partial_cmp(&b).unwrap_or(Ordering::Less);
            Some(match ordering {
                Comparator::LessThan => order == Ordering::Less,
                Comparator::LessThanEqual => order != Ordering::Greater,
                Comparator::GreaterThan => order == Ordering::Greater,
                _ => order != Ordering::Less,
            })
        }
    }
}

fn jmespath_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => float_eq(x, y),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| jmespath_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| jmespath_eq(v, w)))
        }
        _ => false,
    }
}

/// Equal, or within a relative error of `f64::EPSILON`, as the interpreter compares numbers.
fn float_eq(a: f64, b: f64) -> bool {
    let diff = (a - b).abs();
    if a == b {
        true
    } else if !a.is_normal() || !b.is_normal() {
        diff < f64::EPSILON * f64::MIN_POSITIVE
    } else {
        diff / (a.abs() + b.abs()) < f64::EPSILON
    }
}

/// JMESPath's truthiness: `false`, `null`, `""`, `[]` and `{}` are false; every number is true.
fn jmespath_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(_) => true,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// SEMANTICS "absent": Python's truthiness, which botocore applies to token and flag values.
/// Unlike JMESPath's, a numeric zero is absent.
pub(crate) fn is_absent(v: Option<&Value>) -> bool {
    match v {
        None => true,
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(other) => !jmespath_truthy(other),
    }
}

fn to_variable(v: &Value) -> Variable {
    match v {
        Value::Null => Variable::Null,
        Value::Bool(b) => Variable::Bool(*b),
        Value::Number(n) => Variable::Number(n.clone()),
        Value::String(s) => Variable::String(s.clone()),
        Value::Array(a) => Variable::Array(a.iter().map(|x| Rcvar::new(to_variable(x))).collect()),
        Value::Object(o) => Variable::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), Rcvar::new(to_variable(x))))
                .collect(),
        ),
    }
}

fn from_variable(v: &Variable) -> Value {
    match v {
        Variable::Null | Variable::Expref(_) => Value::Null,
        Variable::Bool(b) => Value::Bool(*b),
        Variable::Number(n) => Value::Number(n.clone()),
        Variable::String(s) => Value::String(s.clone()),
        Variable::Array(a) => Value::Array(a.iter().map(|x| from_variable(x)).collect()),
        Variable::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), from_variable(x)))
                .collect(),
        ),
    }
}

/// A result or non-aggregate key: identifiers joined by dots (`EngineDefaults.Parameters`).
/// Results are written back at this path, which is why nothing more general is allowed (S1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Path {
    source: Arc<str>,
    parts: Vec<String>,
}

impl Path {
    /// Parses a dotted path; `Err(None)` when it parses as JMESPath but is not a dotted path.
    pub(crate) fn parse(source: &str) -> Result<Path, Option<ParseFailure>> {
        let ast = jmespath::parse(source).map_err(|e| Some(ParseFailure::from(&e)))?;
        let mut parts = Vec::new();
        if !collect_fields(&ast, &mut parts) {
            return Err(None);
        }
        Ok(Path {
            source: Arc::from(source),
            parts,
        })
    }

    /// A one-identifier path, built without parsing.
    pub(crate) fn single(name: &str) -> Path {
        Path {
            source: Arc::from(name),
            parts: vec![name.to_owned()],
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.source
    }

    pub(crate) fn get<'v>(&self, data: &'v Value) -> Option<&'v Value> {
        let mut at = data;
        for part in &self.parts {
            at = at.as_object()?.get(part)?;
        }
        Some(at)
    }

    pub(crate) fn get_mut<'v>(&self, data: &'v mut Value) -> Option<&'v mut Value> {
        let mut at = data;
        for part in &self.parts {
            at = at.as_object_mut()?.get_mut(part)?;
        }
        Some(at)
    }

    /// Like [`Path::get_mut`], starting from an object's map.
    pub(crate) fn get_in_mut<'v>(&self, map: &'v mut Map<String, Value>) -> Option<&'v mut Value> {
        let (first, rest) = self.parts.split_first()?;
        let mut at = map.get_mut(first)?;
        for part in rest {
            at = at.as_object_mut()?.get_mut(part)?;
        }
        Some(at)
    }

    /// Writes `value` at the path, creating the objects on the way.
    /// `Err` carries the dotted prefix that exists but is not an object, and its JSON type.
    pub(crate) fn set(
        &self,
        data: &mut Map<String, Value>,
        value: Value,
    ) -> Result<(), (String, &'static str)> {
        let Some((last, parents)) = self.parts.split_last() else {
            return Ok(());
        };
        let mut at = data;
        for (i, part) in parents.iter().enumerate() {
            let slot = at
                .entry(part.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            at = match slot {
                Value::Object(m) => m,
                other => return Err((self.parts[..=i].join("."), crate::token::json_type(other))),
            };
        }
        at.insert(last.clone(), value);
        Ok(())
    }
}

fn collect_fields(ast: &Ast, out: &mut Vec<String>) -> bool {
    match ast {
        Ast::Field { name, .. } => {
            out.push(name.clone());
            true
        }
        Ast::Subexpr { lhs, rhs, .. } => collect_fields(lhs, out) && collect_fields(rhs, out),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn direct(src: &str, data: &Value) -> Option<Value> {
        let e = Expr::compile(src).unwrap();
        assert!(e.is_native(), "{src} should be evaluated natively");
        e.search(data).unwrap().map(Cow::into_owned)
    }

    fn interpreted(src: &str, data: &Value) -> Option<Value> {
        let compiled = jmespath::compile(src).unwrap();
        let out = compiled.search(data).unwrap();
        match from_variable(&out) {
            Value::Null => None,
            v => Some(v),
        }
    }

    // S3: the native evaluator must agree with the interpreter on every expression it takes.
    #[test]
    fn s3_native_evaluation_agrees_with_interpreter() {
        let pages = [
            json!({"NextMarker": "n", "Contents": [{"Key": "a", "Size": 10}, {"Key": "z", "Size": 900}]}),
            json!({"NextMarker": "", "Contents": [{"Key": "a", "Size": 500}, {"Key": "b", "Size": 500.0}, {"Key": "c"}]}),
            json!({"NextMarker": 0, "Contents": [{"Key": "a", "Size": -1, "Tags": [{"K": "x"}, {"K": "y"}]}]}),
            json!({"NextMarker": null, "Contents": []}),
            json!({"Contents": "not a list", "Flag": true, "N": 0}),
            json!({"Contents": [1, 2, 3, [4, 5], [], null, {"a": 1}], "Nested": [[1, [2]], [3]]}),
            json!({"A": {"B": {"C": [10, 20, 30]}, "D": {"x": 1, "y": 2}}, "IsTruncated": false}),
            json!({"Foo": [{"a": 1}, {"b": 2}, {"a": 3, "b": 4}], "S": "str", "E": {}}),
            json!([1, 2, 3]),
            json!("string page"),
            json!(null),
        ];
        let exprs = [
            "NextMarker || Contents[-1].Key",
            "Contents[0].Key",
            "Contents[-3]",
            "Contents[5]",
            "Contents[-5]",
            "A.B.C[1]",
            "A.B.C[-1]",
            "IsTruncated",
            "@",
            "\"NextMarker\"",
            "Missing || A.B",
            "NextMarker || Missing || Contents",
            "Contents[?Size > `500`].Key",
            "Contents[?Size >= `500`].Key",
            "Contents[?Size < `500`]",
            "Contents[?Size == `500`].Key",
            "Contents[?Size != `500`].Key",
            "Contents[?Key == 'a']",
            "Contents[?Size]",
            "Contents[?!Size].Key",
            "Contents[?Size > `0` && Key != 'z'].Key",
            "Contents[?Size > `0` || Key == 'c'].Key",
            "Contents[*].Key",
            "Contents[].Key",
            "Contents[]",
            "Contents[].Tags[].K",
            "Nested[]",
            "Nested[][]",
            "A.D.*",
            "A.*.C",
            "Foo[*].a",
            "Foo[].[a, b]",
            "Foo[].{first: a, second: b}",
            "{next: NextMarker, count: Contents[0].Size}",
            "[NextMarker, IsTruncated]",
            "Contents[::2]",
            "Contents[1:]",
            "Contents[-2:]",
            "Contents[::-1]",
            "Contents[5:1:-2]",
            "A.B.C[0:2]",
            "!IsTruncated",
            "N && S",
            "Flag && S",
            "E || S",
            "`{\"lit\": [1, 2]}`",
            "'raw string'",
            "Contents[0] == Contents[0]",
            "A.D == `{\"y\": 2, \"x\": 1}`",
            "Contents | [0]",
            "Foo[?a > `1`] | [0].b",
            "S < `1`",
        ];
        for page in &pages {
            for src in exprs {
                assert_eq!(direct(src, page), interpreted(src, page), "{src} on {page}");
            }
        }
    }

    #[test]
    fn s3_only_functions_use_the_interpreter() {
        let e = Expr::compile("length(Contents[?Size > `500`])").unwrap();
        assert!(!e.is_native());
        let page = json!({"Contents": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 501}]});
        assert_eq!(e.search(&page).unwrap().unwrap().into_owned(), json!(1));
        let e = Expr::compile("Contents[?Size > `500`].Key").unwrap();
        assert!(e.is_native());
        assert_eq!(e.search(&page).unwrap().unwrap().into_owned(), json!(["b"]));
        // Paths are borrowed from the page, not copied.
        let path = Expr::compile("Contents[1].Key").unwrap();
        assert!(matches!(
            path.search(&page).unwrap(),
            Some(Cow::Borrowed(_))
        ));
        assert!(
            Expr::compile("Contents[::0]")
                .unwrap()
                .search(&page)
                .is_err()
        );
    }

    #[test]
    fn s1_bad_expressions_report_the_position() {
        let err = Expr::compile("Contents[").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unexpected end of expression (at character 9)"
        );
        assert!(Expr::compile("a[-2147483648]").is_err());
        assert!(Expr::compile("a[::-2147483648]").is_err());
        assert!(Expr::compile("a[-2147483647]").is_ok());
        assert!(Expr::compile("a[5::2147483647]").is_err());
        assert!(Expr::compile("a[::-2147483647]").is_err());
        // Ordinary slices still work through the interpreter.
        let e = Expr::compile("a[1::2]").unwrap();
        let page = serde_json::json!({"a": [0, 1, 2, 3, 4]});
        assert_eq!(
            e.search(&page).unwrap().unwrap().into_owned(),
            serde_json::json!([1, 3])
        );
    }

    #[test]
    fn absent_is_python_truthiness() {
        for v in [
            json!(null),
            json!(false),
            json!(0),
            json!(0.0),
            json!(""),
            json!([]),
            json!({}),
        ] {
            assert!(is_absent(Some(&v)), "{v} is absent");
        }
        for v in [
            json!(true),
            json!(1),
            json!(-0.5),
            json!("0"),
            json!([0]),
            json!({"a": 0}),
        ] {
            assert!(!is_absent(Some(&v)), "{v} is present");
        }
        assert!(is_absent(None));
    }

    #[test]
    fn paths() {
        let p = Path::parse("EngineDefaults.Parameters").unwrap();
        let mut page = json!({"EngineDefaults": {"Parameters": [1]}});
        assert_eq!(p.get(&page), Some(&json!([1])));
        *p.get_mut(&mut page).unwrap() = json!([]);
        assert_eq!(page, json!({"EngineDefaults": {"Parameters": []}}));
        let mut out = Map::new();
        p.set(&mut out, json!(5)).unwrap();
        assert_eq!(
            Value::Object(out),
            json!({"EngineDefaults": {"Parameters": 5}})
        );
        let mut clash = Map::new();
        clash.insert("EngineDefaults".into(), json!([1]));
        assert_eq!(
            p.set(&mut clash, json!(1)),
            Err(("EngineDefaults".to_owned(), "array"))
        );
        assert_eq!(Path::parse("Contents[0]"), Err(None));
        assert_eq!(Path::parse("a || b"), Err(None));
        assert!(matches!(Path::parse("a."), Err(Some(_))));
        assert_eq!(
            Path::parse("\"quoted-name\".x").unwrap().parts,
            ["quoted-name", "x"]
        );
    }
}
