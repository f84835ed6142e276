// Each pagination style as a real API needs it (P1–P11): the derive accepts every one.
// Compile-only: the models are named, not built, so this case does not depend on the engine
// running the style keys.
use paginated::Paginated;

// GitHub: a bare array, the next page at the `Link` header's `next`.
#[derive(serde::Serialize, Paginated)]
#[paginate(next_url = "link('next')", result_key = "@", limit_key = "per_page")]
struct ListIssues<'a> {
    #[serde(skip)]
    owner: &'a str,
    state: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_page: Option<u32>,
}

// Azure: the next URL in the body, `api-version` sent again on it.
#[derive(serde::Serialize, Paginated)]
#[paginate(next_url = "nextLink", resend = ["api-version"], result_key = "value")]
struct ListVaults {
    #[serde(rename = "api-version")]
    api_version: String,
}

// json-server 1.x: a page number counted from 1, the next one in the body's `next`.
#[derive(serde::Serialize, Paginated)]
#[paginate(
    route = "GET /posts",
    page_number = "_page",
    output_token = "next",
    first = "1",
    limit_key = "_per_page",
    total = "items",
    result_key = "data",
)]
struct ListPosts {
    #[serde(skip_serializing_if = "Option::is_none")]
    _page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    _per_page: Option<u32>,
}

// Attio: an item offset, the listing over at a short page.
#[derive(serde::Serialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginate(
    route = "POST /v2/objects/{object}/records/query",
    offset = "offset",
    limit_key = "limit",
    stop = "short_page",
    total = "header('X-Total-Count')",
    result_key = "data",
)]
struct QueryRecords {
    object: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
}

// Heroku: the position in request and response headers; no field carries it.
#[derive(serde::Serialize, Paginated)]
#[paginate(
    route = "GET /apps",
    input_token = "header('Range')",
    output_token = "header('Next-Range')",
    result_key = "@",
)]
struct ListApps {}

// Dropbox: later requests go to `/continue`, with the cursor only.
#[derive(serde::Serialize, Paginated)]
#[paginate(
    route = "POST /2/files/list_folder",
    continue_route = "POST /2/files/list_folder/continue",
    input_token = "cursor",
    output_token = "cursor",
    more_results = "has_more",
    result_key = "entries",
    stop = "empty_page",
)]
struct ListFolder {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

// Named, not called: the impls exist.
#[allow(dead_code)]
fn models() -> [fn() -> Result<&'static paginated::Model, paginated::Error>; 6] {
    [
        ListIssues::pagination_model,
        ListVaults::pagination_model,
        ListPosts::pagination_model,
        QueryRecords::pagination_model,
        ListApps::pagination_model,
        ListFolder::pagination_model,
    ]
}

fn main() {}
