#[no_implicit_prelude]
mod requests {
    #[derive(::serde::Serialize, ::paginated::Paginated)]
    #[serde(rename_all = "PascalCase")]
    #[paginate(
        input_token = "Marker",
        output_token = "NextMarker || Contents[-1].Key",
        result_key = ["Contents", "CommonPrefixes"],
        more_results = "IsTruncated",
        limit_key = "MaxKeys",
        non_aggregate_keys = ["Name"],
    )]
    pub struct ListObjects {
        pub bucket: ::std::string::String,
        pub marker: ::std::option::Option<::std::string::String>,
        pub max_keys: ::std::option::Option<u32>,
    }
}

use paginated::{PageRequest, Paginated};
use paginated::serde_json::json;

fn main() {
    let api = |_: PageRequest<'_>| Ok::<_, std::io::Error>(json!({}));
    let request = requests::ListObjects {
        bucket: "photos".to_owned(),
        marker: None,
        max_keys: Some(100),
    };
    let _ = request.paginate(&api).count();
}
