#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "StartingToken",
    output_token = "NextToken",
    result_key = "Items"
)]
struct ListItems {
    next_token: Option<String>,
    max_results: Option<u32>,
}

fn main() {}
