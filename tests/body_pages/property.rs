//! G8 as a property: random scripts of page texts, written by hand so that they hold what a
//! `Value` cannot show (top-level keys written twice, escaped keys and strings, whitespace anywhere,
//! numbers as the server spelled them), of random shapes (result keys of the wrong type,
//! `null`s, empty arrays, tokens of every JSON type, pages that are not objects, transport
//! failures), with a random model, `max_items`, starting token and duplicate-token policy. Each
//! script is run once as `Value` pages (parsed from the same text) and once as bodies, through
//! every view and every driver (`both`): the pages, items, search results, full results, typed
//! values, errors, requests and the resume token after every step must be the same.
//!
//! `PROPTEST_CASES=2000 cargo test -p paginate-tests --test body_pages` runs more scripts.

use paginate_tests::{enc, model};
use paginated::{DuplicateTokenPolicy, Model};
use proptest::prelude::*;
use serde_json::json;

use crate::{Answer, Opts, View, both};

/// A JSON document as a server might write it: objects keep every key written, duplicates
/// included, and numbers keep their spelling.
#[derive(Debug, Clone)]
enum J {
    Null,
    Bool(bool),
    Num(&'static str),
    Str(&'static str),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "7",
    "2.0",
    "0.1",
    "1e2",
    "1E-7",
    "-2.5e300",
    "18446744073709551615",
    "-9223372036854775808",
    "123456789012345678901",
];
const STRINGS: &[&str] = &[
    "",
    "a",
    "b",
    "m1",
    "m2",
    "m3",
    "é",
    "😀",
    "\"q\"",
    "back\\slash",
    "line\nbreak",
    "\u{0}",
    "Contents",
];

fn leaf() -> impl Strategy<Value = J> {
    prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        prop::sample::select(NUMBERS).prop_map(J::Num),
        prop::sample::select(STRINGS).prop_map(J::Str),
    ]
}

fn any_json() -> impl Strategy<Value = J> {
    leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(J::Arr),
            prop::collection::vec(
                (prop::sample::select(&["Key", "Size", "k"][..]), inner),
                0..4
            )
            .prop_map(|entries| J::Obj(once_each(entries))),
        ]
    })
}

/// Of keys written twice, only the last. Below the top level of a page a key is written once:
/// there a value may be deserialized into the caller's type straight from the text, and serde
/// refuses a duplicate field where a `Value` keeps the last (G8; `shapes.rs` has that case).
fn once_each(entries: Vec<(&'static str, J)>) -> Vec<(&'static str, J)> {
    let mut kept: Vec<(&'static str, J)> = Vec::new();
    for (key, value) in entries {
        kept.retain(|(k, _)| *k != key);
        kept.push((key, value));
    }
    kept
}

/// An item of a result key: mostly S3-style objects, sometimes anything.
fn item() -> impl Strategy<Value = J> {
    prop_oneof![
        4 => (prop::sample::select(STRINGS), prop::sample::select(NUMBERS)).prop_map(|(k, n)| {
            J::Obj(vec![("Key", J::Str(k)), ("Size", J::Num(n))])
        }),
        2 => any_json(),
    ]
}

/// A value for a top-level key, shaped after what the key usually holds.
fn value_of(key: &'static str) -> BoxedStrategy<J> {
    match key {
        "Contents" | "CommonPrefixes" => prop_oneof![
            6 => prop::collection::vec(item(), 0..5).prop_map(J::Arr),
            1 => any_json(),
        ]
        .boxed(),
        "NextMarker" => prop_oneof![
            4 => prop::sample::select(&["m1", "m2", "m3", ""][..]).prop_map(J::Str),
            1 => any_json(),
        ]
        .boxed(),
        "IsTruncated" => prop_oneof![3 => any::<bool>().prop_map(J::Bool), 1 => leaf()].boxed(),
        _ => any_json().boxed(),
    }
}

const KEYS: &[&str] = &[
    "Contents",
    "CommonPrefixes",
    "NextMarker",
    "IsTruncated",
    "Name",
    "Other",
];

fn answer() -> impl Strategy<Value = (Answer, u64)> {
    let entry = prop::sample::select(KEYS).prop_flat_map(|k| value_of(k).prop_map(move |v| (k, v)));
    let page = prop::collection::vec(entry, 0..7).prop_map(J::Obj);
    let text = (prop_oneof![12 => page, 1 => any_json()], any::<u64>())
        .prop_map(|(page, seed)| (Answer::Text(write(&page, seed)), seed));
    prop_oneof![20 => text, 1 => Just((Answer::Fail("injected"), 0))]
}

/// Writes `j` as JSON text, with whitespace and `\u` escapes where `seed` says.
fn write(j: &J, seed: u64) -> String {
    let mut out = String::new();
    let mut rng = seed | 1;
    write_into(j, &mut rng, &mut out);
    out
}

fn roll(rng: &mut u64, one_in: u64) -> bool {
    // xorshift64
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    (*rng).is_multiple_of(one_in)
}

fn space(rng: &mut u64, out: &mut String) {
    if roll(rng, 3) {
        out.push_str([" ", "\n", "\t", "\r\n ", "  "][(*rng % 5) as usize]);
    }
}

fn string_into(s: &str, rng: &mut u64, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if roll(rng, 4) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_into(j: &J, rng: &mut u64, out: &mut String) {
    space(rng, out);
    match j {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(n) => out.push_str(n),
        J::Str(s) => string_into(s, rng, out),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_into(item, rng, out);
            }
            space(rng, out);
            out.push(']');
        }
        J::Obj(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                space(rng, out);
                string_into(key, rng, out);
                space(rng, out);
                out.push(':');
                write_into(value, rng, out);
            }
            space(rng, out);
            out.push('}');
        }
    }
    space(rng, out);
}

