//! Compiled JMESPath expressions (SEMANTICS S3) and dotted paths.
//!
//! An expression is parsed once, when the model is built. If its syntax tree only uses
//! identifiers, `.`, `[n]` and `||` (which covers every output token, `more_results` and
//! result key in botocore's models) it is evaluated straight off the `serde_json::Value`,
//! borrowing from the page. Anything else goes to the `jmespath` interpreter, which needs the
//! page converted into its own value type first.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use jmespath::ast::Ast;
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
    /// Evaluated directly on `serde_json::Value`.
    Direct(Step),
    /// Needs the general interpreter.
    Interpreted(Arc<jmespath::Expression<'static>>),
}

/// The subset of JMESPath that is read straight off a `Value`.
#[derive(Clone, Debug)]
enum Step {
    Identity,
    Field(String),
    Index(i32),
    Sub(Box<Step>, Box<Step>),
    Or(Box<Step>, Box<Step>),
}

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
            Some(step) => Plan::Direct(step),
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
            plan: Plan::Direct(Step::Identity),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.source
    }

    /// True when the expression is read directly, without the interpreter.
    #[cfg(test)]
    pub(crate) fn is_direct(&self) -> bool {
        matches!(self.plan, Plan::Direct(_))
    }

    /// Evaluates the expression. `None` stands for JMESPath `null`.
    pub(crate) fn search<'v>(&self, data: &'v Value) -> Result<Option<Cow<'v, Value>>, String> {
        match &self.plan {
            Plan::Direct(step) => Ok(eval(step, data).map(Cow::Borrowed)),
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

fn lower(ast: &Ast) -> Option<Step> {
    Some(match ast {
        Ast::Identity { .. } => Step::Identity,
        Ast::Field { name, .. } => Step::Field(name.clone()),
        Ast::Index { idx, .. } => Step::Index(*idx),
        Ast::Subexpr { lhs, rhs, .. } => Step::Sub(Box::new(lower(lhs)?), Box::new(lower(rhs)?)),
        Ast::Or { lhs, rhs, .. } => Step::Or(Box::new(lower(lhs)?), Box::new(lower(rhs)?)),
        _ => return None,
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

fn eval<'v>(step: &Step, data: &'v Value) -> Option<&'v Value> {
    let found = match step {
        Step::Identity => Some(data),
        Step::Field(name) => data.as_object().and_then(|m| m.get(name)),
        Step::Index(idx) => {
            let list = data.as_array()?;
            let at = if *idx >= 0 {
                usize::try_from(*idx).ok()
            } else {
                list.len().checked_sub(idx.unsigned_abs() as usize)
            };
            at.and_then(|i| list.get(i))
        }
        Step::Sub(lhs, rhs) => eval(rhs, eval(lhs, data)?),
        Step::Or(lhs, rhs) => match eval(lhs, data) {
            Some(left) if jmespath_truthy(left) => Some(left),
            _ => eval(rhs, data),
        },
    };
    found.filter(|v| !v.is_null())
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
        assert!(e.is_direct(), "{src} should take the direct path");
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

    // S3: the direct path must agree with the interpreter on every shape it accepts.
    #[test]
    fn s3_direct_path_agrees_with_interpreter() {
        let pages = [
            json!({"NextMarker": "n", "Contents": [{"Key": "a"}, {"Key": "z"}]}),
            json!({"NextMarker": "", "Contents": [{"Key": "a"}, {"Key": "z"}]}),
            json!({"NextMarker": 0, "Contents": [{"Key": "a"}]}),
            json!({"NextMarker": null, "Contents": []}),
            json!({"Contents": "not a list"}),
            json!({"Contents": [1, 2, 3]}),
            json!({"A": {"B": {"C": [10, 20, 30]}}, "IsTruncated": false}),
            json!([1, 2, 3]),
            json!("string page"),
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
        ];
        for page in &pages {
            for src in exprs {
                assert_eq!(direct(src, page), interpreted(src, page), "{src} on {page}");
            }
        }
    }

    #[test]
    fn s3_general_expressions_use_the_interpreter() {
        let e = Expr::compile("Contents[?Size > `500`].Key").unwrap();
        assert!(!e.is_direct());
        let page = json!({"Contents": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 501}]});
        assert_eq!(e.search(&page).unwrap().unwrap().into_owned(), json!(["b"]));
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
