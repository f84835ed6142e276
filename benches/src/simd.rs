//! The `simd` mode (issue 20, part 3): how much faster the body path could get if serde_json
//! were swapped for a SIMD JSON parser (sonic-rs, simd-json). This module owns the loops that
//! read the canned bodies ([`Canned`]) with each parser and the interleaved rounds that compare
//! them with serde_json and with paginate's own `items_body` and `typed_items_body` cases.
//!
//! Three groups, each run per page size (100 and 1,000) in `ROUNDS` rounds whose order
//! alternates (forward, then backward), every variant over the same bodies, each page's bytes
//! copied into a `Vec` first as [`mod@body`] does (simd-json parses in place: that copy is the one
//! it needs):
//!
//! - typed items: a `TypedPage` per page with serde_json, sonic-rs and simd-json's serde;
//! - untyped items: a page as serde_json's `Value`, as sonic-rs's own `Value` and into a
//!   serde_json `Value`, as simd-json's owned and borrowed values and into a serde_json `Value`;
//!   then its `Contents`;
//! - a `Value` transport: `from_str` into a serde_json `Value` (the workspace's features, so
//!   `preserve_order`) with serde_json and with sonic-rs, no copy, beside paginate's `items`.
//!
//! The hand loops walk the listing by marker as [`mod@body`]'s do. At warm-up every variant of a
//! group must give as many items, and the same ones (equal values, or equal keys for the
//! parsers' own value types). Reported: medians of per-round ratios with their min–max,
//! serde_json ÷ each and paginate ÷ each, and an estimate of paginate's end-to-end gain were
//! its parse as fast as the variant's, from the medians: paginate ÷ (paginate − serde_json +
//! variant). Only variants that yield serde_json `Value`s or the typed items are drop-in for
//! paginate, which hands out serde_json `Value`s; the parsers' own values are for scale.
//!
//! ```text
//! cargo run --release -p paginate-bench --features simd -- simd
//! CARGO_TARGET_DIR=target-native RUSTFLAGS="-C target-cpu=native" \
//!     cargo run --release -p paginate-bench --features simd -- simd
//! ```

use paginated::Model;
use serde_json::Value;
use simd_json::prelude::*;
use sonic_rs::{JsonValueMutTrait as _, JsonValueTrait as _};

use crate::cases::{self, Object, TypedPage, next_marker, take_contents};
use crate::{Canned, OBJECTS, body, fail, median, model, same_results, sink, time};

const ROUNDS: usize = 31;

// ---------------------------------------------------------------- walking the listing

/// Walks the listing by marker: `page` reads one page from a copy of its body, hands its items
/// on and returns the next marker, if any.
fn walk(
    api: &Canned,
    mut page: impl FnMut(&mut [u8]) -> Result<Option<String>, String>,
) -> Result<(), String> {
    let mut marker = String::new();
    loop {
        let mut bytes = api.body(&marker)?.as_bytes().to_vec();
        match page(&mut bytes)? {
            Some(next) => marker = next,
            None => return Ok(()),
        }
    }
}

fn typed(
    api: &Canned,
    parse: impl Fn(&mut [u8]) -> Result<TypedPage, String>,
    mut sink: impl FnMut(Object),
) -> Result<usize, String> {
    let mut n = 0;
    walk(api, |bytes| {
        let page = parse(bytes)?;
        let next = page
            .contents
            .last()
            .map(|o| o.key.clone())
            .filter(|_| page.is_truncated);
        for object in page.contents {
            sink(object);
            n += 1;
        }
        Ok(next)
    })?;
    Ok(n)
}

fn serde_typed(bytes: &mut [u8]) -> Result<TypedPage, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("serde_json: {e}"))
}

fn sonic_typed(bytes: &mut [u8]) -> Result<TypedPage, String> {
    sonic_rs::from_slice(bytes).map_err(|e| format!("sonic-rs: {e}"))
}

fn simd_typed(bytes: &mut [u8]) -> Result<TypedPage, String> {
    simd_json::serde::from_slice(bytes).map_err(|e| format!("simd-json: {e}"))
}

