#[derive(paginated::Paginated)]
#[paginate(
    input_token = "next_token",
    output_token = "NextToken",
    result_key = "Items"
)]
struct ListItems {
    next_token: Option<String>,
}

fn main() {}
