use paginated::{PageRequest, Paginated};
use paginated::serde_json::json;

#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = "type",
    output_token = "next.type",
    result_key = "items",
    limit_key = "match"
)]
struct r#ListItems {
    r#type: Option<String>,
    r#match: Option<u32>,
}

fn main() {
    let api = |request: PageRequest<'_>| {
        let params = request.params();
        assert!(params.contains_key("type"));
        assert_eq!(params.get("match"), Some(&json!(5)));
        Ok::<_, std::io::Error>(json!({}))
    };
    let request = r#ListItems {
        r#type: None,
        r#match: Some(5),
    };
    let _ = request.paginate(&api).count();
    // The operation defaults to the struct's name as written, without `r#`.
    let model = r#ListItems::pagination_model().unwrap();
    assert_eq!(model.operation(), "ListItems");
}
