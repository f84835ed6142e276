// `marker: String` is always serialized: the first request would send `"Marker": ""`.
#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = "Contents"
)]
struct ListObjects {
    bucket: String,
    marker: String,
}

fn main() {}
