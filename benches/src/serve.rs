//! The `serve` mode, which `botocore_compare.py` drives: a long-lived process that times one
//! run of one side of a case at a time, in-process, so that botocore's rounds, paginate's and
//! the hand-written loop's really interleave and no process start-up is ever timed.
//!
//! One command a line on stdin, one answer a line on stdout:
//!
//! ```text
//! check CASE PAGE        → COUNT            both sides once, checked to agree (the warm-up)
//! run CASE PAGE ours     → SECONDS COUNT    one timed run of paginate's side
//! run CASE PAGE hand     → SECONDS COUNT    one timed run of the hand-written loop
//! ```
//!
//! `PAGE` is 100 or 1000; `CASE` is any case of the speed mode but `async_items`. A bad
//! command ends the process with status 2 and a message on stderr.

use std::io::{BufRead, Write};

use crate::{Canned, fail, find_case, model, time};

pub(crate) fn serve() {
    let m = model();
    let canned = [(100, Canned::new(100)), (1000, Canned::new(1000))];
    let api = |page: &str| {
        canned
            .iter()
            .find(|(size, _)| size.to_string() == page)
            .map(|(_, api)| api)
            .unwrap_or_else(|| fail(&format!("no pages of {page}: 100 or 1000")))
    };
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut answer = |line: String| {
        if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
            std::process::exit(0); // the driver has gone
        }
    };
    answer("ready".to_owned());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { return };
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["check", case, page] => {
                let n = find_case(case).warm_up(&m, api(page), page.parse().unwrap_or(0));
                answer(n.to_string());
            }
            ["run", case, page, side] => {
                let (c, api) = (find_case(case), api(page));
                let (elapsed, n) = match *side {
                    "ours" => time(|| (c.ours)(&m, api)),
                    "hand" => time(|| (c.hand)(api)),
                    other => fail(&format!("unknown side {other}: ours or hand")),
                };
                answer(format!("{:.9} {n}", elapsed.as_secs_f64()));
            }
            [] => {}
            _ => fail(&format!("unknown command {line:?}")),
        }
    }
}
