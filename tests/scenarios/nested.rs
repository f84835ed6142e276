//! Kinesis DescribeStream (a nested result key and a `more_results` path) and RDS
//! DownloadDBLogFilePortion (log portions counted and cut in characters).

use paginate_tests::{Scripted, all, enc, model};
use paginated::Model;
use serde_json::{Value, json};

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
