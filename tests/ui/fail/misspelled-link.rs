// `links` is no function: the did-you-mean of a source offers `link` and `header` besides the
// JMESPath functions (P10).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(next_url = "links('next')", result_key = "@")]
struct ListIssues {
    per_page: Option<u32>,
}

fn main() {}
