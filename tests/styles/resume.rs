//! Crash/resume chains in every style (R2, R8, §8): a consumer stops after any item or any
//! page, keeps only the resume token, and a new run from it hands out the rest of the listing:
//! nothing lost, nothing repeated after an item token, only the unfinished page's items again
//! after a page token. Then the page size of positions: a page-number token records it and
//! refuses another (P5); an offset resumes under any page size (P4).

use serde_json::{Value, json};

use super::api::{Kind, all_items};
use super::{Case, cases, style_case};
use paginate_tests::Wire;
use paginated::{Error, PaginationConfig, TokenError};

/// Stops an item run after `stop` items, then resumes from its token as a new run with
/// `config` (over a fresh API): the items of both runs.
fn stop_and_resume(
    case: &Case,
    total: usize,
    wire: Wire,
    stop: usize,
    config: PaginationConfig,
) -> (Vec<Value>, Vec<Value>) {
    let model = (case.model)();
    let mut first = model
        .paginate(case.api(total, wire), (case.params)())
        .config(case.config())
        .items();
    let before: Vec<Value> = first.by_ref().take(stop).map(Result::unwrap).collect();
    let Some(token) = first.resume_token() else {
        return (before, Vec::new());
    };
    drop(first);
    let after = model
        .paginate(case.api(total, wire), (case.params)())
        .config(config.starting_token(Some(token)))
        .items()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{}: resuming after {stop} items: {e}", case.name));
    (before, after)
}

/// R2, R8: stopping after every item and resuming from the item token loses nothing and
/// repeats nothing, in every style, over both wires.
#[test]
fn r2_r8_every_style_resumes_after_any_item() {
    let total = 23;
    for case in cases() {
        for wire in Wire::ALL {
            for stop in 0..=total {
                let (mut before, after) = stop_and_resume(&case, total, wire, stop, case.config());
                before.extend(after);
                assert_eq!(
                    before,
                    all_items(total),
                    "{} over {wire:?}, stopped after {stop} items",
                    case.name
                );
            }
        }
    }
}

/// R2, R8: a page token resumes after the pages the consumer had: the listing again from the
/// next page, in every style.
#[test]
fn r2_every_style_resumes_after_any_page() {
    let total = 23;
    for case in cases() {
        let model = (case.model)();
        let mut pages_seen = 0;
        loop {
            let mut pages = model
                .paginate(case.api(total, Wire::Body), (case.params)())
                .config(case.config());
            let kept = pages.by_ref().take(pages_seen).count();
            let Some(token) = pages.resume_token() else {
                break;
            };
            assert_eq!(kept, pages_seen, "{}", case.name);
            let rest: usize = model
                .paginate(case.api(total, Wire::Body), (case.params)())
                .config(case.config().starting_token(Some(token)))
                .items()
                .map(Result::unwrap)
                .count();
            let first: usize = model
                .paginate(case.api(total, Wire::Body), (case.params)())
                .config(case.config())
                .take(pages_seen)
                .map(|page| count(&page.unwrap()))
                .sum();
            assert_eq!(
                first + rest,
                total,
                "{} after {pages_seen} pages",
                case.name
            );
            pages_seen += 1;
            assert!(pages_seen < 20, "{}: the listing does not end", case.name);
        }
    }
}

/// The primary items of a page of the fake API.
fn count(page: &Value) -> usize {
    if let Value::Array(items) = page {
        return items.len();
    }
    ["results", "data", "content", "Documents", "entries"]
        .iter()
        .find_map(|k| page.get(k).and_then(Value::as_array))
        .map_or(0, Vec::len)
}

fn page_next() -> Case {
    style_case(Kind::PageNext)
}

/// P5: a page-number token records the page size: resuming without one takes it, with the
/// same one works, with another one is refused before any request.
#[test]
fn p5_a_page_number_token_refuses_another_page_size() {
    let case = page_next();
    for wire in Wire::ALL {
        let same = PaginationConfig::default().page_size(10);
        let (mut before, after) = stop_and_resume(&case, 37, wire, 15, same);
        before.extend(after);
        assert_eq!(before, all_items(37), "the same page size");
        let (mut before, after) = stop_and_resume(&case, 37, wire, 15, PaginationConfig::default());
        before.extend(after);
        assert_eq!(before, all_items(37), "no page size: the token's");

        let model = (case.model)();
        let mut first = model
            .paginate(case.api(37, wire), json!({}))
            .config(case.config())
            .items();
        first.by_ref().take(15).for_each(drop);
        let token = first.resume_token().unwrap();
        let api = case.api(37, wire);
        let mut resumed = model
            .paginate(api.clone(), json!({}))
            .config(
                PaginationConfig::default()
                    .page_size(7)
                    .starting_token(Some(token)),
            )
            .items();
        let error = resumed.next().unwrap().unwrap_err();
        match &error {
            Error::InvalidToken {
                reason:
                    TokenError::PageSizeChanged {
                        recorded,
                        requested,
                    },
                ..
            } => assert_eq!((recorded.as_str(), requested.as_str()), ("10", "7")),
            other => panic!("expected PageSizeChanged, got {other}"),
        }
        assert!(resumed.next().is_none());
        assert!(
            api.inner().log().is_empty(),
            "no request after a refused token"
        );
    }
}

/// P4: an offset token resumes under another page size, with nothing lost or repeated.
#[test]
fn p4_an_offset_resumes_under_any_page_size() {
    let case = style_case(Kind::Offset);
    for (stop, size) in [(0, 3), (7, 4), (10, 25), (19, 1), (22, 10)] {
        let config = PaginationConfig::default().page_size(size);
        let (mut before, after) = stop_and_resume(&case, 23, Wire::Body, stop, config);
        before.extend(after);
        assert_eq!(
            before,
            all_items(23),
            "stopped at {stop}, resumed with {size}"
        );
    }
}

/// M2, P2: `max_items` cuts a bare-array page mid-way; the token resumes at the next item.
#[test]
fn m2_max_items_cuts_bare_arrays_and_resumes() {
    let case = &style_case(Kind::LinkArray);
    let model = (case.model)();
    for wire in Wire::ALL {
        let full = model
            .paginate(case.api(23, wire), json!({}))
            .config(case.config().max_items(8))
            .build_full_result()
            .unwrap();
        assert_eq!(full, Value::Array(all_items(23)[..8].to_vec()), "{wire:?}");
        let mut cut = model
            .paginate(case.api(23, wire), json!({}))
            .config(case.config().max_items(8))
            .items();
        let first: Vec<Value> = cut.by_ref().map(Result::unwrap).collect();
        let token = cut.resume_token().unwrap();
        let rest: Vec<Value> = model
            .paginate(case.api(23, wire), json!({}))
            .config(case.config().starting_token(Some(token)))
            .items()
            .map(Result::unwrap)
            .collect();
        assert_eq!([first, rest].concat(), all_items(23), "{wire:?}");
    }
}
