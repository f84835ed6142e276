// Result and non-aggregate keys are written back at their path, so a function call there is
// not a dotted path, whether or not the function exists.
#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = ["Contents", "length(Contents)"],
    non_aggregate_keys = ["nope(Name)"]
)]
struct ListObjects {
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
}

fn main() {}
