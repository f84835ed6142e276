//! The evaluator: a lowered [`Node`] applied to a page. Results that are part of the page
//! (or of the expression's literals) are borrowed; only projections and constructed values
//! are owned, so the paths of output tokens and result keys never copy the page (S3).

use std::borrow::Cow;

use jmespath::ast::Comparator;
use serde_json::{Map, Value};

use super::Node;
use super::compare::{equal, order, truthy};

static NULL: Value = Value::Null;

/// Evaluates `node` on `data`; `Err` is a runtime error of the specification.
///
/// This function recurses once per level of the expression, so its frame is kept small: each
/// kind of node is evaluated by its own function, and an unoptimized build (where every
/// local of every arm would otherwise share one frame) stays within the stack budget that
/// the nesting bound (`paginated-rules`) was measured against.
pub(super) fn eval<'a>(node: &'a Node, data: &'a Value) -> Result<Cow<'a, Value>, String> {
    match node {
        Node::Identity => Ok(Cow::Borrowed(data)),
        Node::Field(name) => Ok(data
            .as_object()
            .and_then(|m| m.get(name))
            .map_or(Cow::Borrowed(&NULL), Cow::Borrowed)),
        Node::Index(idx) => Ok(index(data, *idx).map_or(Cow::Borrowed(&NULL), Cow::Borrowed)),
        Node::Literal(v) => Ok(Cow::Borrowed(v)),
        Node::Sub(lhs, rhs) => sub(lhs, rhs, data),
        Node::Or(lhs, rhs) => or(lhs, rhs, data),
        Node::And(lhs, rhs) => and(lhs, rhs, data),
        Node::Not(inner) => not(inner, data),
        Node::Compare(cmp, lhs, rhs) => comparison(cmp, lhs, rhs, data),
        Node::Condition(predicate, then) => condition(predicate, then, data),
        Node::Projection(lhs, rhs) => projection(lhs, rhs, data),
        Node::Flatten(inner) => flatten(inner, data),
        Node::ObjectValues(inner) => object_values(inner, data),
        Node::MultiList(elements) => multi_list(elements, data),
        Node::MultiHash(elements) => multi_hash(elements, data),
        Node::Slice(start, stop, step) => slice_node(*start, *stop, *step, data),
        Node::Call(function, args) => function.call(args, data),
        // An expression reference is only meaningful as a function's argument (where the
        // function evaluates it); as a value it has no JSON form.
        Node::Expref(_) => Ok(Cow::Borrowed(&NULL)),
    }
}

type Out<'a> = Result<Cow<'a, Value>, String>;

#[inline(never)]
fn sub<'a>(lhs: &'a Node, rhs: &'a Node, data: &'a Value) -> Out<'a> {
    Ok(match eval(lhs, data)? {
        Cow::Borrowed(v) => eval(rhs, v)?,
        Cow::Owned(v) => Cow::Owned(eval(rhs, &v)?.into_owned()),
    })
}

#[inline(never)]
fn or<'a>(lhs: &'a Node, rhs: &'a Node, data: &'a Value) -> Out<'a> {
    let left = eval(lhs, data)?;
    if truthy(&left) {
        Ok(left)
    } else {
        eval(rhs, data)
    }
}

#[inline(never)]
fn and<'a>(lhs: &'a Node, rhs: &'a Node, data: &'a Value) -> Out<'a> {
    let left = eval(lhs, data)?;
    if truthy(&left) {
        eval(rhs, data)
    } else {
        Ok(left)
    }
}

#[inline(never)]
fn not<'a>(inner: &'a Node, data: &'a Value) -> Out<'a> {
    Ok(Cow::Owned(Value::Bool(!truthy(&*eval(inner, data)?))))
}

#[inline(never)]
fn comparison<'a>(cmp: &Comparator, lhs: &'a Node, rhs: &'a Node, data: &'a Value) -> Out<'a> {
    let (l, r) = (eval(lhs, data)?, eval(rhs, data)?);
    Ok(compare(cmp, &l, &r).map_or(Cow::Borrowed(&NULL), |b| Cow::Owned(Value::Bool(b))))
}

