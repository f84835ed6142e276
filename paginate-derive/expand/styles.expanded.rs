#[automatically_derived]
impl ::paginated::Paginated for ListPosts {
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
                    operation: "ListPosts",
                    input_token: &[],
                    output_token: &["next"],
                    result_key: &["data"],
                    limit_key: ::core::option::Option::Some("_per_page"),
                    limit_type: ::paginated::model::LimitType::Integer,
                    more_results: ::core::option::Option::None,
                    non_aggregate_keys: &[],
                    route: ::core::option::Option::Some("GET /posts"),
                    next_url: ::core::option::Option::None,
                    resend: &[],
                    offset: ::core::option::Option::None,
                    page_number: ::core::option::Option::Some("_page"),
                    first: ::core::option::Option::Some("1"),
                    stop: &["empty_page", "short_page"],
                    total: ::core::option::Option::Some("header('X-Total-Count')"),
                    continue_route: ::core::option::Option::None,
                    check_keys: true,
                },
            )
    }
}
