//! The example binaries, run as programs: the main example against a server it is pointed at,
//! and the tower stack through its injected faults.

use super::*;

#[test]
fn the_main_example_runs_against_an_external_server() {
    let server = BlockingServer::start().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_paginate-examples"))
        .args(["--base-url", &server.base_url()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // It used the server it was pointed at, and only that one.
    assert!(server.requests() > 50, "{} requests", server.requests());
}

#[test]
fn the_tower_stack_example_retries_through_the_faults() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tower-stack"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Every 4th request was a 503 and the 6th timed out; each was retried, and the users
    // came out whole. Counts are lower bounds: on a loaded machine another attempt may time
    // out, and be retried too.
    assert!(
        stdout.contains("3,000 users in 10 pages: the server's users, in order, none twice"),
        "{stdout}"
    );
    assert!(
        stdout.matches("→ HTTP 503 Service Unavailable").count() >= 3,
        "{stdout}"
    );
    // The request held for a second timed out and was sent again: more requests than pages
    // and 503s.
    let requests: u32 = stdout
        .split_once(" requests for 10 pages")
        .and_then(|(before, _)| before.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no request count in {stdout}"));
    let busy = stdout.matches("→ HTTP 503 Service Unavailable").count() as u32;
    assert!(requests > 10 + busy, "{stdout}");
    // Against the stopped server, the retries ran out and the error says so.
    assert!(
        stdout.contains("gave up after 4 attempts, the retry policy's limit of 3 retries; the last attempt got no response"),
        "{stdout}"
    );
    assert!(
        stdout.contains("(an HttpError; is_retryable: false)"),
        "{stdout}"
    );
}
