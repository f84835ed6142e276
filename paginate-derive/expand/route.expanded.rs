#[automatically_derived]
impl ::paginated::Paginated for ListObjects {
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
                    output_token: &["NextMarker"],
                    result_key: &["Contents"],
                    limit_key: ::core::option::Option::None,
                    limit_type: ::paginated::model::LimitType::Integer,
                    more_results: ::core::option::Option::None,
                    non_aggregate_keys: &[],
                    route: ::core::option::Option::Some("GET /buckets/{Bucket}/objects"),
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
