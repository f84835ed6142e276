// The offset is a request parameter: it must name a serialized field (P4).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(offset = "ofset", limit_key = "limit", result_key = "data")]
struct ListRecords {
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u64>,
    limit: Option<u32>,
}

fn main() {}
