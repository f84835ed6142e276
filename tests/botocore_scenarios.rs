//! botocore's own paginator test scenarios (tests/unit/test_paginate.py and
//! tests/functional/test_paginate.py), ported from /work/shared/botocore-scenarios.md. Each test
//! is numbered after its scenario, cites the SEMANTICS rule(s) it exercises, and asserts the
//! exact pages, the exact params of every request, the exact items and the exact tokens.
//! Where botocore's outcome contradicts a rule marked [ours] in SEMANTICS.md, the test asserts
//! SEMANTICS.md and says so.
//!
//! Every scenario in `botocore_scenarios/` runs through four drivers and two wires alike
//! (SEMANTICS G6, G8): the modules below load the same files, each with its own `DRIVER` and
//! `WIRE`, so a test is listed as `blocking::cases::…`, `asynchronous::cases::…`,
//! `lookahead_blocking::cases::…` and `lookahead_async::cases::…`, and again under `body_`
//! (`body_blocking::cases::…`, …), where every page reaches the run as its response body.
//! Under lookahead the request log must be the very one asserted without it; over bodies every
//! expectation is the Value path's. `model_only` holds the three scenarios that start no run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Loading the same case files once per driver is the point of the driver modules below.
#![allow(clippy::duplicate_mod)]

// Each test target uses its own part of the driver layer.
#[allow(dead_code)]
#[path = "matrix/mod.rs"]
mod matrix;

use matrix::Driver;
use paginate_tests::Wire;

/// Blocking iterators.
#[path = "botocore_scenarios"]
mod blocking {
    const DRIVER: super::Driver = super::Driver::Blocking;
    const WIRE: super::Wire = super::Wire::Value;
    #[path = "mod.rs"]
    pub(crate) mod cases;
}

/// Async streams on a multi-threaded runtime.
#[path = "botocore_scenarios"]
mod asynchronous {
    const DRIVER: super::Driver = super::Driver::Async;
    const WIRE: super::Wire = super::Wire::Value;
    #[path = "mod.rs"]
    mod cases;
}

/// Blocking iterators with `.lookahead()`.
#[path = "botocore_scenarios"]
mod lookahead_blocking {
    const DRIVER: super::Driver = super::Driver::LookaheadBlocking;
    const WIRE: super::Wire = super::Wire::Value;
    #[path = "mod.rs"]
    mod cases;
}

/// Async streams with `.lookahead()`.
#[path = "botocore_scenarios"]
mod lookahead_async {
    const DRIVER: super::Driver = super::Driver::LookaheadAsync;
    const WIRE: super::Wire = super::Wire::Value;
    #[path = "mod.rs"]
    mod cases;
}

/// Blocking iterators, every page a response body (G8).
#[path = "botocore_scenarios"]
mod body_blocking {
    const DRIVER: super::Driver = super::Driver::Blocking;
    const WIRE: super::Wire = super::Wire::Body;
    #[path = "mod.rs"]
    mod cases;
}

/// Async streams on a multi-threaded runtime, every page a response body (G8).
#[path = "botocore_scenarios"]
mod body_asynchronous {
    const DRIVER: super::Driver = super::Driver::Async;
    const WIRE: super::Wire = super::Wire::Body;
    #[path = "mod.rs"]
    mod cases;
}

/// Blocking iterators with `.lookahead()`, every page a response body (G8).
#[path = "botocore_scenarios"]
mod body_lookahead_blocking {
    const DRIVER: super::Driver = super::Driver::LookaheadBlocking;
    const WIRE: super::Wire = super::Wire::Body;
    #[path = "mod.rs"]
    mod cases;
}

/// Async streams with `.lookahead()`, every page a response body (G8).
#[path = "botocore_scenarios"]
mod body_lookahead_async {
    const DRIVER: super::Driver = super::Driver::LookaheadAsync;
    const WIRE: super::Wire = super::Wire::Body;
    #[path = "mod.rs"]
    mod cases;
}

#[path = "botocore_scenarios/model_only.rs"]
mod model_only;
