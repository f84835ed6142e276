//! paginate end to end against AWS API servers it did not write, each listing checked
//! against boto3's own paginator on the same server and the same data.
//!
//! Servers (pinned in `peers/peers.sh`): moto 5.2.5 (`moto_server`: DynamoDB, S3, CloudWatch
//! Logs, Secrets Manager), dynalite 4.0.0 (DynamoDB) and s3s-fs 0.14.1 (S3 over a directory;
//! it checks SigV4 signatures). The oracle is boto3 1.44.8 (botocore 1.44.8), in the same
//! virtualenv as moto, run by `python/oracle.py`. Every test uses botocore's real model of
//! its operation, as the installed botocore loads it for boto3, creates its own data on the
//! server through this package's own HTTP clients, and compares (see
//! `support::check_against_boto3`):
//!
//! - whole listings at several page sizes: every page (its items, so its boundaries, and
//!   its tokens and counts), the full result and a search, with boto3's, and the items with
//!   the data the test created;
//! - runs cut by `max_items`, each resumed from the token boto3 made
//!   (`build_full_result()["NextToken"]`), paginate's own token byte-identical to boto3's;
//! - tokens only paginate makes (after any item, after a page) resumed by boto3 through
//!   `PaginationConfig={"StartingToken": …}`.
//!
//! Opt-in (feature `peers`), because the servers come from PyPI, npm and crates.io:
//!
//! ```text
//! peers/peers.sh install && peers/peers.sh start
//! cargo test -p paginate-peers --features peers -- --nocapture
//! peers/peers.sh stop
//! ```
//!
//! With a server missing, a test fails and says what is missing and how to get it; nothing
//! is skipped. Where a server departs from what AWS documents, the test says so, with what
//! AWS does and what paginate does about it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use paginated::{BoxError, Error};
use paginate_peers::{AsyncClient, AwsJson, PeerError, S3Rest};
use serde_json::{Value, json};
use support::{
    Case, Json, S3, Server, View, botocore_version, check_against_boto3, dynamodb, logs, model,
    poll, s3, secrets_manager, setup, unique,
};

fn items_of(pages: &[Value], key: &str) -> Vec<Vec<Value>> {
    pages
        .iter()
        .map(|p| p[key].as_array().cloned().unwrap_or_default())
        .collect()
}

// ================================================================================ DynamoDB

/// A table whose key is `pk` (string), or `pk` + `sk` (number); ACTIVE when this returns.
fn create_table(server: Server, api: &Json, name: &str, with_sort_key: bool) {
    let mut attributes = vec![json!({"AttributeName": "pk", "AttributeType": "S"})];
    let mut schema = vec![json!({"AttributeName": "pk", "KeyType": "HASH"})];
    if with_sort_key {
        attributes.push(json!({"AttributeName": "sk", "AttributeType": "N"}));
        schema.push(json!({"AttributeName": "sk", "KeyType": "RANGE"}));
    }
    setup(
        server,
        api,
        "CreateTable",
        json!({
            "TableName": name,
            "AttributeDefinitions": attributes,
            "KeySchema": schema,
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        }),
    );
    poll(
        &format!("table {name} on {}", server.name()),
        Duration::from_secs(30),
        || {
            let table = setup(server, api, "DescribeTable", json!({"TableName": name}));
            (table["Table"]["TableStatus"] == "ACTIVE").then_some(())
        },
    );
}

/// The items of the Scan table: string keys (some not ASCII, so tokens carry `\u` escapes
/// as Python's `json.dumps` writes them), a number, a string set and a binary value.
fn scan_items() -> Vec<Value> {
    (0..23)
        .map(|i| {
            let pk = if i % 4 == 0 {
                format!("clé-{i:03}")
            } else {
                format!("key-{i:03}")
            };
            json!({
                "pk": {"S": pk},
                "n": {"N": i.to_string()},
                "tags": {"SS": [format!("t{}", i % 3), "all"]},
                "blob": {"B": format!("YmxvYi0{}", i % 10)},
            })
        })
        .collect()
}

/// The pages of a listing whose page size is exactly its number of items.
///
/// DynamoDB documents that a LastEvaluatedKey does not mean that more items are left: it
/// sends one whenever `Limit` ends the page, so the request after the last item returns an
/// empty page without one. dynalite does that. moto departs from it: it leaves
/// LastEvaluatedKey out when the page ends at the last item, so there is no trailing empty
/// page. paginate and botocore follow the token either way (the comparisons with boto3 show
/// the same pages), and the empty page adds nothing to the items or the counts.
fn limit_reached_at_the_last_item(server: Server, pages: &[Value]) {
    let last = pages.last().unwrap();
    match server {
        Server::Dynalite => {
            assert_eq!(pages.len(), 2, "dynalite: a full page, then an empty one");
            assert!(pages[0].get("LastEvaluatedKey").is_some());
            assert_eq!(last["Items"], json!([]));
            assert_eq!(last["Count"], json!(0));
            assert!(last.get("LastEvaluatedKey").is_none());
        }
        _ => {
            assert_eq!(pages.len(), 1, "moto: one page, without LastEvaluatedKey");
            assert!(last.get("LastEvaluatedKey").is_none());
        }
    }
}

