// A bare array, the next page at the `Link` header's `next`, one param sent again.
#[derive(Serialize, Paginated)]
#[serde(rename_all = "kebab-case")]
#[paginate(
    next_url = "link('next')",
    resend = ["api-version"],
    result_key = "@",
    limit_key = "per_page",
)]
pub struct ListIssues {
    pub api_version: String,
    #[serde(rename = "per_page")]
    pub per_page: Option<u32>,
}
