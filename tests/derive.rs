//! `#[derive(Paginated)]` at run time: the same scenarios as `scenarios.rs`, with request
//! structs instead of JSON params, and proof that the derived model behaves exactly as the
//! model botocore's JSON gives, page for page, request for request, token for token.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use paginate_tests::{Bucket, Scripted, all, enc, model};
use paginated::model::LimitType;
use paginated::{Error, Model, Paginated, blocking};
use serde::Serialize;
use serde_json::{Value, json};

/// Runs `request` through its derived model and `model` over `params`, on the same pages,
/// with the same options, and asserts everything observable is identical. (`Paginated` does not
/// imply `Serialize` for generic code, so the bound is spelt out.)
fn assert_same<R: Paginated<Page = Value> + serde::Serialize>(
    request: &R,
    botocore: &Model,
    pages: &[Value],
    options: impl Fn(&mut Opts),
) {
    let mut o = Opts::default();
    options(&mut o);
    let derived_api = Scripted::new(pages.to_vec());
    let json_api = Scripted::new(pages.to_vec());
    let mut derived = o.apply(request.paginate(&derived_api));
    let mut from_json =
        o.apply(botocore.paginate(&json_api, serde_json::to_value(request).unwrap()));
    loop {
        let (a, b) = (derived.next(), from_json.next());
        assert_eq!(derived.resume_token(), from_json.resume_token());
        match (a, b) {
            (None, None) => break,
            (Some(Ok(a)), Some(Ok(b))) => assert_eq!(a, b),
            (a, b) => panic!("derived gave {a:?}, botocore JSON gave {b:?}"),
        }
    }
    assert_eq!(derived_api.calls(), json_api.calls());
    assert_eq!(derived_api.operations(), json_api.operations());
}

#[derive(Default)]
struct Opts {
    max_items: Option<u64>,
    page_size: Option<u64>,
    starting_token: Option<String>,
}

impl Opts {
    fn apply<H, P, I>(&self, mut p: blocking::Pages<H, P, I>) -> blocking::Pages<H, P, I>
    where
        H: std::ops::Deref,
        H::Target: blocking::Transport,
    {
        if let Some(n) = self.max_items {
            p = p.max_items(n);
        }
        if let Some(n) = self.page_size {
            p = p.page_size(n);
        }
        if let Some(t) = &self.starting_token {
            p = p.starting_token(Some(t.clone()));
        }
        p
    }
}

// ---------------------------------------------------------------- S3 ListObjects

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker || Contents[-1].Key",
    result_key = ["Contents", "CommonPrefixes"],
    more_results = "IsTruncated",
    limit_key = "MaxKeys",
)]
struct ListObjects {
    bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    delimiter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_keys: Option<u32>,
}

