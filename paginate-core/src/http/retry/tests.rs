//! The policy's decisions, without a network: what is retried, `Retry-After`, the cap, the
//! attempt limit and the budget.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

use super::*;

fn answered(status: u16, headers: &HeaderMap) -> Outcome<'_> {
    Outcome::Answered {
        status: StatusCode::from_u16(status).unwrap(),
        headers,
    }
}

fn with_retry_after(value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
    headers
}

#[test]
fn the_defaults_build() {
    let policy = RetryPolicy::default();
    assert_eq!(policy.max_retries(), 3);
    assert_eq!(policy.retry_after_cap(), Duration::from_secs(30));
    assert_eq!(policy.attempt_timeout(), Duration::from_secs(30));
    RetryPolicyBuilder::default().build().unwrap();
}

#[test]
fn successes_and_4xx_other_than_429_are_accepted_as_they_are() {
    let none = HeaderMap::new();
    for status in [200, 204, 301, 400, 401, 403, 404, 409, 422] {
        let mut policy = RetryPolicy::default();
        assert!(
            matches!(policy.judge(answered(status, &none)), Verdict::Accept),
            "{status}"
        );
    }
}

#[test]
fn server_errors_429_and_no_response_are_retried_up_to_the_limit() {
    let none = HeaderMap::new();
    for outcome in [
        answered(500, &none),
        answered(503, &none),
        answered(429, &none),
        Outcome::Failed,
    ] {
        let mut policy = RetryPolicy::builder().max_retries(2).build().unwrap();
        assert!(matches!(
            policy.judge(outcome),
            Verdict::Retry { after: None }
        ));
        assert!(matches!(
            policy.judge(outcome),
            Verdict::Retry { after: None }
        ));
        assert!(matches!(
            policy.judge(outcome),
            Verdict::Stop(RetryStop::Attempts { max_retries: 2 })
        ));
        assert_eq!(policy.attempts(), 3);
        // A clone is a new request: its retries start again.
        let mut fresh = policy.clone();
        assert!(matches!(fresh.judge(outcome), Verdict::Retry { .. }));
    }
}

#[test]
fn retry_after_is_read_as_seconds_or_as_an_http_date() {
    let now = SystemTime::now();
    assert_eq!(
        retry_after(&with_retry_after("3"), now),
        Some(Duration::from_secs(3))
    );
    assert_eq!(
        retry_after(&with_retry_after(" 0 "), now),
        Some(Duration::ZERO)
    );
    let later = httpdate::fmt_http_date(now + Duration::from_secs(120));
    let wait = retry_after(&with_retry_after(&later), now).unwrap();
    // The date has whole seconds: 119 s and a fraction to 120 s.
    assert!(
        wait > Duration::from_secs(118) && wait <= Duration::from_secs(120),
        "{wait:?}"
    );
    let past = httpdate::fmt_http_date(now - Duration::from_secs(60));
    // A date past (a server clock behind) asks for nothing: the backoff applies.
    assert_eq!(retry_after(&with_retry_after(&past), now), None);
    assert_eq!(retry_after(&with_retry_after("soon"), now), None);
    assert_eq!(retry_after(&with_retry_after("-1"), now), None);
    assert_eq!(retry_after(&HeaderMap::new(), now), None);
    assert_eq!(
        retry_after(&with_retry_after("99999999999999999999999"), now),
        Some(Duration::MAX)
    );
}

#[test]
fn retry_after_is_waited_for_up_to_the_cap_and_stops_retries_above_it() {
    let mut policy = RetryPolicy::builder()
        .retry_after_cap(Duration::from_secs(5))
        .build()
        .unwrap();
    let short = with_retry_after("5");
    assert!(matches!(
        policy.judge(answered(429, &short)),
        Verdict::Retry { after: Some(d) } if d == Duration::from_secs(5)
    ));
    let long = with_retry_after("6");
    assert!(matches!(
        policy.judge(answered(503, &long)),
        Verdict::Stop(RetryStop::RetryAfter { wait, cap })
            if wait == Duration::from_secs(6) && cap == Duration::from_secs(5)
    ));
}

