// An unknown function is refused at compile time wherever an expression goes, with a
// suggestion when a built-in is close and the list of built-ins otherwise: the run-time model
// builder would refuse it too.
#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "nope(NextMarker)",
    more_results = "lenght(Contents)",
    result_key = "Contents"
)]
struct ListObjects {
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
}

#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = ["Marker", "Page"],
    output_token = ["NextMarker", "last(Pages)"],
    result_key = "Contents"
)]
struct ListPages {
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
}

fn main() {}
