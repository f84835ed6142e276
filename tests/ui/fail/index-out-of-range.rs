// An array index or a slice step the engine does not evaluate is refused at compile time, as
// the model builder refuses it (E5): a slice step beyond 2^30, where a position could
// overflow, and an index beyond what the parser holds (it reads `-2147483648` as no number).
// Each expression key is checked (`result_key` and `non_aggregate_keys` allow no index at
// all: see `result-key-calls-a-function.rs`).
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

#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = ["Marker", "KeyMarker"],
    output_token = ["Contents[-2147483648].Key", "NextKeyMarker"],
    more_results = "Versions[-2147483648].IsLatest",
    result_key = "Contents"
)]
struct ListObjectVersions {
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_marker: Option<String>,
}

fn main() {}
