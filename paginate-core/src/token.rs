//! Resume tokens (SEMANTICS §5): botocore's format, byte for byte, in both directions.
//!
//! A token is standard base64 of the JSON that Python's `json.dumps` writes for a dict of the
//! input tokens (model order) and, when a page was cut, `boto_truncate_amount`. Decoding also
//! accepts botocore's legacy `___` format (R4) and refuses anything that could smuggle request
//! parameters or blow up the engine (R5).

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::error::{TokenError, preview};

/// The largest token accepted, in bytes (R5).
pub(crate) const MAX_TOKEN_LEN: usize = 64 * 1024;

/// The largest `boto_truncate_amount` accepted: an offset into one page's primary result,
/// so anything past `u32::MAX` is tampering, not data.
pub(crate) const MAX_OFFSET: u64 = u32::MAX as u64;

const TRUNCATE_KEY: &str = "boto_truncate_amount";
const ENCODED_KEYS: &str = "boto_encoded_keys";
const LEGACY_SEPARATOR: &str = "___";

/// Where a run stands: one value per input token (model order; `None` = no value) and, for the
/// page those values fetch, how many primary items of it were already returned.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Position {
    pub(crate) values: Vec<Option<Value>>,
    pub(crate) offset: Option<u64>,
    /// `boto_encoded_keys` of a starting token, carried over while its values are in use (R3).
    pub(crate) encoded_keys: Option<Value>,
}

impl Position {
    pub(crate) fn empty(tokens: usize) -> Position {
        Position {
            values: vec![None; tokens],
            offset: None,
            encoded_keys: None,
        }
    }

    /// R1: base64 of Python-style JSON, input tokens in model order, then the offset.
    pub(crate) fn encode(&self, input_tokens: &[String]) -> String {
        let mut json = String::from("{");
        for (i, (name, value)) in input_tokens.iter().zip(&self.values).enumerate() {
            if i > 0 {
                json.push_str(", ");
            }
            write_py_string(&mut json, name);
            json.push_str(": ");
            write_py_json(&mut json, value.as_ref().unwrap_or(&Value::Null));
        }
        if let Some(offset) = self.offset {
            json.push_str(if input_tokens.is_empty() { "" } else { ", " });
            write_py_string(&mut json, TRUNCATE_KEY);
            let _ = write!(json, ": {offset}");
        }
        if let Some(keys) = &self.encoded_keys {
            json.push_str(", ");
            write_py_string(&mut json, ENCODED_KEYS);
            json.push_str(": ");
            write_py_json(&mut json, keys);
        }
        json.push('}');
        STANDARD.encode(json)
    }

    /// R3–R5: reads a starting token for a model whose input tokens are `input_tokens`.
    pub(crate) fn decode(token: &str, input_tokens: &[String]) -> Result<Position, TokenError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(TokenError::TooLarge {
                len: token.len(),
                limit: MAX_TOKEN_LEN,
            });
        }
        let token = token.trim_ascii();
        match STANDARD.decode(token) {
            Ok(bytes) => {
                let text = bytes.trim_ascii_start();
                if text.first() == Some(&b'{') {
                    return decode_object(&bytes, input_tokens);
                }
                if let Ok(other) = serde_json::from_slice::<Value>(&bytes) {
                    return Err(TokenError::NotAnObject {
                        found: json_type(&other),
                    });
                }
                // Base64 of something that is not JSON: a raw service token (R4).
                decode_legacy(token, input_tokens)
            }
            // Every encoded token starts with the base64 of `{"` or `{}`: this one was damaged.
            Err(e) if token.starts_with("eyJ") || token.starts_with("e30") => {
                Err(TokenError::BadBase64 {
                    reason: e.to_string(),
                })
            }
            Err(_) => decode_legacy(token, input_tokens),
        }
    }
}

fn decode_object(bytes: &[u8], input_tokens: &[String]) -> Result<Position, TokenError> {
    let text = std::str::from_utf8(bytes).map_err(|e| TokenError::InvalidUtf8 {
        at: e.valid_up_to(),
    })?;
    let parsed: Value = serde_json::from_str(text).map_err(|e| TokenError::NotJson {
        reason: e.to_string(),
    })?;
    let Value::Object(map) = parsed else {
        return Err(TokenError::NotAnObject {
            found: json_type(&parsed),
        });
    };
    position_from_map(map, input_tokens)
}

fn position_from_map(
    mut map: Map<String, Value>,
    input_tokens: &[String],
) -> Result<Position, TokenError> {
    // R5: only the model's own names may come in; anything else would become a request parameter.
    if let Some(key) = map
        .keys()
        .find(|k| *k != TRUNCATE_KEY && *k != ENCODED_KEYS && !input_tokens.contains(k))
    {
        return Err(TokenError::UnknownKey {
            key: key.clone(),
            allowed: input_tokens.to_vec(),
        });
    }
    let offset =
        match map.get(TRUNCATE_KEY) {
            None => None,
            Some(v) => Some(v.as_u64().filter(|n| *n <= MAX_OFFSET).ok_or_else(|| {
                TokenError::BadOffset {
                    found: v.to_string(),
                }
            })?),
        };
    let encoded_keys = match map.get(ENCODED_KEYS) {
        None => None,
        Some(v) if is_key_path_list(v) => Some(v.clone()),
        Some(v) => {
            return Err(TokenError::BadEncodedKeys {
                found: v.to_string(),
            });
        }
    };
    let values = input_tokens
        .iter()
        .map(|name| map.remove(name).filter(|v| !v.is_null()))
        .collect();
    Ok(Position {
        values,
        offset,
        encoded_keys,
    })
}

