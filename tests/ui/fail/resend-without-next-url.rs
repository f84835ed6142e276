// `resend` lists what is sent again on a request to the next URL or the continue route;
// requests that re-send every param need no list (P3).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = "cursor",
    output_token = "next_cursor",
    resend = ["api-version"],
    result_key = "value",
)]
struct ListVaults {
    #[serde(rename = "api-version")]
    api_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

fn main() {}
