#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = "NextToken",
    output_token = "NextToken",
    result_key = "Items"
)]
struct ListItems;

fn main() {}