fn dynamodb_scan(server: Server) {
    let api = dynamodb(server);
    let table = unique("scan");
    create_table(server, &api, &table, false);
    let items = scan_items();
    for item in &items {
        setup(
            server,
            &api,
            "PutItem",
            json!({"TableName": table, "Item": item}),
        );
    }
    let model = model("dynamodb", "Scan");
    let view = View {
        lists: vec![("Items", vec![])],
        scalars: vec!["Count", "ScannedCount", "LastEvaluatedKey"],
    };
    let n = items.len() as u64;
    let mut tally = support::Tally::default();

    // Every item. Page size 23 is the table's size, where the servers differ (below).
    let everything = check_against_boto3(&Case {
        label: format!("DynamoDB Scan on {}", server.describe()),
        server,
        service: "dynamodb",
        model: model.clone(),
        api: &api,
        params: json!({"TableName": table}),
        view: view.clone(),
        search: "Items[].pk.S",
        page_sizes: vec![1, 5, n, 100],
        max_items: vec![4, 10],
        expected: items.clone(),
        ordered: false,
        drop: vec![],
    });
    tally.add(everything.tally);
    for (page_size, pages) in &everything.listings {
        // Count is the items of its page; summed, it and ScannedCount are the table's size.
        for page in pages {
            assert_eq!(
                page["Count"],
                json!(page["Items"].as_array().unwrap().len())
            );
        }
        let full = model
            .paginate(&api, json!({"TableName": table}))
            .page_size(*page_size)
            .build_full_result()
            .unwrap();
        assert_eq!(full["Count"], json!(n), "page size {page_size}");
        assert_eq!(full["ScannedCount"], json!(n), "page size {page_size}");
        assert_eq!(full["Items"].as_array().unwrap().len() as u64, n);
    }
    let (_, exact) = everything.listings.iter().find(|(p, _)| *p == n).unwrap();
    limit_reached_at_the_last_item(server, exact);
    assert!(
        tally.escaped_tokens > 0,
        "no token with a key outside ASCII was compared"
    );

    // A filter: pages hold the matching items only, some none at all, yet the scan goes on
    // while LastEvaluatedKey is there; Count sums to the matches, ScannedCount to the table.
    let min = 15;
    let matching: Vec<Value> = items
        .iter()
        .filter(|i| i["n"]["N"].as_str().unwrap().parse::<u64>().unwrap() >= min)
        .cloned()
        .collect();
    let params = json!({
        "TableName": table,
        "FilterExpression": "#n >= :min",
        "ExpressionAttributeNames": {"#n": "n"},
        "ExpressionAttributeValues": {":min": {"N": min.to_string()}},
    });
    let filtered = check_against_boto3(&Case {
        label: format!("DynamoDB Scan with a filter on {}", server.describe()),
        server,
        service: "dynamodb",
        model: model.clone(),
        api: &api,
        params: params.clone(),
        view,
        search: "Items[].n.N",
        page_sizes: vec![2, 6],
        max_items: vec![3],
        expected: matching.clone(),
        ordered: false,
        drop: vec![],
    });
    tally.add(filtered.tally);
    for (page_size, pages) in &filtered.listings {
        // At page size 2, 12 pages hold 8 matches: some pages hold none, and paging goes on.
        if *page_size == 2 {
            assert!(
                pages
                    .iter()
                    .any(|p| p["Items"] == json!([]) && p.get("LastEvaluatedKey").is_some()),
                "a page with no match but a LastEvaluatedKey is expected"
            );
        }
        assert!(
            pages
                .iter()
                .any(|p| p["Count"].as_u64() < p["ScannedCount"].as_u64())
        );
        let full = model
            .paginate(&api, params.clone())
            .page_size(*page_size)
            .build_full_result()
            .unwrap();
        assert_eq!(full["Count"], json!(matching.len()));
        assert_eq!(full["ScannedCount"], json!(n));
    }
    tally.print(
        &format!("dynamodb_scan_on_{}", server.name()),
        &format!("botocore {}", botocore_version()),
    );
}

#[test]
fn dynamodb_scan_on_moto() {
    dynamodb_scan(Server::Moto);
}

#[test]
fn dynamodb_scan_on_dynalite() {
    dynamodb_scan(Server::Dynalite);
}

fn dynamodb_query(server: Server) {
    let api = dynamodb(server);
    let table = unique("query");
    create_table(server, &api, &table, true);
    let item = |pk: &str, sk: u32| json!({"pk": {"S": pk}, "sk": {"N": sk.to_string()}, "label": {"S": format!("{pk}#{sk}")}});
    // Written out of order; the other partition must not be listed.
    let mut wanted: Vec<Value> = (1..=21)
        .rev()
        .map(|sk| item("ü-partition", sk * 10))
        .collect();
    for other in (1..=5).map(|sk| item("other", sk)) {
        setup(
            server,
            &api,
            "PutItem",
            json!({"TableName": table, "Item": other}),
        );
    }
    for it in &wanted {
        setup(
            server,
            &api,
            "PutItem",
            json!({"TableName": table, "Item": it}),
        );
    }
    wanted.reverse(); // a Query lists by sort key
    let params = json!({
        "TableName": table,
        "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": {":p": {"S": "ü-partition"}},
    });
    let outcome = check_against_boto3(&Case {
        label: format!("DynamoDB Query on {}", server.describe()),
        server,
        service: "dynamodb",
        model: model("dynamodb", "Query"),
        api: &api,
        params: params.clone(),
        view: View {
            lists: vec![("Items", vec![])],
            scalars: vec!["Count", "ScannedCount", "LastEvaluatedKey"],
        },
        search: "Items[].label.S",
        page_sizes: vec![1, 4, 7, 21],
        max_items: vec![3, 8],
        expected: wanted.clone(),
        ordered: true,
        drop: vec![],
    });
    // Descending: the same items the other way round.
    let mut descending = params.clone();
    descending["ScanIndexForward"] = json!(false);
    let backwards = check_against_boto3(&Case {
        label: format!("DynamoDB Query, descending, on {}", server.describe()),
        server,
        service: "dynamodb",
        model: model("dynamodb", "Query"),
        api: &api,
        params: descending,
        view: View {
            lists: vec![("Items", vec!["sk", "label"])],
            scalars: vec!["Count", "LastEvaluatedKey"],
        },
        search: "Items[].sk.N",
        page_sizes: vec![5],
        max_items: vec![7],
        expected: wanted
            .iter()
            .rev()
            .map(|i| View::project_item(&["sk", "label"], i))
            .collect(),
        ordered: true,
        drop: vec![],
    });
    for (page_size, pages) in &outcome.listings {
        let sum = |key: &str| pages.iter().map(|p| p[key].as_u64().unwrap()).sum::<u64>();
        assert_eq!(sum("Count"), wanted.len() as u64, "page size {page_size}");
        assert_eq!(
            sum("ScannedCount"),
            wanted.len() as u64,
            "page size {page_size}"
        );
        let full = model("dynamodb", "Query")
            .paginate(&api, params.clone())
            .page_size(*page_size)
            .build_full_result()
            .unwrap();
        assert_eq!(full["Count"], json!(wanted.len()), "page size {page_size}");
        assert_eq!(
            full["ScannedCount"],
            json!(wanted.len()),
            "page size {page_size}"
        );
    }
    let (_, exact) = outcome.listings.iter().find(|(p, _)| *p == 21).unwrap();
    limit_reached_at_the_last_item(server, exact);
    let mut tally = outcome.tally;
    tally.add(backwards.tally);
    assert!(
        tally.escaped_tokens > 0,
        "no token with a key outside ASCII was compared"
    );
    tally.print(&format!("dynamodb_query_on_{}", server.name()), "");
}

