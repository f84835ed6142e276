//! `tower` layers around the async transport (retries, rate limits, timeouts), and retries
//! for the blocking transport through a `blocking::Transport` of the test's own, as the `http` module
//! documents: what the server received proves that a retried page is the same request sent
//! again, so a run keeps its position through retries.

use std::error::Error as _;
use std::future::{Ready, ready};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use paginated::http::HttpError;
use paginated::{PageRequest, PaginationConfig, blocking};
use tower::ServiceBuilder;
use tower::retry::Policy;

use super::server::{Reply, Server};
use super::*;

/// Retries what a retry may cure (no response, a 5xx, a 429) at most `left` times per
/// request, at once.
#[derive(Debug, Clone)]
struct RetryRetryable {
    left: usize,
}

impl<E> Policy<reqwest::Request, reqwest::Response, E> for RetryRetryable {
    type Future = Ready<()>;

    fn retry(
        &mut self,
        _request: &mut reqwest::Request,
        result: &mut Result<reqwest::Response, E>,
    ) -> Option<Ready<()>> {
        let retryable = match result {
            Ok(response) => {
                response.status().is_server_error() || response.status().as_u16() == 429
            }
            Err(_) => true,
        };
        if retryable && self.left > 0 {
            self.left -= 1;
            Some(ready(()))
        } else {
            None
        }
    }

    fn clone_request(&mut self, request: &reqwest::Request) -> Option<reqwest::Request> {
        request.try_clone()
    }
}

/// The blocking transport with retries: the same page request sent again while the failure
/// [`HttpError::is_retryable`], at most `retries` times.
#[derive(Debug)]
struct Retrying {
    inner: BlockingHttpTransport,
    retries: usize,
}

impl blocking::Transport for Retrying {
    type Error = HttpError;

    fn fetch(&self, request: PageRequest<'_>) -> Result<paginated::Reply, HttpError> {
        let mut left = self.retries;
        loop {
            match self.inner.fetch(request.clone()) {
                Err(e) if e.is_retryable() && left > 0 => left -= 1,
                outcome => return outcome,
            }
        }
    }
}

/// The pages and statuses the server saw, in order of arrival.
fn seen(server: &Server) -> Vec<(usize, u16)> {
    server.log().iter().map(|l| (l.page, l.status)).collect()
}

/// Fails the first try of pages 2 and 4 with a 503.
fn flaky() -> Server {
    let server = Server::start();
    server.script(2, 1, Reply::busy());
    server.script(4, 1, Reply::busy());
    server
}

/// Each failed page request was seen twice, every other once, and nothing else was sent.
const RETRIED: [(usize, u16); 7] = [
    (1, 200),
    (2, 503),
    (2, 200),
    (3, 200),
    (4, 503),
    (4, 200),
    (5, 200),
];

#[test]
fn tower_retry_completes_the_run_with_every_item_once() {
    let server = flaky();
    let stack = ServiceBuilder::new()
        .retry(RetryRetryable { left: 2 })
        .service(reqwest::Client::new());
    let api = HttpTransport::with_service(stack, &server.base_url()).unwrap();
    let config = PaginationConfig::default().page_size(5);
    let listed = block_on(items_async(&api, &objects_model(), photos_params(), config));
    assert!(listed.error.is_none(), "{:?}", listed.error);
    assert_eq!(listed.items, expected_photos());
    assert_eq!(seen(&server), RETRIED);
}

#[test]
fn a_retrying_blocking_transport_completes_the_run_with_every_item_once() {
    let server = flaky();
    let api = Retrying {
        inner: blocking(&server),
        retries: 2,
    };
    let config = PaginationConfig::default().page_size(5);
    let listed = items_blocking(&api, &objects_model(), photos_params(), config);
    assert!(listed.error.is_none(), "{:?}", listed.error);
    assert_eq!(listed.items, expected_photos());
    assert_eq!(seen(&server), RETRIED);
}

