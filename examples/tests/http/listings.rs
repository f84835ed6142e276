//! Whole listings, compared item by item with the server's data: every object and every user,
//! once and in order, by the blocking and the async transport, with and without a delimiter.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawned_async_stream_lists_every_object_once_in_order() {
    let server = Server::start().await.unwrap();
    let api = Arc::new(async_api(&server.base_url()));

    let stream = everything()
        .paginate_async(api.clone())
        .page_size(777)
        .items();
    let objects: Vec<Object> = tokio::spawn(async move {
        let mut stream = stream;
        let mut objects = Vec::new();
        while let Some(object) = stream.next().await {
            objects.push(object.unwrap());
        }
        objects
    })
    .await
    .unwrap();

    assert_eq!(objects.len(), 10_502);
    assert_eq!(objects, server.data().objects);
    // ceil(10,502 / 777) pages, and no request after the page that said IsTruncated false.
    assert_eq!(server.requests(), 14);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_delimiter_pages_chain_on_the_last_key() {
    let server = Server::start().await.unwrap();
    let api = async_api(&server.base_url());

    let mut pages = everything().paginate_async(&api);
    let mut listed = Vec::new();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page: ObjectListing = page.unwrap();
        count += 1;
        // No NextMarker: the next Marker can only have come from `Contents[-1].Key`.
        assert_eq!(page.next_marker, None);
        assert_eq!(page.max_keys, 1_000);
        assert_eq!(page.is_truncated, count < 11);
        let expected_marker = listed
            .last()
            .map_or("", |o: &Object| o.key.as_str())
            .to_owned();
        assert_eq!(page.marker, expected_marker);
        listed.extend(page.contents);
    }
    assert_eq!(count, 11);
    assert_eq!(listed, server.data().objects);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_transport_in_spawn_blocking_lists_every_object_once_in_order() {
    let server = Server::start().await.unwrap();
    let base_url = server.base_url();

    let objects = tokio::task::spawn_blocking(move || {
        let api = blocking_api(&base_url);
        everything()
            .paginate(&api)
            .page_size(1_000)
            .items()
            .collect::<Result<Vec<Object>, _>>()
            .unwrap()
    })
    .await
    .unwrap();

    assert_eq!(objects, server.data().objects);
    assert_eq!(server.requests(), 11);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawned_async_stream_lists_every_user_once_in_order() {
    let server = Server::start().await.unwrap();
    let api = Arc::new(async_api(&server.base_url()));

    let pages = ListUsers::default()
        .paginate_async(api.clone())
        .page_size(64);
    let users: Vec<User> = tokio::spawn(async move {
        let mut pages = pages;
        let mut users = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.unwrap();
            // The token is null exactly on the last page.
            assert_eq!(
                page.next_token.is_none(),
                users.len() + page.users.len() == 3_000
            );
            users.extend(page.users);
        }
        users
    })
    .await
    .unwrap();

    assert_eq!(users, server.data().users);
    assert_eq!(server.requests(), 47); // ceil(3,000 / 64)
}

#[test]
fn blocking_server_and_blocking_client_list_every_user_once_in_order() {
    let server = BlockingServer::start().unwrap();
    let api = blocking_api(&server.base_url());

    // The server's default page (100 users), then the largest it allows.
    for (page_size, requests) in [(None, 30), (Some(500), 6)] {
        let before = server.requests();
        let mut pages = ListUsers::default().paginate(&api);
        if let Some(page_size) = page_size {
            pages = pages.page_size(page_size);
        }
        let users: Vec<User> = pages.items().collect::<Result<_, _>>().unwrap();
        assert_eq!(users, server.data().users);
        assert_eq!(server.requests() - before, requests);
    }
    server.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_delimiter_pages_chain_on_next_marker() {
    let server = Server::start().await.unwrap();
    let api = async_api(&server.base_url());

    for (prefix, page_size) in [("", 2), ("docs/", 1), ("photos/", 1), ("logs/app/2024/", 3)] {
        let (keys, prefixes) = expected_entries(server.data(), prefix);
        let mut pages = everything()
            .prefix(prefix)
            .delimiter("/")
            .paginate_async(&api)
            .page_size(page_size);
        let (mut got_keys, mut got_prefixes) = (Vec::new(), Vec::new());
        while let Some(page) = pages.next().await {
            let page = page.unwrap();
            let mut entries: Vec<String> = page.contents.iter().map(|o| o.key.clone()).collect();
            entries.extend(page.common_prefixes.iter().map(|c| c.prefix.clone()));
            entries.sort();
            let count = entries.len() as u64;
            if page.is_truncated {
                assert_eq!(count, page_size, "a truncated page is a full page");
            } else {
                assert!(count <= page_size);
            }
            // NextMarker is the page's last entry (sometimes a prefix, which
            // `Contents[-1].Key` could not give) exactly when the page is truncated.
            let last = entries.last().cloned();
            assert_eq!(
                page.next_marker,
                if page.is_truncated { last } else { None }
            );
            got_keys.extend(page.contents.into_iter().map(|o| o.key));
            got_prefixes.extend(page.common_prefixes.into_iter().map(|c| c.prefix));
        }
        assert_eq!(
            (&got_keys, &got_prefixes),
            (&keys, &prefixes),
            "prefix {prefix:?}"
        );
        assert!(!got_keys.is_empty() || !got_prefixes.is_empty());
    }

    // The top level has no keys at all: without NextMarker the run would stop after one page.
    let prefixes: Vec<Value> = everything()
        .delimiter("/")
        .paginate_async(&api)
        .page_size(2)
        .items_of("CommonPrefixes")
        .unwrap()
        .collect_all()
        .await;
    let expected: Vec<Value> = ["backups/", "docs/", "logs/", "photos/", "videos/"]
        .map(|p| json!({"Prefix": p}))
        .into();
    assert_eq!(prefixes, expected);
}