#[test]
fn dynamodb_query_on_moto() {
    dynamodb_query(Server::Moto);
}

#[test]
fn dynamodb_query_on_dynalite() {
    dynamodb_query(Server::Dynalite);
}

// ====================================================================================== S3

/// Keys with nested prefixes, spaces and letters outside ASCII (tokens then carry `\u`
/// escapes), listed by S3 in UTF-8 byte order.
const KEYS: &[&str] = &[
    "a.txt",
    "b.txt",
    "café/menu.txt",
    "café/prix.txt",
    "docs/guide/1.md",
    "docs/guide/2.md",
    "docs/readme.md",
    "my file.txt",
    "photos/2023/1.jpg",
    "photos/2023/2.jpg",
    "photos/2024/1.jpg",
    "photos/2024/2.jpg",
    "photos/2024/3.jpg",
    "photos/index.html",
    "videos/1.mp4",
    "z.txt",
    "été.txt",
    "ü/1.txt",
];

fn body_of(key: &str) -> String {
    key.repeat(1 + key.len() % 3)
}

fn create_bucket(server: Server, api: &S3, versioned: bool) -> String {
    let bucket = unique("peers");
    setup(server, api, "CreateBucket", json!({"Bucket": bucket}));
    if versioned {
        setup(
            server,
            api,
            "PutBucketVersioning",
            json!({"Bucket": bucket, "VersioningConfiguration": {"Status": "Enabled"}}),
        );
    }
    bucket
}

fn put_keys(server: Server, api: &S3, bucket: &str) {
    for key in KEYS {
        setup(
            server,
            api,
            "PutObject",
            json!({"Bucket": bucket, "Key": key, "Body": body_of(key)}),
        );
    }
}

/// What S3 lists for `prefix` and `delimiter`, from the keys: (Contents, CommonPrefixes),
/// each prefix once, in byte order.
fn expected_listing(prefix: &str, delimiter: Option<&str>) -> (Vec<Value>, Vec<Value>) {
    let mut keys: Vec<&str> = KEYS
        .iter()
        .copied()
        .filter(|k| k.starts_with(prefix))
        .collect();
    keys.sort();
    let mut contents = Vec::new();
    let mut prefixes = BTreeSet::new();
    for key in keys {
        let rest = &key[prefix.len()..];
        match delimiter.and_then(|d| rest.find(d).map(|at| at + d.len())) {
            Some(end) => {
                prefixes.insert(format!("{prefix}{}", &rest[..end]));
            }
            None => contents.push(json!({"Key": key, "Size": body_of(key).len()})),
        }
    }
    let prefixes = prefixes.into_iter().map(|p| json!({"Prefix": p})).collect();
    (contents, prefixes)
}