#[test]
fn derive_s3_list_objects_over_a_bucket() {
    let bucket = Bucket::new(
        [
            "a.txt",
            "b.txt",
            "photos/1.jpg",
            "photos/2.jpg",
            "videos/1.mp4",
            "z.txt",
        ]
        .map(String::from),
    );
    let request = ListObjects {
        bucket: "b".into(),
        delimiter: Some("/".into()),
        ..Default::default()
    };
    assert_eq!(
        ListObjects::pagination_model().unwrap().operation(),
        "ListObjects"
    );
    let mut run = request.paginate(&bucket).page_size(2).max_items(2);
    let pages = all(&mut run);
    assert_eq!(
        pages[0]["Contents"],
        json!([{"Key": "a.txt", "Size": 5}, {"Key": "b.txt", "Size": 5}])
    );
    let token = run.resume_token().unwrap();
    assert_eq!(token, enc(r#"{"Marker": "b.txt"}"#));
    let rest = request
        .paginate(&bucket)
        .page_size(2)
        .starting_token(Some(token))
        .build_full_result()
        .unwrap();
    assert_eq!(
        rest,
        json!({"Contents": [{"Key": "z.txt", "Size": 5}], "CommonPrefixes": [{"Prefix": "photos/"}, {"Prefix": "videos/"}]})
    );
}

#[test]
fn derive_s3_list_objects_matches_the_botocore_model() {
    let botocore = Bucket::model();
    let pages = [
        json!({"Contents": [{"Key": "a"}, {"Key": "b"}], "CommonPrefixes": [{"Prefix": "p/"}], "IsTruncated": true}),
        json!({"Contents": [{"Key": "c"}], "IsTruncated": true, "NextMarker": "c2"}),
        json!({"Contents": [{"Key": "d"}, {"Key": "e"}], "IsTruncated": false}),
    ];
    let request = ListObjects {
        bucket: "b".into(),
        marker: Some("start".into()),
        ..Default::default()
    };
    assert_same(&request, &botocore, &pages, |_| {});
    assert_same(&request, &botocore, &pages, |o| o.page_size = Some(2));
    assert_same(&request, &botocore, &pages, |o| o.max_items = Some(3));
    assert_same(&request, &botocore, &pages, |o| {
        o.max_items = Some(1);
        o.starting_token = Some(enc(r#"{"Marker": "m", "boto_truncate_amount": 1}"#));
    });
}

// ---------------------------------------------------------------- S3 ListObjectVersions

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = ["KeyMarker", "VersionIdMarker"],
    output_token = ["NextKeyMarker", "NextVersionIdMarker"],
    result_key = ["Versions", "DeleteMarkers", "CommonPrefixes"],
    more_results = "IsTruncated",
    limit_key = "MaxKeys",
    non_aggregate_keys = ["Name", "Prefix"],
)]
struct ListObjectVersions {
    bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_marker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_id_marker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_keys: Option<i64>,
}

#[test]
fn derive_s3_list_object_versions_matches_the_botocore_model() {
    let botocore = model(
        "ListObjectVersions",
        json!({"more_results": "IsTruncated", "limit_key": "MaxKeys",
               "output_token": ["NextKeyMarker", "NextVersionIdMarker"],
               "input_token": ["KeyMarker", "VersionIdMarker"],
               "result_key": ["Versions", "DeleteMarkers", "CommonPrefixes"],
               "non_aggregate_keys": ["Name", "Prefix"]}),
    );
    let v = |k: &str, id: &str| json!({"Key": k, "VersionId": id});
    let pages = [
        json!({"Versions": [v("a", "1"), v("a", "2")], "DeleteMarkers": [v("a", "3")], "IsTruncated": true,
               "NextKeyMarker": "a", "NextVersionIdMarker": "3", "Name": "b", "Prefix": ""}),
        json!({"Versions": [v("b", "1")], "IsTruncated": true, "NextKeyMarker": "b", "NextVersionIdMarker": "1", "Name": "b"}),
        json!({"Versions": [v("c", "1"), v("c", "2")], "IsTruncated": false, "Name": "b"}),
    ];
    let request = ListObjectVersions {
        bucket: "b".into(),
        ..Default::default()
    };
    assert_same(&request, &botocore, &pages, |o| o.page_size = Some(2));
    assert_same(&request, &botocore, &pages, |o| o.max_items = Some(4));
    let api = Scripted::new(pages.to_vec());
    let full = request.paginate(&api).build_full_result().unwrap();
    assert_eq!(full["Versions"].as_array().unwrap().len(), 5);
    assert_eq!(full["Name"], json!("b"));
    assert_eq!(full["Prefix"], json!(""));
}

// ---------------------------------------------------------------- route53

/// route53 sends `MaxItems` as a string: the derive sees `Option<String>` and says so.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = ["StartRecordName", "StartRecordType", "StartRecordIdentifier"],
    output_token = ["NextRecordName", "NextRecordType", "NextRecordIdentifier"],
    result_key = "ResourceRecordSets",
    more_results = "IsTruncated",
    limit_key = "MaxItems",
)]
struct ListResourceRecordSets {
    hosted_zone_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_record_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_record_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_record_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_items: Option<String>,
}

