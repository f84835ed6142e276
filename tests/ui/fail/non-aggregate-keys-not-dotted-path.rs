#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = "Contents",
    non_aggregate_keys = ["Name", "Owner || Name"],
)]
struct ListObjects {
    marker: Option<String>,
}

fn main() {}
