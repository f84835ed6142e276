//! The cases over a transport that answers with the response body ([`Content::Body`](paginated::Content::Body)): the same
//! canned bodies as [`Canned`], unparsed. Each page hands out a copy of its bytes, as the
//! `Value` transport hands out a freshly parsed page, and every hand-written loop here makes
//! the same copy before it deserializes, so both sides pay for one buffer a page.

use std::hint::black_box;

use paginated::blocking::Transport;
use paginated::{Model, PageRequest, Reply};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::cases::{Object, TypedPage, consume, next_marker, take_contents};
use crate::{Canned, fail, same_results, sink};

/// [`Canned`]'s bodies, answered as bodies.
pub(crate) struct Bodies<'a>(pub(crate) &'a Canned);

fn marker(params: &Map<String, Value>) -> &str {
    params.get("Marker").and_then(Value::as_str).unwrap_or("")
}

impl Bodies<'_> {
    /// The body of the page after `marker`, copied: what a transport hands out.
    fn bytes(&self, marker: &str) -> Result<Vec<u8>, String> {
        self.0.body(marker).map(|b| b.as_bytes().to_vec())
    }
}

impl Transport for Bodies<'_> {
    type Error = String;
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, String> {
        self.bytes(marker(request.params())).map(Reply::body)
    }
}

/// The full result as a typed listing: the one result key this workload has.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TypedListing {
    #[serde(default)]
    pub(crate) contents: Vec<Object>,
}

// ---------------------------------------------------------------- hand-written loops

/// Walks the typed pages of the listing, each deserialized straight from its body.
fn walk_typed_pages(api: &Canned, mut each: impl FnMut(TypedPage)) {
    let api = Bodies(api);
    let mut marker = String::new();
    loop {
        let Ok(bytes) = api.bytes(&marker) else {
            return;
        };
        let Ok(page) = serde_json::from_slice::<TypedPage>(&bytes) else {
            return;
        };
        let next = page
            .contents
            .last()
            .map(|o| o.key.clone())
            .filter(|_| page.is_truncated);
        each(page);
        match next {
            Some(m) => marker = m,
            None => return,
        }
    }
}

fn hand_typed_items_into(api: &Canned, mut sink: impl FnMut(Object)) -> usize {
    let mut n = 0;
    walk_typed_pages(api, |page| {
        for object in page.contents {
            sink(object);
            n += 1;
        }
    });
    n
}

fn hand_typed_full_result(api: &Canned) -> TypedListing {
    let mut contents = Vec::new();
    walk_typed_pages(api, |page| contents.extend(page.contents));
    TypedListing { contents }
}

fn hand_typed_pages_into(api: &Canned, mut sink: impl FnMut(TypedPage)) -> usize {
    let mut n = 0;
    walk_typed_pages(api, |page| {
        n += page.contents.len();
        sink(page);
    });
    n
}

fn hand_items_into(api: &Canned, mut sink: impl FnMut(Value)) -> usize {
    let api = Bodies(api);
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let Ok(bytes) = api.bytes(&marker) else {
            return n;
        };
        let Ok(mut page) = serde_json::from_slice::<Value>(&bytes) else {
            return n;
        };
        let next = next_marker(&page);
        for item in take_contents(&mut page) {
            sink(item);
            n += 1;
        }
        match next {
            Some(m) => marker = m,
            None => return n,
        }
    }
}

// ---------------------------------------------------------------- paginate

fn paginate_typed_items_into(m: &Model, api: &Canned, mut sink: impl FnMut(Object)) -> usize {
    let mut n = 0;
    for object in m
        .paginate(&Bodies(api), json!({"Bucket": "media"}))
        .items()
        .typed::<Object>()
    {
        match object {
            Ok(o) => sink(o),
            Err(e) => fail(&e.to_string()),
        }
        n += 1;
    }
    n
}

fn paginate_typed_full_result(m: &Model, api: &Canned) -> TypedListing {
    match m
        .paginate(&Bodies(api), json!({"Bucket": "media"}))
        .build_full_result_as::<TypedListing>()
    {
        Ok(full) => full,
        Err(e) => fail(&e.to_string()),
    }
}

fn paginate_typed_pages_into(m: &Model, api: &Canned, mut sink: impl FnMut(TypedPage)) -> usize {
    let mut n = 0;
    for page in m
        .paginate(&Bodies(api), json!({"Bucket": "media"}))
        .typed::<TypedPage, Object>()
    {
        match page {
            Ok(p) => {
                n += p.contents.len();
                sink(p);
            }
            Err(e) => fail(&e.to_string()),
        }
    }
    n
}

fn paginate_items_into(m: &Model, api: &Canned, sink: impl FnMut(Value)) -> usize {
    consume(
        m.paginate(&Bodies(api), json!({"Bucket": "media"}))
            .items()
            .map(|item| item.unwrap_or_else(|e| fail(&e.to_string())))
            .map(sink),
    )
}

// ---------------------------------------------------------------- the cases

pub(crate) fn typed_items(m: &Model, api: &Canned) -> usize {
    paginate_typed_items_into(m, api, sink)
}

pub(crate) fn hand_typed_items(api: &Canned) -> usize {
    hand_typed_items_into(api, sink)
}

pub(crate) fn typed_full(m: &Model, api: &Canned) -> usize {
    black_box(paginate_typed_full_result(m, api)).contents.len()
}

pub(crate) fn hand_typed_full(api: &Canned) -> usize {
    black_box(hand_typed_full_result(api)).contents.len()
}

pub(crate) fn items(m: &Model, api: &Canned) -> usize {
    paginate_items_into(m, api, sink)
}

pub(crate) fn hand_items(api: &Canned) -> usize {
    hand_items_into(api, sink)
}

pub(crate) fn typed_pages(m: &Model, api: &Canned) -> usize {
    paginate_typed_pages_into(m, api, sink)
}

pub(crate) fn hand_typed_pages(api: &Canned) -> usize {
    hand_typed_pages_into(api, sink)
}

// ---------------------------------------------------------------- warm-up checks

/// The two sides of a case, as [`same_results`] names them.
const OURS: &str = "paginate";
const HAND: &str = "the hand-written loop";

pub(crate) fn check_typed_items(m: &Model, api: &Canned) -> Result<(), String> {
    let (mut ours, mut hand) = (Vec::new(), Vec::new());
    paginate_typed_items_into(m, api, |o| ours.push(o));
    hand_typed_items_into(api, |o| hand.push(o));
    same_results("typed items", (OURS, &ours), (HAND, &hand))
}

pub(crate) fn check_typed_full(m: &Model, api: &Canned) -> Result<(), String> {
    let (ours, hand) = (
        paginate_typed_full_result(m, api),
        hand_typed_full_result(api),
    );
    same_results(
        "typed full result",
        (OURS, &ours.contents),
        (HAND, &hand.contents),
    )
}

pub(crate) fn check_items(m: &Model, api: &Canned) -> Result<(), String> {
    let (mut ours, mut hand) = (Vec::new(), Vec::new());
    paginate_items_into(m, api, |v| ours.push(v));
    hand_items_into(api, |v| hand.push(v));
    same_results("items", (OURS, &ours), (HAND, &hand))
}

pub(crate) fn check_typed_pages(m: &Model, api: &Canned) -> Result<(), String> {
    let (mut ours, mut hand) = (Vec::new(), Vec::new());
    paginate_typed_pages_into(m, api, |p| ours.push(p));
    hand_typed_pages_into(api, |p| hand.push(p));
    same_results("typed pages", (OURS, &ours), (HAND, &hand))
}
