//! botocore's PaginatorModel (#6–#7) and #8: the registry and the model's own accessors. They
//! start no run, so no driver is involved and they run once.

use paginated::Error;
use paginated::model::Registry;
use serde_json::json;

use crate::blocking::cases::foo;

fn list_foos_registry() -> Registry {
    Registry::from_value(&json!({"pagination": {"ListFoos": {
        "output_token": "NextToken", "input_token": "NextToken", "result_key": "Foo"
    }}}))
    .unwrap()
}

#[test]
fn s06_registry_returns_the_model_of_an_operation() {
    // #6, S2: botocore returns the config dict; here the compiled model, field by field.
    let registry = list_foos_registry();
    let m = registry.get("ListFoos").unwrap();
    assert_eq!(m.operation(), "ListFoos");
    assert_eq!(m.input_tokens(), ["NextToken"]);
    assert_eq!(m.output_tokens().collect::<Vec<_>>(), ["NextToken"]);
    assert_eq!(m.result_keys().collect::<Vec<_>>(), ["Foo"]);
    assert_eq!(m.limit_key(), None);
    assert_eq!(m.more_results(), None);
    assert_eq!(m.non_aggregate_keys().count(), 0);
}

#[test]
fn s07_unknown_operation_is_a_typed_error_naming_it() {
    // #7, S2: botocore raises ValueError; here a typed error that names the operation.
    let err = list_foos_registry().get("ListBars").unwrap_err();
    assert!(
        matches!(&err, Error::UnknownOperation { operation, .. } if operation == "ListBars"),
        "{err}"
    );
    assert!(err.to_string().contains("`ListBars`"), "{err}");
}

#[test]
fn s08_result_keys_are_exposed() {
    // #8, G5.
    assert_eq!(foo().result_keys().collect::<Vec<_>>(), ["Foo"]);
}
