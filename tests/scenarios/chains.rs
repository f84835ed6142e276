//! Chains of runs, each resumed from the last one's token: every item exactly once, for full
//! results, DynamoDB scans with object tokens and item checkpoints; and registry models
//! against hand-built ones.

use std::collections::HashMap;

use paginate_tests::{Bucket, FakeError, all};
use paginated::model::Registry;
use paginated::{Model, PageRequest, Reply, blocking};
use serde_json::{Value, json};

use super::dynamodb::{Table, scan};
use super::photo_bucket;

type DynTransport<'a> = dyn Fn(PageRequest<'_>) -> Result<Reply, FakeError> + 'a;

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
    let list = |request: PageRequest<'_>| blocking::Transport::fetch(&bucket, request);
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
    let scan_fn = |request: PageRequest<'_>| blocking::Transport::fetch(&table, request);
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
