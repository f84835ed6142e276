//! The AWS JSON 1.1 services on moto: CloudWatch Logs DescribeLogGroups and Secrets Manager
//! ListSecrets, against boto3. Their pages reach paginate as response bodies (asserted).

use serde_json::{Value, json};

use crate::support::{
    Case, Server, View, check_against_boto3, logs, model, secrets_manager, setup, unique,
};

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
    // AWS JSON 1.1: the pages were response bodies. (CreateLogGroup answers an empty body, the
    // empty page the client gives as a value: only the runs' pages are asserted.)
    outcome
        .tally
        .assert_all_bodies("Logs DescribeLogGroups on moto");
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
        .assert_all_bodies("SecretsManager ListSecrets on moto");
    assert_eq!(api.replies().values, 0, "{:?}", api.replies());
    outcome
        .tally
        .print("secretsmanager_list_secrets_on_moto", "");
}
