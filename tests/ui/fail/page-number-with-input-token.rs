// A page number may be read from the page (`output_token`), but a token sent in a param is a
// second way of paging (P5).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    page_number = "_page",
    input_token = "cursor",
    output_token = "next",
    result_key = "data",
)]
struct ListPosts {
    #[serde(skip_serializing_if = "Option::is_none")]
    _page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

fn main() {}
