use paginated::{PageRequest, Paginated};
use paginated::serde_json::json;

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Paging {
    next_token: Option<String>,
    max_results: Option<u32>,
}

// The token and limit live in a flattened struct the derive cannot see into: accepted.
#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "NextToken",
    output_token = "NextToken",
    result_key = "Items",
    limit_key = "MaxResults"
)]
struct ListItems {
    folder: String,
    #[serde(flatten)]
    paging: Paging,
}

fn main() {
    let api = |request: PageRequest<'_>| {
        let params = request.params();
        assert_eq!(params.get("MaxResults"), Some(&json!(10)));
        Ok::<_, std::io::Error>(json!({}))
    };
    let request = ListItems {
        folder: "inbox".to_owned(),
        paging: Paging {
            next_token: None,
            max_results: Some(10),
        },
    };
    let _ = request.paginate(&api).count();
}
