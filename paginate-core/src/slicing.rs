//! What `max_items` and a resume offset do to a page's results: counting the primary key
//! (M1), cutting it (M2), skipping what a token says was already returned and emptying the
//! secondary keys of that page (R6).

use serde_json::Value;

use crate::token::json_type;

/// M1: lists count their elements, strings their characters, objects their keys.
pub(crate) fn count_items(value: Option<&Value>) -> Result<u64, &'static str> {
    let n = match value {
        None | Some(Value::Null) => 0,
        Some(Value::Array(a)) => a.len(),
        Some(Value::String(s)) => s.chars().count(),
        Some(Value::Object(o)) => o.len(),
        Some(other) => return Err(json_type(other)),
    };
    Ok(n as u64)
}

/// M2: keeps the first `keep` items. Objects have no order to cut by.
pub(crate) fn truncate(value: &mut Value, keep: u64) -> Result<(), &'static str> {
    let keep = usize::try_from(keep).unwrap_or(usize::MAX);
    match value {
        Value::Array(a) => a.truncate(keep),
        Value::String(s) => {
            if let Some((at, _)) = s.char_indices().nth(keep) {
                s.truncate(at);
            }
        }
        Value::Null => {}
        other => return Err(json_type(other)),
    }
    Ok(())
}

/// R6: drops the first `offset` items; past the end leaves an empty value.
pub(crate) fn skip_front(value: &mut Value, offset: u64) -> Result<(), &'static str> {
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    match value {
        Value::Array(a) => {
            a.drain(..offset.min(a.len()));
        }
        Value::String(s) => {
            let at = s.char_indices().nth(offset).map_or(s.len(), |(at, _)| at);
            s.drain(..at);
        }
        Value::Null => {}
        _ if offset == 0 => {}
        other => return Err(json_type(other)),
    }
    Ok(())
}

/// R6: a secondary result already returned before the resume.
pub(crate) fn blank(value: &mut Value) {
    match value {
        Value::Array(a) => a.clear(),
        Value::String(s) => s.clear(),
        Value::Number(_) => {}
        other => *other = Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn m1_counts() {
        assert_eq!(count_items(None), Ok(0));
        assert_eq!(count_items(Some(&json!(null))), Ok(0));
        assert_eq!(count_items(Some(&json!([1, 2]))), Ok(2));
        assert_eq!(count_items(Some(&json!("héllo😀"))), Ok(6));
        assert_eq!(count_items(Some(&json!({"a": 1}))), Ok(1));
        assert_eq!(count_items(Some(&json!(5))), Err("number"));
    }

    #[test]
    fn m2_r6_cutting_and_skipping() {
        let mut s = json!("héllo😀!");
        truncate(&mut s, 6).unwrap();
        assert_eq!(s, json!("héllo😀"));
        skip_front(&mut s, 5).unwrap();
        assert_eq!(s, json!("😀"));
        skip_front(&mut s, 10).unwrap();
        assert_eq!(s, json!(""));
        let mut a = json!([1, 2, 3]);
        skip_front(&mut a, 1).unwrap();
        truncate(&mut a, 1).unwrap();
        assert_eq!(a, json!([2]));
        assert_eq!(truncate(&mut json!({"a": 1}), 0), Err("object"));
        assert_eq!(skip_front(&mut json!({"a": 1}), 1), Err("object"));
        assert_eq!(skip_front(&mut json!({"a": 1}), 0), Ok(()));
    }

    #[test]
    fn r6_blanking() {
        for (before, after) in [
            (json!([1]), json!([])),
            (json!("abc"), json!("")),
            (json!(7), json!(7)),
            (json!({"a": 1}), json!(null)),
            (json!(true), json!(null)),
        ] {
            let mut v = before;
            blank(&mut v);
            assert_eq!(v, after);
        }
    }
}
