use paginated::{PageRequest, Paginated};
use paginated::serde_json::json;

#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "NextToken",
    output_token = "NextToken",
    result_key = "Items",
    limit_key = "MaxResults"
)]
struct ListItems {
    next_token: Option<String>,
    max_results: Option<u32>,
}

fn main() {
    let api = |_: PageRequest<'_>| Ok::<_, std::io::Error>(json!({}));
    let request = ListItems {
        next_token: None,
        max_results: Some(10),
    };
    let _ = request.paginate(&api).count();
}
