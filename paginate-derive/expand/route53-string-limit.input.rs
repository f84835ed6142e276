// Three tokens; `MaxItems` holds a string, so page sizes are sent as strings.
#[derive(Serialize, Paginated)]
#[paginate(
    input_token = ["StartRecordName", "StartRecordType", "StartRecordIdentifier"],
    output_token = ["NextRecordName", "NextRecordType", "NextRecordIdentifier"],
    result_key = "ResourceRecordSets",
    more_results = "IsTruncated",
    limit_key = "MaxItems",
)]
struct ListResourceRecordSets {
    #[serde(rename = "HostedZoneId")]
    zone: String,
    #[serde(rename = "StartRecordName")]
    start_name: Option<String>,
    #[serde(rename = "StartRecordType")]
    start_type: Option<String>,
    #[serde(rename = "StartRecordIdentifier")]
    start_identifier: Option<String>,
    #[serde(rename = "MaxItems")]
    max_items: Option<String>,
}
