//! paginate end to end against REST servers it did not write, each paginating in its own style
//! (issue #18): json-server 0.17 (a bare array, `Link` header), json-server 1.x (a page number
//! in the body) and Django REST framework (a `next` URL, for its PageNumber, LimitOffset and
//! Cursor paginators).
//!
//! Opt-in (feature `peers`), because the servers come from npm and PyPI. Each test starts the
//! server it needs on a port the OS picks, and stops it; nothing needs to be started first:
//!
//! ```text
//! peers/styles.sh install
//! cargo test -p paginate-peers --features peers --test styles
//! ```
//!
//! With a server not installed, a test fails and says how to install it; nothing is skipped.
//!
//! - [`servers`]: starting and stopping the servers, their own data, plain requests;
//! - [`smoke`]: each server answers its first page in the shape its style documents;
//! - [`listings`]: paginate's listing of each style, compared with the server's own data,
//!   whole, under lookahead, resumed from tokens, fanned out; the origin check on real links.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// A crate root's modules are looked for beside it: these live in `tests/styles/`.
#[path = "styles/listings.rs"]
mod listings;
#[path = "styles/servers.rs"]
mod servers;
#[path = "styles/smoke.rs"]
mod smoke;
