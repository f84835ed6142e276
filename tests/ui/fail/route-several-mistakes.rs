// Every mistake in one route is reported, not only the first.
#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    route = "FETCH /buckets/{Buckt}/objects/{Ownr}",
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = "Contents"
)]
struct ListObjects {
    bucket: String,
    owner: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
}

fn main() {}
