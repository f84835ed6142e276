// A continue route sends the input tokens to a second route; an offset is another way of
// paging (P9).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    offset = "offset",
    continue_route = "POST /2/files/list_folder/continue",
    result_key = "entries",
)]
struct ListFolder {
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u64>,
}

fn main() {}
