//! Scenarios with the real botocore models of real operations (copied from botocore 1.44.8's
//! `paginators-1.json`), on pages shaped as those services send them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::Mutex;

use paginate_core::{LimitType, Model, Registry, Transport};
use paginate_tests::{Bucket, FakeError, Scripted, all, enc, model};
use serde_json::{Map, Value, json};

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

// ---------------------------------------------------------------- DynamoDB Scan

fn scan() -> Model {
    model(
        "Scan",
        json!({"input_token": "ExclusiveStartKey", "output_token": "LastEvaluatedKey", "limit_key": "Limit",
               "result_key": ["Items", "Count", "ScannedCount"], "non_aggregate_keys": ["ConsumedCapacity"]}),
    )
}

/// A DynamoDB table answering Scan: items in key order, `Limit` per page, `LastEvaluatedKey`
/// as an object while more remain; filtered items count in `ScannedCount` only.
struct Table {
    items: Vec<Value>,
    calls: Mutex<Vec<Value>>,
}

impl Table {
    fn new(n: usize) -> Table {
        let items = (0..n)
            .map(|i| json!({"pk": {"S": format!("user#{i:04}")}, "age": {"N": (i % 90).to_string()}}))
            .collect();
        Table {
            items,
            calls: Mutex::new(Vec::new()),
        }
    }
}

impl Transport for Table {
    type Error = FakeError;
    fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, FakeError> {
        assert_eq!(operation, "Scan");
        self.calls
            .lock()
            .unwrap()
            .push(Value::Object(params.clone()));
        let start = match params.get("ExclusiveStartKey") {
            None => 0,
            Some(key) => self
                .items
                .iter()
                .position(|i| i["pk"] == key["pk"])
                .map(|p| p + 1)
                .ok_or_else(|| FakeError(format!("bad key {key}")))?,
        };
        let limit = params.get("Limit").and_then(Value::as_u64).unwrap_or(100) as usize;
        let scanned: Vec<&Value> = self.items[start..].iter().take(limit).collect();
        let matched: Vec<Value> = scanned
            .iter()
            .filter(|i| i["age"]["N"] != "13")
            .map(|i| (*i).clone())
            .collect();
        let mut page = json!({"Items": matched, "Count": matched.len(), "ScannedCount": scanned.len(),
                              "ConsumedCapacity": {"TableName": "users", "CapacityUnits": 0.5}});
        if start + scanned.len() < self.items.len() {
            page["LastEvaluatedKey"] = json!({"pk": scanned.last().unwrap()["pk"]});
        }
        Ok(page)
    }
}

#[test]
fn dynamodb_scan_object_tokens_and_summed_counts() {
    let table = Table::new(250);
    let full = scan()
        .paginate(&table, json!({"TableName": "users"}))
        .page_size(100)
        .build_full_result()
        .unwrap();
    // 250 items, of which ages 13 (i = 13, 103, 193) are filtered out.
    assert_eq!(full["Items"].as_array().unwrap().len(), 247);
    assert_eq!(full["Count"], json!(247));
    assert_eq!(full["ScannedCount"], json!(250));
    assert!(full["Count"].is_u64(), "integers stay integers (G4)");
    assert_eq!(
        full["ConsumedCapacity"],
        json!({"TableName": "users", "CapacityUnits": 0.5})
    );
    assert_eq!(
        *table.calls.lock().unwrap(),
        [
            json!({"TableName": "users", "Limit": 100}),
            json!({"TableName": "users", "Limit": 100, "ExclusiveStartKey": {"pk": {"S": "user#0099"}}}),
            json!({"TableName": "users", "Limit": 100, "ExclusiveStartKey": {"pk": {"S": "user#0199"}}}),
        ]
    );
}

