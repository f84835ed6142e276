//! Runnable examples of paginate against a real HTTP API.
//!
//! - [`api`]: an in-house REST API on axum, embedded: two paginated endpoints (AWS style and
//!   plain style) over a deterministic dataset of 10,502 objects and 3,000 users, served on
//!   `127.0.0.1` at a port the OS picks, with a request counter and graceful shutdown.
//! - [`client`]: reqwest clients for it as paginate transports, async ([`HttpApi`]) and
//!   blocking ([`BlockingHttpApi`]).
//! - [`requests`]: the paginated requests, declared with `#[derive(Paginated)]`.
//! - [`types`]: the wire types, shared by the server and the clients.
//!
//! The `paginate-examples` binary (`cargo run -p paginate-examples`) walks through all of it;
//! `tests/http.rs` checks it end to end against the server's own data.

pub mod api;
pub mod client;
pub mod requests;
pub mod types;

pub use client::{ApiError, BlockingHttpApi, HttpApi};
pub use requests::{ListObjects, ListUsers};
pub use types::{Object, User};