fn listing_view(token_scalars: &[&'static str]) -> View {
    let mut scalars = vec!["IsTruncated", "Prefix", "Delimiter", "MaxKeys"];
    scalars.extend_from_slice(token_scalars);
    View {
        lists: vec![
            ("Contents", vec!["Key", "Size"]),
            ("CommonPrefixes", vec![]),
        ],
        scalars,
    }
}

/// paginate's token after the first page of a ListObjects run whose pages lack NextMarker.
fn fallback_token(model: &paginated::Model, api: &S3, bucket: &str, page_size: u64) -> String {
    let without_next_marker = |op: &str, params: &serde_json::Map<String, Value>| {
        let mut page = paginated::Transport::call(api, op, params).map_err(BoxError::from)?;
        if let Some(page) = page.as_object_mut() {
            page.remove("NextMarker");
        }
        Ok::<_, BoxError>(page)
    };
    let mut run = model
        .paginate(&without_next_marker, json!({"Bucket": bucket}))
        .page_size(page_size);
    run.next().unwrap().unwrap();
    run.resume_token().unwrap()
}

fn s3_list_objects(server: Server) {
    let api = s3(server);
    let bucket = create_bucket(server, &api, false);
    put_keys(server, &api, &bucket);
    let model = model("s3", "ListObjects");
    let mut tally = support::Tally::default();
    let mut notes = Vec::new();

    // No delimiter: AWS sends no NextMarker; botocore's model falls back to the last key
    // (`NextMarker || Contents[-1].Key`) and stops on `IsTruncated`.
    let (contents, _) = expected_listing("", None);
    let plain = check_against_boto3(&Case {
        label: format!("S3 ListObjects on {}", server.describe()),
        server,
        service: "s3",
        model: model.clone(),
        api: &api,
        params: json!({"Bucket": bucket}),
        view: listing_view(&["NextMarker", "Marker"]),
        search: "Contents[?Size > `20`].Key",
        page_sizes: vec![1, 4, 7, 1000],
        max_items: vec![5, 8],
        expected: contents,
        ordered: true,
        drop: vec![],
    });
    tally.add(plain.tally);
    // s3s-fs departs from AWS in what an object entry holds: Key, LastModified and Size
    // only, where AWS also sends ETag and StorageClass (and Owner in ListObjects). Nothing
    // paginates on them; the comparisons use Key and Size.
    let entry = &plain.listings[0].1[0]["Contents"][0];
    match server {
        Server::S3sFs => {
            assert!(entry.get("ETag").is_none() && entry.get("StorageClass").is_none())
        }
        _ => assert!(entry["ETag"].is_string() && entry["StorageClass"].is_string()),
    }
    for (page_size, pages) in &plain.listings {
        for (index, page) in pages.iter().enumerate() {
            let last = index + 1 == pages.len();
            assert_eq!(
                page["IsTruncated"],
                json!(!last),
                "page size {page_size}, page {index}"
            );
            assert!(page["Contents"].as_array().unwrap().len() as u64 <= *page_size);
            match server {
                // s3s-fs departs from AWS: it sends NextMarker (its last key) without a
                // delimiter too. Harmless: the model takes it before the fallback, and it is
                // the key the fallback would give.
                Server::S3sFs if !last => assert_eq!(
                    page["NextMarker"],
                    page["Contents"].as_array().unwrap().last().unwrap()["Key"]
                ),
                // moto departs from AWS the other way: it sends a NextMarker without a
                // delimiter too, and an opaque one (a hash, not a key). The model takes it
                // before the `Contents[-1].Key` fallback and paginate sends it back unchanged,
                // as botocore does; moto understands its own marker, so nothing is lost.
                Server::Moto if !last => {
                    let marker = page["NextMarker"].as_str().unwrap();
                    assert!(
                        !KEYS.iter().any(|k| k.starts_with(marker)),
                        "moto's NextMarker is opaque: {marker}"
                    );
                }
                // AWS sends NextMarker only with a delimiter, and never on the last page.
                _ => assert!(
                    page.get("NextMarker").is_none(),
                    "page size {page_size}, page {index}"
                ),
            }
        }
    }

    // Both servers send NextMarker without a delimiter, so the `Contents[-1].Key` fallback
    // is never needed above. With NextMarker removed from every page on both sides (the
    // pages AWS sends), paginate and botocore fall back to the last key and send it as
    // Marker: both servers take a plain key as marker (moto: `_pagination_tokens.get(marker)
    // or marker`), and the tokens now hold keys, some not ASCII.
    let (contents, _) = expected_listing("", None);
    let fallback = check_against_boto3(&Case {
        label: format!(
            "S3 ListObjects on {}, NextMarker removed",
            server.describe()
        ),
        server,
        service: "s3",
        model: model.clone(),
        api: &api,
        params: json!({"Bucket": bucket}),
        view: listing_view(&["NextMarker", "Marker"]),
        search: "Contents[].Key",
        page_sizes: vec![1, 4, 1000],
        max_items: vec![5],
        expected: contents,
        ordered: true,
        drop: vec!["NextMarker"],
    });
    tally.add(fallback.tally);
    // Neither server echoes `Marker` in its answer, where AWS always does (empty when none
    // was sent): a departure nothing paginates on. What the fallback sent is in the token.
    for page_size in [1, 4] {
        let pages: Vec<Value> = model
            .paginate(&api, json!({"Bucket": bucket}))
            .page_size(page_size)
            .take(2)
            .map(Result::unwrap)
            .collect();
        assert!(
            pages.iter().all(|p| p.get("Marker").is_none()),
            "the server echoes Marker now: update this note"
        );
        let last_key = pages[0]["Contents"].as_array().unwrap().last().unwrap()["Key"].clone();
        let token = fallback_token(&model, &api, &bucket, page_size);
        assert_eq!(support::decode_token(&token), json!({"Marker": last_key}));
    }
    assert!(
        tally.escaped_tokens > 0,
        "no token with a key outside ASCII was compared"
    );

    // With a delimiter: AWS counts keys and common prefixes together against MaxKeys, lists
    // each prefix once, and sends NextMarker (the last key or prefix of the page).
    for prefix in ["", "photos/"] {
        let (contents, prefixes) = expected_listing(prefix, Some("/"));
        let with_delimiter = check_against_boto3(&Case {
            label: format!(
                "S3 ListObjects on {}, prefix {prefix:?}, delimiter /",
                server.describe()
            ),
            server,
            service: "s3",
            model: model.clone(),
            api: &api,
            params: json!({"Bucket": bucket, "Delimiter": "/", "Prefix": prefix}),
            view: listing_view(&["NextMarker", "Marker"]),
            search: "Contents[].Key",
            page_sizes: vec![1, 2, 3, 1000],
            max_items: vec![1, 3],
            expected: contents,
            ordered: true,
            drop: vec![],
        });
        tally.add(with_delimiter.tally);
        for (page_size, pages) in &with_delimiter.listings {
            let listed: Vec<Value> = items_of(pages, "CommonPrefixes").concat();
            let distinct: BTreeSet<String> = listed.iter().map(Value::to_string).collect();
            assert_eq!(
                distinct,
                prefixes
                    .iter()
                    .map(Value::to_string)
                    .collect::<BTreeSet<_>>(),
                "prefix {prefix:?}, page size {page_size}: the common prefixes"
            );
            let entries = |p: &Value| {
                p["Contents"].as_array().map_or(0, Vec::len)
                    + p["CommonPrefixes"].as_array().map_or(0, Vec::len)
            };
            match server {
                Server::S3sFs => {
                    // As AWS: each prefix once, keys and prefixes counted together, and
                    // NextMarker the last entry of the page.
                    assert_eq!(listed, prefixes, "page size {page_size}");
                    for page in pages {
                        assert!(entries(page) as u64 <= *page_size);
                        if page["IsTruncated"] == json!(true) {
                            let last_key = page["Contents"]
                                .as_array()
                                .and_then(|c| c.last())
                                .map(|c| &c["Key"]);
                            let last_prefix = page["CommonPrefixes"]
                                .as_array()
                                .and_then(|c| c.last())
                                .map(|c| &c["Prefix"]);
                            let last = [last_key, last_prefix]
                                .into_iter()
                                .flatten()
                                .filter_map(Value::as_str)
                                .max();
                            assert_eq!(page["NextMarker"].as_str(), last, "page size {page_size}");
                        }
                    }
                }
                _ => {
                    // moto 5.2.5 departs from AWS in three ways here:
                    // - MaxKeys limits the keys only: every page carries all the common
                    //   prefixes after its marker, however many (AWS: keys + prefixes ≤ MaxKeys);
                    // - so the same prefixes come again on the following pages (AWS: once);
                    // - NextMarker is an opaque hash, not the last key or prefix (AWS: the
                    //   last one listed; it is a plain marker any client may send).
                    // paginate sends the NextMarker back unchanged, as botocore does, so the
                    // listings agree; the repeated prefixes reach the user of both, and
                    // `items_of("CommonPrefixes")` yields each as often as moto sends it.
                    if *page_size < 1000 && prefix.is_empty() {
                        assert!(
                            listed.len() > prefixes.len(),
                            "moto repeats common prefixes"
                        );
                        assert!(
                            pages.iter().any(|p| entries(p) as u64 > *page_size),
                            "moto: MaxKeys counts keys only"
                        );
                        let marker = pages[0]["NextMarker"].as_str().unwrap();
                        assert!(
                            !KEYS.iter().any(|k| k.starts_with(marker)),
                            "moto's NextMarker is opaque"
                        );
                    }
                }
            }
        }
    }
    if server == Server::Moto {
        notes.push("moto repeats common prefixes and sends an opaque NextMarker");
    }
    tally.print(
        &format!("s3_list_objects_on_{}", server.name().replace('-', "_")),
        &notes.join(", "),
    );
}

#[test]
fn s3_list_objects_on_moto() {
    s3_list_objects(Server::Moto);
}

#[test]
fn s3_list_objects_on_s3s_fs() {
    s3_list_objects(Server::S3sFs);
}

fn s3_list_objects_v2(server: Server) {
    let api = s3(server);
    let bucket = create_bucket(server, &api, false);
    put_keys(server, &api, &bucket);
    let model = model("s3", "ListObjectsV2");
    let view = listing_view(&[
        "NextContinuationToken",
        "ContinuationToken",
        "KeyCount",
        "StartAfter",
    ]);
    let mut tally = support::Tally::default();

    let (contents, _) = expected_listing("", None);
    let plain = check_against_boto3(&Case {
        label: format!("S3 ListObjectsV2 on {}", server.describe()),
        server,
        service: "s3",
        model: model.clone(),
        api: &api,
        params: json!({"Bucket": bucket}),
        view: view.clone(),
        search: "Contents[?Size > `20`].Key",
        page_sizes: vec![1, 4, 7, 1000],
        max_items: vec![5, 8],
        expected: contents,
        ordered: true,
        drop: vec![],
    });
    tally.add(plain.tally);
    for (_, pages) in &plain.listings {
        for page in pages {
            assert_eq!(
                page["KeyCount"],
                json!(page["Contents"].as_array().unwrap().len())
            );
        }
    }

    // StartAfter is an ordinary param, sent on every page along with the token.
    let (contents, _) = expected_listing("", None);
    let after: Vec<Value> = contents
        .into_iter()
        .skip_while(|c| c["Key"] != "docs/readme.md")
        .skip(1)
        .collect();
    tally.add(
        check_against_boto3(&Case {
            label: format!(
                "S3 ListObjectsV2 on {}, StartAfter docs/readme.md",
                server.describe()
            ),
            server,
            service: "s3",
            model: model.clone(),
            api: &api,
            params: json!({"Bucket": bucket, "StartAfter": "docs/readme.md"}),
            view: view.clone(),
            search: "Contents[].Key",
            page_sizes: vec![3],
            max_items: vec![4],
            expected: after,
            ordered: true,
            drop: vec![],
        })
        .tally,
    );

    let (contents, prefixes) = expected_listing("", Some("/"));
    let with_delimiter = check_against_boto3(&Case {
        label: format!("S3 ListObjectsV2 on {}, delimiter /", server.describe()),
        server,
        service: "s3",
        model,
        api: &api,
        params: json!({"Bucket": bucket, "Delimiter": "/"}),
        view,
        search: "Contents[].Key",
        page_sizes: vec![1, 2, 1000],
        max_items: vec![2, 3],
        expected: contents,
        ordered: true,
        drop: vec![],
    });
    tally.add(with_delimiter.tally);
    for (page_size, pages) in &with_delimiter.listings {
        // In V2 both servers do as AWS: each prefix once, KeyCount = keys + prefixes ≤ MaxKeys.
        assert_eq!(
            items_of(pages, "CommonPrefixes").concat(),
            prefixes,
            "page size {page_size}"
        );
        for page in pages {
            let entries = page["Contents"].as_array().map_or(0, Vec::len)
                + page["CommonPrefixes"].as_array().map_or(0, Vec::len);
            assert_eq!(page["KeyCount"], json!(entries));
            assert!(entries as u64 <= *page_size);
        }
    }
    tally.print(
        &format!("s3_list_objects_v2_on_{}", server.name().replace('-', "_")),
        "",
    );
}

#[test]
fn s3_list_objects_v2_on_moto() {
    s3_list_objects_v2(Server::Moto);
}

#[test]
fn s3_list_objects_v2_on_s3s_fs() {
    s3_list_objects_v2(Server::S3sFs);
}

#[test]
fn s3_list_object_versions_on_moto() {
    let server = Server::Moto;
    let api = s3(server);
    let bucket = create_bucket(server, &api, true);
    // Each key gets 1 to 3 versions; every third key is then deleted (a delete marker).
    let keys = [
        "a/1.txt",
        "a/2.txt",
        "b.txt",
        "c/1.txt",
        "c/2.txt",
        "café.txt",
        "d.txt",
        "e/x/1.txt",
    ];
    let mut versions = Vec::new();
    let mut markers = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let mut made = Vec::new();
        for v in 0..=(i % 3) {
            let body = format!("{key} v{v} {}", "#".repeat(i + v));
            let put = setup(
                server,
                &api,
                "PutObject",
                json!({"Bucket": bucket, "Key": key, "Body": body}),
            );
            made.push((put["VersionId"].as_str().unwrap().to_owned(), body.len()));
        }
        let deleted = i % 3 == 2;
        if deleted {
            let marker = setup(
                server,
                &api,
                "DeleteObject",
                json!({"Bucket": bucket, "Key": key}),
            );
            assert_eq!(marker["DeleteMarker"], json!(true));
            markers.push(json!({"Key": key, "VersionId": marker["VersionId"], "IsLatest": true}));
        }
        // Newest first within a key.
        for (n, (id, size)) in made.iter().enumerate().rev() {
            versions.push(json!({"Key": key, "VersionId": id, "IsLatest": !deleted && n + 1 == made.len(), "Size": size}));
        }
    }
    let view = View {
        lists: vec![
            ("Versions", vec!["Key", "VersionId", "IsLatest", "Size"]),
            ("DeleteMarkers", vec!["Key", "VersionId", "IsLatest"]),
            ("CommonPrefixes", vec![]),
        ],
        scalars: vec![
            "IsTruncated",
            "NextKeyMarker",
            "NextVersionIdMarker",
            "KeyMarker",
            "VersionIdMarker",
            "MaxKeys",
        ],
    };
    let model = model("s3", "ListObjectVersions");
    assert_eq!(model.input_tokens(), ["KeyMarker", "VersionIdMarker"]);
    let outcome = check_against_boto3(&Case {
        label: format!("S3 ListObjectVersions on {}", server.describe()),
        server,
        service: "s3",
        model: model.clone(),
        api: &api,
        params: json!({"Bucket": bucket}),
        view: view.clone(),
        search: "Versions[?IsLatest].Key",
        page_sizes: vec![1, 3, 5, 1000],
        max_items: vec![2, 6],
        expected: versions.clone(),
        ordered: true,
        drop: vec![],
    });
    let mut tally = outcome.tally;
    for (page_size, pages) in &outcome.listings {
        let listed: Vec<Value> = items_of(pages, "DeleteMarkers")
            .concat()
            .iter()
            .map(|m| View::project_item(&["Key", "VersionId", "IsLatest"], m))
            .collect();
        assert_eq!(listed, markers, "page size {page_size}");
        for page in &pages[..pages.len() - 1] {
            // Two tokens: the key and the version where the next page starts.
            assert!(page["NextKeyMarker"].is_string() && page["NextVersionIdMarker"].is_string());
        }
        // Both tokens are in the resume token, in the model's order.
        if pages.len() > 1 {
            let mut run = model
                .paginate(&api, json!({"Bucket": bucket}))
                .page_size(*page_size);
            run.next().unwrap().unwrap();
            let token = support::decode_token(&run.resume_token().unwrap());
            let names: Vec<&String> = token.as_object().unwrap().keys().collect();
            assert_eq!(names, ["KeyMarker", "VersionIdMarker"]);
        }
    }

    // A delimiter: versions of top-level keys, and the prefixes.
    let top: Vec<Value> = versions
        .iter()
        .filter(|v| !v["Key"].as_str().unwrap().contains('/'))
        .cloned()
        .collect();
    let with_delimiter = check_against_boto3(&Case {
        label: format!(
            "S3 ListObjectVersions on {}, delimiter /",
            server.describe()
        ),
        server,
        service: "s3",
        model,
        api: &api,
        params: json!({"Bucket": bucket, "Delimiter": "/"}),
        view,
        search: "Versions[].VersionId",
        page_sizes: vec![1, 2, 1000],
        max_items: vec![3],
        expected: top,
        ordered: true,
        drop: vec![],
    });
    tally.add(with_delimiter.tally);
    let prefixes = [
        json!({"Prefix": "a/"}),
        json!({"Prefix": "c/"}),
        json!({"Prefix": "e/"}),
    ];
    for (page_size, pages) in &with_delimiter.listings {
        assert_eq!(
            items_of(pages, "CommonPrefixes").concat(),
            prefixes,
            "page size {page_size}"
        );
    }
    // moto departs from AWS here: MaxKeys counts versions only, not the common prefixes with
    // them (AWS counts both), and a page that ends at a common prefix has NextKeyMarker (the
    // prefix) but no NextVersionIdMarker. botocore and paginate (L3) then send the next
    // request with KeyMarker alone, which is what such a page means, and nothing is lost.
    let (_, one) = with_delimiter
        .listings
        .iter()
        .find(|(p, _)| *p == 1)
        .unwrap();
    assert_eq!(one[0]["CommonPrefixes"], json!([{"Prefix": "a/"}]));
    assert_eq!(one[0]["NextKeyMarker"], json!("a/"));
    assert!(one[0].get("NextVersionIdMarker").is_none());
    assert!(one.iter().any(|p| {
        p["Versions"].as_array().map_or(0, Vec::len)
            + p["CommonPrefixes"].as_array().map_or(0, Vec::len)
            > 1
    }));
    tally.print("s3_list_object_versions_on_moto", "");
}

