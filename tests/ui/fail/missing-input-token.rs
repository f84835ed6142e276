#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(output_token = "NextToken", result_key = "Items")]
struct ListItems {
    next_token: Option<String>,
}

fn main() {}
