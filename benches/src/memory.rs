//! The `memory` mode: peak RSS of streaming items and of full results, each case in a fresh
//! process (`memory-child`) so that its peak is its own.

use paginated::blocking::Transport;
use paginated::{PageRequest, Reply};
use serde_json::{Map, Value, json};

use crate::cases::{Object, TypedPage};
use crate::{body, fail, model};

/// Pages generated on request, so the transport holds nothing between pages.
struct Generated {
    pages: usize,
}

impl Generated {
    /// The body of the page after `params`' marker.
    fn text(&self, params: &Map<String, Value>) -> Result<String, String> {
        let marker = params.get("Marker").and_then(Value::as_str).unwrap_or("");
        let first = if marker.is_empty() {
            0
        } else {
            marker[marker.len() - 11..marker.len() - 4]
                .parse::<usize>()
                .map_err(|e| e.to_string())?
                + 1
        };
        Ok(body(first, 100, self.pages * 100, marker))
    }
}

impl Transport for Generated {
    type Error = String;
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, String> {
        let text = self.text(request.params())?;
        serde_json::from_str(&text)
            .map(Reply::value)
            .map_err(|e| e.to_string())
    }
}

/// The same pages, answered as bodies ([`Content::Body`](paginated::Content::Body)).
struct GeneratedBodies(Generated);

impl Transport for GeneratedBodies {
    type Error = String;
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, String> {
        self.0.text(request.params()).map(Reply::body)
    }
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// One measurement, in its own process so that its peak is its own.
pub(crate) fn memory_child(what: &str, pages: usize) {
    let m = model();
    let api = Generated { pages };
    let n = match what {
        "items" => m
            .paginate(&api, json!({}))
            .items()
            .filter(Result::is_ok)
            .count(),
        "typed_items_body" => m
            .paginate(&GeneratedBodies(api), json!({}))
            .items()
            .typed::<Object>()
            .filter(Result::is_ok)
            .count(),
        "items_body" => m
            .paginate(&GeneratedBodies(api), json!({}))
            .items()
            .filter(Result::is_ok)
            .count(),
        "typed_pages_body" => m
            .paginate(&GeneratedBodies(api), json!({}))
            .typed::<TypedPage, Object>()
            .map(|page| page.map_or(0, |p| p.contents.len()))
            .sum(),
        "full" => match m.paginate(&api, json!({})).build_full_result() {
            Ok(full) => full["Contents"].as_array().map_or(0, Vec::len),
            Err(e) => fail(&e.to_string()),
        },
        other => fail(&format!("unknown memory case {other}")),
    };
    println!("{n} {}", peak_rss_kib());
}

pub(crate) fn memory() {
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => fail(&e.to_string()),
    };
    println!("peak RSS (VmHWM), each in a fresh process; pages of 100 objects");
    println!(
        "{:<18} {:>8} {:>10} {:>12}",
        "case", "pages", "items", "peak RSS"
    );
    for (what, pages) in [
        ("items", 1_000),
        ("items", 10_000),
        ("items", 100_000),
        ("typed_items_body", 1_000),
        ("typed_items_body", 10_000),
        ("typed_items_body", 100_000),
        ("items_body", 1_000),
        ("items_body", 10_000),
        ("items_body", 100_000),
        ("typed_pages_body", 1_000),
        ("typed_pages_body", 10_000),
        ("typed_pages_body", 100_000),
        ("full", 1_000),
        ("full", 10_000),
        ("full", 30_000),
    ] {
        let out = std::process::Command::new(&exe)
            .args(["memory-child", what, &pages.to_string()])
            .output();
        let text = match out {
            Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
            Ok(o) => fail(&String::from_utf8_lossy(&o.stderr)),
            Err(e) => fail(&e.to_string()),
        };
        let mut parts = text.split_whitespace();
        let (items, kib) = (parts.next().unwrap_or("?"), parts.next().unwrap_or("?"));
        println!("{what:<18} {pages:>8} {items:>10} {:>9} KiB", kib);
    }
}
