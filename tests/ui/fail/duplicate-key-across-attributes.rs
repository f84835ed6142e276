#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "NextToken",
    output_token = "NextToken",
    result_key = "Items"
)]
#[paginate(input_token = "Marker")]
struct ListItems {
    next_token: Option<String>,
    marker: Option<String>,
}

fn main() {}
