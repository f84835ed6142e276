// A re-sent param must be a serialized field, matched by its serialized name (P3).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(next_url = "nextLink", resend = ["api_version"], result_key = "value")]
struct ListVaults {
    #[serde(rename = "api-version")]
    api_version: String,
}

fn main() {}
