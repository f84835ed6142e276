#[automatically_derived]
impl<'a, F: Clone, const N: usize> ::paginated::Paginated for Query<'a, F, N>
where
    F: Serialize,
    Self: ::paginated::__private::serde::Serialize,
{
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
                    operation: "Query",
                    input_token: &["next_token"],
                    output_token: &["next_token"],
                    result_key: &["items"],
                    limit_key: ::core::option::Option::None,
                    limit_type: ::paginated::model::LimitType::Integer,
                    more_results: ::core::option::Option::None,
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
