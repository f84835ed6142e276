//! The cases over the `Value` transport ([`Canned`] parses each body as it hands it out): the
//! hand-written loops and paginate's side of each.

use std::hint::black_box;

use paginated::nonblocking::Transport as _;
use paginated::{Model, PageRequest, Reply};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::{CHUNK, Canned, SEARCH, fail};

// ---------------------------------------------------------------- hand-written loops

/// The hand-written loop's view of a page: where the next marker is and whether there is one.
pub(crate) fn next_marker(page: &Value) -> Option<String> {
    if page.get("IsTruncated").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    page.get("NextMarker")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .or_else(|| {
            page.get("Contents")?
                .as_array()?
                .last()?
                .get("Key")?
                .as_str()
        })
        .map(str::to_owned)
}

pub(crate) fn take_contents(page: &mut Value) -> Vec<Value> {
    match page.get_mut("Contents").map(Value::take) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    }
}

pub(crate) fn hand_items(api: &Canned) -> usize {
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let Ok(mut page) = api.page(&marker) else {
            return n;
        };
        let next = next_marker(&page);
        for item in take_contents(&mut page) {
            black_box(item);
            n += 1;
        }
        match next {
            Some(m) => marker = m,
            None => return n,
        }
    }
}

pub(crate) fn hand_search(api: &Canned) -> usize {
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let Ok(page) = api.page(&marker) else {
            return n;
        };
        if let Some(items) = page.get("Contents").and_then(Value::as_array) {
            for item in items {
                if item
                    .get("Size")
                    .and_then(Value::as_f64)
                    .is_some_and(|s| s > 500.0)
                    && let Some(k) = item.get("Key")
                {
                    black_box(k.clone());
                    n += 1;
                }
            }
        }
        match next_marker(&page) {
            Some(m) => marker = m,
            None => return n,
        }
    }
}

pub(crate) fn hand_full(api: &Canned) -> usize {
    let (mut marker, mut all) = (String::new(), Vec::new());
    loop {
        let Ok(mut page) = api.page(&marker) else {
            break;
        };
        let next = next_marker(&page);
        all.extend(take_contents(&mut page));
        match next {
            Some(m) => marker = m,
            None => break,
        }
    }
    let n = all.len();
    let mut full = Map::new();
    full.insert("Contents".to_owned(), Value::Array(all));
    black_box(Value::Object(full));
    n
}

/// Stateless chunks of `CHUNK` items: each chunk starts from (marker, offset) as a resume
/// token would, refetching a page it starts inside of.
pub(crate) fn hand_chunks(api: &Canned) -> usize {
    let (mut marker, mut offset, mut n) = (String::new(), 0usize, 0);
    loop {
        let mut left = CHUNK as usize;
        loop {
            let Ok(mut page) = api.page(&marker) else {
                return n;
            };
            let next = next_marker(&page);
            let items = take_contents(&mut page);
            let available = items.len().saturating_sub(offset);
            let taken = available.min(left);
            for item in items.into_iter().skip(offset).take(taken) {
                black_box(item);
            }
            n += taken;
            left -= taken;
            if taken < available {
                offset += taken;
                break; // the chunk ends inside this page
            }
            offset = 0;
            match next {
                Some(m) => marker = m,
                None => return n,
            }
            if left == 0 {
                break;
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
pub(crate) struct Object {
    pub(crate) key: String,
    size: u64,
    e_tag: String,
    storage_class: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TypedPage {
    #[serde(default)]
    pub(crate) contents: Vec<Object>,
    pub(crate) is_truncated: bool,
}

pub(crate) fn hand_typed(api: &Canned) -> usize {
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let Ok(body) = api.body(&marker) else {
            return n;
        };
        let Ok(page) = serde_json::from_str::<TypedPage>(body) else {
            return n;
        };
        let next = page.contents.last().map(|o| o.key.clone());
        let more = page.is_truncated;
        for object in page.contents {
            black_box(object);
            n += 1;
        }
        match next.filter(|_| more) {
            Some(m) => marker = m,
            None => return n,
        }
    }
}

/// Typed items from JSON pages, as a loop over a `Value` transport would get them.
pub(crate) fn hand_typed_from_value(api: &Canned) -> usize {
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let Ok(mut page) = api.page(&marker) else {
            return n;
        };
        let next = next_marker(&page);
        for item in take_contents(&mut page) {
            if let Ok(object) = serde_json::from_value::<Object>(item) {
                black_box(object);
                n += 1;
            }
        }
        match next {
            Some(m) => marker = m,
            None => return n,
        }
    }
}

pub(crate) async fn hand_async_items(api: &Canned) -> usize {
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let params: Map<String, Value> = [("Marker".to_owned(), Value::String(marker.clone()))]
            .into_iter()
            .collect();
        let Ok(paginated::Content::Value(mut page)) = api
            .fetch(PageRequest::new("ListObjects", &params))
            .await
            .map(Reply::into_content)
        else {
            return n;
        };
        let next = next_marker(&page);
        for item in take_contents(&mut page) {
            black_box(item);
            n += 1;
        }
        match next {
            Some(m) => marker = m,
            None => return n,
        }
    }
}

// ---------------------------------------------------------------- paginate

/// Takes every item, so none of the work can be optimized away; counts them.
pub(crate) fn consume<T>(items: impl Iterator<Item = T>) -> usize {
    let mut n = 0;
    for item in items {
        black_box(item);
        n += 1;
    }
    n
}

pub(crate) fn paginate_items(m: &Model, api: &Canned) -> usize {
    consume(m.paginate(api, json!({"Bucket": "media"})).items())
}

pub(crate) fn paginate_search(m: &Model, api: &Canned) -> usize {
    match m.paginate(api, json!({"Bucket": "media"})).search(SEARCH) {
        Ok(results) => consume(results),
        Err(e) => fail(&e.to_string()),
    }
}

pub(crate) fn paginate_full(m: &Model, api: &Canned) -> usize {
    match m
        .paginate(api, json!({"Bucket": "media"}))
        .build_full_result()
    {
        Ok(full) => black_box(full)["Contents"].as_array().map_or(0, Vec::len),
        Err(e) => fail(&e.to_string()),
    }
}

pub(crate) fn paginate_chunks(m: &Model, api: &Canned) -> usize {
    let (mut n, mut token) = (0, None);
    loop {
        let mut run = m.paginate(api, json!({"Bucket": "media"})).max_items(CHUNK);
        if let Some(t) = token.take() {
            run = run.starting_token(Some(t));
        }
        let mut items = run.items();
        n += consume(items.by_ref());
        match items.resume_token() {
            Some(t) => token = Some(t),
            None => return n,
        }
    }
}

pub(crate) fn paginate_typed(m: &Model, api: &Canned) -> usize {
    consume(
        m.paginate(api, json!({"Bucket": "media"}))
            .items()
            .typed::<Object>(),
    )
}

pub(crate) async fn paginate_async_items(m: &Model, api: &Canned) -> usize {
    let mut items = m.paginate_async(api, json!({"Bucket": "media"})).items();
    let mut n = 0;
    while let Some(item) = items.next().await {
        black_box(item.is_ok());
        n += 1;
    }
    n
}
