//! Typed pages and items (deserialized in one call, errors naming page and item index) and the
//! per-page progress hook, blocking and async.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use paginate_tests::{Scripted, enc};
use paginated::{Error, Paginated, Progress};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Object {
    key: String,
    size: u64,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListObjectsOutput {
    contents: Vec<Object>,
    /// Pages have it; a full result does not (G4 keeps only result and non-aggregate keys),
    /// so the type can hold both only with a default.
    #[serde(default)]
    is_truncated: bool,
}

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker || Contents[-1].Key",
    result_key = "Contents",
    more_results = "IsTruncated",
    limit_key = "MaxKeys",
    page = "ListObjectsOutput",
    item = "Object"
)]
struct ListObjects {
    bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_keys: Option<u32>,
}

fn pages() -> [Value; 2] {
    [
        json!({"Contents": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 2}], "IsTruncated": true}),
        json!({"Contents": [{"Key": "c", "Size": 3}], "IsTruncated": false}),
    ]
}

fn object(key: &str, size: u64) -> Object {
    Object {
        key: key.into(),
        size,
    }
}

#[test]
fn the_derive_names_the_page_and_item_types() {
    let api = Scripted::new(pages());
    let request = ListObjects {
        bucket: "b".into(),
        ..Default::default()
    };
    let objects: Vec<Object> = request
        .paginate(&api)
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(objects, [object("a", 1), object("b", 2), object("c", 3)]);

    let api = Scripted::new(pages());
    let typed: Vec<ListObjectsOutput> = request.paginate(&api).collect::<Result<_, _>>().unwrap();
    assert_eq!(typed[0].contents, [object("a", 1), object("b", 2)]);
    assert!(typed[0].is_truncated);
    assert!(!typed[1].is_truncated);
}

#[test]
fn json_runs_become_typed_in_one_call() {
    let model = ListObjects::pagination_model().unwrap();
    let api = Scripted::new(pages());
    let objects: Vec<Object> = model
        .paginate(&api, json!({"Bucket": "b"}))
        .items()
        .typed::<Object>()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(objects.len(), 3);
    let api = Scripted::new(pages());
    let outputs: Vec<ListObjectsOutput> = model
        .paginate(&api, json!({"Bucket": "b"}))
        .typed::<ListObjectsOutput, Value>()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(outputs[1].contents, [object("c", 3)]);
}

#[test]
fn a_bad_item_names_its_page_and_index_and_the_run_goes_on_resumably() {
    let api = Scripted::new([
        json!({"Contents": [{"Key": "a", "Size": 1}], "IsTruncated": true}),
        json!({"Contents": [{"Key": "b", "Size": 2}, {"Key": "c"}, {"Key": "d", "Size": 4}], "IsTruncated": false}),
    ]);
    let request = ListObjects {
        bucket: "b".into(),
        ..Default::default()
    };
    let mut items = request.paginate(&api).items();
    assert_eq!(items.next().unwrap().unwrap(), object("a", 1));
    assert_eq!(items.next().unwrap().unwrap(), object("b", 2));
    let err = items.next().unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Deserialize {
                page,
                index: Some(1),
                ..
            } if page == 2
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("ListObjects: item 1 of page 2 could not be read as `typed::Object`: missing field `Size`"),
        "{err}"
    );
    // The bad item was taken: the token points past it, and the rest still comes.
    assert_eq!(
        items.resume_token(),
        Some(enc(r#"{"Marker": "a", "boto_truncate_amount": 2}"#))
    );
    assert_eq!(items.next().unwrap().unwrap(), object("d", 4));
    assert!(items.next().is_none());
}

#[test]
fn a_bad_page_names_the_page() {
    let api = Scripted::new([json!({"Contents": "oops", "IsTruncated": false})]);
    let request = ListObjects {
        bucket: "b".into(),
        ..Default::default()
    };
    let err = request.paginate(&api).next().unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Deserialize {
                page,
                index: None,
                ..
            } if page == 1
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("ListObjects: page 1 could not be read as `typed::ListObjectsOutput`:"),
        "{err}"
    );
}

fn recorder() -> (
    Arc<Mutex<Vec<Progress>>>,
    impl FnMut(&Progress) + Send + 'static,
) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    (seen, move |p: &Progress| {
        sink.lock().unwrap().push(p.clone())
    })
}

