#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    route = "get /buckets/{Bucket}/objects",
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = "Contents"
)]
struct ListObjects {
    bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
}

fn main() {}
