// A built-in called with a number of arguments it does not take is refused at compile time,
// with the number it takes, in every expression key and on the list element at fault.
#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = ["Marker", "Prefix"],
    output_token = ["not_null()", "starts_with(NextPrefix)"],
    more_results = "length(IsTruncated, Contents)",
    result_key = "Contents"
)]
struct ListObjects {
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prefix: Option<String>,
}

fn main() {}
