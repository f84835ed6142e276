// A page is short when it has fewer items than the page size the request asked for, which is
// sent in `limit_key` (P7).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(offset = "offset", stop = ["empty_page", "short_page"], result_key = "data")]
struct ListRecords {
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u64>,
}

fn main() {}
