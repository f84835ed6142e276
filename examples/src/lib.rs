//! Runnable examples of paginate against a real HTTP API.
//!
//! - [`api`]: an in-house REST API on axum, embedded: two paginated endpoints (AWS style and
//!   plain style) over a deterministic dataset of 10,502 objects and 3,000 users, served on
//!   `127.0.0.1` at a port the OS picks, with a request counter, graceful shutdown and, on
//!   request, injected faults.
//! - [`requests`]: the paginated requests, declared with `#[derive(Paginated)]`, routes
//!   included, so paginate's ready HTTP transports (`paginated::http`) talk to the API
//!   with no client code.
//! - [`types`]: the wire types, shared by the server and the typed pages and items.
//!
//! The `paginate-examples` binary (`cargo run -p paginate-examples`) walks through all of it;
//! `tower-stack` puts retries, a timeout and a rate limit around the transport;
//! `redis-workers` (feature `redis`) shares one fan-out between worker processes through a
//! Redis queue, exactly once even when a worker is killed;
//! `tests/http/` checks it end to end against the server's own data.

pub mod api;
pub mod requests;
pub mod types;

pub use requests::{ListObjects, ListUsers};
pub use types::{Object, User};
