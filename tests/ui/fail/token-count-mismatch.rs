#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = ["KeyMarker", "VersionIdMarker"],
    output_token = "NextKeyMarker",
    result_key = "Versions",
)]
struct ListObjectVersions {
    key_marker: Option<String>,
    version_id_marker: Option<String>,
}

fn main() {}
