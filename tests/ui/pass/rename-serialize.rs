use paginated::{PageRequest, Paginated};
use paginated::serde_json::json;

#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "camelCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = "Contents",
    limit_key = "MaxKeys"
)]
struct ListObjects {
    #[serde(rename(serialize = "Marker", deserialize = "marker"))]
    marker: Option<String>,
    #[serde(rename(serialize = "MaxKeys"))]
    max_keys: Option<u32>,
}

fn main() {
    let api = |_: PageRequest<'_>| Ok::<_, std::io::Error>(json!({}));
    let request = ListObjects {
        marker: None,
        max_keys: Some(100),
    };
    let _ = request.paginate(&api).count();
}
