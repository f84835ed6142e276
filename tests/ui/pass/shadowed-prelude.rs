#![allow(dead_code, non_camel_case_types, non_snake_case)]

mod requests {
    // Every name below hides the prelude's or a crate's: the generated code must not use them.
    struct Result;
    struct Option;
    struct Some;
    struct Ok;
    struct Err;
    struct None;
    struct Box;
    struct String;
    struct Vec;
    struct Sized;
    struct Send;
    struct Sync;
    mod serde_json {}
    mod serde {}
    mod core {}
    mod std {}

    #[derive(::serde::Serialize, ::paginated::Paginated)]
    #[serde(rename_all = "PascalCase")]
    #[paginate(
        input_token = "NextToken",
        output_token = "NextToken",
        result_key = "Items",
        limit_key = "MaxResults",
        more_results = "HasMore"
    )]
    pub struct ListItems {
        pub next_token: ::std::option::Option<::std::string::String>,
        pub max_results: ::std::option::Option<u32>,
    }
}

use paginated::{PageRequest, Paginated};
use paginated::serde_json::json;

fn main() {
    let api = |_: PageRequest<'_>| Ok::<_, std::io::Error>(json!({}));
    let request = requests::ListItems {
        next_token: None,
        max_results: Some(10),
    };
    let _ = request.paginate(&api).count();
}
