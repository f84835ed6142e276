//! S3 fixtures the S3 modules share (the keys, buckets, the listing S3 should give, the
//! view compared), and keys with `+` signs on moto and s3s-fs, where boto3 goes wrong on
//! s3s-fs and paginate does not. S3 answers XML, which the client decodes into botocore's
//! JSON shape and writes out as JSON text: every page reaches paginate as a body (asserted).

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::support::{self, S3, Server, View, Without, model, s3, setup, unique};

/// Keys with nested prefixes, spaces and letters outside ASCII (tokens then carry `\u`
/// escapes), listed by S3 in UTF-8 byte order.
pub(crate) const KEYS: &[&str] = &[
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

pub(crate) fn body_of(key: &str) -> String {
    key.repeat(1 + key.len() % 3)
}

pub(crate) fn create_bucket(server: Server, api: &S3, versioned: bool) -> String {
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

pub(crate) fn put_keys(server: Server, api: &S3, bucket: &str) {
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
pub(crate) fn expected_listing(prefix: &str, delimiter: Option<&str>) -> (Vec<Value>, Vec<Value>) {
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

pub(crate) fn listing_view(token_scalars: &[&'static str]) -> View {
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
pub(crate) fn fallback_token(
    model: &paginated::Model,
    api: &S3,
    bucket: &str,
    page_size: u64,
) -> String {
    let without_next_marker = Without::new(api, &["NextMarker"]);
    let mut run = model
        .paginate(&without_next_marker, json!({"Bucket": bucket}))
        .page_size(page_size);
    run.next().unwrap().unwrap();
    run.resume_token().unwrap()
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
    // S3's XML, decoded by the client and handed over as JSON text: every reply (set-up and
    // runs) was a body.
    let replies = api.replies();
    assert!(
        replies.values == 0 && replies.bodies > keys.len() as u64,
        "{replies:?}"
    );
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
