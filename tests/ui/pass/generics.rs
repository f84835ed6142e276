use std::fmt::Display;

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
struct ListItems<F: serde::Serialize + Clone, T = String>
where
    T: Display + serde::Serialize,
{
    filter: F,
    tags: Vec<T>,
    next_token: Option<String>,
    max_results: Option<u32>,
}

fn main() {
    let api = |_: PageRequest<'_>| Ok::<_, std::io::Error>(json!({}));
    let request = ListItems {
        filter: vec!["a", "b"],
        tags: vec![1, 2],
        next_token: None,
        max_results: Some(10),
    };
    let _ = request.paginate(&api).count();
}
