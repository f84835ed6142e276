// An input token written like a call is a header target, `header('Name')`; a misspelt one gets
// a did-you-mean, and is not looked up as a field (P11).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = "heder('Range')",
    output_token = "header('Next-Range')",
    result_key = "@",
)]
struct ListApps {}

fn main() {}