/// s3s-fs 0.14.1 keeps one version per key (a file) and does not implement
/// ListObjectVersions at all: it answers 501 NotImplemented, which paginate reports as a
/// transport error naming the operation, the URL and the status, before yielding anything.
/// The two-token pagination is covered on moto only.
#[test]
fn s3_list_object_versions_is_not_implemented_by_s3s_fs() {
    let server = Server::S3sFs;
    let api = s3(server);
    let bucket = create_bucket(server, &api, false);
    put_keys(server, &api, &bucket);
    let mut pages = model("s3", "ListObjectVersions").paginate(&api, json!({"Bucket": bucket}));
    let error = pages.next().unwrap().unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error}");
    let peer = std::error::Error::source(&error)
        .and_then(|s| s.downcast_ref::<PeerError>())
        .unwrap_or_else(|| panic!("not a PeerError: {error}"));
    assert_eq!(peer.status().map(|s| s.as_u16()), Some(501), "{peer}");
    assert_eq!(peer.code(), Some("NotImplemented"), "{peer}");
    let message = peer.to_string();
    assert!(
        message.contains("ListObjectVersions")
            && message.contains(&bucket)
            && message.contains("501"),
        "{message}"
    );
    assert!(pages.next().is_none());
    // boto3 meets the same answer.
    let job = support::boto3_job(
        server,
        "s3",
        "ListObjectVersions",
        &json!({"Bucket": bucket}),
        &support::Config::default(),
    );
    let out = support::run_oracle(&json!({ "jobs": [job] }));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("NotImplemented"),
        "{stderr}"
    );
    println!(
        "peers: s3_list_object_versions_is_not_implemented_by_s3s_fs: compared 0 items against boto3 (both get 501 NotImplemented)"
    );
}