/// Untyped items as serde_json `Value`s, the page parsed by `parse`.
fn values(
    api: &Canned,
    parse: impl Fn(&mut [u8]) -> Result<Value, String>,
    mut sink: impl FnMut(Value),
) -> Result<usize, String> {
    let mut n = 0;
    walk(api, |bytes| {
        let mut page = parse(bytes)?;
        let next = next_marker(&page);
        for item in take_contents(&mut page) {
            sink(item);
            n += 1;
        }
        Ok(next)
    })?;
    Ok(n)
}

fn serde_value(bytes: &mut [u8]) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("serde_json: {e}"))
}

fn sonic_value(bytes: &mut [u8]) -> Result<Value, String> {
    sonic_rs::from_slice(bytes).map_err(|e| format!("sonic-rs: {e}"))
}

fn simd_value(bytes: &mut [u8]) -> Result<Value, String> {
    simd_json::serde::from_slice(bytes).map_err(|e| format!("simd-json: {e}"))
}

/// Untyped items as sonic-rs's own `Value`s; the next marker found as [`next_marker`] finds it.
fn sonic_native(api: &Canned, mut sink: impl FnMut(sonic_rs::Value)) -> Result<usize, String> {
    let mut n = 0;
    walk(api, |bytes| {
        let mut page: sonic_rs::Value =
            sonic_rs::from_slice(bytes).map_err(|e| format!("sonic-rs: {e}"))?;
        let more = page.get("IsTruncated").and_then(|v| v.as_bool()) == Some(true);
        let named = page
            .get("NextMarker")
            .and_then(|v| v.as_str())
            .filter(|m| !m.is_empty())
            .map(str::to_owned);
        let items = page
            .get_mut("Contents")
            .map(sonic_rs::Value::take)
            .and_then(sonic_rs::Value::into_array)
            .unwrap_or_default();
        let next = named.or_else(|| {
            let key = items.last()?.get("Key")?.as_str()?;
            Some(key.to_owned())
        });
        for item in items {
            sink(item);
            n += 1;
        }
        Ok(next.filter(|_| more))
    })?;
    Ok(n)
}

/// The items and the next marker of a page parsed into one of simd-json's value types, which
/// share their methods but no trait that would let one generic function take both.
macro_rules! simd_page_items {
    ($page:expr, $sink:expr, $n:expr) => {{
        let mut page = $page.map_err(|e| format!("simd-json: {e}"))?;
        let more = page.get_bool("IsTruncated") == Some(true);
        let named = page
            .get_str("NextMarker")
            .filter(|m| !m.is_empty())
            .map(str::to_owned);
        let items = match page.remove("Contents") {
            Ok(Some(contents)) => contents.into_array().unwrap_or_default(),
            _ => Vec::new(),
        };
        let next = named.or_else(|| items.last()?.get_str("Key").map(str::to_owned));
        for item in items {
            $sink(item);
            $n += 1;
        }
        Ok(next.filter(|_| more))
    }};
}

/// Untyped items as simd-json's owned values.
fn simd_owned(api: &Canned, mut sink: impl FnMut(simd_json::OwnedValue)) -> Result<usize, String> {
    let mut n = 0;
    walk(api, |bytes| {
        simd_page_items!(simd_json::to_owned_value(bytes), sink, n)
    })?;
    Ok(n)
}

/// Untyped items as simd-json's borrowed values (strings without escapes point into the body).
fn simd_borrowed(
    api: &Canned,
    mut sink: impl FnMut(simd_json::BorrowedValue<'_>),
) -> Result<usize, String> {
    let mut n = 0;
    walk(api, |bytes| {
        simd_page_items!(simd_json::to_borrowed_value(bytes), sink, n)
    })?;
    Ok(n)
}

/// A `Value` transport's loop: each body parsed from its text, no copy, as [`Canned::page`] does.
fn from_text(
    api: &Canned,
    parse: impl Fn(&str) -> Result<Value, String>,
    mut sink: impl FnMut(Value),
) -> Result<usize, String> {
    let (mut marker, mut n) = (String::new(), 0);
    loop {
        let mut page = parse(api.body(&marker)?)?;
        let next = next_marker(&page);
        for item in take_contents(&mut page) {
            sink(item);
            n += 1;
        }
        match next {
            Some(m) => marker = m,
            None => return Ok(n),
        }
    }
}

fn serde_text(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("serde_json: {e}"))
}

