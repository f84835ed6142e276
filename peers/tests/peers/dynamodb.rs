//! DynamoDB Scan and Query, on moto and dynalite, against boto3: string keys outside
//! ASCII (tokens with `\u` escapes), filters that leave pages empty, counts summed over
//! pages, descending queries, and how each server ends a listing whose last page is full.
//! DynamoDB speaks AWS JSON, so every page reaches paginate as the response body: asserted.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{
    self, Case, Json, Server, View, botocore_version, check_against_boto3, dynamodb, model, poll,
    setup, unique,
};

/// A table whose key is `pk` (string), or `pk` + `sk` (number); ACTIVE when this returns.
pub(crate) fn create_table(server: Server, api: &Json, name: &str, with_sort_key: bool) {
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
pub(crate) fn scan_items() -> Vec<Value> {
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
    // DynamoDB answers JSON: every page of every compared run was its response body, read by
    // the run, and so was every reply of the client, set-up and the runs above included.
    tally.assert_all_bodies(&format!("DynamoDB Scan on {}", server.describe()));
    assert_eq!(api.replies().values, 0, "{:?}", api.replies());
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
    tally.assert_all_bodies(&format!("DynamoDB Query on {}", server.describe()));
    assert_eq!(api.replies().values, 0, "{:?}", api.replies());
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
