//! The attribute names the derive understands, in one place.

pub(crate) const PAGINATE: &str = "paginate";
pub(crate) const SERDE: &str = "serde";

pub(crate) const INPUT_TOKEN: &str = "input_token";
pub(crate) const OUTPUT_TOKEN: &str = "output_token";
pub(crate) const RESULT_KEY: &str = "result_key";
pub(crate) const MORE_RESULTS: &str = "more_results";
pub(crate) const LIMIT_KEY: &str = "limit_key";
pub(crate) const NON_AGGREGATE_KEYS: &str = "non_aggregate_keys";
pub(crate) const OPERATION: &str = "operation";
pub(crate) const PAGE: &str = "page";
pub(crate) const ITEM: &str = "item";
pub(crate) const ROUTE: &str = "route";

/// Every key of `#[paginate(...)]`, for did-you-mean suggestions.
pub(crate) const KEYS: [&str; 10] = [
    INPUT_TOKEN,
    OUTPUT_TOKEN,
    RESULT_KEY,
    MORE_RESULTS,
    LIMIT_KEY,
    NON_AGGREGATE_KEYS,
    OPERATION,
    PAGE,
    ITEM,
    ROUTE,
];

pub(crate) const RENAME: &str = "rename";
pub(crate) const RENAME_ALL: &str = "rename_all";
pub(crate) const SERIALIZE: &str = "serialize";
pub(crate) const SKIP: &str = "skip";
pub(crate) const SKIP_SERIALIZING: &str = "skip_serializing";
pub(crate) const FLATTEN: &str = "flatten";
pub(crate) const SKIP_SERIALIZING_IF: &str = "skip_serializing_if";
pub(crate) const SERIALIZE_WITH: &str = "serialize_with";
pub(crate) const WITH: &str = "with";
