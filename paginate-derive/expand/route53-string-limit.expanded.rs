#[automatically_derived]
impl ::paginated::Paginated for ListResourceRecordSets {
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
                    operation: "ListResourceRecordSets",
                    input_token: &[
                        "StartRecordName",
                        "StartRecordType",
                        "StartRecordIdentifier",
                    ],
                    output_token: &[
                        "NextRecordName",
                        "NextRecordType",
                        "NextRecordIdentifier",
                    ],
                    result_key: &["ResourceRecordSets"],
                    limit_key: ::core::option::Option::Some("MaxItems"),
                    limit_type: ::paginated::model::LimitType::String,
                    more_results: ::core::option::Option::Some("IsTruncated"),
                    non_aggregate_keys: &[],
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
