// `first` is JSON text: a number, or a string in double quotes (P6).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(page_number = "page", first = "one", result_key = "items")]
struct ListItems {
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
}

fn main() {}
