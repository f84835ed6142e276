//! botocore's TestDeprecatedStartingToken (#68–#72), TestStringPageSize (#73–#74) and the
//! functional tests (#75–#79): legacy tokens, string page sizes, and real services' models.

use std::sync::{Arc, Mutex};

use paginate_tests::{FakeError, all, dec, enc, model};
use paginated::model::{LimitType, Registry};
use paginated::{PageRequest, Reply, TokenError, blocking};
use serde_json::{Value, json};

use super::{Drive, multi_input, multi_pages, token_error, upage, users};
use crate::matrix::scripted;

// ---------------------------------------------------------------- TestDeprecatedStartingToken (#68–#72)

#[test]
fn s68_legacy_token_with_a_zero_offset() {
    // #68, R4.
    let api = scripted([
        upage(&["User1"], Some("m2")),
        upage(&["User2"], Some("m3")),
        upage(&["User3"], None),
    ]);
    assert_eq!(
        users()
            .drive(&api, json!({}))
            .starting_token(Some("m1___0".into()))
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2", "User3"]})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"Marker": "m1"}),
            json!({"Marker": "m2"}),
            json!({"Marker": "m3"})
        ]
    );
}

#[test]
fn s69_legacy_token_with_several_values_and_an_offset() {
    // #69, R4, R6: the offset slices User1 off and, being an offset, empties Group1.
    let api = scripted(multi_pages());
    assert_eq!(
        multi_input()
            .drive(&api, json!({}))
            .starting_token(Some("m0___m0___1".into()))
            .build_full_result()
            .unwrap(),
        json!({"Groups": ["Group2", "Group3"], "Users": ["User2", "User3", "User4", "User5"]})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"InMarker1": "m0", "InMarker2": "m0"}),
            json!({"InMarker1": "m1", "InMarker2": "m2"}),
            json!({"InMarker1": "m3", "InMarker2": "m4"})
        ]
    );
}

#[test]
fn s70_legacy_token_in_new_style_token_out() {
    // #70, R4, M3, R1.
    let api = scripted([
        upage(&["User1"], Some("m2")),
        upage(&["User2"], Some("m3")),
        upage(&["User3"], Some("m4")),
    ]);
    assert_eq!(
        users()
            .drive(&api, json!({}))
            .starting_token(Some("m1___0".into()))
            .max_items(3)
            .build_full_result()
            .unwrap(),
        json!({"Users": ["User1", "User2", "User3"], "NextToken": enc(r#"{"Marker": "m4"}"#)})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"Marker": "m1"}),
            json!({"Marker": "m2"}),
            json!({"Marker": "m3"})
        ]
    );
}

#[test]
fn s71_legacy_token_padded_without_offset_keeps_secondary_keys() {
    // #71, R4 (fewer parts are padded with no value), R6 [ours]: the token carries no
    // offset, so the first page's `Groups` were never returned before and are kept.
    // botocore empties them on every resume and gives `Groups: [Group2, Group3]`.
    let api = scripted(multi_pages());
    assert_eq!(
        multi_input()
            .drive(&api, json!({}))
            .starting_token(Some("m0".into()))
            .build_full_result()
            .unwrap(),
        json!({"Groups": ["Group1", "Group2", "Group3"],
               "Users": ["User1", "User2", "User3", "User4", "User5"]})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"InMarker1": "m0"}),
            json!({"InMarker1": "m1", "InMarker2": "m2"}),
            json!({"InMarker1": "m3", "InMarker2": "m4"})
        ]
    );
}

#[test]
fn s72_legacy_token_with_too_many_values_is_refused() {
    // #72, R4: botocore raises ValueError; here a typed error before any request.
    assert_eq!(
        token_error(&users(), "m1___m4___0"),
        TokenError::TooManyParts {
            parts: 3,
            tokens: 1
        }
    );
}

// ---------------------------------------------------------------- TestStringPageSize (#73–#74)

fn list_stuff_paginator() -> Value {
    json!({"pagination": {"ListStuff": {
        "input_token": "NextToken", "output_token": "NextToken",
        "limit_key": "MaxItems", "result_key": "Stuff"
    }}})
}

