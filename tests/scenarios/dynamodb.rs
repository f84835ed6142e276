//! DynamoDB Scan with its real model: object tokens (`LastEvaluatedKey`), summed counts, and
//! resume tokens that carry the key object.

use std::sync::Mutex;

use paginate_tests::{FakeError, all, enc, model};
use paginated::{Model, PageRequest, Reply, blocking};
use serde_json::{Value, json};

pub(super) fn scan() -> Model {
    model(
        "Scan",
        json!({"input_token": "ExclusiveStartKey", "output_token": "LastEvaluatedKey", "limit_key": "Limit",
               "result_key": ["Items", "Count", "ScannedCount"], "non_aggregate_keys": ["ConsumedCapacity"]}),
    )
}

/// A DynamoDB table answering Scan: items in key order, `Limit` per page, `LastEvaluatedKey`
/// as an object while more remain; filtered items count in `ScannedCount` only.
pub(super) struct Table {
    pub(super) items: Vec<Value>,
    calls: Mutex<Vec<Value>>,
}

impl Table {
    pub(super) fn new(n: usize) -> Table {
        let items = (0..n)
            .map(|i| json!({"pk": {"S": format!("user#{i:04}")}, "age": {"N": (i % 90).to_string()}}))
            .collect();
        Table {
            items,
            calls: Mutex::new(Vec::new()),
        }
    }
}

impl blocking::Transport for Table {
    type Error = FakeError;
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, FakeError> {
        assert_eq!(request.operation(), "Scan");
        let params = request.params();
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
        Ok(page.into())
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