/// botocore asks S3 for `EncodingType=url` on every listing, behind the user's back, then
/// url-decodes the keys with `unquote_plus`. AWS encodes the keys when asked, and so does
/// moto. s3s-fs 0.14.1 departs from AWS: it echoes `<EncodingType>url</EncodingType>` but
/// sends the keys unencoded, so botocore's decoding turns `+` into a space and boto3 lists
/// `c++.txt` as `c  .txt` (a key that does not exist). Worse, in ListObjects botocore decodes
/// NextMarker too: the page that ends at `x/é+1.txt` continues from marker `x/é 1.txt`,
/// which sorts before it (` ` < `+`), so boto3 lists that object twice. paginate's S3
/// transport does not ask for an encoding and reads keys and markers as sent: right on both
/// servers.
fn s3_keys_with_plus_signs(server: Server) {
    let api = s3(server);
    let bucket = create_bucket(server, &api, false);
    let mut keys = vec!["100%.txt", "a b.txt", "c++.txt", "x/é+1.txt", "x/€ 2.txt"];
    for key in &keys {
        setup(
            server,
            &api,
            "PutObject",
            json!({"Bucket": bucket, "Key": key, "Body": key}),
        );
    }
    keys.sort();
    let params = json!({"Bucket": bucket});
    for operation in ["ListObjects", "ListObjectsV2"] {
        let ours: Vec<Value> = model("s3", operation)
            .paginate(&api, params.clone())
            .page_size(2)
            .search("Contents[].Key")
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            ours,
            keys.iter().map(|k| json!(k)).collect::<Vec<_>>(),
            "{operation}"
        );
        let config = support::Config {
            page_size: Some(2),
            ..support::Config::default()
        };
        let mut job = support::boto3_job(server, "s3", operation, &params, &config);
        job["search"] = json!("Contents[].Key");
        let answer = support::oracle(&json!({ "jobs": [job] }));
        let theirs = &answer["results"][0]["search"];
        let mut expected: Vec<String> = match server {
            Server::S3sFs => keys.iter().map(|k| k.replace('+', " ")).collect(),
            _ => keys.iter().map(|k| k.to_string()).collect(),
        };
        if server == Server::S3sFs && operation == "ListObjects" {
            // Pages of 2: [100%.txt, a b.txt] [c++.txt, x/é+1.txt] then from the mangled
            // marker `x/é 1.txt`: [x/é+1.txt, x/€ 2.txt] again.
            expected.insert(4, "x/é 1.txt".to_owned());
        }
        assert_eq!(theirs, &json!(expected), "{operation}: what boto3 lists");
    }
    println!(
        "peers: s3_keys_with_plus_signs_on_{}: compared {} items against boto3{}",
        server.name().replace('-', "_"),
        2 * keys.len(),
        if server == Server::S3sFs {
            " (boto3 mangles `+` on s3s-fs, paginate does not)"
        } else {
            ""
        }
    );
}