/// `boto_encoded_keys` is a list of key paths (strings and list indices).
fn is_key_path_list(v: &Value) -> bool {
    v.as_array().is_some_and(|paths| {
        paths.iter().all(|p| {
            p.as_array()
                .is_some_and(|p| p.iter().all(|k| k.is_string() || k.is_u64()))
        })
    })
}

/// R4: botocore's old format, values joined by `___`, with an optional trailing offset.
fn decode_legacy(token: &str, input_tokens: &[String]) -> Result<Position, TokenError> {
    let mut parts: Vec<&str> = token.split(LEGACY_SEPARATOR).collect();
    let mut offset = None;
    if parts.len() == input_tokens.len() + 1
        && let Some(last) = parts.last()
    {
        if let Some(n) = parse_legacy_offset(last)? {
            offset = Some(n);
            parts.pop();
        } else {
            // Not an offset: the whole string is one opaque service token.
            parts = vec![token];
        }
    }
    if parts.len() > input_tokens.len() {
        return Err(TokenError::TooManyParts {
            parts: parts.len(),
            tokens: input_tokens.len(),
        });
    }
    let mut values: Vec<Option<Value>> = parts
        .into_iter()
        .map(|p| (p != "None").then(|| Value::String(p.to_owned())))
        .collect();
    values.resize(input_tokens.len(), None);
    Ok(Position {
        values,
        offset,
        encoded_keys: None,
    })
}

/// `Ok(None)` when the part is not an integer at all; an error when it is one we refuse.
fn parse_legacy_offset(part: &str) -> Result<Option<u64>, TokenError> {
    let digits = part.strip_prefix('-').unwrap_or(part);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    match part.parse::<u64>() {
        Ok(n) if n <= MAX_OFFSET => Ok(Some(n)),
        _ => Err(TokenError::BadOffset {
            found: part.to_owned(),
        }),
    }
}

pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Writes JSON as Python's `json.dumps` does with its defaults: `", "` and `": "` separators,
/// everything outside printable ASCII escaped as `\uXXXX` (lowercase hex, surrogate pairs),
/// floats as Python's `repr`.
pub(crate) fn write_py_json(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => {
                let _ = write!(out, "{i}");
            }
            (_, Some(u), _) => {
                let _ = write!(out, "{u}");
            }
            (_, _, Some(f)) => write_py_float(out, f),
            _ => out.push_str("null"),
        },
        Value::String(s) => write_py_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_py_json(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_py_string(out, k);
                out.push_str(": ");
                write_py_json(out, item);
            }
            out.push('}');
        }
    }
}

fn write_py_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// Python's `repr(float)`: the shortest digits that round-trip, positional for decimal
/// exponents in `-4..16`, otherwise scientific with a signed two-digit-minimum exponent.
fn write_py_float(out: &mut String, f: f64) {
    if !f.is_finite() {
        out.push_str(if f.is_nan() {
            "NaN"
        } else if f > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        });
        return;
    }
    // Rust's `{:e}` gives the same shortest round-trip digits: "1.2345e17", "-5e-5".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    out.push_str(sign);
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        if point <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
            out.push_str(&digits);
        } else {
            let point = point as usize;
            if digits.len() <= point {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', point - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..point]);
                out.push('.');
                out.push_str(&digits[point..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
}

/// The token as JSON for error messages, e.g. `{"Marker": "m2"}`.
pub(crate) fn token_json(names: &[String], values: &[Option<Value>]) -> String {
    let mut map = Map::new();
    for (name, value) in names.iter().zip(values) {
        map.insert(name.clone(), value.clone().unwrap_or(Value::Null));
    }
    preview(&Value::Object(map).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn py(v: Value) -> String {
        let mut s = String::new();
        write_py_json(&mut s, &v);
        s
    }

    // Expected strings are what CPython 3.11's `json.dumps` / `repr` print for the same values.
    #[test]
    fn r1_python_json_dumps() {
        assert_eq!(
            py(json!({"a": [1, "b", null, true]})),
            r#"{"a": [1, "b", null, true]}"#
        );
        assert_eq!(py(json!("é")), r#""\u00e9""#);
        assert_eq!(py(json!("😀")), r#""\ud83d\ude00""#);
        assert_eq!(
            py(json!("\u{7f}\u{1}\"\\\n\t")),
            r#""\u007f\u0001\"\\\n\t""#
        );
        assert_eq!(py(json!(-3)), "-3");
        assert_eq!(py(json!(u64::MAX)), "18446744073709551615");
    }

    #[test]
    fn r1_python_float_repr() {
        let cases = [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (-0.25, "-0.25"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (1.5e-7, "1.5e-07"),
            (1e100, "1e+100"),
            (0.1, "0.1"),
            (-0.0, "-0.0"),
        ];
        for (f, want) in cases {
            let mut s = String::new();
            write_py_float(&mut s, f);
            assert_eq!(s, want, "repr({f})");
        }
    }
}
