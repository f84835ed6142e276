// `page: u32` is always serialized: the first request would send `"Page": 0`.
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(input_token = "Page", output_token = "NextPage", result_key = "Items")]
struct ListItems {
    #[serde(rename = "Page")]
    page: u32,
}

fn main() {}
