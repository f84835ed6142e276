// Wrong declarations expand to every error plus a stub impl, so nothing else cascades.
#[derive(Serialize, Paginated)]
#[paginate(input_token = "Markr", output_tokn = "NextMarker", result_key = "Contents[0]")]
struct ListObjects {
    #[serde(rename = "Marker")]
    marker: Option<String>,
}
