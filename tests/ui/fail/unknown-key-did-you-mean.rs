#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "NextToken",
    output_token = "NextToken",
    reslt_key = "Items"
)]
struct ListItems {
    next_token: Option<String>,
}

fn main() {}
