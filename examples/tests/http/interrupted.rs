//! Interrupted runs (stopped after k items, `max_items`, chains of runs resumed from their
//! tokens) list everything exactly once; dropped streams send nothing more.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_stream_stopped_after_k_items_resumes_from_its_token() {
    let server = Server::start().await.unwrap();
    let api = async_api(&server.base_url());
    let all = &server.data().objects;

    for k in [
        1, 2, 499, 500, 501, 999, 1_000, 1_001, 5_250, 10_501, 10_502,
    ] {
        let mut first = everything().paginate_async(&api).page_size(500).items();
        let mut listed = Vec::new();
        while listed.len() < k {
            listed.push(first.next().await.unwrap().unwrap());
        }
        let token = first.resume_token();
        drop(first);
        match token {
            None => assert_eq!(k, all.len(), "no token, yet {k} items were taken"),
            Some(token) => {
                let rest = everything()
                    .paginate_async(&api)
                    .page_size(500)
                    .starting_token(Some(token))
                    .items()
                    .collect_all()
                    .await;
                listed.extend(rest);
            }
        }
        assert_eq!(&listed, all, "stopped after {k} items");
    }
}

#[test]
fn a_chain_of_interrupted_blocking_runs_lists_everything_exactly_once() {
    let server = BlockingServer::start().unwrap();
    let api = blocking_api(&server.base_url());

    // Objects: each run resumes from the previous one's item token (offsets add up, R7)
    // and stops after the next count; page size 333 puts the stops all over the pages.
    let stops = [1, 332, 1, 1, 999, 2_500, 333, 1_234, 7];
    let mut listed: Vec<Object> = Vec::new();
    let mut token: Option<String> = None;
    for stop in stops.iter().copied().cycle() {
        let mut run = everything().paginate(&api).page_size(333);
        if let Some(token) = token.take() {
            run = run.starting_token(Some(token));
        }
        let mut items = run.items();
        for object in items.by_ref().take(stop) {
            listed.push(object.unwrap());
        }
        token = items.resume_token();
        if token.is_none() {
            break;
        }
    }
    assert_eq!(listed, server.data().objects);

    // Users, stopping at page boundaries: the page iterator's own token.
    let mut users: Vec<User> = Vec::new();
    let mut token: Option<String> = None;
    for pages_per_run in [1, 3, 2].iter().copied().cycle() {
        let mut run = ListUsers::default().paginate(&api).page_size(97);
        if let Some(token) = token.take() {
            run = run.starting_token(Some(token));
        }
        for page in run.by_ref().take(pages_per_run) {
            users.extend(page.unwrap().users);
        }
        token = run.resume_token();
        if token.is_none() {
            break;
        }
    }
    assert_eq!(users, server.data().users);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_items_runs_chained_by_their_tokens_list_everything_exactly_once() {
    let server = Server::start().await.unwrap();
    let api = async_api(&server.base_url());
    let data = server.data();

    for (max_items, page_size) in [
        (250, 100),
        (999, 1_000),
        (1_000, 1_000),
        (1_001, 1_000),
        (2_500, 700),
        (4_000, 1_000),
    ] {
        let mut listed: Vec<Object> = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut run = everything()
                .paginate_async(&api)
                .max_items(max_items)
                .page_size(page_size);
            if let Some(token) = token.take() {
                run = run.starting_token(Some(token));
            }
            let before = listed.len();
            while let Some(page) = run.next().await {
                listed.extend(page.unwrap().contents);
            }
            token = run.resume_token();
            let taken = (listed.len() - before) as u64;
            match &token {
                Some(_) => assert_eq!(taken, max_items, "a run that stopped early must be full"),
                None => break,
            }
        }
        assert_eq!(
            listed, data.objects,
            "max_items {max_items}, page size {page_size}"
        );
    }

    // The same through build_full_result's NextToken, on the users endpoint.
    let mut users: Vec<User> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut run = ListUsers::default()
            .paginate_async(&api)
            .page_size(300)
            .max_items(1_100);
        if let Some(token) = token.take() {
            run = run.starting_token(Some(token));
        }
        let full: Value = run.build_full_result_as().await.unwrap();
        let page: Vec<User> = serde_json::from_value(full["users"].clone()).unwrap();
        users.extend(page);
        match full.get("NextToken").and_then(Value::as_str) {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(users, data.users);
}

// ---------------------------------------------------------------------------------------
// Cancellation

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_stream_sends_no_further_request() {
    let server = Server::start().await.unwrap();
    let api = async_api(&server.base_url());

    // A page stream, an item stream and a search stream, each dropped after its first page.
    let mut pages = everything().paginate_async(&api).page_size(100);
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.contents.len(), 100);
    assert!(first.is_truncated);
    assert_eq!(server.requests(), 1);
    drop(pages);
    // One request of our own: the server sees it right after the first page, and nothing
    // from the dropped stream (which could only send when polled) came in between.
    probe(&api).await;
    assert_eq!(server.requests(), 2);

    let mut items = ListUsers::default()
        .paginate_async(&api)
        .page_size(10)
        .items();
    assert_eq!(items.next().await.unwrap().unwrap(), server.data().users[0]);
    assert_eq!(server.requests(), 3);
    drop(items);
    probe(&api).await;
    assert_eq!(server.requests(), 4);

    let mut search = everything()
        .paginate_async(&api)
        .page_size(5)
        .search("Contents[].Key")
        .unwrap();
    let key = search.next().await.unwrap().unwrap();
    assert_eq!(key, json!(server.data().objects[0].key));
    assert_eq!(server.requests(), 5);
    drop(search);
    probe(&api).await;
    assert_eq!(server.requests(), 6);
}
