#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = "NextToken",
    output_token = "NextToken",
    result_key = "Items"
)]
struct ListItems(Option<String>, Option<u32>);

fn main() {}
