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
        stdout
            .matches("HTTP 503 Service Unavailable; retry")
            .count()
            >= 3,
        "{stdout}"
    );
    assert!(
        stdout.contains("no answer within 300 ms; retry"),
        "{stdout}"
    );
    // Against the stopped server, the retries ran out and the error is an HttpError.
    assert!(stdout.contains("retry 3 of 3"), "{stdout}");
    assert!(stdout.contains("no retries left"), "{stdout}");
    assert!(
        stdout.contains("(an HttpError; is_retryable: true)"),
        "{stdout}"
    );
}
