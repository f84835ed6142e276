// Every key, as the S3 ListObjects request of the README.
#[derive(Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "NextMarker || Contents[-1].Key",
    result_key = ["Contents", "CommonPrefixes"],
    more_results = "IsTruncated",
    limit_key = "MaxKeys",
    non_aggregate_keys = ["Name", "Prefix"],
    operation = "ListObjects",
)]
pub struct ListObjectsRequest {
    pub bucket: String,
    pub prefix: Option<String>,
    pub marker: Option<String>,
    pub max_keys: Option<u32>,
}
