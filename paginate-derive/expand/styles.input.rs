// The pagination-style keys, carried into the spec as written: a page number read from the
// page, counted from 1, with a total, a stop rule and a continue route.
#[derive(Serialize, Paginated)]
#[paginate(
    route = "GET /posts",
    page_number = "_page",
    output_token = "next",
    first = "1",
    limit_key = "_per_page",
    total = "header('X-Total-Count')",
    stop = ["empty_page", "short_page"],
    result_key = "data",
)]
pub struct ListPosts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub _page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub _per_page: Option<u32>,
}
