#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = "NextToken",
    output_token = "NextToken",
    result_key = "Items"
)]
union ListItems {
    page: u32,
    offset: u64,
}

fn main() {}
