#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker || Contents[-1.Key",
    result_key = "Contents"
)]
struct ListObjects {
    marker: Option<String>,
}

fn main() {}