#[test]
fn s3_keys_with_plus_signs_on_moto() {
    s3_keys_with_plus_signs(Server::Moto);
}

#[test]
fn s3_keys_with_plus_signs_on_s3s_fs() {
    s3_keys_with_plus_signs(Server::S3sFs);
}

// ========================================================================= Logs, Secrets

#[test]
fn logs_describe_log_groups_on_moto() {
    let server = Server::Moto;
    let api = logs();
    let prefix = format!("/paginate/{}", unique("groups"));
    let mut names: Vec<String> = (0..13).map(|i| format!("{prefix}/group-{i:02}")).collect();
    for name in names.iter().rev() {
        setup(
            server,
            &api,
            "CreateLogGroup",
            json!({"logGroupName": name}),
        );
    }
    names.sort();
    let expected: Vec<Value> = names.iter().map(|n| json!({"logGroupName": n})).collect();
    let outcome = check_against_boto3(&Case {
        label: format!("Logs DescribeLogGroups on {}", server.describe()),
        server,
        service: "logs",
        model: model("logs", "DescribeLogGroups"),
        api: &api,
        params: json!({"logGroupNamePrefix": prefix}),
        view: View {
            lists: vec![(
                "logGroups",
                vec![
                    "logGroupName",
                    "arn",
                    "creationTime",
                    "storedBytes",
                    "metricFilterCount",
                ],
            )],
            scalars: vec!["nextToken"],
        },
        search: "logGroups[].logGroupName",
        page_sizes: vec![1, 4, 13, 50],
        max_items: vec![3, 8],
        expected,
        ordered: true,
        drop: vec![],
    });
    // moto departs from AWS on the last page: it sends `"nextToken": null` where AWS leaves
    // the member out. botocore drops null members; paginate reads null as absent (no next
    // page), so both stop there.
    for (page_size, pages) in &outcome.listings {
        assert_eq!(
            pages.last().unwrap().get("nextToken"),
            Some(&Value::Null),
            "page size {page_size}"
        );
        for page in &pages[..pages.len() - 1] {
            assert!(page["nextToken"].is_string(), "page size {page_size}");
        }
    }
    outcome.tally.print("logs_describe_log_groups_on_moto", "");
}