#[test]
fn s73_page_size_is_a_string_for_a_string_typed_limit() {
    // #73, O2: the limit's type comes from the service model, as upstream's real ServiceModel.
    let mut registry = Registry::from_value(&list_stuff_paginator()).unwrap();
    let service = json!({
        "metadata": {"protocol": "query", "endpointPrefix": "prefix"},
        "operations": {"ListStuff": {
            "name": "ListStuff",
            "http": {"method": "GET", "requestUri": "/things"},
            "input": {"shape": "ListStuffInputShape"},
            "output": {"shape": "ListStuffOutputShape"}
        }},
        "shapes": {
            "String": {"type": "string"},
            "ListOfStuff": {"type": "list", "member": {"shape": "String"}},
            "ListStuffInputShape": {"type": "structure", "members": {
                "NextToken": {"shape": "String"}, "MaxItems": {"shape": "String"}
            }},
            "ListStuffOutputShape": {"type": "structure", "members": {
                "NextToken": {"shape": "String"}, "Stuff": {"shape": "ListOfStuff"}
            }}
        }
    });
    assert_eq!(registry.apply_service_model(&service), 1);
    let m = registry.get("ListStuff").unwrap();
    assert_eq!(m.limit_type(), LimitType::String);
    let api = scripted([json!({})]);
    assert_eq!(all(m.drive(&api, json!({})).page_size(1)), [json!({})]);
    assert_eq!(api.calls(), [json!({"MaxItems": "1"})]);
}

#[test]
fn s74_page_size_given_as_a_string() {
    // #74, O2: upstream passes PageSize '1'; `page_size` is a u64 here, so the string form
    // cannot be given and the request is the same as #73's.
    let registry = Registry::from_value(&list_stuff_paginator()).unwrap();
    let m = registry
        .get("ListStuff")
        .unwrap()
        .with_limit_type(LimitType::String);
    let api = scripted([json!({})]);
    assert_eq!(all(m.drive(&api, json!({})).page_size(1)), [json!({})]);
    assert_eq!(api.calls(), [json!({"MaxItems": "1"})]);
}

// ---------------------------------------------------------------- functional tests (#75–#79)