#[inline(never)]
fn condition<'a>(predicate: &'a Node, then: &'a Node, data: &'a Value) -> Out<'a> {
    if truthy(&*eval(predicate, data)?) {
        eval(then, data)
    } else {
        Ok(Cow::Borrowed(&NULL))
    }
}

#[inline(never)]
fn projection<'a>(lhs: &'a Node, rhs: &'a Node, data: &'a Value) -> Out<'a> {
    let left = eval(lhs, data)?;
    let Some(items) = left.as_array() else {
        return Ok(Cow::Borrowed(&NULL));
    };
    let mut out = Vec::new();
    for item in items {
        let v = eval(rhs, item)?;
        if !v.is_null() {
            out.push(v.into_owned());
        }
    }
    Ok(Cow::Owned(Value::Array(out)))
}

#[inline(never)]
fn flatten<'a>(inner: &'a Node, data: &'a Value) -> Out<'a> {
    let value = eval(inner, data)?;
    let Some(items) = value.as_array() else {
        return Ok(Cow::Borrowed(&NULL));
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::Array(nested) => out.extend(nested.iter().cloned()),
            other => out.push(other.clone()),
        }
    }
    Ok(Cow::Owned(Value::Array(out)))
}

#[inline(never)]
fn object_values<'a>(inner: &'a Node, data: &'a Value) -> Out<'a> {
    Ok(match &*eval(inner, data)? {
        Value::Object(m) => Cow::Owned(Value::Array(m.values().cloned().collect())),
        _ => Cow::Borrowed(&NULL),
    })
}

#[inline(never)]
fn multi_list<'a>(elements: &'a [Node], data: &'a Value) -> Out<'a> {
    if data.is_null() {
        return Ok(Cow::Borrowed(&NULL));
    }
    let items = elements
        .iter()
        .map(|e| Ok(eval(e, data)?.into_owned()))
        .collect::<Result<_, String>>()?;
    Ok(Cow::Owned(Value::Array(items)))
}

#[inline(never)]
fn multi_hash<'a>(elements: &'a [(String, Node)], data: &'a Value) -> Out<'a> {
    if data.is_null() {
        return Ok(Cow::Borrowed(&NULL));
    }
    let mut map = Map::new();
    for (key, e) in elements {
        map.insert(key.clone(), eval(e, data)?.into_owned());
    }
    Ok(Cow::Owned(Value::Object(map)))
}

fn slice_node(start: Option<i32>, stop: Option<i32>, step: i32, data: &Value) -> Out<'_> {
    if step == 0 {
        return Err("invalid-value: a slice step cannot be 0".to_owned());
    }
    Ok(match data.as_array() {
        Some(items) => Cow::Owned(Value::Array(slice(items, start, stop, step))),
        None => Cow::Borrowed(&NULL),
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
/// magnitude (checked when compiled) and positions stay within the array, so nothing overflows.
fn slice(items: &[Value], start: Option<i32>, stop: Option<i32>, step: i32) -> Vec<Value> {
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let step = i64::from(step);
    let clamp = |end: i32| {
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
            len - 1
        } else {
            len
        }
    };
    let from = match start {
        Some(s) => clamp(s),
        None if step < 0 => len - 1,
        None => 0,
    };
    let to = match stop {
        Some(s) => clamp(s),
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

/// E1, E2: equality of any two values, exact; ordering of two numbers or two strings,
/// otherwise `null`.
fn compare(cmp: &Comparator, l: &Value, r: &Value) -> Option<bool> {
    use std::cmp::Ordering::{Greater, Less};
    Some(match cmp {
        Comparator::Equal => equal(l, r),
        Comparator::NotEqual => !equal(l, r),
        Comparator::LessThan => order(l, r)? == Less,
        Comparator::LessThanEqual => order(l, r)? != Greater,
        Comparator::GreaterThan => order(l, r)? == Greater,
        Comparator::GreaterThanEqual => order(l, r)? != Less,
    })
}
