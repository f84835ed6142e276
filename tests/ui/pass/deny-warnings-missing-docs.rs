//! A documented program whose request type passes `deny(warnings, missing_docs)`.
#![deny(warnings, missing_docs)]

use paginated::{PageRequest, Paginated};
use paginated::serde_json::json;

/// Lists the items of a folder, a page at a time.
#[derive(Debug, Clone, Default, serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "NextToken",
    output_token = "NextToken",
    result_key = "Items",
    limit_key = "MaxResults",
    operation = "ListFolderItems"
)]
pub struct ListItems {
    /// The folder to list.
    pub folder: String,
    /// Where the previous page stopped.
    pub next_token: Option<String>,
    /// The most items one page may hold.
    pub max_results: Option<u32>,
}

fn main() {
    let api = |_: PageRequest<'_>| Ok::<_, std::io::Error>(json!({}));
    let request = ListItems {
        folder: "inbox".to_owned(),
        ..ListItems::default()
    };
    let _ = request.paginate(&api).count();
}
