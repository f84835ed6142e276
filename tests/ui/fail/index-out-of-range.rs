// A slice step the engine does not evaluate (beyond 2^30, where a position could overflow) is
// refused at compile time, as the model builder refuses it (E5).
#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = ["Marker", "KeyMarker"],
    output_token = ["NextMarker", "Contents[::2000000000].Key"],
    more_results = "Contents[::-1073741825]",
    result_key = "Contents"
)]
struct ListObjects {
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_marker: Option<String>,
}

fn main() {}
