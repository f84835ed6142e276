//! botocore and boto3, through `python/oracle.py` in the servers' virtualenv: botocore's real
//! paginator models (as the installed botocore loads them for boto3), and boto3's own
//! paginator run on the same server, the oracle every listing is compared with.

use std::collections::HashMap;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use paginate_peers::{AwsJson, S3Rest};
use paginated::Model;
use paginated::model::Registry;
use paginated::route::Route;
use serde_json::{Value, json};

use super::HOW;
use super::servers::{Server, env};
use super::view::Config;

/// Runs `python/oracle.py` with the virtualenv's Python (boto3 and moto live there) and
/// returns what it did, failed or not.
pub(crate) fn run_oracle(request: &Value) -> std::process::Output {
    let python = &env().python;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/oracle.py");
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("the boto3 oracle needs {python} ({e}): {HOW}"));
    let input = serde_json::to_vec(request).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

/// Runs the oracle and returns its answer; its failure fails the test.
pub(crate) fn oracle(request: &Value) -> Value {
    let out = run_oracle(request);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let hint = if stderr.contains("No module named") {
        format!("\nboto3 is missing for {}: {HOW}", env().python)
    } else {
        String::new()
    };
    assert!(
        out.status.success(),
        "the boto3 oracle failed: {}{hint}",
        stderr.trim()
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One oracle job: boto3's paginator for `operation` on `server` (see `python/oracle.py`).
pub(crate) fn boto3_job(
    server: Server,
    service: &str,
    operation: &str,
    params: &Value,
    config: &Config,
) -> Value {
    let credentials = server.credentials();
    json!({
        "service": service,
        "endpoint": server.url(),
        "access_key": credentials.access_key,
        "secret_key": credentials.secret_key,
        "operation": operation,
        "params": params,
        "config": config.boto3(),
    })
}

/// botocore's `paginators-1.json` of the services the tests use, as the installed botocore
/// loads them for boto3 (sdk-extras merged).
struct Botocore {
    version: String,
    registries: HashMap<String, Registry>,
}

fn botocore() -> &'static Botocore {
    static BOTOCORE: OnceLock<Botocore> = OnceLock::new();
    BOTOCORE.get_or_init(|| {
        let services = ["dynamodb", "s3", "logs", "secretsmanager"];
        let answer = oracle(&json!({ "models": services }));
        let registries = services
            .iter()
            .map(|s| {
                (
                    s.to_string(),
                    Registry::from_value(&answer["models"][s]).unwrap(),
                )
            })
            .collect();
        Botocore {
            version: answer["botocore"].as_str().unwrap().to_owned(),
            registries,
        }
    })
}

/// botocore's real model of `operation` of `service`, with the HTTP route the service's
/// protocol gives the operation (botocore's paginator models carry none): runs go where the
/// model says.
pub(crate) fn model(service: &str, operation: &str) -> Model {
    let model = botocore().registries[service].get(operation).unwrap();
    assert!(model.route().is_none(), "botocore's models have no routes");
    model.with_route(route(service, operation))
}

/// The route of `operation` of `service` in its protocol.
pub(crate) fn route(service: &str, operation: &str) -> Route {
    match service {
        "s3" => S3Rest::route_of(operation),
        _ => AwsJson::route_of(operation),
    }
    .unwrap()
}

pub(crate) fn botocore_version() -> &'static str {
    &botocore().version
}
