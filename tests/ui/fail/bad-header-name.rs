// An HTTP header name holds no spaces (P10).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    offset = "offset",
    limit_key = "limit",
    total = "header('X Total Count')",
    result_key = "data",
)]
struct ListRecords {
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u64>,
    limit: Option<u32>,
}

fn main() {}
