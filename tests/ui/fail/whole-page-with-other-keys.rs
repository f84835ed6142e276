// `result_key = "@"` says each page is a bare JSON array, the one result: no other result key,
// and nothing for `non_aggregate_keys` to read (P1).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(next_url = "link('next')", result_key = ["@", "items"])]
struct ListIssues {
    per_page: Option<u32>,
}

#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(next_url = "link('next')", result_key = "@", non_aggregate_keys = "total")]
struct ListPulls {
    per_page: Option<u32>,
}

fn main() {}
