//! botocore's scenarios, loaded once per driver and wire by `tests/botocore_scenarios.rs`:
//! every case starts its runs with `drive`, which uses the driver and the wire (`Value` or
//! body, G8) of the module it is loaded into. Here:
//! that `drive`, and the models, pages and helpers of the upstream tests that several files
//! share.

use std::sync::Arc;

use paginate_tests::{Scripted, model};
use paginated::{Error, Model, TokenError};
use serde_json::{Value, json};

use crate::matrix::{Pager, Service, scripted};

mod legacy;
mod pagination;
mod result_keys;
mod tokens;

/// Starts runs with the driver and the wire of the enclosing module.
pub(crate) trait Drive {
    /// A run of this model with `params` over `api`; nothing is sent yet.
    fn drive<T: Service>(&self, api: &Arc<T>, params: Value) -> Pager<T>;
}

impl Drive for Model {
    fn drive<T: Service>(&self, api: &Arc<T>, params: Value) -> Pager<T> {
        super::DRIVER.paginate_over(super::WIRE, self, api, params)
    }
}

/// TestPagination's base config: `NextToken → NextToken`, result key `Foo`.
pub(crate) fn foo() -> Model {
    model(
        "ListFoos",
        json!({"output_token": "NextToken", "input_token": "NextToken", "result_key": "Foo"}),
    )
}

/// `Marker → Marker`, result key `Users`, limit `MaxKeys`.
pub(crate) fn users_with_limit() -> Model {
    model(
        "ListUsers",
        json!({"output_token": "Marker", "input_token": "Marker", "result_key": "Users", "limit_key": "MaxKeys"}),
    )
}

/// TestKeyIterators, TestBinaryTokens, TestDeprecatedStartingToken (single):
/// `Marker → Marker`, result key `Users`.
pub(crate) fn users() -> Model {
    model(
        "ListUsers",
        json!({"output_token": "Marker", "input_token": "Marker", "result_key": "Users"}),
    )
}

/// TestMultipleResultKeys: `Marker → Marker`, result keys `[Users, Groups]`.
pub(crate) fn users_groups() -> Model {
    model(
        "ListUsers",
        json!({"output_token": "Marker", "input_token": "Marker", "result_key": ["Users", "Groups"]}),
    )
}

/// TestMultipleInputKeys, TestDeprecatedStartingToken (multiple):
/// `[Marker1, Marker2] → [InMarker1, InMarker2]`, result keys `[Users, Groups]`.
pub(crate) fn multi_input() -> Model {
    model(
        "ListUsers",
        json!({"output_token": ["Marker1", "Marker2"], "input_token": ["InMarker1", "InMarker2"],
               "result_key": ["Users", "Groups"]}),
    )
}

/// A page of `Users` with an optional `Marker`.
pub(crate) fn upage(users: &[&str], marker: Option<&str>) -> Value {
    let mut p = json!({"Users": users});
    if let Some(m) = marker {
        p["Marker"] = json!(m);
    }
    p
}

/// TestKeyIterators' base pages: `[User1]/m1`, `[User2]/m2`, `[User3]`.
pub(crate) fn three_users() -> Arc<Scripted> {
    scripted([
        upage(&["User1"], Some("m1")),
        upage(&["User2"], Some("m2")),
        upage(&["User3"], None),
    ])
}

/// The pages of #48 and #49.
pub(crate) fn secondary_pages() -> Arc<Scripted> {
    scripted([
        json!({"Users": ["User1", "User2"], "Groups": ["Group1", "Group2"], "Marker": "m1"}),
        json!({"Users": ["User3"], "Groups": ["Group3"], "Marker": "m2"}),
        json!({"Users": ["User4"], "Groups": ["Group4"]}),
    ])
}

/// The pages of #52, #69 and #71.
pub(crate) fn multi_pages() -> Vec<Value> {
    vec![
        json!({"Users": ["User1", "User2"], "Groups": ["Group1"], "Marker1": "m1", "Marker2": "m2"}),
        json!({"Users": ["User3", "User4"], "Groups": ["Group2"], "Marker1": "m3", "Marker2": "m4"}),
        json!({"Users": ["User5"], "Groups": ["Group3"]}),
    ]
}

/// Starts a run from `token` and returns why the token was refused; no request may be sent.
pub(crate) fn token_error(m: &Model, token: &str) -> TokenError {
    let api = scripted([upage(&["User1"], Some("m1"))]);
    let mut pages = m
        .drive(&api, json!({}))
        .starting_token(Some(token.to_owned()));
    let err = pages.next().unwrap().unwrap_err();
    assert!(
        api.calls().is_empty(),
        "no request may be sent for {token:?}"
    );
    assert!(pages.next().is_none());
    match err {
        Error::InvalidToken { reason, .. } => reason,
        other => panic!("expected InvalidToken for {token:?}, got {other}"),
    }
}
