#[automatically_derived]
impl<'a, F: Clone, const N: usize> ::paginate_core::Paginated for Query<'a, F, N>
where
    F: Serialize,
    Self: ::paginate_core::__private::serde::Serialize,
{
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
                    operation: "Query",
                    input_token: &["next_token"],
                    output_token: &["next_token"],
                    result_key: &["items"],
                    limit_key: ::core::option::Option::None,
                    limit_type: ::paginate_core::LimitType::Integer,
                    more_results: ::core::option::Option::None,
                    non_aggregate_keys: &[],
                    route: ::core::option::Option::None,
                },
            )
    }
}
