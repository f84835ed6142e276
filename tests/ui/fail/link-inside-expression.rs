// `link('next')` is read from the response's headers, not from the body: it cannot be part of a
// JMESPath expression (P10).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(next_url = "next || link('next')", result_key = "items")]
struct ListIssues {
    per_page: Option<u32>,
}

fn main() {}
