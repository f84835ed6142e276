//! The JMESPath built-in functions, evaluated natively on `serde_json::Value`, with the
//! specification's type checks and errors.
//!
//! Names and arities are checked when an expression is compiled (`unknown-function`,
//! `invalid-arity`); argument types when the function runs (`invalid-type`), as the
//! compliance suite expects. Every comparison inside a function (`sort`, `max`, `min_by`,
//! `contains`, …) uses the exact comparisons of [`super::compare`], so E1 and E2 hold in
//! function arguments as in filters. Where several elements tie, `max`/`min`/`max_by`/
//! `min_by` return the first and `sort`/`sort_by` keep their order, as Python does.

// The specification's names of JSON types (what `type()` answers) are the crate's own.
use crate::token::json_type as type_name;
use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::Node;
use super::compare::{as_int, equal, float_number, int_number, order};
use super::eval::eval;

/// A built-in function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Function {
    Abs,
    Avg,
    Ceil,
    Contains,
    EndsWith,
    Floor,
    Join,
    Keys,
    Length,
    Map,
    Max,
    MaxBy,
    Merge,
    Min,
    MinBy,
    NotNull,
    Reverse,
    Sort,
    SortBy,
    StartsWith,
    Sum,
    ToArray,
    ToNumber,
    ToString,
    Type,
    Values,
}

/// Each function's name. Arities are `paginated-rules`' table ([`paginated_rules::FUNCTIONS`]),
/// which the derive checks against too; a test below keeps the two name lists equal.
const TABLE: &[(&str, Function)] = &[
    ("abs", Function::Abs),
    ("avg", Function::Avg),
    ("ceil", Function::Ceil),
    ("contains", Function::Contains),
    ("ends_with", Function::EndsWith),
    ("floor", Function::Floor),
    ("join", Function::Join),
    ("keys", Function::Keys),
    ("length", Function::Length),
    ("map", Function::Map),
    ("max", Function::Max),
    ("max_by", Function::MaxBy),
    ("merge", Function::Merge),
    ("min", Function::Min),
    ("min_by", Function::MinBy),
    ("not_null", Function::NotNull),
    ("reverse", Function::Reverse),
    ("sort", Function::Sort),
    ("sort_by", Function::SortBy),
    ("starts_with", Function::StartsWith),
    ("sum", Function::Sum),
    ("to_array", Function::ToArray),
    ("to_number", Function::ToNumber),
    ("to_string", Function::ToString),
    ("type", Function::Type),
    ("values", Function::Values),
];

type Out<'a> = Result<Cow<'a, Value>, String>;

impl Function {
    /// The function called `name` with `args` arguments, or the compile-time error.
    pub(super) fn lookup(name: &str, args: usize) -> Result<Function, String> {
        let unknown = || format!("unknown-function: `{name}` is not a JMESPath built-in function");
        let signature = paginated_rules::function(name).ok_or_else(unknown)?;
        let &(_, function) = TABLE.iter().find(|(n, _)| *n == name).ok_or_else(unknown)?;
        if signature.arity.accepts(args) {
            return Ok(function);
        }
        Err(format!(
            "invalid-arity: `{name}()` takes {}, got {args}",
            signature.arity
        ))
    }

