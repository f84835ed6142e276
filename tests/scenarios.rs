//! Scenarios with the real botocore models of real operations (copied from botocore 1.44.8's
//! `paginators-1.json`), on pages shaped as those services send them: S3 and Route 53 here,
//! DynamoDB in `scenarios/dynamodb.rs`, Kinesis and RDS in `scenarios/nested.rs`, chains of
//! resumed runs in `scenarios/chains.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use paginate_tests::{Bucket, Scripted, all, enc, model};
use paginated::Model;
use paginated::model::{LimitType, Registry};
use serde_json::{Value, json};

// ---------------------------------------------------------------- S3 ListObjects

fn photo_bucket() -> Bucket {
    Bucket::new(
        [
            "a.txt",
            "b.txt",
            "photos/1.jpg",
            "photos/2.jpg",
            "photos/3.jpg",
            "videos/1.mp4",
            "z.txt",
        ]
        .map(String::from),
    )
}

#[test]
fn s3_list_objects_falls_back_to_the_last_key_without_next_marker() {
    // Without a delimiter S3 sends no NextMarker: `NextMarker || Contents[-1].Key` (L2).
    let bucket = photo_bucket();
    let mut pages = Bucket::model()
        .paginate(&bucket, json!({"Bucket": "b"}))
        .page_size(3);
    let keys: Vec<Vec<Value>> = pages
        .by_ref()
        .map(|p| {
            p.unwrap()["Contents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["Key"].clone())
                .collect()
        })
        .collect();
    assert_eq!(
        keys,
        [
            vec![json!("a.txt"), json!("b.txt"), json!("photos/1.jpg")],
            vec![
                json!("photos/2.jpg"),
                json!("photos/3.jpg"),
                json!("videos/1.mp4")
            ],
            vec![json!("z.txt")],
        ]
    );
    assert_eq!(bucket.requests(), 3);
    assert_eq!(pages.resume_token(), None);
}

#[test]
fn s3_list_objects_common_prefixes_are_not_counted_by_max_items() {
    let bucket = photo_bucket();
    let params = json!({"Bucket": "b", "Delimiter": "/"});
    // Page 1: a.txt, b.txt (NextMarker b.txt). Page 2: photos/, videos/ (no Contents).
    // Page 3: z.txt. max_items 2 is reached exactly at the end of page 1 (M3).
    let mut run = Bucket::model()
        .paginate(&bucket, params.clone())
        .page_size(2)
        .max_items(2);
    let first = all(&mut run);
    assert_eq!(first.len(), 1);
    let token = run.resume_token().unwrap();
    assert_eq!(token, enc(r#"{"Marker": "b.txt"}"#));

    let full = Bucket::model()
        .paginate(&bucket, params)
        .page_size(2)
        .max_items(2)
        .starting_token(Some(token))
        .build_full_result()
        .unwrap();
    assert_eq!(
        full,
        json!({
            "Contents": [{"Key": "z.txt", "Size": 5}],
            "CommonPrefixes": [{"Prefix": "photos/"}, {"Prefix": "videos/"}]
        })
    );
}

#[test]
fn s3_list_objects_is_truncated_false_stops_even_with_a_next_marker() {
    let api = Scripted::new([
        json!({"Contents": [{"Key": "a"}], "IsTruncated": true, "NextMarker": "a"}),
        json!({"Contents": [{"Key": "b"}], "IsTruncated": false, "NextMarker": "b"}),
    ]);
    let keys = all(Bucket::model()
        .paginate(&api, json!({"Bucket": "x"}))
        .search("Contents[].Key")
        .unwrap());
    assert_eq!(keys, [json!("a"), json!("b")]);
    assert_eq!(
        api.calls(),
        [
            json!({"Bucket": "x"}),
            json!({"Bucket": "x", "Marker": "a"})
        ]
    );
}

// ---------------------------------------------------------------- S3 ListObjectVersions

fn list_object_versions() -> Model {
    model(
        "ListObjectVersions",
        json!({"more_results": "IsTruncated", "limit_key": "MaxKeys",
               "output_token": ["NextKeyMarker", "NextVersionIdMarker"],
               "input_token": ["KeyMarker", "VersionIdMarker"],
               "result_key": ["Versions", "DeleteMarkers", "CommonPrefixes"]}),
    )
}

#[test]
fn s3_list_object_versions_two_tokens_three_result_keys() {
    let v = |k: &str, id: &str| json!({"Key": k, "VersionId": id});
    let script = || {
        Scripted::new([
            json!({"Versions": [v("a", "1"), v("a", "2")], "DeleteMarkers": [v("a", "3")], "IsTruncated": true,
                   "NextKeyMarker": "a", "NextVersionIdMarker": "3", "Name": "b"}),
            json!({"Versions": [v("b", "1")], "CommonPrefixes": [{"Prefix": "logs/"}], "IsTruncated": true,
                   "NextKeyMarker": "b", "NextVersionIdMarker": "1", "Name": "b"}),
            json!({"Versions": [v("c", "1"), v("c", "2")], "DeleteMarkers": [v("c", "3")], "IsTruncated": false, "Name": "b"}),
        ])
    };
    let api = script();
    let full = list_object_versions()
        .paginate(&api, json!({"Bucket": "b"}))
        .page_size(3)
        .build_full_result()
        .unwrap();
    assert_eq!(
        full,
        json!({
            "Versions": [v("a", "1"), v("a", "2"), v("b", "1"), v("c", "1"), v("c", "2")],
            "DeleteMarkers": [v("a", "3"), v("c", "3")],
            "CommonPrefixes": [{"Prefix": "logs/"}]
        })
    );
    assert_eq!(
        api.calls(),
        [
            json!({"Bucket": "b", "MaxKeys": 3}),
            json!({"Bucket": "b", "MaxKeys": 3, "KeyMarker": "a", "VersionIdMarker": "3"}),
            json!({"Bucket": "b", "MaxKeys": 3, "KeyMarker": "b", "VersionIdMarker": "1"}),
        ]
    );

    // Cut in the middle of page 3: the token carries both markers that fetched it.
    let api = script();
    let mut run = list_object_versions()
        .paginate(&api, json!({"Bucket": "b"}))
        .max_items(4);
    let pages = all(&mut run);
    assert_eq!(pages[2]["Versions"], json!([v("c", "1")]));
    assert_eq!(
        pages[2]["DeleteMarkers"],
        json!([v("c", "3")]),
        "secondary keys are never cut (M1)"
    );
    let token = run.resume_token().unwrap();
    assert_eq!(
        token,
        enc(r#"{"KeyMarker": "b", "VersionIdMarker": "1", "boto_truncate_amount": 1}"#)
    );

    // Resuming blanks the secondary keys already returned (R6).
    let api = Scripted::new([
        json!({"Versions": [v("c", "1"), v("c", "2")], "DeleteMarkers": [v("c", "3")], "IsTruncated": false}),
    ]);
    let rest = list_object_versions()
        .paginate(&api, json!({"Bucket": "b"}))
        .starting_token(Some(token))
        .build_full_result()
        .unwrap();
    assert_eq!(
        rest,
        json!({"Versions": [v("c", "2")], "DeleteMarkers": []})
    );
    assert_eq!(
        api.calls(),
        [json!({"Bucket": "b", "KeyMarker": "b", "VersionIdMarker": "1"})]
    );
}

// ---------------------------------------------------------------- route53

fn route53_registry() -> Registry {
    let mut registry = Registry::from_json(
        r#"{"pagination": {"ListResourceRecordSets": {
            "more_results": "IsTruncated", "limit_key": "MaxItems", "result_key": "ResourceRecordSets",
            "input_token": ["StartRecordName", "StartRecordType", "StartRecordIdentifier"],
            "output_token": ["NextRecordName", "NextRecordType", "NextRecordIdentifier"]}}}"#,
    )
    .unwrap();
    // The relevant slice of route53's service-2.json: MaxItems is a string shape.
    let service = json!({
        "operations": {"ListResourceRecordSets": {"input": {"shape": "ListResourceRecordSetsRequest"}}},
        "shapes": {
            "ListResourceRecordSetsRequest": {"type": "structure", "members": {"MaxItems": {"shape": "PageMaxItems"}}},
            "PageMaxItems": {"type": "string"}
        }
    });
    assert_eq!(registry.apply_service_model(&service), 1);
    registry
}

#[test]
fn route53_three_tokens_one_dropped_and_a_string_limit() {
    let registry = route53_registry();
    let model = registry.get("ListResourceRecordSets").unwrap();
    assert_eq!(model.limit_type(), LimitType::String);
    let rr = |name: &str, set: Option<&str>| {
        let mut r = json!({"Name": name, "Type": "A", "TTL": 300});
        if let Some(s) = set {
            r["SetIdentifier"] = json!(s);
        }
        r
    };
    let api = Scripted::new([
        json!({"ResourceRecordSets": [rr("a.example.com.", None), rr("b.example.com.", Some("east"))], "IsTruncated": true,
               "NextRecordName": "b.example.com.", "NextRecordType": "A", "NextRecordIdentifier": "west", "MaxItems": "2"}),
        json!({"ResourceRecordSets": [rr("b.example.com.", Some("west")), rr("c.example.com.", None)], "IsTruncated": true,
               "NextRecordName": "d.example.com.", "NextRecordType": "CNAME", "MaxItems": "2"}),
        json!({"ResourceRecordSets": [rr("d.example.com.", None)], "IsTruncated": false, "MaxItems": "2"}),
    ]);
    let names = all(model
        .paginate(&api, json!({"HostedZoneId": "Z1"}))
        .page_size(2)
        .search("ResourceRecordSets[].Name")
        .unwrap());
    assert_eq!(
        names,
        [
            "a.example.com.",
            "b.example.com.",
            "b.example.com.",
            "c.example.com.",
            "d.example.com."
        ]
        .map(|s| json!(s))
    );
    assert_eq!(
        api.calls(),
        [
            json!({"HostedZoneId": "Z1", "MaxItems": "2"}),
            json!({"HostedZoneId": "Z1", "MaxItems": "2", "StartRecordName": "b.example.com.",
                   "StartRecordType": "A", "StartRecordIdentifier": "west"}),
            // The identifier was not on page 2: it is removed, not sent stale (L3).
            json!({"HostedZoneId": "Z1", "MaxItems": "2", "StartRecordName": "d.example.com.", "StartRecordType": "CNAME"}),
        ]
    );
}

#[test]
fn route53_a_record_name_works_as_a_hand_made_starting_token() {
    let registry = route53_registry();
    let model = registry.get("list_resource_record_sets").unwrap();
    let api = Scripted::new([json!({"ResourceRecordSets": [], "IsTruncated": false})]);
    let _ = all(model
        .paginate(&api, json!({"HostedZoneId": "Z1"}))
        .starting_token(Some("www.example.com.".into())));
    assert_eq!(
        api.calls(),
        [json!({"HostedZoneId": "Z1", "StartRecordName": "www.example.com."})]
    );
}

#[path = "scenarios/chains.rs"]
mod chains;
#[path = "scenarios/dynamodb.rs"]
mod dynamodb;
#[path = "scenarios/nested.rs"]
mod nested;
