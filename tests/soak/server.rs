//! The soak's server: a small paginated API written straight onto TCP on 127.0.0.1 (a port
//! the OS picks), so that faults can be injected below HTTP as well as in it. Which request
//! gets which fault depends on its number alone (the n-th request the server reads), so a run
//! is the same every time:
//!
//! - a connection reset mid-body: the headers and half the body, then a TCP reset;
//! - a truncated body: a `Content-Length` larger than what is sent, then the connection closed;
//! - a burst of 503s: this request and the next two answered `503`;
//! - a 429 with `Retry-After: 1`;
//! - a slow body: the headers and half the body, then nothing for longer than the client's
//!   timeout.
//!
//! An outage can be armed at an item: from the first request for a page at or after it,
//! every request is a 503 until the test ends it, which spends any retry budget.
//!
//! The API: `GET /items?limit=N&after=ID` answers `{"items": [...], "next": "ID"}` with the
//! items after `ID` (from the first without it), `next` absent on the last page. Each item is
//! `{"id": n, "payload": "…"}`, about 200 bytes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A fault, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    Reset,
    Truncated,
    Busy,
    RetryAfter,
    SlowBody,
}

impl Fault {
    pub(crate) const ALL: [Fault; 5] = [
        Fault::Reset,
        Fault::Truncated,
        Fault::Busy,
        Fault::RetryAfter,
        Fault::SlowBody,
    ];
}

/// What the server counts, shared with the test.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// Requests read.
    pub(crate) requests: AtomicU64,
    /// Faults injected, by [`Fault`] (in the order of [`Fault::ALL`]).
    pub(crate) faults: [AtomicU64; 5],
    /// 503s answered during the outage.
    pub(crate) outage: AtomicU64,
}

#[derive(Debug)]
struct State {
    total: usize,
    /// How long a slow body stalls.
    stall: Duration,
    counters: Counters,
    /// Requests still to be answered 503 in the current burst.
    burst: AtomicUsize,
    /// The item from which the outage starts (`usize::MAX`: none armed).
    outage_at: AtomicUsize,
    in_outage: AtomicBool,
}

/// A running soak server; dropping it stops it.
#[derive(Debug)]
pub(crate) struct FaultyServer {
    base: String,
    state: Arc<State>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl FaultyServer {
    /// Serves `total` items on a runtime of its own; a slow body stalls for `stall`.
    pub(crate) fn start(total: usize, stall: Duration) -> FaultyServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("the server's runtime");
        let state = Arc::new(State {
            total,
            stall,
            counters: Counters::default(),
            burst: AtomicUsize::new(0),
            outage_at: AtomicUsize::new(usize::MAX),
            in_outage: AtomicBool::new(false),
        });
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let served = state.clone();
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(connection(stream, served.clone()));
            }
        });
        FaultyServer {
            base,
            state,
            runtime: Some(runtime),
        }
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base
    }

    pub(crate) fn counters(&self) -> &Counters {
        &self.state.counters
    }

    /// From the first request for a page at or after item `at`, answers 503 to everything.
    pub(crate) fn arm_outage(&self, at: usize) {
        self.state.outage_at.store(at, Ordering::SeqCst);
    }

    /// Ends the outage: requests are answered again (faults included).
    pub(crate) fn end_outage(&self) {
        self.state.in_outage.store(false, Ordering::SeqCst);
    }
}