/// The models a script runs under.
fn models() -> [Model; 3] {
    [
        model(
            "ListObjects",
            json!({"input_token": "Marker", "output_token": "NextMarker || Contents[-1].Key",
                   "more_results": "IsTruncated", "result_key": ["Contents", "CommonPrefixes"],
                   "non_aggregate_keys": ["Name", "Other.Key"]}),
        ),
        model(
            "ListObjects",
            json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": "Contents"}),
        ),
        model(
            "ListObjects",
            json!({"input_token": ["Marker", "Extra"], "output_token": ["NextMarker", "Other.k"],
                   "result_key": ["Contents", "Name"]}),
        ),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    answers: Vec<Answer>,
    model: usize,
    max_items: Option<u64>,
    token: Option<String>,
    policy: Option<DuplicateTokenPolicy>,
}

fn case() -> impl Strategy<Value = Case> {
    let token = prop_oneof![
        3 => Just(None),
        1 => Just(Some(enc(r#"{"Marker": "m1"}"#))),
        1 => (0u64..5).prop_map(|n| Some(enc(&format!(
            r#"{{"Marker": "m1", "boto_truncate_amount": {n}}}"#
        )))),
        1 => Just(Some("m2___1".to_owned())),
        1 => Just(Some("raw".to_owned())),
    ];
    let policy = prop_oneof![
        Just(None),
        Just(Some(DuplicateTokenPolicy::Stop)),
        Just(Some(DuplicateTokenPolicy::Allow)),
    ];
    (
        prop::collection::vec(answer(), 1..5),
        0..models().len(),
        prop::option::of(0u64..6),
        token,
        policy,
    )
        .prop_map(|(answers, model, max_items, token, policy)| Case {
            answers: answers.into_iter().map(|(a, _)| a).collect(),
            model,
            max_items,
            token,
            policy,
        })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: paginate_tests::proptest_cases(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn g8_body_pages_and_value_pages_give_the_same_run(case in case()) {
        let model = &models()[case.model];
        let opts = Opts {
            max_items: case.max_items,
            token: case.token.clone(),
            policy: case.policy,
        };
        let search = ["Contents[].Key", "[Name, NextMarker]", "Contents"][case.model];
        let secondary = ["CommonPrefixes", "Contents", "Name"][case.model];
        for view in View::all(secondary, search) {
            both(model, &case.answers, &opts, view);
        }
    }
}
