//! The real thing: every `paginators-1.json` that the botocore package from PyPI ships loads
//! into a [`Registry`] without a single error (S1, S2), with its sdk-extras merged and its
//! string-typed limits read from the service model (O2).
//!
//! Opt-in (feature `botocore`), because it needs Python with botocore installed:
//!
//! ```text
//! python3 -m venv .venv && .venv/bin/pip install botocore==1.44.8
//! PAGINATE_PYTHON=.venv/bin/python cargo test -p paginate-tests --features botocore
//! ```
//!
//! Without that software the test fails and says what is missing; it never skips.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use paginate_tests::{Scripted, all};
use paginated::model::{LimitType, Registry};
use serde_json::{Value, json};

fn botocore_data() -> Value {
    let python = std::env::var("PAGINATE_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/botocore_data.py");
    let how = "install it with `python3 -m venv .venv && .venv/bin/pip install botocore==1.44.8` \
               and run with PAGINATE_PYTHON=.venv/bin/python (`.ci/run` does this)";
    let out = Command::new(&python)
        .arg(script)
        .output()
        .unwrap_or_else(|e| panic!("the `botocore` tests need Python ({python}: {e}); {how}"));
    assert!(
        out.status.success(),
        "the `botocore` tests need the botocore package for {python}: {}; {how}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
    serde_json::from_slice(&out.stdout).expect("botocore_data.py prints JSON")
}

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn botocore_every_paginator_model_loads() {
    let data = botocore_data();
    let dirs = data["dirs"].as_array().unwrap();
    let (mut files, mut operations, mut with_extras, mut string_limits) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    let mut route53 = None;
    for dir in dirs {
        let name = format!(
            "{}/{}",
            dir["service"].as_str().unwrap(),
            dir["api_version"].as_str().unwrap()
        );
        let doc = read_json(dir["paginators"].as_str().unwrap());
        let loaded = match dir["extras"].as_str() {
            Some(extras) => {
                with_extras += 1;
                Registry::from_value_with_extras(&doc, &read_json(extras))
            }
            None => Registry::from_value(&doc),
        };
        files += 1;
        let mut registry = match loaded {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        assert_eq!(
            registry.len(),
            doc["pagination"].as_object().unwrap().len(),
            "{name}"
        );
        operations += registry.len();
        string_limits += registry.apply_service_model(&dir["limit_shapes"]);
        if name == "route53/2013-04-01" {
            route53 = Some(registry);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {files} files failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!(
        "botocore {}: loaded {operations} operations from {files} paginators-1.json files \
         ({with_extras} with sdk-extras merged); {string_limits} take a string-typed page size",
        data["botocore"].as_str().unwrap()
    );
    // About 3,500 operations at the time of writing; a sharp drop means files were missed.
    assert!(operations > 3000, "only {operations} operations loaded");

    // The route53 model as boto3 sees it: three tokens and a string-typed MaxItems.
    let route53 = route53.expect("route53/2013-04-01 is in botocore");
    let model = route53.get("list_resource_record_sets").unwrap();
    assert_eq!(model.limit_type(), LimitType::String);
    let api = Scripted::new([
        json!({"ResourceRecordSets": [{"Name": "a."}], "IsTruncated": true, "NextRecordName": "b.", "NextRecordType": "A"}),
        json!({"ResourceRecordSets": [{"Name": "b."}], "IsTruncated": false}),
    ]);
    let names = all(model
        .paginate(&api, json!({"HostedZoneId": "Z1"}))
        .page_size(1)
        .search("ResourceRecordSets[].Name")
        .unwrap());
    assert_eq!(names, [json!("a."), json!("b.")]);
    assert_eq!(
        api.calls(),
        [
            json!({"HostedZoneId": "Z1", "MaxItems": "1"}),
            json!({"HostedZoneId": "Z1", "MaxItems": "1", "StartRecordName": "b.", "StartRecordType": "A"})
        ]
    );
}
