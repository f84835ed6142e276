use std::borrow::Cow;

use paginated::{PageRequest, Paginated};
use paginated::serde_json::json;

#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = "Contents",
    limit_key = "MaxKeys"
)]
struct ListObjects<'a, 'b: 'a> {
    bucket: &'a str,
    prefix: Cow<'b, str>,
    marker: Option<&'b str>,
    max_keys: Option<&'a str>,
}

fn main() {
    let api = |_: PageRequest<'_>| Ok::<_, std::io::Error>(json!({}));
    let bucket = String::from("photos");
    let request = ListObjects {
        bucket: &bucket,
        prefix: Cow::Borrowed("2024/"),
        marker: None,
        max_keys: None,
    };
    let _ = request.paginate(&api).count();
}
