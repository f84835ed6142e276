#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "NextToken",
    output_token = "NextToken",
    result_key = "Items",
    limit_key = ["MaxResults"],
)]
struct ListItems {
    next_token: Option<String>,
    max_results: Option<u32>,
}

fn main() {}
