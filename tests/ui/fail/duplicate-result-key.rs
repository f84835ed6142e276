#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = ["Contents", "CommonPrefixes", "Contents"],
)]
struct ListObjects {
    marker: Option<String>,
}

fn main() {}
