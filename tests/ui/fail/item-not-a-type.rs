use paginated::Paginated;

#[derive(serde::Serialize, Paginated)]
#[paginate(
    input_token = "NextToken",
    output_token = "NextToken",
    result_key = "Items",
    item = "Vec<"
)]
#[serde(rename_all = "PascalCase")]
struct ListItems {
    next_token: Option<String>,
}

fn main() {}
