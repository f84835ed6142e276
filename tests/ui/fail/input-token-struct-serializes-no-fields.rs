#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = "Items"
)]
struct ListItems {
    #[serde(skip_serializing)]
    cache: Option<String>,
}

fn main() {}
