#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = "marker",
    output_token = "NextMarker",
    result_key = "Contents"
)]
struct ListObjects {
    #[serde(rename = "Marker")]
    marker: Option<String>,
}

fn main() {}
