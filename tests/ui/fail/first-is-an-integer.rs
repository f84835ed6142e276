// `first` is JSON text in a string literal, so the number is written in quotes (P6).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(page_number = "page", first = 1, result_key = "items")]
struct ListItems {
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
}

fn main() {}
