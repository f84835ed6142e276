#[automatically_derived]
impl ::paginated::Paginated for ListIssues {
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
                    operation: "ListIssues",
                    input_token: &[],
                    output_token: &[],
                    result_key: &["@"],
                    limit_key: ::core::option::Option::Some("per_page"),
                    limit_type: ::paginated::model::LimitType::Integer,
                    more_results: ::core::option::Option::None,
                    non_aggregate_keys: &[],
                    route: ::core::option::Option::None,
                    next_url: ::core::option::Option::Some("link('next')"),
                    resend: &["api-version"],
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
