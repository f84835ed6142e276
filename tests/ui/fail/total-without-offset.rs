// A total ends a listing counted by an offset or a page number; tokens count nothing (P8).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = "cursor",
    output_token = "next_cursor",
    total = "total_count",
    result_key = "items",
)]
struct ListItems {
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

fn main() {}
