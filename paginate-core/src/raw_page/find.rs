//! One element of a JSON list that was read before, found without reading every element:
//! by index, reading past the elements before it, or the last one, reading back from the end.

use serde::de::{self, Deserializer as _, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// The text of element `index` of the JSON list `list`, read past the elements before it.
pub(super) fn nth_element(list: &str, index: usize) -> Option<&str> {
    struct Nth(usize);
    impl<'de> Visitor<'de> for Nth {
        type Value = Option<&'de RawValue>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            for _ in 0..self.0 {
                seq.next_element::<de::IgnoredAny>()?;
            }
            let found = seq.next_element::<&'de RawValue>()?;
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            Ok(found)
        }
    }
    let mut de = serde_json::Deserializer::from_str(list);
    de.deserialize_seq(Nth(index)).ok()?.map(RawValue::get)
}

/// The text of the last element of the JSON list `list`, found by reading back from its end.
/// `list` was read as JSON before, so going back over it is unambiguous: a `"` closes a string
/// there unless an odd number of backslashes precedes it.
pub(super) fn last_element(list: &str) -> Option<&str> {
    let bytes = list.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut end = bytes.iter().rposition(|&b| b == b']')?;
    while end > 0 && is_space(bytes[end - 1]) {
        end -= 1;
    }
    // `end` is one past the last element's last byte.
    let last = *bytes.get(end.checked_sub(1)?)?;
    let start = match last {
        b'"' => string_start(bytes, end - 1)?,
        b'}' | b']' => {
            let mut depth = 0usize;
            let mut at = end;
            loop {
                at = at.checked_sub(1)?;
                match bytes[at] {
                    b'}' | b']' => depth += 1,
                    b'{' | b'[' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            break at;
                        }
                    }
                    b'"' => at = string_start(bytes, at)?,
                    _ => {}
                }
            }
        }
        // A number, `true`, `false` or `null`: back to the separator before it.
        _ => {
            bytes[..end]
                .iter()
                .rposition(|&b| b == b',' || b == b'[' || is_space(b))?
                + 1
        }
    };
    list.get(start..end)
}

/// The position of the `"` that opens the string whose closing `"` is at `close`.
fn string_start(bytes: &[u8], close: usize) -> Option<usize> {
    let mut at = close;
    loop {
        at = bytes[..at].iter().rposition(|&b| b == b'"')?;
        let backslashes = bytes[..at]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if backslashes % 2 == 0 {
            return Some(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Lists whose last element is hard to find from the end: quotes, backslashes and
    /// brackets inside strings, nested values, bare literals and numbers, whitespace.
    const LISTS: &[&str] = &[
        r#"[1]"#,
        r#"[1, 2.5e3]"#,
        r#"[ "a" , "b\"]" ]"#,
        r#"["x", "ends with a backslash \\"]"#,
        r#"["x", "\\\"quoted\\\"" ]"#,
        r#"[{}, {"a": "}]{[", "b": ["\"", "\\"]}]"#,
        r#"[[1, [2, "]"]], [[], {"k": [{}]}]]"#,
        "[true,\tfalse,\n null\r\n]",
        r#"[-0, "😀", {"Key": "photos/\u00e9.jpg", "ETag": "\"abc\""}]"#,
    ];

    #[test]
    fn the_last_element_is_found_from_the_end() {
        for list in LISTS {
            let expected: Vec<Value> = serde_json::from_str(list).unwrap();
            let found = last_element(list).unwrap_or_else(|| panic!("{list}: nothing found"));
            let found: Value = serde_json::from_str(found)
                .unwrap_or_else(|e| panic!("{list}: {found:?} is not JSON: {e}"));
            assert_eq!(Some(&found), expected.last(), "{list}");
        }
    }

    #[test]
    fn any_element_is_found_by_reading_past_the_ones_before() {
        for list in LISTS {
            let expected: Vec<Value> = serde_json::from_str(list).unwrap();
            for (i, element) in expected.iter().enumerate() {
                let found = nth_element(list, i).map(|t| serde_json::from_str::<Value>(t).unwrap());
                assert_eq!(found.as_ref(), Some(element), "{list} [{i}]");
            }
            assert_eq!(nth_element(list, expected.len()), None, "{list}");
        }
    }
}