#[test]
fn dynamodb_scan_resume_tokens_carry_the_key_object() {
    let table = Table::new(30);
    let mut run = scan()
        .paginate(&table, json!({"TableName": "users"}))
        .page_size(10)
        .max_items(15);
    let pages = all(&mut run);
    assert_eq!(pages.len(), 2);
    // Page 2 had 9 matches (user#0013 filtered): 10 + 9 > 15, so 5 are kept.
    assert_eq!(pages[1]["Items"].as_array().unwrap().len(), 5);
    assert_eq!(
        pages[1]["Count"],
        json!(9),
        "secondary keys are not cut (M1)"
    );
    let token = run.resume_token().unwrap();
    assert_eq!(
        token,
        enc(r#"{"ExclusiveStartKey": {"pk": {"S": "user#0009"}}, "boto_truncate_amount": 5}"#)
    );
    let rest = scan()
        .paginate(&table, json!({"TableName": "users"}))
        .page_size(10)
        .starting_token(Some(token))
        .build_full_result()
        .unwrap();
    let first = &rest["Items"][0]["pk"]["S"];
    // The 15 returned were user#0000–0012 and 0014–0015 (0013 is filtered out).
    assert_eq!(first, "user#0016", "resumes right after the 15th item");
    assert_eq!(rest["Items"].as_array().unwrap().len(), 29 - 15);
    // Count of the resumed first page is kept as a number (R6); ScannedCount too.
    assert_eq!(rest["Count"], json!(9 + 10));
}

// ---------------------------------------------------------------- kinesis DescribeStream

#[test]
fn kinesis_describe_stream_nested_result_key_and_more_results_path() {
    let m = model(
        "DescribeStream",
        json!({"input_token": "ExclusiveStartShardId", "limit_key": "Limit",
               "more_results": "StreamDescription.HasMoreShards",
               "output_token": "StreamDescription.Shards[-1].ShardId",
               "result_key": "StreamDescription.Shards",
               "non_aggregate_keys": ["StreamDescription.StreamARN", "StreamDescription.StreamName",
                   "StreamDescription.StreamStatus", "StreamDescription.RetentionPeriodHours",
                   "StreamDescription.EnhancedMonitoring", "StreamDescription.EncryptionType",
                   "StreamDescription.KeyId", "StreamDescription.StreamCreationTimestamp"]}),
    );
    let shard = |i: u32| json!({"ShardId": format!("shardId-{i:012}"), "HashKeyRange": {"StartingHashKey": "0"}});
    let desc = |shards: Vec<Value>, more: bool| {
        json!({"StreamDescription": {"StreamName": "clicks", "StreamARN": "arn:aws:kinesis:eu-west-1:1:stream/clicks",
            "StreamStatus": "ACTIVE", "Shards": shards, "HasMoreShards": more, "RetentionPeriodHours": 24,
            "EnhancedMonitoring": [{"ShardLevelMetrics": []}], "EncryptionType": "NONE"}})
    };
    let api = Scripted::new([
        desc(vec![shard(0), shard(1)], true),
        desc(vec![shard(2)], false),
    ]);
    let full = m
        .paginate(&api, json!({"StreamName": "clicks"}))
        .page_size(2)
        .build_full_result()
        .unwrap();
    assert_eq!(
        full,
        json!({"StreamDescription": {
            "Shards": [shard(0), shard(1), shard(2)],
            "StreamARN": "arn:aws:kinesis:eu-west-1:1:stream/clicks",
            "StreamName": "clicks",
            "StreamStatus": "ACTIVE",
            "RetentionPeriodHours": 24,
            "EnhancedMonitoring": [{"ShardLevelMetrics": []}],
            "EncryptionType": "NONE",
            "KeyId": null,
            "StreamCreationTimestamp": null
        }})
    );
    assert_eq!(
        api.calls(),
        [
            json!({"StreamName": "clicks", "Limit": 2}),
            json!({"StreamName": "clicks", "Limit": 2, "ExclusiveStartShardId": "shardId-000000000001"}),
        ]
    );
}

// ---------------------------------------------------------------- rds DownloadDBLogFilePortion

fn download_log() -> Model {
    model(
        "DownloadDBLogFilePortion",
        json!({"input_token": "Marker", "output_token": "Marker", "limit_key": "NumberOfLines",
               "more_results": "AdditionalDataPending", "result_key": "LogFileData"}),
    )
}

#[test]
fn rds_log_portions_are_counted_and_cut_in_characters() {
    let script = || {
        Scripted::new([
            json!({"LogFileData": "2024 ünïcode\n", "Marker": "1:13", "AdditionalDataPending": true}),
            json!({"LogFileData": "😀 line two\n", "Marker": "1:25", "AdditionalDataPending": false}),
        ])
    };
    let api = script();
    let mut run = download_log()
        .paginate(
            &api,
            json!({"DBInstanceIdentifier": "db", "LogFileName": "error.log"}),
        )
        .max_items(15);
    let pages = all(&mut run);
    assert_eq!(pages[1]["LogFileData"], json!("😀 "));
    let token = run.resume_token().unwrap();
    assert_eq!(
        token,
        enc(r#"{"Marker": "1:13", "boto_truncate_amount": 2}"#)
    );
    let api = Scripted::new([
        json!({"LogFileData": "😀 line two\n", "Marker": "1:25", "AdditionalDataPending": false}),
    ]);
    let rest = download_log()
        .paginate(
            &api,
            json!({"DBInstanceIdentifier": "db", "LogFileName": "error.log"}),
        )
        .starting_token(Some(token))
        .build_full_result()
        .unwrap();
    assert_eq!(rest, json!({"LogFileData": "line two\n"}));

    // botocore's functional test #75: a starting token "0" is an rds marker, sent as is.
    let api = Scripted::new([
        json!({"LogFileData": "foo", "Marker": "2", "AdditionalDataPending": true}),
    ]);
    let full = download_log()
        .paginate(&api, json!({}))
        .starting_token(Some("0".into()))
        .max_items(3)
        .build_full_result()
        .unwrap();
    assert_eq!(api.calls(), [json!({"Marker": "0"})]);
    assert_eq!(
        full,
        json!({"LogFileData": "foo", "NextToken": enc(r#"{"Marker": "2"}"#)})
    );
}

// ---------------------------------------------------------------- chains of resumed runs

type DynTransport<'a> = dyn Fn(&str, &Map<String, Value>) -> Result<Value, FakeError> + 'a;

/// Runs with `max_items`, each resumed from the previous run's token, until no token is left:
/// boto3's `build_full_result()["NextToken"]` loop. Returns every primary and secondary item.
fn chain_full_results(
    model: &Model,
    api: &DynTransport<'_>,
    params: &Value,
    page_size: u64,
    max_items: u64,
) -> (Vec<Value>, Vec<Value>, usize) {
    let keys: Vec<String> = model.result_keys().map(str::to_owned).collect();
    let (mut primary, mut secondary, mut runs) = (Vec::new(), Vec::new(), 0);
    let mut token: Option<String> = None;
    loop {
        runs += 1;
        assert!(runs < 10_000, "the chain does not end");
        let mut run = model
            .paginate(api, params.clone())
            .page_size(page_size)
            .max_items(max_items);
        if let Some(t) = token.take() {
            run = run.starting_token(Some(t));
        }
        let full = run.build_full_result().unwrap();
        let got = full[&keys[0]].as_array().cloned().unwrap_or_default();
        assert!(got.len() as u64 <= max_items);
        primary.extend(got);
        for k in &keys[1..] {
            secondary.extend(full[k].as_array().cloned().unwrap_or_default());
        }
        match full.get("NextToken") {
            Some(t) => token = Some(t.as_str().unwrap().to_owned()),
            None => return (primary, secondary, runs),
        }
    }
}

#[test]
fn chains_return_every_item_exactly_once() {
    let bucket = Bucket::new(
        (0..97)
            .map(|i| format!("{}/{i:03}", ["a", "b", "c", "d"][i % 4]))
            .chain((0..23).map(|i| format!("top-{i:02}"))),
    );
    let all_keys: Vec<Value> = bucket.keys().iter().map(|k| json!(k)).collect();
    let list = |op: &str, params: &Map<String, Value>| bucket.call(op, params);
    let model = Bucket::model();
    for page_size in [1, 3, 7, 10, 120, 1000] {
        for max_items in [1, 2, 5, 7, 10, 13, 30, 120, 500] {
            // Without a delimiter: every key, via `Contents[-1].Key` tokens.
            let (primary, _, runs) =
                chain_full_results(&model, &list, &json!({"Bucket": "b"}), page_size, max_items);
            let keys: Vec<Value> = primary.iter().map(|o| o["Key"].clone()).collect();
            assert_eq!(
                keys, all_keys,
                "page size {page_size}, max_items {max_items}"
            );
            assert_eq!(
                runs,
                all_keys.len().div_ceil(max_items as usize),
                "runs for {page_size}/{max_items}"
            );

            // With a delimiter: top-level keys and each common prefix exactly once.
            let (primary, secondary, _) = chain_full_results(
                &model,
                &list,
                &json!({"Bucket": "b", "Delimiter": "/"}),
                page_size,
                max_items,
            );
            let keys: Vec<Value> = primary.iter().map(|o| o["Key"].clone()).collect();
            let tops: Vec<Value> = all_keys
                .iter()
                .filter(|k| k.as_str().unwrap().starts_with("top"))
                .cloned()
                .collect();
            assert_eq!(
                keys, tops,
                "delimiter, page size {page_size}, max_items {max_items}"
            );
            assert_eq!(
                secondary,
                ["a/", "b/", "c/", "d/"].map(|p| json!({"Prefix": p})),
                "prefixes, page size {page_size}, max_items {max_items}"
            );
        }
    }
}

#[test]
fn chains_of_dynamodb_scans_with_object_tokens() {
    let table = Table::new(47);
    let scan_fn = |op: &str, params: &Map<String, Value>| table.call(op, params);
    let expected: Vec<Value> = table
        .items
        .iter()
        .filter(|i| i["age"]["N"] != "13")
        .cloned()
        .collect();
    for page_size in [1, 4, 10, 50] {
        for max_items in [1, 3, 4, 9, 20, 100] {
            let (items, counts, _) = chain_full_results(
                &scan(),
                &scan_fn,
                &json!({"TableName": "users"}),
                page_size,
                max_items,
            );
            assert_eq!(
                items, expected,
                "page size {page_size}, max_items {max_items}"
            );
            // `Count` and `ScannedCount` are numbers, not lists: nothing to collect.
            assert!(counts.is_empty());
        }
    }
}

#[test]
fn chains_of_item_checkpoints_resume_anywhere() {
    // Stop after every n-th item, checkpoint, resume: the consumer's view of R2.
    let bucket = Bucket::numbered(53);
    let expected: Vec<Value> = bucket.keys().iter().map(|k| json!(k)).collect();
    for page_size in [1, 5, 8, 53, 100] {
        for stop_every in [1, 2, 5, 8, 13, 60] {
            let mut got = Vec::new();
            let mut token = None;
            for round in 0.. {
                assert!(round <= expected.len(), "no progress");
                let mut pages = Bucket::model()
                    .paginate(&bucket, json!({"Bucket": "b"}))
                    .page_size(page_size);
                if let Some(t) = token.take() {
                    pages = pages.starting_token(Some(t));
                }
                let mut items = pages.items();
                for item in items.by_ref().take(stop_every) {
                    got.push(item.unwrap()["Key"].clone());
                }
                match items.resume_token() {
                    Some(t) => token = Some(t),
                    None => break,
                }
            }
            assert_eq!(
                got, expected,
                "page size {page_size}, stop every {stop_every}"
            );
        }
    }
}

#[test]
fn registry_models_and_hand_built_models_behave_identically() {
    let from_json = Registry::from_json(
        r#"{"pagination": {"ListObjects": {"more_results": "IsTruncated", "limit_key": "MaxKeys",
            "output_token": "NextMarker || Contents[-1].Key", "input_token": "Marker",
            "result_key": ["Contents", "CommonPrefixes"]}}}"#,
    )
    .unwrap();
    let built = Model::builder("ListObjects")
        .input_token("Marker")
        .output_token("NextMarker || Contents[-1].Key")
        .more_results("IsTruncated")
        .limit_key("MaxKeys")
        .result_key("Contents")
        .result_key("CommonPrefixes")
        .build()
        .unwrap();
    let mut outcomes = HashMap::new();
    for (name, m) in [
        ("json", from_json.get("ListObjects").unwrap().clone()),
        ("builder", built),
    ] {
        let bucket = photo_bucket();
        let mut run = m
            .paginate(&bucket, json!({"Bucket": "b", "Delimiter": "/"}))
            .page_size(2)
            .max_items(3);
        let pages = all(&mut run);
        outcomes.insert(name, (pages, run.resume_token(), bucket.requests()));
    }
    assert_eq!(outcomes["json"], outcomes["builder"]);
}
