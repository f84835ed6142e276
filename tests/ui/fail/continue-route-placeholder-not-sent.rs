// A continuation sends only the input tokens and `resend`, so a placeholder of
// `continue_route` that is neither could never be filled (P9).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    route = "POST /v1/{account}/list",
    continue_route = "POST /v1/{account}/list/continue",
    input_token = "cursor",
    output_token = "cursor",
    more_results = "has_more",
    result_key = "entries",
)]
struct ListEntries {
    account: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

fn main() {}