fn sonic_text(text: &str) -> Result<Value, String> {
    sonic_rs::from_str(text).map_err(|e| format!("sonic-rs: {e}"))
}

// ---------------------------------------------------------------- the variants

fn counted(n: Result<usize, String>) -> usize {
    n.unwrap_or_else(|e| fail(&e))
}

fn typed_serde(_: &Model, api: &Canned) -> usize {
    counted(typed(api, serde_typed, sink))
}

fn typed_sonic(_: &Model, api: &Canned) -> usize {
    counted(typed(api, sonic_typed, sink))
}

fn typed_simd(_: &Model, api: &Canned) -> usize {
    counted(typed(api, simd_typed, sink))
}

fn items_serde(_: &Model, api: &Canned) -> usize {
    counted(values(api, serde_value, sink))
}

fn items_sonic_native(_: &Model, api: &Canned) -> usize {
    counted(sonic_native(api, sink))
}

fn items_sonic_serde(_: &Model, api: &Canned) -> usize {
    counted(values(api, sonic_value, sink))
}

fn items_simd_owned(_: &Model, api: &Canned) -> usize {
    counted(simd_owned(api, sink))
}

fn items_simd_borrowed(_: &Model, api: &Canned) -> usize {
    counted(simd_borrowed(api, |v| sink(v)))
}

fn items_simd_serde(_: &Model, api: &Canned) -> usize {
    counted(values(api, simd_value, sink))
}

fn text_serde(_: &Model, api: &Canned) -> usize {
    counted(from_text(api, serde_text, sink))
}

fn text_sonic(_: &Model, api: &Canned) -> usize {
    counted(from_text(api, sonic_text, sink))
}

struct Variant {
    name: &'static str,
    run: fn(&Model, &Canned) -> usize,
}

const fn variant(name: &'static str, run: fn(&Model, &Canned) -> usize) -> Variant {
    Variant { name, run }
}

/// Variants compared in the same rounds: paginate's first, serde_json's hand loop second.
struct Group {
    name: &'static str,
    variants: &'static [Variant],
    check: fn(&Model, &Canned) -> Result<(), String>,
}

const GROUPS: &[Group] = &[
    Group {
        name: "typed items from bodies",
        variants: &[
            variant("paginate typed_items_body", body::typed_items),
            variant("serde_json TypedPage", typed_serde),
            variant("sonic-rs TypedPage", typed_sonic),
            variant("simd-json TypedPage", typed_simd),
        ],
        check: check_typed,
    },
    Group {
        name: "untyped items from bodies",
        variants: &[
            variant("paginate items_body", body::items),
            variant("serde_json Value", items_serde),
            variant("sonic-rs own Value", items_sonic_native),
            variant("sonic-rs -> serde_json Value", items_sonic_serde),
            variant("simd-json OwnedValue", items_simd_owned),
            variant("simd-json BorrowedValue", items_simd_borrowed),
            variant("simd-json -> serde_json Value", items_simd_serde),
        ],
        check: check_items,
    },
    Group {
        name: "a Value transport (from_str)",
        variants: &[
            variant("paginate items (Value)", cases::paginate_items),
            variant("serde_json from_str Value", text_serde),
            variant("sonic-rs from_str Value", text_sonic),
        ],
        check: check_text,
    },
];

// ---------------------------------------------------------------- warm-up checks

/// Checks that a parser's results (`got`) equal serde_json's (`want`).
fn versus_serde<T: PartialEq + std::fmt::Debug>(
    what: &str,
    want: &[T],
    got: &[T],
) -> Result<(), String> {
    same_results(what, ("this parser", got), ("serde_json", want))
}

fn check_typed(m: &Model, api: &Canned) -> Result<(), String> {
    body::check_typed_items(m, api)?;
    let mut want = Vec::new();
    typed(api, serde_typed, |o| want.push(o))?;
    for (what, parse) in [
        ("sonic-rs", sonic_typed as fn(&mut [u8]) -> _),
        ("simd-json", simd_typed),
    ] {
        let mut got = Vec::new();
        typed(api, parse, |o| got.push(o))?;
        versus_serde(what, &want, &got)?;
    }
    Ok(())
}

fn key_of(item: &Value) -> Option<String> {
    item.get("Key").and_then(Value::as_str).map(str::to_owned)
}