#[test]
fn the_budget_is_shared_by_clones_and_stops_retries_once_spent() {
    // No share of requests, one retry a second over 1 s: one retry in all.
    let policy = RetryPolicy::builder()
        .max_retries(10)
        .budget(Duration::from_secs(1), 1, 0.0)
        .build()
        .unwrap();
    let mut first = policy.clone();
    assert!(matches!(
        first.judge(Outcome::Failed),
        Verdict::Retry { .. }
    ));
    assert!(matches!(
        first.judge(Outcome::Failed),
        Verdict::Stop(RetryStop::Budget)
    ));
    let mut second = policy.clone();
    assert!(matches!(
        second.judge(Outcome::Failed),
        Verdict::Stop(RetryStop::Budget)
    ));
}

#[test]
fn settings_tower_cannot_keep_are_errors_not_panics() {
    let cases = [
        RetryPolicy::builder().budget(Duration::from_millis(500), 10, 0.2),
        RetryPolicy::builder().budget(Duration::from_secs(10), 10, f32::NAN),
        RetryPolicy::builder().budget(Duration::from_secs(10), 10, -1.0),
        RetryPolicy::builder().budget(Duration::from_secs(10), u32::MAX, 0.2),
        // tower asserts below `i32::MAX`: the boundary itself.
        RetryPolicy::builder().budget(Duration::from_secs(10), i32::MAX as u32, 0.2),
        RetryPolicy::builder().backoff(Duration::from_secs(2), Duration::from_secs(1)),
        RetryPolicy::builder().jitter(f64::NAN),
        RetryPolicy::builder().attempt_timeout(Duration::ZERO),
    ];
    for builder in cases {
        let shown = format!("{builder:?}");
        let error = builder.build().expect_err(&shown);
        assert!(error.to_string().starts_with("retry policy: "), "{error}");
    }
}

#[test]
fn the_stop_says_why_and_what_the_last_attempt_got() {
    let error = RetryError {
        stop: RetryStop::Budget,
        attempts: 2,
        last: LastAttempt::Status {
            status: StatusCode::SERVICE_UNAVAILABLE,
            body: "slow down".into(),
        },
    };
    assert_eq!(
        error.to_string(),
        "gave up after 2 attempts: the retry budget is spent (the server has failed many recent requests); the last answer was HTTP 503 Service Unavailable: slow down; resume from the run's resume token once the server recovers"
    );
    let error = RetryError {
        stop: RetryStop::Attempts { max_retries: 3 },
        attempts: 4,
        last: LastAttempt::Failed("connection reset".into()),
    };
    assert!(error.to_string().starts_with(
        "gave up after 4 attempts, the retry policy's limit of 3 retries; the last attempt got no response"
    ));
    assert_eq!(
        std::error::Error::source(&error).unwrap().to_string(),
        "connection reset"
    );
}

#[test]
fn the_policy_retries_exactly_the_statuses_http_error_calls_retryable() {
    for code in 100..=599 {
        let status = StatusCode::from_u16(code).unwrap();
        let error = crate::http::HttpError::Status {
            operation: "ListThings".into(),
            method: crate::route::Method::Get,
            url: "http://127.0.0.1/things".into(),
            status,
            body: String::new(),
        };
        assert_eq!(retryable_status(status), error.is_retryable(), "{status}");
    }
}

#[test]
fn only_failures_a_retry_may_cure_are_transient() {
    // A request reqwest cannot build is the same on every attempt.
    let unbuildable = reqwest::Client::new()
        .get("http://[::1")
        .build()
        .expect_err("not a URL");
    assert!(unbuildable.is_builder());
    assert!(!transient(&unbuildable));
    // Another layer's error (a rate limit's, a buffer's, the user's own).
    let other = std::io::Error::other("a layer said no");
    assert!(!transient(&other));
}

#[cfg(feature = "http-blocking")]
#[test]
fn a_connection_refused_is_transient() {
    // Bind a port, free it, and connect to it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let refused = reqwest::blocking::Client::new()
        .get(format!("http://127.0.0.1:{port}/"))
        .send()
        .expect_err("nothing listens there");
    assert!(transient(&refused), "{refused:?}");
}
