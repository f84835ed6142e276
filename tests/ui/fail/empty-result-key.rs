#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(input_token = "NextToken", output_token = "NextToken", result_key = [])]
struct ListItems {
    next_token: Option<String>,
}

fn main() {}