#[test]
fn derive_route53_sends_a_string_page_size_and_matches_the_botocore_model() {
    assert_eq!(
        ListResourceRecordSets::pagination_model()
            .unwrap()
            .limit_type(),
        LimitType::String
    );
    let botocore = model(
        "ListResourceRecordSets",
        json!({"more_results": "IsTruncated", "limit_key": "MaxItems", "result_key": "ResourceRecordSets",
               "input_token": ["StartRecordName", "StartRecordType", "StartRecordIdentifier"],
               "output_token": ["NextRecordName", "NextRecordType", "NextRecordIdentifier"]}),
    )
    .with_limit_type(LimitType::String);
    let pages = [
        json!({"ResourceRecordSets": [1], "IsTruncated": true, "NextRecordName": "a.", "NextRecordType": "A", "NextRecordIdentifier": "x"}),
        json!({"ResourceRecordSets": [2], "IsTruncated": true, "NextRecordName": "b.", "NextRecordType": "A"}),
        json!({"ResourceRecordSets": [3], "IsTruncated": false}),
    ];
    let request = ListResourceRecordSets {
        hosted_zone_id: "Z1".into(),
        ..Default::default()
    };
    assert_same(&request, &botocore, &pages, |o| o.page_size = Some(1));
    let api = Scripted::new(pages.to_vec());
    let _ = all(request.paginate(&api).page_size(1));
    assert_eq!(
        api.calls(),
        [
            json!({"HostedZoneId": "Z1", "MaxItems": "1"}),
            json!({"HostedZoneId": "Z1", "MaxItems": "1", "StartRecordName": "a.", "StartRecordType": "A", "StartRecordIdentifier": "x"}),
            json!({"HostedZoneId": "Z1", "MaxItems": "1", "StartRecordName": "b.", "StartRecordType": "A"}),
        ]
    );
}

// ---------------------------------------------------------------- DynamoDB Scan

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "ExclusiveStartKey",
    output_token = "LastEvaluatedKey",
    limit_key = "Limit",
    result_key = ["Items", "Count", "ScannedCount"],
    non_aggregate_keys = ["ConsumedCapacity"],
    operation = "Scan",
)]
struct ScanTable {
    table_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclusive_start_key: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
}

#[test]
fn derive_dynamodb_scan_matches_the_botocore_model() {
    assert_eq!(ScanTable::pagination_model().unwrap().operation(), "Scan");
    let botocore = model(
        "Scan",
        json!({"input_token": "ExclusiveStartKey", "output_token": "LastEvaluatedKey", "limit_key": "Limit",
               "result_key": ["Items", "Count", "ScannedCount"], "non_aggregate_keys": ["ConsumedCapacity"]}),
    );
    let key = |n: u32| json!({"pk": {"S": format!("user#{n}")}});
    let pages = [
        json!({"Items": [key(1), key(2)], "Count": 2, "ScannedCount": 3, "LastEvaluatedKey": key(2), "ConsumedCapacity": {"CapacityUnits": 0.5}}),
        json!({"Items": [key(3)], "Count": 1, "ScannedCount": 1, "LastEvaluatedKey": key(3)}),
        json!({"Items": [], "Count": 0, "ScannedCount": 0}),
    ];
    let request = ScanTable {
        table_name: "users".into(),
        ..Default::default()
    };
    assert_same(&request, &botocore, &pages, |o| o.page_size = Some(2));
    assert_same(&request, &botocore, &pages, |o| o.max_items = Some(1));
    let api = Scripted::new(pages.to_vec());
    let full = request
        .paginate(&api)
        .page_size(2)
        .build_full_result()
        .unwrap();
    assert_eq!(
        full,
        json!({"Items": [key(1), key(2), key(3)], "Count": 3, "ScannedCount": 4, "ConsumedCapacity": {"CapacityUnits": 0.5}})
    );
    assert_eq!(
        api.calls()[1],
        json!({"TableName": "users", "Limit": 2, "ExclusiveStartKey": key(2)})
    );
}

