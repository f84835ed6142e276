#[automatically_derived]
impl ::paginate_core::Paginated for ListResourceRecordSets {
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
                    limit_type: ::paginate_core::LimitType::String,
                    more_results: ::core::option::Option::Some("IsTruncated"),
                    non_aggregate_keys: &[],
                    route: ::core::option::Option::None,
                },
            )
    }
}