/// R8: each hook call's token fetches the page that just arrived: the first page is fetched
/// by no marker at all, the second by the first page's last key.
fn expected_progress() -> Vec<(u64, u64, Option<String>, bool)> {
    vec![
        (1, 2, Some(enc(r#"{"Marker": null}"#)), false),
        (2, 3, Some(enc(r#"{"Marker": "b"}"#)), true),
    ]
}

#[test]
fn progress_hook_reports_page_items_and_token() {
    let (seen, hook) = recorder();
    let api = Scripted::new(pages());
    let request = ListObjects {
        bucket: "b".into(),
        ..Default::default()
    };
    let count = request.paginate(&api).on_page(hook).items().count();
    assert_eq!(count, 3);
    let seen: Vec<_> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|p| (p.page, p.items, p.resume_token.clone(), p.last))
        .collect();
    assert_eq!(seen, expected_progress());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_hook_and_typed_items_on_streams() {
    let (seen, hook) = recorder();
    let api = Arc::new(Scripted::new(pages()));
    let request = ListObjects {
        bucket: "b".into(),
        ..Default::default()
    };
    let mut items = request.paginate_async(api).on_page(hook).items();
    let mut objects = Vec::new();
    while let Some(object) = items.next().await {
        objects.push(object.unwrap());
    }
    assert_eq!(objects, [object("a", 1), object("b", 2), object("c", 3)]);
    let seen: Vec<_> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|p| (p.page, p.items, p.resume_token.clone(), p.last))
        .collect();
    assert_eq!(seen, expected_progress());
}

/// G4 typed: the merged result has a page's shape, so it deserializes into the declared page
/// type; `NextToken` (only set when `max_items` stopped the run) is read by a type that asks.
#[test]
fn the_full_result_comes_as_the_page_type_or_one_named_per_call() {
    let request = ListObjects {
        bucket: "b".into(),
        ..Default::default()
    };
    let api = Scripted::new(pages());
    let full: ListObjectsOutput = request.paginate(&api).build_full_result().unwrap();
    assert_eq!(
        full.contents,
        [object("a", 1), object("b", 2), object("c", 3)]
    );

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Cut {
        contents: Vec<Object>,
        next_token: Option<String>,
    }
    let api = Scripted::new(pages());
    let cut: Cut = request
        .paginate(&api)
        .max_items(1)
        .build_full_result_as()
        .unwrap();
    assert_eq!(cut.contents, [object("a", 1)]);
    assert_eq!(
        cut.next_token,
        Some(enc(r#"{"Marker": null, "boto_truncate_amount": 1}"#))
    );

    // A type that does not fit names the operation and the type, not a page.
    let api = Scripted::new(pages());
    match request.paginate(&api).build_full_result_as::<Vec<u8>>() {
        Err(e @ Error::DeserializeFullResult { .. }) => {
            let message = e.to_string();
            assert!(
                message.starts_with(
                    "ListObjects: the full result could not be read as `alloc::vec::Vec<u8>`"
                ),
                "{message}"
            );
        }
        other => panic!("expected DeserializeFullResult, got {other:?}"),
    }
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Prefix {
    prefix: String,
}

fn listing_with_prefixes() -> paginated::Model {
    paginated::Model::builder("ListObjects")
        .input_token("Marker")
        .output_token("NextMarker")
        .result_key("Contents")
        .result_key("CommonPrefixes")
        .build()
        .unwrap()
}

fn prefix_pages() -> [Value; 2] {
    [
        json!({"Contents": [], "CommonPrefixes": [{"Prefix": "a/"}], "NextMarker": "m"}),
        json!({"Contents": [], "CommonPrefixes": [{"Prefix": "b/"}, {"Prefix": "c/"}]}),
    ]
}

#[test]
fn items_of_any_result_key_come_typed() {
    let api = Scripted::new(prefix_pages());
    let prefixes: Vec<Prefix> = listing_with_prefixes()
        .paginate(&api, json!({}))
        .items_of("CommonPrefixes")
        .unwrap()
        .typed::<Prefix>()
        .collect::<Result<_, _>>()
        .unwrap();
    let names: Vec<&str> = prefixes.iter().map(|p| p.prefix.as_str()).collect();
    assert_eq!(names, ["a/", "b/", "c/"]);
    assert!(matches!(
        listing_with_prefixes()
            .paginate(&api, json!({}))
            .items_of("Prefixes")
            .map(|items| items.typed::<Prefix>()),
        Err(Error::UnknownResultKey { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_full_results_and_items_of_on_streams() {
    let api = Arc::new(Scripted::new(pages()));
    let request = ListObjects {
        bucket: "b".into(),
        ..Default::default()
    };
    let full: ListObjectsOutput = request
        .paginate_async(api)
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(full.contents.len(), 3);

    let api = Arc::new(Scripted::new(prefix_pages()));
    let prefixes: Vec<Prefix> = listing_with_prefixes()
        .paginate_async(api, json!({}))
        .items_of("CommonPrefixes")
        .unwrap()
        .typed::<Prefix>()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(prefixes.len(), 3);
    assert_eq!(
        prefixes[2],
        Prefix {
            prefix: "c/".into()
        }
    );
}

/// The same pages as `pages()`, as the text of each page, by the request's marker.
fn page_text(marker: Option<&Value>) -> &'static str {
    match marker {
        None => {
            r#"{"Contents": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 2}], "IsTruncated": true}"#
        }
        Some(_) => r#"{"Contents": [{"Key": "c", "Size": 3}], "IsTruncated": false}"#,
    }
}

/// `typed` called after one item (G2, R2): the rest of the page in hand and the pages after
/// it come typed, none skipped or repeated, the resume token is the one before the switch, and
/// a typed run resumed from it gives the same items.
fn typed_mid_page(api: &impl paginated::blocking::Transport) {
    let model = ListObjects::pagination_model().unwrap();
    let mut items = model.paginate(api, json!({"Bucket": "b"})).items();
    assert_eq!(
        items.next().unwrap().unwrap(),
        json!({"Key": "a", "Size": 1})
    );
    let token = items.resume_token();
    assert!(token.is_some());
    let mut typed = items.typed::<Object>();
    assert_eq!(typed.resume_token(), token);
    let rest: Vec<Object> = typed.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(rest, [object("b", 2), object("c", 3)]);
    let resumed: Vec<Object> = model
        .paginate(api, json!({"Bucket": "b"}))
        .starting_token(token)
        .items()
        .typed::<Object>()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(resumed, rest);
}

#[test]
fn items_typed_mid_page_over_values_and_bodies() {
    use paginated::blocking::from_fn;
    type Never = std::convert::Infallible;
    // Parsed pages, and bodies the run reads itself (G8), whose typed cursor holds `Value`s.
    typed_mid_page(&from_fn(|request| {
        Ok::<_, Never>(
            serde_json::from_str::<Value>(page_text(request.params().get("Marker"))).unwrap(),
        )
    }));
    typed_mid_page(&from_fn(|request| {
        Ok::<_, Never>(page_text(request.params().get("Marker")))
    }));
}
