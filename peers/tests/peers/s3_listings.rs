//! S3 ListObjects and ListObjectsV2 on moto and s3s-fs, against boto3: with and without a
//! delimiter, the `NextMarker || Contents[-1].Key` fallback, StartAfter, and where each
//! server departs from AWS. Every page reaches paginate as a body: S3's XML, decoded by the
//! client and written out as JSON text.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::items_of;
use crate::s3::{KEYS, create_bucket, expected_listing, fallback_token, listing_view, put_keys};
use crate::support::{self, Case, Server, check_against_boto3, model, s3};

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
    // S3 answers XML, decoded by the client and handed to the run as JSON text: every page
    // was a body.
    tally.assert_all_bodies(&format!("S3 ListObjects on {}", server.describe()));
    assert_eq!(api.replies().values, 0, "{:?}", api.replies());
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
    tally.assert_all_bodies(&format!("S3 ListObjectsV2 on {}", server.describe()));
    assert_eq!(api.replies().values, 0, "{:?}", api.replies());
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
