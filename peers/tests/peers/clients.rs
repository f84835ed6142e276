//! The async clients list what the blocking ones list (DynamoDB on dynalite, S3 on s3s-fs,
//! every page a body), and a server's error reaches the user naming the operation,
//! the URL and the status.

use paginate_peers::{AsyncClient, AwsJson, PeerError, Replies, S3Rest};
use serde_json::{Value, json};

use crate::dynamodb::{create_table, scan_items};
use crate::s3::{KEYS, create_bucket, put_keys};
use crate::support::{Server, dynamodb, model, s3, setup, unique};

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
    // Each page one reply, a body: DynamoDB's JSON as it came, S3's XML decoded by the client
    // and written out as JSON text.
    assert_eq!(
        dynamo.replies(),
        Replies {
            bodies: scan_items().len().div_ceil(4) as u64,
            values: 0
        }
    );
    assert_eq!(
        s3_async.replies(),
        Replies {
            bodies: KEYS.len().div_ceil(5) as u64,
            values: 0
        }
    );
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