#[test]
fn retries_are_bounded_and_the_last_failure_is_reported() {
    let failing = || {
        let server = Server::start();
        server.script(2, usize::MAX, Reply::busy());
        server
    };
    let check = |via: &str, server: &Server, listed: Listed| {
        assert_eq!(listed.items, expected_photos()[..5], "{via}");
        let error = listed.error.expect("page 2 never comes");
        let (page, http) = http_error(&error);
        assert_eq!(page, 2, "{via}");
        assert_eq!(http.status().map(|s| s.as_u16()), Some(503), "{via}");
        assert!(
            http.to_string()
                .ends_with("returned HTTP 503 Service Unavailable: slow down")
        );
        // One try and two retries, then the run ends.
        assert_eq!(
            seen(server),
            [(1, 200), (2, 503), (2, 503), (2, 503)],
            "{via}"
        );
    };
    let config = PaginationConfig::default().page_size(5);

    let server = failing();
    let api = Retrying {
        inner: blocking(&server),
        retries: 2,
    };
    let listed = items_blocking(&api, &objects_model(), photos_params(), config.clone());
    check("blocking", &server, listed);

    let server = failing();
    let stack = ServiceBuilder::new()
        .retry(RetryRetryable { left: 2 })
        .service(reqwest::Client::new());
    let api = HttpTransport::with_service(stack, &server.base_url()).unwrap();
    let listed = block_on(items_async(&api, &objects_model(), photos_params(), config));
    check("async", &server, listed);
}

#[test]
fn a_rate_limit_spaces_the_requests_the_server_receives() {
    const INTERVAL: Duration = Duration::from_millis(250);
    // Lower bounds only: arrivals may be delayed (never advanced) on their way, so a gap
    // seen by the server can be shorter than the limiter's by the first request's delay.
    const TOLERANCE: Duration = Duration::from_millis(100);
    let server = Server::start();
    let sent: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let stamps = sent.clone();
    let listed = block_on(async {
        // `Buffer` spawns its worker, so the stack is built on the runtime; it also makes the
        // limiter (which is not `Clone`) shared by every clone the transport makes.
        let stack = ServiceBuilder::new()
            .buffer(8)
            .rate_limit(1, INTERVAL)
            .map_request(move |request: reqwest::Request| {
                stamps.lock().unwrap().push(Instant::now());
                request
            })
            .service(reqwest::Client::new());
        let api = HttpTransport::with_service(stack, &server.base_url()).unwrap();
        let config = PaginationConfig::default().page_size(5);
        items_async(&api, &objects_model(), photos_params(), config).await
    });
    assert!(listed.error.is_none(), "{:?}", listed.error);
    assert_eq!(listed.items, expected_photos());

    let arrivals: Vec<Instant> = server.log().iter().map(|l| l.at).collect();
    assert_eq!(arrivals.len(), 5);
    for pair in arrivals.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= INTERVAL - TOLERANCE,
            "requests {gap:?} apart, limit {INTERVAL:?}"
        );
    }
    let span = arrivals[4] - arrivals[0];
    assert!(
        span >= INTERVAL * 4 - TOLERANCE,
        "5 requests within {span:?}"
    );
    // Where the limiter let them through, the spacing is the interval itself (less the
    // timer's rounding).
    let sent = sent.lock().unwrap();
    assert_eq!(sent.len(), 5);
    for pair in sent.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= INTERVAL - Duration::from_millis(5),
            "sent {gap:?} apart"
        );
    }
}

#[test]
fn a_timeout_layer_gives_a_request_error_and_a_retry_cures_it() {
    let config = PaginationConfig::default().page_size(5);

    // Page 1 never gets an answer: the timeout's error is the request error's source.
    let server = Server::start();
    server.script(1, usize::MAX, Reply::Hang);
    let listed = block_on(async {
        let stack = ServiceBuilder::new()
            .timeout(Duration::from_millis(100))
            .service(reqwest::Client::new());
        let api = HttpTransport::with_service(stack, &server.base_url()).unwrap();
        items_async(&api, &objects_model(), photos_params(), config.clone()).await
    });
    let error = listed.error.expect("page 1 never comes");
    let (page, http) = http_error(&error);
    assert_eq!(page, 1);
    assert!(matches!(http, HttpError::Request { .. }), "{http:?}");
    assert!(http.is_retryable());
    let cause = http.source().expect("the layer's error");
    assert!(
        cause
            .downcast_ref::<tower::timeout::error::Elapsed>()
            .is_some(),
        "{cause:?}"
    );

    // Page 2 hangs once: the retry around the timeout sends it again.
    let server = Server::start();
    server.script(2, 1, Reply::Hang);
    let listed = block_on(async {
        let stack = ServiceBuilder::new()
            .retry(RetryRetryable { left: 1 })
            .timeout(Duration::from_millis(100))
            .service(reqwest::Client::new());
        let api = HttpTransport::with_service(stack, &server.base_url()).unwrap();
        items_async(&api, &objects_model(), photos_params(), config).await
    });
    assert!(listed.error.is_none(), "{:?}", listed.error);
    assert_eq!(listed.items, expected_photos());
    let pages: Vec<usize> = server.log().iter().map(|l| l.page).collect();
    assert_eq!(pages, [1, 2, 2, 3, 4, 5]);
}
