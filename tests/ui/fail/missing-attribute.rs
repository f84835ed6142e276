#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
struct ListItems {
    next_token: Option<String>,
}

fn main() {}
