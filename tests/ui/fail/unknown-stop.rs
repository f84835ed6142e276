// A stop rule that does not exist, close to one that does (P7).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(offset = "offset", stop = "emtpy_page", result_key = "data")]
struct ListRecords {
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u64>,
}

fn main() {}
