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
pub(crate) const NEXT_URL: &str = "next_url";
pub(crate) const RESEND: &str = "resend";
pub(crate) const OFFSET: &str = "offset";
pub(crate) const PAGE_NUMBER: &str = "page_number";
pub(crate) const FIRST: &str = "first";
pub(crate) const STOP: &str = "stop";
pub(crate) const TOTAL: &str = "total";
pub(crate) const CONTINUE_ROUTE: &str = "continue_route";
pub(crate) const CHECK_KEYS: &str = "check_keys";

/// Every key of `#[paginate(...)]`, for did-you-mean suggestions.
pub(crate) const KEYS: [&str; 19] = [
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
    NEXT_URL,
    RESEND,
    OFFSET,
    PAGE_NUMBER,
    FIRST,
    STOP,
    TOTAL,
    CONTINUE_ROUTE,
    CHECK_KEYS,
];

/// The keys that each say, their own way, where the next page comes from: with one of them
/// written, `input_token` and `output_token` are not missing.
pub(crate) const POSITION_KEYS: [&str; 3] = [NEXT_URL, OFFSET, PAGE_NUMBER];

pub(crate) const RENAME: &str = "rename";
pub(crate) const RENAME_ALL: &str = "rename_all";
pub(crate) const SERIALIZE: &str = "serialize";
pub(crate) const SKIP: &str = "skip";
pub(crate) const SKIP_SERIALIZING: &str = "skip_serializing";
pub(crate) const FLATTEN: &str = "flatten";
pub(crate) const SKIP_SERIALIZING_IF: &str = "skip_serializing_if";
pub(crate) const SERIALIZE_WITH: &str = "serialize_with";
pub(crate) const WITH: &str = "with";
