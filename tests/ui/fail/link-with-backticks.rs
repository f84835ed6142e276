// `link` takes one raw string in single quotes; a JMESPath literal in backticks is not read as
// the relation (P10).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(next_url = "link(`next`)", result_key = "@")]
struct ListIssues {
    per_page: Option<u32>,
}

fn main() {}