#[test]
fn secretsmanager_list_secrets_on_moto() {
    let server = Server::Moto;
    let api = secrets_manager();
    let prefix = unique("secret");
    let mut expected = Vec::new();
    for i in 0..11 {
        let name = format!("{prefix}/s-{i:02}");
        let made = setup(
            server,
            &api,
            "CreateSecret",
            json!({"Name": name, "SecretString": format!("value {i}")}),
        );
        expected.push(json!({"Name": name, "ARN": made["ARN"]}));
    }
    let outcome = check_against_boto3(&Case {
        label: format!("SecretsManager ListSecrets on {}", server.describe()),
        server,
        service: "secretsmanager",
        model: model("secretsmanager", "ListSecrets"),
        api: &api,
        params: json!({"Filters": [{"Key": "name", "Values": [prefix]}]}),
        view: View {
            lists: vec![("SecretList", vec!["Name", "ARN", "SecretVersionsToStages"])],
            scalars: vec!["NextToken"],
        },
        search: "SecretList[].Name",
        page_sizes: vec![1, 3, 11, 100],
        max_items: vec![2, 6],
        expected: expected
            .iter()
            .map(|e| View::project_item(&["Name", "ARN"], e))
            .collect(),
        ordered: false,
        drop: vec![],
    });
    // As DescribeLogGroups: `"NextToken": null` on the last page, where AWS leaves it out.
    for (page_size, pages) in &outcome.listings {
        assert_eq!(
            pages.last().unwrap().get("NextToken"),
            Some(&Value::Null),
            "page size {page_size}"
        );
        for page in &pages[..pages.len() - 1] {
            assert!(page["NextToken"].is_string(), "page size {page_size}");
        }
    }
    outcome
        .tally
        .print("secretsmanager_list_secrets_on_moto", "");
}

// ==================================================================================== async

/// The async transports over the same servers give what the blocking ones give.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_streams_list_what_the_blocking_clients_list() {
    // Set-up with blocking clients, off the async workers.
    let (table, bucket) = tokio::task::spawn_blocking(|| {
        let api = dynamodb(Server::Dynalite);
        let table = unique("async");
        create_table(Server::Dynalite, &api, &table, false);
        for item in scan_items() {
            setup(
                Server::Dynalite,
                &api,
                "PutItem",
                json!({"TableName": table, "Item": item}),
            );
        }
        let api = s3(Server::S3sFs);
        let bucket = create_bucket(Server::S3sFs, &api, false);
        put_keys(Server::S3sFs, &api, &bucket);
        (table, bucket)
    })
    .await
    .unwrap();

    let dynamo = AsyncClient::new(AwsJson::dynamodb(Server::Dynalite.endpoint())).unwrap();
    let scan = model("dynamodb", "Scan");
    let items = scan
        .paginate_async(&dynamo, json!({"TableName": table}))
        .page_size(4)
        .items()
        .try_collect()
        .await
        .unwrap();
    let s3_async = AsyncClient::new(S3Rest::new(Server::S3sFs.endpoint())).unwrap();
    let list = model("s3", "ListObjectsV2");
    let keys = list
        .paginate_async(&s3_async, json!({"Bucket": bucket}))
        .page_size(5)
        .search("Contents[].Key")
        .unwrap()
        .try_collect()
        .await
        .unwrap();

    let (blocking_items, blocking_keys) = tokio::task::spawn_blocking(move || {
        let items: Vec<Value> = model("dynamodb", "Scan")
            .paginate(&dynamodb(Server::Dynalite), json!({"TableName": table}))
            .page_size(4)
            .items()
            .collect::<Result<_, _>>()
            .unwrap();
        let keys: Vec<Value> = model("s3", "ListObjectsV2")
            .paginate(&s3(Server::S3sFs), json!({"Bucket": bucket}))
            .page_size(5)
            .search("Contents[].Key")
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        (items, keys)
    })
    .await
    .unwrap();
    assert_eq!(items, blocking_items);
    assert_eq!(items.len(), scan_items().len());
    let mut sorted: Vec<&str> = KEYS.to_vec();
    sorted.sort();
    assert_eq!(keys, sorted.iter().map(|k| json!(k)).collect::<Vec<_>>());
    assert_eq!(keys, blocking_keys);
}

/// A transport error from a peer names the operation, the URL and the status, and is the
/// source of paginate's error.
#[test]
fn server_errors_name_the_operation_url_and_status() {
    let api = dynamodb(Server::Moto);
    let error = model("dynamodb", "Scan")
        .paginate(&api, json!({"TableName": unique("missing")}))
        .next()
        .unwrap()
        .unwrap_err();
    let peer = std::error::Error::source(&error)
        .and_then(|s| s.downcast_ref::<PeerError>())
        .unwrap();
    assert_eq!(peer.status().map(|s| s.as_u16()), Some(400), "{peer}");
    assert_eq!(peer.code(), Some("ResourceNotFoundException"), "{peer}");
    let message = peer.to_string();
    assert!(
        message.starts_with("Scan: POST http://127.0.0.1:"),
        "{message}"
    );
    assert!(
        message.contains("HTTP 400 Bad Request (ResourceNotFoundException)"),
        "{message}"
    );
}