    fn name(self) -> &'static str {
        TABLE
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }

    fn type_error(self, arg: usize, expected: &str, got: &str) -> String {
        format!(
            "invalid-type: `{}()` expects {expected} as argument {arg}, got {got}",
            self.name()
        )
    }

    /// The argument at `i`, evaluated by [`Function::call`]; an expression reference there is
    /// a type error.
    fn value<'a>(self, vals: &mut [Option<Cow<'a, Value>>], i: usize) -> Out<'a> {
        match vals.get_mut(i).map(Option::take) {
            Some(Some(v)) => Ok(v),
            _ => Err(self.type_error(i + 1, "a value", "an expression")),
        }
    }

    /// The expression reference at `i`.
    fn expref(self, args: &[Node], i: usize) -> Result<&Node, String> {
        match args.get(i) {
            Some(Node::Expref(node)) => Ok(node),
            _ => Err(self.type_error(i + 1, "an expression (`&expr`)", "a value")),
        }
    }

    fn number(self, v: &Value, arg: usize) -> Result<&serde_json::Number, String> {
        match v {
            Value::Number(n) => Ok(n),
            other => Err(self.type_error(arg, "a number", type_name(other))),
        }
    }

    fn string(self, v: &Value, arg: usize) -> Result<&str, String> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(self.type_error(arg, "a string", type_name(other))),
        }
    }

    fn array(self, v: &Value, arg: usize) -> Result<&[Value], String> {
        match v {
            Value::Array(a) => Ok(a),
            other => Err(self.type_error(arg, "an array", type_name(other))),
        }
    }

    fn object(self, v: &Value, arg: usize) -> Result<&Map<String, Value>, String> {
        match v {
            Value::Object(o) => Ok(o),
            other => Err(self.type_error(arg, "an object", type_name(other))),
        }
    }

    /// An array whose elements are all numbers, or all strings (`sort`, `max`, `min`).
    fn comparable(self, v: &Value, arg: usize) -> Result<&[Value], String> {
        let items = self.array(v, arg)?;
        sortable_keys(items.iter()).map_err(|got| {
            self.type_error(arg, "an array of numbers or an array of strings", got)
        })?;
        Ok(items)
    }

    /// Evaluates the call. `args` are the lowered argument expressions.
    ///
    /// The arguments are evaluated here, in a small frame, before [`Function::apply`] (whose
    /// frame is large in an unoptimized build) runs: nested calls (`abs(abs(…))`) then
    /// recurse through small frames only, as the nesting bound's measurement assumes. All
    /// arguments are evaluated first, as Python does.
    pub(super) fn call<'a>(self, args: &'a [Node], data: &'a Value) -> Out<'a> {
        let mut vals = Vec::with_capacity(args.len());
        for arg in args {
            vals.push(match arg {
                Node::Expref(_) => None,
                other => Some(eval(other, data)?),
            });
        }
        self.apply(args, vals)
    }

    #[inline(never)]
    fn apply<'a>(self, args: &'a [Node], mut vals: Vec<Option<Cow<'a, Value>>>) -> Out<'a> {
        let owned = |v: Value| Ok(Cow::Owned(v));
        match self {
            Function::Abs => {
                let arg = self.value(&mut vals, 0)?;
                let n = self.number(&arg, 1)?;
                owned(match as_int(n) {
                    Some(i) => int_number(i.abs()),
                    None => float_number(n.as_f64().unwrap_or(0.0).abs()),
                })
            }
            Function::Ceil | Function::Floor => {
                let arg = self.value(&mut vals, 0)?;
                let n = self.number(&arg, 1)?;
                if as_int(n).is_some() {
                    return owned(Value::Number(n.clone()));
                }
                let f = n.as_f64().unwrap_or(0.0);
                let r = if self == Function::Ceil {
                    f.ceil()
                } else {
                    f.floor()
                };
                // Python's math.ceil/floor give integers; keep the float beyond i128.
                owned(if r.abs() < 1e38 {
                    #[allow(clippy::cast_possible_truncation)]
                    int_number(r as i128)
                } else {
                    float_number(r)
                })
            }
            Function::Avg | Function::Sum => {
                let arg = self.value(&mut vals, 0)?;
                let items = self.array(&arg, 1)?;
                let nums = items
                    .iter()
                    .map(|v| match v {
                        Value::Number(n) => Ok(n),
                        other => Err(self.type_error(1, "an array of numbers", type_name(other))),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                if self == Function::Avg {
                    if nums.is_empty() {
                        return owned(Value::Null);
                    }
                    let total: f64 = nums.iter().map(|n| n.as_f64().unwrap_or(0.0)).sum();
                    #[allow(clippy::cast_precision_loss)]
                    return owned(float_number(total / nums.len() as f64));
                }
                // Integers are summed exactly and stay integers, as in Python.
                let ints: Option<i128> = nums
                    .iter()
                    .try_fold(0i128, |acc, n| acc.checked_add(as_int(n)?));
                owned(match ints {
                    Some(total) => int_number(total),
                    None => float_number(nums.iter().map(|n| n.as_f64().unwrap_or(0.0)).sum()),
                })
            }
            Function::Contains => {
                let subject = self.value(&mut vals, 0)?;
                let search = self.value(&mut vals, 1)?;
                owned(Value::Bool(match &*subject {
                    Value::Array(items) => items.iter().any(|v| equal(v, &search)),
                    Value::String(s) => search.as_str().is_some_and(|needle| s.contains(needle)),
                    other => {
                        return Err(self.type_error(1, "an array or a string", type_name(other)));
                    }
                }))
            }
            Function::EndsWith | Function::StartsWith => {
                let subject = self.value(&mut vals, 0)?;
                let affix = self.value(&mut vals, 1)?;
                let (s, a) = (self.string(&subject, 1)?, self.string(&affix, 2)?);
                owned(Value::Bool(if self == Function::EndsWith {
                    s.ends_with(a)
                } else {
                    s.starts_with(a)
                }))
            }
            Function::Join => {
                let glue = self.value(&mut vals, 0)?;
                let list = self.value(&mut vals, 1)?;
                let glue = self.string(&glue, 1)?;
                let parts = self
                    .array(&list, 2)?
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .ok_or_else(|| self.type_error(2, "an array of strings", type_name(v)))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                owned(Value::String(parts.join(glue)))
            }
            Function::Keys | Function::Values => {
                let arg = self.value(&mut vals, 0)?;
                let map = self.object(&arg, 1)?;
                owned(Value::Array(if self == Function::Keys {
                    map.keys().cloned().map(Value::String).collect()
                } else {
                    map.values().cloned().collect()
                }))
            }
            Function::Length => {
                let arg = self.value(&mut vals, 0)?;
                // Strings count code points, as Python's len does: the crate's own count (M1).
                let n = match &*arg {
                    Value::Null => Err("null"),
                    other => crate::slicing::count_items(Some(other)),
                };
                match n {
                    Ok(n) => owned(Value::from(n)),
                    Err(found) => Err(self.type_error(1, "a string, an array or an object", found)),
                }
            }
            Function::Map => {
                let expr = self.expref(args, 0)?;
                let list = self.value(&mut vals, 1)?;
                // Unlike a projection, map keeps the nulls.
                let out = self
                    .array(&list, 2)?
                    .iter()
                    .map(|item| Ok(eval(expr, item)?.into_owned()))
                    .collect::<Result<_, String>>()?;
                owned(Value::Array(out))
            }
            Function::Max | Function::Min => {
                let arg = self.value(&mut vals, 0)?;
                let items = self.comparable(&arg, 1)?;
                let want = if self == Function::Max {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
                owned(
                    first_extreme(items, items, want)
                        .cloned()
                        .unwrap_or(Value::Null),
                )
            }
            Function::MaxBy | Function::MinBy => {
                let list = self.value(&mut vals, 0)?;
                let expr = self.expref(args, 1)?;
                let items = self.array(&list, 1)?;
                let keys = self.keys(items, expr)?;
                let want = if self == Function::MaxBy {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
                owned(
                    first_extreme(items, &keys, want)
                        .cloned()
                        .unwrap_or(Value::Null),
                )
            }
            Function::Merge => {
                let mut out = Map::new();
                for i in 0..args.len() {
                    let arg = self.value(&mut vals, i)?;
                    for (k, v) in self.object(&arg, i + 1)? {
                        out.insert(k.clone(), v.clone());
                    }
                }
                owned(Value::Object(out))
            }
            Function::NotNull => {
                for i in 0..args.len() {
                    let arg = self.value(&mut vals, i)?;
                    if !arg.is_null() {
                        return Ok(arg);
                    }
                }
                owned(Value::Null)
            }
            Function::Reverse => {
                let arg = self.value(&mut vals, 0)?;
                owned(match &*arg {
                    Value::String(s) => Value::String(s.chars().rev().collect()),
                    Value::Array(a) => Value::Array(a.iter().rev().cloned().collect()),
                    other => {
                        return Err(self.type_error(1, "a string or an array", type_name(other)));
                    }
                })
            }
            Function::Sort => {
                let arg = self.value(&mut vals, 0)?;
                let mut items = self.comparable(&arg, 1)?.to_vec();
                // Stable; all numbers or all strings, so `order` is always defined.
                items.sort_by(|a, b| order(a, b).unwrap_or(Ordering::Equal));
                owned(Value::Array(items))
            }
            Function::SortBy => {
                let list = self.value(&mut vals, 0)?;
                let expr = self.expref(args, 1)?;
                let items = self.array(&list, 1)?;
                let keys = self.keys(items, expr)?;
                let mut pairs: Vec<(&Value, &Value)> = keys.iter().zip(items).collect();
                pairs.sort_by(|(a, _), (b, _)| order(a, b).unwrap_or(Ordering::Equal));
                owned(Value::Array(
                    pairs.into_iter().map(|(_, v)| v.clone()).collect(),
                ))
            }
            Function::ToArray => {
                let arg = self.value(&mut vals, 0)?;
                if arg.is_array() {
                    Ok(arg)
                } else {
                    owned(Value::Array(vec![arg.into_owned()]))
                }
            }
            Function::ToNumber => {
                let arg = self.value(&mut vals, 0)?;
                match &*arg {
                    Value::Number(_) => Ok(arg),
                    Value::String(s) => owned(parse_number(s)),
                    _ => owned(Value::Null),
                }
            }
            Function::ToString => {
                let arg = self.value(&mut vals, 0)?;
                match &*arg {
                    Value::String(_) => Ok(arg),
                    other => owned(Value::String(other.to_string())),
                }
            }
            Function::Type => {
                let arg = self.value(&mut vals, 0)?;
                owned(Value::String(type_name(&arg).to_owned()))
            }
        }
    }

    /// The keys of `sort_by`, `max_by` and `min_by`: all numbers, or all strings, as the
    /// first element's key decides.
    fn keys(self, items: &[Value], expr: &Node) -> Result<Vec<Value>, String> {
        let keys = items
            .iter()
            .map(|item| Ok(eval(expr, item)?.into_owned()))
            .collect::<Result<Vec<_>, String>>()?;
        sortable_keys(keys.iter()).map_err(|got| {
            self.type_error(
                2,
                "an expression giving only numbers or only strings",
                &format!("{got} keys"),
            )
        })?;
        Ok(keys)
    }
}

/// `Err(type)` naming the first element that breaks "all numbers or all strings".
fn sortable_keys<'v>(mut items: impl Iterator<Item = &'v Value>) -> Result<(), &'static str> {
    let Some(first) = items.next() else {
        return Ok(());
    };
    let kind = type_name(first);
    if !matches!(first, Value::Number(_) | Value::String(_)) {
        return Err(kind);
    }
    match items.find(|v| type_name(v) != kind) {
        Some(other) => Err(type_name(other)),
        None => Ok(()),
    }
}

/// The item whose key is the first strictly beyond every earlier one in direction `want`.
fn first_extreme<'v>(items: &'v [Value], keys: &[Value], want: Ordering) -> Option<&'v Value> {
    let mut best: Option<(&Value, &Value)> = None;
    for (item, key) in items.iter().zip(keys) {
        match best {
            Some((_, k)) if order(key, k) != Some(want) => {}
            _ => best = Some((item, key)),
        }
    }
    best.map(|(item, _)| item)
}

/// `to_number` on a string, as Python's `int()` then `float()`; `null` when neither parses.
fn parse_number(s: &str) -> Value {
    let t = s.trim();
    if let Ok(i) = t.parse::<i128>() {
        return int_number(i);
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() => float_number(f),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::TABLE;

    // S1, E3: the functions the engine evaluates are exactly those the shared checker (and so
    // the derive) accepts, so a name cannot compile in one door and fail in the other.
    #[test]
    fn the_engine_evaluates_exactly_the_checked_functions() {
        let engine: Vec<&str> = TABLE.iter().map(|(name, _)| *name).collect();
        let checked: Vec<&str> = paginated_rules::function_names().collect();
        assert_eq!(engine, checked);
    }
}
