//! The rule tests, loaded once per driver and wire by `tests/rules.rs`: every case starts its
//! runs with `drive`, which uses the driver and the wire of the module it is loaded into, and
//! asserts what SEMANTICS.md says whatever the driver, and whether pages come as `Value`s or
//! as bodies (G8).

use std::sync::Arc;

use paginate_tests::model;
use paginated::Model;
use serde_json::{Value, json};

use crate::matrix::{Pager, Service};

mod max_items;
mod paging;
mod results;
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

/// `Marker → NextMarker`, result key `Users`, limit `MaxKeys`.
pub(crate) fn users() -> Model {
    model(
        "ListUsers",
        json!({"input_token": "Marker", "output_token": "NextMarker", "result_key": "Users", "limit_key": "MaxKeys"}),
    )
}

pub(crate) fn page(users: &[&str], next: Option<&str>) -> Value {
    let mut p = json!({"Users": users});
    if let Some(n) = next {
        p["NextMarker"] = json!(n);
    }
    p
}