// ---------------------------------------------------------------- the rest of the contract

#[test]
fn derive_models_are_built_once_per_type() {
    let a = ListObjects::pagination_model().unwrap();
    let b = ListObjects::pagination_model().unwrap();
    assert!(std::ptr::eq(a, b));
}

/// A request whose serialization fails: reported on the first `next()`, nothing sent.
#[derive(Paginated)]
#[paginate(input_token = "token", output_token = "Next", result_key = "Items")]
struct Failing {
    #[allow(dead_code)]
    token: Option<String>,
}

impl Serialize for Failing {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("the request cannot be written"))
    }
}

#[test]
fn derive_serialization_errors_are_reported_before_any_request() {
    let api = Scripted::new([json!({"Items": [1]})]);
    let mut pages = Failing { token: None }.paginate(&api);
    let err = pages.next().unwrap().unwrap_err();
    assert!(matches!(err, Error::Serialize { .. }));
    assert_eq!(
        err.to_string(),
        "Failing: the request could not be serialized into parameters: the request cannot be written"
    );
    assert!(pages.next().is_none());
    assert!(api.calls().is_empty());
}

#[derive(Serialize, Paginated)]
#[paginate(input_token = "token", output_token = "next", result_key = "items")]
struct Generic<'a, T: Serialize> {
    token: Option<&'a str>,
    filter: T,
}

#[test]
fn derive_generic_requests_with_lifetimes() {
    let api = Scripted::new([json!({"items": [1], "next": "t1"}), json!({"items": [2]})]);
    let items = all(Generic {
        token: Some("t0"),
        filter: vec![1, 2],
    }
    .paginate(&api)
    .items());
    assert_eq!(items, [json!(1), json!(2)]);
    assert_eq!(
        api.calls(),
        [
            json!({"token": "t0", "filter": [1, 2]}),
            json!({"token": "t1", "filter": [1, 2]})
        ]
    );
}

// ------------------------------------------------- input token fields on the first request (L1)

/// A token field that is not an `Option` is accepted with a `skip_serializing_if` (the escape
/// hatch from the derive's check): the first request leaves it out, later ones carry it.
#[derive(Serialize, Paginated)]
#[paginate(input_token = "marker", output_token = "next", result_key = "items")]
struct SkippedWhenEmpty {
    #[serde(skip_serializing_if = "String::is_empty")]
    marker: String,
}

#[test]
fn derive_a_token_field_skipped_when_empty_is_left_out_of_the_first_request() {
    let api = Scripted::new([json!({"items": [1], "next": "m1"}), json!({"items": [2]})]);
    let items = all(SkippedWhenEmpty {
        marker: String::new(),
    }
    .paginate(&api)
    .items());
    assert_eq!(items, [json!(1), json!(2)]);
    assert_eq!(api.calls(), [json!({}), json!({"marker": "m1"})]);
}

/// An `Option` without `skip_serializing_if` is accepted too; serde sends it as `null` on the
/// first request (L1 sends what the request serializes), as the derive's docs say.
#[derive(Serialize, Paginated)]
#[paginate(input_token = "marker", output_token = "next", result_key = "items")]
struct NullWhenNone {
    marker: Option<String>,
}

#[test]
fn derive_an_option_token_field_without_skip_is_sent_as_null_first() {
    let api = Scripted::new([json!({"items": [1], "next": "m1"}), json!({"items": [2]})]);
    let items = all(NullWhenNone { marker: None }.paginate(&api).items());
    assert_eq!(items, [json!(1), json!(2)]);
    assert_eq!(
        api.calls(),
        [json!({"marker": null}), json!({"marker": "m1"})]
    );
}
