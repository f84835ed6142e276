//! Equality, ordering and truthiness of JSON values, as Python `jmespath` (botocore's)
//! compares them (SEMANTICS E1, E2), and the vocabulary's "absent".
//!
//! Numbers are compared exactly: integers as integers (beyond 2^53 too), an integer against a
//! float without rounding either, so `1 == 1.0` and `1 != 1.0000000000000002`. There is no
//! tolerance anywhere. Strings are ordered by code point, which for UTF-8 is byte order.

use std::cmp::Ordering;

use serde_json::{Number, Value};

/// JMESPath's truthiness: `false`, `null`, `""`, `[]` and `{}` are false; every number is true.
pub(super) fn truthy(v: &Value) -> bool {
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
        Some(other) => !truthy(other),
    }
}

/// E2: `==` as Python compares the values: numbers exactly (an integer equals a float of the
/// same value), objects as maps (key order does not matter), a boolean never equals a number.
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => numbers(x, y) == Ordering::Equal,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => false,
    }
}

/// E1: the order of two numbers or of two strings; `None` for any other pair (`<` and the
/// other ordering comparators then give `null`, the specification's answer).
pub(super) fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Some(numbers(x, y)),
        // Code-point order: UTF-8 byte order is code-point order.
        (Value::String(x), Value::String(y)) => Some(x.as_str().cmp(y.as_str())),
        _ => None,
    }
}

/// An integer of any JSON range, or a float.
enum Num {
    Int(i128),
    Float(f64),
}

fn num(n: &Number) -> Num {
    if let Some(i) = n.as_i64() {
        Num::Int(i128::from(i))
    } else if let Some(u) = n.as_u64() {
        Num::Int(i128::from(u))
    } else {
        // serde_json numbers are finite, so a float is never NaN.
        Num::Float(n.as_f64().unwrap_or(0.0))
    }
}

/// The exact order of two JSON numbers.
pub(super) fn numbers(a: &Number, b: &Number) -> Ordering {
    match (num(a), num(b)) {
        (Num::Int(x), Num::Int(y)) => x.cmp(&y),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        (Num::Int(x), Num::Float(y)) => int_float(x, y),
        (Num::Float(x), Num::Int(y)) => int_float(y, x).reverse(),
    }
}

/// Compares an integer with a finite float without rounding either.
fn int_float(i: i128, f: f64) -> Ordering {
    // 2^64: every JSON integer (an i64 or a u64) lies strictly between -2^64 and 2^64.
    const LIMIT: f64 = 18_446_744_073_709_551_616.0;
    if f >= LIMIT {
        return Ordering::Less;
    }
    if f <= -LIMIT {
        return Ordering::Greater;
    }
    let whole = f.trunc();
    // |whole| < 2^64, and an integral float in that range converts to i128 exactly.
    #[allow(clippy::cast_possible_truncation)]
    let whole_int = whole as i128;
    match i.cmp(&whole_int) {
        Ordering::Equal => 0.0_f64.partial_cmp(&(f - whole)).unwrap_or(Ordering::Equal),
        unequal => unequal,
    }
}

/// A JSON number from an exact integer: an integer when it fits in i64 or u64, else a float.
pub(super) fn int_number(i: i128) -> Value {
    if let Ok(v) = i64::try_from(i) {
        Value::from(v)
    } else if let Ok(v) = u64::try_from(i) {
        Value::from(v)
    } else {
        #[allow(clippy::cast_precision_loss)]
        float_number(i as f64)
    }
}

/// A JSON number from a float; `null` for the non-finite values JSON cannot hold.
pub(super) fn float_number(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// The value of a number held as an integer (`None` for a float, even `2.0`).
pub(super) fn as_int(n: &Number) -> Option<i128> {
    match num(n) {
        Num::Int(i) => Some(i),
        Num::Float(_) => None,
    }
}
