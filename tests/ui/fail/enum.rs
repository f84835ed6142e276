#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "NextToken",
    output_token = "NextToken",
    result_key = "Items"
)]
enum ListItems {
    All {
        next_token: Option<String>,
    },
    Folder {
        name: String,
        next_token: Option<String>,
    },
}

fn main() {}
