// A misspelt style key gets a did-you-mean, and the tokens it replaces are not reported
// missing on top.
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(next_ur = "link('next')", result_key = "@")]
struct ListIssues {
    per_page: Option<u32>,
}

fn main() {}
