use paginated::{PageRequest, Paginated};
use paginated::serde_json::json;

#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[paginate(
    input_token = "NEXT_TOKEN",
    output_token = "NextToken",
    result_key = "Items",
    limit_key = "MAX_RESULTS"
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
