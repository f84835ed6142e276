#[automatically_derived]
impl ::paginated::Paginated for ListObjectsRequest {
    type Page = ::paginated::serde_json::Value;
    type Item = ::paginated::serde_json::Value;
    fn pagination_model() -> ::core::result::Result<
        &'static ::paginated::Model,
        ::paginated::Error,
    > {
        static MODEL: ::paginated::__private::ModelCell = ::paginated::__private::ModelCell::new();
        MODEL
            .get(
                &::paginated::__private::Spec {
                    operation: "ListObjects",
                    input_token: &["Marker"],
                    output_token: &["NextMarker || Contents[-1].Key"],
                    result_key: &["Contents", "CommonPrefixes"],
                    limit_key: ::core::option::Option::Some("MaxKeys"),
                    limit_type: ::paginated::model::LimitType::Integer,
                    more_results: ::core::option::Option::Some("IsTruncated"),
                    non_aggregate_keys: &["Name", "Prefix"],
                    route: ::core::option::Option::None,
                    next_url: ::core::option::Option::None,
                    resend: &[],
                    offset: ::core::option::Option::None,
                    page_number: ::core::option::Option::None,
                    first: ::core::option::Option::None,
                    stop: &[],
                    total: ::core::option::Option::None,
                    continue_route: ::core::option::Option::None,
                    check_keys: true,
                },
            )
    }
}
