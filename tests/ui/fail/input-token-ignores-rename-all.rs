#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "camelCase")]
#[paginate(
    input_token = "next_token",
    output_token = "nextToken",
    result_key = "items"
)]
struct ListItems {
    next_token: Option<String>,
    max_results: Option<u32>,
}

fn main() {}
