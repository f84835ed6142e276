//! The ready `RetryPolicy` against the embedded server, through both transports: the async one
//! with the policy's `tower` layer, the blocking one with `retry(policy)`. What the server
//! received (which requests, how often, when) is the evidence: 5xx and 429 are retried and
//! the run keeps its position, no other 4xx is ever retried, `Retry-After` spaces the retry
//! at least as asked (a lower bound only), a hanging attempt times out and is retried, and
//! retries end at the attempt limit or when the budget is spent, with a typed error saying
//! which.

use std::time::{Duration, Instant, SystemTime};

use paginated::http::{HttpError, RetryPolicy, RetryStop};
use paginated::{Error, PaginationConfig};
use tower::ServiceBuilder;

use super::server::{Reply, Server};
use super::*;

/// The pages and statuses the server saw, in order of arrival.
fn seen(server: &Server) -> Vec<(usize, u16)> {
    server.log().iter().map(|l| (l.page, l.status)).collect()
}

/// A policy that retries at once (1 to 5 ms), so the tests spend no time in backoffs.
fn quick() -> paginated::http::RetryPolicyBuilder {
    RetryPolicy::builder().backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// Lists the photos (5 pages of 5) through `policy`, blocking or async.
fn list(server: &Server, policy: &RetryPolicy, via: Via) -> Listed {
    list_with(server, policy, via, &objects_model(), photos_params())
}

/// Lists `model` with `params`, 5 items a page, through `policy`, blocking or async.
fn list_with(
    server: &Server,
    policy: &RetryPolicy,
    via: Via,
    model: &paginated::Model,
    params: serde_json::Value,
) -> Listed {
    let config = PaginationConfig::default().page_size(5);
    match via {
        Via::Blocking => {
            let api = blocking(server).retry(policy.clone());
            items_blocking(&api, model, params, config)
        }
        Via::Async => block_on(async {
            let stack = ServiceBuilder::new()
                .layer(policy.layer())
                .service(reqwest::Client::new());
            let api = HttpTransport::with_service(stack, &server.base_url()).unwrap();
            items_async(&api, model, params, config).await
        }),
    }
}

#[derive(Debug, Clone, Copy)]
enum Via {
    Blocking,
    Async,
}

const BOTH: [Via; 2] = [Via::Blocking, Via::Async];

#[test]
fn a_5xx_and_a_429_are_retried_and_the_run_gets_every_item_once() {
    for via in BOTH {
        let server = Server::start();
        server.script(2, 2, Reply::busy());
        server.script(
            4,
            1,
            Reply::Answer {
                status: 429,
                content_type: "text/plain",
                body: "too many".into(),
            },
        );
        let listed = list(&server, &quick().build().unwrap(), via);
        assert!(listed.error.is_none(), "{via:?}: {:?}", listed.error);
        assert_eq!(listed.items, expected_photos(), "{via:?}");
        assert_eq!(
            seen(&server),
            [
                (1, 200),
                (2, 503),
                (2, 503),
                (2, 200),
                (3, 200),
                (4, 429),
                (4, 200),
                (5, 200)
            ],
            "{via:?}"
        );
    }
}

#[test]
fn no_other_4xx_is_ever_retried() {
    for via in BOTH {
        for status in [400, 401, 403, 404, 409, 422] {
            let server = Server::start();
            let reply = Reply::Answer {
                status,
                content_type: "application/json",
                body: r#"{"error": "no"}"#.into(),
            };
            server.script(2, usize::MAX, reply);
            let listed = list(&server, &quick().max_retries(5).build().unwrap(), via);
            assert_eq!(listed.items, expected_photos()[..5], "{via:?} {status}");
            let error = listed.error.expect("page 2 is refused");
            let (page, http) = http_error(&error);
            assert_eq!(page, 2);
            assert!(
                matches!(http, HttpError::Status { status: s, .. } if s.as_u16() == status),
                "{via:?}: {http:?}"
            );
            assert_eq!(seen(&server), [(1, 200), (2, status)], "{via:?}");
        }
    }
}

#[test]
fn retry_after_spaces_the_retry_at_least_as_asked_in_seconds_or_as_a_date() {
    for via in BOTH {
        let server = Server::start();
        server.script(
            2,
            1,
            Reply::RetryAfter {
                status: 429,
                after: "1".into(),
            },
        );
        // A date 3 s from now in whole seconds: more than 2 s away, so still ahead once
        // page 2 has waited its second.
        let (anchor, anchor_time) = (Instant::now(), SystemTime::now());
        let date = anchor_time + Duration::from_secs(3);
        server.script(
            3,
            1,
            Reply::RetryAfter {
                status: 503,
                after: httpdate::fmt_http_date(date),
            },
        );
        let listed = list(&server, &quick().build().unwrap(), via);
        assert!(listed.error.is_none(), "{via:?}: {:?}", listed.error);
        assert_eq!(listed.items, expected_photos(), "{via:?}");
        let log = server.log();
        let pages: Vec<(usize, u16)> = log.iter().map(|l| (l.page, l.status)).collect();
        assert_eq!(
            pages,
            [
                (1, 200),
                (2, 429),
                (2, 200),
                (3, 503),
                (3, 200),
                (4, 200),
                (5, 200)
            ],
            "{via:?}"
        );
        // Lower bounds only: a retry may come later than asked, never sooner.
        let seconds = log[2].at - log[1].at;
        assert!(seconds >= Duration::from_secs(1), "{via:?}: {seconds:?}");
        // The retry of page 3 came no earlier than the date (the date has whole seconds; the
        // server's clock is read through an instant taken with the wall clock).
        let date = httpdate::parse_http_date(&httpdate::fmt_http_date(date)).unwrap();
        let arrived = anchor_time + (log[4].at - anchor);
        assert!(
            arrived + Duration::from_millis(5) >= date,
            "{via:?}: retried at {arrived:?}, asked for {date:?}"
        );
    }
}

#[test]
fn a_retry_after_above_the_cap_ends_the_retries_at_once() {
    for via in BOTH {
        let server = Server::start();
        server.script(
            2,
            usize::MAX,
            Reply::RetryAfter {
                status: 503,
                after: "3600".into(),
            },
        );
        let policy = quick()
            .retry_after_cap(Duration::from_secs(60))
            .build()
            .unwrap();
        let listed = list(&server, &policy, via);
        let error = listed.error.expect("page 2 never comes");
        let (_, http) = http_error(&error);
        let HttpError::Retries { source, .. } = http else {
            panic!("{via:?}: not a retry error: {http:?}");
        };
        assert_eq!(
            source.stop,
            RetryStop::RetryAfter {
                wait: Duration::from_secs(3600),
                cap: Duration::from_secs(60)
            }
        );
        assert!(
            http.to_string()
                .contains("the server asked to wait 3600s (Retry-After)"),
            "{http}"
        );
        assert_eq!(seen(&server), [(1, 200), (2, 503)], "{via:?}");
    }
}

#[test]
fn the_attempt_limit_ends_the_retries_with_a_typed_error_naming_the_last_answer() {
    for via in BOTH {
        let server = Server::start();
        server.script(2, usize::MAX, Reply::busy());
        let listed = list(&server, &quick().max_retries(2).build().unwrap(), via);
        assert_eq!(listed.items, expected_photos()[..5], "{via:?}");
        // The run can be resumed from where it stopped: page 2.
        assert!(listed.resume_token.is_some(), "{via:?}");
        let error = listed.error.expect("page 2 never comes");
        let (page, http) = http_error(&error);
        assert_eq!(page, 2);
        let HttpError::Retries { url, source, .. } = http else {
            panic!("{via:?}: not a retry error: {http:?}");
        };
        assert_eq!(source.stop, RetryStop::Attempts { max_retries: 2 });
        assert_eq!(source.attempts, 3);
        assert_eq!(http.status().map(|s| s.as_u16()), Some(503));
        assert!(!http.is_retryable());
        assert!(url.contains("/objects?"), "{url}");
        let message = http.to_string();
        assert!(message.contains(url.as_str()), "{message}");
        assert!(
            message.contains(
                "gave up after 3 attempts, the retry policy's limit of 2 retries; the last answer was HTTP 503 Service Unavailable: slow down"
            ),
            "{message}"
        );
        assert_eq!(
            seen(&server),
            [(1, 200), (2, 503), (2, 503), (2, 503)],
            "{via:?}"
        );
        assert!(matches!(error, Error::Transport { .. }));
    }
}

#[test]
fn a_spent_budget_ends_the_retries_before_the_attempt_limit() {
    for via in BOTH {
        let server = Server::start();
        server.script(2, usize::MAX, Reply::busy());
        // No retries a second for free; each request earns half a retry, kept 60 s: pages 1
        // and 2 earn one retry between them, and the limit of 10 is never reached.
        let policy = quick()
            .max_retries(10)
            .budget(Duration::from_secs(60), 0, 0.5)
            .build()
            .unwrap();
        let listed = list(&server, &policy, via);
        let error = listed.error.expect("page 2 never comes");
        let (page, http) = http_error(&error);
        assert_eq!(page, 2);
        let HttpError::Retries { source, .. } = http else {
            panic!("{via:?}: not a retry error: {http:?}");
        };
        assert_eq!(source.stop, RetryStop::Budget, "{via:?}");
        assert_eq!(source.attempts, 2);
        assert!(
            http.to_string().contains("the retry budget is spent"),
            "{http}"
        );
        assert_eq!(seen(&server), [(1, 200), (2, 503), (2, 503)], "{via:?}");
    }
}

#[test]
fn a_hanging_attempt_times_out_and_is_retried() {
    for via in BOTH {
        let server = Server::start();
        server.script(2, 1, Reply::Hang);
        let policy = quick()
            .attempt_timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let listed = list(&server, &policy, via);
        assert!(listed.error.is_none(), "{via:?}: {:?}", listed.error);
        assert_eq!(listed.items, expected_photos(), "{via:?}");
        let pages: Vec<usize> = server.log().iter().map(|l| l.page).collect();
        assert_eq!(pages, [1, 2, 2, 3, 4, 5], "{via:?}");
    }
}

#[test]
fn a_post_is_retried_with_the_same_json_body() {
    for via in BOTH {
        let server = Server::start();
        server.script(2, 1, Reply::busy());
        let params = json!({"filter": {"team": "core"}});
        let listed = list_with(
            &server,
            &quick().build().unwrap(),
            via,
            &search_model(),
            params,
        );
        assert!(listed.error.is_none(), "{via:?}: {:?}", listed.error);
        assert_eq!(listed.items, expected_users("core"), "{via:?}");
        // The server numbers requests by method, path, query and body: the retry is page 2
        // again, body and all.
        assert_eq!(seen(&server), [(1, 200), (2, 503), (2, 200)], "{via:?}");
        let log = server.log();
        assert_eq!(log[1].method, "POST");
        assert_eq!(
            log[1].body.as_ref().and_then(|b| b.get("cursor")),
            Some(&json!("after:5"))
        );
        assert_eq!(log[1].body, log[2].body, "{via:?}");
    }
}
