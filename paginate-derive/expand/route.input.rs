// An HTTP route whose placeholder is a renamed field.
#[derive(Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    route = "GET /buckets/{Bucket}/objects",
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = "Contents",
)]
pub struct ListObjects {
    pub bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}