impl Drop for FaultyServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Serves one keep-alive connection until the client closes it or a fault does.
async fn connection(stream: TcpStream, state: Arc<State>) {
    let _ = stream.set_nodelay(true);
    let mut stream = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        match stream.read_line(&mut request_line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        // The headers: nothing the API needs, and no request body (GET only).
        loop {
            let mut line = String::new();
            match stream.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) if line == "\r\n" => break,
                Ok(_) => {}
            }
        }
        let n = state.counters.requests.fetch_add(1, Ordering::SeqCst) + 1;
        let target = request_line.split(' ').nth(1).unwrap_or("/");
        let (status, body) = answer(&state, target);
        let fault = if status == 200 {
            fault(&state, n)
        } else {
            None
        };
        if let Some(fault) = fault {
            state.counters.faults[Fault::ALL.iter().position(|f| *f == fault).unwrap_or(0)]
                .fetch_add(1, Ordering::SeqCst);
        }
        let stream = stream.get_mut();
        let ok = match fault {
            None => write(stream, status, "", body.as_bytes()).await,
            Some(Fault::Busy) => write(stream, 503, "", b"busy").await,
            Some(Fault::RetryAfter) => write(stream, 429, "retry-after: 1\r\n", b"later").await,
            Some(kind) => {
                let half = &body.as_bytes()[..body.len() / 2];
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(half).await;
                let _ = stream.flush().await;
                match kind {
                    // Closing with linger zero sends a reset, not a FIN.
                    Fault::Reset => {
                        let _ = stream.set_zero_linger();
                    }
                    Fault::SlowBody => tokio::time::sleep(state.stall).await,
                    _ => {}
                }
                false
            }
        };
        if !ok {
            return;
        }
    }
}

/// Writes a whole response; false when the connection is gone.
async fn write(stream: &mut TcpStream, status: u16, headers: &str, body: &[u8]) -> bool {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        429 => "Too Many Requests",
        _ => "Service Unavailable",
    };
    // One write: a head and a body written apart would wait on the client's delayed ACK.
    let mut response = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{headers}\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    stream.write_all(&response).await.is_ok() && stream.flush().await.is_ok()
}

/// The fault for the `n`-th request, if any. None in the first 50 requests; then a 429 every
/// 997th request, a slow body every 401st, and otherwise about 1 request in 50 reset, 1 in 50
/// truncated and 1 in 100 the start of a burst of three 503s.
fn fault(state: &State, n: u64) -> Option<Fault> {
    if state
        .burst
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
            left.checked_sub(1)
        })
        .is_ok()
    {
        return Some(Fault::Busy);
    }
    if n <= 50 {
        return None;
    }
    if n.is_multiple_of(997) {
        return Some(Fault::RetryAfter);
    }
    if n.is_multiple_of(401) {
        return Some(Fault::SlowBody);
    }
    // splitmix64 of the request number: spread, and the same on every run.
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    match (z ^ (z >> 31)) % 1000 {
        0..20 => Some(Fault::Reset),
        20..40 => Some(Fault::Truncated),
        40..50 => {
            state.burst.store(2, Ordering::SeqCst);
            Some(Fault::Busy)
        }
        _ => None,
    }
}

/// The API's answer to `target` (`/items?limit=&after=`), and the outage's.
fn answer(state: &State, target: &str) -> (u16, String) {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let mut limit = 50;
    let mut after: Option<usize> = None;
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("limit", v)) => match v.parse() {
                Ok(v) if v > 0 => limit = v,
                _ => return (400, json!({"error": "bad limit"}).to_string()),
            },
            Some(("after", v)) => match v.parse() {
                Ok(v) => after = Some(v),
                Err(_) => return (400, json!({"error": "bad after"}).to_string()),
            },
            _ => {}
        }
    }
    let start = after.map_or(0, |a| a + 1);
    if start >= state.outage_at.load(Ordering::SeqCst) {
        state.outage_at.store(usize::MAX, Ordering::SeqCst);
        state.in_outage.store(true, Ordering::SeqCst);
    }
    if state.in_outage.load(Ordering::SeqCst) {
        state.counters.outage.fetch_add(1, Ordering::SeqCst);
        return (503, json!({"error": "outage"}).to_string());
    }
    let end = (start + limit).min(state.total);
    let items: Vec<Value> = (start..end)
        .map(|id| json!({"id": id, "payload": format!("{id:0>180}")}))
        .collect();
    let mut page = json!({ "items": items });
    if end < state.total {
        page["next"] = json!((end - 1).to_string());
    }
    (200, page.to_string())
}
