// With a page number, `output_token` is at most the next page's number (P5).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(page_number = "_page", output_token = ["next", "last"], result_key = "data")]
struct ListPosts {
    #[serde(skip_serializing_if = "Option::is_none")]
    _page: Option<u32>,
}

fn main() {}
