// `offset: u64` is always serialized: the first request would send `"offset": 0` from the
// struct, never the offset `first` declares (P4, P6).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(offset = "offset", first = "10", result_key = "data")]
struct ListRecords {
    offset: u64,
}

fn main() {}