fn check_items(m: &Model, api: &Canned) -> Result<(), String> {
    body::check_items(m, api)?;
    let mut want = Vec::new();
    values(api, serde_value, |v| want.push(v))?;
    for (what, parse) in [
        (
            "sonic-rs -> serde_json Value",
            sonic_value as fn(&mut [u8]) -> _,
        ),
        ("simd-json -> serde_json Value", simd_value),
    ] {
        let mut got = Vec::new();
        values(api, parse, |v| got.push(v))?;
        versus_serde(what, &want, &got)?;
    }
    let keys: Vec<Option<String>> = want.iter().map(key_of).collect();
    let mut got = Vec::new();
    sonic_native(api, |v| {
        got.push(v.get("Key").and_then(|k| k.as_str()).map(str::to_owned));
    })?;
    versus_serde("sonic-rs own Value (keys)", &keys, &got)?;
    got.clear();
    simd_owned(api, |v| got.push(v.get_str("Key").map(str::to_owned)))?;
    versus_serde("simd-json OwnedValue (keys)", &keys, &got)?;
    got.clear();
    simd_borrowed(api, |v| got.push(v.get_str("Key").map(str::to_owned)))?;
    versus_serde("simd-json BorrowedValue (keys)", &keys, &got)
}

fn check_text(_: &Model, api: &Canned) -> Result<(), String> {
    let (mut want, mut got) = (Vec::new(), Vec::new());
    from_text(api, serde_text, |v| want.push(v))?;
    from_text(api, sonic_text, |v| got.push(v))?;
    versus_serde("sonic-rs from_str Value", &want, &got)
}

// ---------------------------------------------------------------- rounds and report

/// Seconds per variant per round, the order alternating forward and backward.
fn rounds(m: &Model, api: &Canned, variants: &[Variant]) -> Vec<Vec<f64>> {
    let mut times = vec![Vec::with_capacity(ROUNDS); variants.len()];
    for round in 0..ROUNDS {
        let order: Vec<usize> = if round % 2 == 0 {
            (0..variants.len()).collect()
        } else {
            (0..variants.len()).rev().collect()
        };
        for i in order {
            let v = &variants[i];
            times[i].push(time(|| (v.run)(m, api)).0.as_secs_f64());
        }
    }
    times
}

/// The median, min and max over rounds of `f(round)`.
fn spread(f: impl Fn(usize) -> f64) -> String {
    let r: Vec<f64> = (0..ROUNDS).map(f).collect();
    let lo = r.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = r.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{:.2}x ({lo:.2}-{hi:.2})", median(r))
}

fn report(group: &Group, page: usize, times: &[Vec<f64>]) {
    println!("\n{}, pages of {page}", group.name);
    println!(
        "{:<30} {:>9} {:>19} {:>19} {:>19}",
        "variant", "median", "serde_json / this", "paginate / this", "est. paginate gain"
    );
    let (ours, serde) = (&times[0], &times[1]);
    let (p, s) = (median(ours.clone()), median(serde.clone()));
    for (v, t) in group.variants.iter().zip(times) {
        let x = median(t.clone());
        // paginate's time were its parse as fast as this variant's: p - s + x, from the
        // medians (per-round differences of noisy rounds can go to zero).
        println!(
            "{:<30} {:>7.2}ms {:>19} {:>19} {:>18.2}x",
            v.name,
            x * 1e3,
            spread(|r| serde[r] / t[r]),
            spread(|r| ours[r] / t[r]),
            p / (p - s + x)
        );
    }
}

pub(crate) fn main() {
    let m = model();
    println!(
        "{OBJECTS} objects per run, {ROUNDS} rounds alternating order; ratios are medians of \
         per-round ratios (min-max)"
    );
    for page in [100, 1000] {
        let api = Canned::new(page);
        for group in GROUPS {
            let counts: Vec<usize> = group.variants.iter().map(|v| (v.run)(&m, &api)).collect();
            if counts.iter().any(|&n| n != counts[0]) {
                fail(&format!("{}/{page}: counts differ: {counts:?}", group.name));
            }
            if let Err(e) = (group.check)(&m, &api) {
                fail(&format!("{}/{page}: {e}", group.name));
            }
            report(group, page, &rounds(&m, &api, group.variants));
        }
    }
}
