//! Resume tokens (SEMANTICS §5): botocore's byte format, a token after every page and item,
//! decoding, legacy tokens, refusals, and the first page of a resumed run.

use paginate_tests::{all, dec, enc, model};
use paginated::{Error, Model, TokenError};
use serde_json::{Value, json};

use super::{Drive, page, users};
use crate::matrix::scripted;

#[test]
fn r1_token_bytes_match_botocore() {
    // The two examples of SEMANTICS R1, byte for byte.
    assert_eq!(
        enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#),
        "eyJNYXJrZXIiOiAibTEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="
    );
    let api = scripted([page(&["a", "b"], Some("m2")), page(&["c"], None)]);
    let mut pages = users()
        .drive(&api, json!({}))
        .starting_token(Some("eyJNYXJrZXIiOiAibTEifQ==".into()))
        .max_items(1);
    assert_eq!(all(&mut pages), [page(&["a"], Some("m2"))]);
    assert_eq!(api.calls(), [json!({"Marker": "m1"})]);
    assert_eq!(
        pages.resume_token().as_deref(),
        Some("eyJNYXJrZXIiOiAibTEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==")
    );
    let api = scripted([page(&["a"], Some("m1")), page(&["b"], None)]);
    let mut pages = users().drive(&api, json!({})).max_items(1);
    let _ = all(&mut pages);
    assert_eq!(
        pages.resume_token().as_deref(),
        Some("eyJNYXJrZXIiOiAibTEifQ==")
    );
}

/// A token made from `value`, read back: round trips and botocore's byte format.
fn round_trip(value: Value, python_text: &str) {
    let m = model(
        "Scan",
        json!({"input_token": "Key", "output_token": "Next", "result_key": "Items"}),
    );
    let api = scripted([
        json!({"Items": [1, 2], "Next": value}),
        json!({"Items": [3]}),
    ]);
    let mut pages = m.drive(&api, json!({})).max_items(2);
    let _ = all(&mut pages);
    let token = pages.resume_token().unwrap();
    assert_eq!(dec(&token), python_text);
    assert_eq!(token, enc(python_text));
    let again = scripted([json!({"Items": [3]})]);
    let _ = all(m.drive(&again, json!({})).starting_token(Some(token)));
    assert_eq!(again.calls(), [json!({"Key": value})]);
}

