// Every mistake of the style keys is reported at once, each on its own literal.
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    page_number = "page",
    first = "[1]",
    stop = ["short_page", "empty_page", "empty_page"],
    total = "header('')",
    result_key = "@",
    non_aggregate_keys = "total",
    continue_route = "post /continue",
)]
struct ListItems {
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
}

fn main() {}
