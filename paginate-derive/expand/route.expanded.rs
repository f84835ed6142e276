#[automatically_derived]
impl ::paginate_core::Paginated for ListObjects {
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
                    output_token: &["NextMarker"],
                    result_key: &["Contents"],
                    limit_key: ::core::option::Option::None,
                    limit_type: ::paginate_core::LimitType::Integer,
                    more_results: ::core::option::Option::None,
                    non_aggregate_keys: &[],
                    route: ::core::option::Option::Some("GET /buckets/{Bucket}/objects"),
                },
            )
    }
}