#[test]
fn r1_round_trips_non_ascii_astral_objects_and_integers() {
    // Texts are what CPython's json.dumps writes for the same dicts.
    round_trip(json!("naïve café"), r#"{"Key": "na\u00efve caf\u00e9"}"#);
    round_trip(
        json!("𝄞 and 😀"),
        r#"{"Key": "\ud834\udd1e and \ud83d\ude00"}"#,
    );
    round_trip(
        json!("quote\" back\\ nl\n tab\t del\u{7f}"),
        r#"{"Key": "quote\" back\\ nl\n tab\t del\u007f"}"#,
    );
    round_trip(
        json!({"pk": {"S": "user#1"}, "sk": {"N": "10"}}),
        r#"{"Key": {"pk": {"S": "user#1"}, "sk": {"N": "10"}}}"#,
    );
    // Key order is the service's, as Python's dicts keep it.
    round_trip(json!({"z": 1, "a": 2}), r#"{"Key": {"z": 1, "a": 2}}"#);
    round_trip(json!(1234567890123_u64), r#"{"Key": 1234567890123}"#);
    round_trip(json!(-7), r#"{"Key": -7}"#);
    round_trip(json!(2.5), r#"{"Key": 2.5}"#);
    round_trip(
        json!([1, "two", null, false]),
        r#"{"Key": [1, "two", null, false]}"#,
    );
}

#[test]
fn r2_page_tokens_after_every_page() {
    let api = scripted([
        page(&["a"], Some("m1")),
        page(&["b"], Some("m2")),
        page(&["c"], None),
    ]);
    let mut pages = users().drive(&api, json!({}));
    assert_eq!(pages.resume_token(), Some(enc(r#"{"Marker": null}"#)));
    pages.next();
    assert_eq!(pages.resume_token(), Some(enc(r#"{"Marker": "m1"}"#)));
    pages.next();
    assert_eq!(pages.resume_token(), Some(enc(r#"{"Marker": "m2"}"#)));
    pages.next();
    assert_eq!(pages.resume_token(), None);
    assert!(pages.next().is_none());
}

#[test]
fn r2_item_tokens_after_every_item() {
    let api = scripted([page(&["a", "b"], Some("m1")), page(&["c"], None)]);
    let mut items = users().drive(&api, json!({})).items();
    let mut tokens = vec![items.resume_token()];
    while let Some(item) = items.next() {
        item.unwrap();
        tokens.push(items.resume_token());
    }
    assert_eq!(
        tokens,
        [
            Some(enc(r#"{"Marker": null}"#)),
            Some(enc(r#"{"Marker": null, "boto_truncate_amount": 1}"#)),
            Some(enc(r#"{"Marker": "m1"}"#)),
            None,
        ]
    );
}

#[test]
fn r2_stopping_after_any_item_and_resuming_gives_every_item_once() {
    let pages = || {
        [
            page(&["a", "b", "c"], Some("m1")),
            page(&[], Some("m2")),
            page(&["d", "e"], Some("m3")),
            page(&["f"], None),
        ]
    };
    let every = ["a", "b", "c", "d", "e", "f"].map(|s| json!(s));
    for stop_after in 0..=every.len() {
        let api = scripted(pages());
        let mut items = users().drive(&api, json!({})).items();
        let mut got: Vec<Value> = items
            .by_ref()
            .take(stop_after)
            .map(Result::unwrap)
            .collect();
        let Some(token) = items.resume_token() else {
            assert_eq!(got, every);
            continue;
        };
        // A second run over the same service, resumed from the checkpoint.
        let marker = serde_json::from_str::<Value>(&dec(&token)).unwrap()["Marker"].clone();
        let remaining: Vec<Value> = pages()
            .into_iter()
            .skip_while(|p| marker.is_string() && p.get("NextMarker") != Some(&marker))
            .skip(usize::from(marker.is_string()))
            .collect();
        let api = scripted(remaining);
        got.extend(all(users()
            .drive(&api, json!({}))
            .starting_token(Some(token))
            .items()));
        assert_eq!(got, every, "stopped after {stop_after}");
    }
}

#[test]
fn r3_decoding_offsets_and_encoded_keys() {
    // boto_encoded_keys (bytes from Python) is accepted; the values stay as their base64 text,
    // and a token cut on the first page carries the key list on.
    let token =
        enc(r#"{"Marker": "/w==", "boto_truncate_amount": 1, "boto_encoded_keys": [["Marker"]]}"#);
    let api = scripted([page(&["u3", "u4", "u5"], Some("next"))]);
    let mut pages = users()
        .drive(&api, json!({}))
        .starting_token(Some(token))
        .max_items(1);
    assert_eq!(all(&mut pages), [page(&["u4"], Some("next"))]);
    assert_eq!(api.calls(), [json!({"Marker": "/w=="})]);
    assert_eq!(
        pages.resume_token(),
        Some(enc(
            r#"{"Marker": "/w==", "boto_truncate_amount": 2, "boto_encoded_keys": [["Marker"]]}"#
        ))
    );
}

fn token_error(token: &str) -> TokenError {
    let api = scripted([page(&["a"], None)]);
    let mut pages = users()
        .drive(&api, json!({}))
        .starting_token(Some(token.to_owned()));
    let err = pages.next().unwrap().unwrap_err();
    assert!(
        api.calls().is_empty(),
        "no request may be sent for {token:?}"
    );
    assert!(pages.next().is_none());
    match err {
        Error::InvalidToken {
            operation, reason, ..
        } => {
            assert_eq!(operation, "ListUsers");
            reason
        }
        other => panic!("expected InvalidToken for {token:?}, got {other}"),
    }
}

#[test]
fn r5_malformed_tokens_are_typed_errors() {
    // Cut short when copied: base64 padding lost, or a character mangled.
    assert!(matches!(
        token_error("eyJNYXJrZXIiOiAibTEifQ"),
        TokenError::BadBase64 { .. }
    ));
    assert!(matches!(
        token_error("eyJNYXJr!!ZXIiOiAibTEifQ=="),
        TokenError::BadBase64 { .. }
    ));
    assert!(matches!(
        token_error(&enc(r#"{"Marker": "m1""#)),
        TokenError::NotJson { .. }
    ));
    assert_eq!(
        token_error(&enc(r#"["m1", 1]"#)),
        TokenError::NotAnObject { found: "array" }
    );
    assert_eq!(
        token_error(&enc("42")),
        TokenError::NotAnObject { found: "number" }
    );
    use base64::Engine as _;
    let bad_utf8 = base64::engine::general_purpose::STANDARD.encode(b"{\"Marker\": \"\xff\"}");
    assert_eq!(token_error(&bad_utf8), TokenError::InvalidUtf8 { at: 12 });
    assert_eq!(
        token_error(&enc(r#"{"Marker": "m1", "MaxKeys": 100000}"#)),
        TokenError::UnknownKey {
            key: "MaxKeys".into(),
            allowed: vec!["Marker".into()]
        }
    );
    for (bad, shown) in [
        ("-1", "-1"),
        ("1.5", "1.5"),
        ("\"3\"", "\"3\""),
        ("null", "null"),
        ("4294967296", "4294967296"),
        ("1e3", "1000.0"),
    ] {
        assert_eq!(
            token_error(&enc(&format!(
                r#"{{"Marker": "m1", "boto_truncate_amount": {bad}}}"#
            ))),
            TokenError::BadOffset {
                found: shown.to_owned()
            },
            "offset {bad}"
        );
    }
    assert!(matches!(
        token_error(&enc(r#"{"Marker": "m1", "boto_encoded_keys": "Marker"}"#)),
        TokenError::BadEncodedKeys { .. }
    ));
    let huge = enc(&format!(r#"{{"Marker": "{}"}}"#, "x".repeat(1 << 20)));
    assert!(matches!(
        token_error(&huge),
        TokenError::TooLarge { limit: 65536, .. }
    ));
    assert!(matches!(
        token_error(&"a".repeat(65537)),
        TokenError::TooLarge { len: 65537, .. }
    ));
}

#[test]
fn r5_token_error_messages_name_operation_token_and_reason() {
    let api = scripted([]);
    let token = enc(r#"{"Marker": "m1", "Bucket": "someone-elses"}"#);
    let err = users()
        .drive(&api, json!({}))
        .starting_token(Some(token.clone()))
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            r#"ListUsers: invalid starting token "{token}": the token contains key `Bucket`, which is not an input token of this operation (expected ["Marker"])"#
        )
    );
    let long = enc(&format!(
        r#"{{"Marker": "m1", "boto_truncate_amount": -1, "pad": "{}"}}"#,
        "p".repeat(200)
    ));
    let msg = users()
        .drive(&api, json!({}))
        .starting_token(Some(long.clone()))
        .next()
        .unwrap()
        .unwrap_err()
        .to_string();
    assert!(msg.contains(&format!("{}…", &long[..80])), "{msg}");
}

#[test]
fn r4_legacy_tokens() {
    let one = users();
    let two = model(
        "ListThings",
        json!({"input_token": ["Marker1", "Marker2"], "output_token": ["N1", "N2"], "result_key": ["Users", "Groups"]}),
    );
    let first_call = |m: &Model, token: &str, page: Value| {
        let api = scripted([page]);
        let got = all(m
            .drive(&api, json!({}))
            .starting_token(Some(token.to_owned()))
            .items());
        (api.calls().remove(0), got)
    };
    // Value and offset.
    assert_eq!(
        first_call(&one, "m1___1", page(&["a", "b"], None)),
        (json!({"Marker": "m1"}), vec![json!("b")])
    );
    // Not an integer: the whole string is the first token (logs FilterLogEvents).
    assert_eq!(
        first_call(&one, "foo___bar", page(&["a"], None)).0,
        json!({"Marker": "foo___bar"})
    );
    // A hand-made token such as a route53 record name, or an rds marker.
    assert_eq!(
        first_call(&one, "www.example.com.", page(&["a"], None)).0,
        json!({"Marker": "www.example.com."})
    );
    assert_eq!(
        first_call(&one, "0", page(&["a"], None)).0,
        json!({"Marker": "0"})
    );
    // `None` parts and padding.
    let p2 = json!({"Users": ["u1", "u2"], "Groups": ["g1"]});
    assert_eq!(
        first_call(&two, "None___m2___1", p2.clone()),
        (json!({"Marker2": "m2"}), vec![json!("u2")])
    );
    assert_eq!(
        first_call(&two, "m1", p2.clone()),
        (json!({"Marker1": "m1"}), vec![json!("u1"), json!("u2")])
    );
    // Base64 of something that is not JSON is a raw service token too.
    assert_eq!(
        first_call(&one, "AAECAw==", page(&["a"], None)).0,
        json!({"Marker": "AAECAw=="})
    );
    // More parts than tokens.
    assert_eq!(
        token_error("does___not___work"),
        TokenError::TooManyParts {
            parts: 3,
            tokens: 1
        }
    );
    assert_eq!(
        token_error("m1___-1"),
        TokenError::BadOffset { found: "-1".into() }
    );
}

#[test]
fn r6_resume_with_offset_slices_primary_and_blanks_secondaries() {
    let m = model(
        "Op",
        json!({"input_token": "Marker", "output_token": "NextMarker",
               "result_key": ["Users", "Groups", "Log", "Count", "Meta"]}),
    );
    let api = scripted([
        json!({"Users": ["u1", "u2", "u3"], "Groups": ["g1"], "Log": "abc", "Count": 3, "Meta": {"x": 1}, "NextMarker": "m2"}),
        json!({"Users": ["u4"], "Groups": ["g2"], "Log": "d", "Count": 1, "Meta": {"x": 2}}),
    ]);
    let pages = all(m
        .drive(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 2}"#))));
    assert_eq!(
        pages,
        [
            json!({"Users": ["u3"], "Groups": [], "Log": "", "Count": 3, "Meta": null, "NextMarker": "m2"}),
            json!({"Users": ["u4"], "Groups": ["g2"], "Log": "d", "Count": 1, "Meta": {"x": 2}}),
        ]
    );
}

#[test]
fn r6_offset_past_the_end_gives_an_empty_slice_and_paging_continues() {
    let api = scripted([page(&["a"], Some("m2")), page(&["b"], None)]);
    let got = all(users()
        .drive(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 5}"#)))
        .items());
    assert_eq!(got, [json!("b")]);
}

#[test]
fn r6_a_page_boundary_token_keeps_secondary_keys() {
    // [ours] botocore blanks them on every resume and loses S3 CommonPrefixes (botocore#3119).
    let m = model(
        "ListObjects",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": ["Contents", "CommonPrefixes"]}),
    );
    let api = scripted([json!({"Contents": [1], "CommonPrefixes": ["p/"]})]);
    let got = all(m
        .drive(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": "m1"}"#))));
    assert_eq!(got, [json!({"Contents": [1], "CommonPrefixes": ["p/"]})]);
}

#[test]
fn r7_a_cut_on_the_first_resumed_page_adds_the_starting_offset() {
    let api = scripted([page(&["u3", "u4", "u5", "u6"], Some("m2"))]);
    let mut pages = users()
        .drive(&api, json!({}))
        .starting_token(Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 1}"#)))
        .max_items(2);
    assert_eq!(all(&mut pages), [page(&["u4", "u5"], Some("m2"))]);
    assert_eq!(
        pages.resume_token(),
        Some(enc(r#"{"Marker": "m1", "boto_truncate_amount": 3}"#))
    );
}
