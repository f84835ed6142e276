#[automatically_derived]
impl ::paginate_core::Paginated for ListObjectsRequest {
    type Page = ::paginate_core::serde_json::Value;
    type Item = ::paginate_core::serde_json::Value;
    fn pagination_model() -> ::core::result::Result<
        &'static ::paginate_core::Model,
        ::paginate_core::Error,
    > {
        static MODEL: ::paginate_core::__private::ModelCell = ::paginate_core::__private::ModelCell::new();
        MODEL
            .get(
                &::paginate_core::__private::Spec {
                    operation: "ListObjects",
                    input_token: &["Marker"],
                    output_token: &["NextMarker || Contents[-1].Key"],
                    result_key: &["Contents", "CommonPrefixes"],
                    limit_key: ::core::option::Option::Some("MaxKeys"),
                    limit_type: ::paginate_core::LimitType::Integer,
                    more_results: ::core::option::Option::Some("IsTruncated"),
                    non_aggregate_keys: &["Name", "Prefix"],
                    route: ::core::option::Option::None,
                },
            )
    }
}
