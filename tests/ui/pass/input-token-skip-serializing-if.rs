// The escape hatch: a field that is not an `Option` is accepted with a `skip_serializing_if`,
// and the first request leaves it out.
use std::cell::RefCell;

use paginated::{PageRequest, Paginated};
use paginated::serde_json::json;

#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = "Contents"
)]
struct ListObjects {
    bucket: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    marker: String,
}

fn main() {
    let sent = RefCell::new(Vec::new());
    let api = |request: PageRequest<'_>| {
        let params = request.params();
        sent.borrow_mut().push(params.get("Marker").cloned());
        Ok::<_, std::io::Error>(match params.get("Marker") {
            None => json!({"Contents": [1], "NextMarker": "m1"}),
            Some(_) => json!({"Contents": [2]}),
        })
    };
    let request = ListObjects {
        bucket: "photos".to_owned(),
        marker: String::new(),
    };
    assert_eq!(request.paginate(&api).count(), 2);
    assert_eq!(*sent.borrow(), [None, Some(json!("m1"))]);
}