#[test]
fn s75_rds_log_portion_from_a_zero_marker() {
    // #75, R4 (the hand-made token "0" is the whole value of the first token), M1 (a string
    // counts its characters), M3, G4. Model as in botocore's rds paginators-1.json.
    let m = model(
        "DownloadDBLogFilePortion",
        json!({"input_token": "Marker", "limit_key": "NumberOfLines", "more_results": "AdditionalDataPending",
               "output_token": "Marker", "result_key": "LogFileData"}),
    );
    let api =
        scripted([json!({"LogFileData": "foo", "Marker": "2", "AdditionalDataPending": true})]);
    let full = m
        .drive(
            &api,
            json!({"DBInstanceIdentifier": "foo", "LogFileName": "bar", "NumberOfLines": 2}),
        )
        .starting_token(Some("0".into()))
        .max_items(3)
        .build_full_result()
        .unwrap();
    assert_eq!(
        full,
        json!({"LogFileData": "foo", "NextToken": enc(r#"{"Marker": "2"}"#)})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"DBInstanceIdentifier": "foo", "LogFileName": "bar", "NumberOfLines": 2, "Marker": "0"})
        ]
    );
}

/// #76: autoscaling DescribeScalingActivities over 600 activities, 200 a page. Each request
/// gets the page its `NextToken` names (always with the page's own `NextToken`, as the
/// service sends it), and every request is recorded.
#[derive(Debug, Default)]
struct ScalingActivities {
    requests: Mutex<Vec<Value>>,
}

fn activity(n: usize) -> Value {
    json!({"AutoScalingGroupName": "test", "ActivityId": format!("activity-{n:03}"),
           "Cause": "test", "StatusCode": "200"})
}

impl blocking::Transport for ScalingActivities {
    type Error = FakeError;

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, FakeError> {
        let (operation, params) = (request.operation(), request.params());
        self.requests
            .lock()
            .unwrap()
            .push(Value::Object(params.clone()));
        if operation != "DescribeScalingActivities" {
            return Err(FakeError(format!("unknown operation {operation}")));
        }
        let page = match params.get("NextToken").and_then(Value::as_str) {
            None => 0,
            Some("token-1") => 1,
            Some("token-2") => 2,
            Some(other) => return Err(FakeError(format!("unknown NextToken {other}"))),
        };
        let mut response =
            json!({"Activities": (page * 200..page * 200 + 200).map(activity).collect::<Vec<_>>()});
        if page < 2 {
            response["NextToken"] = json!(format!("token-{}", page + 1));
        }
        Ok(response.into())
    }
}

paginate_tests::answers_at_once!(ScalingActivities);

#[test]
fn s76_repeated_full_results_with_max_items_give_every_item_once() {
    // #76, M2, M3, R6, R7, L5, L6 (a starting token is not compared), G4. Tokens alternate
    // between a cut inside a page and the page boundary after it. Upstream stubs each page
    // twice, the first copy without NextToken; here the service answers every request with
    // its real page, and the next token is read from the page as received (L5).
    let m = model(
        "DescribeScalingActivities",
        json!({"input_token": "NextToken", "output_token": "NextToken",
               "limit_key": "MaxRecords", "result_key": "Activities"}),
    );
    let api = Arc::new(ScalingActivities::default());
    let run = |start: Option<&str>| {
        let mut pages = m.drive(&api, json!({})).page_size(200).max_items(100);
        if let Some(token) = start {
            pages = pages.starting_token(Some(token.to_owned()));
        }
        // A duplicate-token error would surface here.
        pages.build_full_result().unwrap()
    };
    let mut activities: Vec<Value> = Vec::new();
    let mut tokens: Vec<String> = Vec::new();
    let mut result = run(None);
    loop {
        activities.extend(result["Activities"].as_array().unwrap().iter().cloned());
        let Some(token) = result.get("NextToken") else {
            break;
        };
        let token = token.as_str().unwrap().to_owned();
        assert!(!tokens.contains(&token), "token {} came twice", dec(&token));
        assert!(tokens.len() < 10, "the runs do not end");
        tokens.push(token.clone());
        result = run(Some(&token));
    }
    assert_eq!(activities.len(), 600);
    assert_eq!(activities, (0..600).map(activity).collect::<Vec<_>>());
    assert_eq!(
        tokens,
        [
            enc(r#"{"NextToken": null, "boto_truncate_amount": 100}"#),
            enc(r#"{"NextToken": "token-1"}"#),
            enc(r#"{"NextToken": "token-1", "boto_truncate_amount": 100}"#),
            enc(r#"{"NextToken": "token-2"}"#),
            enc(r#"{"NextToken": "token-2", "boto_truncate_amount": 100}"#),
        ]
    );
    assert_eq!(
        *api.requests.lock().unwrap(),
        [
            json!({"MaxRecords": 200}),
            json!({"MaxRecords": 200}),
            json!({"MaxRecords": 200, "NextToken": "token-1"}),
            json!({"MaxRecords": 200, "NextToken": "token-1"}),
            json!({"MaxRecords": 200, "NextToken": "token-2"}),
            json!({"MaxRecords": 200, "NextToken": "token-2"}),
        ]
    );
}

#[test]
fn s77_logs_token_with_triple_underscores_is_opaque() {
    // #77, R4: "foo___bar" has one part too many and a non-integer last part, so the whole
    // string is the token. R6 [ours]: the token has no offset, so the secondary key
    // `searchedLogStreams` is kept; botocore empties it on any resume (upstream only checks
    // that one event comes back). Model as in botocore's logs paginators-1.json.
    let m = model(
        "FilterLogEvents",
        json!({"input_token": "nextToken", "limit_key": "limit", "output_token": "nextToken",
               "result_key": ["events", "searchedLogStreams"]}),
    );
    let event = json!({"logStreamName": "foobar", "timestamp": 1_560_195_817_u64,
                       "message": "a thing happened", "ingestionTime": 1_560_195_817_u64, "eventId": "foo"});
    let stream = json!({"logStreamName": "foobar", "searchedCompletely": false});
    let api = scripted([json!({"events": [event], "searchedLogStreams": [stream]})]);
    let full = m
        .drive(&api, json!({"logGroupName": "foo"}))
        .starting_token(Some("foo___bar".into()))
        .max_items(1)
        .build_full_result()
        .unwrap();
    assert_eq!(
        full,
        json!({"events": [event], "searchedLogStreams": [stream]})
    );
    assert_eq!(
        api.calls(),
        [json!({"logGroupName": "foo", "nextToken": "foo___bar"})]
    );
}

#[test]
fn s78_botocore_tokens_round_trip() {
    // #78, R1, R3: each token as botocore's TokenEncoder writes it (bytes as base64 text,
    // listed in `boto_encoded_keys`) reads back and re-encodes byte for byte, and a cut on
    // its first page carries `boto_encoded_keys` on, so botocore decodes the same bytes.
    // botocore round-trips to Python `bytes`; here the values stay base64 text (no Rust
    // equivalent of the bytes themselves).
    let m = model(
        "ListFoos",
        json!({"input_token": "foo", "output_token": "next", "result_key": "Items"}),
    );
    let cases = [
        (
            r#"{"foo": "bar"}"#,
            json!("bar"),
            r#"{"foo": "bar", "boto_truncate_amount": 1}"#,
        ),
        (
            r#"{"foo": "YmFy", "boto_encoded_keys": [["foo"]]}"#,
            json!("YmFy"),
            r#"{"foo": "YmFy", "boto_truncate_amount": 1, "boto_encoded_keys": [["foo"]]}"#,
        ),
        (
            r#"{"foo": {"bar": "YmF6"}, "boto_encoded_keys": [["foo", "bar"]]}"#,
            json!({"bar": "YmF6"}),
            r#"{"foo": {"bar": "YmF6"}, "boto_truncate_amount": 1, "boto_encoded_keys": [["foo", "bar"]]}"#,
        ),
        (
            r#"{"foo": ["bar", "YmF6"], "boto_encoded_keys": [["foo", 1]]}"#,
            json!(["bar", "YmF6"]),
            r#"{"foo": ["bar", "YmF6"], "boto_truncate_amount": 1, "boto_encoded_keys": [["foo", 1]]}"#,
        ),
        (
            r#"{"foo": "/w==", "boto_encoded_keys": [["foo"]]}"#,
            json!("/w=="),
            r#"{"foo": "/w==", "boto_truncate_amount": 1, "boto_encoded_keys": [["foo"]]}"#,
        ),
        (
            r#"{"foo": {"bar": "YmF6", "bin": ["YmFt"]}, "boto_encoded_keys": [["foo", "bar"], ["foo", "bin", 0]]}"#,
            json!({"bar": "YmF6", "bin": ["YmFt"]}),
            r#"{"foo": {"bar": "YmF6", "bin": ["YmFt"]}, "boto_truncate_amount": 1, "boto_encoded_keys": [["foo", "bar"], ["foo", "bin", 0]]}"#,
        ),
    ];
    for (text, value, cut_text) in cases {
        let token = enc(text);
        let api = scripted([json!({"Items": [1, 2], "next": "n1"})]);
        let mut pages = m
            .drive(&api, json!({}))
            .starting_token(Some(token.clone()))
            .max_items(1);
        // Before any request, the resume token is the starting token, byte for byte.
        assert_eq!(pages.resume_token(), Some(token), "{text}");
        assert_eq!(
            all(&mut pages),
            [json!({"Items": [1], "next": "n1"})],
            "{text}"
        );
        assert_eq!(api.calls(), [json!({"foo": value})], "{text}");
        assert_eq!(pages.resume_token(), Some(enc(cut_text)), "{text}");
    }
}

#[test]
fn s79_route53_string_page_size_and_no_next_marker() {
    // #79, O2 (route53 `MaxItems` is string-typed; a u64 page size covers both `1` and
    // `'1'`), L2 (IsTruncated is true but there is no NextMarker: one page). Model as in
    // botocore's route53 paginators-1.json.
    let m = model(
        "ListHostedZones",
        json!({"input_token": "Marker", "output_token": "NextMarker", "more_results": "IsTruncated",
               "limit_key": "MaxItems", "result_key": "HostedZones"}),
    )
    .with_limit_type(LimitType::String);
    let response = json!({"HostedZones": [], "Marker": "", "IsTruncated": true, "MaxItems": "1"});
    let api = scripted([response.clone()]);
    assert_eq!(all(m.drive(&api, json!({})).page_size(1)), [response]);
    assert_eq!(api.calls(), [json!({"MaxItems": "1"})]);
}
