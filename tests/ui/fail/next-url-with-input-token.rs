// `next_url` follows the URL each page gives; a token sent in a param is a second way of
// paging, and a declaration pages one way (P2).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    next_url = "link('next')",
    input_token = "cursor",
    output_token = "next_cursor",
    result_key = "@",
)]
struct ListIssues {
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

fn main() {}
