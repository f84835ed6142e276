//! S3 ListObjectVersions, two input tokens (KeyMarker, VersionIdMarker): on moto against
//! boto3, with delete markers and common prefixes; and on s3s-fs, which does not implement
//! it (both paginate and boto3 get 501 NotImplemented).

use paginate_peers::PeerError;
use paginated::Error;
use serde_json::{Value, json};

use crate::items_of;
use crate::s3::{create_bucket, put_keys};
use crate::support::{self, Case, Server, View, check_against_boto3, model, s3, setup};

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
    tally.assert_all_bodies("S3 ListObjectVersions on moto");
    assert_eq!(api.replies().values, 0, "{:?}", api.replies());
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
