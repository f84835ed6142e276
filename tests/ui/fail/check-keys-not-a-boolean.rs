// `check_keys` is the one switch among the keys: a boolean, not a string.
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = "cursor",
    output_token = "next",
    result_key = "data",
    check_keys = "false"
)]
struct ListPosts {
    cursor: Option<String>,
}

#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = "cursor",
    output_token = "next",
    result_key = "data",
    check_keys = false,
    check_keys = true
)]
struct ListThings {
    cursor: Option<String>,
}

fn main() {}
