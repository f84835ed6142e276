// The offset and the page size are two parameters (P4).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(offset = "limit", limit_key = "limit", result_key = "data")]
struct ListRecords {
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
}

fn main() {}
