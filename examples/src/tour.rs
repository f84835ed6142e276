//! A tour of paginate over an in-memory, S3-style object listing.
//!
//! The "service" below holds 2,500 objects and answers `ListObjects` the way S3 does:
//! `Marker` in, at most `MaxKeys` objects out, `IsTruncated`, and no `NextMarker` unless a
//! delimiter is given (so the next marker is the last key of the page). The pagination model
//! is botocore's own for S3 ListObjects.
//!
//! Run it with `cargo run -p paginate-examples`.

use std::cell::Cell;
use std::process::ExitCode;

use paginated::blocking::Transport;
use paginated::model::Registry;
use paginated::{Error, Model, PageRequest, Reply};
use serde_json::{Value, json};

/// An in-memory object store speaking S3's ListObjects (v1) dialect.
struct ObjectStore {
    keys: Vec<String>,
    requests: Cell<u32>,
}

/// The store's own error type; paginate keeps it as the error's `source()`.
#[derive(Debug)]
struct StoreError(String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl ObjectStore {
    fn new(count: usize) -> ObjectStore {
        let folders = ["docs", "photos", "videos"];
        let mut keys: Vec<String> = (0..count)
            .map(|i| format!("{}/{:05}.bin", folders[i % folders.len()], i))
            .collect();
        keys.sort();
        ObjectStore {
            keys,
            requests: Cell::new(0),
        }
    }
}

impl Transport for ObjectStore {
    type Error = StoreError;

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, StoreError> {
        let (operation, params) = (request.operation(), request.params());
        if operation != "ListObjects" {
            return Err(StoreError(format!("unsupported operation {operation}")));
        }
        self.requests.set(self.requests.get() + 1);
        let marker = params.get("Marker").and_then(Value::as_str).unwrap_or("");
        let prefix = params.get("Prefix").and_then(Value::as_str).unwrap_or("");
        let max_keys = params
            .get("MaxKeys")
            .and_then(Value::as_u64)
            .unwrap_or(1000) as usize;
        let matching: Vec<&String> = self
            .keys
            .iter()
            .filter(|k| k.as_str() > marker && k.starts_with(prefix))
            .collect();
        let contents: Vec<Value> = matching
            .iter()
            .take(max_keys)
            .map(|key| {
                let n: u64 = key[key.len() - 9..key.len() - 4].parse().unwrap_or(0);
                json!({"Key": key, "Size": (n * 7919) % 10_000, "StorageClass": "STANDARD"})
            })
            .collect();
        Ok(json!({
            "Name": "media",
            "Prefix": prefix,
            "MaxKeys": max_keys,
            "IsTruncated": matching.len() > max_keys,
            "Contents": contents,
        })
        .into())
    }
}

fn main() -> ExitCode {
    match tour() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}

fn tour() -> Result<(), Error> {
    let store = ObjectStore::new(2_500);
    // botocore's model for S3 ListObjects, as it ships in paginators-1.json.
    let registry = Registry::from_json(
        r#"{"pagination": {"ListObjects": {
            "more_results": "IsTruncated",
            "limit_key": "MaxKeys",
            "output_token": "NextMarker || Contents[-1].Key",
            "input_token": "Marker",
            "result_key": ["Contents", "CommonPrefixes"],
            "non_aggregate_keys": ["Name", "Prefix"]
        }}}"#,
    )?;
    let list_objects: &Model = registry.get("list_objects")?;
    let bucket = json!({"Bucket": "media"});

    println!("1. Pages of 400 objects");
    for (n, page) in list_objects
        .paginate(&store, bucket.clone())
        .page_size(400)
        .enumerate()
    {
        let page = page?;
        let contents = page["Contents"].as_array().map_or(&[][..], Vec::as_slice);
        println!(
            "   page {}: {:>3} objects, {} .. {}",
            n + 1,
            contents.len(),
            contents
                .first()
                .map_or("-", |o| o["Key"].as_str().unwrap_or("?")),
            contents
                .last()
                .map_or("-", |o| o["Key"].as_str().unwrap_or("?")),
        );
    }
    println!("   {} requests so far\n", store.requests.get());

    println!("2. Items: the first 3 photos");
    let photos = list_objects.paginate(&store, json!({"Bucket": "media", "Prefix": "photos/"}));
    for object in photos.items().take(3) {
        let object = object?;
        println!("   {} ({} bytes)", object["Key"], object["Size"]);
    }
    println!();

    println!("3. max_items 1,000 with pages of 300, then resume from the token");
    let mut first = list_objects
        .paginate(&store, bucket.clone())
        .page_size(300)
        .max_items(1_000);
    let mut listed = 0;
    for page in &mut first {
        listed += page?["Contents"].as_array().map_or(0, Vec::len);
    }
    let Some(token) = first.resume_token() else {
        println!("   the listing ended before max_items");
        return Ok(());
    };
    println!("   first run: {listed} objects; resume token {token}");
    let rest = list_objects
        .paginate(&store, bucket.clone())
        .page_size(300)
        .starting_token(Some(token))
        .items()
        .count();
    println!("   resumed run: {rest} objects; {} in all\n", listed + rest);

    println!("4. JMESPath search: keys of videos over 9,900 bytes");
    let big: Vec<Value> = list_objects
        .paginate(&store, json!({"Bucket": "media", "Prefix": "videos/"}))
        .search("Contents[?Size > `9900`].Key")?
        .collect::<Result<_, _>>()?;
    println!("   {} found: {}\n", big.len(), Value::Array(big.clone()));

    println!("5. build_full_result over the docs folder, first 5 objects");
    let full = list_objects
        .paginate(&store, json!({"Bucket": "media", "Prefix": "docs/"}))
        .page_size(2)
        .max_items(5)
        .build_full_result()?;
    let keys: Vec<&str> = full["Contents"]
        .as_array()
        .map(|a| a.iter().filter_map(|o| o["Key"].as_str()).collect())
        .unwrap_or_default();
    println!("   Contents: {}", keys.join(", "));
    println!("   Name: {}, Prefix: {}", full["Name"], full["Prefix"]);
    println!("   NextToken: {}\n", full["NextToken"]);

    println!("6. A bad resume token is refused before any request");
    let before = store.requests.get();
    let err = list_objects
        .paginate(&store, bucket)
        .starting_token(Some(
            "eyJNYXJrZXIiOiAibTEiLCAiQnVja2V0IjogIm90aGVyIn0=".into(),
        ))
        .next()
        .and_then(Result::err);
    if let Some(err) = err {
        println!("   {err}");
    }
    println!("   requests sent: {}", store.requests.get() - before);
    Ok(())
}
