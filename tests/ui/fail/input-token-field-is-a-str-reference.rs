// A borrowed `&str` is always serialized too, and is shown as written.
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(input_token = "cursor", output_token = "next", result_key = "items")]
struct ListItems<'a> {
    cursor: &'a str,
}

fn main() {}
